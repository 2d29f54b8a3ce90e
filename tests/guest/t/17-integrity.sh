# Data integrity: a tree of files written from the pattern generator
# (tests/progs/pattern.c: seeded, deterministic) survives umount, remove,
# re-add and remount on ext4 and xfs, and fsck finds nothing.  The
# expected content is the generator's, never checksums read back from the
# device: a device that returns the same wrong bytes twice fails (the
# control: a file overwritten consistently with another seed's bytes).
# A live DAX mapping keeps the device, the mount and the module busy.
# On extmem (tests/cp/extmem.sh) the segment is saved before each remove
# and re-add (two checks more): z/VM keeps data across a remove only
# when saved.
[ "$BACKEND" = extmem ] && plan 49 || plan 47
mkdir -p /mnt/t
# verify_tree: the files under /mnt/t are those of /tmp/expect ("PATH
# SIZE SEED" a line), each of its size and the generator's content.
verify_tree() {
	local f size seed got
	got=$(cd /mnt/t && find . -type f | sort)
	[ "$got" = "$(cut -d' ' -f1 /tmp/expect | sort)" ] ||
		{ echo "the files are not those written: $(echo "$got" | head -n 3 | tr '\n' ' ')..."; return 1; }
	while read -r f size seed; do
		got=$(wc -c <"/mnt/t/$f")
		[ "$((got))" -eq "$size" ] ||
			{ echo "$f: $((got)) bytes, $size written"; return 1; }
		pattern verify "/mnt/t/$f" 0 "$size" "$seed" >/dev/null ||
			{ echo "$f: not the generator's content (seed $seed)"; return 1; }
	done </tmp/expect
}
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
base=1000
for fs in ext4 xfs; do
	# Each filesystem's files from other seeds: what the last one left
	# on the device is never the content expected.
	base=$((base + 1000))
	expect "$fs-add" OK "$(dcss_add BIG)"
	dev=$(dcss_dev BIG)
	check "$fs-mkfs" mkfs_for $fs "$dev"
	check "$fs-mount" mount -t $fs -o dax "$dev" /mnt/t
	i=0
	: >/tmp/expect
	while [ $i -lt 40 ]; do
		mkdir -p /mnt/t/d$((i % 5))
		f=./d$((i % 5))/f$i size=$(( (i * 37 % 512 + 1) * 1024 ))
		pattern write "/mnt/t/$f" 0 $size $((base + i)) >/dev/null &&
			echo "$f $size $((base + i))" >>/tmp/expect
		i=$((i + 1))
	done
	expect "$fs-forty-files" 40 "$(wc -l </tmp/expect)"
	check "$fs-content-written" verify_tree
	# The control: bytes the generator makes for another seed, at 4 KiB
	# of a file, read back the same each time, are not its content.
	pattern write /mnt/t/control 0 64K 7 >/dev/null
	pattern write /mnt/t/control 4K 4K 8 >/dev/null
	check_not "$fs-control-wrong-bytes-found" "mismatch at offset 4096" \
		pattern verify /mnt/t/control 0 64K 7
	rm -f /mnt/t/control
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
	check "$fs-content-after-readd" verify_tree
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
