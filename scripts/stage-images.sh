#!/bin/sh
# Stages the root filesystem images for the page in OUTDIR (served at ./images/, see
# vite.config.js): each under a name that carries its hash (the page keeps a person's writes per
# image, and browsers cache by name), listed in images.json. Images are hard-linked, not copied
# (they are hundreds of MiB, mostly holes), and an image's hash is computed once per build of it.
# An image's entry carries the ranges a boot of it reads (IMAGE.boot-reads.json) when recorded.
# usage: scripts/stage-images.sh OUTDIR NAME=IMAGE...   (images not built are skipped)
set -eu
out=$1
shift
mkdir -p "$out"
entries="" keep=""
for arg in "$@"; do
    name=${arg%%=*}
    image=${arg#*=}
    [ -f "$image" ] || continue
    if [ ! -f "$image.sha256" ] || [ "$image" -nt "$image.sha256" ]; then
        sha256sum "$image" | cut -c1-64 >"$image.sha256"
    fi
    sum=$(cat "$image.sha256")
    file=$name-$(echo "$sum" | cut -c1-12).ext4
    [ -f "$out/$file" ] || ln -f "$image" "$out/$file" 2>/dev/null || cp --sparse=always "$image" "$out/$file"
    keep="$keep $file"
    # What a boot of it reads (scripts/record-boot-reads.js), when recorded for this build of it.
    reads=""
    if [ -f "$image.boot-reads.json" ] && [ ! "$image" -nt "$image.boot-reads.json" ]; then
        reads=", \"bootReads\": $(cat "$image.boot-reads.json")"
    fi
    entry=$(printf '"%s": { "file": "%s", "size": %s, "sha256": "%s"%s }' "$name" "$file" "$(stat -c %s "$image")" "$sum" "$reads")
    entries=${entries:+$entries, }$entry
done
for f in "$out"/*.ext4; do
    [ -e "$f" ] || continue
    case " $keep " in *" ${f##*/} "*) ;; *) rm -f "$f" ;; esac
done
printf '{ "images": { %s } }\n' "$entries" >"$out/images.json.tmp"
mv "$out/images.json.tmp" "$out/images.json"
