#!/bin/sh
# run-isa.sh RUNNER ELF... - run TabVM ISA test ELFs and summarise.
#
# RUNNER is one shell word list (e.g. "build/native/tabvm-elf --timeout 10");
# each ELF is run as `RUNNER ELF`.  Exit status 0 means pass, anything else
# fails (with qemu-ref.sh the status is the failing case number).  Every run is
# also bounded by ISA_TIMEOUT seconds (default 30) when timeout(1) exists.
# Prints one line per test (a failure shows the runner's last output line)
# and finally exactly "N passed, M failed".
# Exit status: 0 if all passed, 1 otherwise, 2 on usage error.

if [ $# -lt 1 ]; then
    echo "usage: $0 RUNNER ELF..." >&2
    exit 2
fi
runner=$1
shift

limit=${ISA_TIMEOUT:-30}
if command -v timeout >/dev/null 2>&1; then
    guard="timeout $limit"
else
    guard=""
fi

pass=0
fail=0
for elf in "$@"; do
    name=$(basename "$elf" .elf)
    if [ ! -f "$elf" ]; then
        echo "FAIL $name (missing $elf)"
        fail=$((fail + 1))
        continue
    fi
    # shellcheck disable=SC2086
    out=$($guard $runner "$elf" </dev/null 2>&1)
    rc=$?
    last=$(printf '%s\n' "$out" | tail -n 1)
    if [ $rc -eq 0 ]; then
        echo "PASS $name"
        pass=$((pass + 1))
    elif [ $rc -eq 124 ] && [ -n "$guard" ]; then
        echo "FAIL $name (timed out)${last:+: $last}"
        fail=$((fail + 1))
    else
        echo "FAIL $name (exit status $rc)${last:+: $last}"
        fail=$((fail + 1))
    fi
done

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
