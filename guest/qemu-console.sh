# Helpers of the QEMU reference boots (boot-ref.sh, boot-ref-disk.sh, boot-ref-debian.sh),
# sourced after common.sh. They read what the caller sets: REF_NAME (for messages), OUTLOG
# (the hvc0 log), SERLOG (the serial log, may be empty), QEMU_PID, fd 3 (qemu's stdin) and
# RUN_SECONDS (how long run waits).
# shellcheck shell=bash

# elapsed START: seconds since START (a `date +%s.%N` value), one decimal.
elapsed() { echo "$(date +%s.%N) $1" | awk '{ printf "%.1f", $1 - $2 }'; }

# fail MESSAGE: prints it with the end of both logs and exits 1.
fail() {
	echo "$REF_NAME: FAIL: $*" >&2
	if [ -n "${SERLOG:-}" ]; then
		echo "---- serial (OpenSBI/earlycon) ----" >&2; tail -n 30 "$SERLOG" >&2 || true
		echo "---- console (hvc0) ----" >&2; tail -n 40 "$OUTLOG" | tr -d '\r' >&2 || true
	fi
	exit 1
}

# wait_for <fixed string> <seconds> [count]: until the console log contains it (at least
# count times, default 1); fails if qemu exits or time runs out first.
wait_for() {
	local deadline=$(($(date +%s) + $2)) n=${3:-1}
	until [ "$(tr -d '\r' <"$OUTLOG" | grep -aoF -- "$1" | wc -l)" -ge "$n" ]; do
		kill -0 "$QEMU_PID" 2>/dev/null || fail "qemu exited while waiting for '$1'"
		[ "$(date +%s)" -lt "$deadline" ] || fail "timeout waiting for '$1'"
		sleep 0.1
	done
}

# run <command> <marker>: types the command, waits (RUN_SECONDS, default 60) for the marker.
# (The console echoes what is typed: the command must print the marker without containing
# it, e.g. echo done""-1.)
run() {
	printf '%s\n' "$1" >&3
	wait_for "$2" "${RUN_SECONDS:-60}"
}
