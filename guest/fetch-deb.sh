#!/bin/bash
# Fetch one pinned Debian package: busybox-static for the guest images (guest/busybox.pin),
# the stock Debian kernel for `make check-stock-kernel` (guest/stock-kernel.pin).
#
# usage: guest/fetch-deb.sh PINFILE OUTDIR NAME
# Result: OUTDIR/NAME.deb and OUTDIR/NAME.version
#
# The package comes from the Debian mirror this machine's apt is configured
# with (first Debian archive entry in /etc/apt/sources.list or
# /etc/apt/sources.list.d/*.{list,sources}; override with GUEST_DEBIAN_MIRROR),
# through a PRIVATE, throw-away apt configuration: its own sources.list, state
# and cache directories, architecture riscv64. The system's apt setup is only
# read, never changed.
set -euo pipefail
# shellcheck source=guest/common.sh
. "$(dirname "$0")/common.sh"

[ $# -eq 3 ] || die "usage: $0 PINFILE OUTDIR NAME"
PIN=$1
mkdir -p "$2"
OUT=$(cd "$2" && pwd)
NAME=$3

pin() { sed -n "s/^$1=//p" "$PIN" | tail -n1; }
SUITE=$(pin suite) ARCH=$(pin arch) PKG=$(pin package) VERSION=$(pin version) SHA256=$(pin sha256)
[ -n "$SUITE" ] && [ -n "$ARCH" ] && [ -n "$PKG" ] || die "$PIN: suite/arch/package missing"

# ---- private apt (guest/apt-private.sh) --------------------------------------
# shellcheck source=guest/apt-private.sh
. "$GUEST_DIR/apt-private.sh"
apt_private_setup "$SUITE" "$ARCH"
TMP=$APT_TMP

candidate=$(apt-cache "${APT_OPTS[@]}" policy "$PKG" | sed -n 's/^ *Candidate: *//p')
[ -n "$candidate" ] && [ "$candidate" != "(none)" ] || die "$PKG not found in $SUITE/$ARCH"
want=$VERSION
if [ -z "$want" ]; then
	want=$candidate
elif ! apt-cache "${APT_OPTS[@]}" show "$PKG=$want" >/dev/null 2>&1; then
	msg="$PKG $want ($PIN) is no longer in $SUITE; the mirror has $candidate"
	[ "${GUEST_STRICT_PIN:-0}" != 1 ] || die "$msg"
	printf 'guest: WARNING: %s; using that. Update %s.\n' "$msg" "$PIN" >&2
	want=$candidate
fi

(cd "$TMP/dl" && apt-get -q "${APT_OPTS[@]}" download "$PKG=$want" >"$TMP/download.log" 2>&1) || {
	cat "$TMP/download.log" >&2
	die "apt-get download $PKG=$want failed"
}
deb=$(find "$TMP/dl" -name '*.deb' | head -n1)
[ -n "$deb" ] || die "apt-get download produced no .deb"
sum=$(sha256sum "$deb" | cut -d' ' -f1)
if [ "$want" = "$VERSION" ] && [ -n "$SHA256" ] && [ "$sum" != "$SHA256" ]; then
	die "$PKG $want: sha256 $sum does not match $PIN ($SHA256)"
fi
if [ "$want" != "$VERSION" ]; then
	printf 'guest: new pin values: version=%s sha256=%s\n' "$want" "$sum" >&2
fi

# Only replace the output if the package actually changed (keeps make quiet).
if ! cmp -s "$deb" "$OUT/$NAME.deb"; then
	cp -f "$deb" "$OUT/$NAME.deb.tmp"
	mv -f "$OUT/$NAME.deb.tmp" "$OUT/$NAME.deb"
fi
write_if_changed "$OUT/$NAME.version" "$PKG $want $ARCH sha256:$sum"
touch "$OUT/$NAME.deb" # newer than the pin file: make won't re-fetch
say DEB "$PKG $want ($ARCH)"
