#!/bin/sh
# Stages the root filesystem images for the page: each under a name that carries its hash (the
# page keeps a person's writes per image, and browsers cache by name), listed in images.json.
# usage: scripts/stage-images.sh OUTDIR NAME=IMAGE...   (missing images are skipped)
set -eu
out=$1
shift
mkdir -p "$out"
rm -f "$out"/*.ext4
entries=""
for arg in "$@"; do
    name=${arg%%=*}
    image=${arg#*=}
    [ -f "$image" ] || continue
    sum=$(sha256sum "$image" | cut -c1-64)
    file=$name-$(echo "$sum" | cut -c1-12).ext4
    cp --sparse=always "$image" "$out/$file"
    entry=$(printf '"%s": { "file": "%s", "size": %s, "sha256": "%s" }' "$name" "$file" "$(stat -c %s "$image")" "$sum")
    entries=${entries:+$entries, }$entry
done
printf '{ "images": { %s } }\n' "$entries" >"$out/images.json"
