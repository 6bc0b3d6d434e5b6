#!/bin/bash
# Build the TabVM guest kernel (uncompressed arch/riscv/boot/Image).
#
# usage: guest/build-kernel.sh OUTDIR          (OUTDIR is e.g. build/guest)
#
# Source:   Debian's linux-source-6.1 tarball, extracted to OUTDIR/linux-src
#           (re-extracted only when the package version changes).
# Config:   make allnoconfig + KCONFIG_ALLCONFIG=guest/kernel.config, then every
#           line of the fragment is checked against the resulting .config.
# Objects:  OUTDIR/kbuild (O=...), incremental.
# Result:   OUTDIR/Image, OUTDIR/Image.config (full .config), OUTDIR/kernel-build.log
#
# Environment: GUEST_JOBS (default: number of CPUs, or make's jobserver if run
# from a parallel make), V=1 to show the kernel build output.
set -euo pipefail
# shellcheck source=guest/common.sh
. "$(dirname "$0")/common.sh"

[ $# -eq 1 ] || die "usage: $0 OUTDIR"
mkdir -p "$1"
OUT=$(cd "$1" && pwd)
SRC=$OUT/linux-src
KBUILD=$OUT/kbuild
LOG=$OUT/kernel-build.log
FRAGMENT=$GUEST_DIR/kernel.config

# ---- prerequisites ----------------------------------------------------------
need_pkg "$LINUX_SOURCE_PKG"
need_cmd riscv64-linux-gnu-gcc gcc-riscv64-linux-gnu
need_cmd riscv64-linux-gnu-ld binutils-riscv64-linux-gnu
need_cmd gcc gcc
need_cmd make make
need_cmd bc bc
need_cmd flex flex
need_cmd bison bison
need_cmd xz xz-utils
need_cmd perl perl-base
need_file /usr/include/openssl/opensslv.h libssl-dev
need_file /usr/include/gelf.h libelf-dev
check_prereqs

VERSION=$(linux_source_version)
TARBALL=$(linux_source_tarball)
[ -n "$TARBALL" ] && [ -f "$TARBALL" ] ||
	die "cannot find the $LINUX_SOURCE_PKG tarball (dpkg -L $LINUX_SOURCE_PKG)"

# Reproducibility: everything that kbuild would take from the build machine or
# the clock is pinned. The timestamp is the tarball's mtime (set by the Debian
# package build, identical on every machine for a given package version).
SOURCE_DATE_EPOCH=$(stat -c %Y "$TARBALL")
export SOURCE_DATE_EPOCH
export KBUILD_BUILD_TIMESTAMP
KBUILD_BUILD_TIMESTAMP=$(LC_ALL=C date -u -d "@$SOURCE_DATE_EPOCH" '+%a %b %e %H:%M:%S UTC %Y')
export KBUILD_BUILD_USER=tabvm KBUILD_BUILD_HOST=tabvm KBUILD_BUILD_VERSION=1
export LOCALVERSION='' LC_ALL=C TZ=UTC
unset KCONFIG_CONFIG KBUILD_OUTPUT CROSS_COMPILE ARCH

# ---- source -----------------------------------------------------------------
ensure_linux_source "$OUT"

# Run the kernel's own make. Parallelism: inherit the jobserver of a parallel
# top-level make if there is one, otherwise use all CPUs.
JOBS=()
case " ${MAKEFLAGS:-} " in
*jobserver*) ;;
*) JOBS=(-j"${GUEST_JOBS:-$(nproc)}") ;;
esac
kmake() {
	make -C "$SRC" O="$KBUILD" ARCH=riscv CROSS_COMPILE=riscv64-linux-gnu- \
		"${JOBS[@]}" "$@"
}
run_logged() {
	if [ "${V:-0}" = 1 ]; then
		"$@" 2>&1 | tee -a "$LOG"
	elif ! "$@" >>"$LOG" 2>&1; then
		tail -n 40 "$LOG" >&2
		die "kernel build failed, full log: $LOG"
	fi
}

mkdir -p "$KBUILD"
: >"$LOG"

# ---- configure --------------------------------------------------------------
say CONFIG "allnoconfig + ${FRAGMENT#"$PWD"/}"
run_logged kmake KCONFIG_ALLCONFIG="$FRAGMENT" allnoconfig

# Every line of the fragment must have survived (typos, unmet dependencies).
bad=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*)
		grep -qxF -- "$line" "$KBUILD/.config" || {
			echo "guest: kernel.config: '$line' not honoured; got: $(grep -E "^(# )?${line%%=*}[= ]" "$KBUILD/.config" || echo '(absent)')" >&2
			bad=1
		} ;;
	"# CONFIG_"*" is not set")
		sym=${line#\# }; sym=${sym%% *}
		! grep -q "^$sym=" "$KBUILD/.config" || {
			echo "guest: kernel.config: '$line' not honoured; got: $(grep "^$sym=" "$KBUILD/.config")" >&2
			bad=1
		} ;;
	esac
done <"$FRAGMENT"
[ "$bad" = 0 ] || die "kernel configuration does not match guest/kernel.config"

# ---- build ------------------------------------------------------------------
say KERNEL "building Linux $VERSION (riscv64); log: ${LOG#"$PWD"/}"
start=$(date +%s)
run_logged kmake Image
cp -f "$KBUILD/arch/riscv/boot/Image" "$OUT/Image.tmp"
cp -f "$KBUILD/.config" "$OUT/Image.config"
mv -f "$OUT/Image.tmp" "$OUT/Image"
say KERNEL "$(stat -c %s "$OUT/Image") bytes in $(($(date +%s) - start))s: ${OUT#"$PWD"/}/Image"
