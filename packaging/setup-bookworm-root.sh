#!/bin/bash
# A Debian 12 (bookworm) root for building and installing the .debs as
# Debian 12 does (its debhelper 13.11, dh-dkms 3.0.10, systemd 252):
# $DCSSDAX_CACHE/bookworm-root, made once with debootstrap --variant=minbase
# and the packaging tools; each build adds the package's build
# dependencies itself.  Only make deb DCSSDAX_DEB_SUITE=bookworm and
# tests/packaging.sh use it; the trixie build root is not touched.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../tests/env/common.sh"

MIRROR=${DCSSDAX_MIRROR:-http://deb.debian.org/debian}
BOOKWORM_ROOT=$CACHE/bookworm-root
TOOLS="build-essential debhelper dh-dkms dpkg-dev fakeroot"

if [ -f "$BOOKWORM_ROOT/.setup-done" ] &&
   [ "$(cat "$BOOKWORM_ROOT/.setup-done")" = "$TOOLS" ]; then
	exit 0
fi
if [ ! -f "$BOOKWORM_ROOT/.debootstrap-done" ]; then
	log "debootstrap bookworm into $BOOKWORM_ROOT"
	rm -rf "$BOOKWORM_ROOT"
	mkdir -p "$BOOKWORM_ROOT"
	retry debootstrap --variant=minbase bookworm "$BOOKWORM_ROOT" "$MIRROR" \
		>"$CACHE/debootstrap-bookworm.log" 2>&1 || {
		tail -n 20 "$CACHE/debootstrap-bookworm.log" >&2; exit 1; }
	cat >"$BOOKWORM_ROOT/etc/apt/sources.list" <<SRC
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
SRC
	touch "$BOOKWORM_ROOT/.debootstrap-done"
fi
log "installing the packaging tools in $BOOKWORM_ROOT"
ROOT=$BOOKWORM_ROOT root_apt update || true
ROOT=$BOOKWORM_ROOT retry root_apt install --no-install-recommends $TOOLS
echo "$TOOLS" >"$BOOKWORM_ROOT/.setup-done"
