#!/bin/sh
# build-i386-initramfs.sh BUSYBOX_DEB BENCH_DIR OUT GEN_INIT_CPIO
# The x86 guest's initramfs for v86: Debian's i386 busybox-static (every applet a link made by
# /init), the init script, and BENCH_DIR's programs under /bench, written with gen_init_cpio
# like the riscv64 image (owner 0, no root needed, /dev/console in the archive).
set -eu
[ $# -eq 4 ] || { echo "usage: $0 BUSYBOX_DEB BENCH_DIR OUT GEN_INIT_CPIO" >&2; exit 2; }
deb=$1 dir=$2 out=$3 gen=$4
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/bin/busybox >"$tmp/busybox"
{
	for d in /bin /dev /proc /sys /tmp /root /bench; do echo "dir $d 0755 0 0"; done
	echo "nod /dev/console 0600 0 0 c 5 1"
	echo "file /bin/busybox $tmp/busybox 0755 0 0"
	echo "file /init $here/i386-init 0755 0 0"
	for f in "$dir"/*; do echo "file /bench/$(basename "$f") $f 0755 0 0"; done
} >"$tmp/list"
"$gen" -t 0 "$tmp/list" | gzip -n -9 >"$out.tmp"
mv "$out.tmp" "$out"
