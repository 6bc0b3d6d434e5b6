# TabVM build. `make run` and `make test` are the two commands a user types; both install what
# is missing (scripts/deps.sh), build what is stale, then run. Module fragments are included
# below; each says what it builds.

BUILD ?= build
CC := gcc
CFLAGS_COMMON := -std=c11 -Wall -Wextra -Werror -Wno-unused-parameter -D_DEFAULT_SOURCE
CFLAGS ?= -O2 -g
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

# Emscripten (Debian package) needs Debian's node modules (acorn) on NODE_PATH: the folder that
# holds node-acorn's acorn/ package.
DEBIAN_NODE_MODULES := $(shell dpkg -L node-acorn 2>/dev/null | sed -n 's|/acorn/package.json$$||p' | head -n 1)
EMCC := NODE_PATH=$(DEBIAN_NODE_MODULES) emcc
EMFLAGS := -O3 -std=c11 -Wall -Werror -Wno-unused-parameter -matomics -mbulk-memory \
           -sSTANDALONE_WASM --no-entry -sIMPORTED_MEMORY -Wl,--shared-memory \
           -sALLOW_MEMORY_GROWTH -sMAXIMUM_MEMORY=4GB -sINITIAL_MEMORY=16MB \
           -sERROR_ON_UNDEFINED_SYMBOLS=0 -sWARN_ON_UNDEFINED_SYMBOLS=0
# The CPU module exports its function table and lets it grow: the JIT places compiled code there.
CPU_EMFLAGS := -sALLOW_TABLE_GROWTH -Wl,--export-table

CPU_SRCS := $(addprefix cpu/riscv/,rv_decode.c rv_exec.c rv_mmu.c rv_csr.c rv_fpu.c rv_clint.c \
              rv_sbi.c rv_htif.c rv_jit.c rv_jit_emit.c softfp.c softfp_conv.c) shared/elf_load.c
MACHINE_SRCS := cpu/riscv/rv_virt.c devices/plic/plic.c devices/virtio/virtio_mmio.c \
                devices/rtc/goldfish_rtc.c devices/uart/uart16550.c shared/fdt.c
CONSOLE_SRCS := devices/virtio/vdev.c devices/console/virtio_console.c
BLK_SRCS := devices/virtio/vdev.c devices/blk/virtio_blk.c
RNG_SRCS := devices/virtio/vdev.c devices/rng/virtio_rng.c
NET_SRCS := devices/virtio/vdev.c devices/net/virtio_net.c
CPU_HDRS := $(wildcard cpu/riscv/*.h shared/*.h devices/*/*.h)

.PHONY: all deps native wasm test unit-tests isa-tests storage-tests cli-tests e2e-tests lint run bench bench-micro bench-tests clean
all: native wasm

deps:
	@scripts/deps.sh

native: $(BUILD)/native/tabvm-elf $(BUILD)/native/tabvm-boot
wasm: $(BUILD)/wasm/tabvm-cpu.wasm $(BUILD)/wasm/tabvm-virtio-console.wasm $(BUILD)/wasm/tabvm-virtio-blk.wasm \
      $(BUILD)/wasm/tabvm-virtio-rng.wasm $(BUILD)/wasm/tabvm-virtio-net.wasm

$(BUILD)/native/tabvm-elf: $(CPU_SRCS) cpu/native/tabvm_elf.c $(CPU_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_COMMON) $(CFLAGS) -o $@ $(CPU_SRCS) cpu/native/tabvm_elf.c

$(BUILD)/native/tabvm-boot: $(CPU_SRCS) $(MACHINE_SRCS) $(CONSOLE_SRCS) cpu/native/tabvm_boot.c $(CPU_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_COMMON) $(CFLAGS) -o $@ $(CPU_SRCS) $(MACHINE_SRCS) $(CONSOLE_SRCS) cpu/native/tabvm_boot.c

# The op profile (docs/performance.md): tabvm-boot counting each handler and pair of handlers,
# run on Linux computing bc's pi; what it prints chose the superinstructions.
$(BUILD)/prof/tabvm-boot: $(CPU_SRCS) $(MACHINE_SRCS) $(CONSOLE_SRCS) cpu/native/tabvm_boot.c $(CPU_HDRS) \
                          cpu/riscv/rv_exec_ops.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_COMMON) -O2 -DRV_OP_PROFILE -DRV_DISPATCH_SWITCH -o $@ $(CPU_SRCS) $(MACHINE_SRCS) \
	    $(CONSOLE_SRCS) cpu/native/tabvm_boot.c
.PHONY: op-profile
op-profile: $(BUILD)/prof/tabvm-boot image
	@cpu/native/op-profile.sh $(BUILD)

# The two dispatch styles side by side (docs/performance.md, "Dispatch"): the default builds use
# the switch; these use musttail threading, natively with clang and in Wasm with tail calls.
DISPATCH := $(BUILD)/dispatch-threaded
$(DISPATCH)/native/tabvm-elf: $(CPU_SRCS) cpu/native/tabvm_elf.c $(CPU_HDRS)
	@mkdir -p $(@D)
	clang $(CFLAGS_COMMON) $(CFLAGS) -o $@ $(CPU_SRCS) cpu/native/tabvm_elf.c
$(DISPATCH)/wasm/tabvm-cpu.wasm: $(CPU_SRCS) $(MACHINE_SRCS) cpu/wasm/cpu_exports.c cpu/wasm/machine_exports.c $(CPU_HDRS)
	@mkdir -p $(@D)
	$(EMCC) $(EMFLAGS) $(CPU_EMFLAGS) -mtail-call -DRV_DISPATCH_THREADED -o $@ $(CPU_SRCS) $(MACHINE_SRCS) \
	    cpu/wasm/cpu_exports.c cpu/wasm/machine_exports.c
.PHONY: dispatch-ab
dispatch-ab: native wasm $(BUILD)/bench/mips.elf $(DISPATCH)/native/tabvm-elf $(DISPATCH)/wasm/tabvm-cpu.wasm
	@bench/dispatch/ab.sh $(BUILD) $(DISPATCH)
	@node bench/dispatch/chromium.js $(BUILD)/wasm/tabvm-cpu.wasm $(DISPATCH)/wasm/tabvm-cpu.wasm $(BUILD)/bench/mips.elf

$(BUILD)/asan/tabvm-elf: $(CPU_SRCS) cpu/native/tabvm_elf.c $(CPU_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_COMMON) $(SAN_FLAGS) -o $@ $(CPU_SRCS) cpu/native/tabvm_elf.c

$(BUILD)/wasm/tabvm-cpu.wasm: $(CPU_SRCS) $(MACHINE_SRCS) cpu/wasm/cpu_exports.c cpu/wasm/machine_exports.c $(CPU_HDRS)
	@mkdir -p $(@D)
	$(EMCC) $(EMFLAGS) $(CPU_EMFLAGS) -o $@ $(CPU_SRCS) $(MACHINE_SRCS) cpu/wasm/cpu_exports.c cpu/wasm/machine_exports.c

$(BUILD)/wasm/tabvm-virtio-console.wasm: $(CONSOLE_SRCS) devices/virtio/vdev_wasm.c devices/console/console_wasm.c $(CPU_HDRS)
	@mkdir -p $(@D)
	$(EMCC) $(EMFLAGS) -o $@ $(CONSOLE_SRCS) devices/virtio/vdev_wasm.c devices/console/console_wasm.c

$(BUILD)/wasm/tabvm-virtio-blk.wasm: $(BLK_SRCS) devices/virtio/vdev_wasm.c devices/blk/blk_wasm.c $(CPU_HDRS)
	@mkdir -p $(@D)
	$(EMCC) $(EMFLAGS) -o $@ $(BLK_SRCS) devices/virtio/vdev_wasm.c devices/blk/blk_wasm.c

$(BUILD)/wasm/tabvm-virtio-rng.wasm: $(RNG_SRCS) devices/virtio/vdev_wasm.c devices/rng/rng_wasm.c $(CPU_HDRS)
	@mkdir -p $(@D)
	$(EMCC) $(EMFLAGS) -o $@ $(RNG_SRCS) devices/virtio/vdev_wasm.c devices/rng/rng_wasm.c

$(BUILD)/wasm/tabvm-virtio-net.wasm: $(NET_SRCS) devices/virtio/vdev_wasm.c devices/net/net_wasm.c $(CPU_HDRS)
	@mkdir -p $(@D)
	$(EMCC) $(EMFLAGS) -o $@ $(NET_SRCS) devices/virtio/vdev_wasm.c devices/net/net_wasm.c

# Native C unit tests; fragments add their test programs as prerequisites.
unit-tests:

-include cpu/riscv/softfp.mk
include cpu/riscv/tests/unit/unit.mk
include cpu/fuzz/fuzz.mk
include cpu/riscv/tests/isa/isa.mk
include cpu/riscv/tests/jit/jit.mk
include guest/guest.mk
include ui/ui.mk
include bench/bench.mk
-include devices/devices.mk
include net/net.mk

isa-tests: native wasm $(ISA_ELFS) $(BUILD)/asan/tabvm-elf $(DISPATCH)/native/tabvm-elf $(BUILD)/prof/tabvm-boot
	@echo "== ISA tests, native"
	@cpu/riscv/tests/isa/run-isa.sh "$(BUILD)/native/tabvm-elf --quiet --timeout 20" $(ISA_ELFS)
	@echo "== ISA tests, native with threaded dispatch (clang, musttail)"
	@cpu/riscv/tests/isa/run-isa.sh "$(DISPATCH)/native/tabvm-elf --quiet --timeout 20" $(ISA_ELFS)
	@echo "== ISA tests, native under ASan/UBSan"
	@cpu/riscv/tests/isa/run-isa.sh "$(BUILD)/asan/tabvm-elf --quiet --timeout 60" $(ISA_ELFS)
	@echo "== ISA tests, Wasm under Node (npx tabvm --elf)"
	@cpu/riscv/tests/isa/run-isa.sh "node cli/tabvm.js --elf" $(ISA_ELFS)

$(BUILD)/fixtures/%.elf: cli/tests/fixtures/%.S
	@mkdir -p $(@D)
	$(ISA_CC) $(ISA_FLAGS) -o $@ $<

# An ext4 image with ten variants of a program, for the "rewritten binary" disk test.
$(BUILD)/fixtures/exec-disk.img: cli/tests/fixtures/print_digit.S cli/tests/fixtures/make-exec-disk.sh
	@mkdir -p $(@D)
	@cli/tests/fixtures/make-exec-disk.sh $(ISA_CROSS)gcc $< $@

cli-tests: wasm image relay $(ISA_ELFS) $(BUILD)/fixtures/spin.elf $(BUILD)/fixtures/exec-disk.img
	@echo "== CLI tests (npx tabvm)"
	@node --test cli/tests/

$(BUILD)/bench/mips.elf: bench/mips/start.S bench/mips/bench.c
	@mkdir -p $(@D)
	$(ISA_CC) -O2 -march=rv64gc -mabi=lp64d -nostdlib -nostartfiles -static -ffreestanding \
	    -fno-builtin -T $(ISA_DIR)/link.ld -Wl,--build-id=none -Wl,--no-warn-rwx-segments \
	    -o $@ bench/mips/start.S bench/mips/bench.c

# make bench: the suite (bench/README.md): every workload on every system, results in
# bench/results/. QUICK=1: one run of each figure instead of three (a few minutes); RUNS=N.
# make bench-micro: the focused benchmarks (boot, images, disk) that the suite does not cover.
bench: deps native wasm image page bench-progs bench-x86 $(BUILD)/bench/mips.elf
	@bench/suite/deps.sh
	@node bench/suite/run.js $(if $(QUICK),--quick) $(if $(RUNS),--runs $(RUNS))
	@node bench/mips/run.js $(if $(QUICK),2)
# The report generator on a committed result (under a second; no benchmark runs in make test).
bench-tests:
	@echo "== bench suite's report generator"
	@node --test bench/suite/tests/
bench-micro: native wasm image page
	@node bench/boot/node.js
	@node bench/boot/browser.js
	@node bench/boot/images-node.js
	@node bench/boot/images.js
	@node bench/disk/node.js
	@node bench/disk/browser.js
	@node bench/exec/node.js

# The page: Wasm modules and the guest image staged as static assets, then Vite's build.
PAGE_ASSETS := $(BUILD)/public/assets/tabvm-cpu.wasm $(BUILD)/public/assets/tabvm-virtio-console.wasm \
               $(BUILD)/public/assets/tabvm-virtio-blk.wasm $(BUILD)/public/assets/tabvm-virtio-rng.wasm \
               $(BUILD)/public/assets/tabvm-virtio-net.wasm \
               $(BUILD)/public/assets/Image $(BUILD)/public/assets/initramfs.cpio.gz
$(BUILD)/public/assets/%.wasm: $(BUILD)/wasm/%.wasm
	@mkdir -p $(@D) && cp $< $@
$(BUILD)/public/assets/%: $(BUILD)/guest/%
	@mkdir -p $(@D) && cp $< $@
# The root filesystem images, served beside the bundle at ./images/ (vite.config.js): busybox's
# and Debian's (the page's default; its first build takes about 5 minutes, later ones only when
# guest/debian.pin or the image's own files change).
.PHONY: stage-images
stage-images: $(BUILD)/guest/rootfs.ext4 $(BUILD)/guest/debian.ext4 \
              $(BUILD)/guest/rootfs.ext4.boot-reads.json $(BUILD)/guest/debian.ext4.boot-reads.json
	@scripts/stage-images.sh $(BUILD)/images tiny-disk=$(BUILD)/guest/rootfs.ext4 debian=$(BUILD)/guest/debian.ext4
# What a boot of each image reads, for the page to fetch ahead (docs/storage.md, "Boot prefetch").
$(BUILD)/guest/%.ext4.boot-reads.json: $(BUILD)/guest/%.ext4 $(BUILD)/guest/Image $(BUILD)/wasm/tabvm-cpu.wasm \
                                       $(BUILD)/wasm/tabvm-virtio-console.wasm $(BUILD)/wasm/tabvm-virtio-blk.wasm \
                                       $(BUILD)/wasm/tabvm-virtio-rng.wasm
	@node scripts/record-boot-reads.js $< $@
PAGE_SRCS := $(wildcard ui/* shared/*.js cpu/*.js devices/*/*.js storage/*.js) vite.config.js package-lock.json
$(BUILD)/dist/index.html: $(PAGE_ASSETS) $(PAGE_SRCS)
	npx vite build --logLevel warn

.PHONY: page image
page: $(BUILD)/dist/index.html stage-images

PORT ?= 8080
# The relay the page connects to by default (ui/network.js), started beside it and stopped with it.
RELAY_PORT ?= 8081
run: deps
	@$(MAKE) --no-print-directory -s image wasm page relay
	@echo "TabVM: open http://127.0.0.1:$(PORT)/ (Ctrl-C stops the server and the relay)"
	@$(BUILD)/native/tabvm-relay --listen 127.0.0.1:$(RELAY_PORT) & relay=$$!; \
	    trap 'kill $$relay 2>/dev/null' EXIT INT TERM; \
	    npx vite preview --port $(PORT) --strictPort --host 127.0.0.1

e2e-tests: page relay
	@echo "== Playwright tests in Chromium"
	@cd e2e && npx playwright test
	@echo "== Playwright tests of the disk store in Chromium (real IndexedDB)"
	@npx playwright test -c storage/tests/browser

# The Debian guest under the CLI (python3, dpkg, the clock, persistence in --disk-state); the
# page's Debian tests are in e2e/debian.spec.js.
.PHONY: debian-tests test-debian
test-debian: debian-tests
debian-tests: wasm image image-debian
	@echo "== Debian guest tests (npx tabvm --image debian)"
	@node --test cli/tests-debian/

# The disk store's logic under Node: cache, overlay, sync handshake, HTTP Range streaming
# against a local server (IndexedDB itself is tested in Chromium, in e2e-tests).
storage-tests:
	@echo "== storage tests (Node)"
	@node --test storage/tests/

# Every suite runs even when an earlier one failed; the last line counts suites.
TEST_SUITES := lint unit-tests fuzz-tests isa-tests jit-tests storage-tests net-tests cli-tests bench-tests debian-tests check-stock-kernel e2e-tests
test: deps
	@passed=0; failed=0; failures=""; times=""; \
	for s in $(TEST_SUITES); do \
	    t0=$$(date +%s); \
	    if $(MAKE) --no-print-directory $$s; then passed=$$((passed + 1)); \
	    else failed=$$((failed + 1)); failures="$$failures $$s"; fi; \
	    times="$$times $$s=$$(( $$(date +%s) - t0 ))s"; \
	done; \
	echo "suite times (with their builds):$$times"; \
	[ $$failed -eq 0 ] || echo "failed suites:$$failures"; \
	echo "suites: $$passed passed, $$failed failed"; \
	[ $$failed -eq 0 ]

lint:
	@scripts/lint.sh

clean:
	rm -rf $(BUILD)
