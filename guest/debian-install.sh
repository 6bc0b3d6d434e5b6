#!/bin/sh
# The configure boot of the Debian image (debootstrap's "second stage"), run as
# PID 1 (init=/tabvm-install) under qemu-system-riscv64 by build-debian-ext4.sh.
# Copied into the image as /tabvm-install and removed by itself when done.
#
# The image holds the host-unpacked "base" packages (the Priority: required
# closure of guest/debian.pin), not yet known to dpkg; /dev/vdb is a read-only
# ext4 disk with every pinned .deb and a Packages index. This script
#   1. installs the base packages properly with dpkg, in debootstrap's order
#      (base-passwd, base-files, dpkg, libc6, perl-base, mawk, debconf, then
#      all of them unpacked and configured), so that dpkg records every file,
#      owner, mode, conffile and runs every maintainer script;
#   2. installs the packages of guest/debian-packages.list with apt-get from
#      the local index (apt orders Pre-Depends and configuration, marks their
#      dependencies as automatically installed), no Recommends;
#   3. checks the dpkg database (dpkg --audit, every pinned package "ii" at
#      its pinned version), cleans up, writes the result marker
#      "TABVM-DEBIAN-INSTALL: OK" and powers off (fstrim first, so the host
#      file gets holes for the freed blocks).
# Any failure prints "TABVM-DEBIAN-INSTALL: FAILED ..." and powers off.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LC_ALL=C.UTF-8 TERM=dumb
export DEBIAN_FRONTEND=noninteractive DEBCONF_NONINTERACTIVE_SEEN=true DPKG_COLORS=never
DEBS=/run/tabvm-debs

off() {
	sync
	umount "$DEBS" 2>/dev/null
	umount /dev/pts /run /tmp 2>/dev/null
	mount -o remount,ro / 2>/dev/null
	sync
	if [ -x /usr/bin/busybox ]; then /usr/bin/busybox poweroff -f; fi
	# (no busybox yet: the kernel panics when PID 1 exits; qemu -no-reboot exits)
	exit 1
}
fail() {
	echo "TABVM-DEBIAN-INSTALL: FAILED: $*" >&2 # (stderr: also seen from inside $(...))
	off
}
step() { echo "tabvm-install: $*"; }
# deb NAME...: the .deb files of these packages
deb() { for p in "$@"; do set -- "$DEBS"/"$p"_*.deb; [ -f "$1" ] || fail "no .deb for $p"; echo "$1"; done; }

# (this script is exec'd again twice: mount only what is not mounted yet)
[ -e /proc/mounts ] || mount -t proc proc /proc
grep -q ' /run ' /proc/mounts || mount -t tmpfs -o mode=0755 tmpfs /run
# Run from a copy in /run: the shell keeps its script open, and an open deleted
# file on / would stop the final read-only remount (an orphan inode in the image).
if [ "$0" != /run/tabvm-install ]; then
	cp "$0" /run/tabvm-install && exec /run/tabvm-install
	fail "cannot copy $0 to /run"
fi
if [ "${1-}" = finish ]; then
	n=$(cat /run/tabvm-count)
	umount "$DEBS"
	sync
	fstrim -v / || true
	# The image must be left clean: nothing open for writing, / read-only.
	umount /dev/pts /tmp 2>/dev/null
	mount -o remount,ro / || fail "cannot remount / read-only (a file still open?)"
	grep -q '^[^ ]* / [^ ]* ro[, ]' /proc/mounts || fail "/ is not read-only"
	echo "TABVM-DEBIAN-INSTALL: OK $n"
	off
fi
mount -t sysfs sysfs /sys
grep -q ' /dev ' /proc/mounts || mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts && mount -t devpts devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -o remount,rw / || fail "cannot remount / read-write"
mkdir -p "$DEBS" && mount -t ext4 -o ro /dev/vdb "$DEBS" || fail "cannot mount the package disk /dev/vdb"
step "start $(date -u +%FT%TZ)"
T0=$(date +%s)

# Built by a non-root user, the host-unpacked files belong to that user; dpkg
# fixes what it unpacks, this fixes the rest (directories, the overlay). On a
# (non-recursive) bind mount of /, so that the directories under /proc, /run,
# /tmp, ... are reached too.
mkdir -p /run/rootfs && mount --bind / /run/rootfs || fail "cannot bind-mount /"
find /run/rootfs -xdev \( ! -user 0 -o ! -group 0 \) -exec chown -h 0:0 {} + 2>/dev/null
umount /run/rootfs

BASE=$(cat "$DEBS/base.list")     # the Priority: required closure
WANTED=$(cat "$DEBS/wanted.list") # guest/debian-packages.list

# ---- 1. base (debootstrap's second_stage_install) ----------------------------
# dpkg itself must look installed for the first dpkg --install.
ver=$(dpkg-deb -f "$(deb dpkg)" Version)
printf 'Package: dpkg\nVersion: %s\nMaintainer: unknown\nStatus: install ok installed\n\n' "$ver" >>/var/lib/dpkg/status
: >/var/lib/dpkg/info/dpkg.list
/sbin/ldconfig

core() { dpkg --force-depends --install $(deb "$@") </dev/null || fail "dpkg --install $*"; }
step "core packages"
ln -sf mawk /usr/bin/awk
core base-passwd
core base-files
core dpkg
[ -e /etc/localtime ] || ln -sf /usr/share/zoneinfo/Etc/UTC /etc/localtime
core libc6
core perl-base
rm -f /usr/bin/awk
core mawk
core debconf

step "unpack the base packages"
# shellcheck disable=SC2086
dpkg --force-depends --unpack $(deb $BASE) </dev/null || fail "dpkg --unpack (base)"

# No daemons may start while configuring (debootstrap does the same).
printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
chmod 755 /usr/sbin/policy-rc.d
mv /usr/sbin/start-stop-daemon /usr/sbin/start-stop-daemon.REAL
printf '#!/bin/sh\necho "Warning: Fake start-stop-daemon called, doing nothing"\n' >/usr/sbin/start-stop-daemon
chmod 755 /usr/sbin/start-stop-daemon

step "configure the base packages"
dpkg --configure --pending --force-configure-any --force-depends </dev/null || fail "dpkg --configure (base)"

# ---- 2. extra packages, with apt from the local index ------------------------
step "install the extra packages with apt"
APT_LOCAL="-o Dir::Etc::SourceList=/tmp/local.list -o Dir::Etc::SourceParts=/dev/null
 -o Dir::State::Lists=/tmp/apt-lists -o Dir::Cache=/tmp/apt-cache
 -o APT::Install-Recommends=false -o APT::Install-Suggests=false
 -o Dpkg::Options::=--force-confold -o Acquire::Languages=none"
echo "deb [trusted=yes] file:$DEBS ./" >/tmp/local.list
mkdir -p /tmp/apt-lists/partial /tmp/apt-cache/archives/partial
# shellcheck disable=SC2086
apt-get -q $APT_LOCAL update </dev/null || fail "apt-get update (local index)"
# shellcheck disable=SC2086
apt-get -q -y $APT_LOCAL install $WANTED </dev/null || fail "apt-get install (extra packages)"

mv -f /usr/sbin/start-stop-daemon.REAL /usr/sbin/start-stop-daemon
rm -f /usr/sbin/policy-rc.d

# ---- 3. check ------------------------------------------------------------------
step "check"
audit=$(dpkg --audit 2>&1)
[ -z "$audit" ] || { echo "$audit"; fail "dpkg --audit is not empty"; }
dpkg-query -W -f='${db:Status-Abbrev} ${Package} ${Version}\n' | sort >/tmp/installed
while read -r name ver _; do
	grep -qxF "ii  $name $ver" /tmp/installed || fail "$name $ver is not installed (ii) at that version"
done <"$DEBS/pin.list"
n=$(grep -c '^ii ' /tmp/installed)
[ "$n" = "$(wc -l <"$DEBS/pin.list")" ] || fail "$n packages installed, $(wc -l <"$DEBS/pin.list") pinned"

# ---- cleanup ------------------------------------------------------------------
# apt's binary caches and the downloaded-packages folder are rebuilt on demand;
# there are no lists yet (apt-get update once the guest has a network).
rm -f /var/cache/apt/*.bin /var/cache/debconf/*-old /var/lib/dpkg/*-old
rm -rf /var/cache/apt/archives/partial/* /var/lib/apt/lists/partial/*
# dpkg's "available" file (for dselect/dpkg --print-avail): from the pinned set
dpkg --update-avail "$DEBS/Packages" >/dev/null 2>&1 || true
rm -f /var/lib/dpkg/available-old
rm -f /tabvm-install
step "done in $(($(date +%s) - T0)) s: $n packages"
echo "$n" >/run/tabvm-count
# This shell (PID 1) still maps the dash and libc it started with, which dpkg
# has since replaced: deleted files in use, which would stop the read-only
# remount. Run the rest in a fresh shell from the installed files.
exec /run/tabvm-install finish
