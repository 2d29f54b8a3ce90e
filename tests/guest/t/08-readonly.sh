# SR and ER segments are filled while loaded exclusive, then loaded
# shared: read-only to the guest.  No write path may reach their memory.
plan 69

# block_writes_refused PREFIX DEV: writes to the read-only block device,
# buffered, O_DIRECT, and clearing its read-only flag first, all fail.
block_writes_refused() {
	check "$1-block-write-refused" blkwrite "$2"
	check_not "$1-direct-write-refused" "0+0 records out" dd if=/dev/zero of="$2" bs=4096 count=1 oflag=direct
	check "$1-blkroset-cannot-clear" blkro "$2" --try-clear --expect-ro
}

# block_writes_allowed PREFIX DEV: the positive controls: the same
# writes succeed on the device while it is exclusive (writable).
block_writes_allowed() {
	check "$1-control-block-write" blkwrite --expect-ok "$2"
	check "$1-control-direct-write" dd if=/dev/zero of="$2" bs=4096 count=1 oflag=direct
	check "$1-control-blkro-rw" blkro "$2" --expect-rw
}

readonly_segment() {	# readonly_segment NAME FILE-SIZE
	local dev sum_before
	dcss_add $1 >/dev/null
	expect "$1-ro-when-shared" 1 "$(attr $1 ro)"
	dev=$(dcss_dev $1)
	expect "$1-disk-ro" 1 "$(cat /sys/block/$(basename "$dev")/ro)"
	expect "$1-switch-exclusive" OK "$(write_errno $SYS/$1/shared "0\n")"
	expect "$1-rw-when-exclusive" 0 "$(attr $1 ro)"
	mkdir -p /mnt/ro
	block_writes_allowed "$1" "$dev"
	check "$1-fill-mkfs" mkfs_for ext2 "$dev"
	check "$1-fill-mount" mount -o dax "$dev" /mnt/ro
	check "$1-fill-write" pattern write /mnt/ro/file 0 $2 8
	check "$1-control-write" sh -c 'echo x >> /mnt/ro/control'
	check "$1-control-fallocate" fallocate -l 64K /mnt/ro/control-new
	rm -f /mnt/ro/control /mnt/ro/control-new
	check "$1-fill-umount" umount /mnt/ro
	mount -o dax,ro "$dev" /mnt/ro
	check "$1-control-remount-rw" mount -o remount,rw /mnt/ro
	umount /mnt/ro
	expect "$1-save-idle" OK "$(write_errno $SYS/$1/save "1\n")"
	expect "$1-switch-shared" OK "$(write_errno $SYS/$1/shared "1\n")"
	expect "$1-ro-again" 1 "$(attr $1 ro)"
	sum_before=$(md5sum < "$dev")
	block_writes_refused "$1" "$dev"
	# A read-write mount is refused by the kernel; mount(8) then falls back
	# to read-only, so the filesystem ends up mounted ro whatever was asked.
	check "$1-mount-dax" mount -t ext2 -o dax "$dev" /mnt/ro
	check "$1-mount-forced-ro" sh -c "grep ' /mnt/ro ' /proc/mounts | grep -q ' ro,'"
	check "$1-ro-dax-file" daxcheck /mnt/ro/file
	check "$1-ro-data-readable" pattern verify /mnt/ro/file 0 $2 8
	check "$1-mmap-write-refused" mmapwrite /mnt/ro/file
	check_not "$1-write-refused" "Read-only file system" sh -c 'echo x >> /mnt/ro/file'
	check_not "$1-fallocate-refused" "Read-only file system" fallocate -l 1M /mnt/ro/new
	check_not "$1-remount-rw-refused" "Permission denied" mount -o remount,rw /mnt/ro
	umount /mnt/ro
	expect "$1-segment-unchanged" "$sum_before" "$(md5sum < "$dev")"
	expect "$1-remove" OK "$(dcss_remove $1)"
}
readonly_segment ROSEG 4M
readonly_segment ERSEG 1M
# SC: shared only, never exclusive.
expect add-sc OK "$(dcss_add SCSEG)"
expect sc-ro 1 "$(attr SCSEG ro)"
expect sc-no-exclusive EINVAL "$(write_errno $SYS/SCSEG/shared "0\n")"
expect sc-still-shared 1 "$(attr SCSEG shared)"
dev=$(dcss_dev SCSEG)
sum_before=$(md5sum < "$dev")
block_writes_refused sc "$dev"
expect sc-segment-unchanged "$sum_before" "$(md5sum < "$dev")"
expect remove-sc OK "$(dcss_remove SCSEG)"
