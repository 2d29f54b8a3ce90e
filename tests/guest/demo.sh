#!/bin/sh
# What make demo shows: an emulated DCSS added, formatted, mounted -o dax.
. /tests/lib.sh
echo
echo "DEMO START"
run() { echo "# $*"; "$@"; }
run insmod /modules/dcssdax.ko emulate="LNXSHR:SW:0x40000000:256M"
if command -v dcssctl >/dev/null; then
	run dcssctl add LNXSHR
else
	echo "# echo LNXSHR > $SYS/add"; echo LNXSHR > $SYS/add
fi
dev=$(dcss_dev LNXSHR)
# The real mke2fs (busybox's own would run first), and the type given to
# mount, which otherwise tries every filesystem the kernel has, each
# logging its complaint about "dax" on the console.
run /sbin/mke2fs -q -t ext2 -b 4096 "$dev"
mkdir -p /mnt/lnxshr
run mount -t ext2 -o dax "$dev" /mnt/lnxshr
run cp -a /bin/busybox /mnt/lnxshr/
run daxcheck /mnt/lnxshr/busybox
run /mnt/lnxshr/busybox echo "busybox runs from the DCSS via DAX"
run grep lnxshr /proc/mounts
for f in seglist start size shared ro dax memmap_bytes; do
	echo "$SYS/LNXSHR/$f: $(cat $SYS/LNXSHR/$f)"
done
run grep DCSS /proc/iomem
if command -v dcssctl >/dev/null; then
	run dcssctl list -u
	run dcssctl list -t
fi
run umount /mnt/lnxshr
emit "DEMO END"
