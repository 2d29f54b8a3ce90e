#!/bin/sh
# The manifest hash of a tree: sha256 over the sorted list of its regular
# files' sha256 sums.  Runs on the host (coreutils) and in the guests
# (busybox), which print the same.
#
#   manifest.sh DIR
cd "$1" || exit 1
find . -type f | LC_ALL=C sort | LC_ALL=C xargs sha256sum | sha256sum | cut -c1-64
