#!/bin/bash
# Reference boot check of the disk root: boot the guest kernel under
# qemu-system-riscv64 with a COPY of rootfs.ext4 as its root disk (virtio-blk,
# root=/dev/vda, no initrd) and check that the disk persists and stays clean:
#
#   boot 1: prompt; / is ext4 on /dev/vda, read-write; write a file in /root,
#           sync, poweroff (qemu must exit by itself)       -> e2fsck -fn clean
#   boot 2: prompt; the file is still there; a blank second disk (/dev/vdb)
#           is formatted with busybox mke2fs, mounted, written, unmounted;
#           poweroff                                        -> e2fsck -fn clean
#           (both the root disk and the new data disk)
#
# usage: guest/boot-ref-disk.sh [IMAGE [ROOTFS_EXT4]]
#        (defaults: build/guest/Image build/guest/rootfs.ext4; never modified)
# Environment: BOOT_TIMEOUT (s, default 120), KEEP_LOG=1 keeps the logs and the
#   disk copies, QEMU_CPU as in boot-ref.sh, DISK_CMDLINE (default
#   "console=hvc0 earlycon=sbi root=/dev/vda rw").
set -euo pipefail
# shellcheck source=guest/common.sh
. "$(dirname "$0")/common.sh"
# shellcheck source=guest/qemu-console.sh
. "$GUEST_DIR/qemu-console.sh"
REF_NAME=boot-ref-disk

IMAGE=${1:-build/guest/Image}
DISK=${2:-build/guest/rootfs.ext4}
TIMEOUT=${BOOT_TIMEOUT:-120}
CMDLINE=${DISK_CMDLINE:-console=hvc0 earlycon=sbi root=/dev/vda rw}
PROMPT='root@tabvm:~# '
QEMU_CPU=${QEMU_CPU:-rv64,sstc=off,h=off,svpbmt=off,v=off}

need_cmd qemu-system-riscv64 qemu-system-misc
need_cmd timeout coreutils
need_cmd e2fsck e2fsprogs
need_cmd dumpe2fs e2fsprogs
check_prereqs
[ -f "$IMAGE" ] || die "$IMAGE missing (make image)"
[ -f "$DISK" ] || die "$DISK missing (make image)"

qemu_run_dir # TMP, QEMU_PID; removed at exit
cp --sparse=always "$DISK" "$TMP/root.ext4"
truncate -s 64M "$TMP/data.img" # blank (all zeros) data disk
SERLOG=

# boot N: starts qemu (boot number N) with the root disk and the data disk.
boot() {
	OUTLOG=$TMP/console$1.log SERLOG=$TMP/serial$1.log
	rm -f "$TMP/in"
	mkfifo "$TMP/in"
	START=$(date +%s.%N)
	timeout --foreground -k 5 "$TIMEOUT" \
		qemu-system-riscv64 -machine virt -cpu "$QEMU_CPU" -m 256M -nographic -no-reboot \
		-bios default -kernel "$IMAGE" -append "$CMDLINE" \
		-device virtio-serial-device -device virtconsole,chardev=c0 \
		-chardev stdio,id=c0,signal=off \
		-drive "file=$TMP/root.ext4,format=raw,if=none,id=d0" -device virtio-blk-device,drive=d0 \
		-drive "file=$TMP/data.img,format=raw,if=none,id=d1" -device virtio-blk-device,drive=d1 \
		-serial "file:$SERLOG" -monitor none \
		<"$TMP/in" >"$OUTLOG" 2>&1 &
	QEMU_PID=$!
	exec 3>"$TMP/in" # keep qemu's stdin open
	wait_for "$PROMPT" "$TIMEOUT"
	T_PROMPT=$(elapsed "$START")
}
# poweroff: qemu must exit by itself, with status 0, after a clean shutdown.
poweroff() {
	local t0 rc=0
	t0=$(date +%s.%N)
	printf 'poweroff\n' >&3
	wait "$QEMU_PID" || rc=$?
	QEMU_PID=
	exec 3>&-
	[ "$rc" != 124 ] && [ "$rc" != 137 ] || fail "qemu did not exit after poweroff (timeout)"
	[ "$rc" = 0 ] || fail "qemu exited with status $rc"
	grep -aq 'Requesting system poweroff' "$OUTLOG" || fail "busybox init did not request the poweroff"
	T_OFF=$(elapsed "$t0")
}
# fsck <image> <what>: e2fsck -fn must find nothing to fix, and the file
# system must have been left clean (unmounted or read-only, no journal to replay).
fsck() {
	e2fsck -fn "$1" >"$TMP/fsck.log" 2>&1 || { cat "$TMP/fsck.log" >&2; fail "e2fsck -fn: $2 is not clean"; }
	dumpe2fs -h "$1" >"$TMP/dumpe2fs.log" 2>&1 || fail "dumpe2fs -h failed on $2"
	grep -q '^Filesystem state: *clean$' "$TMP/dumpe2fs.log" || fail "$2: state is not 'clean'"
	! grep -q '^Filesystem features:.*needs_recovery' "$TMP/dumpe2fs.log" || fail "$2: the journal needs recovery"
}

# A token that cannot come from an earlier run of this check.
TOKEN=persist-$$-$RANDOM

# ---- boot 1 -------------------------------------------------------------------
boot 1
echo "boot-ref-disk: boot 1: prompt after ${T_PROMPT}s"
# shellcheck disable=SC2016 # (expanded by the guest's shell)
run 'set -- $(grep " / " /proc/mounts); echo "root=$1 $3 ${4%%,*}" end""-1' end-1
tr -d '\r' <"$OUTLOG" | grep -aq '^root=/dev/root ext4 rw end-1' ||
	fail "/ is not a read-write ext4 (expected 'root=/dev/root ext4 rw')"
run "echo $TOKEN >/root/persist.txt && sync && echo wrote\"\"-ok" wrote-ok
poweroff
echo "boot-ref-disk: boot 1: poweroff ${T_OFF}s"
fsck "$TMP/root.ext4" "the root disk after boot 1"
echo "boot-ref-disk: e2fsck -fn clean after boot 1"

# ---- boot 2 -------------------------------------------------------------------
boot 2
echo "boot-ref-disk: boot 2: prompt after ${T_PROMPT}s"
# shellcheck disable=SC2016
run 'echo "got-$(cat /root/persist.txt)"' "got-persist"
tr -d '\r' <"$OUTLOG" | grep -aqx "got-$TOKEN" || fail "/root/persist.txt did not persist"
echo "boot-ref-disk: /root/persist.txt persisted"
# A blank data disk: format (busybox mke2fs: ext2), mount, write, unmount.
# (then mounted again without -t: the type is detected)
run 'mke2fs /dev/vdb >/dev/null && mount -t ext2 /dev/vdb /mnt && echo hello >/mnt/f && umount /mnt && mount /dev/vdb /mnt && grep -q hello /mnt/f && umount /mnt && echo data""-ok' data-ok
poweroff
echo "boot-ref-disk: boot 2: poweroff ${T_OFF}s"
fsck "$TMP/root.ext4" "the root disk after boot 2"
fsck "$TMP/data.img" "the data disk made by busybox mke2fs"
echo "boot-ref-disk: OK (root disk and data disk e2fsck-clean)"
