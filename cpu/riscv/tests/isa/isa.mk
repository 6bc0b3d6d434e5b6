# isa.mk - TabVM bare-metal ISA test suite (included by the top-level Makefile).
#
#   make isa       build $(BUILD)/isa/NAME.elf for every cpu/riscv/tests/isa/NAME.S
#   make isa-ref   run them all on the reference (QEMU spike machine)
#
# Variables: BUILD (default build), ISA_CROSS (cross prefix),
# ISA_REF_EXCLUDE (tests skipped on the reference, see README.md).

BUILD ?= build

ISA_DIR   := cpu/riscv/tests/isa
ISA_CROSS ?= riscv64-linux-gnu-
ISA_CC    := $(ISA_CROSS)gcc
ISA_FLAGS := -march=rv64gc -mabi=lp64d -nostdlib -nostartfiles -static \
             -Wl,--build-id=none -Wl,--no-warn-rwx-segments \
             -I$(ISA_DIR) -T $(ISA_DIR)/link.ld

ISA_SRCS  := $(sort $(wildcard $(ISA_DIR)/*.S))
ISA_NAMES := $(patsubst $(ISA_DIR)/%.S,%,$(ISA_SRCS))
ISA_ELFS  := $(patsubst %,$(BUILD)/isa/%.elf,$(ISA_NAMES))

# Tests whose expectations follow the spec where QEMU 7.2 deviates from it.
ISA_REF_EXCLUDE ?= rv64a_faults csr_ro_write counters_time priv_xret_mprv interrupts_priority
ISA_REF_ELFS := $(filter-out $(patsubst %,$(BUILD)/isa/%.elf,$(ISA_REF_EXCLUDE)),$(ISA_ELFS))

$(BUILD)/isa/%.elf: $(ISA_DIR)/%.S $(ISA_DIR)/test.h $(ISA_DIR)/sv39_fixture.h $(ISA_DIR)/link.ld
	@mkdir -p $(@D)
	$(ISA_CC) $(ISA_FLAGS) -o $@ $<

.PHONY: isa isa-ref
isa: $(ISA_ELFS)

isa-ref: $(ISA_ELFS)
	@for t in $(ISA_REF_EXCLUDE); do echo "SKIP $$t (reference-excluded)"; done
	@$(ISA_DIR)/run-isa.sh $(ISA_DIR)/qemu-ref.sh $(ISA_REF_ELFS)
