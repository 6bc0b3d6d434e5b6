#!/bin/bash
# Build the TabVM guest's ext4 root filesystem image (the disk root:
# root=/dev/vda) from the same staged content as the initramfs
# (guest/stage-rootfs.sh), without root privileges or loop devices.
#
# usage: guest/build-rootfs-ext4.sh OUTDIR
# Needs: OUTDIR/rootfs.list (guest/stage-rootfs.sh); e2fsprogs (mke2fs, debugfs,
#        e2fsck) 1.47
# Result: OUTDIR/rootfs.ext4, a sparse file of ROOTFS_SIZE (default 256M)
#
# 1. The manifest is materialised as a directory tree (dirs, files, symlinks
#    with the manifest's modes; no device nodes) and `mke2fs -t ext4 -d` copies
#    it into a fresh image (guest/mke2fs.conf, fixed UUID and hash seed,
#    E2FSPROGS_FAKE_TIME; mke2fs -d sorts the directory entries).
# 2. `debugfs -w` then applies what an unprivileged user cannot put in a
#    directory tree and what mke2fs -d copies from the host: creates the device
#    nodes, sets uid/gid from the manifest (mke2fs -d copies the builder's
#    uid/gid) and sets every timestamp (mke2fs -d copies the host's ctime,
#    which cannot be set) to the manifest's mtime.
# 3. `e2fsck -fn` must find the image clean, and the result is checked
#    (owners, device nodes) with debugfs.
# Why not fakeroot: see guest/README.md ("The disk image").
set -euo pipefail
# shellcheck source=guest/common.sh
. "$(dirname "$0")/common.sh"

[ $# -eq 1 ] || die "usage: $0 OUTDIR"
mkdir -p "$1"
OUT=$(cd "$1" && pwd)
LIST=$OUT/rootfs.list
IMG=$OUT/rootfs.ext4
STAGE=$OUT/rootfs-ext4-stage
SIZE=${ROOTFS_SIZE:-256M}
# Fixed identities, so that two builds give the same bytes.
FS_UUID=7ab0f5e4-0c1d-4e5a-9b6f-2d3c4b5a6978
HASH_SEED=3f1c9a2e-8d4b-4c7e-a5f0-6b2e1d9c8a74

need_cmd mke2fs e2fsprogs
need_cmd debugfs e2fsprogs
need_cmd e2fsck e2fsprogs
check_prereqs
[ -f "$LIST" ] || die "$LIST missing (run guest/stage-rootfs.sh $1)"
EPOCH=$(sed -n '1s/^# mtime \([0-9][0-9]*\)$/\1/p' "$LIST")
[ -n "$EPOCH" ] || die "$LIST: no '# mtime' header"

# ---- 1. the directory tree and mke2fs -d --------------------------------------
rm -rf "$STAGE"
mkdir -p "$STAGE"
chmod 0755 "$STAGE"
FIX=$OUT/rootfs-ext4.debugfs # the debugfs script of step 2
: >"$FIX.nodes"
: >"$FIX.owners"
grep -v '^#' "$LIST" | while read -r type path a b c d e f; do
	case $type in
	dir) # dir PATH MODE UID GID
		mkdir -p "$STAGE$path"
		chmod "$a" "$STAGE$path"
		echo "$path $b $c" >>"$FIX.owners" ;;
	file) # file PATH SOURCE MODE UID GID
		cp "$a" "$STAGE$path"
		chmod "$b" "$STAGE$path"
		echo "$path $c $d" >>"$FIX.owners" ;;
	slink) # slink PATH TARGET MODE UID GID
		ln -s "$a" "$STAGE$path"
		echo "$path $c $d" >>"$FIX.owners" ;;
	nod) # nod PATH MODE UID GID c|b MAJOR MINOR
		[ "$d" = c ] || [ "$d" = b ] || die "$LIST: bad device node: $path"
		if [ "$d" = c ]; then fmt=020000; else fmt=060000; fi
		# (debugfs mknod makes its argument a name in the current directory)
		printf 'cd %s\nmknod %s %s %s %s\ncd /\nsif %s mode 0%o\n' "${path%/*}" "${path##*/}" \
			"$d" "$e" "$f" "$path" "$((fmt | 8#$a))" >>"$FIX.nodes"
		echo "$path $b $c" >>"$FIX.owners" ;;
	*) die "$LIST: unknown entry type '$type'" ;;
	esac
done
find "$STAGE" -exec touch -h -d "@$EPOCH" {} +

rm -f "$IMG.tmp"
truncate -s "$SIZE" "$IMG.tmp"
LC_ALL=C MKE2FS_CONFIG=$GUEST_DIR/mke2fs.conf E2FSPROGS_FAKE_TIME=$EPOCH \
	mke2fs -q -F -t ext4 -T default -L tabvm-root -U "$FS_UUID" \
	-E "hash_seed=$HASH_SEED,root_owner=0:0" -d "$STAGE" "$IMG.tmp" ||
	die "mke2fs failed"

# ---- 2. debugfs: device nodes, owners, timestamps --------------------------------
{
	echo "set_current_time @$EPOCH"
	cat "$FIX.nodes"
	echo "/ 0 0"
	echo "/lost+found 0 0"
	cat "$FIX.owners"
} | awk -v t="@$EPOCH" '
	/^(set_current_time|cd|mknod|sif) / { print; next }
	{
		printf "sif %s uid %s\nsif %s gid %s\n", $1, $2, $1, $3
		n = split("atime ctime mtime crtime", f, " ")
		for (i = 1; i <= n; i++) printf "sif %s %s %s\n", $1, f[i], t
	}' >"$FIX"
rm -f "$FIX.nodes" "$FIX.owners"
E2FSPROGS_FAKE_TIME=$EPOCH debugfs -w -f "$FIX" "$IMG.tmp" >"$OUT/rootfs-ext4.debugfs.log" 2>&1 ||
	die "debugfs failed (see $OUT/rootfs-ext4.debugfs.log)"
# debugfs reports errors on the line after the command and still exits 0.
# Expected output besides the echoed commands: the version, the time and the
# inodes of the device nodes.
errors=$(grep -Ev '^(debugfs[: ]|Setting current time to |Allocated inode: [0-9]+$|$)' "$OUT/rootfs-ext4.debugfs.log" || true)
if [ -n "$errors" ]; then
	printf '%s\n' "$errors" | head >&2
	die "debugfs reported errors (see $OUT/rootfs-ext4.debugfs.log)"
fi

# ---- 3. checks ---------------------------------------------------------------------
e2fsck -fn "$IMG.tmp" >"$OUT/rootfs-ext4.fsck.log" 2>&1 ||
	die "e2fsck -fn: the new image is not clean (see $OUT/rootfs-ext4.fsck.log)"
check=$(debugfs -R "stat /dev/console" "$IMG.tmp" 2>/dev/null | tr -s ' \t' ' ')
case $check in
*"Type: character special Mode: 0600"*"User: 0 Group: 0"*"Device major/minor number: 05:01"*) ;;
*) die "rootfs.ext4: /dev/console is not the expected device node" ;;
esac
check=$(debugfs -R "stat /root" "$IMG.tmp" 2>/dev/null | tr -s ' \t' ' ')
case $check in
*"Type: directory Mode: 0700"*"User: 0 Group: 0"*) ;;
*) die "rootfs.ext4: /root does not have mode 0700, owner 0:0" ;;
esac

# Sparse on the host: mke2fs preallocates the 16 MiB journal (zeroed/unwritten
# extents, which count as allocated); copying with --sparse=always leaves holes
# for every all-zero block (same bytes, ~2 MiB allocated instead of ~18).
cp --sparse=always "$IMG.tmp" "$IMG.sparse"
rm -f "$IMG.tmp"
mv -f "$IMG.sparse" "$IMG"
rm -rf "$STAGE"
say EXT4 "$(stat -c %s "$IMG") bytes apparent, $(($(stat -c %b "$IMG") * $(stat -c %B "$IMG"))) allocated: ${IMG#"$PWD"/}"
