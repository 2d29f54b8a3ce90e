#!/bin/bash
# Many guests, one copy: the sharing workflow of a z/VM site, with x86_64
# QEMU guests whose segments are host files mapped into each guest at a
# fixed physical address (an nvdimm over a share=on memory backend, its
# range reserved with memmap=$ so that the emulated backend takes it).
# This script plays CP (cp.sh, MODEL.md); tests/guest/share.sh is the
# guests' side.
#
#   1. admin1 makes ext2 and xfs segments with the tree (tree.sh) and
#      saves them: version 1.
#   2. keeper, consumer2 and consumer3 boot together on version 1 and run
#      the tree; the host checks that the segment's bytes are one copy
#      and that no guest's memory grew by the tree.  consumer2 (writer)
#      and consumer3 (reader) then exchange data through SHRMEM, a
#      shared-writable segment both load in devdax mode; the host finds
#      both sides' last words in its file.
#   3. admin2 changes the ext2 tree in a private copy and saves it:
#      version 2; the keeper, still mounted, keeps version 1.
#   4. late boots on version 2; its results port is hot-added only once
#      its init waits for it.
#
#   tests/share/run.sh [TIMEOUT-SECONDS]
# Prints RESULT lines (each guest's, and the host's checks), FIGURE lines
# to build/figures.txt.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../env/common.sh"
. "$here/guests.sh"
. "$here/cp.sh"
# The host's own checks ($P/host/...); each guest's are forwarded,
# counted by the guest's plans.
leg_plan x86_64-share 15

limit=${1:-900}
out=$TOP/build/share
CPDIR=$out/cp
figures=$TOP/build/figures.txt
P=x86_64-share
mkdir -p "$out"
# Guest-physical layout, as in tests/guest/share.sh's emulated table.
EXT_ADDR=0x100000000 EXT_SIZE=192M
XFS_ADDR=0x110000000 XFS_SIZE=320M
SHM_ADDR=0x130000000 SHM_SIZE=16M
# The exchange's tag: another run's words never pass for this one's.
SHMSEED=$(( (RANDOM << 15 | RANDOM) + 1 ))


if ! "$here/tree.sh" "$out/tree" || [ ! -f "$TOP/build/x86_64/initramfs.gz" ]; then
	fail tree "no tree or no x86_64 initramfs (tests/env/build.sh x86_64)"
	exit 1
fi
V1=$(cat "$out/tree/v1.sum") V2=$(cat "$out/tree/v2.sum")
tree_kb=$(du -sk "$out/tree/v1" | cut -f1)
cp_define SHREXT $EXT_SIZE
cp_define SHRXFS $XFS_SIZE
# Shared-writable: never saved, every guest maps the one file.
cp_define SHRMEM $SHM_SIZE

# boot NAME ROLE EXT-FILE XFS-FILE [INITRD-ADDITION]: a guest with the
# segments' files at their addresses (SHRMEM's is the same for all);
# $shm, when set, is its side of the exchange (writer, reader).
shm=
boot() {
	local initrd=$SHARE_INITRAMFS
	if [ -n "${5:-}" ]; then
		mkdir -p "$out/initrd"
		initrd=$out/initrd/$1.gz
		cat "$SHARE_INITRAMFS" "$5" >"$initrd"
	fi
	# Each guest's limit as it starts: CI's deadline may be nearer.
	guest_boot "$1" "$2" "$(ci_limit "$limit")" \
		"memmap=$EXT_SIZE\$$EXT_ADDR memmap=$XFS_SIZE\$$XFS_ADDR memmap=$SHM_SIZE\$$SHM_ADDR dcssdax.v1=$V1 dcssdax.v2=$V2${shm:+ dcssdax.shm=$shm dcssdax.shmseed=$SHMSEED}" \
		"$initrd" \
		-object memory-backend-file,id=shrext,share=on,mem-path="$3",size=$EXT_SIZE \
		-device nvdimm,memdev=shrext,id=nv0,addr=$EXT_ADDR \
		-object memory-backend-file,id=shrxfs,share=on,mem-path="$4",size=$XFS_SIZE \
		-device nvdimm,memdev=shrxfs,id=nv1,addr=$XFS_ADDR \
		-object memory-backend-file,id=shrmem,share=on,mem-path="$(cp_current SHRMEM)",size=$SHM_SIZE \
		-device nvdimm,memdev=shrmem,id=nv2,addr=$SHM_ADDR
}

# 1. The administrator makes version 1 of both segments.
boot admin1 admin1 "$(cp_private SHREXT admin1)" "$(cp_private SHRXFS admin1)" "$out/tree/v1.cpio.gz"
for seg in SHREXT SHRXFS; do
	if wait_sync admin1 "save $seg"; then
		check "save-$seg-is-v1" cp_save $seg admin1
		reply admin1 "save $seg"
	else
		fail "save-$seg-is-v1" "admin1 did not save $seg"
	fi
done
guest_finish admin1
v1_file=$(cp_current SHREXT)
v1_sum=$(sha256sum <"$v1_file")

# 2. Three consumers on version 1 at once.
consumers="keeper consumer2 consumer3"
boot keeper keeper "$(cp_current SHREXT)" "$(cp_current SHRXFS)"
shm=writer boot consumer2 consumer "$(cp_current SHREXT)" "$(cp_current SHRXFS)"
shm=reader boot consumer3 consumer "$(cp_current SHREXT)" "$(cp_current SHRXFS)"
shm=
one_copy_checks "$tree_kb" "$consumers" "$(readlink -f "$(cp_current SHREXT)")" \
	"$(readlink -f "$(cp_current SHRXFS)")"
for g in $consumers; do reply $g after; done
wait_sync keeper hold || true
guest_finish consumer2
guest_finish consumer3
# word OFFSET: the 8-byte word at OFFSET of SHRMEM's file, in hex.
word() { od -An -v -tx8 -j "$1" -N 8 "$(cp_current SHRMEM)" | tr -d ' '; }
last=$(printf '%016x' $(( (SHMSEED & 0xffffffff) << 32 | 16 )))
check shm-writer-flag-in-file test "$(word 0)" = "$last"
check shm-reader-flag-in-file test "$(word 64)" = "$last"

# 3. A changed tree, saved while the keeper has version 1 mounted.
boot admin2 admin2 "$(cp_private SHREXT admin2)" "$(cp_current SHRXFS)"
if wait_sync admin2 "save SHREXT"; then
	check save-SHREXT-is-v2 cp_save SHREXT admin2
	reply admin2 "save SHREXT"
else
	fail save-SHREXT-is-v2 "admin2 did not save"
fi
guest_finish admin2
check v1-untouched-by-private-copy test "$(sha256sum <"$CPDIR/SHREXT/v1")" = "$v1_sum"
check current-is-v2 test "$(readlink "$CPDIR/SHREXT/current")" = v2
reply keeper hold
guest_finish keeper

# 4. A guest that loads the segment after the save sees version 2.  Its
# results port comes only after its init has looked for it and waits: a
# guest that did not wait would report nothing.
SHARE_LATE_RESULTS=1 boot late late "$(cp_current SHREXT)" "$(cp_current SHRXFS)"
check late-results-port-added-while-init-waits add_results_port late
for tag in before after; do wait_sync late $tag && reply late $tag; done
guest_finish late
leg_end x86_64-share
