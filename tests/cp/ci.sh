#!/bin/bash
# CI's legs on the emulated CP, after make check and the debug leg, which
# come first: tests/cp/run.sh (the CP itself, dcssblk, two guests), the
# sharing workflow with s390x guests (tests/share/s390x.sh), then the
# s390x VM suite on the extmem backend (tests/cp/extmem.sh).  QEMU
# with qemu-cp/ is cached in the build root (tests/env/setup-qemu-cp.sh);
# on a warm machine (a build of it there) the legs always run, and a warm
# machine without the time for them fails CI.  On a cold one QEMU is
# built first (8 to 18 min on CI's 2 cores) under a timeout that leaves
# the legs their time; only a build that does not fit is skipped, as
# "cold cache" (tests/accepted-skips.txt).
#
#   DCSSDAX_CI_DEADLINE=EPOCH-SECONDS tests/cp/ci.sh
# Leaves the checks of both in build/results-cp.txt.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../env/common.sh"

deadline=${DCSSDAX_CI_DEADLINE:?seconds since the epoch by which CI must be done}
# Measured in a whole .ci/run on a fresh clone with QEMU cached, the
# machine otherwise idle (2 cores): run.sh 172 s, extmem.sh 756 s, 928 s
# together (extmem.sh took 1103 and 1197 s beside other VM runs at load
# 7 and 13); tests/share/s390x.sh took 211 s in a whole .ci/run (360
# to 600 s beside other VM runs).  The reserve keeps about 400 s over
# that; what is left before it is QEMU's build time on a machine whose
# cached build is of an older patch.
run_seconds=${DCSSDAX_CI_CP_SECONDS:-1560}
results=$TOP/build/results-cp.txt
mkdir -p "$TOP/build" "$LEGS"
rm -f "$results"
left() { echo $(( deadline - $(date +%s) )); }
skip() {
	log "cp leg skipped: $1"
	{ echo "PLANNED s390x-cp/cp-leg 1"; echo "RESULT SKIP s390x-cp/cp-leg: $1"; } >"$results"
	exit 0
}
fail() {
	log "cp leg: $1"
	{ echo "PLANNED s390x-cp/cp-leg 1"; echo "RESULT FAIL s390x-cp/cp-leg: $1"; } >"$results"
	exit 1
}

if [ -x "$ROOT/opt/qemu-cp/current/bin/qemu-system-s390x" ]; then
	[ "$(left)" -gt "$run_seconds" ] ||
		fail "a warm machine with $(left) s left before CI's deadline, and the leg needs $run_seconds: the legs before it broke the budget"
	limit=$(( $(left) - run_seconds ))
else
	[ "$(left)" -gt "$run_seconds" ] ||
		skip "cold cache: $(left) s left before CI's deadline, the leg needs $run_seconds and QEMU must be built first"
	limit=$(( $(left) - run_seconds ))
	log "cp leg: building QEMU with the emulated CP (a cold machine: at most $limit s)"
fi
start=$(date +%s)
timeout -k 30 "$limit" "$TOP/tests/env/setup-qemu-cp.sh" >"$TOP/build/setup-qemu-cp.log" 2>&1
rc=$?
echo "qemu-cp-setup $(( $(date +%s) - start ))" >>"$LEGS/times.txt"
case $rc in
0) ;;
124|137) skip "cold cache: QEMU with the emulated CP did not build in the $limit s left; the next run builds it again" ;;
*) fail "tests/env/setup-qemu-cp.sh failed (exit $rc): $(tail -n 3 "$TOP/build/setup-qemu-cp.log" | tr '\n' ' ')" ;;
esac
# The legs use the QEMU just set up (its path, the log's last line).
export DCSSDAX_QEMU_CP_BIN
DCSSDAX_QEMU_CP_BIN=$(tail -n 1 "$TOP/build/setup-qemu-cp.log")
start=$(date +%s)
"$TOP/tests/cp/run.sh" >"$TOP/build/cp.log" 2>&1
rc=$?
echo "s390x-cp $(( $(date +%s) - start ))" >>"$LEGS/times.txt"
cp "$TOP/build/cp/results.txt" "$results" 2>/dev/null ||
	printf 'PLANNED s390x-cp/cp-leg 1\nRESULT FAIL s390x-cp/cp-leg: tests/cp/run.sh left no results (exit %s)\n' $rc >"$results"
# A leg that stopped early is a failure even if what it reported passed.
[ $rc -eq 0 ] || grep -q '^RESULT FAIL' "$results" ||
	printf 'PLANNED s390x-cp/cp-leg 1\nRESULT FAIL s390x-cp/cp-leg: tests/cp/run.sh exited %s\n' $rc >>"$results"
tail -n 1 "$TOP/build/cp.log"

# s390x guests sharing segments through CP (tests/share/s390x.sh).
host_leg "$results" s390x-share "$TOP/tests/share/s390x.sh" 600 >"$TOP/build/share-s390x.log"
src=$?

# The VM suite on extmem, in what is left before the deadline.
start=$(date +%s)
"$TOP/tests/cp/extmem.sh" all $(( $(left) - 60 )) >"$TOP/build/cp-extmem.log" 2>&1
xrc=$?
echo "s390x-extmem $(( $(date +%s) - start ))" >>"$LEGS/times.txt"
cat "$TOP/build/cp-extmem/results.txt" >>"$results" 2>/dev/null ||
	printf 'PLANNED s390x-extmem/leg 1\nRESULT FAIL s390x-extmem/leg: tests/cp/extmem.sh left no results (exit %s)\n' $xrc >>"$results"
[ $xrc -eq 0 ] || grep -q '^RESULT FAIL s390x-extmem/' "$results" ||
	printf 'PLANNED s390x-extmem/leg 1\nRESULT FAIL s390x-extmem/leg: tests/cp/extmem.sh exited %s\n' $xrc >>"$results"
tail -n 1 "$TOP/build/cp-extmem.log"
[ $rc -eq 0 ] && [ $src -eq 0 ] && [ $xrc -eq 0 ]
