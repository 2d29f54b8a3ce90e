#!/bin/bash
# Kernel-style checks of the driver, run in the build root: checkpatch.pl
# --strict from the kernel's source package, and sparse through kbuild
# (C=2).  Prints RESULT lines like the VM suite.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/env/common.sh"
leg_plan lint 4

kver=$(kver_amd64)
out=$TOP/build/lint
rm -rf "$out" && mkdir -p "$out/src"
cp "$TOP"/drivers/dcssdax/* "$out/src/"

# --terse prints one "file:line: TYPE: ..." line per finding.  A planted
# finding proves checkpatch really ran on the files.
printf 'int x(void) {\n\treturn 0;\n}\n' >"$out/src/zz_canary.c"
inroot sh -c 'cd /src/build/lint/src && perl /usr/src/linux-scripts/scripts/checkpatch.pl \
	--strict --no-tree --terse --show-types -f *' >"$out/checkpatch.log" 2>&1
rm -f "$out/src/zz_canary.c"
findings=$(grep -E ': (ERROR|WARNING|CHECK):' "$out/checkpatch.log" | grep -v '^zz_canary.c:')
if ! grep -q '^zz_canary.c:.*ERROR' "$out/checkpatch.log"; then
	echo "RESULT FAIL lint/checkpatch-strict: checkpatch did not run"
elif [ -n "$findings" ]; then
	echo "RESULT FAIL lint/checkpatch-strict: $(echo "$findings" | head -n 3 | tr '\n' ' ')"
else
	echo "RESULT PASS lint/checkpatch-strict"
fi

inroot make -C /src/build/lint/src KDIR="/usr/src/linux-headers-$kver" EMULATE=1 TEST=1 \
	sparse >"$out/sparse.log" 2>&1
if grep -q 'not available or not up to date' "$out/sparse.log"; then
	echo "RESULT FAIL lint/sparse: sparse did not run"
elif grep -E '(warning|error):' "$out/sparse.log" >/dev/null; then
	echo "RESULT FAIL lint/sparse: $(grep -E '(warning|error):' "$out/sparse.log" | head -n 3 | tr '\n' ' ')"
elif ! grep -q 'CHECK ' "$out/sparse.log"; then
	echo "RESULT FAIL lint/sparse: no file was checked"
else
	echo "RESULT PASS lint/sparse"
fi

# The kernel's coccinelle scripts, as `make coccicheck MODE=report
# M=drivers/dcssdax` runs them: each script that has a report mode, with
# the options its header names.  Scripts whose rules are OCaml need an
# OCaml compiler the root does not have; they are named, not run.  A
# planted finding (a list iterator used after its loop) proves spatch
# really ran.
cat >"$out/src/zz_canary.c" <<'C'
#include <linux/list.h>
struct zz { struct list_head node; int v; };
int zz_canary(struct list_head *head)
{
	struct zz *p;

	list_for_each_entry(p, head, node)
		if (p->v)
			break;
	return p->v;
}
C
inroot sh -c 'cd /src/build/lint && for f in $(find /usr/src/linux-scripts/scripts/coccinelle -name "*.cocci" | sort); do
	grep -q "^virtual report" "$f" || continue
	if grep -q "^@script:ocaml" "$f"; then echo "skipped (OCaml rules): $f"; continue; fi
	spatch -D report --very-quiet --no-show-diff --cocci-file "$f" \
		$(sed -n "s|^// Options: ||p" "$f") --dir src 2>&1
done' >"$out/coccicheck.log" 2>&1
rm -f "$out/src/zz_canary.c"
findings=$(grep -E '^src/[^ ]+\.[ch]:[0-9]+' "$out/coccicheck.log" | grep -v '^src/zz_canary.c:')
if ! grep -q '^src/zz_canary.c:.*iterator' "$out/coccicheck.log"; then
	echo "RESULT FAIL lint/coccicheck: spatch did not run (or missed the planted finding): $(head -c 300 "$out/coccicheck.log")"
elif [ -n "$findings" ]; then
	echo "RESULT FAIL lint/coccicheck: $(echo "$findings" | head -n 3 | tr '\n' ' ')"
else
	echo "RESULT PASS lint/coccicheck"
fi

# The build DKMS and most users run: make -C <headers> M=<dir>, no options
# (no emulation, no test points) must build the module without warnings.
rm -rf "$out/plain" && mkdir -p "$out/plain"
cp "$TOP"/drivers/dcssdax/*.[ch] "$TOP"/drivers/dcssdax/Kbuild "$out/plain/"
if ! inroot make -C "/usr/src/linux-headers-$kver" M=/src/build/lint/plain \
	modules >"$out/plain.log" 2>&1; then
	echo "RESULT FAIL lint/build-plain: $(grep -E 'error' "$out/plain.log" | head -n 2 | tr '\n' ' ')"
elif grep -q 'warning:' "$out/plain.log" || [ ! -f "$out/plain/dcssdax.ko" ]; then
	echo "RESULT FAIL lint/build-plain: $(grep -E 'warning:' "$out/plain.log" | head -n 2 | tr '\n' ' ')"
elif inroot modinfo -F parm /src/build/lint/plain/dcssdax.ko | grep -q '^test_pause:'; then
	echo "RESULT FAIL lint/build-plain: the plain build has the test points"
else
	echo "RESULT PASS lint/build-plain"
fi
leg_end lint
