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
	log "=== packaging: make deb, lintian, make rpm, DKMS, install and purge"
	"$here/packaging.sh" | tee -a "$results"
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
	tr -d '\r' <"$console" | grep '^FIGURE ' >>"$TOP/build/figures$FLAVOUR.txt"
	tr -d '\r' <"$console" | grep '^RESULT ' |
		sed "s|^RESULT \(PASS\|FAIL\) |RESULT \1 $label/|" | tee -a "$results"
	if [ "$label" = x86_64 ] && [ "$pattern" = all ]; then
		log "=== x86_64: boot test (systemd, dcssdax-apply.service, fstab)"
		"$here/boot/run.sh" | tee -a "$results"
	fi
	if ! tr -d '\r' <"$console" | grep -q '^SUITE DONE'; then
		record FAIL "$label/suite-completed"
		log "$label: the guest did not finish; last console lines:"
		tail -n 40 "$console" >&2
	fi
done

grep '^RESULT FAIL' "$results" >&2 || true
summarize "$results"
