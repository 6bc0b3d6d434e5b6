#!/bin/bash
# Download the Debian image's packages listed in guest/debian.pin.
#
# usage: guest/fetch-debian.sh OUTDIR
# Result: OUTDIR/debian-debs/*.deb (exactly the pinned versions, each checked
#         against the pinned sha256) and OUTDIR/debian-debs.stamp
#
# Packages already in OUTDIR/debian-debs with the right sha256 are not fetched
# again (no network at all when every one is there). The rest come from the
# machine's Debian mirror through the private apt configuration of
# apt-private.sh. A pinned version that is no longer on the mirror is an error
# (the package set would have to be re-resolved: make guest-debian-pin), listing
# what the mirror has instead.
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
mkdir -p "$DEBS"

pin() { sed -n "s/^$1=//p" "$PIN" | tail -n1; }
SUITE=$(pin suite) ARCH=$(pin arch)
[ -n "$SUITE" ] && [ -n "$ARCH" ] || die "$PIN: suite/arch missing"
grep -q '^pkg ' "$PIN" || die "$PIN lists no package (make guest-debian-pin)"

debname() { echo "${1}_${2//:/%3a}_${3}.deb"; } # apt-get download's file name
ok() { [ -f "$DEBS/$1" ] && [ "$(sha256sum "$DEBS/$1" | cut -d' ' -f1)" = "$2" ]; }

missing=()
while read -r _ name ver arch _ sum _; do
	f=$(debname "$name" "$ver" "$arch")
	ok "$f" "$sum" || missing+=("$name=$ver")
done < <(grep '^pkg ' "$PIN")

if [ "${#missing[@]}" -gt 0 ]; then
	apt_private_setup "$SUITE" "$ARCH"
	# name version of every package on the mirror (one apt-cache call)
	apt-cache "${APT_OPTS[@]}" dumpavail |
		awk '/^Package: / { p = $2 } /^Version: / { print p, $2 }' >"$APT_TMP/versions"
	gone=()
	for pv in "${missing[@]}"; do
		if ! grep -qxF "${pv%%=*} ${pv#*=}" "$APT_TMP/versions"; then
			now=$(apt-cache "${APT_OPTS[@]}" policy "${pv%%=*}" | sed -n 's/^ *Candidate: *//p')
			gone+=("  ${pv%%=*} ${pv#*=} (the mirror has: ${now:-nothing})")
		fi
	done
	if [ "${#gone[@]}" -gt 0 ]; then
		printf 'guest: these pinned packages (guest/debian.pin) are no longer on the %s mirror:\n' "$SUITE" >&2
		printf '%s\n' "${gone[@]}" >&2
		die "re-resolve the package set with 'make guest-debian-pin' and commit guest/debian.pin (or point GUEST_DEBIAN_MIRROR at a snapshot archive that still has them)"
	fi
	say FETCH "${#missing[@]} of $(grep -c '^pkg ' "$PIN") Debian packages"
	(cd "$APT_TMP/dl" && apt-get -q "${APT_OPTS[@]}" download "${missing[@]}" >"$APT_TMP/download.log" 2>&1) || {
		tail -n 20 "$APT_TMP/download.log" >&2
		die "apt-get download failed"
	}
	mv -f "$APT_TMP"/dl/*.deb "$DEBS/"
fi

# Verify everything (also what was there before), drop what is not pinned.
bad=0
keep=$(mktemp)
while read -r _ name ver arch _ sum _; do
	f=$(debname "$name" "$ver" "$arch")
	echo "$f" >>"$keep"
	if ! ok "$f" "$sum"; then
		echo "guest: $f: missing or sha256 mismatch (pinned $sum)" >&2
		bad=1
	fi
done < <(grep '^pkg ' "$PIN")
[ "$bad" = 0 ] || { rm -f "$keep"; die "package verification failed"; }
for f in "$DEBS"/*.deb; do
	grep -qxF "${f##*/}" "$keep" || rm -f "$f"
done
rm -f "$keep"
touch "$OUT/debian-debs.stamp"
say DEBS "$(grep -c '^pkg ' "$PIN") packages verified: ${DEBS#"$PWD"/}"
