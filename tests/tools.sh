#!/bin/bash
# dcssctl's host tests (a fake sysfs tree, see tools/tests/run.sh), their
# PASS/FAIL lines turned into RESULT lines like the rest of the suite.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/env/common.sh"
leg_plan tools 2

out=$TOP/build/host-tools
rm -rf "$out" && mkdir -p "$out"
cp -a "$TOP/tools/." "$out/"
if ! make -s -C "$out" clean dcssctl >"$out.log" 2>&1; then
	echo "RESULT FAIL tools/build: $(tail -n 3 "$out.log" | tr '\n' ' ')"
	exit 0
fi
echo "RESULT PASS tools/build"
# the copy is not beside tests/guest: the fake kernel is checked against it
DCSSDAX_GUEST_DIR=$TOP/tests/guest make -s -C "$out" check >"$out/check.log" 2>&1
# Its checks, which its own closing line accounts for (tools/summary).
forward sed -n 's/^\(PASS\|FAIL\) \(.*\)$/RESULT \1 tools\/\2/p' "$out/check.log"
n=$(grep -cE '^(PASS|FAIL) ' "$out/check.log")
if grep -qxE "$n passed, 0 failed" "$out/check.log" && [ "$n" -gt 0 ]; then
	echo "RESULT PASS tools/summary"
else
	echo "RESULT FAIL tools/summary: $n checks, closing line '$(tail -n 1 "$out/check.log")'"
fi
leg_end tools
