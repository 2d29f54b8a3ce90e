# Helpers for the guest test groups.  Sourced.
SYS=/sys/devices/dcssdax

# The emulated segment table: all inside the 512 MiB reserved with
# memmap=512M$0x40000000, except the entries that must be refused.
EMUL="SEG1:SW:0x40000000:64M,SEG2:SW:0x44000000:64M,SEG3:SW:0x48000000:64M"
EMUL="$EMUL,SEGA:EW:0x4c000000:16M,SEGB:EW:0x4d000000:16M"
EMUL="$EMUL,SEGC:SW:0x4e000000:16M,ROSEG:SR:0x50000000:32M"
EMUL="$EMUL,SCSEG:SC:0x52000000:16M,SEGN:SN:0x53000000:16M"
EMUL="$EMUL,OVL1:SW:0x54000000:16M,OVL2:SW:0x54800000:16M"
EMUL="$EMUL,UNAL:SW:0x56100000:0x300000,BIG:SW:0x58000000:128M"
EMUL="$EMUL,RAMSEG:SW:0x30000000:16M,NOMEM:SW:0x90000000:16M"
EMUL="$EMUL,EDGE:SW:0x5ff00000:2M"

pass() { echo "RESULT PASS $GROUP/$1"; }
fail() { echo "RESULT FAIL $GROUP/$1: $2"; }

# check NAME CMD...: passes when CMD exits 0.
check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		pass "$name"
	else
		fail "$name" "$(echo "$out" | tail -n 4 | tr '\n' ' ') [$*]"
	fi
}

# check_not NAME CMD...: passes when CMD fails.
check_not() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		fail "$name" "unexpectedly succeeded: $(echo "$out" | tail -n 2 | tr '\n' ' ') [$*]"
	else
		pass "$name"
	fi
}

# expect NAME EXPECTED ACTUAL
expect() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "expected '$2', got '$3'"
	fi
}

# write_errno FILE DATA: one write() of DATA (printf %b escapes, so \n
# and \0 work); prints OK or the errno name.
write_errno() {
	printf '%b' "$2" | syswrite "$1"
}

# expect_write NAME ERRNO FILE DATA
expect_write() {
	expect "$1" "$2" "$(write_errno "$3" "$4")"
}

dcss_load() { insmod /modules/dcssdax.ko emulate="$EMUL" "$@"; }
dcss_unload() { rmmod dcssdax; }
dcss_add() { write_errno $SYS/add "$1\n"; }
dcss_remove() { write_errno $SYS/remove "$1\n"; }

# The block device node of device NAME.
dcss_dev() { echo "/dev/$(ls "$SYS/$1/block" 2>/dev/null)"; }

attr() { cat "$SYS/$1/$2" 2>/dev/null; }

# A sorted listing of the driver's state: devices, their facts and the
# iomem claims, to compare before and after a refused operation.
state() {
	local d
	for d in "$SYS"/*/; do
		[ -e "$d/seglist" ] || continue
		echo "$d $(cat "$d/seglist" | tr '\n' ,) $(cat "$d/shared") $(cat "$d/save") $(ls "$d/block")"
	done
	grep DCSS /proc/iomem
	ls /dev | grep dcssdax
}

meminfo_kb() { awk -v k="$1:" '$1 == k {print $2}' /proc/meminfo; }

# Unmount everything under /mnt and reload the driver with the table.
reset_state() {
	local m
	for m in $(awk '$2 ~ "^/mnt/" {print $2}' /proc/mounts | sort -r); do
		umount "$m" 2>/dev/null || umount -l "$m"
	done
	if [ -d $SYS ]; then
		rmmod dcssdax 2>/dev/null || echo "reset: rmmod dcssdax failed"
	fi
	dcss_load || echo "reset: insmod dcssdax failed"
}

# scan_dmesg GROUP FILE: fail on any splat in the kernel log.
scan_dmesg() {
	local bad
	bad=$(grep -E 'WARNING:|BUG:|Oops|Call Trace|general protection|lockdep|possible circular|possible recursive|KASAN|UBSAN|kmemleak|INFO: task .* blocked|rcu_sched detected stall|list_add corruption|list_del corruption' "$2")
	if [ -n "$bad" ]; then
		echo "RESULT FAIL $1/dmesg-clean: $(echo "$bad" | head -n 3 | tr '\n' ' ')"
		cat "$2"
	else
		echo "RESULT PASS $1/dmesg-clean"
	fi
}

# busybox runs its own applets first whatever PATH says, so the real
# e2fsprogs and xfsprogs tools are called by their full path.
# mkfs_for FSTYPE DEV: make a filesystem that can be mounted -o dax.
mkfs_for() {
	case $1 in
	ext2) /sbin/mke2fs -q -F -t ext2 -b 4096 "$2" ;;
	ext4) /sbin/mke2fs -q -F -t ext4 -b 4096 "$2" ;;
	# Small test filesystems are allowed when the fstests variables are
	# set; reflink must be off for DAX; the 4 KiB sector matches the
	# device's logical block size.
	xfs) TEST_DIR=1 TEST_DEV=1 QA_CHECK_FS=1 \
		/sbin/mkfs.xfs -q -f -m reflink=0 -s size=4096 "$2" ;;
	esac
}

# A PCI BAR in memory space, mmapped through sysfs: VM_PFNMAP without
# struct pages, the negative control of the GUP tests.
pci_mem_bar() {
	local d start end flags
	for d in /sys/bus/pci/devices/*; do
		read -r start end flags < "$d/resource" || continue
		if [ $((flags & 0x200)) -ne 0 ] && [ $((end)) -gt $((start)) ]; then
			echo "$d/resource0"
			return 0
		fi
	done
	return 1
}
