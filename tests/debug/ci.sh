#!/bin/bash
# CI's second leg: `make check-debug`, the VM suite on the debug kernel
# (KASAN, lockdep, kmemleak, ...) and the built-in leg on the same tree.
# It always runs on a warm machine: the debug kernel built and cached in
# the build root for this source and config (tests/debug/build-kernel.sh
# --cached).  On a cold machine the kernel (about 10 min on CI's 2 cores)
# is built under a timeout that leaves time for the suite; only there may
# the leg be skipped, as "cold cache" (tests/accepted-skips.txt), and a
# build cut short goes on from its objects in the next run.  A warm
# machine without the time for the suite, a build that fails, or a suite
# with a failing check is a failure.
#
#   DCSSDAX_CI_DEADLINE=EPOCH-SECONDS tests/debug/ci.sh
# Leaves its checks in build/results-debug.txt (when skipped, one
# "RESULT SKIP" line with the reason, which .ci/run's closing line counts).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../env/common.sh"

deadline=${DCSSDAX_CI_DEADLINE:?seconds since the epoch by which CI must be done}
# The debug suite with its module and initramfs builds (1155 s in the VM
# and about 70 s of builds, measured 2026-12-07), and the built-in leg
# (tests/check.sh's builtin_seconds); figures in build/figures-debug.txt.
suite_seconds=${DCSSDAX_CI_SUITE_SECONDS:-2100}
results=${DCSSDAX_CI_RESULTS:-$TOP/build/results-debug.txt}
# The harness's self-tests stand in for the kernel build (a warm or a
# cold machine) and for make check-debug.
build_kernel=${DCSSDAX_CI_BUILD_KERNEL:-$here/build-kernel.sh}
check_debug=${DCSSDAX_CI_CHECK_DEBUG:-make -C $TOP check-debug}
mkdir -p "$TOP/build"
rm -f "$results"

left() { echo $(( deadline - $(date +%s) )); }

# skip REASON: the debug leg did not run; the closing line counts it, and
# .ci/run fails it unless tests/accepted-skips.txt accepts the reason.
skip() {
	log "check-debug skipped: $1"
	{ echo "PLANNED x86_64-debug/check-debug 1"
	  echo "RESULT SKIP x86_64-debug/check-debug: $1"; } >"$results"
	exit 0
}
fail() {
	log "check-debug: $1"
	{ echo "PLANNED x86_64-debug/check-debug 1"
	  echo "RESULT FAIL x86_64-debug/check-debug: $1"; } >"$results"
	exit 1
}

if "$build_kernel" --cached >/dev/null 2>&1; then
	warm=1
	log "check-debug: the debug kernel is cached (a warm machine): the leg runs"
	[ "$(left)" -gt "$suite_seconds" ] ||
		fail "a warm machine with $(left) s left before CI's deadline, and the suite needs $suite_seconds: the legs before it broke the budget"
else
	warm=
	[ "$(left)" -gt "$suite_seconds" ] ||
		skip "cold cache: $(left) s left before CI's deadline, the suite needs $suite_seconds and the kernel must be built first"
	build_limit=$(( $(left) - suite_seconds ))
	log "check-debug: building the debug kernel (a cold machine: at most $build_limit s)"
	start=$(date +%s)
	timeout -k 30 "$build_limit" "$build_kernel" >/dev/null
	rc=$?
	mkdir -p "$LEGS"
	echo "debug-kernel-cold-build $(( $(date +%s) - start ))" >>"$LEGS/times.txt"
	case $rc in
	0)	log "check-debug: debug kernel ready after $(( $(date +%s) - start )) s" ;;
	124|137)
		skip "cold cache: the kernel build was stopped after $build_limit s to stay inside CI's time; the next run continues it" ;;
	*)
		log "check-debug: building the debug kernel failed (exit $rc)"
		{ echo "PLANNED x86_64-debug/debug-kernel-built 1"
		  echo "RESULT FAIL x86_64-debug/debug-kernel-built"; } >"$results"
		exit 1 ;;
	esac
fi

# The guest gets what is left, less time to collect its results; the
# built-in leg (tests/check.sh) knows whether the machine was warm.
DCSSDAX_CI_WARM=$warm DCSSDAX_VM_LIMIT=$(( $(left) - 120 )) $check_debug
