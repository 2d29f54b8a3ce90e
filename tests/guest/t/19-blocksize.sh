# 512-byte logical blocks (4 KiB physical), as pmem: default mkfs.xfs
# works, 512- and 1024-byte O_DIRECT works on DAX and non-DAX mounts, and
# filesystems made with 4 KiB sectors, as dcssblk users have them, still
# mount with -o dax.
plan 28
dcss_add BIG >/dev/null
dev=$(dcss_dev BIG)
mkdir -p /mnt/bs
check xfs-default-mkfs env TEST_DIR=1 TEST_DEV=1 QA_CHECK_FS=1 /sbin/mkfs.xfs -q -f -m reflink=0 "$dev"
for opts in dax nodax; do
	if [ $opts = dax ]; then mo=dax; else mo=dax=never; fi
	check "xfs-default-mount-$opts" mount -t xfs -o $mo "$dev" /mnt/bs
	for n in 512 1024; do
		check "xfs-$opts-odirect-write-$n" pattern write /mnt/bs/d$n 0 $n 5 --direct
		check "xfs-$opts-odirect-read-$n" pattern verify /mnt/bs/d$n 0 $n 5 --direct
	done
	[ $opts = dax ] && check xfs-default-is-dax daxcheck /mnt/bs/d512
	umount /mnt/bs
done
# ext4 with 1 KiB blocks (no DAX: block size below the page size) takes
# 512- and 1024-byte O_DIRECT; ext2 -b 4096 and xfs -s size=4096, the
# layouts made on dcssblk, mount with -o dax.
check ext4-1k-mkfs /sbin/mke2fs -q -F -t ext4 -b 1024 "$dev"
check ext4-1k-mount mount -t ext4 "$dev" /mnt/bs
for n in 512 1024; do
	check "ext4-1k-odirect-write-$n" pattern write /mnt/bs/d$n 0 $n 6 --direct
	check "ext4-1k-odirect-read-$n" pattern verify /mnt/bs/d$n 0 $n 6 --direct
done
umount /mnt/bs
for fs in ext2 xfs; do
	check "$fs-4k-sector-mkfs" mkfs_for $fs "$dev"
	check "$fs-4k-sector-mount-dax" mount -t $fs -o dax "$dev" /mnt/bs
	check "$fs-4k-sector-data" pattern write /mnt/bs/f 0 1M 8
	check "$fs-4k-sector-is-dax" daxcheck /mnt/bs/f
	umount /mnt/bs
done
# The block device itself: 512-byte O_DIRECT at a 512-byte offset.
check blockdev-odirect-512 pattern write "$dev" 512 512 4 --direct
check blockdev-odirect-512-back pattern verify "$dev" 512 512 4 --direct
dcss_remove BIG >/dev/null
