# Data integrity: a tree of files with known checksums survives umount,
# remove, re-add and remount on ext4 and xfs, and fsck finds nothing.
# A live DAX mapping keeps the device, the mount and the module busy.
# On extmem (tests/cp/extmem.sh) the segment is saved before each remove
# and re-add (two checks more): z/VM keeps data across a remove only
# when saved.
[ "$BACKEND" = extmem ] && plan 45 || plan 43
mkdir -p /mnt/t
# hold_mapping NAME FILE: a process maps FILE and holds it ($holder),
# checked as NAME-mapping-held once every page is mapped.
hold_mapping() {
	# Emptied first: the child's redirection may come after the first grep.
	: >/tmp/hold.out
	mmaphold "$2" 60 >/tmp/hold.out &
	holder=$!
	wait_until 10 grep -q mapped /tmp/hold.out
	check "$1-mapping-held" grep -q mapped /tmp/hold.out
}
release_mapping() { kill $holder; wait $holder 2>/dev/null; }
for fs in ext4 xfs; do
	expect "$fs-add" OK "$(dcss_add BIG)"
	dev=$(dcss_dev BIG)
	check "$fs-mkfs" mkfs_for $fs "$dev"
	check "$fs-mount" mount -t $fs -o dax "$dev" /mnt/t
	i=0
	while [ $i -lt 40 ]; do
		mkdir -p /mnt/t/d$((i % 5))
		pattern write /mnt/t/d$((i % 5))/f$i 0 $(( (i * 37 % 512 + 1) * 1024 )) $i >/dev/null
		i=$((i + 1))
	done
	(cd /mnt/t && find . -type f | sort | xargs md5sum) >/tmp/sums
	expect "$fs-forty-files" 40 "$(wc -l </tmp/sums)"
	hold_mapping "$fs" /mnt/t/d1/f1
	check_not "$fs-umount-busy-while-mapped" "Device or resource busy" umount /mnt/t
	expect "$fs-remove-busy-while-mapped" EBUSY "$(dcss_remove BIG)"
	expect "$fs-shared-busy-while-mapped" EBUSY "$(write_errno $SYS/BIG/shared "0\n")"
	check_rmmod_busy "$fs-rmmod-busy-while-mapped"
	release_mapping
	check "$fs-umount" umount /mnt/t
	[ "$BACKEND" = extmem ] && expect "$fs-save" OK "$(write_errno $SYS/BIG/save "1\n")"
	expect "$fs-remove" OK "$(dcss_remove BIG)"
	expect "$fs-readd" OK "$(dcss_add BIG)"
	dev=$(dcss_dev BIG)
	check "$fs-remount" mount -t $fs -o dax "$dev" /mnt/t
	check "$fs-checksums" sh -c "cd /mnt/t && md5sum -c -s /tmp/sums"
	check "$fs-umount-again" umount /mnt/t
	case $fs in
	ext4) check "$fs-fsck-clean" /sbin/e2fsck -fn "$dev" ;;
	xfs) check "$fs-repair-clean" /sbin/xfs_repair -n "$dev" ;;
	esac
	expect "$fs-remove-end" OK "$(dcss_remove BIG)"
done

# Lazily unmounted, the filesystem lives on while a DAX mapping holds it:
# the device stays busy until the mapping goes, then it can be removed.
expect lazy-add OK "$(dcss_add BIG)"
dev=$(dcss_dev BIG)
check lazy-mkfs mkfs_for ext2 "$dev"
check lazy-mount mount -o dax "$dev" /mnt/t
check lazy-write pattern write /mnt/t/f 0 4M 5
hold_mapping lazy /mnt/t/f
check lazy-umount umount -l /mnt/t
expect lazy-remove-busy EBUSY "$(dcss_remove BIG)"
check_rmmod_busy lazy-rmmod-busy
release_mapping
# The last reference goes asynchronously after the holder exits.
big_removed() { [ "$(dcss_remove BIG)" = OK ]; }
wait_until 5 big_removed
check lazy-removed-after-unmap test ! -d $SYS/BIG
