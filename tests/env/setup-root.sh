#!/bin/bash
# Build (or refresh) the Debian trixie build root that every other step uses:
# the Debian 7.x kernel images and headers, the kernel's own compiler and
# kbuild tools, and the userspace that goes into the test initramfs.
#
# The root lives outside the clone ($DCSSDAX_CACHE, default /var/cache/dcssdax)
# so a later run on the same machine reuses it; a fresh machine builds it in
# a few minutes.  Mirror indexes are sometimes inconsistent: every network
# step retries.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

MIRROR=${DCSSDAX_MIRROR:-http://deb.debian.org/debian}
PKGS="gcc make kmod cpio xz-utils zstd busybox-static e2fsprogs xfsprogs
      libc6-dev libelf-dev bc flex bison perl python3 file
      sparse util-linux fdisk udev jq pkg-config libjson-c-dev
      libkmod-dev libudev-dev libmount-dev libblkid-dev daxctl libdaxctl-dev
      libsmartcols-dev"

make_root() {
	[ -x "$ROOT/usr/bin/apt-get" ] && [ -f "$ROOT/.debootstrap-done" ] && return 0
	log "debootstrap trixie into $ROOT"
	rm -rf "$ROOT"
	mkdir -p "$ROOT"
	retry debootstrap --variant=minbase trixie "$ROOT" "$MIRROR" \
		>"$CACHE/debootstrap.log" 2>&1 || {
		tail -20 "$CACHE/debootstrap.log"; return 1; }
	cat >"$ROOT/etc/apt/sources.list" <<SRC
deb $MIRROR trixie main
deb $MIRROR trixie-backports main
SRC
	touch "$ROOT/.debootstrap-done"
}

root_packages() {
	local want stamp
	want=$(echo "$PKGS" | tr -s ' \n' '\n' | sort | tr '\n' ' ')
	stamp="$ROOT/.pkgs"
	[ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && return 0
	log "installing build-root packages"
	root_apt update || true
	retry root_apt install --no-install-recommends $want
	echo "$want" >"$stamp"
}

# The pinned trixie-backports kernel (tests/env/kernels.txt), its
# headers and the matching kbuild; `make update-kernels` moves the pin.
# Only when the archive no longer has it, the newest, said loudly.
root_kernel() {
	local stamp="$ROOT/.kernel-amd64" pin abi ver
	pin=$(pinned amd64)
	abi=${pin% *} ver=${pin#* }
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$pin" ] &&
	   [ -d "$ROOT/lib/modules/$abi-amd64" ]; then
		return 0
	fi
	log "installing the pinned amd64 kernel $abi ($ver)"
	root_apt update || true
	if retry root_apt install --no-install-recommends -t trixie-backports \
		"linux-image-$abi-amd64=$ver" "linux-headers-$abi-amd64=$ver"; then
		echo "$pin" >"$stamp"
		return 0
	fi
	log "WARNING: the archive no longer has the pinned amd64 kernel $abi ($ver) (tests/env/kernels.txt):"
	log "WARNING: testing the newest trixie-backports kernel instead; run make update-kernels and commit the pin"
	retry root_apt install --no-install-recommends -t trixie-backports \
		linux-image-amd64 linux-headers-amd64
	echo "unpinned" >"$stamp"
}

# Lint tools for the kernel code: checkpatch.pl (with its data files),
# checker-valid.sh and the coccinelle scripts (make coccicheck's) from the
# kernel's own source package, coccinelle's spatch (with the libpython its
# Python rules load), and a sparse that knows __typeof_unqual__ (trixie's
# 0.6.4 does not; sid's 0.6.5 does).
root_lint() {
	local kver series stamp
	kver=$(kver_amd64)
	series=$(echo "$kver" | cut -d. -f1,2)
	stamp="$ROOT/.lint2-$kver"
	[ -f "$stamp" ] && return 0
	log "installing lint tools (sparse from sid, linux-source-$series)"
	cat >"$ROOT/etc/apt/sources.list.d/sid.list" <<SRC
deb $MIRROR sid main
SRC
	printf 'Package: *\nPin: release a=unstable\nPin-Priority: 100\n' \
		>"$ROOT/etc/apt/preferences.d/sid"
	root_apt update || true
	retry root_apt install --no-install-recommends -t unstable sparse
	retry root_apt install --no-install-recommends -t trixie coccinelle \
		libpython3.13
	# Reinstalled: the tarball is deleted once the scripts are out, and
	# an older set-up (or the debug kernel's) may have left the package.
	retry root_apt install --reinstall --no-install-recommends \
		-t trixie-backports "linux-source-$series"
	inroot sh -c "rm -rf /usr/src/linux-scripts && mkdir -p /usr/src/linux-scripts &&
		tar -xJf /usr/src/linux-source-$series.tar.xz -C /usr/src/linux-scripts \
		--strip-components=1 linux-source-$series/scripts/checkpatch.pl \
		linux-source-$series/scripts/spelling.txt \
		linux-source-$series/scripts/const_structs.checkpatch \
		linux-source-$series/scripts/checker-valid.sh \
		linux-source-$series/scripts/coccinelle &&
		cp /usr/src/linux-scripts/scripts/checker-valid.sh \
		/usr/src/linux-headers-$kver/../linux-headers-${kver%-*}-common/scripts/ &&
		rm -f /usr/src/linux-source-$series.tar.xz"
	touch "$stamp"
}

mkdir -p "$CACHE"
"$here/setup-host.sh"
make_root
root_packages
root_kernel
root_lint
log "build root ready: kernel $(kver_amd64)"
