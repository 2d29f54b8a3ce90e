# Device-dax mode: a segment as /dev/daxN.0 on the kernel's dax bus
# (drivers/dcssdax/devdax.c).  Mapped MAP_SHARED and MAP_SYNC, data
# written and read back, PMD-sized faults, GUP from the mapping,
# daxctl's view field by field, and what must be refused: remove and
# mode switches while mapped, kmem (system-ram), read-only segments,
# layouts that are not whole 2 MiB subsections.
#
# 2 MiB faults have no tracepoint in device_dax (the fs_dax events are
# fs-dax's) and smaps does not count zone-device folios in FilePmdMapped:
# the proof is the number of faults that touching 4 MiB takes: 2 on
# x86_64, 4 on s390x (PMD_SIZE is 1 MiB there), 1024 without huge pages.
# Without daxctl in the initramfs (the s390x tree has none yet) the
# daxctl checks are reported as skipped.
# On extmem (tests/cp/extmem.sh) devdax mode is refused: extmem keeps the
# segment claimed busy in /proc/iomem, where device_dax must claim it
# (issue 30, item 4).  The group checks that refusal there, and nothing
# of the mode.
if [ "$BACKEND" = extmem ]; then
	plan 6
	before=$(state)
	dmesg_clear
	expect extmem-devdax-add-refused EOPNOTSUPP "$(write_errno $SYS/devdax "SEG1\n")"
	check extmem-devdax-add-said sh -c "dmesg | grep -q 'SEG1: the extmem backend keeps DCSS SEG1 claimed busy'"
	expect extmem-devdax-add-nothing-left "$before" "$(state)"
	expect extmem-fsdax-add OK "$(dcss_add SEG1)"
	before=$(state)
	expect extmem-switch-refused EOPNOTSUPP "$(write_errno $SYS/SEG1/mode "devdax\n")"
	expect extmem-switch-unchanged "$before" "$(state)"
	dcss_remove SEG1 >/dev/null
	return 0 2>/dev/null || exit 0
fi
n=75
command -v dcssctl >/dev/null && n=$((n + 20))
plan $n

# The dev_dax's alignment and fault size: PMD_SIZE where the machine has
# huge pages (THP's sysfs exists only then), else 4 KiB (s390x under
# QEMU without EDAT-1).
align=2097152
[ "$ARCH" = s390x ] && align=1048576
[ -d /sys/kernel/mm/transparent_hugepage ] || align=4096
echo "expected alignment: $align"

# The dax region's directory: on the platform device below the device.
region() { cat $SYS/$1/dcssdax-devdax.*/dax_region/$2 2>/dev/null; }

# jq on daxctl's output: one object when there is one, else an array.
djq() {
	echo "$1" | jq -e "(if type == \"array\" then .[0] else . end) | $2" >/dev/null
}

check devdax-file test -f $SYS/devdax
check device-dax-driver test -d /sys/bus/dax/drivers/device_dax
expect_write add-devdax OK $SYS/devdax "SEG1\n"
expect mode-devdax devdax "$(attr SEG1 mode)"
check no-blockdev test ! -e $SYS/SEG1/block
id=$(region SEG1 id)
dev=/dev/dax$id.0
check chardev test -c "$dev"
expect dax-attr-off 0 "$(attr SEG1 dax)"
expect dax-reason "devdax mode: dax$id.0" "$(attr SEG1 dax_reason)"
expect region-size 50331648 "$(region SEG1 size)"
expect dev-align $align "$(cat /sys/bus/dax/devices/dax$id.0/align 2>/dev/null)"
expect dev-size 50331648 "$(cat /sys/bus/dax/devices/dax$id.0/size 2>/dev/null)"
# The segment's claim is no longer busy, device_dax's nests in it.
check iomem-nested awk -v d="dax$id.0" '
	/SEG1 \(DCSS\)/ { seg = $1; next }
	seg != "" && $0 ~ ("^ +" seg " : " d "$") { ok = 1 }
	END { exit !ok }' /proc/iomem
grep -A1 "SEG1 (DCSS)" /proc/iomem

check mmap-rw devdax rw "$dev"
check mmap-sync devdax sync "$dev"
check pattern-kept sh -c "devdax fill $dev 77 && devdax check $dev 77"
check wronly-ro devdax wronly-ro "$dev"
faults=$(devdax pmd "$dev" | tail -n 1)
emit "FIGURE $ARCH/$GROUP/faults-for-4m: $faults"
expect pmd-faults-4m $((4194304 / align)) "$faults"
measure gup-odirect devdax odirect "$dev" /dev/ram0
measure gup-pvm devdax pvm "$dev"

devdax fill "$dev" 78
if command -v daxctl >/dev/null; then
	json=$(daxctl list -R -D 2>&1)
	echo "daxctl list -R -D:"
	echo "$json"
	emit "FIGURE $ARCH/$GROUP/daxctl-list: $(echo "$json" | tr -d '\n\t ')"
	check daxctl-region-id djq "$json" ".id == $id"
	check daxctl-region-size djq "$json" ".size == 50331648"
	check daxctl-region-align djq "$json" ".align == $align"
	check daxctl-dev-chardev djq "$json" ".devices[0].chardev == \"dax$id.0\""
	check daxctl-dev-size djq "$json" ".devices[0].size == 50331648"
	check daxctl-dev-align djq "$json" ".devices[0].align == $align"
	check daxctl-dev-mode djq "$json" ".devices[0].mode == \"devdax\""
	check daxctl-one-dev djq "$json" ".devices | length == 1"
	# kmem must refuse the region (no NUMA node): never System RAM.
	dmesg_clear
	# --force: past daxctl's own refusal on kernels that auto-online.
	out=$(daxctl reconfigure-device --mode=system-ram --force --no-online "dax$id.0" 2>&1); rc=$?
	echo "$out"
	dmesg | tail -n 5
	check system-ram-refused test "$rc" -ne 0
	check system-ram-reason sh -c "dmesg | grep -q 'rejecting DAX region with invalid node'"
	check no-system-ram sh -c "! grep -q 'System RAM (kmem)' /proc/iomem"
	# daxctl may leave it unbound: bind device_dax again.
	daxctl reconfigure-device --mode=devdax "dax$id.0" >/dev/null 2>&1 ||
		echo "dax$id.0" >/sys/bus/dax/drivers/device_dax/bind 2>/dev/null
else
	for c in daxctl-region-id daxctl-region-size daxctl-region-align \
		 daxctl-dev-chardev daxctl-dev-size daxctl-dev-align \
		 daxctl-dev-mode daxctl-one-dev system-ram-refused \
		 system-ram-reason no-system-ram; do
		skip $c "no daxctl in the $ARCH test userspace"
	done
fi
check devdax-after-kmem devdax check "$dev" 78

# Refused while mapped (or pinned), allowed after munmap.
bg hold devdax hold "$dev" 60
wait_until 10 grep -qs mapped /tmp/bg/hold
dmesg_clear
expect remove-mapped EBUSY "$(dcss_remove SEG1)"
check remove-mapped-reason sh -c "dmesg | grep -q 'Device SEG1 cannot be removed while its page at .* is referenced (mapped from its dax device'"
expect_write switch-mapped EBUSY $SYS/SEG1/shared "0\n"
expect still-shared 1 "$(attr SEG1 shared)"
kill $(pidof devdax) 2>/dev/null
bg_wait hold 10
expect_write switch-unmapped OK $SYS/SEG1/shared "0\n"
expect_write switch-back OK $SYS/SEG1/shared "1\n"
expect_write add-twice EEXIST $SYS/devdax "SEG1\n"
# A devdax device pins the module: rmmod would skip the busy check.
check_rmmod_busy rmmod-refused
check still-there test -d $SYS/SEG1
expect remove OK "$(dcss_remove SEG1)"
check chardev-gone test ! -e "$dev"
check iomem-released sh -c "! grep -q 'SEG1 (DCSS)' /proc/iomem && ! grep -q ' : dax$id.0\$' /proc/iomem"

# The same segment as an fs-dax block device afterwards, then devdax again.
expect fsdax-after OK "$(dcss_add SEG1)"
expect fsdax-after-dax 1 "$(attr SEG1 dax)"
expect fsdax-after-remove OK "$(dcss_remove SEG1)"
expect_write devdax-again OK $SYS/devdax "SEG1\n"
check devdax-again-data devdax rw "/dev/dax$(region SEG1 id).0"
expect devdax-again-remove OK "$(dcss_remove SEG1)"

# fsdax <-> devdax through the mode file, only while idle; the content
# stays (the segments stay loaded).
expect switch-add OK "$(dcss_add SEG1)"
bdev=$(dcss_dev SEG1)
devdax gen - 5 >/tmp/p5
dd if=/tmp/p5 of="$bdev" bs=1M count=4 conv=fsync 2>/dev/null
bg opener sh -c "exec 3<$bdev; echo open; exec sleep 60"
wait_until 10 grep -qs open /tmp/bg/opener
expect_write switch-open-refused EBUSY $SYS/SEG1/mode "devdax\n"
kill $(pidof sleep) 2>/dev/null
bg_wait opener 10
expect_write switch-to-devdax OK $SYS/SEG1/mode "devdax\n"
expect switch-mode-devdax devdax "$(attr SEG1 mode)"
check switch-no-blockdev test ! -e $SYS/SEG1/block
sdev=/dev/dax$(region SEG1 id).0
check switch-kept-data devdax check "$sdev" 5
devdax fill "$sdev" 6
bg shold devdax hold "$sdev" 60
wait_until 10 grep -qs mapped /tmp/bg/shold
expect_write switch-mapped-refused EBUSY $SYS/SEG1/mode "fsdax\n"
kill $(pidof devdax) 2>/dev/null
bg_wait shold 10
expect_write switch-to-fsdax OK $SYS/SEG1/mode "fsdax\n"
expect switch-fsdax-dax 1 "$(attr SEG1 dax)"
bdev=$(dcss_dev SEG1)
devdax gen - 6 >/tmp/p6
check switch-back-data sh -c "dd if=$bdev bs=1M count=4 2>/dev/null | cmp - /tmp/p6"
check switch-claim-back sh -c "grep -q 'SEG1 (DCSS)' /proc/iomem && ! grep -q ': dax' /proc/iomem"
expect_write switch-bad-word EINVAL $SYS/SEG1/mode "pmem\n"
expect switch-remove OK "$(dcss_remove SEG1)"
expect switch-ro-add OK "$(dcss_add ROSEG)"
expect_write switch-ro-refused EROFS $SYS/ROSEG/mode "devdax\n"
expect switch-ro-stays fsdax "$(attr ROSEG mode)"
expect switch-ro-remove OK "$(dcss_remove ROSEG)"
rm -f /tmp/p5 /tmp/p6

# Joined segments make one region of their whole span.
expect_write join OK $SYS/devdax "SEG2:SEG3\n"
jid=$(region SEG2 id)
expect join-size 83886080 "$(cat /sys/bus/dax/devices/dax$jid.0/size 2>/dev/null)"
check join-iomem grep -q "SEG2:SEG3 (DCSS)" /proc/iomem
check join-mmap devdax rw "/dev/dax$jid.0"
expect join-remove OK "$(dcss_remove SEG2)"

# dcssctl: add --mode devdax, list shows the mode and the character
# device (through libdaxctl where dcssctl has it, else sysfs).
if command -v dcssctl >/dev/null; then
	out=$(dcssctl add sega --mode devdax 2>&1)
	echo "$out"
	check dcssctl-add-devdax sh -c "echo '$out' | jq -e '.name == \"SEGA\" and (.devdax.chardev | test(\"^dax[0-9]+[.]0\$\"))'"
	list=$(dcssctl list SEGA 2>&1)
	echo "$list"
	check dcssctl-list-devdax sh -c "echo '$list' | jq -e '.[0] | .mode == \"devdax\" and .access == \"shared\" and .chardev == .devdax.chardev and .align == $align and .devdax.size == 16777216 and .devdax.align == $align and .devdax.state == \"devdax\"'"
	check dcssctl-list-chardev test -c "/dev/$(echo "$list" | jq -r '.[0].chardev')"
	check dcssctl-table-devdax sh -c "dcssctl list -t -o NAME,DEV,MODE | grep -qE '^SEGA +dax[0-9]+[.]0 +devdax$'"
	check dcssctl-remove dcssctl remove SEGA
	# devdax persists: a line of dcssdax.conf(5), written back by export.
	printf 'sega devdax\n' >/tmp/devdax.conf
	check dcssctl-apply-devdax dcssctl apply /tmp/devdax.conf
	expect dcssctl-apply-devdax-mode devdax "$(attr SEGA mode)"
	expect dcssctl-export-devdax "SEGA shared devdax" "$(dcssctl export | grep -v '^#')"
	dcssctl remove SEGA >/dev/null 2>&1
	check_not dcssctl-add-readonly "read-only segment" dcssctl add roseg --mode devdax
	# dcssctl mode NAME devdax|fsdax: switched while idle (it waits for
	# the new node), refused with the driver's EBUSY while open or
	# mapped, saying what holds it.
	dcssctl add sega >/dev/null 2>&1
	mblk=$(dcss_dev SEGA)
	devdax gen - 9 >/tmp/p9
	dd if=/tmp/p9 of="$mblk" bs=1M count=4 conv=fsync 2>/dev/null
	rm -f /tmp/p9
	bg mopen sh -c "exec 3<$mblk; echo open; exec sleep 60"
	wait_until 10 grep -qs open /tmp/bg/mopen
	check_not dcssctl-mode-open-refused "is open by process" dcssctl mode SEGA devdax
	expect dcssctl-mode-open-stays fsdax "$(attr SEGA mode)"
	kill $(pidof sleep) 2>/dev/null
	bg_wait mopen 10
	check dcssctl-mode-devdax dcssctl mode SEGA devdax
	mdev=/dev/$(dcssctl list SEGA 2>/dev/null | jq -r '.[0].devdax.chardev')
	check dcssctl-mode-chardev test -c "$mdev"
	check dcssctl-mode-kept-data devdax check "$mdev" 9
	check dcssctl-mode-same dcssctl mode SEGA devdax
	bg mhold devdax hold "$mdev" 60
	wait_until 10 grep -qs mapped /tmp/bg/mhold
	check_not dcssctl-mode-mapped-refused "is mapped through $mdev" dcssctl mode SEGA fsdax
	kill $(pidof devdax) 2>/dev/null
	bg_wait mhold 10
	check dcssctl-mode-fsdax dcssctl mode SEGA fsdax
	check dcssctl-mode-blockdev test -b "$(dcss_dev SEGA)"
	check dcssctl-mode-remove dcssctl remove SEGA
	dcssctl add roseg >/dev/null 2>&1
	check_not dcssctl-mode-readonly "it is read-only" dcssctl mode ROSEG devdax
	dcssctl remove ROSEG >/dev/null 2>&1
fi

# Refusals: read-only when shared, not whole subsections; nothing stays.
dmesg_clear
expect_write readonly-refused EROFS $SYS/devdax "ROSEG\n"
check readonly-reason sh -c "dmesg | grep -q 'ROSEG: a read-only segment cannot be a devdax device'"
expect_write unaligned-refused EINVAL $SYS/devdax "BOTHU\n"
expect nothing-left "" "$(devices)$(grep DCSS /proc/iomem)$(ls /sys/bus/dax/devices)"
