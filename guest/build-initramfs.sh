#!/bin/bash
# Build the TabVM guest initramfs (newc cpio, gzip) from Debian's riscv64
# busybox-static package and the overlay tree guest/rootfs/.
#
# usage: guest/build-initramfs.sh OUTDIR
# Needs: OUTDIR/busybox-static.deb (guest/fetch-busybox.sh)
# Result: OUTDIR/initramfs.cpio.gz (+ OUTDIR/initramfs.list, the cpio manifest)
#
# The archive is written by the kernel's usr/gen_init_cpio (compiled from the
# linux-source tree), not by GNU cpio, because it takes the file list with
# explicit mode/uid/gid and can create the /dev/console device node without
# root or fakeroot; the kernel opens /dev/console for /init's stdio *before*
# /init could mount devtmpfs. All entries get the same mtime and the list is
# sorted, and gzip -n drops the name/time, so the output is byte-reproducible.
#
# Layout: merged /usr (/bin -> usr/bin, /sbin -> usr/sbin), busybox at
# /usr/bin/busybox, one symlink per applet (applet list from running the
# riscv64 busybox under qemu-riscv64), then guest/rootfs/ on top.
set -euo pipefail
# shellcheck source=guest/common.sh
. "$(dirname "$0")/common.sh"

[ $# -eq 1 ] || die "usage: $0 OUTDIR"
mkdir -p "$1"
OUT=$(cd "$1" && pwd)
ROOTFS=$GUEST_DIR/rootfs
DEB=$OUT/busybox-static.deb
STAGE=$OUT/initramfs-stage
LIST=$OUT/initramfs.list

need_cmd gcc gcc
need_cmd dpkg-deb dpkg
need_cmd qemu-riscv64 qemu-user
need_cmd gzip gzip
check_prereqs
[ -f "$DEB" ] || die "$DEB missing (run guest/fetch-busybox.sh $1)"

# ---- gen_init_cpio, from the kernel tree --------------------------------------
ensure_linux_source "$OUT"
GEN=$OUT/gen_init_cpio
if [ ! -x "$GEN" ] || [ "$OUT/linux-src/usr/gen_init_cpio.c" -nt "$GEN" ]; then
	gcc -O2 -o "$GEN" "$OUT/linux-src/usr/gen_init_cpio.c" || die "cannot build gen_init_cpio"
fi

# ---- staging: package contents + overlay, with normalised metadata ------------
rm -rf "$STAGE"
mkdir -p "$STAGE/pkg" "$STAGE/overlay"
dpkg-deb -x "$DEB" "$STAGE/pkg"
BB=$STAGE/pkg/usr/bin/busybox
[ -f "$BB" ] || BB=$STAGE/pkg/bin/busybox
[ -f "$BB" ] || die "no busybox binary in $DEB"
# One timestamp for every entry: the busybox binary's (from the package).
EPOCH=$(stat -c %Y "$BB")
cp -a "$ROOTFS/." "$STAGE/overlay/"
find "$STAGE" -exec touch -h -d "@$EPOCH" {} +

APPLETS=$(qemu-riscv64 "$BB" --list-full) || die "cannot run busybox under qemu-riscv64"
[ "$(printf '%s\n' "$APPLETS" | wc -l)" -gt 100 ] || die "busybox --list-full returned too few applets"

# ---- the gen_init_cpio list ----------------------------------------------------
{
	# skeleton
	for d in /dev /etc /mnt /proc /run /sys /usr /usr/bin /usr/sbin /var /var/log; do
		echo "dir $d 0755 0 0"
	done
	echo "dir /root 0700 0 0"
	echo "dir /tmp 1777 0 0"
	echo "nod /dev/console 0600 0 0 c 5 1"
	echo "nod /dev/null 0666 0 0 c 1 3"
	echo "slink /bin usr/bin 0777 0 0"
	echo "slink /sbin usr/sbin 0777 0 0"
	echo "slink /var/run ../run 0777 0 0"
	echo "slink /etc/mtab ../proc/self/mounts 0777 0 0"
	echo "file /usr/bin/busybox $BB 0755 0 0"

	# applets (merged-/usr: bin/x -> /usr/bin/x, sbin/x -> /usr/sbin/x)
	printf '%s\n' "$APPLETS" | while read -r a; do
		case $a in
		*/*) ;;
		*) continue ;; # "linuxrc"
		esac
		p=/${a#/}
		case $p in
		/bin/*) p=/usr$p ;;
		/sbin/*) p=/usr$p ;;
		esac
		[ "$p" != /usr/bin/busybox ] || continue
		[ ! -e "$STAGE/overlay$p" ] && [ ! -L "$STAGE/overlay$p" ] || continue # overlay wins
		case $p in
		/usr/bin/*) echo "slink $p busybox 0777 0 0" ;;
		*) echo "slink $p ../bin/busybox 0777 0 0" ;;
		esac
	done

	# overlay (guest/rootfs): files 0755 if executable else 0644, dirs 0755
	(cd "$STAGE/overlay" && find . -mindepth 1 | sed 's|^\.||') | while read -r p; do
		src=$STAGE/overlay$p
		if [ -L "$src" ]; then
			echo "slink $p $(readlink "$src") 0777 0 0"
		elif [ -d "$src" ]; then
			echo "dir $p 0755 0 0"
		elif [ -x "$src" ]; then
			echo "file $p $src 0755 0 0"
		else
			echo "file $p $src 0644 0 0"
		fi
	done
} | LC_ALL=C sort -k2,2 -u >"$LIST.tmp"
# (sort -u on the name: a skeleton dir that the overlay also has appears once)

mv -f "$LIST.tmp" "$LIST"

"$GEN" -t "$EPOCH" "$LIST" | gzip -n -9 >"$OUT/initramfs.cpio.gz.tmp"
mv -f "$OUT/initramfs.cpio.gz.tmp" "$OUT/initramfs.cpio.gz"
say INITRD "$(stat -c %s "$OUT/initramfs.cpio.gz") bytes, $(wc -l <"$LIST") entries: ${OUT#"$PWD"/}/initramfs.cpio.gz"
