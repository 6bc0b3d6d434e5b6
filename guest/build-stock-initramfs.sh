#!/bin/bash
# The stock-kernel check's boot files: Debian's kernel Image as it ships (an uncompressed Image
# with an EFI stub, which the emulator loads as it is) and an initramfs with busybox, its
# virtio modules (uncompressed: busybox's insmod does not read .ko.xz) and guest/stock-init.
#
# usage: guest/build-stock-initramfs.sh OUTDIR
# Needs: OUTDIR/stock-kernel.deb, OUTDIR/busybox-static.deb (guest/fetch-deb.sh),
#        OUTDIR/gen_init_cpio (built with the kernel)
# Result: OUTDIR/stock/Image, OUTDIR/stock/initramfs.cpio.gz, OUTDIR/stock/version
set -euo pipefail
# shellcheck source=guest/common.sh
. "$(dirname "$0")/common.sh"

[ $# -eq 1 ] || die "usage: $0 OUTDIR"
OUT=$(cd "$1" && pwd)
for f in stock-kernel.deb busybox-static.deb gen_init_cpio; do
	[ -e "$OUT/$f" ] || die "$OUT/$f missing (make check-stock-kernel builds it)"
done
need_cmd xz xz-utils
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
dpkg-deb -x "$OUT/stock-kernel.deb" "$TMP/k"
dpkg-deb -x "$OUT/busybox-static.deb" "$TMP/bb"
image=$(find "$TMP/k/boot" -name 'vmlinu[xz]-*' | head -n1)
[ -n "$image" ] || die "no kernel image in stock-kernel.deb"
version=${image##*/vmlinu?-}
mods=$(find "$TMP/k" -type d -path "*/lib/modules/$version/kernel" | head -n1)
[ -n "$mods" ] || die "no modules for $version in stock-kernel.deb"
mkdir -p "$TMP/lib"
spec=$TMP/spec
{
	echo "dir /dev 755 0 0"
	echo "nod /dev/console 600 0 0 c 5 1"
	echo "dir /bin 755 0 0"
	echo "dir /lib 755 0 0"
	echo "dir /lib/modules 755 0 0"
	echo "file /bin/busybox $TMP/bb/usr/bin/busybox 755 0 0"
	echo "file /init $GUEST_DIR/stock-init 755 0 0"
} >"$spec"
for m in drivers/virtio/virtio_mmio drivers/block/virtio_blk drivers/char/hw_random/virtio-rng; do
	ko=$mods/$m.ko
	if [ -f "$ko.xz" ]; then xz -dc "$ko.xz" >"$TMP/lib/${m##*/}.ko"; else cp "$ko" "$TMP/lib/${m##*/}.ko"; fi
	echo "file /lib/modules/${m##*/}.ko $TMP/lib/${m##*/}.ko 644 0 0" >>"$spec"
done
mkdir -p "$OUT/stock"
cp "$image" "$OUT/stock/Image.tmp" && mv "$OUT/stock/Image.tmp" "$OUT/stock/Image"
"$OUT/gen_init_cpio" -t 0 "$spec" | gzip -9n >"$OUT/stock/initramfs.cpio.gz.tmp"
mv "$OUT/stock/initramfs.cpio.gz.tmp" "$OUT/stock/initramfs.cpio.gz"
echo "$version" >"$OUT/stock/version"
say STOCK "Debian kernel $version: $1/stock/Image ($(stat -c %s "$OUT/stock/Image") bytes), initramfs $(stat -c %s "$OUT/stock/initramfs.cpio.gz") bytes"
