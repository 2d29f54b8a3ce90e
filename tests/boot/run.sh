#!/bin/bash
# Boot test of the admin path on x86_64: a systemd guest with dcssctl,
# the udev rule and dcssdax-apply.service installed, /etc/dcssdax.conf
# naming LNXSHR and /etc/fstab mounting /dev/dcssdax/LNXSHR -o dax,ro.
# The segment's ext2 content is written from the host into the guest's
# RAM file, as a saved DCSS keeps its content across IPLs.  Prints RESULT
# lines, x86_64-boot/plan failing unless check-boot reported all the
# checks it plans; needs tests/env/build.sh x86_64 first.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../env/common.sh"

out=$TOP/build/x86_64
kver=$(kver_amd64)
boot=$out/boot
stage=$boot/root
rm -rf "$boot" && mkdir -p "$boot"
cp -a "$CACHE/boot-root" "$stage"

# What "make install" of dcssctl puts in place, and the configuration.
install -D -m 0755 "$out/tools/dcssctl" "$stage/usr/sbin/dcssctl"
install -D -m 0644 "$TOP/udev/60-dcssdax.rules" "$stage/usr/lib/udev/rules.d/60-dcssdax.rules"
install -D -m 0644 "$TOP/udev/dcssdax-apply.service" "$stage/usr/lib/systemd/system/dcssdax-apply.service"
mkdir -p "$stage/etc/systemd/system/local-fs.target.wants" \
	"$stage/etc/systemd/system/multi-user.target.wants" "$stage/srv/shr"
ln -sf /usr/lib/systemd/system/dcssdax-apply.service \
	"$stage/etc/systemd/system/local-fs.target.wants/"
install -D -m 0755 "$here/check-boot" "$stage/usr/local/sbin/check-boot"
install -D -m 0755 "$out/progs/daxcheck" "$stage/usr/local/bin/daxcheck"
install -m 0644 "$here/dcssdax-boot-check.service" "$stage/etc/systemd/system/"
ln -sf ../dcssdax-boot-check.service "$stage/etc/systemd/system/multi-user.target.wants/"
echo "LNXSHR" >"$stage/etc/dcssdax.conf"
echo "options dcssdax emulate=LNXSHR:SR:0x40000000:64M" >"$stage/etc/modprobe.d/dcssdax.conf"
cat >"$stage/etc/fstab" <<FSTAB
/dev/vda / ext4 defaults 0 1
/dev/dcssdax/LNXSHR /srv/shr ext2 dax,ro 0 0
FSTAB
echo dcssdax-boot >"$stage/etc/hostname"
# Modules: dcssdax and the filesystem modules, found by modprobe.
mkdir -p "$stage/lib/modules/$kver/extra"
cp "$out/module/dcssdax.ko" "$stage/lib/modules/$kver/extra/"
for ko in $(for m in ext4 virtio_blk; do
		inroot modprobe -S "$kver" --show-depends $m; done |
	    awk '$1 == "insmod" {print $2}' | sort -u); do
	mkdir -p "$stage$(dirname "$ko")"
	cp "$ROOT$ko" "$stage$ko"
done
cp "$ROOT/lib/modules/$kver"/modules.{order,builtin,builtin.modinfo} \
	"$stage/lib/modules/$kver/"
inroot depmod -b "/src/build/x86_64/boot/root" "$kver"

truncate -s 1G "$boot/root.img"
mke2fs -q -t ext4 -d "$stage" "$boot/root.img" || exit 1

# The saved segment: an ext2 filesystem at guest physical 0x40000000.
mkdir -p "$boot/seg"
echo "content of a saved DCSS" >"$boot/seg/hello"
truncate -s 64M "$boot/seg.img"
mke2fs -q -t ext2 -b 4096 -d "$boot/seg" "$boot/seg.img" || exit 1
truncate -s 2G "$boot/ram"
dd if="$boot/seg.img" of="$boot/ram" bs=1M seek=1024 conv=notrunc status=none

timeout --foreground -k 10 300 qemu-system-x86_64 \
	-accel tcg,thread=multi -cpu max -smp 2 -m 2G \
	-object memory-backend-file,id=ram0,size=2G,mem-path="$boot/ram",share=on \
	-machine pc,memory-backend=ram0 \
	-nographic -no-reboot -nic none \
	-drive file="$boot/root.img",if=virtio,format=raw \
	-device virtio-serial \
	-chardev file,id=results,path="$boot/results.txt" \
	-device virtserialport,chardev=results,name=dcssdax.results \
	-kernel "$ROOT/lib/modules/$kver/vmlinuz" -initrd "$out/initramfs.gz" \
	-append "console=ttyS0 panic=-1 oops=panic panic_on_warn=1 log_buf_len=16M loglevel=4 memmap=512M\$0x40000000 dcssdax.suite=boot systemd.default_device_timeout_sec=60" \
	>"$boot/console.log" 2>&1
# check-boot's results (and its plan) from the results port.
"$here/../env/evaluate.sh" x86_64- "$boot/results.txt" "BOOT DONE" \
	boot/completed boot 2>/dev/null
tr -d '\r' <"$boot/results.txt" | grep -qx "BOOT DONE" ||
	guest_finished "$boot/console.log" "BOOT DONE" "boot test" || true
