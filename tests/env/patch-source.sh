#!/bin/bash
# patch-source.sh SRC DEST PATCH: DEST becomes a copy of the kernel
# source SRC with PATCH (make kernel-patch's) applied, without ever
# writing SRC: hard links for the files the patch leaves alone (so the
# copy is quick and its mtimes are SRC's, which keeps an incremental
# build incremental), real copies of the files it changes.  Prints what
# git apply says on failure.
set -euo pipefail
src=$1 dest=$2 patch=$3
rm -rf "$dest"
mkdir -p "$(dirname "$dest")"
cp -al "$src" "$dest"
for f in $(sed -n 's|^--- a/||p' "$patch"); do
	cp --remove-destination "$src/$f" "$dest/$f"
done
cd "$dest"
git apply --check "$patch"
git apply "$patch"
