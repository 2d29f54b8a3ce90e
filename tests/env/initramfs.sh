#!/bin/bash
# Pack the test initramfs of one architecture: busybox, the real mkfs and
# fsck tools with their libraries, the kernel modules the tests load
# (decompressed, in dependency order), dcssdax.ko, the test programs and
# the guest scripts.
#
#   tests/env/initramfs.sh ARCH KVER
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

arch=$1 kver=$2
out=$TOP/build/$arch$FLAVOUR
stage=$out/initramfs
case $arch in
x86_64)
	sysroot=$ROOT triplet=x86_64-linux-gnu
	libdirs="$ROOT/lib/$triplet $ROOT/usr/lib/$triplet $ROOT/usr/lib/$triplet/systemd"
	;;
s390x)
	# glibc from the cross package, everything else from the s390x tree.
	sysroot=$ROOT$S390X_SYSROOT triplet=s390x-linux-gnu
	libdirs="$ROOT/usr/s390x-linux-gnu/lib $sysroot/lib/$triplet $sysroot/usr/lib/$triplet $sysroot/usr/lib/$triplet/systemd"
	;;
esac

rm -rf "$stage"
mkdir -p "$stage"/{bin,sbin,lib,proc,sys,dev,tmp,mnt,run,etc,modules,tests}
mkdir -p "$stage/usr" && ln -s ../lib "$stage/usr/lib"

cp "$sysroot/usr/bin/busybox" "$stage/bin/busybox"
for app in $("$ROOT/usr/bin/busybox" --list); do
	[ -e "$stage/bin/$app" ] || ln -s busybox "$stage/bin/$app"
done

# The real tools; busybox runs its own applets first, so the tests call
# these by full path.
tools="mke2fs e2fsck mkfs.xfs xfs_repair filefrag"
for t in $tools; do
	cp "$sysroot/usr/sbin/$t" "$stage/sbin/$t"
done
# dcssctl with udev (and jq to check its JSON) where it is built.
if [ -x "$out/tools/dcssctl" ]; then
	cp "$out/tools/dcssctl" "$stage/sbin/dcssctl"
	cp "$sysroot/usr/lib/systemd/systemd-udevd" "$stage/sbin/udevd"
	cp "$sysroot/usr/bin/udevadm" "$sysroot/usr/bin/jq" "$stage/sbin/"
	mkdir -p "$stage/lib/udev/rules.d" "$stage/etc/modprobe.d"
	for r in 50-udev-default.rules 60-persistent-storage.rules; do
		cp "$sysroot/usr/lib/udev/rules.d/$r" "$stage/lib/udev/rules.d/"
	done
	cp "$TOP/udev/60-dcssdax.rules" "$stage/lib/udev/rules.d/"
	tools="$tools dcssctl udevd udevadm jq"
	# For libkmod: the module where modprobe looks for it, or, in the
	# kernel that has it built in, the kernel's list that says so.
	mkdir -p "$stage/lib/modules/$kver/extra"
	: >"$stage/lib/modules/$kver/modules.order"
	if [ -n "${DCSSDAX_BUILTIN:-}" ]; then
		cp "$ROOT/lib/modules/$kver/modules.builtin" \
			"$ROOT/lib/modules/$kver/modules.builtin.modinfo" \
			"$stage/lib/modules/$kver/"
	else
		cp "$out/module/dcssdax.ko" "$stage/lib/modules/$kver/extra/"
		: >"$stage/lib/modules/$kver/modules.builtin"
		: >"$stage/lib/modules/$kver/modules.builtin.modinfo"
	fi
	inroot depmod -b "/src/build/$arch$FLAVOUR/initramfs" "$kver"
fi
# daxctl, for the devdax group, where the userspace tree has it.
if [ -x "$sysroot/usr/bin/daxctl" ]; then
	cp "$sysroot/usr/bin/daxctl" "$stage/sbin/daxctl"
	tools="$tools daxctl"
fi
printf 'root:x:0:0:root:/:/bin/sh\n' >"$stage/etc/passwd"
printf 'root:x:0:\ndisk:x:6:\n' >"$stage/etc/group"
ln -sf mke2fs "$stage/sbin/mkfs.ext2"
ln -sf mke2fs "$stage/sbin/mkfs.ext4"
cp "$sysroot/etc/mke2fs.conf" "$stage/etc/" 2>/dev/null || true

# Shared libraries, found by walking DT_NEEDED with readelf (works for a
# foreign architecture, unlike ldd).
find_lib() {
	local d
	for d in $libdirs; do
		[ -e "$d/$1" ] && { echo "$d/$1"; return 0; }
	done
	log "library $1 not found for $arch"
	return 1
}
needed() { readelf -d "$1" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
interp() { readelf -l "$1" 2>/dev/null | sed -n 's/.*interpreter: \(.*\)\]/\1/p'; }
declare -A seen=()
queue=()
for t in $tools; do queue+=("$stage/sbin/$t"); done
interpreter=$(interp "$stage/sbin/mke2fs")
mkdir -p "$stage$(dirname "$interpreter")" "$stage/lib/$triplet"
cp -L "$(find_lib "$(basename "$interpreter")")" "$stage$interpreter"
while [ ${#queue[@]} -gt 0 ]; do
	f=${queue[0]}
	queue=("${queue[@]:1}")
	for lib in $(needed "$f"); do
		[ -n "${seen[$lib]:-}" ] && continue
		seen[$lib]=1
		src=$(find_lib "$lib")
		cp -L "$src" "$stage/lib/$triplet/$lib"
		queue+=("$stage/lib/$triplet/$lib")
	done
done

# Modules: dependency order from modprobe, decompressed for busybox insmod.
: >"$stage/modules/load.list"
mods="ext4 xfs brd loop virtio_blk"
# virtio_console carries the results port: built in on Debian's kernels;
# loaded here where it is a module.
config=
for c in "$ROOT/boot/config-$kver" "$ROOT/usr/src/linux-headers-$kver/.config" \
	 "$ROOT/lib/modules/$kver/build/.config" "$ROOT$DEBUG_TREE/build/.config"; do
	[ -f "$c" ] && { config=$c; break; }
done
case $(grep '^CONFIG_VIRTIO_CONSOLE=' "$config" 2>/dev/null) in
*=y) ;;
*=m) mods="$mods virtio_console" ;;
*) log "warning: no CONFIG_VIRTIO_CONSOLE in the $kver kernel's config: the results port may be missing" ;;
esac
# device_dax (and kmem, which must refuse a segment) for devdax mode.
grep -q '^CONFIG_DEV_DAX=m' "$config" && mods="$mods device_dax"
grep -q '^CONFIG_DEV_DAX_KMEM=m' "$config" && mods="$mods kmem"
# fsdev_dax (Linux 7.1+): root may rebind a dev_dax to it (group 18).
grep -q '^CONFIG_DEV_DAX_FSDEV=m' "$config" && mods="$mods fsdev_dax"
# pmem, the peer make bench compares with, exists on x86_64.
[ "$arch" = x86_64 ] && mods="$mods nd_e820 nd_pmem"
for m in $mods; do
	inroot modprobe -S "$kver" --show-depends "$m" |
		awk '$1 == "insmod" {print $2}'
done | awk '!seen[$0]++' | while read -r ko; do
	base=$(basename "$ko")
	case $base in
	*.xz) xz -dc "$ROOT$ko" >"$stage/modules/${base%.xz}" ;;
	*.zst) zstd -qdc "$ROOT$ko" >"$stage/modules/${base%.zst}" ;;
	*) cp "$ROOT$ko" "$stage/modules/$base" ;;
	esac
	echo "${base%%.ko*}" >>"$stage/modules/load.list"
done
[ -n "${DCSSDAX_BUILTIN:-}" ] || cp "$out/module/dcssdax.ko" "$stage/modules/"
# Where the module is signed (tests/env/build.sh), its unsigned copy too.
[ -n "${DCSSDAX_BUILTIN:-}" ] || [ ! -f "$out/module/dcssdax-unsigned.ko" ] ||
	cp "$out/module/dcssdax-unsigned.ko" "$stage/modules/"

cp -a "$out/progs/." "$TOP/tests/guest/bin/." "$stage/bin/"
cp -a "$TOP/tests/guest/." "$stage/tests/"
# The sharing workflow's helpers that host and guests both run.
mkdir -p "$stage/tests/share"
cp "$TOP/tests/share/manifest.sh" "$TOP/tests/share/change-tree.sh" "$stage/tests/share/"
cp "$TOP/tests/guest/init" "$stage/init"
chmod +x "$stage/init"
echo "$arch" >"$stage/etc/dcssdax-arch"

(cd "$stage" && find . | cpio -o -H newc --quiet) | gzip -1 >"$out/initramfs.gz"
log "initramfs: $(du -h "$out/initramfs.gz" | cut -f1)"
