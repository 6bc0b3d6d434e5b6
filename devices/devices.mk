# devices.mk - native unit tests of the machine's devices: virtio-mmio transport, virtio core and
# console (test_virtio, test_vqueue), virtio-blk (test_blk), virtio-rng (test_rng), virtio-net (test_net), the UART (test_uart), PLIC (test_plic) and the board's device tree (test_fdt,
# which decompiles the blob with dtc from the device-tree-compiler package). Each is built
# plainly and under ASan/UBSan and both are run by `make unit-tests`. Included by the top-level
# Makefile, which provides BUILD, CC, CFLAGS_COMMON, CFLAGS, SAN_FLAGS and CPU_SRCS.

DEV_TEST_DIR := devices/tests
DEV_TESTS := test_virtio test_vqueue test_blk test_rng test_net test_plic test_rtc test_uart test_fdt
DEV_TEST_HDRS := $(wildcard devices/*/*.h shared/*.h cpu/riscv/*.h $(DEV_TEST_DIR)/*.h)

DEV_VIRTIO_SRCS := devices/virtio/virtio_mmio.c devices/virtio/vdev.c \
                   devices/console/virtio_console.c $(DEV_TEST_DIR)/fake_guest.c
DEV_SRCS_test_virtio := $(DEV_TEST_DIR)/test_virtio.c $(DEV_VIRTIO_SRCS)
DEV_SRCS_test_vqueue := $(DEV_TEST_DIR)/test_vqueue.c $(DEV_VIRTIO_SRCS)
DEV_SRCS_test_blk := $(DEV_TEST_DIR)/test_blk.c devices/blk/virtio_blk.c $(DEV_VIRTIO_SRCS)
DEV_SRCS_test_rng := $(DEV_TEST_DIR)/test_rng.c devices/rng/virtio_rng.c $(DEV_VIRTIO_SRCS)
DEV_SRCS_test_net := $(DEV_TEST_DIR)/test_net.c devices/net/virtio_net.c $(DEV_VIRTIO_SRCS)
DEV_SRCS_test_plic := $(DEV_TEST_DIR)/test_plic.c devices/plic/plic.c
DEV_SRCS_test_rtc := $(DEV_TEST_DIR)/test_rtc.c devices/rtc/goldfish_rtc.c
DEV_SRCS_test_uart := $(DEV_TEST_DIR)/test_uart.c devices/uart/uart16550.c
DEV_SRCS_test_fdt := $(DEV_TEST_DIR)/test_fdt.c shared/fdt.c cpu/riscv/rv_virt.c \
                     devices/plic/plic.c devices/virtio/virtio_mmio.c devices/rtc/goldfish_rtc.c \
                     devices/uart/uart16550.c \
                     $(CPU_SRCS)

define DEV_TEST_RULES
$(BUILD)/native/$(1): $$(DEV_SRCS_$(1)) $$(DEV_TEST_HDRS)
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS_COMMON) $$(CFLAGS) -o $$@ $$(DEV_SRCS_$(1))

$(BUILD)/asan/$(1): $$(DEV_SRCS_$(1)) $$(DEV_TEST_HDRS)
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS_COMMON) $$(SAN_FLAGS) -o $$@ $$(DEV_SRCS_$(1))
endef
$(foreach t,$(DEV_TESTS),$(eval $(call DEV_TEST_RULES,$(t))))

# Runs every test program in both builds, then fails if any of them failed.
.PHONY: devices-tests
devices-tests: $(addprefix $(BUILD)/native/,$(DEV_TESTS)) $(addprefix $(BUILD)/asan/,$(DEV_TESTS))
	@fail=0; \
	for kind in native asan; do \
	    echo "== device unit tests, $$kind"; \
	    for t in $(DEV_TESTS); do \
	        printf '%s: ' "$$t"; $(BUILD)/$$kind/$$t || fail=1; \
	    done; \
	done; \
	exit $$fail

unit-tests: devices-tests
