#!/bin/bash
# A minimal Debian trixie system with systemd and udev, for the boot test
# of the admin path (tests/boot/run.sh).  Cached like the build root.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

MIRROR=${DCSSDAX_MIRROR:-http://deb.debian.org/debian}
BOOTROOT=$CACHE/boot-root
if [ ! -f "$BOOTROOT/.done" ]; then
	log "debootstrap a systemd guest into $BOOTROOT"
	rm -rf "$BOOTROOT"
	retry debootstrap --variant=minbase \
		--include=systemd,systemd-sysv,udev,kmod,e2fsprogs,libjson-c5,libkmod2,libudev1,libmount1,libblkid1,libdaxctl1,libsmartcols1 \
		trixie "$BOOTROOT" "$MIRROR" >"$CACHE/debootstrap-boot.log" 2>&1 || {
		tail -n 20 "$CACHE/debootstrap-boot.log"; exit 1; }
	touch "$BOOTROOT/.done"
fi
# dcssctl's libraries added since a cached root was made.
if [ ! -e "$BOOTROOT/usr/lib/x86_64-linux-gnu/libdaxctl.so.1" ]; then
	log "adding libdaxctl1 to $BOOTROOT"
	(ROOT=$BOOTROOT; root_apt update || true
	 retry root_apt install --no-install-recommends libdaxctl1)
	rm -f "$CACHE"/boot-root-pkg/.done-*
fi

# The boot test installs the built .debs with dpkg (tests/boot/run.sh),
# so dcssdax-dkms's postinst builds the module in the guest's root: that
# root needs dkms, the kernel's compiler and the test kernel's headers
# (trixie-backports, the build root's kernel).  A copy of the plain boot
# root with them, so the plain one stays small; remade when the kernel
# changes.  Failing here fails only the boot test (run.sh says so), not
# the whole setup: the archive may lag behind the build root's kernel.
kver=$(kver_amd64)
PKGROOT=$CACHE/boot-root-pkg
if [ -n "$kver" ] && [ ! -f "$PKGROOT/.done-$kver" ]; then
	log "boot root with dkms and linux-headers-$kver in $PKGROOT"
	rm -rf "$PKGROOT"
	cp -a "$BOOTROOT" "$PKGROOT"
	rm -f "$PKGROOT/.done"
	echo "deb $MIRROR trixie-backports main" >"$PKGROOT/etc/apt/sources.list.d/backports.list"
	if (
		ROOT=$PKGROOT
		root_apt update || true
		retry root_apt install --no-install-recommends dkms gcc-14 make \
			libc6-dev xz-utils "linux-headers-$kver" &&
		inroot apt-get clean
	); then
		touch "$PKGROOT/.done-$kver"
	else
		log "cannot install dkms and linux-headers-$kver into $PKGROOT"
		rm -rf "$PKGROOT"
	fi
fi
