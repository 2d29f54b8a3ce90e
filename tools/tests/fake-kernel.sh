#!/bin/bash
# A model of the dcssdax driver's sysfs writes, run by fakeerrno.so in
# place of each write under $DCSSCTL_ROOT/sys/.  Arguments: file, data.
# The exit status is the errno the write fails with (0: success).
#
# Test-only state under $DCSSCTL_ROOT:
#   segtable        "NAME TYPE START SIZE" per line: the segments that exist
#   busy/NAME       device NAME is open (mounted or a process has it)
#   no-node         add makes no /dev/dcssdaxN (a broken devtmpfs)
#   reload-fails    a mode change fails with ENOMEM and removes the device
#   images/NAME     becomes the content of /dev/dcssdaxN on add
#   udev-links      add also makes /dev/dcssdax/NAME, as the udev rule would
#   ram             "START END" (inclusive) per line: System RAM, which a
#                   device's 2 MiB rounding must not cover for DAX
#   held/NAME       segment NAME is also loaded by another user of the
#                   guest: an access mode change fails as z/VM's EAGAIN
#                   does (the driver's EBUSY), logged to dev/kmsg
#   no-dax-node     a devdax device gets no /dev/daxN.0
#   writes.log      every write attempted
#   kernel.log      one line per successful write, for the tests to check
set -u
R=$DCSSCTL_ROOT
CTL=$R/sys/devices/dcssdax
file=${1#"$CTL"/}
data=${2%$'\n'}

EPERM=1 ENOENT=2 EBUSY=16 EEXIST=17 ENODEV=19 EINVAL=22 EROFS=30 ENOSYS=38

log() { echo "$*" >>"$R/kernel.log"; }
echo "$file $data" >>"$R/writes.log"

seg_info() {	# NAME -> "TYPE START SIZE" from segtable
	awk -v n="$1" '$1 == n { print $2, $3, $4; found = 1 } END { exit !found }' \
		"$R/segtable" 2>/dev/null
}

owner_of() {	# segment -> device holding it
	local d
	for d in "$CTL"/*/seglist; do
		[ -e "$d" ] || continue
		grep -qx "$1" "$d" && { basename "$(dirname "$d")"; return 0; }
	done
	return 1
}

# dcssblk's rule (segment.c types_mix): a type joins only itself, except
# that the exclusive-writable ones (EW, EN, EWEN; not ER) mix.
types_mix() {
	[ "$1" = "$2" ] && return 0
	case $1 in EW|EN|EWEN) ;; *) return 1 ;; esac
	case $2 in EW|EN|EWEN) return 0 ;; esac
	return 1
}

# segment.c: sorted by address, each must start right after the previous
# one ends, with types that mix; the user's order stays (seglist).
check_join() {
	local prev_end="" prev_type="" type start size
	while read -r start size type; do
		if [ -n "$prev_end" ]; then
			(( start == prev_end + 1 )) || exit $EINVAL
			types_mix "$prev_type" "$type" || exit $EINVAL
		fi
		prev_end=$(( start + size - 1 )) prev_type=$type
	done < <(for n in "$@"; do
		read -r type start size <<<"$(seg_info "$n")"
		echo "$(( start )) $size $type"
	done | sort -n)
}

# pgmap.c: struct pages for the span rounded out to 2 MiB subsections,
# DAX on for every layout unless the rounding outside the device covers
# System RAM.  Prints "dax reason memmap_bytes".
dax_of() {
	local start=$1 end=$2 first last lo hi rs re
	first=$(( start & ~0x1fffff ))
	last=$(( ((end + 1 + 0x1fffff) & ~0x1fffff) - 1 ))
	for range in "$first $(( start - 1 ))" "$(( end + 1 )) $last"; do
		read -r lo hi <<<"$range"
		(( lo <= hi )) || continue
		[ -e "$R/ram" ] || continue
		while read -r rs re; do
			if (( rs <= hi && lo <= re )); then
				printf '0 2 MiB rounding covers System RAM at %#x-%#x 0\n' \
					"$lo" "$hi"
				return
			fi
		done <"$R/ram"
	done
	echo "1 - $(( (last - first + 1) / 4096 * 64 ))"
}

do_add() {
	local names n type start size total=0 first="" ro=0 dev minor
	local dstart="" dend=0 dax
	IFS=: read -ra names <<<"${data^^}"
	for n in "${names[@]}"; do
		read -r type start size <<<"$(seg_info "$n")" || exit $ENODEV
		[ -n "$type" ] || exit $ENODEV
		owner_of "$n" >/dev/null && exit $EEXIST
		[ -z "$dstart" ] || (( start < dstart )) && dstart=$(( start ))
		(( start + size - 1 > dend )) && dend=$(( start + size - 1 ))
	done
	check_join "${names[@]}"
	first=${names[0]}
	minor=$(cat "$R/next-minor" 2>/dev/null || echo 0)
	echo $(( minor + 1 )) >"$R/next-minor"
	dev=dcssdax$minor
	local d=$CTL/$first
	mkdir -p "$d/block/$dev"
	: >"$d/seglist"
	for n in "${names[@]}"; do
		read -r type start size <<<"$(seg_info "$n")"
		echo "$n" >>"$d/seglist"
		mkdir -p "$d/$n"
		echo "$type" >"$d/$n/type"
		printf '%#x\n' "$start" >"$d/$n/start"
		printf '%#x\n' $(( start + size - 1 )) >"$d/$n/end"
		echo "$size" >"$d/$n/size"
		echo emulated >"$d/$n/backend"
		total=$(( total + size ))
		case $type in SR|ER|SC) ro=1 ;; esac
	done
	printf '%#x\n' "$dstart" >"$d/start"
	echo "$total" >"$d/size"
	echo 1 >"$d/shared"
	echo 0 >"$d/save"
	echo fsdax >"$d/mode"
	echo $ro >"$d/ro"
	dax=$(dax_of "$dstart" "$dend")
	echo "${dax%% *}" >"$d/dax"
	dax=${dax#* }
	if [ "${dax% *}" = - ]; then echo >"$d/dax_reason"
	else echo "${dax% *}" >"$d/dax_reason"; fi
	echo "${dax##* }" >"$d/memmap_bytes"
	echo "254:$minor" >"$d/block/$dev/dev"
	if [ ! -e "$R/no-node" ]; then
		if [ -e "$R/images/$first" ]; then
			cp "$R/images/$first" "$R/dev/$dev"
		else
			: >"$R/dev/$dev"
		fi
	fi
	if [ -e "$R/udev-links" ]; then
		mkdir -p "$R/dev/dcssdax"
		ln -s "../$dev" "$R/dev/dcssdax/$first"
	fi
	log "add ${data^^}"
}

do_remove() {
	local n=${data^^}
	[ -e "$CTL/$n/seglist" ] || exit $ENODEV
	[ -e "$R/busy/$n" ] && exit $EBUSY
	if [ -d "$CTL/$n/block" ]; then
		rm -f "$R/dev/$(ls "$CTL/$n/block")"
	else
		rm -rf "$R/sys/bus/dax/devices/$(cat "$R/dax-$n")" \
			"$R/dev/$(cat "$R/dax-$n")"
	fi
	rm -rf "${CTL:?}/$n"
	log "remove $n"
}

# /dev/kmsg's record format, as the driver's pr_err() makes it
kmsg() { echo "3,$RANDOM,0,-;$*" >>"$R/dev/kmsg"; }

do_shared() {	# device, value
	local n=$1 s
	[ "$data" = 0 ] || [ "$data" = 1 ] || exit $EINVAL
	[ -e "$R/busy/$n" ] && exit $EBUSY
	[ "$(cat "$CTL/$n/shared")" = "$data" ] && { log "shared $n $data"; return; }
	for s in $(cat "$CTL/$n/seglist"); do
		if [ -e "$R/held/$s" ]; then
			kmsg "DCSS $s is in use by another user of this guest and cannot be reloaded; device $n keeps its access mode"
			exit $EBUSY
		fi
	done
	if [ "$data" = 0 ]; then
		for s in $(cat "$CTL/$n/seglist"); do
			[ "$(cat "$CTL/$n/$s/type")" = SC ] && exit $EINVAL
		done
	fi
	if [ -e "$R/reload-fails" ]; then
		rm -f "$R/dev/$(ls "$CTL/$n/block")"
		rm -rf "${CTL:?}/$n"
		exit 12
	fi
	echo "$data" >"$CTL/$n/shared"
	# blk.c: read-only only while shared, when a segment is SR, ER or SC
	echo 0 >"$CTL/$n/ro"
	if [ "$data" = 1 ]; then
		for s in $(cat "$CTL/$n/seglist"); do
			case $(cat "$CTL/$n/$s/type") in SR|ER|SC) echo 1 >"$CTL/$n/ro" ;; esac
		done
	fi
	log "shared $n $data"
}

# extmem's segment_save(): DEFSEG and SAVESEG of each extmem segment but SN/EN,
# through the fake CP when the test has one; its answer is not returned
# (segment_save() is void), as in the kernel.
cp_save() {
	local s
	[ -n "${FAKE_CP:-}" ] || return 0
	while read -r s; do
		case $(cat "$CTL/$1/$s/type") in SN|EN) continue ;; esac
		[ "$(cat "$CTL/$1/$s/backend")" = extmem ] || continue
		"$FAKE_CP" "SAVESEG $s" >/dev/null
	done <"$CTL/$1/seglist"
}

do_save() {
	local n=$1
	case $data in
	1)	if [ -e "$R/busy/$n" ]; then echo 1 >"$CTL/$n/save"
		else echo 0 >"$CTL/$n/save"; cp_save "$n"; fi ;;
	0)	echo 0 >"$CTL/$n/save" ;;
	*)	exit $EINVAL ;;
	esac
	log "save $n $data"
}

# devdax.c: the region on a platform device below the device, bound to
# device_dax, its node made by devtmpfs; the sysfs files dcssctl reads
# without libdaxctl (and always under a root prefix).
dax_region() {	# device
	local n=$1 id size bus=$R/sys/bus/dax
	id=$(cat "$R/next-region" 2>/dev/null || echo 0)
	echo $(( id + 1 )) >"$R/next-region"
	size=$(cat "$CTL/$n/size")
	mkdir -p "$CTL/$n/dcssdax-devdax.$id/dax_region" \
		"$bus/devices/dax$id.0/driver" "$bus/drivers/device_dax"
	echo "$id" >"$CTL/$n/dcssdax-devdax.$id/dax_region/id"
	echo "$size" >"$bus/devices/dax$id.0/size"
	echo 2097152 >"$bus/devices/dax$id.0/align"
	echo "dax$id.0" >"$R/dax-$n"
	[ -e "$R/no-dax-node" ] || : >"$R/dev/dax$id.0"
}

# core.c dcssdax_set_devdax(): only while idle, devdax refused while
# read-only; the block device goes (its name is kept for the way back).
# No dax region is modelled: libdaxctl reads the real /sys.
do_mode() {	# device
	local n=$1 dev
	case $data in fsdax|devdax) ;; *) exit $EINVAL ;; esac
	[ -e "$R/busy/$n" ] && exit $EBUSY
	[ "$data" = devdax ] && [ "$(cat "$CTL/$n/ro")" = 1 ] && exit $EROFS
	[ "$(cat "$CTL/$n/mode")" = "$data" ] && { log "mode $n $data"; return; }
	if [ "$data" = devdax ]; then
		dev=$(ls "$CTL/$n/block")
		echo "$dev $(cat "$CTL/$n/block/$dev/dev")" >"$R/fsdax-$n"
		rm -rf "${CTL:?}/$n/block" "$R/dev/$dev"
		dax_region "$n"
	else
		read -r dev devno <"$R/fsdax-$n"
		mkdir -p "$CTL/$n/block/$dev"
		echo "$devno" >"$CTL/$n/block/$dev/dev"
		: >"$R/dev/$dev"
		rm -rf "$CTL/$n"/dcssdax-devdax.* \
			"$R/sys/bus/dax/devices/$(cat "$R/dax-$n")" \
			"$R/dev/$(cat "$R/dax-$n")"
	fi
	echo "$data" >"$CTL/$n/mode"
	log "mode $n $data"
}

# The devdax file: add, then the device is made in devdax mode, refused
# (and nothing left) for a read-only device.
do_devdax() {
	local n
	do_add
	n=${data^^}; n=${n%%:*}
	if [ "$(cat "$CTL/$n/ro")" = 1 ]; then
		rm -f "$R/dev/$(ls "$CTL/$n/block")"
		rm -rf "${CTL:?}/$n"
		sed -i '$d' "$R/kernel.log"
		exit $EROFS
	fi
	data=devdax
	do_mode "$n"
	sed -i '$d' "$R/kernel.log"
	sed -i '$s/^add /devdax /' "$R/kernel.log"
}

case $file in
add)		do_add ;;
devdax)		do_devdax ;;
remove)		do_remove ;;
*/shared)	do_shared "${file%/shared}" ;;
*/save)		do_save "${file%/save}" ;;
*/mode)		do_mode "${file%/mode}" ;;
*)		exit $EPERM ;;
esac
exit 0
