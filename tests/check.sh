#!/bin/bash
# The test suite: host-side checks, then the VM suite per architecture,
# then the s390x legs on the emulated CP (unless DCSSDAX_CP=later: .ci/run
# runs them after the debug leg).  Ends with the line "N passed, N
# failed" counting every check.
# With DCSSDAX_DEBUG=1 (make check-debug): the VM suite alone, on the
# x86_64 debug kernel (KASAN, lockdep, kmemleak, ...), which is built
# first if it is not cached; then, on the same kernel with the driver
# built in (tests/builtin/), the groups that make sense for it.
#
#   tests/check.sh [GROUP-PATTERN]     e.g. tests/check.sh '05-*'
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/env/common.sh"

pattern=${1:-all}
arches=${DCSSDAX_ARCHES:-x86_64 s390x}
results=$TOP/build/results$FLAVOUR.txt
mkdir -p "$TOP/build"
# The legs' wall times (build/legs/times.txt): make check's from its
# start, check-debug's added to them.
[ -n "${DCSSDAX_DEBUG:-}" ] || rm -f "$LEGS/times.txt"
: >"$results"
: >"$TOP/build/figures$FLAVOUR.txt"

# record STATUS NAME[: MESSAGE]: one check of the harness's own, with
# its plan for the closing line (summarize: PLANNED lines).
record() {
	echo "PLANNED ${2%%:*} 1" >>"$results"
	echo "RESULT $1 $2" >>"$results"
	echo "RESULT $1 $2"
}

if [ -n "${DCSSDAX_DEBUG:-}" ]; then
	arches=x86_64
	log "=== debug kernel"
	start=$(date +%s)
	if "$here/debug/build-kernel.sh" >/dev/null; then
		record PASS "debug-kernel-built"
	else
		record FAIL "debug-kernel-built"
		arches=
	fi
	echo "FIGURE debug-kernel-seconds: $(( $(date +%s) - start ))" >>"$TOP/build/figures$FLAVOUR.txt"
	mkdir -p "$LEGS"
	echo "debug-kernel $(( $(date +%s) - start ))" >>"$LEGS/times.txt"
else
	# Each host leg with its plan, end marker and exit status
	# (host_leg, tests/env/common.sh).
	log "=== lint: checkpatch --strict, sparse"
	host_leg "$results" lint "$here/lint.sh"
	log "=== dcssctl host tests"
	host_leg "$results" tools "$here/tools.sh"
	log "=== host tools: the list is complete, and installs in a minbase root"
	host_leg "$results" host-tools "$here/host-tools.sh"
	log "=== harness self-tests: broken groups, plans, the closing line"
	host_leg "$results" harness "$here/harness-selftest.sh"
	log "=== packaging: make deb, lintian, make rpm, DKMS, install and purge"
	host_leg "$results" packaging "$here/packaging.sh"
	log "=== kernel patch: applies, checkpatch, kernel-doc, built in"
	host_leg "$results" kernel-patch "$here/kernel-patch.sh"
fi

# The debug kernel with the driver built in, booted with its parameters
# on the command line: the groups that need no module to load or unload
# (00-builtin, the boot's own devices, first).
BUILTIN_GROUPS='0[245-9]-*,1[049]-*,21-*'
# Under CI's deadline (tests/debug/ci.sh) its time is kept free: 43 s
# to build and 360 s in the VM (measured 2026-12-07), and a margin; on a
# warm machine it always runs, on a cold one it may be skipped as "cold
# cache".
builtin_seconds=${DCSSDAX_BUILTIN_SECONDS:-600}

# in_pattern GROUP PATTERN: PATTERN is one shell pattern or several,
# comma-separated (as tests/guest/run.sh reads it).
in_pattern() {
	local p
	local IFS=,
	set -f
	for p in $2; do
		case $1 in $p) set +f; return 0 ;; esac
	done
	set +f
	return 1
}

# vm_suite ARCH PATTERN: build, boot and evaluate the VM suite of one
# kernel ($FLAVOUR's) and architecture.
vm_suite() {
	local arch=$1 pattern=$2 label=$1$FLAVOUR console start rc limit
	local guest_results groups glob=$2
	[ "$glob" = all ] && glob='*'
	log "=== $label: build"
	if ! "$here/env/build.sh" "$arch"; then
		record FAIL "$label/build"
		return
	fi
	record PASS "$label/build"
	log "=== $label: VM suite '$pattern'"
	console=$TOP/build/$label/console.log
	start=$(date +%s)
	# The debug kernel runs the same suite several times slower;
	# DCSSDAX_VM_LIMIT: what CI has left (tests/debug/ci.sh).  Under CI's
	# deadline, from what is left when the VM starts, less the built-in
	# leg's time after the debug suite.
	limit=${DCSSDAX_VM_LIMIT:-${DCSSDAX_DEBUG:+5400}}
	if [ -n "${DCSSDAX_CI_DEADLINE:-}" ]; then
		local keep=60
		[ "$label" != x86_64-debug ] || keep=$(( keep + builtin_seconds ))
		limit=$(ci_limit "${limit:-86400}" "$keep")
	fi
	"$here/vm/run.sh" "$arch" "$pattern" ${limit:+"$limit"} >"$console" 2>&1
	rc=$?
	log "$label: VM ran $(( $(date +%s) - start )) s (exit $rc), console in $console"
	mkdir -p "$LEGS"
	echo "$label-vm $(( $(date +%s) - start ))" >>"$LEGS/times.txt"
	echo "FIGURE $label/vm-seconds: $(( $(date +%s) - start ))" >>"$TOP/build/figures$FLAVOUR.txt"
	# The results come from the guest's results port, never the console.
	guest_results=$TOP/build/$label/guest-results.txt
	tr -d '\r' <"$guest_results" | grep '^FIGURE ' >>"$TOP/build/figures$FLAVOUR.txt"
	# Every group the guest was to run; the self-test groups first.
	groups=$(for f in "$here"/guest/t/*.sh; do
		g=$(basename "$f" .sh)
		in_pattern "$g" "$glob" && echo "$g"
	done)
	[ -n "${DCSSDAX_BUILTIN:-}" ] && groups="00-builtin $groups"
	[ -n "${DCSSDAX_BROKEN:-}" ] && groups="00-broken $groups"
	log "$label: checks per group (planned, reported)"
	STOP_CAUSE=$(stop_cause "$console" "$rc") \
		"$here/env/evaluate.sh" "$label/" "$guest_results" "SUITE DONE" \
		suite-completed $groups | tee -a "$results" | grep -v '^PLANNED '
	[ "${PIPESTATUS[0]}" -eq 0 ] || record FAIL "$label/evaluated: tests/env/evaluate.sh failed"
	tr -d '\r' <"$guest_results" | grep -x -- 'SUITE DONE' >/dev/null ||
		guest_finished "$console" "SUITE DONE" "$label" || true
}

for arch in $arches; do
	vm_suite "$arch" "$pattern"
	if [ "$arch$FLAVOUR" = x86_64 ] && [ "$pattern" = all ]; then
		log "=== x86_64: boot test (systemd, dcssdax-apply.service, fstab)"
		host_leg "$results" x86_64-boot "$here/boot/run.sh"
	fi
	if [ "$arch$FLAVOUR" = x86_64 ] && { [ "$pattern" = all ] || [ "$pattern" = share ]; }; then
		log "=== x86_64: many guests, one copy (tests/share)"
		host_leg "$results" x86_64-share "$here/share/run.sh"
	fi
done

left=
[ -z "${DCSSDAX_CI_DEADLINE:-}" ] || left=$(( DCSSDAX_CI_DEADLINE - $(date +%s) ))
if [ -z "${DCSSDAX_DEBUG:-}" ] || [ -z "$arches" ] || [ "$pattern" != all ]; then
	:
elif [ -n "$left" ] && [ "$left" -lt "$builtin_seconds" ] && [ -n "${DCSSDAX_CI_WARM:-}" ]; then
	# On a warm machine the leg always runs (tests/debug/ci.sh).
	record FAIL "x86_64-builtin: a warm machine with $left s left before CI's deadline, the built-in kernel's leg needs $builtin_seconds: the legs before it broke the budget"
elif [ -n "$left" ] && [ "$left" -lt "$builtin_seconds" ]; then
	record SKIP "x86_64-builtin: cold cache: $left s left before CI's deadline after building the debug kernel, the built-in kernel's leg needs $builtin_seconds"
else
	log "=== x86_64-builtin: the driver built into the kernel"
	start=$(date +%s)
	if "$here/builtin/build-kernel.sh" >"$TOP/build/builtin-kernel.log" 2>&1; then
		record PASS "builtin-kernel-built"
		echo "FIGURE builtin-kernel-seconds: $(( $(date +%s) - start ))" >>"$TOP/build/figures$FLAVOUR.txt"
		echo "builtin-kernel $(( $(date +%s) - start ))" >>"$LEGS/times.txt"
		[ -z "$left" ] || export DCSSDAX_VM_LIMIT=$(( DCSSDAX_CI_DEADLINE - $(date +%s) - 60 ))
		(export DCSSDAX_BUILTIN=1; FLAVOUR=-builtin
		 vm_suite x86_64 "$BUILTIN_GROUPS")
	else
		record FAIL "builtin-kernel-built: $(tail -n 3 "$TOP/build/builtin-kernel.log" | tr '\n' ' ')"
	fi
fi

# The s390x legs on the emulated CP (tests/cp/ci.sh: the CP itself,
# s390x guests sharing, the VM suite on extmem), last: with no CI
# deadline they run whatever QEMU's build takes.  CI (.ci/run) runs them
# after the debug leg instead (DCSSDAX_CP=later), so that on a cold
# machine the debug kernel's build comes first.
cp_results=
if [ -z "${DCSSDAX_DEBUG:-}" ] && [ "$pattern" = all ] &&
   [[ " $arches " == *" s390x "* ]] && [ "${DCSSDAX_CP:-}" != later ]; then
	log "=== s390x: the emulated CP, sharing through it, the VM suite on extmem"
	DCSSDAX_CI_DEADLINE=${DCSSDAX_CI_DEADLINE:-$(( $(date +%s) + 4 * 3600 ))} \
		"$here/cp/ci.sh"
	cp_results=$TOP/build/results-cp.txt
fi

cat "$results" $cp_results | grep '^RESULT FAIL' >&2 || true
summarize "$results" $cp_results
