# extmem's own paths, on the emulated CP.  tests/cp/extmem.sh puts this
# group into the s390x suite's initramfs as t/40-extmem.sh, with vmcp and
# upstream dcssblk, and defines in CP, besides the emulated table's
# segments: XMULTI (an EW and an EN range, known text at the head of the
# first and in the second), XMIXED (an SW and an SR range), XSAVE and
# XLOST (SW, 1 MiB).  The emulated table's segments are CP's too
# (GUARDL, BOTHU: case 6).
plan 51

# head_of DEV [BLOCK]: the 21 bytes at the start of 4 KiB block BLOCK.
head_of() {
	dd if="$1" bs=4096 skip="${2:-0}" count=1 2>/dev/null | head -c 21
}
# nonzero_in DEV BLOCK: how many bytes of 4 KiB block BLOCK are not zero.
nonzero_in() {
	dd if="$1" bs=4096 skip="$2" count=1 2>/dev/null | tr -d '\000' | wc -c
}

# 1. A segment CP does not have: the add, and the exclusive add of
# segments=, which asks extmem for the type first (DIAG X'64' FINDSEGA)
# and then loads it: CP's return code 44, which extmem makes ENOENT.
dmesg_clear
expect unknown-add ENOENT "$(dcss_add NOSUCH)"
check unknown-add-said sh -c "dmesg | grep -q 'DCSS NOSUCH cannot be loaded or queried'"
rmmod dcssdax
dmesg_clear
check unknown-local-module-loads dcss_load segments="nosuch(local)"
expect unknown-local-no-device "" "$(devices)"
check unknown-local-errno sh -c "dmesg | grep -q 'segments: adding \"nosuch\" failed: -2'"

# 2. A segment of two ranges.  EW and EN is the one mix extmem takes
# (type EWEN): one device over both ranges, the EN range zero whatever
# CP's saved file holds there (EN is not saved data).  Another mix is
# refused, with nothing left behind.
expect multi-add OK "$(dcss_add XMULTI)"
expect multi-type EWEN "$(attr XMULTI XMULTI/type)"
expect multi-size $((4 << 20)) "$(attr XMULTI size)"
expect multi-ew-content "XMULTI EW range head." "$(head_of "$(dcss_dev XMULTI)")"
expect multi-en-zero 0 "$(nonzero_in "$(dcss_dev XMULTI)" 512)"
check multi-write-both-ranges sh -c "pattern write $(dcss_dev XMULTI) 0 4M 5 --direct && pattern verify $(dcss_dev XMULTI) 0 4M 5 --direct"
expect multi-remove OK "$(dcss_remove XMULTI)"
before=$(state)
dmesg_clear
expect mixed-refused EOPNOTSUPP "$(dcss_add XMIXED)"
check mixed-said sh -c "dmesg | grep -q 'DCSS XMIXED has multiple page ranges and cannot be loaded'"
expect mixed-nothing-left "$before" "$(state)"

# 3. Another user of the guest: upstream dcssblk on HEADU, whose start is
# not 2 MiB aligned, so that dcssblk sets up no struct pages of its own
# over dcssdax's.  Both hold it shared (extmem counts two loads): it
# cannot be reloaded, z/VM's EAGAIN, which dcssdax reports as EBUSY with
# nothing changed.  Held by dcssdax alone it switches; held exclusive,
# dcssblk's shared load is refused (EPERM: the other mode).
check dcssblk-loaded sh -c '[ -d /sys/devices/dcssblk ] || insmod /modules/dcssblk.ko'
expect eagain-dcssdax-add OK "$(dcss_add HEADU)"
expect eagain-dcssblk-add OK "$(write_errno /sys/devices/dcssblk/add 'HEADU\n')"
before=$(state)
dmesg_clear
expect eagain-switch-refused EBUSY "$(write_errno $SYS/HEADU/shared '0\n')"
check eagain-extmem-said sh -c "dmesg | grep -q 'DCSS HEADU is in use and cannot be reloaded'"
check eagain-driver-said sh -c "dmesg | grep -q 'DCSS HEADU is in use by another user of this guest and cannot be reloaded; device HEADU keeps its access mode'"
expect eagain-nothing-changed "$before" "$(state)"
expect eagain-dcssblk-remove OK "$(write_errno /sys/devices/dcssblk/remove 'HEADU\n')"
expect eagain-switch-when-alone OK "$(write_errno $SYS/HEADU/shared '0\n')"
expect other-mode-dcssblk-refused EPERM "$(write_errno /sys/devices/dcssblk/add 'HEADU\n')"
expect other-mode-still-exclusive 0 "$(attr HEADU shared)"
expect other-mode-remove OK "$(dcss_remove HEADU)"

# 4. A save through the driver: DEFSEG and SAVESEG make version 2 from
# this guest's (exclusive, private) copy; CP lists it, and holds version
# 1 for this guest until the remove; the next load gets version 2.
expect save-add OK "$(dcss_add XSAVE)"
expect save-exclusive OK "$(write_errno $SYS/XSAVE/shared '0\n')"
printf 'XSAVE version 2 head.' | dd of="$(dcss_dev XSAVE)" bs=4096 conv=sync,fsync 2>/dev/null
expect save-saved OK "$(write_errno $SYS/XSAVE/save '1\n')"
check save-cp-has-version-2 sh -c 'vmcp q nss name xsave map | grep -Eq "^0002 XSAVE .* SW   A  00000"'
check save-cp-holds-version-1 sh -c 'vmcp q nss name xsave map | grep -Eq "^0001 XSAVE .* SW   P  00001"'
expect save-remove OK "$(dcss_remove XSAVE)"
expect save-readd OK "$(dcss_add XSAVE)"
expect save-next-load-has-it "XSAVE version 2 head." "$(head_of "$(dcss_dev XSAVE)")"

# 5. A mode switch whose reload fails: CP's definition was purged (PURGE
# NSS) while this guest holds XLOST, so the load after extmem's purge
# finds nothing (44).  extmem drops the segment on that failure, as on
# every failure but EAGAIN; the driver removes the device and returns
# extmem's errno, and nothing of it is left, in the guest or in CP.
expect lost-add OK "$(dcss_add XLOST)"
check lost-purge-nss vmcp purge nss name xlost
dmesg_clear
expect lost-switch-errno ENOENT "$(write_errno $SYS/XLOST/shared '0\n')"
check lost-device-removed wait_until 10 test ! -d $SYS/XLOST
check lost-said sh -c "dmesg | grep -q 'DCSS device XLOST is removed after a failed access mode change'"
expect lost-no-claim "" "$(grep XLOST /proc/iomem)"
check lost-cp-has-nothing sh -c '! vmcp q nss name xlost map | grep -q XLOST'

# 6. A neighbour in the same 2 MiB subsection, loaded first by another
# user of the guest: upstream dcssblk holds GUARDL, which ends where
# BOTHU starts, inside BOTHU's 2 MiB rounding.  Struct pages over the
# rounding would be dcssdax's to remove with their mapping, dcssblk's
# included (the other order, dcssdax first, is 18-lifetime's case 15:
# dcssblk is refused): BOTHU is served without DAX, and dcssblk's data
# outlives BOTHU's add and remove, read through dcssblk.
expect nb-dcssblk-add OK "$(write_errno /sys/devices/dcssblk/add 'GUARDL\n')"
nb_blk=/dev/$(ls /sys/devices/dcssblk/GUARDL/block/ 2>/dev/null)
check nb-dcssblk-write pattern write "$nb_blk" 0 1M 71 --direct
dmesg_clear
expect nb-add OK "$(dcss_add BOTHU)"
expect nb-no-dax 0 "$(attr BOTHU dax)"
expect nb-reason "2 MiB rounding covers memory in use at 0x50800000-0x508fffff" "$(attr BOTHU dax_reason)"
check nb-io pattern write "$(dcss_dev BOTHU)" 0 0x303000 72 --direct
expect nb-remove OK "$(dcss_remove BOTHU)"
check nb-dcssblk-data-intact pattern verify "$nb_blk" 0 1M 71 --direct
expect nb-dcssblk-remove OK "$(write_errno /sys/devices/dcssblk/remove 'GUARDL\n')"

# What CP has at the end, for the log.
vmcp q nss map
