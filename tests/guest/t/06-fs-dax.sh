# ext2, ext4 and xfs on a segment, mounted -o dax: data round trips, the
# files are DAX (statx) and reading 32 MiB leaves the page cache alone,
# while the same read on a non-dax mount fills it (the control).
# 96 MiB: mkfs.xfs needs room for its minimum log.
plan 42
dcss_add BIG >/dev/null
dev=$(dcss_dev BIG)
mkdir -p /mnt/fs
for fs in ext2 ext4 xfs; do
	check "$fs-mkfs" mkfs_for $fs "$dev"
	check "$fs-mount-dax" mount -t $fs -o dax "$dev" /mnt/fs
	check "$fs-dax-in-mounts" sh -c "grep ' /mnt/fs ' /proc/mounts | grep -q dax"
	check "$fs-write" pattern write /mnt/fs/data 0 32M 21
	check "$fs-statx-dax" daxcheck /mnt/fs/data
	check "$fs-verify" pattern verify /mnt/fs/data 0 32M 21
	measure "$fs-dax-read-no-cache" cachegrow /mnt/fs/data --max-kb 2048
	check "$fs-umount" umount /mnt/fs
	check "$fs-remount-verify" sh -c "mount -t $fs -o dax $dev /mnt/fs && pattern verify /mnt/fs/data 0 32M 21 && umount /mnt/fs"
	# The control: same filesystem, same file, page cache in use.
	check "$fs-mount-nodax" mount -t $fs "$dev" /mnt/fs
	check "$fs-nodax-statx" daxcheck -n /mnt/fs/data
	measure "$fs-nodax-read-fills-cache" cachegrow /mnt/fs/data --min-kb 16384
	check "$fs-nodax-umount" umount /mnt/fs
done
check fsck-ext4-mkfs mkfs_for ext4 "$dev"
check fsck-ext4-clean sh -c "mount -o dax $dev /mnt/fs && pattern write /mnt/fs/f 0 8M 5 && umount /mnt/fs && /sbin/e2fsck -fn $dev"
expect remove OK "$(dcss_remove BIG)"
