# softfp.mk - soft-float library sources and its unit test (native and ASan/UBSan builds).
# Included by the top-level Makefile, which provides BUILD, CC and the unit-tests target.

SOFTFP_SRCS := cpu/riscv/softfp.c cpu/riscv/softfp_conv.c
SOFTFP_HDRS := cpu/riscv/softfp.h cpu/riscv/softfp_impl.h
SOFTFP_TEST_SRC := cpu/riscv/tests/unit/test_softfp.c

# The test uses the host FPU as its oracle: these flags make every host FP operation happen at
# run time, in the rounding mode the test selects, and never fused or constant-folded.
SOFTFP_TEST_CFLAGS := -std=c11 -O2 -Wall -Wextra -Werror -frounding-math -ffp-contract=off \
                      -fno-builtin
# The sanitizer build also forces the portable (no __int128) multiply used on wasm32.
SOFTFP_ASAN_CFLAGS := $(SOFTFP_TEST_CFLAGS) -O1 -g -fsanitize=address,undefined \
                      -fno-sanitize-recover=all -DSOFTFP_PORTABLE

# Random cases per operation and rounding mode; raise for a longer soak (e.g. 3000000).
SOFTFP_TEST_ITERS ?= 200000
SOFTFP_ASAN_ITERS ?= 50000

$(BUILD)/native/test_softfp: $(SOFTFP_TEST_SRC) $(SOFTFP_SRCS) $(SOFTFP_HDRS)
	@mkdir -p $(@D)
	$(CC) $(SOFTFP_TEST_CFLAGS) -o $@ $(SOFTFP_TEST_SRC) $(SOFTFP_SRCS) -lm

$(BUILD)/asan/test_softfp: $(SOFTFP_TEST_SRC) $(SOFTFP_SRCS) $(SOFTFP_HDRS)
	@mkdir -p $(@D)
	$(CC) $(SOFTFP_ASAN_CFLAGS) -o $@ $(SOFTFP_TEST_SRC) $(SOFTFP_SRCS) -lm

.PHONY: softfp-test softfp-test-asan
softfp-test: $(BUILD)/native/test_softfp
	$< $(SOFTFP_TEST_ITERS)

softfp-test-asan: $(BUILD)/asan/test_softfp
	$< $(SOFTFP_ASAN_ITERS)

unit-tests: softfp-test softfp-test-asan
