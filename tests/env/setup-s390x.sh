#!/bin/bash
# The s390x half of the build root: the newest Debian s390x 7.x kernel
# whose packages can be fetched, its headers with the amd64 kbuild of the
# same version (a cross build), the s390x cross compiler, qemu-system-s390x
# and an s390x userspace tree for the initramfs.
#
# trixie-backports first.  The mirror's s390x index is sometimes stale or
# inconsistent while amd64's is fine, so the versions come from the amd64
# index (every linux-kbuild-*+deb13 it lists) and the s390x packages are
# taken from the pool, newest version first, until one is complete.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

MIRROR=${DCSSDAX_MIRROR:-http://deb.debian.org/debian}
S390X_ROOT=$ROOT$S390X_SYSROOT
DEBS=$CACHE/debs
mkdir -p "$DEBS"

cross_tools() {
	[ -f "$ROOT/.s390x-tools" ] && return 0
	log "installing the s390x cross compiler and qemu-system-s390x"
	retry root_apt install --no-install-recommends gcc-14-s390x-linux-gnu \
		libc6-dev-s390x-cross binutils-s390x-linux-gnu qemu-system-s390x
	touch "$ROOT/.s390x-tools"
}

# fetch URL FILE: download once, keep in the cache.
fetch() {
	[ -s "$2" ] && return 0
	curl -fsS --retry 3 -o "$2.part" "$1" && mv "$2.part" "$2"
}

# Try kernel version V (e.g. 7.2.11+deb13) with Debian version D.
try_kernel() {
	local v=$1 d=$2 p
	for p in binary modules headers; do
		fetch "$MIRROR/pool/main/l/linux/linux-$p-$v-s390x_${d}_s390x.deb" \
			"$DEBS/linux-$p-$v-s390x_${d}_s390x.deb" 2>/dev/null || return 1
	done
	retry root_apt install --no-install-recommends "linux-kbuild-$v" \
		"linux-headers-$v-common" || return 1
	for p in binary modules headers; do
		dpkg-deb -x "$DEBS/linux-$p-$v-s390x_${d}_s390x.deb" "$ROOT"
	done
	# Packages unpacked by hand get no postinst: make modules.dep here.
	inroot depmod "$v-s390x"
	return 0
}

# The pinned kernel (tests/env/kernels.txt); only when the pool no
# longer has it, the newest complete one, said loudly.
s390x_kernel() {
	local v d pin
	pin=$(pinned s390x)
	if [ -f "$ROOT/.kernel-s390x" ] && [ "$(cat "$ROOT/.kernel-s390x")" = "$pin" ] &&
	   [ -d "$ROOT/lib/modules/${pin% *}-s390x" ]; then
		return 0
	fi
	root_apt update || true
	log "trying the pinned s390x kernel ${pin% *} (${pin#* })"
	if try_kernel "${pin% *}" "${pin#* }"; then
		echo "$pin" >"$ROOT/.kernel-s390x"
		log "s390x kernel: ${pin% *}"
		return 0
	fi
	log "WARNING: the pool no longer has the pinned s390x kernel $pin (tests/env/kernels.txt):"
	log "WARNING: testing the newest complete one instead; run make update-kernels and commit the pin"
	for v in $(inroot apt-cache pkgnames linux-kbuild- |
		   grep -E '^linux-kbuild-7\.[0-9.]+\+deb13$' |
		   sed 's/^linux-kbuild-//' | sort -rV); do
		d=$(inroot apt-cache show "linux-kbuild-$v" |
		    awk '/^Version:/ {print $2; exit}')
		log "trying s390x kernel $v ($d)"
		if try_kernel "$v" "$d"; then
			echo "unpinned" >"$ROOT/.kernel-s390x"
			log "s390x kernel: $v"
			return 0
		fi
	done
	log "no complete s390x 7.x kernel found in the pool"
	return 1
}

# An s390x tree with the userspace of the initramfs, unpacked from single
# packages: glibc comes from libc6-s390x-cross (an amd64-index package), so
# a point release whose s390x libc6 has not reached the pool yet does not
# matter.  Only unpacked, no s390x code runs here.  Python and coreutils
# are the programs s390x guests share on a segment (tests/share/tree.sh).
S390X_PKGS="busybox-static e2fsprogs libext2fs2t64 libcom-err2 libblkid1
	libuuid1 xfsprogs libinih1 liburcu8t64 libedit2 libbsd0 libmd0 libtinfo6
	libjson-c-dev libjson-c5 libkmod-dev libkmod2 libudev-dev libudev1
	libmount-dev libmount1 libblkid-dev libsmartcols-dev libsmartcols1
	libselinux1 libpcre2-8-0 udev
	libsystemd-shared libacl1 libcap2 libcrypt1 libssl3t64 libpam0g
	libseccomp2 libaudit1 libcap-ng0 zlib1g libzstd1 liblzma5 jq libjq1
	libonig5 libselinux1-dev libsepol-dev libpcre2-dev uuid-dev libsepol2
	daxctl libdaxctl1 libdaxctl-dev libndctl6 libiniparser4
	python3.13-minimal libpython3.13-minimal libpython3.13-stdlib coreutils
	libffi8 libexpat1 libsqlite3-0 libbz2-1.0 libgmp10 libattr1 libmpdec4
	libncursesw6 libreadline8t64 libdb5.3t64 libsystemd0"

s390x_userspace() {
	local want pkg dir=/var/cache/dcssdax-s390x-debs
	want=$(echo $S390X_PKGS)
	[ -f "$S390X_ROOT/.pkgs" ] && [ "$(cat "$S390X_ROOT/.pkgs")" = "$want" ] &&
		return 0
	log "unpacking an s390x userspace tree"
	inroot sh -c "grep -q s390x /var/lib/dpkg/arch 2>/dev/null || dpkg --add-architecture s390x"
	root_apt update || true
	inroot sh -c "rm -rf $dir && mkdir -p $dir"
	# A version the index names may be missing from the pool while the
	# mirror syncs: then take sid's (libraries keep their ABI).
	for pkg in $want; do
		inroot sh -c "cd $dir && apt-get -q download $pkg:s390x" \
			>>"$CACHE/apt.log" 2>&1 ||
		retry inroot sh -c "cd $dir && apt-get -q -t unstable download $pkg:s390x" \
			>>"$CACHE/apt.log" 2>&1 || {
			log "cannot download $pkg:s390x"; return 1; }
	done
	rm -rf "$S390X_ROOT"
	mkdir -p "$S390X_ROOT"
	for deb in "$ROOT$dir"/*.deb; do
		dpkg-deb -x "$deb" "$S390X_ROOT"
	done
	echo "$want" >"$S390X_ROOT/.pkgs"
}

cross_tools
s390x_kernel
s390x_userspace
log "s390x ready: kernel $(kver_s390x)"
