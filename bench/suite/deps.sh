#!/bin/sh
# The Debian packages only the benchmark suite needs (scripts/deps.sh installs the rest, and
# the npm packages, v86 among them): seabios, the BIOS v86 boots the x86 guest with
# (docs/dependencies.md). Installs what is missing; silent when all is there.
set -eu
PACKAGES="seabios"
missing=""
for p in $PACKAGES; do
	case "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -n "$missing" ] || exit 0
echo "bench deps: installing Debian packages:$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
