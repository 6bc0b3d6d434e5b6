#!/bin/sh
# append-cpio.sh BASE.cpio.gz OUT.cpio.gz DIR GUESTDIR GEN_INIT_CPIO
# Writes OUT: BASE followed by a second gzip'd cpio archive holding DIR's files (flat, mode 0755,
# owner 0) under GUESTDIR. Linux unpacks concatenated archives in order, so the guest gets the
# base image plus GUESTDIR, and the base image stays byte-identical to the one the tests boot.
set -eu
[ $# -eq 5 ] || { echo "usage: $0 BASE OUT DIR GUESTDIR GEN_INIT_CPIO" >&2; exit 2; }
base=$1 out=$2 dir=$3 gdir=$4 gen=$5
[ -x "$gen" ] || { echo "$0: $gen missing (make image builds it)" >&2; exit 1; }
list=$out.list
{
	echo "dir $gdir 0755 0 0"
	for f in "$dir"/*; do
		echo "file $gdir/$(basename "$f") $f 0755 0 0"
	done
} >"$list"
{
	cat "$base"
	"$gen" -t 0 "$list" | gzip -n -9
} >"$out.tmp"
mv "$out.tmp" "$out"
rm -f "$list"
