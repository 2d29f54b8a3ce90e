# The driver built into the kernel (tests/builtin/): its parameters come
# from the kernel command line, which also added devices at boot
# (dcssdax.segments=SEG1:SEG2,SEGA(local)); run first, before any reset,
# so the devices are those of the boot.  Sourced by run.sh as group
# 00-builtin.
plan 23
check is-built-in sh -c "test -d /sys/module/dcssdax && test ! -e /sys/module/dcssdax/initstate"
check listed-builtin grep -q '/dcssdax\.ko$' "/lib/modules/$(uname -r)/modules.builtin"
check no-module-file sh -c "! find /lib/modules /modules -name 'dcssdax.ko*' | grep -q ."
expect param-emulate "$EMUL" "$(cat /sys/module/dcssdax/parameters/emulate)"
expect param-segments "SEG1:SEG2,SEGA(local)" "$(cat /sys/module/dcssdax/parameters/segments)"
check_rmmod_busy rmmod-refused
check still-there test -f $SYS/add
# The boot's devices, as the command line asked.
expect boot-devices "SEG1 SEGA" "$(devices)"
expect boot-seglist "SEG1,SEG2," "$(attr SEG1 seglist | tr '\n' ,)"
expect boot-shared 1 "$(attr SEG1 shared)"
expect boot-local 0 "$(attr SEGA shared)"
expect boot-dax 1 "$(attr SEG1 dax)"
check boot-blockdev test -b "$(dcss_dev SEGA)"
# ... and they work: a filesystem on the exclusive one, mounted -o dax.
dev=$(dcss_dev SEGA)
mkdir -p /mnt/b
check mkfs mkfs_for ext2 "$dev"
check mount-dax mount -o dax "$dev" /mnt/b
check write pattern write /mnt/b/data 0 4M 7
check statx-dax daxcheck /mnt/b/data
check remount-verify sh -c "umount /mnt/b && mount -o dax $dev /mnt/b && pattern verify /mnt/b/data 0 4M 7 && umount /mnt/b"
expect remove-boot-device OK "$(dcss_remove SEGA)"
expect readd OK "$(dcss_add SEGA)"
# dcssctl: libkmod finds the driver built in and does not try to load it.
check dcssctl-add dcssctl add segb
check dcssctl-list sh -c "dcssctl list | jq -e 'map(.name) | sort == [\"SEG1\", \"SEGA\", \"SEGB\"]'"
check dcssctl-remove dcssctl remove segb
