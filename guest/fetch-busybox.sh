#!/bin/bash
# Fetch Debian's riscv64 busybox-static package (see guest/busybox.pin).
#
# usage: guest/fetch-busybox.sh OUTDIR
# Result: OUTDIR/busybox-static.deb and OUTDIR/busybox-static.version
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

[ $# -eq 1 ] || die "usage: $0 OUTDIR"
mkdir -p "$1"
OUT=$(cd "$1" && pwd)
PIN=$GUEST_DIR/busybox.pin

need_cmd apt-get apt
need_cmd dpkg-deb dpkg
need_cmd sha256sum coreutils
need_file /usr/share/keyrings/debian-archive-keyring.gpg debian-archive-keyring
check_prereqs

pin() { sed -n "s/^$1=//p" "$PIN" | tail -n1; }
SUITE=$(pin suite) ARCH=$(pin arch) PKG=$(pin package) VERSION=$(pin version) SHA256=$(pin sha256)
[ -n "$SUITE" ] && [ -n "$ARCH" ] && [ -n "$PKG" ] || die "$PIN: suite/arch/package missing"

# ---- find the Debian mirror of this machine ----------------------------------
# Prints the URI of the first enabled "deb" entry that looks like the main Debian
# archive (path ending in /debian, suite not *-security).
find_mirror() {
	local f
	shopt -s nullglob
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		# deb [opts] URI suite components...
		sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" |
			awk '$1 == "deb" && $3 !~ /-security$/ && $2 ~ /\/debian\/?$/ { print $2 }'
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		# deb822 stanzas separated by blank lines
		awk '
			function flush() {
				if (types ~ /(^|[ \t])deb([ \t]|$)/ && enabled != "no" &&
				    suites !~ /-security/ && uris != "") {
					n = split(uris, u, /[ \t]+/)
					for (i = 1; i <= n; i++) if (u[i] ~ /\/debian\/?$/) print u[i]
				}
				types = uris = suites = enabled = ""
			}
			/^[ \t]*#/ { next }
			/^[ \t]*$/ { flush(); next }
			{
				key = tolower($0); sub(/:.*/, "", key)
				val = $0; sub(/^[^:]*:[ \t]*/, "", val)
				if (key == "types") types = val
				else if (key == "uris") uris = val
				else if (key == "suites") suites = val
				else if (key == "enabled") enabled = tolower(val)
			}
			END { flush() }' "$f"
	done
}
MIRROR=${GUEST_DEBIAN_MIRROR:-$(find_mirror | head -n1)}
[ -n "$MIRROR" ] || die "no Debian mirror found in the system's apt sources; set GUEST_DEBIAN_MIRROR=<uri of a Debian archive>"
MIRROR=${MIRROR%/}

# ---- private apt ------------------------------------------------------------
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
chmod 755 "$TMP" # apt drops privileges to _apt for downloads when run as root
mkdir -p "$TMP/state/lists/partial" "$TMP/cache/archives/partial" "$TMP/prefs.d" "$TMP/dl"
: >"$TMP/state/status"
echo "deb [arch=$ARCH signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR $SUITE main" >"$TMP/sources.list"
APT_OPTS=(
	-o "Dir::Etc::SourceList=$TMP/sources.list"
	-o "Dir::Etc::SourceParts=/dev/null"
	-o "Dir::Etc::Preferences=/dev/null"
	-o "Dir::Etc::PreferencesParts=$TMP/prefs.d"
	-o "Dir::State=$TMP/state"
	-o "Dir::State::status=$TMP/state/status"
	-o "Dir::Cache=$TMP/cache"
	-o "APT::Architecture=$ARCH"
	-o "APT::Architectures=$ARCH"
)
case $MIRROR in
*snapshot*) APT_OPTS+=(-o "Acquire::Check-Valid-Until=false") ;;
esac

say APT "$SUITE/$ARCH from the configured Debian mirror"
if ! apt-get -q "${APT_OPTS[@]}" update >"$TMP/update.log" 2>&1 ||
	grep -qE '^(W|E): (Failed|GPG|The repository|Some index)' "$TMP/update.log"; then
	cat "$TMP/update.log" >&2
	die "apt-get update for $SUITE/$ARCH failed (network? a debian-archive-keyring that knows $SUITE?)"
fi

candidate=$(apt-cache "${APT_OPTS[@]}" policy "$PKG" | sed -n 's/^ *Candidate: *//p')
[ -n "$candidate" ] && [ "$candidate" != "(none)" ] || die "$PKG not found in $SUITE/$ARCH"
want=$VERSION
if [ -z "$want" ]; then
	want=$candidate
elif ! apt-cache "${APT_OPTS[@]}" show "$PKG=$want" >/dev/null 2>&1; then
	msg="$PKG $want (guest/busybox.pin) is no longer in $SUITE; the mirror has $candidate"
	[ "${GUEST_STRICT_PIN:-0}" != 1 ] || die "$msg"
	printf 'guest: WARNING: %s; using that. Update guest/busybox.pin.\n' "$msg" >&2
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
	die "$PKG $want: sha256 $sum does not match guest/busybox.pin ($SHA256)"
fi
if [ "$want" != "$VERSION" ]; then
	printf 'guest: new pin values: version=%s sha256=%s\n' "$want" "$sum" >&2
fi

# Only replace the output if the package actually changed (keeps make quiet).
if ! cmp -s "$deb" "$OUT/busybox-static.deb"; then
	cp -f "$deb" "$OUT/busybox-static.deb.tmp"
	mv -f "$OUT/busybox-static.deb.tmp" "$OUT/busybox-static.deb"
fi
write_if_changed "$OUT/busybox-static.version" "$PKG $want $ARCH sha256:$sum"
touch "$OUT/busybox-static.deb" # newer than guest/busybox.pin: make won't re-fetch
say DEB "$PKG $want ($ARCH)"
