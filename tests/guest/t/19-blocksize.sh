# Logical block size.  By default the page size, as dcssblk: mkfs.ext2
# and mkfs.ext4 with no options make 4 KiB blocks on 64 and 256 MiB
# segments (below 512 MiB, mke2fs.conf's "small" type asks for 1 KiB, and
# mke2fs never goes below the logical block size) and the filesystems
# mount with -o dax; so does default mkfs.xfs.  The cost: O_DIRECT below
# 4 KiB on the device and on mounts without DAX (DAX files take any).
# logical_block_size=512, as pmem, buys what only small sectors do: xfs
# made with 512-byte sectors mounts, ext2/ext4 with 1 KiB blocks mount
# (without DAX), 512-byte O_DIRECT on the device and without DAX; and
# costs the default mkfs.ext2/ext4 their DAX.
# The parameter is writable and applies to devices made from then on.
# On extmem (tests/cp/extmem.sh) BIG is saved before its xfs of 512-byte
# sectors is added again (one check more): z/VM keeps data across a
# remove only when saved.
[ "$BACKEND" = extmem ] && plan 74 || plan 73
PARAM=/sys/module/dcssdax/parameters/logical_block_size
mkdir -p /mnt/bs

# The block size of the ext2/ext4 superblock (s_log_block_size, a byte at
# 1048) and the sector size of the xfs one (sb_sectsize, big-endian at 102).
ext_bs() { echo $((1024 << $(od -A n -t u1 -j 1048 -N 1 "$1"))); }
xfs_sectsz() {
	set -- $(od -A n -t u1 -j 102 -N 2 "$1")
	echo $(($1 * 256 + $2))
}
lbs() { cat "/sys/block/$(basename "$(dcss_dev "$1")")/queue/logical_block_size"; }
# The real tools by full path (busybox's applets shadow them); mkfs.ext2
# and mkfs.ext4 are links to mke2fs, which takes the type from its name.
# -q and -F (no question about an old filesystem) change no layout.
mkfs_default() { /sbin/mkfs.$1 -q -F "$2"; }
mkxfs_default() { TEST_DIR=1 TEST_DEV=1 QA_CHECK_FS=1 /sbin/mkfs.xfs -q -f -m reflink=0 "$@"; }

expect param-default 4096 "$(cat $PARAM)"
for seg in MKFS64 MKFS256; do
	expect "$seg-add" OK "$(dcss_add $seg)"
	expect "$seg-lbs" 4096 "$(lbs $seg)"
	dev=$(dcss_dev $seg)
	for fs in ext2 ext4; do
		check "$seg-$fs-default-mkfs" mkfs_default $fs "$dev"
		expect "$seg-$fs-default-4k-blocks" 4096 "$(ext_bs "$dev")"
		check "$seg-$fs-default-mount-dax" mount -t $fs -o dax "$dev" /mnt/bs
		check "$seg-$fs-default-data" pattern write /mnt/bs/f 0 1M 3
		check "$seg-$fs-default-is-dax" daxcheck /mnt/bs/f
		umount /mnt/bs
	done
	expect "$seg-remove" OK "$(dcss_remove $seg)"
done

# Default mkfs.xfs makes 4 KiB sectors and mounts with DAX; DAX files
# take 512-byte O_DIRECT, the device and a mount without DAX do not.
dcss_add BIG >/dev/null
dev=$(dcss_dev BIG)
check xfs-default-mkfs mkxfs_default "$dev"
expect xfs-default-4k-sectors 4096 "$(xfs_sectsz "$dev")"
check xfs-default-mount-dax mount -t xfs -o dax "$dev" /mnt/bs
check xfs-dax-odirect-512-write pattern write /mnt/bs/d 0 512 5 --direct
check xfs-dax-odirect-512-read pattern verify /mnt/bs/d 0 512 5 --direct
check xfs-default-is-dax daxcheck /mnt/bs/d
umount /mnt/bs
check xfs-mount-nodax mount -t xfs -o dax=never "$dev" /mnt/bs
check_not xfs-nodax-odirect-512-refused "Invalid argument" pattern write /mnt/bs/n 0 512 5 --direct
check xfs-nodax-odirect-4096 sh -c "pattern write /mnt/bs/n 0 4096 5 --direct && pattern verify /mnt/bs/n 0 4096 5 --direct"
umount /mnt/bs
check_not blockdev-odirect-512-refused "Invalid argument" pattern write "$dev" 512 512 4 --direct
check blockdev-odirect-4096 sh -c "pattern write $dev 4096 4096 4 --direct && pattern verify $dev 4096 4096 4 --direct"
dcss_remove BIG >/dev/null

# The parameter: a power of two from 512 to the page size; a device
# keeps the size it was made with.
expect_write param-1000-refused EINVAL $PARAM "1000\n"
expect_write param-256-refused EINVAL $PARAM "256\n"
expect_write param-8192-refused EINVAL $PARAM "8192\n"
expect param-unchanged 4096 "$(cat $PARAM)"
dcss_add SEGA >/dev/null
expect_write param-512 OK $PARAM "512\n"
dcss_add SEGB >/dev/null
expect earlier-device-keeps-4096 4096 "$(lbs SEGA)"
expect later-device-512 512 "$(lbs SEGB)"
dcss_remove SEGA >/dev/null
dcss_remove SEGB >/dev/null

# With 512: the default mkfs.ext2/ext4 make 1 KiB blocks, which fs-dax
# refuses (the reason the default is 4096); they mount without DAX and
# take 512-byte O_DIRECT.  mkfs -b 4096 gives DAX back.
expect_write MKFS64-512-add OK $SYS/add "MKFS64\n"
expect MKFS64-512-lbs 512 "$(lbs MKFS64)"
dev=$(dcss_dev MKFS64)
for fs in ext2 ext4; do
	check "512-$fs-default-mkfs" mkfs_default $fs "$dev"
	expect "512-$fs-default-1k-blocks" 1024 "$(ext_bs "$dev")"
	check_not "512-$fs-default-dax-refused" "Invalid argument" mount -t $fs -o dax "$dev" /mnt/bs
	check "512-$fs-default-mount" mount -t $fs "$dev" /mnt/bs
	check "512-$fs-odirect-512" sh -c "pattern write /mnt/bs/d 0 512 6 --direct && pattern verify /mnt/bs/d 0 512 6 --direct"
	umount /mnt/bs
done
check 512-ext4-b4096-mkfs mkfs_for ext4 "$dev"
check 512-ext4-b4096-mount-dax mount -t ext4 -o dax "$dev" /mnt/bs
check 512-ext4-b4096-is-dax sh -c "pattern write /mnt/bs/f 0 1M 7 && daxcheck /mnt/bs/f"
umount /mnt/bs
dcss_remove MKFS64 >/dev/null

# With 512: default mkfs.xfs still makes 4 KiB sectors (it follows the
# physical sector size, 4 KiB either way).  xfs made with 512-byte
# sectors (-s size=512, or on a device with 512-byte physical sectors)
# mounts with DAX; without DAX it takes 512- and 1024-byte O_DIRECT, and
# so does the device (last: it writes over the filesystem).
dcss_add BIG >/dev/null
dev=$(dcss_dev BIG)
check 512-xfs-default-mkfs mkxfs_default "$dev"
expect 512-xfs-default-4k-sectors 4096 "$(xfs_sectsz "$dev")"
check 512-xfs-s512-mkfs mkxfs_default -s size=512 "$dev"
expect 512-xfs-s512-sectors 512 "$(xfs_sectsz "$dev")"
check 512-xfs-s512-mount-dax mount -t xfs -o dax "$dev" /mnt/bs
check 512-xfs-s512-is-dax sh -c "pattern write /mnt/bs/f 0 1M 8 && daxcheck /mnt/bs/f"
umount /mnt/bs
check 512-xfs-mount-nodax mount -t xfs -o dax=never "$dev" /mnt/bs
for n in 512 1024; do
	check "512-xfs-nodax-odirect-$n" sh -c "pattern write /mnt/bs/d$n 0 $n 9 --direct && pattern verify /mnt/bs/d$n 0 $n 9 --direct"
done
umount /mnt/bs
# ... and that xfs mounts only on a device made with 512 (xfs says
# ENOSYS on the other): what the parameter is for.
[ "$BACKEND" = extmem ] && expect 512-xfs-save OK "$(write_errno $SYS/BIG/save "1\n")"
dcss_remove BIG >/dev/null
echo 4096 >$PARAM
dcss_add BIG >/dev/null
dev=$(dcss_dev BIG)
check_not xfs-512-sectors-on-4096-refused "Function not implemented" mount -t xfs -o dax "$dev" /mnt/bs
dcss_remove BIG >/dev/null
echo 512 >$PARAM
dcss_add BIG >/dev/null
dev=$(dcss_dev BIG)
check xfs-512-sectors-on-512-mounts sh -c "mount -t xfs -o dax $dev /mnt/bs && umount /mnt/bs"
check 512-blockdev-odirect-512 sh -c "pattern write $dev 512 512 4 --direct && pattern verify $dev 512 512 4 --direct"
dcss_remove BIG >/dev/null
expect_write param-back-to-4096 OK $PARAM "4096\n"
