#!/bin/bash
# Pack the test initramfs: busybox, the real mkfs/fsck tools with their
# libraries, the kernel modules the tests load (decompressed, in
# dependency order), dcssdax.ko, the test programs and the guest scripts.
#
#   tests/env/initramfs.sh ARCH KVER
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

arch=$1 kver=$2
out=$TOP/build/$arch
stage=$out/initramfs
rm -rf "$stage"
mkdir -p "$stage"/{bin,sbin,lib,lib64,usr/lib,proc,sys,dev,tmp,mnt,run,etc,modules,tests}

cp "$ROOT/usr/bin/busybox" "$stage/bin/busybox"
for app in $("$ROOT/usr/bin/busybox" --list); do
	[ -e "$stage/bin/$app" ] || ln -s busybox "$stage/bin/$app"
done

# Real tools shadow busybox's applets of the same name.
tools="/usr/sbin/mke2fs /usr/sbin/e2fsck /usr/sbin/mkfs.xfs
       /usr/sbin/xfs_repair /usr/sbin/blkid /usr/sbin/blockdev
       /usr/sbin/blkdiscard"
for t in $tools; do
	name=$(basename "$t")
	rm -f "$stage/bin/$name"
	cp "$ROOT$t" "$stage/sbin/$name"
done
ln -sf mke2fs "$stage/sbin/mkfs.ext2"
ln -sf mke2fs "$stage/sbin/mkfs.ext4"
ln -sf e2fsck "$stage/sbin/fsck.ext2"
ln -sf e2fsck "$stage/sbin/fsck.ext4"
# Shared libraries of the real tools, resolved inside the build root.
for lib in $(for t in $tools; do inroot ldd "$t" 2>/dev/null; done |
	     awk '/=> \//{print $3} /^\t\/lib/{print $1}' | sort -u); do
	mkdir -p "$stage$(dirname "$lib")"
	cp -L "$ROOT$lib" "$stage$lib"
done
[ -e "$stage/lib64/ld-linux-x86-64.so.2" ] || \
	cp -L "$ROOT/lib64/ld-linux-x86-64.so.2" "$stage/lib64/" 2>/dev/null || true
cp -a "$ROOT/etc/mke2fs.conf" "$stage/etc/" 2>/dev/null || true

# Modules: dependency order from modprobe, decompressed for busybox insmod.
: >"$stage/modules/load.list"
for m in ext4 xfs brd loop; do
	inroot modprobe -S "$kver" --show-depends "$m" |
		awk '$1 == "insmod" {print $2}'
done | awk '!seen[$0]++' | while read -r ko; do
	base=$(basename "$ko")
	case $base in
	*.xz) xz -dc "$ROOT$ko" >"$stage/modules/${base%.xz}" ;;
	*.zst) zstd -qdc "$ROOT$ko" >"$stage/modules/${base%.zst}" ;;
	*) cp "$ROOT$ko" "$stage/modules/$base" ;;
	esac
	echo "${base%.*}" | sed 's/\.ko$//' >>"$stage/modules/load.list"
done
cp "$out/module/dcssdax.ko" "$stage/modules/"

cp -a "$out/progs/." "$stage/bin/"
cp -a "$TOP/tests/guest/." "$stage/tests/"
cp "$TOP/tests/guest/init" "$stage/init"
chmod +x "$stage/init"

(cd "$stage" && find . | cpio -o -H newc --quiet) | gzip -1 >"$out/initramfs.gz"
log "initramfs: $(du -h "$out/initramfs.gz" | cut -f1)"
