# Shared helpers for the guest/*.sh build scripts (sourced, not executed).
# shellcheck shell=bash

# shellcheck disable=SC2034 # used by the scripts that source this file
GUEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

say() { printf '  %-8s %s\n' "$1" "$2" >&2; }
die() { printf 'guest: error: %s\n' "$*" >&2; exit 1; }

# need_cmd <command> <debian-package> ...
# Collects every missing prerequisite, then fails once with the full list.
MISSING_PKGS=()
need_cmd() {
	command -v "$1" >/dev/null 2>&1 || MISSING_PKGS+=("$2")
}
need_file() {
	[ -e "$1" ] || MISSING_PKGS+=("$2")
}
need_pkg() {
	[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ] ||
		MISSING_PKGS+=("$1")
}
check_prereqs() {
	if [ "${#MISSING_PKGS[@]}" -gt 0 ]; then
		printf 'guest: missing build prerequisites. Install the Debian packages:\n' >&2
		printf '  apt-get install %s\n' "$(printf '%s\n' "${MISSING_PKGS[@]}" | sort -u | tr '\n' ' ')" >&2
		printf '(the full list for the guest image is: linux-source-6.1 gcc-riscv64-linux-gnu bc flex bison libssl-dev libelf-dev cpio qemu-user e2fsprogs)\n' >&2
		exit 1
	fi
}

# The linux-source package: its tarball path and version.
LINUX_SOURCE_PKG=${LINUX_SOURCE_PKG:-linux-source-6.1}
linux_source_version() {
	dpkg-query -W -f='${Version}' "$LINUX_SOURCE_PKG" 2>/dev/null || true
}
linux_source_tarball() {
	dpkg -L "$LINUX_SOURCE_PKG" 2>/dev/null |
		grep -E '/linux-source-[0-9.]+\.tar\.(xz|bz2|gz)$' | head -n1 || true
}

# Write $2 into file $1 only if the content differs (keeps mtimes stable for make).
write_if_changed() {
	if [ ! -f "$1" ] || [ "$(cat "$1")" != "$2" ]; then
		printf '%s\n' "$2" >"$1.tmp" && mv -f "$1.tmp" "$1"
	fi
}

# ensure_linux_source OUTDIR: OUTDIR/linux-src holds the unpacked tarball of the
# installed linux-source package; re-unpacked (and OUTDIR/kbuild wiped) only
# when the package version changes.
ensure_linux_source() {
	local out=$1 version tarball
	version=$(linux_source_version)
	[ -n "$version" ] || { MISSING_PKGS+=("$LINUX_SOURCE_PKG"); check_prereqs; }
	if [ "$(cat "$out/linux-src/.tabvm-source-version" 2>/dev/null)" = "$version" ]; then
		return 0
	fi
	tarball=$(linux_source_tarball)
	[ -n "$tarball" ] && [ -f "$tarball" ] ||
		die "cannot find the $LINUX_SOURCE_PKG tarball (dpkg -L $LINUX_SOURCE_PKG)"
	need_cmd xz xz-utils
	check_prereqs
	say UNPACK "$LINUX_SOURCE_PKG $version"
	rm -rf "$out/linux-src" "$out/linux-src.tmp" "$out/kbuild"
	mkdir -p "$out/linux-src.tmp"
	tar -xf "$tarball" -C "$out/linux-src.tmp" --strip-components=1
	echo "$version" >"$out/linux-src.tmp/.tabvm-source-version"
	mv "$out/linux-src.tmp" "$out/linux-src"
}

# A temporary folder for a reference run under QEMU (sets TMP and QEMU_PID): at exit the QEMU
# started as QEMU_PID is killed and the folder removed (KEEP_LOG=1 keeps it).
qemu_run_dir() {
	TMP=$(mktemp -d)
	QEMU_PID=
	trap qemu_run_cleanup EXIT
}
qemu_run_cleanup() {
	exec 3>&- 2>/dev/null || true
	[ -z "$QEMU_PID" ] || kill "$QEMU_PID" 2>/dev/null || true
	if [ "${KEEP_LOG:-0}" = 1 ]; then echo "logs kept in $TMP" >&2; else rm -rf "$TMP"; fi
}
