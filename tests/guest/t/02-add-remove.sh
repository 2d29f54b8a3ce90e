# One segment becomes a device and goes away again without leftovers.
plan 36
before=$(state)
# Every uevent of the add and the remove, to show that segments send none.
rm -f /tmp/uev
uevent sh -c 'echo "$ACTION $DEVPATH" >>/tmp/uev' & uev=$!
sleep 1
expect add OK "$(dcss_add SEG1)"
check sysfs-dir test -d $SYS/SEG1
dev=$(dcss_dev SEG1)
check blockdev-node test -b "$dev"
expect seglist SEG1 "$(attr SEG1 seglist)"
expect start 0x40000000 "$(attr SEG1 start)"
expect size 50331648 "$(attr SEG1 size)"
expect shared 1 "$(attr SEG1 shared)"
expect save 0 "$(attr SEG1 save)"
expect ro 0 "$(attr SEG1 ro)"
expect dax 1 "$(attr SEG1 dax)"
expect dax-reason-empty "" "$(attr SEG1 dax_reason)"
expect memmap-bytes $((12288 * PAGE_STRUCT)) "$(attr SEG1 memmap_bytes)"
expect seg-type SW "$(attr SEG1 SEG1/type)"
expect seg-start 0x40000000 "$(attr SEG1 SEG1/start)"
expect seg-end 0x42ffffff "$(attr SEG1 SEG1/end)"
expect seg-backend "$BACKEND" "$(attr SEG1 SEG1/backend)"
expect seg-size 50331648 "$(attr SEG1 SEG1/size)"
# A child device without bus, class or power management: its attributes
# and the driver core's uevent file, no subsystem link, no power/.
expect seg-files "backend end size start type uevent" "$(ls $SYS/SEG1/SEG1 | tr '\n' ' ' | sed 's/ $//')"
check no-segments-dir test ! -e $SYS/SEG1/segments
# extmem names the claim with the segment's name padded to 8 blanks.
check iomem-claimed grep -Eq "40000000-42ffffff : SEG1 +\(DCSS\)" /proc/iomem
expect logical-block 4096 "$(cat /sys/block/$(basename "$dev")/queue/logical_block_size)"
expect physical-block 4096 "$(cat /sys/block/$(basename "$dev")/queue/physical_block_size)"
expect capacity 50331648 "$(blockdev --getsize64 "$dev")"
expect disk-ro-flag 0 "$(cat /sys/block/$(basename "$dev")/ro)"
expect dax-queue-flag 1 "$(cat /sys/block/$(basename "$dev")/queue/dax)"
expect remove OK "$(dcss_remove SEG1)"
check sysfs-dir-gone test ! -e $SYS/SEG1
check blockdev-gone test ! -e "$dev"
sleep 1
kill $uev; wait $uev 2>/dev/null
check uevent-listener-saw-disk grep -q "^add /devices/dcssdax/SEG1/block/$(basename "$dev")\$" /tmp/uev
check uevent-none-for-segment sh -c "! grep -q '^[a-z]* /devices/dcssdax/SEG1/SEG1' /tmp/uev"
expect state-restored "$before" "$(state)"
expect add-lowercase OK "$(dcss_add seg1)"
check lowercase-named-upper test -d $SYS/SEG1
expect remove-lowercase OK "$(dcss_remove seg1)"
expect add-again-after-remove OK "$(dcss_add SEG1)"
expect remove-again OK "$(dcss_remove SEG1)"
