#!/bin/sh
# One benchmark workload, timed by the clock of the system it runs on (bench/README.md). The
# same script runs in every guest (busybox ash, from /bench) and on the host (busybox sh, from
# build/bench/host): what differs between systems is only the machine under it.
#
# usage: run.sh WORKLOAD
# prints: BENCH-RESULT WORKLOAD T0_NS T1_NS STATUS CHECK
#   T0/T1 from ./now (CLOCK_MONOTONIC, ns), read just before and after the work, so boot, the
#   command channel and typing the command are not counted; CHECK is what the harness compares
#   with the reference (the digits' md5 for bc, the last output line otherwise).
# BENCH_CONSOLE: where `seq` writes (default /dev/console, the guest's console).
B=$(dirname "$0")
CONSOLE=${BENCH_CONSOLE:-/dev/console}
out=/tmp/bench-out.$$
case $1 in
bc) work() { echo "scale=1000; 4*a(1)" | bc -l; } ;;
int) work() { "$B/intbench"; } ;;
fp) work() { "$B/fpbench"; } ;;
forkexec) work() {
	i=0
	while [ $i -lt 300 ]; do
		"$B/true" || return 1
		i=$((i + 1))
	done
	echo "$i"
} ;;
dd) work() { dd if=/dev/zero bs=1M count=64 2>/dev/null | gzip | wc -c; } ;;
seq) work() { seq 1 30000 >"$CONSOLE" && echo 30000; } ;;
*)
	echo "run.sh: unknown workload '$1'" >&2
	exit 2
	;;
esac
t0=$("$B/now")
work >"$out" 2>&1
rc=$?
t1=$("$B/now")
if [ "$1" = bc ]; then
	# bc breaks lines with a backslash at 70 columns: compare the digits only
	check=$(tr -d '\\\n' <"$out" | md5sum | cut -d' ' -f1)
else
	check=$(tail -n 1 "$out" | tr -c '0-9A-Za-z.\n-' _)
fi
rm -f "$out"
echo "BENCH-RESULT $1 $t0 $t1 $rc $check"
