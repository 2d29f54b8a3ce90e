# A re-IPL purges what the guest holds (tests/cp/run.sh boots this guest
# without -no-reboot).  First boot: CPIPL is loaded with dcssblk, CP counts
# its user, a marker segment IPLMARK is saved from this guest's own
# storage (the one thing that outlives the IPL), and the guest reboots in
# the middle of the group.  Second boot (IPLMARK exists): CPIPL has no
# user and nothing is in /proc/iomem, it loads again; IPLMARK lies inside
# the guest's storage and cannot be loaded (extmem refuses it before
# asking CP: the range is System RAM, EBUSY).  The second boot reports as
# group 32-cp-ipl-2.
if vmcp q nss name iplmark 2>/dev/null | grep -q IPLMARK; then
	GROUP=32-cp-ipl-2
	emit "GROUP $GROUP"
	plan 6
	check cpipl-purged-by-ipl sh -c \
		'vmcp q nss name cpipl map | grep -Eq "^0001 CPIPL .* SW   A  00000"'
	check no-dcss-in-iomem sh -c '! grep -q DCSS /proc/iomem'
	check dcssblk-insmod insmod /modules/dcssblk.ko
	expect dcssblk-add-again OK "$(write_errno /sys/devices/dcssblk/add 'CPIPL\n')"
	expect dcssblk-remove OK "$(write_errno /sys/devices/dcssblk/remove 'CPIPL\n')"
	expect segment-in-storage-refused EBUSY \
		"$(write_errno /sys/devices/dcssblk/add 'IPLMARK\n')"
	return 0
fi
plan 5
check dcssblk-insmod insmod /modules/dcssblk.ko
expect dcssblk-add OK "$(write_errno /sys/devices/dcssblk/add 'CPIPL\n')"
check cp-counts-one-user sh -c \
	'vmcp q nss name cpipl map | grep -Eq "^0001 CPIPL .* SW   A  00001"'
check vmcp-defseg-marker vmcp defseg iplmark 100-100 sw
check vmcp-saveseg-marker vmcp saveseg iplmark
echo "32-cp-ipl: re-IPL with CPIPL loaded"
sync
reboot -f
sleep 60
