# An SR segment is filled while loaded exclusive, then loaded shared:
# read-only to the guest.  No write path may reach its memory.
dcss_add ROSEG >/dev/null
expect ro-when-shared 1 "$(attr ROSEG ro)"
dev=$(dcss_dev ROSEG)
expect disk-ro 1 "$(cat /sys/block/$(basename "$dev")/ro)"
expect switch-exclusive OK "$(write_errno $SYS/ROSEG/shared "0\n")"
expect rw-when-exclusive 0 "$(attr ROSEG ro)"
mkdir -p /mnt/ro
check fill-mkfs mkfs_for ext2 "$dev"
check fill-mount mount -o dax "$dev" /mnt/ro
check fill-write pattern write /mnt/ro/file 0 4M 8
check fill-umount umount /mnt/ro
expect save-idle OK "$(write_errno $SYS/ROSEG/save "1\n")"
expect switch-shared OK "$(write_errno $SYS/ROSEG/shared "1\n")"
expect ro-again 1 "$(attr ROSEG ro)"
sum_before=$(md5sum < "$dev")
check block-write-refused blkwrite "$dev"
check blkroset-cannot-clear blkro "$dev" --try-clear --expect-ro
# A read-write mount is refused by the kernel; mount(8) then falls back
# to read-only, so the filesystem ends up mounted ro whatever was asked.
check mount-dax mount -t ext2 -o dax "$dev" /mnt/ro
check mount-forced-ro sh -c "grep ' /mnt/ro ' /proc/mounts | grep -q ' ro,'"
check ro-dax-file daxcheck /mnt/ro/file
check ro-data-readable pattern verify /mnt/ro/file 0 4M 8
check mmap-write-refused mmapwrite /mnt/ro/file
check write-refused sh -c "! sh -c 'echo x >> /mnt/ro/file' 2>/dev/null"
check fallocate-refused sh -c "! fallocate -l 1M /mnt/ro/new 2>/dev/null"
check remount-rw-refused sh -c "! mount -o remount,rw /mnt/ro 2>/dev/null"
umount /mnt/ro
check direct-write-refused sh -c "! dd if=/dev/zero of=$dev bs=4096 count=1 oflag=direct 2>/dev/null"
expect segment-unchanged "$sum_before" "$(md5sum < "$dev")"
expect remove OK "$(dcss_remove ROSEG)"
# SC: shared only, never exclusive.
expect add-sc OK "$(dcss_add SCSEG)"
expect sc-ro 1 "$(attr SCSEG ro)"
expect sc-no-exclusive EINVAL "$(write_errno $SYS/SCSEG/shared "0\n")"
expect sc-still-shared 1 "$(attr SCSEG shared)"
expect remove-sc OK "$(dcss_remove SCSEG)"
