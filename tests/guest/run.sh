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
run_group() {
	GROUP=$(basename "$1" .sh)
	case $GROUP in $pattern) ;; *) return ;; esac
	echo "=== $GROUP"
	reset_state
	(. "/tests/$1")
	reset_state
	{ cat /tmp/dmesg.kept 2>/dev/null; dmesg -c; } >"/tmp/dmesg.$GROUP"
	rm -f /tmp/dmesg.kept
	scan_dmesg "$GROUP" "/tmp/dmesg.$GROUP"
}
for f in t/*.sh; do
	case $f in t/99-lockdown.sh) continue ;; esac
	run_group "$f"
done
rmmod dcssdax
kmemleak check
# Lockdown cannot be lifted: last, after the kmemleak scan, which needs
# debugfs.
run_group t/99-lockdown.sh
rmmod dcssdax 2>/dev/null
echo "SUITE DONE"
