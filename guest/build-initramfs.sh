#!/bin/bash
# Build the TabVM guest initramfs (newc cpio, gzip) from the staged root
# filesystem (guest/stage-rootfs.sh: busybox-static + applet links + guest/rootfs/).
#
# usage: guest/build-initramfs.sh OUTDIR
# Needs: OUTDIR/rootfs.list (guest/stage-rootfs.sh), the kernel tree
# Result: OUTDIR/initramfs.cpio.gz
#
# The archive is written by the kernel's usr/gen_init_cpio (compiled from the
# linux-source tree), not by GNU cpio, because it takes the file list with
# explicit mode/uid/gid and can create the /dev/console device node without
# root or fakeroot; the kernel opens /dev/console for /init's stdio *before*
# /init could mount devtmpfs. All entries get the same mtime and the list is
# sorted, and gzip -n drops the name/time, so the output is byte-reproducible.
set -euo pipefail
# shellcheck source=guest/common.sh
. "$(dirname "$0")/common.sh"

[ $# -eq 1 ] || die "usage: $0 OUTDIR"
mkdir -p "$1"
OUT=$(cd "$1" && pwd)
LIST=$OUT/rootfs.list

need_cmd gcc gcc
need_cmd gzip gzip
check_prereqs
[ -f "$LIST" ] || die "$LIST missing (run guest/stage-rootfs.sh $1)"
EPOCH=$(sed -n '1s/^# mtime \([0-9][0-9]*\)$/\1/p' "$LIST")
[ -n "$EPOCH" ] || die "$LIST: no '# mtime' header"

# ---- gen_init_cpio, from the kernel tree --------------------------------------
ensure_linux_source "$OUT"
GEN=$OUT/gen_init_cpio
if [ ! -x "$GEN" ] || [ "$OUT/linux-src/usr/gen_init_cpio.c" -nt "$GEN" ]; then
	gcc -O2 -o "$GEN" "$OUT/linux-src/usr/gen_init_cpio.c" || die "cannot build gen_init_cpio"
fi

rm -f "$OUT/initramfs.list" # (the list's name before it was shared with the ext4 image)
"$GEN" -t "$EPOCH" "$LIST" | gzip -n -9 >"$OUT/initramfs.cpio.gz.tmp"
mv -f "$OUT/initramfs.cpio.gz.tmp" "$OUT/initramfs.cpio.gz"
say INITRD "$(stat -c %s "$OUT/initramfs.cpio.gz") bytes, $(grep -vc '^#' "$LIST") entries: ${OUT#"$PWD"/}/initramfs.cpio.gz"
