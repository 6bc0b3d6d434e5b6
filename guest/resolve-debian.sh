#!/bin/bash
# Resolve the Debian image's package set and write guest/debian.pin.
#
# usage: guest/resolve-debian.sh [PINFILE]   (make guest-debian-pin)
#
# The set: every package of Priority "required" in SUITE/ARCH, the packages
# listed in guest/debian-packages.list, and all their Depends/Pre-Depends
# (no Recommends/Suggests), as apt resolves them for an empty system (a
# simulated `apt-get install`, in the private apt configuration of
# apt-private.sh). Each package is recorded with its version, architecture,
# sha256 and size from the mirror's signed index, and whether it belongs to
# the "required" closure ("base": unpacked on the host and installed first in
# the guest, like debootstrap's first stage) or not ("extra").
# The build (fetch-debian.sh) downloads exactly these versions and checks the
# sha256; it never resolves anything itself.
set -euo pipefail
# shellcheck source=guest/common.sh
. "$(dirname "$0")/common.sh"
# shellcheck source=guest/apt-private.sh
. "$GUEST_DIR/apt-private.sh"

PIN=${1:-$GUEST_DIR/debian.pin}
LIST=$GUEST_DIR/debian-packages.list
SUITE=${DEBIAN_SUITE:-trixie}
ARCH=${DEBIAN_ARCH:-riscv64}

apt_private_setup "$SUITE" "$ARCH"
T=$APT_TMP
apt-cache "${APT_OPTS[@]}" dumpavail >"$T/avail"

# Priority: required
awk -v RS= '/\nPriority: required(\n|$)/ { match($0, /^Package: [^\n]*/); print substr($0, 10, RLENGTH - 9) }' \
	"$T/avail" | LC_ALL=C sort -u >"$T/required"
[ -s "$T/required" ] || die "no Priority: required packages in $SUITE/$ARCH?"
mapfile -t WANTED < <(sed 's/#.*//' "$LIST" | tr -s ' \t' '\n\n' | sed '/^$/d')
[ "${#WANTED[@]}" -gt 0 ] || die "$LIST lists no package"

# simulate NAMES... -> "name version" lines of what apt would install
simulate() {
	apt-get "${APT_OPTS[@]}" -s install "$@" >"$T/sim.log" 2>&1 || {
		cat "$T/sim.log" >&2
		die "apt cannot resolve the package set (see above)"
	}
	sed -n 's/^Inst \([^ ]*\) (\([^ ]*\) .*/\1 \2/p' "$T/sim.log" | LC_ALL=C sort
}
mapfile -t REQ < "$T/required"
simulate "${REQ[@]}" >"$T/base"
simulate "${REQ[@]}" "${WANTED[@]}" >"$T/all"

# index: name version arch sha256 size
awk -v RS= -F '\n' '{
	p = v = a = s = z = ""
	for (i = 1; i <= NF; i++) {
		if ($i ~ /^Package: /) p = substr($i, 10)
		else if ($i ~ /^Version: /) v = substr($i, 10)
		else if ($i ~ /^Architecture: /) a = substr($i, 15)
		else if ($i ~ /^SHA256: /) s = substr($i, 9)
		else if ($i ~ /^Size: /) z = substr($i, 7)
	}
	print p, v, a, s, z
}' "$T/avail" >"$T/index"

{
	cat <<HDR
# The Debian image's packages (make image-debian), written by
# guest/resolve-debian.sh (make guest-debian-pin) from guest/debian-packages.list:
# every Priority: required package of the suite + that list + their
# Depends/Pre-Depends. Do not edit by hand; re-resolve instead.
# fetch-debian.sh downloads exactly these versions through the machine's
# Debian mirror (private apt configuration) and checks each sha256.
# Columns: package version architecture set sha256 size
#   set: base  = the Priority: required closure (unpacked on the host, installed
#                first in the guest, like debootstrap's first stage)
#        extra = the rest (installed in the guest afterwards)
suite=$SUITE
arch=$ARCH
HDR
	while read -r name ver; do
		set=extra
		grep -qx "$name $ver" "$T/base" && set=base
		line=$(awk -v p="$name" -v v="$ver" '$1 == p && $2 == v { print; exit }' "$T/index")
		[ -n "$line" ] || die "$name $ver: not in the index"
		read -r _ _ a s z <<<"$line"
		[ -n "$s" ] || die "$name $ver: no SHA256 in the index"
		echo "pkg $name $ver $a $set $s $z"
	done <"$T/all"
} >"$PIN.tmp"
mv -f "$PIN.tmp" "$PIN"
n=$(grep -c '^pkg ' "$PIN")
nb=$(grep -c '^pkg [^ ]* [^ ]* [^ ]* base ' "$PIN")
bytes=$(awk '$1 == "pkg" { s += $7 } END { print s }' "$PIN")
say PIN "$n packages ($nb base), $((bytes / 1048576)) MiB of .debs: ${PIN#"$PWD"/}"
