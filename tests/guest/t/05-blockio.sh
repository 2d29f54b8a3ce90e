# The bio path: patterns written and read back, through O_DIRECT and the
# page cache, and data kept in segment memory across remove and add
# (on extmem: dropped, as z/VM does with what was not saved).
plan 14
dcss_add SEG2 >/dev/null
dev=$(dcss_dev SEG2)
check direct-write-whole pattern write "$dev" 0 48M 11 --direct
check direct-verify-whole pattern verify "$dev" 0 48M 11 --direct
check buffered-verify-whole pattern verify "$dev" 0 48M 11
check buffered-write-middle pattern write "$dev" 5M 3M 12
check direct-verify-middle pattern verify "$dev" 5M 3M 12 --direct
check direct-verify-untouched pattern verify "$dev" 0 5M 11 --direct
check_not wrong-seed-detected "mismatch at offset" pattern verify "$dev" 0 1M 99 --direct
check_not write-beyond-end-refused "0+0 records out" dd if=/dev/zero of="$dev" bs=4096 seek=12288 count=1 oflag=direct
check zeroout blkzero "$dev" 0 1048576
check zeroed sh -c "cmp -n 1048576 $dev /dev/zero"
check flush sh -c "sync && blockdev --flushbufs $dev"
expect remove OK "$(dcss_remove SEG2)"
expect re-add OK "$(dcss_add SEG2)"
# The emulated segment's memory is its only copy: the data stays.  On
# extmem (z/VM) the remove purged the segment, and with nobody else
# holding it CP dropped what was written and not saved: the next load
# gets the saved version, which the harness made zero.
if [ "$BACKEND" = extmem ]; then
	check unsaved-data-gone-after-remove sh -c "[ \"\$(dd if=$(dcss_dev SEG2) bs=1M skip=5 count=3 iflag=direct 2>/dev/null | tr -d '\\000' | wc -c)\" = 0 ]"
else
	check data-survives-remove pattern verify "$(dcss_dev SEG2)" 5M 3M 12 --direct
fi
dcss_remove SEG2 >/dev/null
