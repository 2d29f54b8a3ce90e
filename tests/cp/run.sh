#!/bin/bash
# The emulated CP (qemu-cp/): an s390x guest on qemu-system-s390x built
# with it (tests/env/setup-qemu-cp.sh) believes it runs on z/VM, and the
# unmodified kernel's extmem, vmcp and upstream dcssblk work against it,
# with dcssdax on its extmem backend beside them.
#
# The host defines CPSEG1 in the CP directory (the format qemu-cp/README
# describes): SW, pages 50000-507FF (8 MiB at 1.25 GiB, above the guest's
# 1 GiB of storage), version 1 with known text at its head and tail.  The
# guest runs tests/guest/cp/30-cp.sh (its checks, on the results port), which saves
# version 2 of CPSEG1 through dcssdax and defines and saves CPCOPY through
# vmcp; the host then checks the directory.
#
#   tests/cp/run.sh [TIMEOUT-SECONDS]
#   DCSSDAX_QEMU_CP_BIN=/path/in/root  use that QEMU, build nothing
# Needs tests/env/build.sh s390x (run here when its initramfs is missing)
# and builds QEMU with the CP unless cached.  Prints RESULT lines and
# "N passed, N failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../env/common.sh"

limit=${1:-300}
P=s390x-cp
out=$TOP/build/cp
results=$out/results.txt
mkdir -p "$out"
: >"$results"
pass() { echo "RESULT PASS $P/host/$1" | tee -a "$results"; }
fail() { echo "RESULT FAIL $P/host/$1: $2" | tee -a "$results"; }
check() { local n=$1; shift; if "$@"; then pass "$n"; else fail "$n" "[$*]"; fi; }

# DCSSDAX_QEMU_CP_BIN: a binary in the root to use instead (to work on
# the patch in a kept build tree, see setup-qemu-cp.sh).
if [ -n "${DCSSDAX_QEMU_CP_BIN:-}" ]; then
	qemu=$DCSSDAX_QEMU_CP_BIN
else
	qemu=$("$TOP/tests/env/setup-qemu-cp.sh" 2>"$out/setup-qemu-cp.log" | tail -n 1)
fi
if [ -z "$qemu" ] || [ ! -x "$ROOT$qemu" ]; then
	fail qemu-cp-built "tests/env/setup-qemu-cp.sh failed: $(tail -n 3 "$out/setup-qemu-cp.log" | tr '\n' ' ')"
	summarize "$results"
	exit 1
fi
pass qemu-cp-built
kver=$(kver_s390x)
if [ ! -f "$TOP/build/s390x/initramfs.gz" ]; then
	"$TOP/tests/env/build.sh" s390x >"$out/build-s390x.log" 2>&1 || {
		fail initramfs "tests/env/build.sh s390x failed, see $out/build-s390x.log"
		summarize "$results"
		exit 1
	}
fi

# The guest's additions: the group, vmcp, dcssblk.ko.
stage=$out/stage
rm -rf "$stage" && mkdir -p "$stage/tests/t" "$stage/bin" "$stage/modules"
cp "$TOP/tests/guest/cp/30-cp.sh" "$stage/tests/t/"
inroot s390x-linux-gnu-gcc-14 -static -O2 -Wall -Wextra -Werror \
	-o /src/build/cp/stage/bin/vmcp /src/tests/cp/vmcp.c >"$out/vmcp.log" 2>&1 || {
	fail vmcp-built "$(head -n 5 "$out/vmcp.log" | tr '\n' ' ')"
	summarize "$results"
	exit 1
}
xz -dc "$ROOT/lib/modules/$kver/kernel/drivers/s390/block/dcssblk.ko.xz" \
	>"$stage/modules/dcssblk.ko"
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

guest=$out/guest
rm -rf "$guest" && mkdir -p "$guest"
: >"$guest/results.txt"
rc=0
timeout --foreground -k 10 "$limit" bash -c '
	. "$1/tests/env/common.sh"; shift
	inroot "$@"' _ "$TOP" "$qemu" \
	-M s390-ccw-virtio -cpu max -smp 2 -m 1024 \
	-nographic -no-reboot -nic none \
	-device s390-cp,dir=/src/build/cp/dir,userid=cptest1 \
	-device virtio-serial \
	-chardev file,id=results,path=/src/build/cp/guest/results.txt \
	-device virtserialport,chardev=results,name=dcssdax.results \
	-kernel "/lib/modules/$kver/vmlinuz" \
	-initrd /src/build/cp/initramfs.gz \
	-append "console=ttysclp0 initcall_blacklist=iucv_init hvc_iucv=0 panic=-1 oops=panic panic_on_warn=1 log_buf_len=16M loglevel=4 dcssdax.suite=30-cp" \
	>"$guest/console.log" 2>&1 || rc=$?
STOP_CAUSE=$(stop_cause "$guest/console.log" $rc) \
	"$TOP/tests/env/evaluate.sh" "$P/" "$guest/results.txt" "SUITE DONE" \
	suite-completed 30-cp | tee -a "$results"

# What the guest left in the directory.
seg_of() { tr '\n' ' ' <"$dir/$1.seg" 2>/dev/null; }
check cpseg1-is-version-2 test "$(seg_of CPSEG1)" = "origin CPTEST1 version 2 range 50000 507FF SW "
check cpseg1-v2-has-new-head test "$(head -c 21 "$dir/CPSEG1.v2" 2>/dev/null)" = "CPSEG1 version 2 head"
check cpseg1-v2-kept-tail test "$(dd if="$dir/CPSEG1.v2" bs=4096 skip=2047 count=1 status=none | head -c 21)" = "CPSEG1 version 1 tail"
# Version 1 was held by the guest until its remove; nobody holds it now.
check cpseg1-v1-purged test ! -e "$dir/CPSEG1.v1"
check cpcopy-defined-by-guest test "$(seg_of CPCOPY)" = "origin CPTEST1 version 1 range 50000 507FF SR "
check cpcopy-content test "$(head -c 21 "$dir/CPCOPY.v1" 2>/dev/null)" = "CPSEG1 version 2 head"
check no-holders-left test -z "$(ls "$dir/.users")"
check no-live-copies-left test -z "$(find "$dir" -maxdepth 1 \( -name '*.live' -o -name '.tmp*' \))"
summarize "$results"
