#!/bin/bash
# The test suite: host-side checks, then the VM suite per architecture.
# Ends with the line "N passed, N failed" counting every check.
#
#   tests/check.sh [GROUP-PATTERN]     e.g. tests/check.sh '05-*'
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/env/common.sh"

pattern=${1:-all}
arches=${DCSSDAX_ARCHES:-x86_64 s390x}
results=$TOP/build/results.txt
mkdir -p "$TOP/build"
: >"$results"
: >"$TOP/build/figures.txt"

record() { echo "RESULT $1 $2" >>"$results"; echo "RESULT $1 $2"; }

log "=== lint: checkpatch --strict, sparse"
"$here/lint.sh" | tee -a "$results"
log "=== dcssctl host tests"
"$here/tools.sh" | tee -a "$results"

for arch in $arches; do
	log "=== $arch: build"
	if ! "$here/env/build.sh" "$arch"; then
		record FAIL "$arch/build"
		continue
	fi
	record PASS "$arch/build"
	log "=== $arch: VM suite '$pattern'"
	console=$TOP/build/$arch/console.log
	start=$(date +%s)
	"$here/vm/run.sh" "$arch" "$pattern" >"$console" 2>&1
	rc=$?
	log "$arch: VM ran $(( $(date +%s) - start )) s (exit $rc), console in $console"
	echo "FIGURE $arch/vm-seconds: $(( $(date +%s) - start ))" >>"$TOP/build/figures.txt"
	tr -d '\r' <"$console" | grep '^FIGURE ' >>"$TOP/build/figures.txt"
	tr -d '\r' <"$console" | grep '^RESULT ' |
		sed "s|^RESULT \(PASS\|FAIL\) |RESULT \1 $arch/|" | tee -a "$results"
	if [ "$arch" = x86_64 ] && [ "$pattern" = all ]; then
		log "=== x86_64: boot test (systemd, dcssdax-apply.service, fstab)"
		"$here/boot/run.sh" | tee -a "$results"
	fi
	if ! tr -d '\r' <"$console" | grep -q '^SUITE DONE'; then
		record FAIL "$arch/suite-completed"
		log "$arch: the guest did not finish; last console lines:"
		tail -n 40 "$console" >&2
	fi
done

grep '^RESULT FAIL' "$results" >&2 || true
passed=$(grep -c '^RESULT PASS' "$results")
failed=$(grep -c '^RESULT FAIL' "$results")
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
