#!/bin/sh
# Run the test groups t/*.sh matching $1 ("all" or a shell pattern such
# as "05-*").  Each group runs in its own shell with the driver freshly
# loaded; every check prints "RESULT PASS|FAIL group/check".  After each
# group the kernel log is scanned for splats: any is a failure.
cd /tests
. /tests/lib.sh
pattern=$1
[ "$pattern" = all ] && pattern='*'
echo "SUITE START $(uname -r) $(uname -m)"
dmesg -c >/tmp/dmesg.boot
scan_dmesg boot /tmp/dmesg.boot
kmemleak start
for f in t/*.sh; do
	GROUP=$(basename "$f" .sh)
	case $GROUP in $pattern) ;; *) continue ;; esac
	echo "=== $GROUP"
	reset_state
	(. "/tests/$f")
	reset_state
	{ cat /tmp/dmesg.kept 2>/dev/null; dmesg -c; } >"/tmp/dmesg.$GROUP"
	rm -f /tmp/dmesg.kept
	scan_dmesg "$GROUP" "/tmp/dmesg.$GROUP"
done
rmmod dcssdax
kmemleak check
echo "SUITE DONE"
