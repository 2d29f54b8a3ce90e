# The guest's side of tests/cp/run.sh's comparison: the same script
# against upstream dcssblk (Debian's module) and against dcssdax on its
# extmem backend, one after the other on one guest, on the segments the
# host defined for it (CMP*, see run.sh).  Every operation's outcome is
# recorded per driver, with the driver's name replaced by DRV; then
# each operation is one check: the outcomes are equal, or README.md's
# table of deliberate differences (its rows between the markers
# "dcssblk-compare" and "end", staged as /tests/compare-doc.txt) names
# this operation with exactly these two outcomes.  A row that no longer
# matches what the drivers do fails as well.  The table itself goes to
# the log as FIGURE lines.
#
# Both drivers on one guest: each on the same segment while the other
# holds it shared (part of the script), and each with its own segment.

ops=/tmp/compare-ops
doc=$TESTS/compare-doc.txt

# rec OP OUTCOME...: the outcome of OP for $DRV, one line.
rec() {
	local op=$1
	shift
	printf '%s %s\n' "$op" "$(printf '%s' "$*" | tr '\n' ' ' |
		sed "s/$DRV/DRV/g; s/ *$//")" >>"/tmp/compare.$DRV"
	[ "$DRV" = dcssblk ] && echo "$op" >>"$ops"
}

w() { write_errno "/sys/devices/$DRV/$1" "$2"; }
rd() { cat "/sys/devices/$DRV/$1" 2>/dev/null || echo "no such file"; }
# A device's node; one that does not exist when the device does not
# (never "/dev/", which mount would take as a directory to bind).
node() {
	local b
	b=$(ls "/sys/devices/$DRV/$1/block" 2>/dev/null)
	echo "/dev/${b:-no-device-$1}"
}
ok() { "$@" >/dev/null 2>&1 && echo OK || echo "failed"; }
# The devices of $DRV, sorted: its directories that have a seglist.
drv_devices() {
	local d
	for d in /sys/devices/$DRV/*/; do
		[ -e "$d/seglist" ] && basename "$d"
	done | sort | tr '\n' ' '
}
# The newest version CP has of segment $1: the highest FILE number of
# its lines in QUERY NSS ... MAP (versions held by a guest are listed
# too, pending purge).
cp_version() {
	vmcp q nss name "$1" map 2>/dev/null | awk -v n="$1" '
		toupper($2) == toupper(n) && $1 + 0 > v { v = $1 + 0 }
		END { print v + 0 }'
}
# A block device's queue limits and read-only flag, from sysfs.
blk() { cat "/sys/block/$(basename "$1")/$2" 2>&1; }
head10() { dd if="$1" bs=4096 count=1 2>/dev/null | head -c 9; }

# run_ops: the script, for the driver $DRV.  Each section leaves no
# device behind, so that what one operation did cannot change the next
# section's outcome.
run_ops() {
	local v0 dev
	rec load "$(ok insmod /modules/$DRV.ko)"
	rec control-files "$(cd /sys/devices/$DRV && ls -d add remove 2>&1)"

	# add, the device and its files.
	rec add-lower-case "$(w add 'cmpa\n')"
	rec dir-upper-case "$(test -d /sys/devices/$DRV/CMPA && echo yes || echo no)"
	dev=$(node CMPA)
	rec node-name "$(basename "$dev" | sed 's/[0-9]*$//')"
	rec shared-initial "$(rd CMPA/shared)"
	rec save-initial "$(rd CMPA/save)"
	rec seglist "$(rd CMPA/seglist)"
	rec size-bytes "$(blockdev --getsize64 "$dev" 2>&1)"
	rec logical-block-size "$(blk "$dev" queue/logical_block_size)"
	rec physical-block-size "$(blk "$dev" queue/physical_block_size)"
	rec read-only "$(blk "$dev" ro)"
	rec read-head "$(head10 "$dev")"
	rec write-shared-sw "$(ok dd if=/dev/zero of="$dev" bs=4096 seek=1 count=1 conv=fsync)"
	rec add-again "$(w add 'CMPA\n')"
	rec add-again-lower-case "$(w add 'cmpa\n')"
	rec remove "$(w remove 'CMPA\n')"
	rec remove-again "$(w remove 'CMPA\n')"

	# Names the driver must refuse.
	rec add-nonexistent "$(w add 'NOSUCH\n')"
	rec add-9-characters "$(w add 'ABCDEFGHI\n')"
	rec add-8-characters-nonexistent "$(w add 'ABCDEFGH\n')"
	rec add-empty "$(w add '\n')"
	rec add-no-newline "$(w add 'CMPA')"
	rec remove-no-newline "$(w remove 'CMPA')"
	rec add-trailing-colon "$(w add 'CMPA:\n')"
	rec add-leading-colon "$(w add ':CMPA\n')"
	rec add-double-colon "$(w add 'CMPA::CMPB\n')"
	rec add-blank-inside "$(w add 'CMP A\n')"
	rec devices-after-refusals "$(drv_devices)"
	rec remove-nonexistent "$(w remove 'NOSUCH\n')"
	rec remove-9-characters "$(w remove 'ABCDEFGHI\n')"
	rec remove-empty "$(w remove '\n')"

	# shared and save.
	w add 'CMPS\n' >/dev/null
	dev=$(node CMPS)
	rec shared-write-2 "$(w CMPS/shared '2\n')"
	rec shared-write-word "$(w CMPS/shared 'yes\n')"
	rec shared-write-0 "$(w CMPS/shared '0\n')"
	rec shared-after-0 "$(rd CMPS/shared)"
	rec shared-write-0-again "$(w CMPS/shared '0\n')"
	rec write-exclusive "$(ok dd if=/dev/zero of="$dev" bs=4096 count=1 conv=fsync)"
	exec 3<"$dev"
	rec shared-while-open "$(w CMPS/shared '1\n')"
	v0=$(cp_version CMPS)
	rec save-while-open "$(w CMPS/save '1\n')"
	rec save-pending "$(rd CMPS/save)"
	rec save-pending-cp-version "+$(( $(cp_version CMPS) - v0 ))"
	rec save-cancel "$(w CMPS/save '0\n')"
	rec save-after-cancel "$(rd CMPS/save)"
	rec save-cancel-nothing-pending "$(w CMPS/save '0\n')"
	rec save-write-2 "$(w CMPS/save '2\n')"
	rec remove-while-open "$(w remove 'CMPS\n')"
	exec 3<&-
	v0=$(cp_version CMPS)
	rec save-idle "$(w CMPS/save '1\n')"
	rec save-after-idle-save "$(rd CMPS/save)"
	rec save-idle-cp-version "+$(( $(cp_version CMPS) - v0 ))"
	exec 3<"$dev"
	v0=$(cp_version CMPS)
	w CMPS/save '1\n' >/dev/null
	exec 3<&-
	rec save-at-last-close "$(rd CMPS/save)"
	rec save-at-last-close-cp-version "+$(( $(cp_version CMPS) - v0 ))"
	rec shared-write-1 "$(w CMPS/shared '1\n')"
	rec shared-after-1 "$(rd CMPS/shared)"
	w remove 'CMPS\n' >/dev/null

	# Joined segments: contiguous, sorted by address by the driver.
	rec join "$(w add 'CMPA:CMPB\n')"
	rec join-seglist "$(rd CMPA/seglist)"
	rec join-size "$(blockdev --getsize64 "$(node CMPA)" 2>&1)"
	rec join-second-has-dir "$(test -d /sys/devices/$DRV/CMPB && echo yes || echo no)"
	rec add-part-of-join "$(w add 'CMPB\n')"
	rec remove-by-second-name "$(w remove 'CMPB\n')"
	rec remove-join "$(w remove 'CMPA\n')"
	rec join-reversed "$(w add 'CMPB:CMPA\n')"
	rec join-reversed-devices "$(drv_devices)"
	rec join-reversed-seglist "$(rd CMPB/seglist)"
	w remove 'CMPB\n' >/dev/null
	rec join-not-contiguous "$(w add 'CMPA:CMPS\n')"
	rec join-sw-ew "$(w add 'CMPB:CMPE\n')"
	rec join-twice-same "$(w add 'CMPA:CMPA\n')"
	rec join-nonexistent-second "$(w add 'CMPA:NOSUCH\n')"
	rec devices-after-joins "$(drv_devices)"

	# Segment types.
	rec add-sr "$(w add 'CMPR\n')"
	rec sr-read-only "$(blk "$(node CMPR)" ro)"
	rec sr-read-head "$(head10 "$(node CMPR)")"
	rec sr-write "$(ok dd if=/dev/zero of="$(node CMPR)" bs=4096 count=1 conv=fsync)"
	rec sr-exclusive "$(w CMPR/shared '0\n')"
	rec sr-exclusive-read-only "$(blk "$(node CMPR)" ro)"
	rec sr-exclusive-write "$(ok dd if=/dev/zero of="$(node CMPR)" bs=4096 count=1 conv=fsync)"
	w remove 'CMPR\n' >/dev/null
	rec add-sc "$(w add 'CMPC\n')"
	rec sc-exclusive "$(w CMPC/shared '0\n')"
	w remove 'CMPC\n' >/dev/null
	rec add-sn "$(w add 'CMPN\n')"
	rec sn-read-only "$(blk "$(node CMPN)" ro)"
	rec sn-save "$(w CMPN/save '1\n')"
	rec sn-save-pending "$(rd CMPN/save)"
	rec sn-remove "$(w remove 'CMPN\n')"
	rec add-ew "$(w add 'CMPE\n')"
	rec ew-read-only "$(blk "$(node CMPE)" ro)"
	w remove 'CMPE\n' >/dev/null
	rec add-multi-range "$(w add 'CMPM\n')"
	rec multi-range-seglist "$(rd CMPM/seglist)"
	rec multi-range-size "$(blockdev --getsize64 "$(node CMPM)" 2>&1)"
	w remove 'CMPM\n' >/dev/null
	rec add-inside-storage "$(w add 'CMPLOW\n')"
	rec devices-after-types "$(drv_devices)"

	# DAX, the reason dcssdax exists: ext2 with 4 KiB blocks mounted
	# -o dax, and statx's DAX bit of a file, on a segment aligned to
	# 2 MiB (CMPD) and on one that is not (CMPA, 1 MiB).
	local seg kind
	mkdir -p /mnt/cmp
	for seg in CMPD:aligned CMPA:unaligned; do
		kind=${seg#*:}
		seg=${seg%:*}
		w add "$seg\n" >/dev/null
		dev=$(node $seg)
		rec "dax-$kind-mkfs" "$(ok mkfs_for ext2 "$dev")"
		rec "dax-$kind-mount" "$(ok mount -o dax "$dev" /mnt/cmp)"
		echo data >/mnt/cmp/f 2>/dev/null
		rec "dax-$kind-statx" "$(daxcheck /mnt/cmp/f 2>&1)"
		umount /mnt/cmp 2>/dev/null
		w remove "$seg\n" >/dev/null
	done

	# Another user of this guest (the other driver) holds CMPA shared.
	local other=dcssdax
	[ "$DRV" = dcssdax ] && other=dcssblk
	insmod /modules/$other.ko
	write_errno /sys/devices/$other/add 'CMPA\n' >/dev/null
	rec other-user-add-same "$(w add 'CMPA\n')"
	rec other-user-same-content "$(head10 "$(node CMPA)")"
	rec other-user-exclusive "$(w CMPA/shared '0\n')"
	rec other-user-shared-after "$(rd CMPA/shared)"
	rec other-user-remove "$(w remove 'CMPA\n')"
	write_errno /sys/devices/$other/remove 'CMPA\n' >/dev/null
	rmmod $other

	# The segments= parameter at module load.
	rec rmmod "$(ok rmmod $DRV)"
	rec load-with-segments "$(ok insmod /modules/$DRV.ko 'segments=cmpa:cmpb,cmpr(local),nosuch,cmpc(bogus)')"
	rec param-devices "$(drv_devices)"
	rec param-shared-join "$(rd CMPA/shared)"
	rec param-shared-local "$(rd CMPR/shared)"
	rec param-shared-bogus "$(rd CMPC/shared)"
	for dev in $(drv_devices); do
		w remove "$dev\n" >/dev/null
	done
	rec rmmod-after-param "$(ok rmmod $DRV)"
}

# The emulated backend's driver the harness loaded is not wanted here.
rmmod dcssdax 2>/dev/null
rm -f "$ops" /tmp/compare.dcssblk /tmp/compare.dcssdax
for DRV in dcssblk dcssdax; do
	run_ops
done

# In the plan: one check an operation, the table's rows, both drivers
# at once.
plan $(( $(wc -l <"$ops") + 1 + 2 ))

# doc_row OP: "DCSSBLK|DCSSDAX" of OP's row in the table, if any.
doc_row() {
	awk -F'|' -v op="\`$1\`" '
		function trim(s) { gsub(/^ +| +$/, "", s); gsub(/`/, "", s); return s }
		trim($2) == trim(op) { print trim($3) "|" trim($4); exit }' "$doc"
}
while read -r op; do
	a=$(sed -n "s/^$op //p" /tmp/compare.dcssblk)
	b=$(sed -n "s/^$op //p" /tmp/compare.dcssdax)
	row=$(doc_row "$op")
	emit "FIGURE $ARCH/$GROUP/$op: dcssblk '$a', dcssdax '$b'"
	if [ "$a" = "$b" ] && [ -z "$row" ]; then
		pass "same/$op"
	elif [ "$a" = "$b" ]; then
		fail "same/$op" "both say '$a', but README's table says '$row'"
	elif [ "$row" = "$a|$b" ]; then
		pass "documented/$op"
	else
		fail "differs/$op" "dcssblk '$a', dcssdax '$b'; README's table: '${row:-no row}'"
	fi
done <"$ops"
# Every row of the table is an operation of the script.
unknown=$(awk -F'|' 'NR > 2 { gsub(/[` ]/, "", $2); print $2 }' "$doc" |
	grep -vxF -f "$ops")
expect table-rows-are-operations "" "$(echo $unknown)"

# Both drivers on one guest, each with its own segment.
insmod /modules/dcssblk.ko
insmod /modules/dcssdax.ko
expect both-own-dcssblk OK "$(write_errno /sys/devices/dcssblk/add 'CMPA\n')"
expect both-own-dcssdax OK "$(write_errno /sys/devices/dcssdax/add 'CMPB\n')"
write_errno /sys/devices/dcssdax/remove 'CMPB\n' >/dev/null
write_errno /sys/devices/dcssblk/remove 'CMPA\n' >/dev/null
rmmod dcssdax
rmmod dcssblk
dmesg | grep -E "extmem|dcssblk|dcssdax|DCSS"
