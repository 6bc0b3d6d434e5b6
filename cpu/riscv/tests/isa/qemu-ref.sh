#!/bin/sh
# qemu-ref.sh ELF - run one ISA test on QEMU's spike machine (the reference).
# QEMU's HTIF exits with status (tohost >> 1) & 0xff: 0 = pass, n = case n failed.
QEMU=${QEMU_RISCV64:-qemu-system-riscv64}
exec timeout "${ISA_QEMU_TIMEOUT:-20}" "$QEMU" -machine spike -bios none \
    -nographic -monitor none -serial none -kernel "$1" </dev/null
