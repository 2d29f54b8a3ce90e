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
# dcssdax.broken=early|panic|prefix|late|hang on the kernel command line
# first runs the harness's self-test group 00-broken (broken.sh); late
# also puts a WARNING in the log after the last group.
# A watchdog ends a group that runs past its time limit (a check that
# never returns): GROUP/watchdog fails naming the check it hung in, the
# group's processes are killed, and the next groups run.  The limit:
# WATCHDOG_SECONDS, or the group's own "# watchdog: SECONDS" line, or
# dcssdax.watchdog=SECONDS on the command line for every group; three
# times that on the debug kernels (KASAN, lockdep).
cd "${DCSSDAX_TESTS:-/tests}" || exit 1
. ./lib.sh
pattern=$1
[ "$pattern" = all ] && pattern='*'
emit "SUITE START $(uname -r) $(uname -m)"
dmesg -c >/tmp/dmesg.boot
scan_dmesg boot /tmp/dmesg.boot
kmemleak start
# DCSSDAX_CMDLINE: the host's self-test gives its own command line.
cmdline=${DCSSDAX_CMDLINE:-/proc/cmdline}
broken=$(sed -n 's/.*dcssdax\.broken=\([a-z]*\).*/\1/p' "$cmdline")
# The slowest groups (15-hostile: 265 s on x86_64 at a host load of 7,
# 213 s on s390x; 16-concurrency: 146 s) set 900 s of their own; the
# others took 65 s at most (2026-12-07).
WATCHDOG_SECONDS=600
watchdog_all=$(sed -n 's/.*dcssdax\.watchdog=\([0-9]*\).*/\1/p' "$cmdline")
case $(uname -r) in *-dcssdax-debug|*-dcssdax-builtin) watchdog_factor=3 ;; *) watchdog_factor=1 ;; esac
# group_limit FILE: the group's time limit in seconds.
group_limit() {
	local own
	own=$(sed -n 's/^# watchdog: *\([0-9][0-9]*\).*/\1/p' "$TESTS/$1" | head -n 1)
	echo $(( ${watchdog_all:-${own:-$WATCHDOG_SECONDS}} * watchdog_factor ))
}
# watchdog SECONDS PID: signal PID (USR1) after SECONDS, unless stopped
# first (TERM, which ends its sleep too).
watchdog() {
	trap 'kill $s 2>/dev/null; exit 0' TERM
	sleep "$1" &
	s=$!
	wait $s && kill -USR1 "$2"
}
# The check a group is in (or the last it made): lib.sh's check, check_not
# and measure write "in NAME", pass and fail "after NAME".
CHECK_STATE=/tmp/check.state
trap 'fired=1' USR1
# The groups run in the background (to be watched): their standard input
# is the shell's, not the /dev/null of an asynchronous list.
exec 8<&0
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
	rm -f /tmp/completed "$CHECK_STATE"
	limit=$(group_limit "$1")
	fired=
	(exec 8<&-; BROKEN=$broken; . "$TESTS/$1"; : >/tmp/completed) 0<&8 &
	gpid=$!
	(watchdog "$limit" $$) &
	wpid=$!
	wait $gpid
	rc=$?
	# (A watchdog that fired as the group ended does not count.)
	if [ -n "$fired" ] && [ ! -e /tmp/completed ]; then
		state=$(cat "$CHECK_STATE" 2>/dev/null)
		case $state in
		"in "*) state="hung in check '${state#in }'" ;;
		"after "*) state="hung after check '${state#after }'" ;;
		*) state="hung before its first check" ;;
		esac
		pids=$(proc_tree $gpid)
		fail watchdog "the group ran past its time limit of $limit s, $state; its processes killed: $(echo $pids)"
		kill -KILL $pids 2>/dev/null
		# A process in the kernel (D state) may not die: then the group
		# is left behind after 30 s more, and the next groups run.
		fired=
		(watchdog 30 $$) &
		wpid=$!
		wait $gpid
		rc=$?
		[ -z "$fired" ] || fail watchdog-killed "the group's processes did not end within 30 s of SIGKILL: $(for p in $(proc_tree $gpid); do echo "$p:$(cat /proc/$p/wchan 2>/dev/null)"; done | tr '\n' ' ')"
	fi
	kill $wpid 2>/dev/null
	wait $wpid 2>/dev/null
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
