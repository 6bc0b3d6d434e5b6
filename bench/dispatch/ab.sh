#!/bin/sh
# Switch against threaded dispatch on the MIPS benchmark (make dispatch-ab): native (gcc, switch;
# clang, threaded) and Wasm under Node (switch; tail calls), interleaved, best user CPU time of
# five runs each. Usage: bench/dispatch/ab.sh BUILD THREADED_BUILD
set -eu
build=$1
threaded=$2
elf=$build/bench/mips.elf
# The Wasm runner takes every module from TABVM_BUILD: the threaded tree borrows the rest.
for f in "$build"/wasm/*.wasm; do
    [ "$(basename "$f")" = tabvm-cpu.wasm ] || ln -sf "$(realpath "$f")" "$threaded/wasm/"
done
best() { sort -n | head -n 1; }
run() { # label command...
    label=$1
    shift
    t=$(for i in 1 2 3 4 5; do
        /usr/bin/time -f %U "$@" 2>&1 >/dev/null | tail -n 1
    done | best)
    n=$("$@" 2>&1 | sed -n 's/.*pass (\([0-9]*\) instructions).*/\1/p')
    echo "$label: $t s user, $(awk "BEGIN { printf \"%.0f\", $n / $t / 1e6 }") MIPS"
}
run "native, switch (gcc)      " "$build/native/tabvm-elf" "$elf"
run "native, threaded (clang)  " "$threaded/native/tabvm-elf" "$elf"
run "Wasm in Node, switch      " node cli/tabvm.js --elf "$elf"
run "Wasm in Node, tail calls  " env TABVM_BUILD="$threaded" node cli/tabvm.js --elf "$elf"
