#!/bin/bash
# Reference boot check of the Debian image: boot the guest kernel under
# qemu-system-riscv64 with a COPY of debian.ext4 as its root disk (virtio-blk,
# root=/dev/vda rw, no initrd), then
#   prompt "root@tabvm:~# " (time to prompt printed); / is ext4 rw; hostname
#   tabvm; python3 (json, sqlite3, hashlib); dpkg -l has every pinned package
#   "ii"; dpkg --audit and apt-get check are quiet; /etc/os-release names
#   Debian; date +%Y is this year (goldfish RTC); poweroff (qemu must exit by
#   itself, status 0); e2fsck -fn clean, state clean.
#
# usage: guest/boot-ref-debian.sh [IMAGE [DEBIAN_EXT4]]
#        (defaults: build/guest/Image build/guest/debian.ext4; never modified)
# Environment: BOOT_TIMEOUT (s, default 180), KEEP_LOG=1, QEMU_CPU as in
#   boot-ref.sh, QEMU_MEM (default 256M, as under TabVM).
set -euo pipefail
# shellcheck source=guest/common.sh
. "$(dirname "$0")/common.sh"
# shellcheck source=guest/qemu-console.sh
. "$GUEST_DIR/qemu-console.sh"
REF_NAME=boot-ref-debian

IMAGE=${1:-build/guest/Image}
DISK=${2:-build/guest/debian.ext4}
TIMEOUT=${BOOT_TIMEOUT:-180}
PROMPT='root@tabvm:~# '
QEMU_CPU=${QEMU_CPU:-rv64,sstc=off,h=off,svpbmt=off,v=off}
PIN=$GUEST_DIR/debian.pin

need_cmd qemu-system-riscv64 qemu-system-misc
need_cmd timeout coreutils
need_cmd e2fsck e2fsprogs
need_cmd dumpe2fs e2fsprogs
check_prereqs
[ -f "$IMAGE" ] || die "$IMAGE missing (make image)"
[ -f "$DISK" ] || die "$DISK missing (make image-debian)"

qemu_run_dir # TMP, QEMU_PID; removed at exit
cp --sparse=always "$DISK" "$TMP/root.ext4"
OUTLOG=$TMP/console.log SERLOG=$TMP/serial.log

RUN_SECONDS=120
out() { tr -d '\r' <"$OUTLOG"; }

mkfifo "$TMP/in"
START=$(date +%s.%N)
timeout --foreground -k 5 "$TIMEOUT" \
	qemu-system-riscv64 -machine virt -cpu "$QEMU_CPU" -m "${QEMU_MEM:-256M}" -nographic -no-reboot \
	-bios default -kernel "$IMAGE" -append "console=hvc0 earlycon=sbi root=/dev/vda rw" \
	-device virtio-serial-device -device virtconsole,chardev=c0 \
	-chardev stdio,id=c0,signal=off \
	-drive "file=$TMP/root.ext4,format=raw,if=none,id=d0" -device virtio-blk-device,drive=d0 \
	-serial "file:$SERLOG" -monitor none \
	<"$TMP/in" >"$OUTLOG" 2>&1 &
QEMU_PID=$!
exec 3>"$TMP/in"
wait_for "$PROMPT" "$TIMEOUT"
echo "boot-ref-debian: prompt after $(elapsed "$START")s"
out | grep -aq '^TabVM guest: Debian GNU/Linux' || fail "no 'TabVM guest: Debian GNU/Linux' banner"

# shellcheck disable=SC2016 # (expanded by the guest's shell)
run 'set -- $(grep " / " /proc/mounts); shopt -q login_shell && l=login; echo "root=$1 $3 ${4%%,*} host=$(hostname) sh=$l-$BASH" end""-1' end-1
out | grep -aq '^root=/dev/root ext4 rw host=tabvm sh=login-/bin/bash end-1' ||
	fail "expected '/ ext4 rw, hostname tabvm, login bash'"

want=$(printf '[1]' | sha256sum | cut -c1-8)
t0=$(date +%s.%N)
run "python3 -c 'import json, sqlite3, hashlib; print(\"py\" + \"-\" + hashlib.sha256(json.dumps([1]).encode()).hexdigest()[:8])'" "py-"
out | grep -aqx "py-$want" || fail "python3 did not print py-$want"
echo "boot-ref-debian: python3 json/sqlite3/hashlib ok ($(elapsed "$t0")s)"

npin=$(grep -c '^pkg ' "$PIN")
# shellcheck disable=SC2016
run 'echo "i""i-$(dpkg -l | grep -c ^ii)"' "ii-"
out | grep -aqx "ii-$npin" || fail "dpkg -l does not list $npin packages as ii"
echo "boot-ref-debian: dpkg -l: $npin packages ii"
# shellcheck disable=SC2016
run 'a=$(dpkg --audit 2>&1); c=$(apt-get check -q 2>&1 | grep -v "^Reading\|^Building"); echo "audit=[$a] check=[$c] done""-2"' done-2
out | grep -aq '^audit=\[\] check=\[\] done-2' || fail "dpkg --audit or apt-get check complained"

run 'cat /etc/os-release; echo os""-done' os-done
out | grep -aqx 'ID=debian' || fail "/etc/os-release does not say ID=debian"
out | grep -aq '^PRETTY_NAME="Debian GNU/Linux' || fail "/etc/os-release: no PRETTY_NAME Debian GNU/Linux"
# shellcheck disable=SC2016
run 'echo "ye""ar-$(date +%Y)"' "year-"
out | grep -aqx "year-$(date +%Y)" || fail "the guest's year is not $(date +%Y) (RTC?)"
echo "boot-ref-debian: os-release Debian, date ok"

t0=$(date +%s.%N)
printf 'poweroff\n' >&3
rc=0
wait "$QEMU_PID" || rc=$?
QEMU_PID=
exec 3>&-
[ "$rc" != 124 ] && [ "$rc" != 137 ] || fail "qemu did not exit after poweroff (timeout)"
[ "$rc" = 0 ] || fail "qemu exited with status $rc"
echo "boot-ref-debian: poweroff $(elapsed "$t0")s"
e2fsck -fn "$TMP/root.ext4" >"$TMP/fsck.log" 2>&1 || { cat "$TMP/fsck.log" >&2; fail "e2fsck -fn: not clean"; }
dumpe2fs -h "$TMP/root.ext4" 2>/dev/null | grep -q '^Filesystem state: *clean$' || fail "state is not 'clean'"
! dumpe2fs -h "$TMP/root.ext4" 2>/dev/null | grep -q '^Filesystem features:.*needs_recovery' || fail "journal needs recovery"
echo "boot-ref-debian: OK (e2fsck -fn clean)"
