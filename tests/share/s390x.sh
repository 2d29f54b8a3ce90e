#!/bin/bash
# Many guests, one copy, on s390x: the sharing workflow of run.sh with
# s390x guests under the emulated CP (qemu-cp/), where z/VM's rules hold
# without a model of ours: the segments are defined in CP's directory,
# each guest loads them through the kernel's extmem (dcssdax.backend=
# extmem, no emulate=), shared loads of a version are one host file that
# every holding QEMU maps (NAME.vN.live), an exclusive load is a private
# copy, SAVESEG makes version N+1 while holders of N keep theirs, and a
# guest that releases a segment and loads it again gets the version
# current then.  tests/guest/share.sh is the guests' side, as on x86_64.
#
#   1. admin1 makes ext2 on SHREXT and xfs on SHRXFS (SR, defined empty
#      in CP: version 1), installs the s390x tree (tree.sh s390x) and
#      saves both through dcssdax: version 2.
#   2. keeper, consumer2 and consumer3 boot together, load version 2
#      shared and run the tree; the host checks that each segment is one
#      copy in host memory and that no guest's storage grew by the tree.
#   3. admin2 changes the ext2 tree in its exclusive copy and saves it:
#      version 3, while the keeper still runs version 2 (CP keeps it for
#      its holder); the keeper then releases it and, in the same boot,
#      loads version 3.
#   4. late boots and loads version 3; nobody holds version 2, CP has
#      dropped it.
# What stays x86_64 only, and why: the shared-memory exchange through
# devdax (no devdax on the extmem backend: MODEL.md).
#
#   tests/share/s390x.sh [TIMEOUT-SECONDS]
#   DCSSDAX_QEMU_CP_BIN=/path/in/root  use that QEMU, build nothing
# Prints RESULT lines (each guest's, and the host's checks), FIGURE lines
# to build/figures.txt.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../env/common.sh"
. "$here/guests.sh"
. "$here/../cp/lib.sh"
P=s390x-share
leg_plan $P 15

limit=${1:-900}
out=$TOP/build/share-s390x
dir=$out/dir
figures=$TOP/build/figures.txt
mkdir -p "$out"

# give_up CHECK WHY: what the leg needs is missing; its own checks that
# cannot run fail by the plan's count (host_leg), the guests' never ran.
give_up() { fail "$1" "$2"; leg_end $P; exit 1; }

qemu=$(cp_qemu "$out/setup-qemu-cp.log") ||
	give_up qemu-cp-built "tests/env/setup-qemu-cp.sh failed: $(tail -n 3 "$out/setup-qemu-cp.log" | tr '\n' ' ')"
pass qemu-cp-built
cp_initramfs "$out/build-s390x.log" ||
	give_up initramfs "tests/env/build.sh s390x failed, see $out/build-s390x.log"
"$here/tree.sh" "$out/tree" s390x >"$out/tree.log" 2>&1 ||
	give_up tree-built "tests/share/tree.sh s390x failed: $(tail -n 3 "$out/tree.log" | tr '\n' ' ')"
pass tree-built
V1=$(cat "$out/tree/v1.sum") V2=$(cat "$out/tree/v2.sum")
tree_kb=$(du -sk "$out/tree/v1" | cut -f1)
# A copy: building the module meanwhile rewrites the original in place.
cp "$TOP/build/s390x/initramfs.gz" "$out/initramfs.gz"
cat "$out/initramfs.gz" "$out/tree/v1.cpio.gz" >"$out/initramfs-admin1.gz"

# CP's directory, fresh: SHREXT (192 MiB) and SHRXFS (320 MiB), SR, just
# above the guests' 1 GiB of storage, as tests/guest/share.sh expects;
# version 1 is empty.
declare -A range=([SHREXT]="40000 4BFFF SR" [SHRXFS]="4C000 5FFFF SR")
rm -rf "$dir" && mkdir -p "$dir"
for seg in SHREXT SHRXFS; do
	printf 'origin HOST\nversion 1\nrange %s\n' "${range[$seg]}" >"$dir/$seg.seg"
done
truncate -s 192M "$dir/SHREXT.v1"
truncate -s 320M "$dir/SHRXFS.v1"
seg_of() { tr '\n' ' ' <"$dir/$1.seg" 2>/dev/null; }

# boot NAME ROLE [INITRD]: guest NAME under the emulated CP, its limit
# as it starts (CI's deadline may be nearer).
CP_QEMU=$qemu CP_DIR=$dir
boot() {
	guest_boot_cp "$1" "$2" "$(ci_limit "$limit")" "dcssdax.v1=$V1 dcssdax.v2=$V2" \
		"${3:-$out/initramfs.gz}"
}

# 1. The administrator makes version 2 of both segments.
boot admin1 admin1 "$out/initramfs-admin1.gz"
for seg in SHREXT SHRXFS; do
	if wait_sync admin1 "save $seg"; then
		check "save-$seg-is-v2" test "$(seg_of $seg)" = "origin ADMIN1 version 2 range ${range[$seg]} "
		reply admin1 "save $seg"
	else
		fail "save-$seg-is-v2" "admin1 did not save $seg"
	fi
done
guest_finish admin1

# 2. Three consumers on version 2 at once.
consumers="keeper consumer2 consumer3"
boot keeper keeper
boot consumer2 consumer
boot consumer3 consumer
# The version's shared pages: CP's one file, mapped by every holder.
one_copy_checks "$tree_kb" "$consumers" /SHREXT.v2.live /SHRXFS.v2.live
for g in $consumers; do reply $g after; done
wait_sync keeper hold || true
guest_finish consumer2
guest_finish consumer3

# 3. A changed tree, saved while the keeper runs version 2.
boot admin2 admin2
if wait_sync admin2 "save SHREXT"; then
	check save-SHREXT-is-v3 test "$(seg_of SHREXT)" = "origin ADMIN2 version 3 range ${range[SHREXT]} "
	check v2-kept-for-its-holder test -e "$dir/SHREXT.v2" -a -e "$dir/SHREXT.v2.live"
	reply admin2 "save SHREXT"
else
	fail save-SHREXT-is-v3 "admin2 did not save"
	fail v2-kept-for-its-holder "admin2 did not save"
fi
guest_finish admin2
reply keeper hold
guest_finish keeper

# 4. A guest that loads the segment now gets version 3; version 2 has no
# holder left and is gone (CP drops it at its next call, the late
# guest's load).
boot late late
for tag in before after; do wait_sync late $tag && reply late $tag; done
check v2-dropped-without-holders test -z "$(find "$dir" -maxdepth 1 -name 'SHREXT.v2*')"
guest_finish late
check no-holders-left test -z "$(ls -A "$dir/.users" 2>/dev/null)"
leg_end $P
