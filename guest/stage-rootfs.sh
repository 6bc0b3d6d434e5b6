#!/bin/bash
# Stage the content of the guest root filesystem, shared by the initramfs
# (build-initramfs.sh) and the ext4 disk image (build-rootfs-ext4.sh): Debian's
# riscv64 busybox-static package, one symlink per applet, guest/rootfs/ on top.
#
# usage: guest/stage-rootfs.sh OUTDIR
# Needs: OUTDIR/busybox-static.deb (guest/fetch-deb.sh), OUTDIR/tabvm-agent
#        (the guest agent, make guest-agent)
# Result: OUTDIR/rootfs.list  the manifest, in the kernel's gen_init_cpio format
#                             (one entry a line, sorted by path, explicit
#                             mode/uid/gid; "file" lines name their source in
#                             OUTDIR/rootfs-stage/). Its first line is
#                             "# mtime EPOCH": the one timestamp every entry of
#                             both images gets (the busybox binary's mtime).
#         OUTDIR/rootfs-stage/ the extracted package and a copy of guest/rootfs/
#
# Entry types used: dir, file, slink, nod (device nodes: /dev/console and
# /dev/null; the kernel opens /dev/console for the stdio of init before any
# devtmpfs is mounted on an initramfs root).
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
STAGE=$OUT/rootfs-stage
LIST=$OUT/rootfs.list

need_cmd dpkg-deb dpkg
need_cmd qemu-riscv64 qemu-user
check_prereqs
[ -f "$DEB" ] || die "$DEB missing (make image fetches it)"
[ -f "$OUT/tabvm-agent" ] || die "$OUT/tabvm-agent missing (run make guest-agent)"

# ---- staging: package contents + overlay, with normalised metadata ------------
rm -rf "$STAGE" "$OUT/initramfs-stage" # (initramfs-stage: the name before the ext4 image)
mkdir -p "$STAGE/pkg" "$STAGE/overlay"
dpkg-deb -x "$DEB" "$STAGE/pkg"
BB=$STAGE/pkg/usr/bin/busybox
[ -f "$BB" ] || BB=$STAGE/pkg/bin/busybox
[ -f "$BB" ] || die "no busybox binary in $DEB"
# One timestamp for every entry: the busybox binary's (from the package).
EPOCH=$(stat -c %Y "$BB")
cp -a "$ROOTFS/." "$STAGE/overlay/"
# The command channel's agent (docs/exec-channel.md), started by /etc/inittab.
mkdir -p "$STAGE/overlay/usr/sbin"
cp "$OUT/tabvm-agent" "$STAGE/overlay/usr/sbin/tabvm-agent"
find "$STAGE" -exec touch -h -d "@$EPOCH" {} +

APPLETS=$(qemu-riscv64 "$BB" --list-full) || die "cannot run busybox under qemu-riscv64"
[ "$(printf '%s\n' "$APPLETS" | wc -l)" -gt 100 ] || die "busybox --list-full returned too few applets"

# ---- the manifest --------------------------------------------------------------
{
	# skeleton
	for d in /dev /etc /etc/init.d /mnt /proc /run /sys /usr /usr/bin /usr/sbin /var /var/log; do
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
		case $p in *[[:space:]]*) die "blank in a rootfs/ path (not expressible in the list): $p" ;; esac
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
} | LC_ALL=C sort -k2,2 -u >"$LIST.body"
# (sort -u on the name: a skeleton dir that the overlay also has appears once)

{ echo "# mtime $EPOCH"; cat "$LIST.body"; } >"$LIST.tmp"
rm -f "$LIST.body"
mv -f "$LIST.tmp" "$LIST"
say STAGE "$(($(wc -l <"$LIST") - 1)) entries: ${LIST#"$PWD"/}"
