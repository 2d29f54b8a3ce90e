#!/bin/bash
# dcssctl's host tests (a fake sysfs tree, see tools/tests/run.sh), their
# PASS/FAIL lines turned into RESULT lines like the rest of the suite.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/env/common.sh"

out=$TOP/build/host-tools
rm -rf "$out" && mkdir -p "$out"
cp -a "$TOP/tools/." "$out/"
if ! make -s -C "$out" clean dcssctl >"$out.log" 2>&1; then
	echo "RESULT FAIL tools/build: $(tail -n 3 "$out.log" | tr '\n' ' ')"
	exit 0
fi
echo "RESULT PASS tools/build"
# the copy is not beside tests/guest: the fake kernel is checked against it
DCSSDAX_GUEST_DIR=$TOP/tests/guest make -s -C "$out" check 2>&1 | tee "$out/check.log" |
	sed -n 's/^\(PASS\|FAIL\) \(.*\)$/RESULT \1 tools\/\2/p'
grep -qE '^[0-9]+ passed, 0 failed$' "$out/check.log" ||
	echo "RESULT FAIL tools/summary: $(tail -n 1 "$out/check.log")"
