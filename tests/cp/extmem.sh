#!/bin/bash
# The s390x VM suite (tests/guest/t/) on the extmem backend, through the
# emulated CP (qemu-cp/): the segments of the emulated table
# (tests/guest/emul-table.sh) are defined in CP, and the guest adds them
# by name with no emulate=, so the driver's extmem backend and the
# kernel's arch/s390/mm/extmem.c serve them.  The guest knows the
# backend from dcssdax.backend=extmem (tests/guest/lib.sh); a group or
# check that cannot apply there says so itself.
#
#   tests/cp/extmem.sh [PATTERN [TIMEOUT-SECONDS]]
#   DCSSDAX_QEMU_CP_BIN=/path/in/root  use that QEMU, build nothing
#   SEED=N  replay the fuzzers of group 15 with seed N (as make check)
#   DCSSDAX_WATCHDOG=SECONDS  every group's time limit (tests/vm/run.sh)
# PATTERN as make check's T= ("all" by default).  Needs the s390x
# initramfs of tests/env/build.sh (built here when missing).  Prints the
# RESULT lines, prefixed s390x-extmem/, and "N passed, N failed"; the
# results are left in build/cp-extmem/results.txt.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../env/common.sh"
. "$here/lib.sh"

pattern=${1:-all} limit=${2:-1500}
P=s390x-extmem
out=$TOP/build/cp-extmem
results=$out/results.txt
mkdir -p "$out"
: >"$results"
# The host makes no checks of its own but these failures, each planned
# for the closing line (summarize); the guest's are planned by
# evaluate.sh.
fail() {
	printf 'PLANNED %s 1\nRESULT FAIL %s: %s\n' "$P/host/$1" "$P/host/$1" "$2" |
		tee -a "$results"
}

if ! qemu=$(cp_qemu "$out/setup-qemu-cp.log"); then
	fail qemu-cp-built "tests/env/setup-qemu-cp.sh failed: $(tail -n 3 "$out/setup-qemu-cp.log" | tr '\n' ' ')"
	summarize "$results"
	exit 1
fi
kver=$(kver_s390x)
cp_initramfs "$out/build-s390x.log" || {
	fail initramfs "tests/env/build.sh s390x failed, see $out/build-s390x.log"
	summarize "$results"
	exit 1
}
# The guest's additions: the group of extmem's own paths
# (tests/guest/cp/40-extmem.sh), vmcp, and dcssblk.ko, another user of
# the guest's segments.
stage=$out/stage
cp_stage "$stage" "$out/vmcp.log" || {
	fail vmcp-built "$(head -n 5 "$out/vmcp.log" | tr '\n' ' ')"
	summarize "$results"
	exit 1
}
cp "$TOP/tests/guest/cp/40-extmem.sh" "$stage/tests/t/"
(cd "$stage" && find . | cpio -o -H newc --quiet | gzip) >"$out/extmem.cpio.gz"
cat "$TOP/build/s390x/initramfs.gz" "$out/extmem.cpio.gz" >"$out/initramfs.gz"

# The CP directory, fresh, from the emulated table: each segment with
# its name, type and range, saved as version 1 (zero), with the owner
# HOST (the format is qemu-cp/README.md's).  The guest has 1 GiB of
# storage, so the table's addresses at 1 GiB and up lie above it, as on
# z/VM.  Left out, as they exist only to be refused by the emulated
# backend's own rules, which CP does not have: NOMEM and EDGE (storage
# the guest does not have: CP gives a segment its own), RAMSPAN and
# ACPISEG (x86_64's memmap= layout).  RAMSEG stays: it lies inside the
# guest's storage, which extmem refuses too.
dir=$out/dir
rm -rf "$dir" && mkdir -p "$dir"
. "$TOP/tests/guest/emul-table.sh"
bytes() {	# bytes SIZE: memparse's K/M/G suffixes, or a number
	case $1 in
	*K) echo $(( ${1%K} << 10 )) ;;
	*M) echo $(( ${1%M} << 20 )) ;;
	*G) echo $(( ${1%G} << 30 )) ;;
	*) echo $(( $1 )) ;;
	esac
}
IFS=, read -ra entries <<<"$EMUL"
for e in "${entries[@]}"; do
	IFS=: read -r name type start size <<<"$e"
	case $name in NOMEM | EDGE | RAMSPAN | ACPISEG) continue ;; esac
	size=$(bytes "$size")
	printf 'origin HOST\nversion 1\nrange %X %X %s\n' $(( start >> 12 )) \
		$(( (start + size - 1) >> 12 )) "$type" >"$dir/$name.seg"
	truncate -s "$size" "$dir/$name.v1"
done
# The group of extmem's own paths (40-extmem), above the table: XMULTI
# of an EW and an EN range, text at the head of each (the EN range's is
# not saved data: the guest must read zero there), XMIXED of an SW and
# an SR range, XSAVE and XLOST, each in a 2 MiB piece of its own.
printf 'origin HOST\nversion 1\nrange 62000 621FF EW\nrange 62200 623FF EN\n' \
	>"$dir/XMULTI.seg"
truncate -s 4M "$dir/XMULTI.v1"
printf 'XMULTI EW range head.' | dd of="$dir/XMULTI.v1" conv=notrunc status=none
printf 'not saved data' | dd of="$dir/XMULTI.v1" bs=4096 seek=512 \
	conv=notrunc status=none
printf 'origin HOST\nversion 1\nrange 62400 624FF SW\nrange 62500 625FF SR\n' \
	>"$dir/XMIXED.seg"
truncate -s 2M "$dir/XMIXED.v1"
for s in XSAVE:626 XLOST:628; do
	printf 'origin HOST\nversion 1\nrange %s00 %sFF SW\n' "${s#*:}" "${s#*:}" \
		>"$dir/${s%:*}.seg"
	truncate -s 1M "$dir/${s%:*}.v1"
done

start=$(date +%s)
rm -f "$out/guest-results.txt" && : >"$out/guest-results.txt"
rc=0
timeout --foreground -k 10 "$limit" bash -c '
	. "$1/tests/env/common.sh"; shift
	inroot "$@"' _ "$TOP" "$qemu" \
	-M s390-ccw-virtio -cpu max -smp 2 -m 1024 \
	-nographic -no-reboot -nic none \
	-device s390-cp,dir=/src/build/cp-extmem/dir,userid=extmem \
	-device virtio-serial \
	-chardev file,id=results,path=/src/build/cp-extmem/guest-results.txt \
	-device virtserialport,chardev=results,name=dcssdax.results \
	-kernel "/lib/modules/$kver/vmlinuz" \
	-initrd /src/build/cp-extmem/initramfs.gz \
	-append "$CP_APPEND dcssdax.suite=$pattern dcssdax.backend=extmem${SEED:+ dcssdax.seed=$SEED}${DCSSDAX_WATCHDOG:+ dcssdax.watchdog=$DCSSDAX_WATCHDOG}" \
	>"$out/console.log" 2>&1 || rc=$?
log "$P: VM ran $(( $(date +%s) - start )) s (exit $rc), console in $out/console.log"
echo "FIGURE $P/vm-seconds: $(( $(date +%s) - start ))" >"$out/figures.txt"
tr -d '\r' <"$out/guest-results.txt" | grep '^FIGURE ' >>"$out/figures.txt"

glob=$pattern
[ "$glob" = all ] && glob='*'
groups=$(for f in "$TOP"/tests/guest/t/*.sh "$TOP/tests/guest/cp/40-extmem.sh"; do
	g=$(basename "$f" .sh)
	IFS=, read -ra pats <<<"$glob"
	for p in "${pats[@]}"; do
		# shellcheck disable=SC2254
		case $g in $p) echo "$g"; break ;; esac
	done
done)
# shellcheck disable=SC2086
STOP_CAUSE=$(stop_cause "$out/console.log" $rc) \
	"$TOP/tests/env/evaluate.sh" "$P/" "$out/guest-results.txt" \
	"SUITE DONE" suite-completed $groups | tee -a "$results"
summarize "$results"
