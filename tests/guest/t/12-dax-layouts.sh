# DAX on segments that are not 2 MiB aligned: struct pages for the span
# rounded out to subsections, the pages outside the segment never touched.
# The 9 RAMSPAN checks are x86_64 only.
# On extmem (tests/cp/extmem.sh): no guards (6 checks fewer), since CP
# drops what was written to them when they are removed, and BOTHU's
# neighbours then have no memory at all: a stray access of the driver
# to them is an addressing exception (an oops, a failed group), a
# stronger guard than the pattern.  And the pair is saved before each
# remove (2 checks more), as on z/VM data lives on across a remove only
# when saved.
if [ "$ARCH" = x86_64 ]; then plan 99
elif [ "$BACKEND" = extmem ]; then plan 86
else plan 90; fi
mkdir -p /mnt/l /mnt/p1 /mnt/p2

# layout NAME FSTYPE: the DAX and GUP proofs of the aligned case.
layout() {
	local name=$1 fs=$2 dev start size
	expect "$name-add" OK "$(dcss_add $name)"
	expect "$name-dax-on" 1 "$(attr $name dax)"
	expect "$name-no-reason" "" "$(attr $name dax_reason)"
	start=$(attr $name start)
	size=$(attr $name size)
	expect "$name-memmap-bytes" "$(span_memmap $start $size)" "$(attr $name memmap_bytes)"
	emit "FIGURE $ARCH/$GROUP/layout-$name: start=$start size=$size dax=$(attr $name dax) memmap_bytes=$(attr $name memmap_bytes)"
	dev=$(dcss_dev $name)
	expect "$name-queue-dax" 1 "$(cat /sys/block/${dev#/dev/}/queue/dax)"
	check "$name-block-pattern" sh -c "pattern write $dev 0 $size 51 --direct && pattern verify $dev 0 $size 51 --direct"
	check "$name-mkfs-$fs" mkfs_for $fs "$dev"
	check "$name-mount-dax" mount -t $fs -o dax "$dev" /mnt/l
	check "$name-write" pattern write /mnt/l/f 0 1M 52
	check "$name-statx-dax" daxcheck /mnt/l/f
	check "$name-verify" pattern verify /mnt/l/f 0 1M 52
	# gup maps 4 MiB of a file: BOTHU (3 MiB) is too small to hold one.
	if [ "$size" -ge $((8 << 20)) ]; then
		check "$name-gup-file" pattern write /mnt/l/g 0 4M 53
		check "$name-gup-odirect" gup odirect-write /mnt/l/g /dev/ram0
		check "$name-gup-pvm" gup pvm-read /mnt/l/g /dev/ram0
	fi
	check "$name-umount" umount /mnt/l
	check "$name-remount-verify" sh -c "mount -t $fs -o dax $dev /mnt/l && pattern verify /mnt/l/f 0 1M 52 && umount /mnt/l"
	expect "$name-remove" OK "$(dcss_remove $name)"
}

# Guards: the parts of BOTHU's subsections that are not BOTHU.
if [ "$BACKEND" = emulated ]; then
	expect guards-add OKOK "$(dcss_add GUARDL)$(dcss_add GUARDR)"
	check guards-fill sh -c "pattern write $(dcss_dev GUARDL) 0 1M 61 --direct && pattern write $(dcss_dev GUARDR) 0 0x1fd000 62 --direct"
	expect guards-remove OKOK "$(dcss_remove GUARDL)$(dcss_remove GUARDR)"
fi

layout BOTHU ext2	# start and end unaligned (+1 MiB, 3 MiB + 12 KiB)
layout HEADU ext4	# start unaligned
layout TAILU ext4	# end unaligned
layout BIGU xfs		# both unaligned, big enough for xfs

if [ "$BACKEND" = emulated ]; then
	expect guards-readd OKOK "$(dcss_add GUARDL)$(dcss_add GUARDR)"
	check guards-untouched sh -c "pattern verify $(dcss_dev GUARDL) 0 1M 61 --direct && pattern verify $(dcss_dev GUARDR) 0 0x1fd000 62 --direct"
	expect guards-remove-again OKOK "$(dcss_remove GUARDL)$(dcss_remove GUARDR)"
fi

# Two devices in one subsection, each removed while the other is mounted
# and in use, then added again.
expect pair-add OKOK "$(dcss_add PAIR1)$(dcss_add PAIR2)"
expect pair-both-dax 11 "$(attr PAIR1 dax)$(attr PAIR2 dax)"
emit "FIGURE $ARCH/$GROUP/layout-PAIR: PAIR1 memmap_bytes=$(attr PAIR1 memmap_bytes) PAIR2 memmap_bytes=$(attr PAIR2 memmap_bytes)"
d1=$(dcss_dev PAIR1)
d2=$(dcss_dev PAIR2)
# ext2: no journal, so 9 MiB PAIR1 holds both its files.
check pair-mkfs sh -c "mkfs_for ext2 $d1 && mkfs_for ext2 $d2"
check pair-mount sh -c "mount -o dax $d1 /mnt/p1 && mount -o dax $d2 /mnt/p2"
check pair-write sh -c "pattern write /mnt/p1/a 0 2M 71 && pattern write /mnt/p2/b 0 2M 72"
# Scratch files for gup, which writes its own data into the mapping.
check pair-gup-files sh -c "pattern write /mnt/p1/g 0 4M 74 && pattern write /mnt/p2/g 0 4M 75"
check pair1-umount umount /mnt/p1
[ "$BACKEND" = extmem ] && expect pair1-save OK "$(write_errno $SYS/PAIR1/save "1\n")"
expect pair1-remove-while-2-mounted OK "$(dcss_remove PAIR1)"
check pair2-still-works sh -c "pattern verify /mnt/p2/b 0 2M 72 && pattern write /mnt/p2/c 0 2M 73 && gup odirect-write /mnt/p2/g /dev/ram0"
expect pair1-readd OK "$(dcss_add PAIR1)"
expect pair1-readd-dax 1 "$(attr PAIR1 dax)"
check pair1-data-back sh -c "mount -o dax $(dcss_dev PAIR1) /mnt/p1 && pattern verify /mnt/p1/a 0 2M 71"
check pair2-umount umount /mnt/p2
[ "$BACKEND" = extmem ] && expect pair2-save OK "$(write_errno $SYS/PAIR2/save "1\n")"
expect pair2-remove-while-1-mounted OK "$(dcss_remove PAIR2)"
check pair1-still-works sh -c "pattern verify /mnt/p1/a 0 2M 71 && gup odirect-read /mnt/p1/g /dev/ram0"
expect pair2-readd OK "$(dcss_add PAIR2)"
check pair2-data-back sh -c "mount -o dax $(dcss_dev PAIR2) /mnt/p2 && pattern verify /mnt/p2/b 0 2M 72 && pattern verify /mnt/p2/c 0 2M 73"
check pair-umount sh -c "umount /mnt/p1 && umount /mnt/p2"
expect pair-remove OKOK "$(dcss_remove PAIR2)$(dcss_remove PAIR1)"

# A span whose rounding reaches System RAM: DAX off with the reason, the
# block path still works.  x86_64 only: there memmap=4M$0x60100000 leaves
# RAM right below the segment; on s390x the storage above mem=1G starts
# 2 MiB aligned, so no emulated segment's rounding can reach RAM there.
if [ "$ARCH" = x86_64 ]; then
	dmesg_clear
	expect ramspan-add OK "$(dcss_add RAMSPAN)"
	expect ramspan-dax-off 0 "$(attr RAMSPAN dax)"
	expect ramspan-reason "2 MiB rounding covers System RAM at 0x60000000-0x600fffff" "$(attr RAMSPAN dax_reason)"
	emit "FIGURE $ARCH/$GROUP/layout-RAMSPAN: dax=$(attr RAMSPAN dax) reason='$(attr RAMSPAN dax_reason)' memmap_bytes=$(attr RAMSPAN memmap_bytes)"
	check ramspan-reason-in-dmesg sh -c "dmesg | grep -q 'RAMSPAN: DAX disabled: 2 MiB rounding covers System RAM'"
	expect ramspan-memmap 0 "$(attr RAMSPAN memmap_bytes)"
	dev=$(dcss_dev RAMSPAN)
	check ramspan-block-io sh -c "pattern write $dev 0 2M 81 --direct && pattern verify $dev 0 2M 81 --direct"
	check ramspan-mount-dax-refused sh -c "mkfs_for ext2 $dev && ! mount -t ext2 -o dax $dev /mnt/l 2>/dev/null"
	check ramspan-mount-plain sh -c "mount -t ext2 $dev /mnt/l && pattern write /mnt/l/f 0 512K 82 && pattern verify /mnt/l/f 0 512K 82 && umount /mnt/l"
	expect ramspan-remove OK "$(dcss_remove RAMSPAN)"
fi
