#!/bin/bash
# CI's second leg: `make check-debug` when it fits before the deadline.
# The debug kernel takes ~35 min to build from scratch on CI's 2 cores and
# its suite ~20 min, on top of `make check`; CI gives 90 min in all.  So the
# build runs under a timeout that leaves time for the suite; a build cut
# short is not a failure: its objects stay in the build root under
# /var/cache and the next run on the machine goes on from there.  A build
# that fails, or a suite with a failing check, is a failure.
#
#   DCSSDAX_CI_DEADLINE=EPOCH-SECONDS tests/debug/ci.sh
# Leaves its checks in build/results-debug.txt (when skipped, one
# "RESULT SKIP" line with the reason, which .ci/run's closing line counts).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../env/common.sh"

deadline=${DCSSDAX_CI_DEADLINE:?seconds since the epoch by which CI must be done}
# The suite ran 1217 s here plus ~60 s of module and initramfs builds.
suite_seconds=${DCSSDAX_CI_SUITE_SECONDS:-1800}
results=$TOP/build/results-debug.txt
mkdir -p "$TOP/build"
rm -f "$results"

left() { echo $(( deadline - $(date +%s) )); }

# skip REASON: the debug leg did not run; the closing line counts it.
skip() {
	log "check-debug skipped: $1"
	echo "RESULT SKIP x86_64-debug/check-debug: $1" >"$results"
	exit 0
}

if [ "$(left)" -le "$suite_seconds" ]; then
	skip "$(left) s left before CI's deadline, the suite needs $suite_seconds"
fi

build_limit=$(( $(left) - suite_seconds ))
log "check-debug: building the debug kernel (at most $build_limit s)"
start=$(date +%s)
timeout -k 30 "$build_limit" "$here/build-kernel.sh" >/dev/null
rc=$?
case $rc in
0)	log "check-debug: debug kernel ready after $(( $(date +%s) - start )) s" ;;
124|137)
	skip "the kernel build was stopped after $build_limit s to stay inside CI's time; the next run continues it" ;;
*)
	log "check-debug: building the debug kernel failed (exit $rc)"
	echo "RESULT FAIL x86_64-debug/debug-kernel-built" >"$results"
	exit 1 ;;
esac

# The guest gets what is left, less time to collect its results.
DCSSDAX_VM_LIMIT=$(( $(left) - 120 )) make -C "$TOP" check-debug
