#!/bin/sh
# One guest of the sharing workflow (tests/share/run.sh boots them, plays
# z/VM's CP between them and checks the host side).  The role comes from
# the kernel command line, dcssdax.suite=share-ROLE:
#   admin1   adds both segments exclusive, makes ext2 on SHREXT and xfs on
#            SHRXFS, installs the tree (/share-tree, from the initramfs),
#            saves them
#   consumer adds both shared through dcssctl apply and fstab (dax,ro),
#            runs the tree's python3 and coreutils, proves where their
#            text pages are and that no page cache holds the tree
#            (with dcssdax.shm=writer or reader: also exchanges data with
#            the other consumer through SHRMEM, a shared-writable
#            segment both load shared in devdax mode)
#   keeper   a consumer that keeps the segments mounted while admin2 saves
#   admin2   changes the ext2 tree of a private copy and saves it
#   late     a consumer booted after admin2's save
#   bench    runs the workload once from the tree, over the segment
#            (dcssdax.bench=a) or a virtio disk (b, c), for make bench
# SUITE SYNC TAG lines (results port) stop the guest until the host
# answers TAG on the control port (virtio serial dcssdax.ctl).
# On x86_64 the segments are the emulated backend's (tests/share/run.sh
# plays CP); with dcssdax.backend=extmem (s390x, tests/share/s390x.sh)
# they are defined in the emulated CP (qemu-cp/) and loaded through
# extmem, on z/VM's rules: the segment a guest loads again after
# releasing it is the version current then.
. /tests/lib.sh
role=$1
GROUP=share-$role
emit "GROUP $GROUP"

# SHREXT's size in MiB: make bench sizes it to the tree (dcssdax.extmib).
EXT_MIB=192
# Manifest hashes of the tree's versions (tests/share/tree.sh).
for arg in $(cat /proc/cmdline); do
	case $arg in
	dcssdax.extmib=*) EXT_MIB=${arg#*=} ;;
	dcssdax.v1=*) V1=${arg#*=} ;;
	dcssdax.v2=*) V2=${arg#*=} ;;
	dcssdax.bench=*) BENCH=${arg#*=} ;;
	dcssdax.shm=*) SHM=${arg#*=} ;;
	dcssdax.shmseed=*) SHMSEED=${arg#*=} ;;
	esac
done
# Shared read-only (SR), as a site defines a segment of programs: loaded
# shared it is read-only, loaded exclusive the administrator may write it.
EMUL_SHARE="SHREXT:SR:0x100000000:${EXT_MIB}M,SHRXFS:SR:0x110000000:320M"
# Shared-writable (SW), as a site defines shared memory for its guests:
# one copy that every guest loading it shared may write.
EMUL_SHARE="$EMUL_SHARE,SHRMEM:SW:0x130000000:16M"
EXT_LO=0x100000000 XFS_LO=0x110000000
# In the emulated CP, just above the guests' 1 GiB of storage (CP's
# definitions: tests/share/s390x.sh).
[ "$BACKEND" = extmem ] && EXT_LO=0x40000000 XFS_LO=0x4c000000
EXT_HI=$(printf '%#x' $(( EXT_LO + EXT_MIB * 1048576 - 1 )))
XFS_HI=$(printf '%#x' $(( XFS_LO + 320 * 1048576 - 1 )))
CTL=$(virtio_port dcssdax.ctl 60) ||
	emit "RESULT FAIL $GROUP/control-port: no virtio serial port dcssdax.ctl after 60 s"

# sync_host TAG: tell the host, wait for its go.
sync_host() {
	local reply
	emit "SUITE SYNC $1"
	read -r reply <"$CTL"
	[ "$reply" = "$1" ] || echo "share: host answered '$reply' to '$1'"
}
manifest() { sh /tests/share/manifest.sh "$1"; }
# The tree's own programs, as a site runs them: chroot into the segment.
workload() {
	chroot "$1" /usr/bin/env PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 -c '
import json, email.parser, http.client, decimal, argparse, dataclasses
import pathlib, csv, xml.dom.minidom, unittest, asyncio, sqlite3, zlib
import hashlib, colorsys
print(json.dumps({"ok": sqlite3.sqlite_version != "", "h": hashlib.sha256(b"x").hexdigest()[:8]}))
' &&
	chroot "$1" /usr/bin/seq 1 20000 | chroot "$1" /usr/bin/sort -rn |
		chroot "$1" /usr/bin/head -n 1000 | chroot "$1" /usr/bin/sha256sum |
		chroot "$1" /usr/bin/cut -c1-16
}
tree_kb() { du -sk "$1" | cut -f1; }
# text_in NAME PID LO HI PATH-PART: every present page of the process's
# executable mappings of files under PATH-PART is in LO..HI.
text_in() {
	check "$1" textpfn "$2" "$3" "$4" "$5"
	emit "FIGURE $ARCH/$GROUP/$1-pages: $(echo "$OUT" | tail -n 1)"
}

# shared_memory: the writer and the reader guest (consumer2 and 3) add
# SHRMEM shared in devdax mode; their /dev/daxN.0 map the same host file
# (tests/share/run.sh), and devdax writer/reader exchange data through
# it, 16 rounds each way (tests/progs/devdax.c, exchange(): the protocol
# and the memory ordering it relies on, release stores and acquire loads
# of flag words).  The host then finds both sides' last flags in the
# file.
shared_memory() {
	local dev
	check shm-add-devdax dcssctl add SHRMEM --mode devdax
	dev=/dev/$(echo "$OUT" | jq -r '.devdax.chardev' 2>/dev/null)
	expect shm-loaded-shared 1 "$(cat $SYS/SHRMEM/shared 2>/dev/null)"
	expect shm-mode devdax "$(cat $SYS/SHRMEM/mode 2>/dev/null)"
	measure shm-exchange devdax "$SHM" "$dev" "$SHMSEED"
	# The timeout fails: a reader of another run's data waits in vain.
	[ "$SHM" = reader ] && check_not shm-wait-times-out \
		"no data from the writer after 3 s" devdax reader "$dev" $((SHMSEED + 1)) 3
	check shm-remove dcssctl remove SHRMEM
}

if [ "$BACKEND" = extmem ]; then
	insmod /modules/dcssdax.ko
else
	insmod /modules/dcssdax.ko emulate="$EMUL_SHARE"
fi || echo "share: insmod failed"
udevd --daemon 2>/dev/null
mkdir -p /mnt/shrext /mnt/shrxfs

case $role in
admin1)
	plan 17
	check add-ext dcssctl add SHREXT
	check exclusive-ext dcssctl mode SHREXT exclusive
	check add-xfs dcssctl add SHRXFS
	check exclusive-xfs dcssctl mode SHRXFS exclusive
	check mkfs-ext2 /sbin/mke2fs -q -t ext2 -b 4096 -L shrext /dev/dcssdax/SHREXT
	check mkfs-xfs /sbin/mkfs.xfs -q -f -m reflink=0 -L shrxfs /dev/dcssdax/SHRXFS
	check mount-ext mount -o dax /dev/dcssdax/SHREXT /mnt/shrext
	check mount-xfs mount -o dax /dev/dcssdax/SHRXFS /mnt/shrxfs
	check install-ext cp -a /share-tree/. /mnt/shrext/
	check install-xfs cp -a /share-tree/. /mnt/shrxfs/
	check runs-from-ext workload /mnt/shrext
	umount /mnt/shrext /mnt/shrxfs
	# The control for the consumers' page cache check: the same tree read
	# through a mount without DAX does fill the page cache.
	echo 3 >/proc/sys/vm/drop_caches
	before=$(meminfo_kb Cached)
	mount -o ro /dev/dcssdax/SHREXT /mnt/shrext
	expect manifest-ext "$V1" "$(manifest /mnt/shrext)"
	grown=$(( $(meminfo_kb Cached) - before ))
	size=$(tree_kb /mnt/shrext)
	emit "FIGURE $ARCH/share/cached-growth-without-dax-kb: $grown (tree $size kB)"
	check cached-grows-without-dax test "$grown" -ge $((size / 2))
	umount /mnt/shrext
	mount -o ro,dax /dev/dcssdax/SHRXFS /mnt/shrxfs
	expect manifest-xfs "$V1" "$(manifest /mnt/shrxfs)"
	umount /mnt/shrxfs
	check save-ext dcssctl save SHREXT
	sync_host "save SHREXT"
	check save-xfs dcssctl save SHRXFS
	sync_host "save SHRXFS"
	check remove sh -c "dcssctl remove SHREXT && dcssctl remove SHRXFS"
	;;
admin2)
	plan 8
	check add-ext dcssctl add SHREXT
	check exclusive-ext dcssctl mode SHREXT exclusive
	check mount-ext mount -o dax /dev/dcssdax/SHREXT /mnt/shrext
	expect private-copy-is-v1 "$V1" "$(manifest /mnt/shrext)"
	check change-tree sh /tests/share/change-tree.sh /mnt/shrext
	expect manifest-v2 "$V2" "$(manifest /mnt/shrext)"
	umount /mnt/shrext
	check save-ext dcssctl save SHREXT
	sync_host "save SHREXT"
	check remove dcssctl remove SHREXT
	;;
consumer|keeper|late)
	want=$V1
	[ "$role" = late ] && want=$V2
	n=15
	[ "$role" = keeper ] && n=21
	[ -n "${SHM:-}" ] && n=$((n + 5))
	[ "${SHM:-}" = reader ] && n=$((n + 1))
	plan $n
	# What dcssdax-apply.service and the fstab do at boot; the systemd
	# boot test (tests/boot) runs the unit itself.
	printf 'SHREXT shared\nSHRXFS shared\n' >/etc/dcssdax.conf
	printf '%s\n' "/dev/dcssdax/SHREXT /mnt/shrext ext2 dax,ro 0 0" \
		"/dev/dcssdax/SHRXFS /mnt/shrxfs xfs dax,ro 0 0" >/etc/fstab
	check apply dcssctl apply
	check mount-fstab mount -a
	expect readonly-device 1 "$(cat /sys/block/$(basename "$(readlink -f /dev/dcssdax/SHREXT)")/ro)"
	check dax-ext grep -q '/mnt/shrext ext2 ro.*dax' /proc/mounts
	check dax-xfs grep -q '/mnt/shrxfs xfs ro.*dax' /proc/mounts
	expect tree-version "$([ "$role" = late ] && echo 2 || echo 1)" "$(cat /mnt/shrext/etc/tree-version)"
	# Programs that stay running while the host looks at its memory.
	mkfifo /tmp/hold
	chroot /mnt/shrext /usr/bin/python3 -c 'import sys, json, asyncio; sys.stdin.read()' </tmp/hold &
	py=$!
	chroot /mnt/shrxfs /usr/bin/sleep 1000 &
	sl=$!
	exec 3>/tmp/hold
	echo 3 >/proc/sys/vm/drop_caches
	cached=$(meminfo_kb Cached)
	sync_host before
	expect manifest-ext "$want" "$(manifest /mnt/shrext)"
	expect manifest-xfs "$V1" "$(manifest /mnt/shrxfs)"
	check runs-from-ext workload /mnt/shrext
	check runs-from-xfs workload /mnt/shrxfs
	grown=$(( $(meminfo_kb Cached) - cached ))
	size=$(tree_kb /mnt/shrext)
	emit "FIGURE $ARCH/share/$role-cached-growth-kb: $grown (tree read twice, $size kB each)"
	check no-page-cache test "$grown" -lt $((size / 8))
	text_in python-text-in-ext $py $EXT_LO $EXT_HI /mnt/shrext/
	text_in sleep-text-in-xfs $sl $XFS_LO $XFS_HI /mnt/shrxfs/
	check pins-none-left sh -c 'awk "/nr_foll_pin_acquired/ {a=\$2} /nr_foll_pin_released/ {r=\$2} END {exit a != r}" /proc/vmstat'
	sync_host after
	[ -n "${SHM:-}" ] && shared_memory
	if [ "$role" = keeper ]; then
		# admin2 saves a changed tree meanwhile (the host waits for it).
		sync_host hold
		expect kept-view-is-v1 "$V1" "$(manifest /mnt/shrext)"
		check kept-python-alive kill -0 $py
		text_in kept-text-in-ext $py $EXT_LO $EXT_HI /mnt/shrext/
		exec 3>&-
		wait $py
		kill $sl; wait $sl 2>/dev/null
		check umount umount /mnt/shrext /mnt/shrxfs
		check remove sh -c "dcssctl remove SHREXT && dcssctl remove SHRXFS"
		# A re-add in the same boot: the x86_64 emulation's segment
		# memory is what the guest booted with (tests/share/MODEL.md);
		# CP gives the version admin2 saved, as z/VM does.
		dcssctl apply >/dev/null && mount /mnt/shrext
		if [ "$BACKEND" = extmem ]; then
			expect readd-same-boot-is-v2 "$V2" "$(manifest /mnt/shrext)"
		else
			expect readd-same-boot-is-v1 "$V1" "$(manifest /mnt/shrext)"
		fi
	fi
	exec 3>&- 2>/dev/null
	kill $py $sl 2>/dev/null
	wait 2>/dev/null
	umount /mnt/shrext /mnt/shrxfs 2>/dev/null
	check remove-end sh -c "dcssctl remove SHREXT && dcssctl remove SHRXFS"
	;;
bench)
	# Measurements only (BENCH lines); a failed step is an error line
	# the host reports.  The struct pages of the segment are counted by
	# the kernel (nr_memmap_pages in /proc/vmstat: the pages holding
	# memmap allocated after boot, as memremap_pages' are), around the
	# add; the driver's own figure (memmap_bytes) is reported beside it.
	memmap_pages() { awk '$1 == "nr_memmap_pages" {print $2}' /proc/vmstat; }
	memmap0=$(memmap_pages)
	if [ "$BENCH" = a ]; then
		echo "SHREXT shared" >/etc/dcssdax.conf
		dcssctl apply && mount -o dax,ro /dev/dcssdax/SHREXT /mnt/shrext
	else
		mount -t ext2 -o ro /dev/vda /mnt/shrext
	fi || emit "BENCH error mount"
	echo 3 >/proc/sys/vm/drop_caches
	cached=$(meminfo_kb Cached)
	sync_host before
	t0=$(cut -d' ' -f1 /proc/uptime)
	workload /mnt/shrext >/dev/null || emit "BENCH error workload"
	t1=$(cut -d' ' -f1 /proc/uptime)
	emit "BENCH cold-start-ms $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", (b - a) * 1000 }')"
	emit "BENCH cache-growth-kb $(( $(meminfo_kb Cached) - cached ))"
	emit "BENCH memmap-kb $(( ($(memmap_pages) - memmap0) * 4 ))"
	emit "BENCH memmap-driver-kb $(( $(cat $SYS/SHREXT/memmap_bytes 2>/dev/null || echo 0) / 1024 ))"
	sync_host after
	;;
*)
	emit "RESULT FAIL share/role: unknown role '$role'"
	;;
esac
dmesg >/tmp/dmesg.share
scan_dmesg "$GROUP" /tmp/dmesg.share
emit "SUITE DONE"
