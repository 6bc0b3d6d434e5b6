#!/bin/sh
# Installs what the build and the tests need and is missing: Debian packages with apt-get, npm
# packages with `npm ci` from the committed lockfile. Quiet and quick when nothing is missing.
set -eu
cd "$(dirname "$0")/.."

# Build: native C and the Wasm modules. Guest: the kernel and the riscv64 cross toolchain (with
# its static C library, for the guest agent),
# e2fsprogs for the ext4 root disk image.
# Tests: QEMU as the reference for the ISA suite, Chromium for the Playwright tests, clang with
# its libFuzzer runtime for the fuzz targets. The network relay: libslirp, libwebsockets with
# its GLib event loop, GLib (docs/dependencies.md).
PACKAGES="gcc make emscripten binaryen clang-format clang libclang-rt-14-dev
libslirp-dev libwebsockets-dev libwebsockets-evlib-glib libglib2.0-dev pkg-config
gcc-riscv64-linux-gnu binutils-riscv64-linux-gnu libc6-dev-riscv64-cross
linux-source-6.1 bc flex bison libssl-dev libelf-dev cpio xz-utils dpkg-dev e2fsprogs debian-archive-keyring
qemu-system-misc qemu-user device-tree-compiler
chromium"

missing=""
for p in $PACKAGES; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$status" in
    *"install ok installed"*) ;;
    *) missing="$missing $p" ;;
    esac
done
command -v node >/dev/null 2>&1 || missing="$missing nodejs npm"

if [ -n "$missing" ]; then
    echo "deps: installing Debian packages:$missing"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# npm packages: reinstall when the lockfile is newer than the installed tree.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "deps: npm ci"
    npm ci --no-audit --no-fund --loglevel=error
fi
