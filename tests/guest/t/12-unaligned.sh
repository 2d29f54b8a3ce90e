# A segment not aligned to 2 MiB still works as a block device; DAX is
# off and sysfs says why.
dmesg -c >/dev/null
expect add OK "$(dcss_add UNAL)"
expect dax-off 0 "$(attr UNAL dax)"
expect dax-reason "start 0x56100000 not aligned to 2 MiB" "$(attr UNAL dax_reason)"
check dax-reason-in-dmesg sh -c "dmesg | grep -q 'UNAL: DAX disabled: start 0x56100000 not aligned'"
expect memmap-none 0 "$(attr UNAL memmap_bytes)"
dev=$(dcss_dev UNAL)
expect queue-not-dax 0 "$(cat /sys/block/$(basename "$dev")/queue/dax)"
check block-write pattern write "$dev" 0 3M 41 --direct
check block-verify pattern verify "$dev" 0 3M 41 --direct
mkdir -p /mnt/un
check mkfs mkfs_for ext2 "$dev"
check mount-dax-refused sh -c "! mount -t ext2 -o dax $dev /mnt/un 2>/dev/null"
check mount-plain mount -t ext2 "$dev" /mnt/un
check fs-write-verify sh -c "pattern write /mnt/un/f 0 1M 42 && pattern verify /mnt/un/f 0 1M 42"
umount /mnt/un
expect remove OK "$(dcss_remove UNAL)"
