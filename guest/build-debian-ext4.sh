#!/bin/bash
# Build the TabVM Debian guest's root filesystem image, build/guest/debian.ext4,
# from the packages of guest/debian.pin, without root privileges, loop devices
# or binfmt (see guest/README.md, "The Debian image").
#
# usage: guest/build-debian-ext4.sh OUTDIR
# Needs: OUTDIR/debian-debs/ (fetch-debian.sh), OUTDIR/Image (the guest kernel,
#        make image), e2fsprogs 1.47, qemu-system-riscv64 (qemu-system-misc)
# Result: OUTDIR/debian.ext4 (sparse, DEBIAN_SIZE apparent, default 2G),
#         OUTDIR/debian.ext4.log (the configure boot's console) and
#         OUTDIR/debian.ext4.inputs (hash of what it was built from: a build
#         that finds the same hash does nothing; builds take turns, flock)
#
# 1. host: the "base" packages (the Priority: required closure) are unpacked
#    with dpkg-deb into a tree (like debootstrap's first stage),
#    guest/debian-rootfs/ goes on top, plus /tabvm-install
#    (guest/debian-install.sh); `mke2fs -d` makes the image. A second, small
#    ext4 image holds every pinned .deb and a Packages index.
# 2. the configure boot: qemu-system-riscv64 boots OUTDIR/Image with the image
#    as root and init=/tabvm-install, which installs everything with dpkg and
#    apt (maintainer scripts included; debootstrap's second stage), checks the
#    dpkg database against the pin and powers off.
# 3. host: e2fsck -fn must find the image clean; it is copied sparse.
set -euo pipefail
# shellcheck source=guest/common.sh
. "$(dirname "$0")/common.sh"
# shellcheck source=guest/apt-private.sh
. "$GUEST_DIR/apt-private.sh"

[ $# -eq 1 ] || die "usage: $0 OUTDIR"
mkdir -p "$1"
OUT=$(cd "$1" && pwd)
PIN=$GUEST_DIR/debian.pin
DEBS=$OUT/debian-debs
KERNEL=$OUT/Image
IMG=$OUT/debian.ext4
WORK=$OUT/debian-work
STAGE=$WORK/root
PKGS=$WORK/pkgs
LOG=$OUT/debian.ext4.log
SIZE=${DEBIAN_SIZE:-2G}
TIMEOUT=${DEBIAN_INSTALL_TIMEOUT:-3600}
# Fixed identities (the same in every build).
FS_UUID=7ab0f5e4-0c1d-4e5a-9b6f-2d3c4b5a6979
HASH_SEED=3f1c9a2e-8d4b-4c7e-a5f0-6b2e1d9c8a75

need_cmd dpkg-deb dpkg
need_cmd tar tar
need_cmd mke2fs e2fsprogs
need_cmd debugfs e2fsprogs
need_cmd e2fsck e2fsprogs
need_cmd qemu-system-riscv64 qemu-system-misc
need_cmd timeout coreutils
need_cmd flock util-linux
check_prereqs
[ -f "$KERNEL" ] || die "$KERNEL missing (make image)"
[ -f "$OUT/tabvm-agent" ] || die "$OUT/tabvm-agent missing (make guest-agent)"
[ -f "$OUT/debian-debs.stamp" ] || die "$DEBS missing (guest/fetch-debian.sh $1)"

# One build at a time per OUTDIR (another `make` in the same checkout, e.g. a
# page build that wants the image, waits here instead of clobbering the work
# folder), and none at all when the image is already built from these inputs.
exec 9>"$OUT/debian.ext4.lock"
if ! flock -n 9; then
	say WAIT "another build of ${IMG#"$PWD"/} is running"
	flock 9
fi
inputs() {
	(cd "$GUEST_DIR" && find debian-rootfs -print0 | LC_ALL=C sort -z |
		xargs -0 -I{} sh -c 'echo "{} $(stat -c %a "{}") $(readlink "{}" || true)"; [ -f "{}" ] && [ ! -L "{}" ] && sha256sum <"{}" || true'
		sha256sum debian.pin debian-packages.list build-debian-ext4.sh debian-install.sh mke2fs.conf apt-private.sh common.sh
		sha256sum <"$OUT/tabvm-agent") |
		sha256sum | cut -d' ' -f1
}
# The image's mtime will be this moment, not the end of the build: an input changed while the
# build ran (a rebuilt agent) then still makes the image older than it for make.
INPUTS_AT=$(date +%s)
INPUTS=$(inputs)
if [ -f "$IMG" ] && [ "$(cat "$IMG.inputs" 2>/dev/null)" = "$INPUTS" ]; then
	touch "$IMG" # up to date (built by the build this one waited for)
	say EXT4 "up to date: ${IMG#"$PWD"/}"
	exit 0
fi

T0=$(date +%s)
debof() { echo "$DEBS/${1}_${2//:/%3a}_${3}.deb"; }
rm -rf "$WORK"
mkdir -p "$STAGE" "$PKGS"

# ---- the package disk: every pinned .deb + a Packages index --------------------
: >"$PKGS/Packages"
: >"$PKGS/base.list"
: >"$PKGS/pin.list"
while read -r _ name ver arch set sum size; do
	f=$(debof "$name" "$ver" "$arch")
	[ -f "$f" ] || die "$f missing (guest/fetch-debian.sh $1)"
	ln "$f" "$PKGS/" 2>/dev/null || cp "$f" "$PKGS/"
	{
		dpkg-deb -f "$f"
		echo "Filename: ./${f##*/}"
		echo "Size: $size"
		echo "SHA256: $sum"
		echo
	} >>"$PKGS/Packages"
	echo "$name $ver $arch $set" >>"$PKGS/pin.list"
	[ "$set" != base ] || echo "$name" >>"$PKGS/base.list"
done < <(grep '^pkg ' "$PIN")
sed 's/#.*//' "$GUEST_DIR/debian-packages.list" | tr -s ' \t' '\n\n' | sed '/^$/d' >"$PKGS/wanted.list"
pkgkib=$(du -sk --apparent-size "$PKGS" | cut -f1)
truncate -s "$(((pkgkib * 5 / 4 + 8192) / 4 * 4))K" "$WORK/pkgs.ext4"
LC_ALL=C MKE2FS_CONFIG=$GUEST_DIR/mke2fs.conf mke2fs -q -F -t ext4 -T default -O ^has_journal -L tabvm-debs \
	-d "$PKGS" "$WORK/pkgs.ext4" || die "mke2fs (package disk) failed"

# ---- 1. the base packages, unpacked on the host -----------------------------------
say UNPACK "$(wc -l <"$PKGS/base.list") base packages"
# base-files first: it has the /bin, /sbin, /lib -> usr/... symlinks (merged /usr)
for name in base-files $(grep -vx base-files "$PKGS/base.list"); do
	set -- "$PKGS/${name}"_*.deb
	dpkg-deb --fsys-tarfile "$1" | tar -xp --no-same-owner -C "$STAGE" ||
		die "cannot unpack $1"
done
[ -L "$STAGE/bin" ] && [ -L "$STAGE/lib" ] || die "no merged-/usr symlinks after unpacking base-files"
# Unpacked by an unprivileged builder, setuid/setgid files (mount, su, ...)
# belong to the builder: setuid to that uid, mount would lose root in the
# guest. The bits go; dpkg sets them again when it unpacks the packages.
find "$STAGE" -type f -perm /6000 -exec chmod ug-s {} +
mkdir -p "$STAGE/var/lib/dpkg/info" "$STAGE/var/lib/dpkg/updates" "$STAGE/var/lib/dpkg/triggers"
: >"$STAGE/var/lib/dpkg/status"
: >"$STAGE/var/lib/dpkg/available"
# guest/debian-rootfs on top (no file there belongs to a package)
cp -a "$GUEST_DIR/debian-rootfs/." "$STAGE/"
# The command channel's agent (docs/exec-channel.md), started by /etc/inittab.
install -D -m 0755 "$OUT/tabvm-agent" "$STAGE/usr/local/sbin/tabvm-agent"
chmod 755 "$STAGE/etc/tabvm/rcS" "$STAGE/etc/tabvm/rcK"
# PID 1 and poweroff/reboot/halt: busybox (its package is installed in step 2)
ln -sfn ../bin/busybox "$STAGE/usr/sbin/init"
mkdir -p "$STAGE/usr/local/sbin"
for c in poweroff reboot halt; do ln -sfn ../../bin/busybox "$STAGE/usr/local/sbin/$c"; done
# apt's sources in the guest: the Debian mirror this image was built from
# (GUEST_DEBIAN_MIRROR or the system's first Debian archive entry)
mirror=${GUEST_DEBIAN_MIRROR:-$(apt_find_mirror | head -n1)}
suite=$(sed -n 's/^suite=//p' "$PIN" | tail -n1)
if [ -n "$mirror" ]; then
	mkdir -p "$STAGE/etc/apt/sources.list.d"
	printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
		"${mirror%/}" "$suite" >"$STAGE/etc/apt/sources.list.d/debian.sources"
fi
install -m 0755 "$GUEST_DIR/debian-install.sh" "$STAGE/tabvm-install"
chmod 0700 "$STAGE/root"

rm -f "$IMG.tmp"
truncate -s "$SIZE" "$IMG.tmp"
LC_ALL=C MKE2FS_CONFIG=$GUEST_DIR/mke2fs.conf \
	mke2fs -q -F -t ext4 -T default -J size=16 -L tabvm-debian -U "$FS_UUID" \
	-E "hash_seed=$HASH_SEED,root_owner=0:0" -d "$STAGE" "$IMG.tmp" || die "mke2fs failed"
# device nodes an unprivileged builder cannot create (devtmpfs is mounted over
# /dev at boot; these are for the moment before)
printf 'cd /dev\nmknod console c 5 1\nsif /dev/console mode 020600\nmknod null c 1 3\nsif /dev/null mode 020666\n' |
	debugfs -w -f - "$IMG.tmp" >"$WORK/debugfs.log" 2>&1 || die "debugfs failed"
rm -rf "$STAGE"
T1=$(date +%s)

# ---- 2. the configure boot --------------------------------------------------------
say QEMU "configure boot (dpkg + maintainer scripts), log: ${LOG#"$PWD"/}"
rc=0
timeout -k 5 "$TIMEOUT" qemu-system-riscv64 -machine virt \
	-cpu "${QEMU_CPU:-rv64,sstc=off,h=off,svpbmt=off,v=off}" -m 1G -nographic -no-reboot \
	-bios default -kernel "$KERNEL" \
	-append "console=hvc0 earlycon=sbi root=/dev/vda rw init=/tabvm-install panic=1" \
	-device virtio-serial-device -device virtconsole,chardev=c0 -chardev "file,id=c0,path=$LOG" \
	-drive "file=$IMG.tmp,format=raw,if=none,id=d0,discard=unmap,detect-zeroes=unmap" \
	-device virtio-blk-device,drive=d0 \
	-drive "file=$WORK/pkgs.ext4,format=raw,if=none,id=d1,readonly=on" -device virtio-blk-device,drive=d1 \
	-device virtio-rng-device \
	-serial "file:$WORK/serial.log" -monitor none </dev/null >"$WORK/qemu.out" 2>&1 || rc=$?
T2=$(date +%s)
if ! grep -aq '^TABVM-DEBIAN-INSTALL: OK' "$LOG"; then
	tr -d '\r' <"$LOG" | tail -n 40 >&2
	[ "$rc" != 124 ] || die "the configure boot timed out after ${TIMEOUT}s (see $LOG)"
	die "the configure boot failed (qemu status $rc; see $LOG)"
fi
[ "$rc" = 0 ] || die "qemu exited with status $rc after the configure boot (see $LOG)"

# ---- 3. checks, sparse copy ---------------------------------------------------------
e2fsck -fn "$IMG.tmp" >"$WORK/fsck.log" 2>&1 || {
	cat "$WORK/fsck.log" >&2
	die "e2fsck -fn: the image is not clean after the configure boot"
}
debugfs -R "stat /tabvm-install" "$IMG.tmp" 2>&1 | grep -q 'File not found' ||
	die "/tabvm-install is still in the image"
cp --sparse=always "$IMG.tmp" "$IMG.sparse"
rm -f "$IMG.tmp"
mv -f "$IMG.sparse" "$IMG"
touch -d "@$INPUTS_AT" "$IMG"
echo "$INPUTS" >"$IMG.inputs"
rm -rf "$WORK"
n=$(sed -n 's/^TABVM-DEBIAN-INSTALL: OK \([0-9]*\).*/\1/p' "$LOG" | tr -d '\r')
say EXT4 "$n packages; $(stat -c %s "$IMG") bytes apparent, $(($(stat -c %b "$IMG") * $(stat -c %B "$IMG"))) allocated: ${IMG#"$PWD"/}"
say TIME "$((T2 - T0)) s (host staging $((T1 - T0)) s, configure boot $((T2 - T1)) s)"
