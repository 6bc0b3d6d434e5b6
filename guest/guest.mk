# guest/guest.mk — the default TabVM guest image (Linux kernel + busybox
# initramfs, and the same root filesystem as an ext4 disk image).
# Included by the top-level Makefile, which defines BUILD (default: build).
#
#   make image               $(BUILD)/guest/Image, initramfs.cpio.gz, rootfs.ext4
#   make guest-kernel        only the kernel
#   make guest-initramfs     only the initramfs
#   make guest-rootfs-ext4   only the ext4 root filesystem image
#   make guest-agent         only the guest agent (tabvm-agent, guest/agent/), also built
#                            natively under ASan/UBSan for the CLI tests
#   make guest-boot-ref      boot Image + initramfs under qemu-system-riscv64 (reference check)
#   make guest-boot-ref-disk boot Image from a copy of rootfs.ext4 under qemu (persistence check)
#   make guest-clean         remove $(BUILD)/guest
#
# The Debian image (not part of `make image`: ~45 MiB of downloads, ~5 min):
#   make image-debian          $(BUILD)/guest/debian.ext4 (Debian trixie riscv64, guest/debian.pin)
#   make guest-debian-pin      re-resolve guest/debian-packages.list -> guest/debian.pin
#   make guest-boot-ref-debian boot a copy of debian.ext4 under qemu (reference check)
#
# Rebuilds happen only when their inputs change:
#   kernel:      guest/kernel.config, guest/build-kernel.sh, the installed
#                linux-source-6.1 package version
#   rootfs.list: (the staged content shared by both root images) anything under
#                guest/rootfs/, guest/stage-rootfs.sh, the busybox .deb, the agent
#                (re-fetched only when guest/busybox.pin changes)
#   initramfs:   rootfs.list, guest/build-initramfs.sh
#   rootfs.ext4: rootfs.list, guest/build-rootfs-ext4.sh, guest/mke2fs.conf
#   debian.ext4: guest/debian.pin (the .debs are fetched again only when it
#                changes), guest/debian-rootfs/, guest/build-debian-ext4.sh,
#                guest/debian-install.sh, the agent (not the kernel: it only
#                runs the configure boot)
# See guest/README.md.

BUILD ?= build
GUEST_SRC := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
GUEST_OUT := $(BUILD)/guest

GUEST_IMAGE     := $(GUEST_OUT)/Image
GUEST_INITRAMFS := $(GUEST_OUT)/initramfs.cpio.gz
GUEST_EXT4      := $(GUEST_OUT)/rootfs.ext4
GUEST_DEB       := $(GUEST_OUT)/busybox-static.deb
# The staged root filesystem (manifest) that both the initramfs and the ext4 image are made of.
GUEST_ROOTLIST  := $(GUEST_OUT)/rootfs.list
# Holds the installed linux-source package version; rewritten only when it changes.
GUEST_LINUX_VER := $(GUEST_OUT)/linux-source.version
# Touched after the kernel tree in $(GUEST_OUT)/linux-src is (re)unpacked.
GUEST_LINUX_SRC := $(GUEST_OUT)/linux-src.stamp

GUEST_ROOTFS_FILES := $(shell find $(GUEST_SRC)/rootfs 2>/dev/null)

# The guest agent (docs/exec-channel.md): static, so the same binary runs on busybox and Debian.
GUEST_AGENT      := $(GUEST_OUT)/tabvm-agent
GUEST_AGENT_SAN  := $(BUILD)/asan/tabvm-agent
GUEST_AGENT_SRCS := $(GUEST_SRC)/agent/tabvm_agent.c shared/tvm_exec.h
GUEST_CROSS_CC   ?= riscv64-linux-gnu-gcc
GUEST_AGENT_FLAGS := -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter

.PHONY: image-debian guest-debian-pin guest-boot-ref-debian
.PHONY: guest-agent image guest-kernel guest-initramfs guest-rootfs-ext4 guest-boot-ref guest-boot-ref-disk guest-clean guest-FORCE

image: $(GUEST_IMAGE) $(GUEST_INITRAMFS) $(GUEST_EXT4)
guest-kernel: $(GUEST_IMAGE)
guest-initramfs: $(GUEST_INITRAMFS)
guest-rootfs-ext4: $(GUEST_EXT4)
guest-agent: $(GUEST_AGENT) $(GUEST_AGENT_SAN)

$(GUEST_AGENT): $(GUEST_AGENT_SRCS)
	@mkdir -p $(@D)
	$(GUEST_CROSS_CC) $(GUEST_AGENT_FLAGS) -Os -static -s -Wl,--build-id=none -o $@ $<

# The same program on the build machine, for the protocol tests (cli/tests/exec_agent.test.js).
$(GUEST_AGENT_SAN): $(GUEST_AGENT_SRCS)
	@mkdir -p $(@D)
	$(CC) $(GUEST_AGENT_FLAGS) $(SAN_FLAGS) -o $@ $<
cli-tests: $(GUEST_AGENT_SAN)

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

$(GUEST_DEB): $(GUEST_SRC)/busybox.pin $(GUEST_SRC)/fetch-deb.sh $(GUEST_SRC)/apt-private.sh
	@$(GUEST_SRC)/fetch-deb.sh $(GUEST_SRC)/busybox.pin $(GUEST_OUT) busybox-static

$(GUEST_ROOTLIST): $(GUEST_DEB) $(GUEST_AGENT) $(GUEST_ROOTFS_FILES) $(GUEST_SRC)/stage-rootfs.sh $(GUEST_SRC)/common.sh
	@$(GUEST_SRC)/stage-rootfs.sh $(GUEST_OUT)

$(GUEST_INITRAMFS): $(GUEST_ROOTLIST) $(GUEST_SRC)/build-initramfs.sh $(GUEST_SRC)/common.sh | $(GUEST_LINUX_SRC)
	@$(GUEST_SRC)/build-initramfs.sh $(GUEST_OUT)

$(GUEST_EXT4): $(GUEST_ROOTLIST) $(GUEST_SRC)/build-rootfs-ext4.sh $(GUEST_SRC)/mke2fs.conf $(GUEST_SRC)/common.sh
	@$(GUEST_SRC)/build-rootfs-ext4.sh $(GUEST_OUT)

guest-boot-ref: $(GUEST_IMAGE) $(GUEST_INITRAMFS)
	@$(GUEST_SRC)/boot-ref.sh $(GUEST_IMAGE) $(GUEST_INITRAMFS)

# Boots a copy: the built image stays pristine.
guest-boot-ref-disk: $(GUEST_IMAGE) $(GUEST_EXT4)
	@$(GUEST_SRC)/boot-ref-disk.sh $(GUEST_IMAGE) $(GUEST_EXT4)

# ---- the Debian image ----------------------------------------------------------
GUEST_DEBIAN_EXT4  := $(GUEST_OUT)/debian.ext4
GUEST_DEBIAN_DEBS  := $(GUEST_OUT)/debian-debs.stamp
GUEST_DEBIAN_FILES := $(shell find $(GUEST_SRC)/debian-rootfs 2>/dev/null)

image-debian: $(GUEST_DEBIAN_EXT4)

$(GUEST_DEBIAN_DEBS): $(GUEST_SRC)/debian.pin $(GUEST_SRC)/fetch-debian.sh $(GUEST_SRC)/apt-private.sh
	@$(GUEST_SRC)/fetch-debian.sh $(GUEST_OUT)

# The kernel is order-only: it runs the configure boot but is not in the image.
$(GUEST_DEBIAN_EXT4): $(GUEST_DEBIAN_DEBS) $(GUEST_DEBIAN_FILES) $(GUEST_AGENT) $(GUEST_SRC)/build-debian-ext4.sh \
		$(GUEST_SRC)/debian-install.sh $(GUEST_SRC)/debian-packages.list $(GUEST_SRC)/mke2fs.conf \
		$(GUEST_SRC)/common.sh | $(GUEST_IMAGE)
	@$(GUEST_SRC)/build-debian-ext4.sh $(GUEST_OUT)

guest-debian-pin:
	@$(GUEST_SRC)/resolve-debian.sh

guest-boot-ref-debian: $(GUEST_IMAGE) $(GUEST_DEBIAN_EXT4)
	@$(GUEST_SRC)/boot-ref-debian.sh $(GUEST_IMAGE) $(GUEST_DEBIAN_EXT4)

guest-clean:
	rm -rf $(GUEST_OUT)

guest-FORCE:

# Debian's own kernel, unmodified, booted in TabVM (guest/README.md, "A stock kernel").
GUEST_STOCK_DEB := $(GUEST_OUT)/stock-kernel.deb
GUEST_STOCK     := $(GUEST_OUT)/stock/initramfs.cpio.gz
$(GUEST_STOCK_DEB): $(GUEST_SRC)/stock-kernel.pin $(GUEST_SRC)/fetch-deb.sh $(GUEST_SRC)/apt-private.sh
	@$(GUEST_SRC)/fetch-deb.sh $(GUEST_SRC)/stock-kernel.pin $(GUEST_OUT) stock-kernel
$(GUEST_STOCK): $(GUEST_STOCK_DEB) $(GUEST_DEB) $(GUEST_INITRAMFS) $(GUEST_SRC)/build-stock-initramfs.sh \
		$(GUEST_SRC)/stock-init $(GUEST_SRC)/common.sh
	@$(GUEST_SRC)/build-stock-initramfs.sh $(GUEST_OUT)
.PHONY: check-stock-kernel
check-stock-kernel: wasm $(GUEST_STOCK)
	@echo "== a stock Debian kernel in TabVM (guest/check-stock-kernel.test.js)"
	@node --test guest/check-stock-kernel.test.js
