#!/bin/bash
# Boot test of the admin path on x86_64: a systemd guest with the
# dcssdax-dkms and dcssctl packages (build/deb, make deb) installed with
# dpkg, so DKMS builds the module in the guest's root and the package
# enables dcssdax-apply.service; /etc/dcssdax.conf (the conffile) naming
# LNXSHR and /etc/fstab mounting /dev/dcssdax/LNXSHR -o dax,ro.  The
# guest boots twice from the same disk (the second boot: after a
# reboot), then purges the packages, which must leave nothing behind;
# a third boot, forced into emergency mode, must report it at once.
# The segment's ext2 content is written from the host into the guest's
# RAM file, as a saved DCSS keeps its content across IPLs.  Prints RESULT
# lines, x86_64-boot/plan and x86_64-reboot/plan failing unless check-boot
# reported all the checks it plans; needs tests/env/build.sh x86_64 first.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../env/common.sh"
# Its own checks: dpkg-install and emergency-reported; each boot's
# check-boot results are forwarded, counted by check-boot's plans.
leg_plan x86_64-boot 2

out=$TOP/build/x86_64
kver=$(kver_amd64)
boot=$out/boot
stage=$boot/root
mount_ns_release "$stage"
rm -rf "$boot" && mkdir -p "$boot"
debs=$(ls "$TOP"/build/deb/dcssdax-dkms_*_all.deb "$TOP"/build/deb/dcssctl_*_amd64.deb 2>/dev/null)
if [ "$(echo "$debs" | grep -c .)" -ne 2 ]; then
	"$TOP/packaging/build-deb.sh" >"$boot/deb.log" 2>&1 || {
		echo "RESULT FAIL x86_64-boot/packages: make deb failed, see $boot/deb.log"; exit 0; }
	debs=$(ls "$TOP"/build/deb/dcssdax-dkms_*_all.deb "$TOP"/build/deb/dcssctl_*_amd64.deb)
fi
[ -f "$CACHE/boot-root-pkg/.done-$kver" ] || {
	echo "RESULT FAIL x86_64-boot/boot-root: no $CACHE/boot-root-pkg for $kver (tests/env/setup-bootroot.sh)"
	exit 0; }
cp -a "$CACHE/boot-root-pkg" "$stage"

# The test's own parts, and the configuration that is not the packages'.
mkdir -p "$stage/etc/systemd/system/multi-user.target.wants" "$stage/srv/shr"
install -D -m 0755 "$here/check-boot" "$stage/usr/local/sbin/check-boot"
install -D -m 0644 "$TOP/tests/guest/wait.sh" "$stage/usr/local/lib/dcssdax-test/wait.sh"
install -D -m 0644 "$TOP/tests/guest/splat.re" "$stage/usr/local/lib/dcssdax-test/splat.re"
install -D -m 0755 "$out/progs/daxcheck" "$stage/usr/local/bin/daxcheck"
install -m 0644 "$here/dcssdax-boot-check.service" "$stage/etc/systemd/system/"
ln -sf ../dcssdax-boot-check.service "$stage/etc/systemd/system/multi-user.target.wants/"
# Emergency mode reports and powers off (check-boot --emergency).
mkdir -p "$stage/etc/systemd/system/emergency.service.d"
printf '[Service]\nExecStart=\nExecStart=-/usr/local/sbin/check-boot --emergency\n' \
	>"$stage/etc/systemd/system/emergency.service.d/dcssdax-boot-check.conf"
echo "options dcssdax emulate=LNXSHR:SR:0x40000000:64M" >"$stage/etc/modprobe.d/dcssdax.conf"
cat >"$stage/etc/fstab" <<FSTAB
/dev/vda / ext4 defaults 0 1
/dev/dcssdax/LNXSHR /srv/shr ext2 dax,ro 0 0
FSTAB
echo dcssdax-boot >"$stage/etc/hostname"
# No login prompt on the console, to keep its log readable.
ln -sf /dev/null "$stage/etc/systemd/system/serial-getty@ttyS0.service"
# The kernel's modules (the guest boots the build root's kernel): the
# filesystem modules, found by modprobe.
for ko in $(for m in ext4 virtio_blk; do
		inroot modprobe -S "$kver" --show-depends $m; done |
	    awk '$1 == "insmod" {print $2}' | sort -u); do
	mkdir -p "$stage$(dirname "$ko")"
	cp "$ROOT$ko" "$stage$ko"
done
cp "$ROOT/lib/modules/$kver"/modules.{order,builtin,builtin.modinfo} \
	"$stage/lib/modules/$kver/"
inroot depmod -b "/src/build/x86_64/boot/root" "$kver"

# What the packages may touch, before them: after the purge (second boot)
# the guest lists the same and compares.
mkdir -p "$stage/var/lib/dcssdax-boot" "$stage/tmp/debs"
cp $debs "$stage/tmp/debs/"
(ROOT=$stage inroot /usr/local/sbin/check-boot --list) >"$stage/var/lib/dcssdax-boot/before.list"
# Installed as an admin would, with dpkg: dcssdax-dkms's postinst builds
# dcssdax.ko for the kernel whose headers are there, dcssctl's enables
# dcssdax-apply.service.  Then the admin edits the conffile.
(ROOT=$stage inroot sh -c 'DEBIAN_FRONTEND=noninteractive dpkg -i /tmp/debs/*.deb') \
	>"$boot/dpkg.log" 2>&1 ||
	{ echo "RESULT FAIL x86_64-boot/dpkg-install: see $boot/dpkg.log"; exit 0; }
echo "RESULT PASS x86_64-boot/dpkg-install"
mount_ns_release "$stage"
rm -rf "$stage/tmp/debs"
echo "LNXSHR" >>"$stage/etc/dcssdax.conf"

truncate -s 3G "$boot/root.img"
mke2fs -q -t ext4 -d "$stage" "$boot/root.img" || exit 1

# The saved segment: an ext2 filesystem at guest physical 0x40000000.
mkdir -p "$boot/seg"
echo "content of a saved DCSS" >"$boot/seg/hello"
truncate -s 64M "$boot/seg.img"
mke2fs -q -t ext2 -b 4096 -d "$boot/seg" "$boot/seg.img" || exit 1
truncate -s 2G "$boot/ram"
dd if="$boot/seg.img" of="$boot/ram" bs=1M seek=1024 conv=notrunc status=none

# boot_guest N [KERNEL-ARGS]: boot N from the disk and the RAM file;
# its console in console-N.log, its results in results-N.txt; QEMU's
# status.
boot_guest() {
	local n=$1 t0=$SECONDS rc
	# 300 s, or less when CI's deadline is nearer (ci_limit).
	timeout --foreground -k 10 "$(ci_limit 300)" qemu-system-x86_64 \
		-accel tcg,thread=multi -cpu max -smp 2 -m 2G \
		-object memory-backend-file,id=ram0,size=2G,mem-path="$boot/ram",share=on \
		-machine pc,memory-backend=ram0 \
		-nographic -no-reboot -nic none \
		-drive file="$boot/root.img",if=virtio,format=raw \
		-device virtio-serial \
		-chardev file,id=results,path="$boot/results-$n.txt" \
		-device virtserialport,chardev=results,name=dcssdax.results \
		-kernel "$ROOT/lib/modules/$kver/vmlinuz" -initrd "$out/initramfs.gz" \
		-append "console=ttyS0 panic=-1 oops=panic panic_on_warn=1 log_buf_len=16M loglevel=4 memmap=512M\$0x40000000 dcssdax.suite=boot dcssdax.boot=$n ${2:-}" \
		>"$boot/console-$n.log" 2>&1
	rc=$?
	echo "FIGURE x86_64-boot/boot-$n-seconds: $(( SECONDS - t0 ))" >>"$TOP/build/figures.txt"
	return $rc
}

# Two boots from the same disk and the same RAM file: the second is the
# reboot (check-boot reads dcssdax.boot=N), and ends with the purge.
for n in 1 2; do
	g=boot
	[ $n = 1 ] || g=reboot
	boot_guest $n
	rc=$?
	# check-boot's results (and its plan) from the results port.
	forward env STOP_CAUSE="$(stop_cause "$boot/console-$n.log" $rc)" \
		"$here/../env/evaluate.sh" x86_64- "$boot/results-$n.txt" "BOOT DONE" \
		$g/completed $g 2>/dev/null
	tr -d '\r' <"$boot/results-$n.txt" | grep -x -- "BOOT DONE" >/dev/null || {
		guest_finished "$boot/console-$n.log" "BOOT DONE" "boot test, boot $n" || true
		break
	}
done

# A boot that ends in emergency mode (here forced from the command line;
# for real, a failed fstab mount) must report why and power off at once,
# not sit in a shell until the time limit: it is how a failing first
# boot shows in CI's excerpt.
boot_guest 3 systemd.unit=emergency.target
rc=$?
line=$(tr -d '\r' <"$boot/results-3.txt" | grep -m1 '^RESULT FAIL emergency/emergency: systemd went to emergency mode; failed units: ')
if [ "$rc" -eq 0 ] && [ -n "$line" ]; then
	echo "RESULT PASS x86_64-boot/emergency-reported"
else
	echo "RESULT FAIL x86_64-boot/emergency-reported: QEMU status $rc, reported '${line:-nothing}'; $(stop_cause "$boot/console-3.log" $rc)"
fi
cat "$boot"/console-*.log >"$boot/console.log" 2>/dev/null
leg_end x86_64-boot
