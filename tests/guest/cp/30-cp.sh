# The guest's side of tests/cp/run.sh, which puts it into the initramfs
# as t/30-cp.sh: an s390x guest on QEMU with the emulated CP (qemu-cp/).
# The host defined CPSEG1 (SW, 0x50000000, 8 MiB, version 1 with known
# text at its head and tail) and nothing else; this guest's storage ends
# at 1 GiB.  The kernel, vmcp, upstream dcssblk and dcssdax with no
# emulate= (its extmem backend) run against it.
plan 47

HEAD1="CPSEG1 version 1 head"
TAIL1="CPSEG1 version 1 tail"
HEAD2="CPSEG1 version 2 head"

# head_of DEV [BLOCK]: the 21 bytes at the start of 4 KiB block BLOCK.
head_of() {
	dd if="$1" bs=4096 skip="${2:-0}" count=1 2>/dev/null | head -c 21
}

# nonzero_in DEV BLOCK: how many bytes of 4 KiB block BLOCK are not zero.
nonzero_in() {
	dd if="$1" bs=4096 skip="$2" count=1 2>/dev/null | tr -d '\000' | wc -c
}

# probe ADDR [write=1]: cpprobe's one guarded access (see cpprobe.c).
probe() {
	insmod /modules/cpprobe.ko addr="$@" && rmmod cpprobe
}

# The identity: decided by the boot decompressor from STSI 3.2.2.
check boot-says-zvm grep -q "Linux is running as a z/VM guest" /tmp/dmesg.boot
check sysinfo-says-zvm grep -q "Control Program: z/VM" /proc/sysinfo

# vmcp: DIAGNOSE X'08' with a response buffer.
check vmcp-q-cplevel sh -c 'vmcp q cplevel | grep -q "^z/VM Version 7 Release 3.0"'
expect vmcp-q-userid "CPTEST1  AT QEMUCP" "$(vmcp q userid)"
check_not vmcp-unknown-command "HCPCMD001E Unknown CP command: NOSUCHCMD" \
	vmcp nosuchcmd
check_not vmcp-unknown-command-rc "#1" vmcp nosuchcmd
check vmcp-q-nss-map sh -c \
	'vmcp q nss map | grep -Eq "^0001 CPSEG1 +DCSS +N/A +50000  507FF  SW   A  00000"'

# Upstream dcssblk (Debian's module) on the host's segment.
check dcssblk-insmod insmod /modules/dcssblk.ko
expect dcssblk-add OK "$(write_errno /sys/devices/dcssblk/add 'CPSEG1\n')"
expect dcssblk-reads-head "$HEAD1" "$(head_of /dev/dcssblk0)"
expect dcssblk-reads-tail "$TAIL1" "$(head_of /dev/dcssblk0 2047)"
check vmcp-q-nss-map-one-user sh -c \
	'vmcp q nss name cpseg1 map | grep -Eq "^0001 CPSEG1 .* SW   A  00001"'
expect dcssblk-add-nonexistent ENOENT \
	"$(write_errno /sys/devices/dcssblk/add 'NOSUCH\n')"
expect dcssblk-remove OK "$(write_errno /sys/devices/dcssblk/remove 'CPSEG1\n')"

# dcssdax with no emulate=: the extmem backend.
rmmod dcssdax
check dcssdax-insmod-without-emulate insmod /modules/dcssdax.ko
expect dcssdax-add OK "$(dcss_add CPSEG1)"
expect dcssdax-backend-is-extmem extmem "$(cat $SYS/CPSEG1/CPSEG1/backend)"
expect dcssdax-reads-head "$HEAD1" "$(head_of "$(dcss_dev CPSEG1)")"
# SW loaded shared: the kernel may store into it.
check store-into-sw-shared probe 0x50000000 write=1
expect dcssdax-add-nonexistent ENOENT "$(dcss_add NOSUCH)"

# Save through extmem (DEFSEG and SAVESEG): version 2, seen by the next
# load.  The private copy is written, saved, and the device removed.
expect dcssdax-exclusive OK "$(write_errno $SYS/CPSEG1/shared '0\n')"
printf '%s' "$HEAD2" | dd of="$(dcss_dev CPSEG1)" bs=4096 conv=sync,fsync \
	2>/dev/null
expect dcssdax-save OK "$(write_errno $SYS/CPSEG1/save '1\n')"
# This guest still holds version 1 (pending purge), nobody version 2.
check vmcp-q-nss-version-2 sh -c \
	'vmcp q nss name cpseg1 map | grep -Eq "^0002 CPSEG1 .* SW   A  00000"'
check vmcp-q-nss-version-1-held sh -c \
	'vmcp q nss name cpseg1 map | grep -Eq "^0001 CPSEG1 .* SW   P  00001"'
expect dcssdax-remove OK "$(dcss_remove CPSEG1)"
expect dcssdax-add-again OK "$(dcss_add CPSEG1)"
expect dcssdax-reads-version-2 "$HEAD2" "$(head_of "$(dcss_dev CPSEG1)")"

# DEFSEG and SAVESEG from the guest: CPCOPY, read-only, saved from the
# pages CPSEG1 has here; dcssblk loads it shared, hence read-only.
check vmcp-defseg vmcp defseg cpcopy 50000-507ff sr
check vmcp-saveseg vmcp saveseg cpcopy
expect dcssdax-remove-before-copy OK "$(dcss_remove CPSEG1)"
expect dcssblk-add-copy OK "$(write_errno /sys/devices/dcssblk/add 'CPCOPY\n')"
expect dcssblk-copy-has-version-2 "$HEAD2" "$(head_of /dev/dcssblk0)"
# SR loaded shared is read-only: CP's protection exception on a store
# (the kernel fixes it up: EFAULT); loaded exclusive it is a private,
# writable copy (the host checks that CPCOPY's saved bytes stayed).
check fetch-from-sr-shared probe 0x50000000
check_not store-into-sr-shared-protected "Bad address" probe 0x50000000 write=1
expect dcssblk-copy-exclusive OK \
	"$(write_errno /sys/devices/dcssblk/CPCOPY/shared '0\n')"
check store-into-sr-exclusive probe 0x50000000 write=1
printf 'private' | dd of=/dev/dcssblk0 bs=4096 conv=sync,fsync 2>/dev/null
expect dcssblk-remove-copy OK \
	"$(write_errno /sys/devices/dcssblk/remove 'CPCOPY\n')"

# A segment of two ranges, EW and EN (the only multi-range kind extmem
# takes): the EN range is not saved, so it reads zero whatever the
# host's file holds there.
check vmcp-q-nss-multi-range sh -c \
	'[ "$(vmcp q nss name cpmulti map | grep -cE " (51000  510FF  EW|51100  511FF  EN)")" = 2 ]'
expect dcssblk-add-multi-range OK \
	"$(write_errno /sys/devices/dcssblk/add 'CPMULTI\n')"
expect multi-range-ew-content "CPMULTI EW range head" "$(head_of /dev/dcssblk0)"
expect multi-range-en-is-zero 0 "$(nonzero_in /dev/dcssblk0 256)"
# PURGE NSS while this guest holds it: pending purge, still readable;
# gone once released.
check vmcp-purge-nss vmcp purge nss name cpmulti
check vmcp-q-nss-pending-purge sh -c \
	'vmcp q nss name cpmulti map | grep -Eq "^0001 CPMULTI .* EW   P  00001"'
expect multi-range-held-after-purge "CPMULTI EW range head" \
	"$(head_of /dev/dcssblk0)"
expect dcssblk-remove-multi-range OK \
	"$(write_errno /sys/devices/dcssblk/remove 'CPMULTI\n')"
check vmcp-q-nss-purged-gone sh -c \
	'! vmcp q nss name cpmulti map | grep -q CPMULTI'
expect dcssblk-add-purged ENOENT \
	"$(write_errno /sys/devices/dcssblk/add 'CPMULTI\n')"

# For the log: what CP has now, and what the kernel said.
vmcp q nss map
grep -E "z/VM" /tmp/dmesg.boot
dmesg | grep -E "extmem|dcssblk|dcssdax|DCSS|cpprobe"
