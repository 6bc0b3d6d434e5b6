#!/bin/sh
# qemu-ref.sh ELF - run one ISA test on QEMU's spike machine (the reference).
# QEMU's HTIF exits with status (tohost >> 1) & 0xff: 0 = pass, n = case n
# failed; this wrapper passes that status on and names the failing case.
QEMU=${QEMU_RISCV64:-qemu-system-riscv64}
limit=${ISA_QEMU_TIMEOUT:-20}
timeout "$limit" "$QEMU" -machine spike -bios none -nographic \
    -monitor none -serial none -kernel "$1" </dev/null
rc=$?
case $rc in
    0) ;;
    124) echo "qemu-ref: $1: timeout after ${limit}s" ;;
    *) echo "qemu-ref: $1: FAIL: test $rc" ;;
esac
exit $rc
