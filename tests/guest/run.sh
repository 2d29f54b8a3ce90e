#!/bin/sh
# Run the test groups t/*.sh matching $1 ("all" or a shell pattern such
# as "05-*").  Each group runs in its own shell with the driver freshly
# loaded; it states its number of checks (plan N) and every check
# reports "RESULT PASS|FAIL group/check" (lib.sh) on the results port.
# A group that stops before its end (exit, a killed shell) fails
# GROUP/completed.  After each group the kernel log is scanned for
# splats: any is a failure (GROUP/dmesg-clean).
# After the last group (with the module unloaded) and after group 99's
# final rmmod the log is scanned once more (unload/dmesg-clean,
# final/dmesg-clean): nothing the kernel reports goes unseen.
# dcssdax.broken=early|panic|prefix|late on the kernel command line first
# runs the harness's self-test group 00-broken (broken.sh); late also
# puts a WARNING in the log after the last group.
cd "${DCSSDAX_TESTS:-/tests}" || exit 1
. ./lib.sh
pattern=$1
[ "$pattern" = all ] && pattern='*'
emit "SUITE START $(uname -r) $(uname -m)"
dmesg -c >/tmp/dmesg.boot
scan_dmesg boot /tmp/dmesg.boot
kmemleak start
broken=$(sed -n 's/.*dcssdax\.broken=\([a-z]*\).*/\1/p' /proc/cmdline)
# run_group FILE: one group, with the driver freshly loaded (the
# built-in driver's group: as the boot left it).
run_group() {
	GROUP=$(basename "$1" .sh)
	[ "$1" = broken.sh ] && GROUP=00-broken
	[ "$1" = builtin.sh ] && GROUP=00-builtin
	echo "=== $GROUP"
	emit "GROUP $GROUP"
	t0=$(uptime_cs)
	[ "$1" = builtin.sh ] || reset_state
	rm -f /tmp/completed
	(BROKEN=$broken; . "$TESTS/$1"; : >/tmp/completed)
	rc=$?
	[ -e /tmp/completed ] ||
		fail completed "the group stopped before its end (exit status $rc)"
	stop_udevd || fail udevd-stopped "udevd still runs: $(udev_pids | tr '\n' ' ')"
	reset_state
	{ cat /tmp/dmesg.kept 2>/dev/null; dmesg -c; } >"/tmp/dmesg.$GROUP"
	rm -f /tmp/dmesg.kept
	# What the group left in the ring buffer (log_buf_len=16M): a figure
	# that shows how far the noisiest groups are from losing lines.
	emit "FIGURE $ARCH/$GROUP/kernel-log-bytes: $(wc -c <"/tmp/dmesg.$GROUP")"
	# Where the suite's time goes (make check's budget, CI's deadline).
	emit "FIGURE $ARCH/$GROUP/group-seconds: $(( ($(uptime_cs) - t0) / 100 ))"
	scan_dmesg "$GROUP" "/tmp/dmesg.$GROUP"
}
# Lockdown cannot be lifted: its group runs last, after the kmemleak
# scan, which needs debugfs.
# $pattern may be several patterns, comma-separated.
matches() {
	local rest=$pattern p
	while :; do
		p=${rest%%,*}
		case $1 in $p) return 0 ;; esac
		[ "$rest" = "$p" ] && return 1
		rest=${rest#*,}
	done
}
groups=$(for f in t/*.sh; do
	g=$(basename "$f" .sh)
	case $f in t/99-lockdown.sh) continue ;; esac
	matches "$g" && echo "$f"
done)
[ -n "$BUILTIN" ] && groups="builtin.sh $groups"
[ -n "$broken" ] && groups="broken.sh $groups"
for f in $groups; do
	run_group "$f"
done
[ -n "$BUILTIN" ] || rmmod dcssdax
kmemleak check
# What the last group's scan could not see: the module's unload (and
# anything else since), then after group 99 the last rmmod.
[ "$broken" = late ] && echo "WARNING: CPU: 0 PID: 1 at simulated/late.c:1 (dcssdax.broken=late)" >/dev/kmsg
dmesg -c >/tmp/dmesg.unload
scan_dmesg unload /tmp/dmesg.unload
matches 99-lockdown && run_group t/99-lockdown.sh
[ -n "$BUILTIN" ] || rmmod dcssdax 2>/dev/null
dmesg -c >/tmp/dmesg.final
scan_dmesg final /tmp/dmesg.final
emit "SUITE DONE"
