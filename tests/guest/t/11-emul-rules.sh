# The emulated backend keeps extmem's and z/VM's rules, and refuses
# memory it must not touch, with a message and nothing claimed.
# ACPI memory (x86_64 only) adds four checks.
# On extmem (tests/cp/extmem.sh) the same rules are extmem's and CP's:
# the checks run against them, with extmem's errnos and messages, except
# the three about memory the guest does not have (NOMEM, EDGE): CP gives
# a segment memory of its own wherever it lies, so the CP directory does
# not define them (they are the emulated backend's rule alone).
if [ "$ARCH" = x86_64 ]; then plan 33
elif [ "$BACKEND" = extmem ]; then plan 26
else plan 29; fi
before=$(state)
expect overlap-first OK "$(dcss_add OVL1)"
expect overlap-second-busy EBUSY "$(dcss_add OVL2)"
expect overlap-remove OK "$(dcss_remove OVL1)"
expect overlap-second-after OK "$(dcss_add OVL2)"
expect overlap-cleanup OK "$(dcss_remove OVL2)"
dmesg_clear
expect system-ram EBUSY "$(dcss_add RAMSEG)"
if [ "$BACKEND" = extmem ]; then
	# extmem's iomem claim collides with the guest's storage.
	check system-ram-message sh -c "dmesg | grep -q 'RAMSEG needs used memory resources and cannot be loaded'"
else
	check system-ram-message sh -c "dmesg | grep -q 'RAMSEG overlaps System RAM'"
	expect not-reserved ERANGE "$(dcss_add NOMEM)"
	# Where the table points at memory that is not there: on x86_64
	# memory not reserved with memmap=, on s390x storage beyond the
	# guest's (1.5 GiB).
	if [ "$ARCH" = s390x ]; then
		check not-reserved-message sh -c "dmesg | grep -q 'NOMEM ends beyond the guest.s storage'"
		expect crosses-storage-end ERANGE "$(dcss_add EDGE)"
	else
		check not-reserved-message sh -c "dmesg | grep -q 'NOMEM is not inside memory reserved'"
		expect crosses-into-ram EBUSY "$(dcss_add EDGE)"
	fi
fi
if [ "$BACKEND" = extmem ]; then
	# CP's "does not exist" (DIAG X'64' return code 44).
	expect not-defined ENOENT "$(dcss_add NOSUCH)"
	check not-defined-message sh -c "dmesg | grep -q 'DCSS NOSUCH cannot be loaded or queried'"
else
	expect not-emulated ENODEV "$(dcss_add NOSUCH)"
	check not-emulated-message sh -c "dmesg | grep -q 'NOSUCH is not emulated and cannot be loaded without z/VM'"
fi
expect nothing-claimed "$before" "$(state)"
# Exclusive mode and back.
expect add-sw OK "$(dcss_add SEG2)"
expect to-exclusive OK "$(write_errno $SYS/SEG2/shared "0\n")"
expect exclusive 0 "$(attr SEG2 shared)"
expect to-shared OK "$(write_errno $SYS/SEG2/shared "1")"
expect shared-again 1 "$(attr SEG2 shared)"
expect remove-sw OK "$(dcss_remove SEG2)"
# SN cannot be saved: said, nothing else happens.
expect add-sn OK "$(dcss_add SEGN)"
dmesg_clear
expect save-sn OK "$(write_errno $SYS/SEGN/save "1\n")"
check save-sn-message sh -c "dmesg | grep -q 'SEGN is of type SN or EN and cannot be saved'"
expect remove-sn OK "$(dcss_remove SEGN)"
# A bad table refuses the module load with a message.
rmmod dcssdax
dmesg_clear
check_not bad-table-refused "Invalid argument" insmod /modules/dcssdax.ko emulate=X:QQ:0x40000000:1M
check bad-table-message sh -c "dmesg | grep -q 'emulate: entry 1 is not NAME:TYPE:START:SIZE'"
check_not unaligned-table-refused "Invalid argument" insmod /modules/dcssdax.ko emulate=X:SW:0x40000100:1M
check_not duplicate-table-refused "Invalid argument" insmod /modules/dcssdax.ko emulate=X:SW:0x40000000:1M,x:SW:0x41000000:1M
check no-leftover-after-refused-load test ! -d $SYS
dcss_load
# Memory the firmware describes for itself is refused even when it is
# reserved and unclaimed (x86_64: ACPI data, made with memmap=nn#ss).
if [ "$ARCH" = x86_64 ]; then
	check acpi-range-is-acpi grep -q '60800000-609fffff : ACPI Tables' /proc/iomem
	dmesg_clear
	expect acpi-range-refused EPERM "$(dcss_add ACPISEG)"
	check acpi-range-said sh -c "dmesg | grep -q 'emulated DCSS ACPISEG overlaps ACPI tables'"
	expect acpi-range-not-claimed "" "$(grep 'ACPISEG (DCSS)' /proc/iomem)"
fi
# Control files and physical addresses as dcssblk has them: root only.
dcss_add SEG1 >/dev/null
expect sysfs-modes "200 200 600 600 400 400 400 400 444 444" \
	"$(stat -c %a $SYS/add $SYS/remove $SYS/SEG1/shared $SYS/SEG1/save $SYS/SEG1/seglist $SYS/SEG1/start $SYS/SEG1/SEG1/start $SYS/SEG1/SEG1/end $SYS/SEG1/size $SYS/SEG1/dax | tr '\n' ' ' | sed 's/ $//')"
dcss_remove SEG1 >/dev/null
