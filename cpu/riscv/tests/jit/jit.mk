# jit.mk - differential testing of the JIT against the interpreter (included by the top-level
# Makefile; cpu/riscv/tests/jit/README.md).
#
#   make jit-tests     the ISA and SMC tests and JIT_TEST_SEEDS random programs through diff.js
#   make jit-fuzz      JIT_FUZZ_SEEDS random programs from JIT_FUZZ_START (a long run)
#   make jit-smc-ref   the SMC tests on the reference (QEMU), as make isa-ref
#
# Needs ISA_CC, ISA_FLAGS, ISA_DIR and ISA_ELFS from isa.mk.

JIT_DIR := cpu/riscv/tests/jit
JIT_SMC_ELFS := $(patsubst $(JIT_DIR)/%.S,$(BUILD)/jit/%.elf,$(sort $(wildcard $(JIT_DIR)/*.S)))
JIT_THRESHOLD ?= 2
JIT_TEST_SEEDS ?= 100
JIT_FUZZ_SEEDS ?= 5000
JIT_FUZZ_START ?= 1000
# A generated program for the self-test, whose loop counter (s10) the injected fault hits.
JIT_SELFTEST_ELF := $(BUILD)/jit/fuzz-seed-7.elf

$(BUILD)/jit/%.elf: $(JIT_DIR)/%.S $(ISA_DIR)/test.h $(ISA_DIR)/link.ld
	@mkdir -p $(@D)
	$(ISA_CC) $(ISA_FLAGS) -o $@ $<

$(BUILD)/jit/fuzz-seed-%.elf: $(JIT_DIR)/gen.js $(ISA_DIR)/link.ld
	@mkdir -p $(@D)
	@node $(JIT_DIR)/gen.js $* > $(BUILD)/jit/fuzz-seed-$*.s
	$(ISA_CC) $(ISA_FLAGS) -o $@ $(BUILD)/jit/fuzz-seed-$*.s

.PHONY: jit-tests jit-fuzz jit-smc-ref
# Every step runs even when one before it failed; the target fails if any did.
jit-tests: $(BUILD)/wasm/tabvm-cpu.wasm $(BUILD)/native/tabvm-elf $(ISA_ELFS) $(JIT_SMC_ELFS) $(JIT_SELFTEST_ELF)
	@s=0; \
	echo "== JIT tests: the SMC tests as ISA tests, on the native interpreter"; \
	$(ISA_DIR)/run-isa.sh "$(BUILD)/native/tabvm-elf --quiet --timeout 20" $(JIT_SMC_ELFS) || s=1; \
	echo "== JIT against the interpreter: ISA and SMC tests (diff.js, threshold $(JIT_THRESHOLD))"; \
	node $(JIT_DIR)/diff.js --quiet --threshold $(JIT_THRESHOLD) $(ISA_ELFS) $(JIT_SMC_ELFS) || s=1; \
	echo "== diff.js finds injected faults (a register, a byte of RAM)"; \
	node $(JIT_DIR)/diff.js --quiet --inject x26@3000 --expect-divergence 'x26(' $(JIT_SELFTEST_ELF) || s=1; \
	node $(JIT_DIR)/diff.js --quiet --inject ram:0x80100000@3000 --expect-divergence 'RAM 0x80100000' \
	    $(BUILD)/jit/smc_rewrite.elf || s=1; \
	echo "== JIT against the interpreter: $(JIT_TEST_SEEDS) random programs (fuzz.js)"; \
	node $(JIT_DIR)/fuzz.js --seeds $(JIT_TEST_SEEDS) --threshold $(JIT_THRESHOLD) || s=1; \
	exit $$s

jit-fuzz: $(BUILD)/wasm/tabvm-cpu.wasm
	@node $(JIT_DIR)/fuzz.js --seeds $(JIT_FUZZ_SEEDS) --start $(JIT_FUZZ_START) --threshold $(JIT_THRESHOLD)

jit-smc-ref: $(JIT_SMC_ELFS)
	@$(ISA_DIR)/run-isa.sh $(ISA_DIR)/qemu-ref.sh $(JIT_SMC_ELFS)
