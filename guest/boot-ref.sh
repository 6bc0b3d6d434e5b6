#!/bin/bash
# Reference boot check: boot the guest image under qemu-system-riscv64 (with
# QEMU's bundled OpenSBI), wait for the shell prompt, run a command, power off,
# and check that qemu exits by itself.
#
# usage: guest/boot-ref.sh [IMAGE [INITRAMFS]]
#        (defaults: build/guest/Image build/guest/initramfs.cpio.gz)
# Environment: BOOT_TIMEOUT (s, default 120), KEEP_LOG=1 keeps the logs,
#   QEMU_CPU (default: rv64 without Sstc/H/Svpbmt/V, i.e. timer through the SBI
#   TIME extension as under TabVM; QEMU_CPU=rv64 for qemu's full default).
#
# The console is a virtio console (virtio-serial-device on virtio-mmio) on
# qemu's stdio = hvc0, as in TabVM; qemu's UART (which OpenSBI and therefore
# earlycon=sbi write to) goes to a second log file.
set -euo pipefail
# shellcheck source=guest/common.sh
. "$(dirname "$0")/common.sh"
# shellcheck source=guest/qemu-console.sh
. "$GUEST_DIR/qemu-console.sh"
REF_NAME=boot-ref

IMAGE=${1:-build/guest/Image}
INITRD=${2:-build/guest/initramfs.cpio.gz}
TIMEOUT=${BOOT_TIMEOUT:-120}
CMDLINE="console=hvc0 earlycon=sbi"
PROMPT='root@tabvm:~# '
QEMU_CPU=${QEMU_CPU:-rv64,sstc=off,h=off,svpbmt=off,v=off}

need_cmd qemu-system-riscv64 qemu-system-misc
need_cmd timeout coreutils
check_prereqs
[ -f "$IMAGE" ] || die "$IMAGE missing (make image)"
[ -f "$INITRD" ] || die "$INITRD missing (make image)"

qemu_run_dir # TMP, QEMU_PID; removed at exit
mkfifo "$TMP/in"
OUTLOG=$TMP/console.log   # hvc0 (virtio console)
SERLOG=$TMP/serial.log    # UART: OpenSBI banner + earlycon

start=$(date +%s.%N)
timeout --foreground -k 5 "$TIMEOUT" \
	qemu-system-riscv64 -machine virt -cpu "$QEMU_CPU" -m 256M -nographic -no-reboot \
	-bios default -kernel "$IMAGE" -initrd "$INITRD" -append "$CMDLINE" \
	-device virtio-serial-device -device virtconsole,chardev=c0 \
	-chardev stdio,id=c0,signal=off \
	-serial "file:$SERLOG" -monitor none \
	<"$TMP/in" >"$OUTLOG" 2>&1 &
QEMU_PID=$!
exec 3>"$TMP/in" # keep qemu's stdin open


wait_for "$PROMPT" "$TIMEOUT"
t_prompt=$(elapsed "$start")
echo "boot-ref: prompt after ${t_prompt}s"

printf 'uname -m; echo ok-$((6*7))\n' >&3
wait_for "ok-42" 30
tr -d '\r' <"$OUTLOG" | grep -qx 'riscv64' || fail "uname -m did not print riscv64"
wait_for "$PROMPT" 30 2

printf 'poweroff\n' >&3
t0=$(date +%s)
rc=0
wait "$QEMU_PID" || rc=$?
QEMU_PID=
[ "$rc" != 124 ] && [ "$rc" != 137 ] || fail "qemu did not exit after poweroff (timeout)"
[ "$rc" = 0 ] || fail "qemu exited with status $rc"
# (the kernel's own "reboot: Power down" is usually lost: the virtio console is
# already shut down when it is printed)
grep -aq 'Requesting system poweroff' "$OUTLOG" || fail "busybox init did not request the poweroff"
echo "boot-ref: OK (prompt ${t_prompt}s, poweroff $(($(date +%s) - t0))s, total $(elapsed "$start")s)"
