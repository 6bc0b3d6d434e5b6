# guest/guest.mk — the default TabVM guest image (Linux kernel + busybox initramfs).
# Included by the top-level Makefile, which defines BUILD (default: build).
#
#   make image           $(BUILD)/guest/Image and $(BUILD)/guest/initramfs.cpio.gz
#   make guest-kernel    only the kernel
#   make guest-initramfs only the initramfs
#   make guest-boot-ref  boot the image under qemu-system-riscv64 (reference check)
#   make guest-clean     remove $(BUILD)/guest
#
# Rebuilds happen only when their inputs change:
#   kernel:    guest/kernel.config, guest/build-kernel.sh, the installed
#              linux-source-6.1 package version
#   initramfs: anything under guest/rootfs/, guest/build-initramfs.sh, the
#              busybox .deb (re-fetched only when guest/busybox.pin changes)
# See guest/README.md.

BUILD ?= build
GUEST_SRC := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
GUEST_OUT := $(BUILD)/guest

GUEST_IMAGE     := $(GUEST_OUT)/Image
GUEST_INITRAMFS := $(GUEST_OUT)/initramfs.cpio.gz
GUEST_DEB       := $(GUEST_OUT)/busybox-static.deb
# Holds the installed linux-source package version; rewritten only when it changes.
GUEST_LINUX_VER := $(GUEST_OUT)/linux-source.version
# Touched after the kernel tree in $(GUEST_OUT)/linux-src is (re)unpacked.
GUEST_LINUX_SRC := $(GUEST_OUT)/linux-src.stamp

GUEST_ROOTFS_FILES := $(shell find $(GUEST_SRC)/rootfs 2>/dev/null)

.PHONY: image guest-kernel guest-initramfs guest-boot-ref guest-clean guest-FORCE

image: $(GUEST_IMAGE) $(GUEST_INITRAMFS)
guest-kernel: $(GUEST_IMAGE)
guest-initramfs: $(GUEST_INITRAMFS)

$(GUEST_LINUX_VER): guest-FORCE
	@mkdir -p $(@D)
	@v=$$(dpkg-query -W -f='$${Version}' linux-source-6.1 2>/dev/null || echo missing); \
	 [ "$$(cat $@ 2>/dev/null)" = "$$v" ] || echo "$$v" >$@

# Unpacking is a separate step so that the kernel and the initramfs (which
# needs usr/gen_init_cpio.c from the tree) never race on it under make -j.
$(GUEST_LINUX_SRC): $(GUEST_LINUX_VER) $(GUEST_SRC)/unpack-linux.sh
	@$(GUEST_SRC)/unpack-linux.sh $(GUEST_OUT)
	@touch $@

# '+': lets the kernel's make join our jobserver under 'make -jN'.
$(GUEST_IMAGE): $(GUEST_SRC)/kernel.config $(GUEST_SRC)/build-kernel.sh $(GUEST_SRC)/common.sh $(GUEST_LINUX_SRC)
	+@$(GUEST_SRC)/build-kernel.sh $(GUEST_OUT)

$(GUEST_DEB): $(GUEST_SRC)/busybox.pin $(GUEST_SRC)/fetch-busybox.sh
	@$(GUEST_SRC)/fetch-busybox.sh $(GUEST_OUT)

$(GUEST_INITRAMFS): $(GUEST_DEB) $(GUEST_ROOTFS_FILES) $(GUEST_SRC)/build-initramfs.sh $(GUEST_SRC)/common.sh | $(GUEST_LINUX_SRC)
	@$(GUEST_SRC)/build-initramfs.sh $(GUEST_OUT)

guest-boot-ref: image
	@$(GUEST_SRC)/boot-ref.sh $(GUEST_IMAGE) $(GUEST_INITRAMFS)

guest-clean:
	rm -rf $(GUEST_OUT)

guest-FORCE:
