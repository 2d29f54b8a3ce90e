#!/bin/bash
# The emulated CP (qemu-cp/): an s390x guest on qemu-system-s390x built
# with it (tests/env/setup-qemu-cp.sh) believes it runs on z/VM, and the
# unmodified kernel's extmem, vmcp and upstream dcssblk work against it,
# with dcssdax on its extmem backend beside them.
#
# The host defines the segments in the CP directory (the format
# qemu-cp/README describes), above the guests' 1 GiB of storage: CPSEG1
# (SW, 8 MiB at 1.25 GiB, known text at its head and tail), CPMULTI (an
# EW and an EN range), CPSHR and CPIPL (SW).  cpprobe.ko (cpprobe/) lets
# a guest try a store into a loaded segment.  Three parts, each guest's
# group in tests/guest/cp/ put into the initramfs's t/:
#
#   1. 30-cp: identity, vmcp, dcssblk and dcssdax (extmem) on CPSEG1,
#      a save through dcssdax (version 2), DEFSEG/SAVESEG of CPCOPY
#      through vmcp, protection, the multi-range segment, PURGE NSS;
#      the host then checks the directory.
#   2. 31-cp-share: two guests at once on CPSHR.
#   3. a guest holding CPSHR is killed: what it leaves is cleaned by
#      the next QEMU on the directory;
#   4. 32-cp-ipl: a guest re-IPLs with CPIPL loaded (no -no-reboot).
#   5. 33-cp-define, 34-cp-workflow: the administrator's workflow with
#      dcssctl (define, save its first version from a 2 GiB guest with
#      mem=1G; then in a 1 GiB guest info, add -x, mkfs, fill, save with
#      CP's answer, remove, add shared, list --cp); the commands and
#      their output, "T| " lines of the consoles, go to
#      build/cp/transcript.txt.
#   6. 35-cp-compare: one script against upstream dcssblk and dcssdax
#      (extmem), every outcome equal or in README's table of differences.
#
#   tests/cp/run.sh [TIMEOUT-SECONDS]
#   DCSSDAX_QEMU_CP_BIN=/path/in/root  use that QEMU, build nothing
# Needs tests/env/build.sh s390x (run here when its initramfs is missing)
# and builds QEMU with the CP unless cached.  Prints RESULT lines and
# "N passed, N failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../env/common.sh"
. "$here/lib.sh"

limit=${1:-300}
P=s390x-cp
out=$TOP/build/cp
results=$out/results.txt
mkdir -p "$out"
: >"$results"
# The host's own checks, for the closing line (summarize); the guests'
# are planned by evaluate.sh.
echo "PLANNED $P/host 20" >>"$results"
pass() { echo "RESULT PASS $P/host/$1" | tee -a "$results"; }
fail() { echo "RESULT FAIL $P/host/$1: $2" | tee -a "$results"; }
check() { local n=$1; shift; if "$@"; then pass "$n"; else fail "$n" "[$*]"; fi; }

# DCSSDAX_QEMU_CP_BIN: a binary in the root to use instead (to work on
# the patch in a kept build tree, see setup-qemu-cp.sh).
if ! qemu=$(cp_qemu "$out/setup-qemu-cp.log"); then
	fail qemu-cp-built "tests/env/setup-qemu-cp.sh failed: $(tail -n 3 "$out/setup-qemu-cp.log" | tr '\n' ' ')"
	summarize "$results"
	exit 1
fi
pass qemu-cp-built
kver=$(kver_s390x)
cp_initramfs "$out/build-s390x.log" || {
	fail initramfs "tests/env/build.sh s390x failed, see $out/build-s390x.log"
	summarize "$results"
	exit 1
}

# The guest's additions: the group, vmcp, dcssblk.ko.
stage=$out/stage
cp_stage "$stage" "$out/vmcp.log" || {
	fail vmcp-built "$(head -n 5 "$out/vmcp.log" | tr '\n' ' ')"
	summarize "$results"
	exit 1
}
cp "$TOP/tests/guest/cp/30-cp.sh" "$TOP/tests/guest/cp/31-cp-share.sh" \
	"$TOP/tests/guest/cp/32-cp-ipl.sh" "$TOP/tests/guest/cp/33-cp-define.sh" \
	"$TOP/tests/guest/cp/34-cp-workflow.sh" "$TOP/tests/guest/cp/35-cp-compare.sh" \
	"$stage/tests/t/"
cp "$TOP/tests/guest/cp/dcssctl-lib.sh" "$stage/tests/cp-dcssctl-lib.sh"
# README's table of deliberate differences from dcssblk, for 35-cp-compare.
sed -n '/^<!-- dcssblk-compare -->$/,/^<!-- end -->$/{/^|/p}' "$TOP/README.md" \
	>"$stage/tests/compare-doc.txt"
rm -rf "$out/cpprobe" && cp -r "$here/cpprobe" "$out/cpprobe"
inroot make -s -C /src/build/cp/cpprobe KDIR="/usr/src/linux-headers-$kver" \
	>"$out/cpprobe.log" 2>&1 && cp "$out/cpprobe/cpprobe.ko" "$stage/modules/" || {
	fail cpprobe-built "$(head -n 5 "$out/cpprobe.log" | tr '\n' ' ')"
	summarize "$results"
	exit 1
}
(cd "$stage" && find . | cpio -o -H newc --quiet | gzip) >"$out/cp.cpio.gz"
cat "$TOP/build/s390x/initramfs.gz" "$out/cp.cpio.gz" >"$out/initramfs.gz"

# The CP directory, fresh: nothing of an earlier run's segments or
# holders is left (stale state is cleaned at the start).
dir=$out/dir
rm -rf "$dir" && mkdir -p "$dir"
printf 'origin HOST\nversion 1\nrange 50000 507FF SW\n' >"$dir/CPSEG1.seg"
truncate -s 8M "$dir/CPSEG1.v1"
printf 'CPSEG1 version 1 head' | dd of="$dir/CPSEG1.v1" conv=notrunc status=none
printf 'CPSEG1 version 1 tail' | dd of="$dir/CPSEG1.v1" bs=4096 seek=2047 \
	conv=notrunc status=none
# Two ranges, EW and EN; the file has bytes in the EN range, which is
# not saved data: the guest must read zero there.
printf 'origin HOST\nversion 1\nrange 51000 510FF EW\nrange 51100 511FF EN\n' \
	>"$dir/CPMULTI.seg"
truncate -s 2M "$dir/CPMULTI.v1"
printf 'CPMULTI EW range head' | dd of="$dir/CPMULTI.v1" conv=notrunc status=none
printf 'not saved data' | dd of="$dir/CPMULTI.v1" bs=4096 seek=256 \
	conv=notrunc status=none
# The two guests' segment: SW, 1 MiB, zero.
printf 'origin HOST\nversion 1\nrange 51200 512FF SW\n' >"$dir/CPSHR.seg"
truncate -s 1M "$dir/CPSHR.v1"
# The re-IPL guest's segment.
printf 'origin HOST\nversion 1\nrange 51300 513FF SW\n' >"$dir/CPIPL.seg"
truncate -s 1M "$dir/CPIPL.v1"

# The comparison's segments (35-cp-compare): CMPA, CMPB and CMPE
# contiguous (SW, SW, EW), CMPS apart, one of each other type, CMPM of
# two ranges (EW, EN), CMPLOW inside the guests' storage, and CMPD, the
# only one aligned to 2 MiB at both ends.
cmpseg() {
	local name=$1 ranges=$2 size=$3 text=${4:-}
	{ printf 'origin HOST\nversion 1\n'; printf '%b' "$ranges"; } >"$dir/$name.seg"
	truncate -s "$size" "$dir/$name.v1"
	[ -z "$text" ] || printf '%s' "$text" | dd of="$dir/$name.v1" conv=notrunc status=none
}
cmpseg CMPA 'range 54000 540FF SW\n' 1M "CMPA head"
cmpseg CMPB 'range 54100 541FF SW\n' 1M "CMPB head"
cmpseg CMPE 'range 54200 542FF EW\n' 1M
cmpseg CMPS 'range 54400 544FF SW\n' 1M
cmpseg CMPR 'range 54500 545FF SR\n' 1M "CMPR head"
cmpseg CMPC 'range 54600 546FF SC\n' 1M
cmpseg CMPN 'range 54700 547FF SN\n' 1M
cmpseg CMPM 'range 54800 548FF EW\nrange 54900 549FF EN\n' 2M
cmpseg CMPLOW 'range 3F000 3F0FF SW\n' 1M
cmpseg CMPD 'range 54A00 54BFF SW\n' 2M

# run_guest NAME USERID SUITE GROUPS [KERNEL-ARGS]: boot a guest with the
# CP on the directory, its console and results in $out/NAME; then its
# RESULT lines, prefixed "$P/NAME/", GROUPS the groups it must report.
# With CP_REBOOT set, a reboot re-IPLs the guest instead of ending QEMU;
# CP_MEM is its storage in MiB (default 1024).
run_guest() {
	local name=$1 userid=$2 suite=$3 groups=$4 rc=0 noreboot=-no-reboot
	[ -z "${CP_REBOOT:-}" ] || noreboot=
	rm -rf "${out:?}/$name" && mkdir -p "$out/$name"
	: >"$out/$name/results.txt"
	# The limit as the guest starts: CI's deadline may be nearer.
	timeout --foreground -k 10 "$(ci_limit "$limit")" bash -c '
		. "$1/tests/env/common.sh"; shift
		inroot "$@"' _ "$TOP" "$qemu" \
		-M s390-ccw-virtio -cpu max -smp 2 -m "${CP_MEM:-1024}" \
		-nographic $noreboot -nic none \
		-device s390-cp,dir=/src/build/cp/dir,userid="$userid" \
		-device virtio-serial \
		-chardev file,id=results,path="/src/build/cp/$name/results.txt" \
		-device virtserialport,chardev=results,name=dcssdax.results \
		-kernel "/lib/modules/$kver/vmlinuz" \
		-initrd /src/build/cp/initramfs.gz \
		-append "$CP_APPEND dcssdax.suite=$suite ${5:-}" \
		>"$out/$name/console.log" 2>&1 || rc=$?
	STOP_CAUSE=$(stop_cause "$out/$name/console.log" $rc) \
		"$TOP/tests/env/evaluate.sh" "$P/$name/" "$out/$name/results.txt" \
		"SUITE DONE" suite-completed $groups
}

# 1. One guest: identity, vmcp, dcssblk, dcssdax on extmem, save.
run_guest guest cptest1 30-cp 30-cp | tee -a "$results"

# What the guest left in the directory.
seg_of() { tr '\n' ' ' <"$dir/$1.seg" 2>/dev/null; }
check cpseg1-is-version-2 test "$(seg_of CPSEG1)" = "origin CPTEST1 version 2 range 50000 507FF SW "
check cpseg1-v2-has-new-head test "$(head -c 21 "$dir/CPSEG1.v2" 2>/dev/null)" = "CPSEG1 version 2 head"
check cpseg1-v2-kept-tail test "$(dd if="$dir/CPSEG1.v2" bs=4096 skip=2047 count=1 status=none | head -c 21)" = "CPSEG1 version 1 tail"
# Version 1 was held by the guest until its remove; nobody holds it now.
check cpseg1-v1-purged test ! -e "$dir/CPSEG1.v1"
check cpcopy-defined-by-guest test "$(seg_of CPCOPY)" = "origin CPTEST1 version 1 range 50000 507FF SR "
# The guest wrote its exclusive (private) copy of CPCOPY, and saved none.
check cpcopy-content-not-private test "$(head -c 21 "$dir/CPCOPY.v1" 2>/dev/null)" = "CPSEG1 version 2 head"
check cpmulti-purged-files-gone test -z "$(find "$dir" -maxdepth 1 -name 'CPMULTI*')"
check no-holders-left test -z "$(ls "$dir/.users")"
check no-live-copies-left test -z "$(find "$dir" -maxdepth 1 \( -name '*.live' -o -name '.tmp*' \))"

# 2. Two guests at once on CPSHR, shared: each sees the other's writes;
# what they wrote is not saved.
run_guest share-a cpa 31-cp-share 31-cp-share dcssdax.cprole=a \
	>"$out/share-a.results" &
run_guest share-b cpb 31-cp-share 31-cp-share dcssdax.cprole=b \
	>"$out/share-b.results"
wait
cat "$out/share-a.results" "$out/share-b.results" | tee -a "$results"
check cpshr-saved-version-unchanged test "$(tr -d '\0' <"$dir/CPSHR.v1" | wc -c)" = 0
check cpshr-no-live-copy-left test ! -e "$dir/CPSHR.v1.live"
check cpshr-no-holders-left test -z "$(ls "$dir/.users")"

# 3. A holder killed: a guest loads CPSHR (31-cp-share alone, waiting
# for a partner that never comes) and its QEMU is killed with SIGKILL
# once CP lists it as a holder.  Its holder entry and live copy stay
# behind; the next QEMU to start on the directory (part 4) removes them.
run_guest killed cpk 31-cp-share 31-cp-share dcssdax.cprole=a \
	>"$out/killed.results" &
holder=
for _ in $(seq 240); do
	holder=$(find "$dir/.users" -name 'CPSHR.1.S.*' | head -n 1)
	[ -n "$holder" ] && break
	sleep 1
done
if [ -n "$holder" ]; then
	kill -KILL "${holder##*.}"
	wait
	check killed-holder-left-behind test -e "$holder" -a -e "$dir/CPSHR.v1.live"
else
	wait
	fail killed-holder-left-behind "the guest never loaded CPSHR"
fi

# 4. A re-IPL purges what the guest holds (its group reboots it once).
CP_REBOOT=1 run_guest ipl cpipl 32-cp-ipl "32-cp-ipl 32-cp-ipl-2" | tee -a "$results"
check ipl-marker-saved test "$(seg_of IPLMARK)" = "origin CPIPL version 1 range 100 100 SW "
check killed-holder-cleaned test -n "$holder" -a ! -e "${holder:-/}" -a ! -e "$dir/CPSHR.v1.live"

# 5. The administrator's workflow with dcssctl: a guest of 2 GiB, Linux
# in its first 1 GiB, defines CPNEW and saves its first version from its
# storage; a guest of 1 GiB fills and saves it (versions 2 and 3).
CP_MEM=2048 run_guest cpdef cpdef 33-cp-define 33-cp-define mem=1G | tee -a "$results"
run_guest cpadm cpadm 34-cp-workflow 34-cp-workflow | tee -a "$results"
check cpnew-saved-by-cpadm test "$(seg_of CPNEW)" = "origin CPADM version 3 range 60000 63FFF SW "
check cpnew-old-versions-gone test -z "$(find "$dir" -maxdepth 1 -name 'CPNEW.v[12]*')"
check cplow-skeleton-left test -e "$dir/CPLOW.skel"
cat "$out/cpdef/console.log" "$out/cpadm/console.log" | tr -d '\r' |
	sed -n 's/^T| //p' >"$out/transcript.txt"
check transcript-written test -s "$out/transcript.txt"

# 6. dcssblk beside dcssdax: one script against both, compared.
run_guest compare cpcmp 35-cp-compare 35-cp-compare | tee -a "$results"
summarize "$results"
