# rmmod removes idle devices cleanly; insmod/rmmod cycles leave nothing;
# the segments= parameter adds sets at load time, (local) exclusive.
plan 25
for i in 1 2 3; do
	expect "cycle-$i-add" OK "$(dcss_add SEG1)"
	expect "cycle-$i-add-joined" OK "$(dcss_add SEGA:SEGB)"
	check "cycle-$i-rmmod-with-devices" rmmod dcssdax
	expect "cycle-$i-no-claims" "" "$(grep DCSS /proc/iomem)"
	expect "cycle-$i-no-nodes" "" "$(ls /dev | grep dcssdax)"
	check "cycle-$i-insmod" dcss_load
done
rmmod dcssdax
check param-segments dcss_load segments="seg1,sega:segb(local),nosuch,seg2(bogus)"
expect param-seg1 1 "$(attr SEG1 shared)"
expect param-joined-local 0 "$(attr SEGA shared)"
expect param-joined-seglist "SEGA SEGB" "$(attr SEGA seglist | tr '\n' ' ' | sed 's/ $//')"
check param-bad-suffix-skipped test ! -d $SYS/SEG2
check param-unknown-said sh -c "dmesg | grep -q 'adding \"nosuch\" failed'"
check rmmod-after-param rmmod dcssdax
dcss_load
