# The module loads (with the emulated table, or without one on extmem)
# and offers dcssblk's files.
plan 7
check control-files test -f $SYS/add -a -f $SYS/remove
expect add-mode-root-only "--w-------" "$(ls -l $SYS/add | cut -c1-10)"
# On extmem (tests/cp/extmem.sh) the module is loaded without a table.
if [ "$BACKEND" = extmem ]; then
	expect param-emulate-empty "" "$(cat /sys/module/dcssdax/parameters/emulate)"
else
	check param-emulate grep -q "SEG1:SW:0x40000000:48M" /sys/module/dcssdax/parameters/emulate
fi
check param-segments test -f /sys/module/dcssdax/parameters/segments
check modinfo-documents-emulate grep -qa "parm=emulate:.*NAME:TYPE:START:SIZE" /modules/dcssdax.ko
check blkdev-registered grep -q " dcssdax$" /proc/devices
expect no-devices-at-start "" "$(ls /dev | grep dcssdax)"
