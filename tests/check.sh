#!/bin/bash
# The test suite: host-side checks, then the VM suite per architecture.
# Ends with the line "N passed, N failed" counting every check.
# With DCSSDAX_DEBUG=1 (make check-debug): the VM suite alone, on the
# x86_64 debug kernel (KASAN, lockdep, kmemleak, ...), which is built
# first if it is not cached.
#
#   tests/check.sh [GROUP-PATTERN]     e.g. tests/check.sh '05-*'
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/env/common.sh"

pattern=${1:-all}
glob=$pattern
[ "$glob" = all ] && glob='*'
arches=${DCSSDAX_ARCHES:-x86_64 s390x}
results=$TOP/build/results$FLAVOUR.txt
mkdir -p "$TOP/build"
: >"$results"
: >"$TOP/build/figures$FLAVOUR.txt"

record() { echo "RESULT $1 $2" >>"$results"; echo "RESULT $1 $2"; }

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
else
	log "=== lint: checkpatch --strict, sparse"
	"$here/lint.sh" | tee -a "$results"
	log "=== dcssctl host tests"
	"$here/tools.sh" | tee -a "$results"
	log "=== host tools: the list is complete, and installs in a minbase root"
	"$here/host-tools.sh" | tee -a "$results"
	log "=== harness self-tests: broken groups, plans, the closing line"
	"$here/harness-selftest.sh" | tee -a "$results"
	log "=== packaging: make deb, lintian, make rpm, DKMS, install and purge"
	"$here/packaging.sh" | tee -a "$results"
	log "=== kernel patch: applies, checkpatch, kernel-doc, built in"
	"$here/kernel-patch.sh" | tee -a "$results"
fi

for arch in $arches; do
	label=$arch$FLAVOUR
	log "=== $label: build"
	if ! "$here/env/build.sh" "$arch"; then
		record FAIL "$label/build"
		continue
	fi
	record PASS "$label/build"
	log "=== $label: VM suite '$pattern'"
	console=$TOP/build/$label/console.log
	start=$(date +%s)
	# The debug kernel runs the same suite several times slower;
	# DCSSDAX_VM_LIMIT: what CI has left (tests/debug/ci.sh).
	limit=${DCSSDAX_VM_LIMIT:-${DCSSDAX_DEBUG:+5400}}
	"$here/vm/run.sh" "$arch" "$pattern" ${limit:+"$limit"} >"$console" 2>&1
	rc=$?
	log "$label: VM ran $(( $(date +%s) - start )) s (exit $rc), console in $console"
	echo "FIGURE $label/vm-seconds: $(( $(date +%s) - start ))" >>"$TOP/build/figures$FLAVOUR.txt"
	# The results come from the guest's results port, never the console.
	guest_results=$TOP/build/$label/guest-results.txt
	tr -d '\r' <"$guest_results" | grep '^FIGURE ' >>"$TOP/build/figures$FLAVOUR.txt"
	# Every group the guest was to run; the broken self-test group first.
	groups=$(for f in "$here"/guest/t/*.sh; do
		g=$(basename "$f" .sh)
		case $g in $glob) echo "$g" ;; esac
	done)
	[ -n "${DCSSDAX_BROKEN:-}" ] && groups="00-broken $groups"
	log "$label: checks per group (planned, reported)"
	"$here/env/evaluate.sh" "$label/" "$guest_results" "SUITE DONE" \
		suite-completed $groups | tee -a "$results"
	tr -d '\r' <"$guest_results" | grep -qx 'SUITE DONE' ||
		guest_finished "$console" "SUITE DONE" "$label" || true
	if [ "$label" = x86_64 ] && [ "$pattern" = all ]; then
		log "=== x86_64: boot test (systemd, dcssdax-apply.service, fstab)"
		"$here/boot/run.sh" | tee -a "$results"
	fi
	if [ "$label" = x86_64 ] && { [ "$pattern" = all ] || [ "$pattern" = share ]; }; then
		log "=== x86_64: many guests, one copy (tests/share)"
		"$here/share/run.sh" | tee -a "$results"
	fi
done

grep '^RESULT FAIL' "$results" >&2 || true
summarize "$results"
