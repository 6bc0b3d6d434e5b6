# The benchmark suite's programs and images (bench/README.md), included by the Makefile.
# build/bench/riscv64/: the guest's /bench (run.sh and the programs, static); it is added to the
#   default initramfs as a second cpio archive (the kernel unpacks both), which native, Node,
#   Chromium and QEMU all boot: one image for every riscv64 system.
# build/bench/host/: the same programs built for the host, and Debian's busybox-static for amd64
#   of the guest's version, so the host runs the same bc, gzip, dd, seq and shell.
BENCH := $(BUILD)/bench
BENCH_RV_CC := riscv64-linux-gnu-gcc
# The tiny programs have no libc, so the same flags build them for every ISA.
BENCH_TINY_FLAGS := -Os -static -nostdlib -nostartfiles -ffreestanding -fno-stack-protector \
    -fno-pie -no-pie -Wl,--build-id=none
BENCH_FP_FLAGS := -O2 -static -ffp-contract=off
BENCH_PROGS := now true intbench fpbench run.sh

$(BENCH)/riscv64/now $(BENCH)/riscv64/true: $(BENCH)/riscv64/%: bench/suite/progs/tiny.c
	@mkdir -p $(@D)
	$(BENCH_RV_CC) $(BENCH_TINY_FLAGS) -DTINY_$(shell echo $* | tr a-z A-Z) -o $@ $<
$(BENCH)/host/now $(BENCH)/host/true: $(BENCH)/host/%: bench/suite/progs/tiny.c
	@mkdir -p $(@D)
	$(CC) $(BENCH_TINY_FLAGS) -DTINY_$(shell echo $* | tr a-z A-Z) -o $@ $<
$(BENCH)/riscv64/intbench: bench/suite/progs/intbench.c
	@mkdir -p $(@D)
	$(BENCH_RV_CC) -O2 -static -o $@ $<
$(BENCH)/host/intbench: bench/suite/progs/intbench.c
	@mkdir -p $(@D)
	$(CC) -O2 -static -o $@ $<
$(BENCH)/riscv64/fpbench: bench/suite/progs/fpbench.c
	@mkdir -p $(@D)
	$(BENCH_RV_CC) $(BENCH_FP_FLAGS) -o $@ $< -lm
$(BENCH)/host/fpbench: bench/suite/progs/fpbench.c
	@mkdir -p $(@D)
	$(CC) $(BENCH_FP_FLAGS) -o $@ $< -lm
$(BENCH)/%/run.sh: bench/suite/run.sh
	@mkdir -p $(@D)
	cp $< $@

# The default initramfs with /bench appended (gen_init_cpio is the guest build's).
$(BENCH)/initramfs-riscv64.cpio.gz: $(BUILD)/guest/initramfs.cpio.gz $(BENCH_PROGS:%=$(BENCH)/riscv64/%)
	bench/suite/append-cpio.sh $< $@ $(BENCH)/riscv64 /bench $(BUILD)/guest/gen_init_cpio

# Debian packages the suite needs, pinned in bench/suite/pins/, fetched like the guest's busybox.
$(BENCH)/debs/%.deb: bench/suite/pins/%.pin guest/fetch-deb.sh guest/apt-private.sh
	guest/fetch-deb.sh $< $(@D) $*
$(BENCH)/host/busybox: $(BENCH)/debs/busybox-amd64.deb
	@mkdir -p $(@D)
	dpkg-deb --fsys-tarfile $< | tar -xO ./usr/bin/busybox >$@.tmp && chmod 755 $@.tmp && mv $@.tmp $@
	@mkdir -p $(@D)/bin && for a in sh bc gzip dd seq wc tail tr md5sum cut rm dirname cat; do \
	    ln -sf ../busybox $(@D)/bin/$$a; done

bench-progs: $(BENCH)/initramfs-riscv64.cpio.gz $(BENCH_PROGS:%=$(BENCH)/host/%) $(BENCH)/host/busybox
.PHONY: bench-progs

# v86's x86 guest (bench/README.md, "v86"): Debian's i386 kernel and busybox, /bench for i386
# (the tiny programs and run.sh; the int and fp programs would need an i386 libc).
$(BENCH)/i386/now $(BENCH)/i386/true: $(BENCH)/i386/%: bench/suite/progs/tiny.c
	@mkdir -p $(@D)
	$(CC) -m32 $(BENCH_TINY_FLAGS) -DTINY_$(shell echo $* | tr a-z A-Z) -o $@ $<
$(BENCH)/vmlinuz-i386: $(BENCH)/debs/kernel-i386.deb
	dpkg-deb --fsys-tarfile $< | tar -xO --wildcards './boot/vmlinuz-*' >$@.tmp && mv $@.tmp $@
$(BENCH)/initramfs-i386.cpio.gz: $(BENCH)/debs/busybox-i386.deb $(BENCH)/i386/now $(BENCH)/i386/true $(BENCH)/i386/run.sh \
    bench/suite/i386-init bench/suite/build-i386-initramfs.sh $(BUILD)/guest/initramfs.cpio.gz
	bench/suite/build-i386-initramfs.sh $< $(BENCH)/i386 $@ $(BUILD)/guest/gen_init_cpio
bench-x86: $(BENCH)/vmlinuz-i386 $(BENCH)/initramfs-i386.cpio.gz
.PHONY: bench-x86
