# unit.mk - C unit tests of the RISC-V core beyond soft-float (native and ASan/UBSan builds).
# Included by the top-level Makefile, which provides BUILD, CC, CFLAGS_COMMON, SAN_FLAGS,
# CPU_SRCS and the unit-tests target.
#   test_sbi: the emulator's SBI (base extension, debug console) driven by ecalls from S-mode
#   test_fpu_fast: the binary64 fast paths on host doubles give softfp's bits and flags

CPU_UNIT_TESTS := test_sbi test_fpu_fast

define cpu_unit_test
$(BUILD)/native/$(1): cpu/riscv/tests/unit/$(1).c $(CPU_SRCS) $(CPU_HDRS)
	@mkdir -p $$(@D)
	$(CC) $(CFLAGS_COMMON) $(CFLAGS) -o $$@ cpu/riscv/tests/unit/$(1).c $(CPU_SRCS)
$(BUILD)/asan/$(1): cpu/riscv/tests/unit/$(1).c $(CPU_SRCS) $(CPU_HDRS)
	@mkdir -p $$(@D)
	$(CC) $(CFLAGS_COMMON) $(SAN_FLAGS) -o $$@ cpu/riscv/tests/unit/$(1).c $(CPU_SRCS)
endef
$(foreach t,$(CPU_UNIT_TESTS),$(eval $(call cpu_unit_test,$(t))))

.PHONY: cpu-unit-tests
cpu-unit-tests: $(addprefix $(BUILD)/native/,$(CPU_UNIT_TESTS)) $(addprefix $(BUILD)/asan/,$(CPU_UNIT_TESTS))
	@for t in $(CPU_UNIT_TESTS); do $(BUILD)/native/$$t && $(BUILD)/asan/$$t || exit 1; done

unit-tests: cpu-unit-tests
