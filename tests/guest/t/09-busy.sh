# A mounted or open device cannot be removed or switched; nothing changes.
plan 19
dcss_add SEG1 >/dev/null
dev=$(dcss_dev SEG1)
mkdir -p /mnt/busy
mkfs_for ext2 "$dev" && mount -o dax "$dev" /mnt/busy
pattern write /mnt/busy/keep 0 4M 31
before=$(state)
expect remove-mounted EBUSY "$(dcss_remove SEG1)"
expect shared-mounted EBUSY "$(write_errno $SYS/SEG1/shared "0\n")"
check_rmmod_busy rmmod-mounted
expect state-unchanged "$before" "$(state)"
check data-intact pattern verify /mnt/busy/keep 0 4M 31
expect save-while-mounted-pending OK "$(write_errno $SYS/SEG1/save "1\n")"
expect save-pending 1 "$(attr SEG1 save)"
expect save-cancel OK "$(write_errno $SYS/SEG1/save "0\n")"
expect save-cancelled 0 "$(attr SEG1 save)"
expect save-again OK "$(write_errno $SYS/SEG1/save "1\n")"
dmesg_clear
umount /mnt/busy
expect saved-on-last-close 0 "$(attr SEG1 save)"
check saved-message sh -c "dmesg | grep -q 'SEG1 has become idle and is being saved now'"
# Open without a filesystem also counts.
exec 3<"$dev"
before=$(state)
expect remove-open EBUSY "$(dcss_remove SEG1)"
expect shared-open EBUSY "$(write_errno $SYS/SEG1/shared "0\n")"
check_rmmod_busy rmmod-open
expect state-unchanged-open "$before" "$(state)"
exec 3<&-
expect remove-after-close OK "$(dcss_remove SEG1)"
expect re-add OK "$(dcss_add SEG1)"
check data-after-readd sh -c "mount -o dax $(dcss_dev SEG1) /mnt/busy && pattern verify /mnt/busy/keep 0 4M 31 && umount /mnt/busy"
