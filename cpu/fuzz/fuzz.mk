# fuzz.mk - libFuzzer targets (Debian's clang, its libclang-rt runtime) of everything a guest or
# a file controls: the interpreter on any code (cpu/fuzz/fuzz_exec.c), the ELF loader
# (cpu/fuzz/fuzz_elf.c), the board's kernel and initramfs checks (cpu/fuzz/fuzz_boot.c), and
# the virtio transport with the console, block, entropy and network devices (devices/fuzz/fuzz_virtio.c). Each is built with ASan and UBSan. Included by the top-level
# Makefile, which provides BUILD and CPU_SRCS.
#
#   make fuzz-tests          each target for FUZZ_TEST_SECONDS (default 10) from its committed
#                            corpus: part of `make test`; a crash fails it and leaves the input
#                            in build/fuzz/
#   make fuzz                each target for FUZZ_SECONDS (default 600); new inputs collect in
#                            build/fuzz/corpus/NAME (merge good ones into the committed corpus
#                            with `make fuzz-merge`)

FUZZ_CC := clang
FUZZ_FLAGS := -std=c11 -g -O1 -D_DEFAULT_SOURCE -fsanitize=fuzzer,address,undefined \
              -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_TARGETS := fuzz_exec fuzz_elf fuzz_boot fuzz_virtio
FUZZ_SRCS_fuzz_exec := cpu/fuzz/fuzz_exec.c $(CPU_SRCS)
FUZZ_SRCS_fuzz_elf := cpu/fuzz/fuzz_elf.c shared/elf_load.c
FUZZ_SRCS_fuzz_boot := cpu/fuzz/fuzz_boot.c cpu/riscv/rv_virt.c devices/plic/plic.c devices/virtio/virtio_mmio.c \
                       devices/rtc/goldfish_rtc.c devices/uart/uart16550.c shared/fdt.c $(CPU_SRCS)
FUZZ_SRCS_fuzz_virtio := devices/fuzz/fuzz_virtio.c devices/virtio/virtio_mmio.c devices/virtio/vdev.c devices/rng/virtio_rng.c \
                         devices/net/virtio_net.c \
                         devices/console/virtio_console.c devices/blk/virtio_blk.c devices/tests/fake_guest.c
FUZZ_CORPUS_fuzz_exec := cpu/fuzz/corpus/exec
FUZZ_CORPUS_fuzz_elf := cpu/fuzz/corpus/elf
FUZZ_CORPUS_fuzz_boot := cpu/fuzz/corpus/boot
FUZZ_CORPUS_fuzz_virtio := devices/fuzz/corpus/virtio
FUZZ_TEST_SECONDS ?= 10
FUZZ_SECONDS ?= 600
FUZZ_HDRS := $(wildcard cpu/riscv/*.h shared/*.h devices/*/*.h)

define FUZZ_RULES
$(BUILD)/fuzz/$(1): $$(FUZZ_SRCS_$(1)) $$(FUZZ_HDRS)
	@mkdir -p $$(@D)
	$$(FUZZ_CC) $$(FUZZ_FLAGS) -o $$@ $$(FUZZ_SRCS_$(1))
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call FUZZ_RULES,$(t))))

# Runs target $(1) for $(2) seconds: new inputs go to build/fuzz/corpus (the committed corpus is
# only read), a crash's input to build/fuzz/crash-*.
fuzz_run = mkdir -p $(BUILD)/fuzz/corpus/$(1) && \
    $(BUILD)/fuzz/$(1) -max_total_time=$(2) -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix=$(BUILD)/fuzz/$(1)- $(BUILD)/fuzz/corpus/$(1) $(FUZZ_CORPUS_$(1)) \
        >$(BUILD)/fuzz/$(1).log 2>&1 \
    && printf '%s: %s runs, %s, no findings\n' $(1) \
        "$$(sed -n 's/^stat::number_of_executed_units: *//p' $(BUILD)/fuzz/$(1).log)" \
        "$$(grep -o 'cov: [0-9]*' $(BUILD)/fuzz/$(1).log | tail -1)" \
    || { tail -40 $(BUILD)/fuzz/$(1).log; echo "$(1): FAILED (log: $(BUILD)/fuzz/$(1).log)"; false; }

.PHONY: fuzz-tests fuzz fuzz-merge
fuzz-tests: $(addprefix $(BUILD)/fuzz/,$(FUZZ_TARGETS))
	@echo "== fuzz targets, $(FUZZ_TEST_SECONDS) s each, from the committed corpus"
	@fail=0; for t in $(FUZZ_TARGETS); do $(MAKE) --no-print-directory -s fuzz-run-$$t FUZZ_RUN_SECONDS=$(FUZZ_TEST_SECONDS) || fail=1; done; exit $$fail
fuzz: $(addprefix $(BUILD)/fuzz/,$(FUZZ_TARGETS))
	@fail=0; for t in $(FUZZ_TARGETS); do $(MAKE) --no-print-directory -s fuzz-run-$$t FUZZ_RUN_SECONDS=$(FUZZ_SECONDS) || fail=1; done; exit $$fail
$(addprefix fuzz-run-,$(FUZZ_TARGETS)): fuzz-run-%: $(BUILD)/fuzz/%
	@$(call fuzz_run,$*,$(FUZZ_RUN_SECONDS))
# Minimises what `make fuzz` found into the committed corpus (review before committing).
fuzz-merge: $(addprefix $(BUILD)/fuzz/,$(FUZZ_TARGETS))
	@$(foreach t,$(FUZZ_TARGETS),$(BUILD)/fuzz/$(t) -merge=1 $(FUZZ_CORPUS_$(t)) $(BUILD)/fuzz/corpus/$(t) \
	    >$(BUILD)/fuzz/$(t)-merge.log 2>&1 && echo "$(t): $$(ls $(FUZZ_CORPUS_$(t)) | wc -l) inputs in $(FUZZ_CORPUS_$(t))";)
