#!/bin/bash
# Unpack the installed linux-source-6.1 tarball into OUTDIR/linux-src (only if
# it is missing or from another package version).
# usage: guest/unpack-linux.sh OUTDIR
set -euo pipefail
# shellcheck source=guest/common.sh
. "$(dirname "$0")/common.sh"
[ $# -eq 1 ] || die "usage: $0 OUTDIR"
mkdir -p "$1"
ensure_linux_source "$(cd "$1" && pwd)"
