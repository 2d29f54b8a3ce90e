#!/bin/bash
# A minimal Debian trixie system with systemd and udev, for the boot test
# of the admin path (tests/boot/run.sh).  Cached like the build root.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

MIRROR=${DCSSDAX_MIRROR:-http://deb.debian.org/debian}
BOOTROOT=$CACHE/boot-root
[ -f "$BOOTROOT/.done" ] && exit 0
log "debootstrap a systemd guest into $BOOTROOT"
rm -rf "$BOOTROOT"
retry debootstrap --variant=minbase \
	--include=systemd,systemd-sysv,udev,kmod,e2fsprogs,libjson-c5,libkmod2,libudev1,libmount1,libblkid1 \
	trixie "$BOOTROOT" "$MIRROR" >"$CACHE/debootstrap-boot.log" 2>&1 || {
	tail -n 20 "$CACHE/debootstrap-boot.log"; exit 1; }
touch "$BOOTROOT/.done"
