#!/bin/sh
# Boots the tiny image on the profiling build of tabvm-boot, computes pi to 600 digits with bc,
# powers off, and prints which ops and pairs of ops ran most (make op-profile).
set -eu
build=${1:-build}
{
    sleep 3
    echo 'echo "scale=600; 4*a(1)" | bc -l | tail -c 20'
    sleep 40
    echo 'poweroff -f'
} | "$build/prof/tabvm-boot" --kernel "$build/guest/Image" --initrd "$build/guest/initramfs.cpio.gz" \
    2>&1 >/dev/null | sed -n '/^ops run/,$p'
