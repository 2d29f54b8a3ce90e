#!/bin/bash
# Self-tests of the host's reading of guest results (tests/env/evaluate.sh):
# results files as the guest writes them for the broken group of
# tests/guest/broken.sh (DCSSDAX_BROKEN=early|panic|prefix) must fail,
# naming the group; a complete one must pass.  Prints RESULT lines.  The
# same modes run for real in a VM with DCSSDAX_BROKEN=MODE make check.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/env/common.sh"
leg_plan harness 22
# Not under /tmp: the test of the guest's run.sh hides /tmp.
mkdir -p "$TOP/build"
dir=$(mktemp -d -p "$TOP/build" selftest.XXXXXX)
trap 'rm -rf "$dir"' EXIT

# results MODE: what the guest reports with dcssdax.broken=MODE, then
# group 01-load (7 checks) unless the guest died.
results() {
	echo "SUITE START 7.3.4 x86_64"
	echo "RESULT PASS boot/dmesg-clean"
	echo "GROUP 00-broken"
	echo "PLAN 00-broken 3"
	echo "RESULT PASS 00-broken/first"
	case $1 in
	early) echo "RESULT FAIL 00-broken/completed: the group stopped before its end (exit status 0)" ;;
	panic) return ;;
	prefix) echo "dcssdax: simulated kernel message RESULT PASS 00-broken/second"
		echo "RESULT PASS 00-broken/third" ;;
	good) echo "RESULT PASS 00-broken/second"
		echo "RESULT PASS 00-broken/third" ;;
	esac
	echo "RESULT PASS 00-broken/dmesg-clean"
	echo "GROUP 01-load"
	echo "PLAN 01-load 7"
	for i in 1 2 3 4 5 6 7; do echo "RESULT PASS 01-load/c$i"; done
	echo "RESULT PASS 01-load/dmesg-clean"
	echo "SUITE DONE"
}

# expect MODE PATTERN...: each PATTERN (grep -E) is among the output's
# lines, and (but for good) some line fails.
expect() {
	local mode=$1 out p missing=""
	shift
	results "$mode" >"$dir/$mode.txt"
	out=$("$here/env/evaluate.sh" x86_64/ "$dir/$mode.txt" "SUITE DONE" \
		suite-completed 00-broken 01-load 2>/dev/null)
	for p in "$@"; do
		grep -qE -- "$p" <<<"$out" || missing="$missing '$p'"
	done
	if [ "$mode" != good ] && ! grep -q '^RESULT FAIL' <<<"$out"; then
		missing="$missing (no failure at all)"
	fi
	if [ "$mode" = good ] && grep -q '^RESULT FAIL' <<<"$out"; then
		missing="$missing (a failure: $(echo "$out" | grep '^RESULT FAIL' | head -n 1))"
	fi
	if [ -n "$missing" ]; then
		echo "RESULT FAIL harness/broken-$mode: missing$missing"
	else
		echo "RESULT PASS harness/broken-$mode"
	fi
}

expect early '^RESULT FAIL x86_64/00-broken/completed' \
	'^RESULT FAIL x86_64/00-broken/plan: planned 3 checks, got 1$' \
	'^RESULT PASS x86_64/01-load/plan$'
expect panic '^RESULT FAIL x86_64/00-broken/plan: planned 3 checks, got 1$' \
	'^RESULT FAIL x86_64/01-load/plan: did not run' \
	'^RESULT FAIL x86_64/suite-completed'
expect prefix '^RESULT FAIL x86_64/00-broken/results-format: a RESULT line behind other text' \
	'^RESULT FAIL x86_64/00-broken/plan: planned 3 checks, got 2$'
expect good '^RESULT PASS x86_64/00-broken/plan$' '^RESULT PASS x86_64/01-load/plan$'

# No plan at all, and a group that reports more than planned.
{ echo "GROUP 02-x"; echo "RESULT PASS 02-x/a"; echo "GROUP 03-y"; echo "PLAN 03-y 1"
  echo "RESULT PASS 03-y/a"; echo "RESULT PASS 03-y/b"; echo "SUITE DONE"; } >"$dir/plans.txt"
out=$("$here/env/evaluate.sh" x86_64/ "$dir/plans.txt" "SUITE DONE" suite-completed 02-x 03-y 2>/dev/null)
if grep -q '^RESULT FAIL x86_64/02-x/plan: no plan' <<<"$out" &&
   grep -q '^RESULT FAIL x86_64/03-y/plan: planned 1 checks, got 2$' <<<"$out"; then
	echo "RESULT PASS harness/plan-missing-or-exceeded"
else
	echo "RESULT FAIL harness/plan-missing-or-exceeded: $(echo "$out" | tr '\n' ' ')"
fi

# The closing line: "N passed, N failed" and ", N skipped" with the reason.
printf 'PLANNED a 1\nRESULT PASS a/b\n' >"$dir/r1.txt"
printf 'PLANNED x86_64-debug/check-debug 1\nRESULT SKIP x86_64-debug/check-debug: no time left\n' >"$dir/r2.txt"
out=$(summarize "$dir/r1.txt" "$dir/r2.txt")
want=$'skipped: x86_64-debug/check-debug: no time left\n1 passed, 0 failed, 1 skipped'
[ "$out" = "$want" ] && echo "RESULT PASS harness/summary-line" ||
	echo "RESULT FAIL harness/summary-line: got '$(echo "$out" | tr '\n' '|')'"

# The closing line's counts against the plans (PLANNED lines): a results
# file as tests/check.sh writes it (a host leg through host_leg, a VM
# suite through evaluate.sh, a check of its own) passes whole; with a
# group's RESULT lines lost but its plan kept, with a leg's, with a
# RESULT line no plan accounts for, or with a whole results file
# missing, the closing line fails and names what is missing.
LEGS=$dir/legs
full=$dir/ledger-full.txt
: >"$full"
leg_fwd() { leg_plan fake 1; echo "RESULT PASS fake/a"
	forward printf 'RESULT PASS fake/t1\nRESULT PASS fake/t2\n'
	forward "$here/env/evaluate.sh" x86_64- "$dir/good.txt" "SUITE DONE" fake/completed 00-broken
	leg_end fake; }
results good >"$dir/good.txt"
host_leg "$full" fake leg_fwd >/dev/null 2>&1
printf 'PLANNED x86_64/build 1\nRESULT PASS x86_64/build\n' >>"$full"
"$here/env/evaluate.sh" x86_64/ "$dir/good.txt" "SUITE DONE" suite-completed 00-broken 01-load 2>/dev/null >>"$full"
LEGS=$TOP/build/legs
grep -v '^RESULT [A-Z]* x86_64/01-load/' "$full" >"$dir/ledger-group.txt"
grep -v '^RESULT [A-Z]* fake/' "$full" >"$dir/ledger-leg.txt"
{ cat "$full"; echo "RESULT PASS x86_64/stray"; } >"$dir/ledger-stray.txt"
s_full=$(summarize "$full") && r_full=0 || r_full=$?
s_group=$(summarize "$dir/ledger-group.txt") && r_group=0 || r_group=$?
s_leg=$(summarize "$dir/ledger-leg.txt") && r_leg=0 || r_leg=$?
s_stray=$(summarize "$dir/ledger-stray.txt") && r_stray=0 || r_stray=$?
s_file=$(summarize "$full" "$dir/results-debug.txt") && r_file=0 || r_file=$?
if [ "$r_full" = 0 ] && [ "$s_full" = "34 passed, 0 failed" ] &&
   [ "$r_group" = 1 ] && grep -qx 'RESULT FAIL plans/x86_64/01-load: planned 9 checks, the results hold 0 (9 missing)' <<<"$s_group" &&
   [ "$(tail -n 1 <<<"$s_group")" = "25 passed, 1 failed" ] &&
   [ "$r_leg" = 1 ] && grep -qx 'RESULT FAIL plans/fake: planned 4 checks, the results hold 0 (4 missing)' <<<"$s_leg" &&
   [ "$r_stray" = 1 ] && grep -qx 'RESULT FAIL plans/unplanned: 1 RESULT lines that no PLANNED line accounts for: x86_64/stray' <<<"$s_stray" &&
   [ "$r_file" = 1 ] && grep -qx "RESULT FAIL plans/$dir/results-debug.txt: the results file is missing (its leg did not run or lost them)" <<<"$s_file"; then
	echo "RESULT PASS harness/closing-line-plans"
else
	echo "RESULT FAIL harness/closing-line-plans: whole $r_full '$(tr '\n' '|' <<<"$s_full")', group lost $r_group '$(tr '\n' '|' <<<"$s_group")', leg lost $r_leg '$(tr '\n' '|' <<<"$s_leg")', stray $r_stray '$(tr '\n' '|' <<<"$s_stray")', file missing $r_file '$(tr '\n' '|' <<<"$s_file")'"
fi

# The guest's search for its virtio serial ports (tests/guest/wait.sh),
# in the order the kernel makes them: the port first, its name a moment
# later.  A guest that looked once, at the start, found no results port
# and reported nothing.  Run by dash, as busybox sh would.
ports=$dir/virtio-ports
mkdir -p "$ports/vport1p1" "$ports/vport2p1"
echo dcssdax.ctl >"$ports/vport1p1/name"
(sleep 1; echo dcssdax.results >"$ports/vport2p1/name") &
namer=$!
out=$(VIRTIO_PORTS=$ports dash -c '
	. "$1"
	virtio_port dcssdax.results 0 && echo "found at once"
	virtio_port dcssdax.results 10
	virtio_port dcssdax.nothing 1 || echo "none after 1 s"' _ "$here/guest/wait.sh" 2>&1)
wait $namer
want=$'/dev/vport2p1\nnone after 1 s'
[ "$out" = "$want" ] && echo "RESULT PASS harness/virtio-port-named-late" ||
	echo "RESULT FAIL harness/virtio-port-named-late: got '$(echo "$out" | tr '\n' '|')', want '$(echo "$want" | tr '\n' '|')'"

# A guest that stops without its end marker (make demo, the boot test,
# the share and bench guests all ask guest_finished): QEMU's status is 0
# after a panic with -no-reboot, so the console is the only witness.
# guest_finished must fail, show the console's last 30 lines and say
# where the console is; the caller then exits non-zero.
{ printf 'DEMO START\r\n'; for i in $(seq 1 40); do printf 'line %d\r\n' "$i"; done
  printf 'Kernel panic - not syncing: Attempted to kill init!\r\n'; } >"$dir/panicked.log"
{ printf 'DEMO START\r\n'; printf 'DEMO END\r\n'; } >"$dir/finished.log"
err=$(guest_finished "$dir/panicked.log" "DEMO END" "make demo" 2>&1) && rc=0 || rc=$?
if [ "$rc" -ne 0 ] && grep -q "make demo: the guest stopped before 'DEMO END'" <<<"$err" &&
   grep -qF "$dir/panicked.log" <<<"$err" && grep -q '^Kernel panic' <<<"$err" &&
   grep -qx 'line 12' <<<"$err" && ! grep -qx 'line 11' <<<"$err" &&
   guest_finished "$dir/finished.log" "DEMO END" "make demo" 2>/dev/null; then
	echo "RESULT PASS harness/guest-stopped-early"
else
	echo "RESULT FAIL harness/guest-stopped-early: status $rc, said '$(echo "$err" | head -n 3 | tr '\n' '|')'"
fi

# Why it stopped, in the failing RESULT line itself (CI's excerpt keeps
# RESULT lines but may cut the console away): the time limit from
# timeout's status; else the first panic/WARNING line of the console,
# with systemd's escape sequences gone; else QEMU's status and the last
# line; evaluate.sh appends it to DONE-NAME's failure.
{ printf '\033[0;32m  OK  \033[0m] Started foo.\r\n'
  printf '[   12.5] WARNING: CPU: 1 PID: 7 at mm/memremap.c:42 bar+0x1/0x2\r\n'
  printf 'more\r\n'; printf 'Kernel panic - not syncing: panic_on_warn set ...\r\n'; } >"$dir/warned.log"
printf 'Started \033[0;1;39mfoo.service\033[0m.\r\n\r\n' >"$dir/quiet.log"
c1=$(stop_cause "$dir/warned.log" 124)
c2=$(stop_cause "$dir/warned.log" 0)
c3=$(stop_cause "$dir/quiet.log" 1)
c4=$(STOP_CAUSE=$c2 "$here/env/evaluate.sh" x86_64- /dev/null "BOOT DONE" boot/completed 2>/dev/null |
	grep '^RESULT ')
want1="stopped at its time limit (timeout, status 124)"
want2="QEMU status 0, console: '[   12.5] WARNING: CPU: 1 PID: 7 at mm/memremap.c:42 bar+0x1/0x2'"
want3="QEMU status 1, console: 'Started foo.service.'"
want4="RESULT FAIL x86_64-boot/completed: the guest stopped before 'BOOT DONE': $want2"
if [ "$c1" = "$want1" ] && [ "$c2" = "$want2" ] && [ "$c3" = "$want3" ] && [ "$c4" = "$want4" ]; then
	echo "RESULT PASS harness/stop-cause"
else
	echo "RESULT FAIL harness/stop-cause: got '$c1' '$c2' '$c3' '$c4'"
fi

# The patterns of the guest's dmesg scan (scan_dmesg) and of stop_cause:
# every kind of kernel report matches, the checkers' banners do not.
reports='WARNING: CPU: 0 PID: 1 at drivers/dcssdax/core.c:10 f+0x1/0x2
BUG: KASAN: slab-use-after-free in dcssdax_release+0x10/0x20
Oops: general protection fault, probably for non-canonical address
WARNING: possible circular locking dependency detected
BUG: sleeping function called from invalid context at mm/slab.c:1
unreferenced object 0xffff8880 (size 64): suspected memory leak
INFO: task rmmod:123 blocked for more than 10 seconds.
ODEBUG: free active (active state 0) object: 0000 object type: timer_list
list_del corruption. prev->next should be ffff8880'
banners='RCU lockdep checking is enabled.
kmemleak: Kernel memory leak detector initialized (mem pool available: 39000)
Lockdown: swapper/0: unsigned module loading is restricted
dcssdax: DCSS SEG1 is already part of device SEG1'
missed=$(echo "$reports" | grep -v -E -f "$here/guest/splat.re")
flagged=$(echo "$banners" | grep -E -f "$here/guest/splat.re")
if [ -z "$missed" ] && [ -z "$flagged" ]; then
	echo "RESULT PASS harness/splat-patterns"
else
	echo "RESULT FAIL harness/splat-patterns: missed '$(printf '%s' "$missed" | tr '\n' '|')', flagged '$(printf '%s' "$flagged" | tr '\n' '|')'"
fi

# wait_until SECONDS stops by the clock, not after SECONDS*10 tries: a
# check that itself takes 0.3 s (udev_pids forking a cat per process on
# the debug kernel took seconds) gets at most 4 tries in 1 s, where a
# count of tries made it 11 (and stop_udevd's "10 s" minutes).
: >"$dir/tries"
out=$(dash -c '. "$1"; slow_false() { echo x >>"$1"; sleep 0.3; return 1; }
	wait_until 1 slow_false "$2" && echo true || echo false' _ "$here/guest/wait.sh" "$dir/tries")
tries=$(grep -c x "$dir/tries")
if [ "$out" = false ] && [ "$tries" -ge 1 ] && [ "$tries" -le 4 ]; then
	echo "RESULT PASS harness/wait-until-by-clock"
else
	echo "RESULT FAIL harness/wait-until-by-clock: said $out after $tries tries of 0.3 s in 1 s"
fi

# Host legs (host_leg, tests/env/common.sh): a leg killed mid-way, one
# that exits early with status 0, one that exits non-zero after its end
# marker, each fail with its name; a complete one passes, what it
# forwards of another suite not counted for its plan.
LEGS=$dir/legs
leg_killed() { leg_plan fake 3; echo "RESULT PASS fake/a"; kill -KILL $BASHPID; echo "RESULT PASS fake/b"; }
leg_early() { leg_plan fake 2; echo "RESULT PASS fake/a"; exit 0; }
leg_status() { leg_plan fake 1; echo "RESULT PASS fake/a"; leg_end fake; return 3; }
leg_good() { leg_plan fake 1; echo "RESULT PASS fake/a"
	forward printf 'RESULT PASS guest/x\nRESULT PASS guest/y\n'; leg_end fake; }
# leg_expect TEST LEG-FUNCTION STATUS PATTERN...: host_leg's status and
# the RESULT lines it recorded.
leg_expect() {
	local t=$1 fn=$2 want=$3 rc p missing=""
	shift 3
	: >"$dir/leg-results.txt"
	(host_leg "$dir/leg-results.txt" fake "$fn") >/dev/null 2>&1 && rc=0 || rc=$?
	[ "$rc" = "$want" ] || missing=" (host_leg status $rc, want $want)"
	for p in "$@"; do
		grep -qE -- "$p" "$dir/leg-results.txt" || missing="$missing '$p'"
	done
	if [ -z "$missing" ]; then
		echo "RESULT PASS harness/$t"
	else
		echo "RESULT FAIL harness/$t: missing$missing; got '$(tr '\n' '|' <"$dir/leg-results.txt")'"
	fi
}
leg_expect host-leg-killed leg_killed 1 \
	'^RESULT FAIL fake/completed: the leg exited with status 137$' \
	'^RESULT FAIL fake/plan: planned 3 checks, got 1$'
leg_expect host-leg-early-exit leg_early 1 \
	"^RESULT FAIL fake/completed: the leg stopped before its end marker 'END fake'$" \
	'^RESULT FAIL fake/plan: planned 2 checks, got 1$'
leg_expect host-leg-status leg_status 1 \
	'^RESULT FAIL fake/completed: the leg exited with status 3$' '^RESULT PASS fake/plan$'
leg_expect host-leg-complete leg_good 0 '^RESULT PASS fake/plan$' '^RESULT PASS guest/y$'
LEGS=$TOP/build/legs

# A group that plans 0 (a tool missing) fails; one that says why with
# skip_group is a SKIP, counted for its plan and in the closing line.
{ echo "GROUP 14-x"; echo "PLAN 14-x 0"; echo "GROUP 15-y"; echo "PLAN 15-y 1"
  echo "RESULT SKIP 15-y/group: dcssctl is not built for s390x"; echo "SUITE DONE"; } >"$dir/zero.txt"
out=$("$here/env/evaluate.sh" s390x/ "$dir/zero.txt" "SUITE DONE" suite-completed 14-x 15-y 2>/dev/null)
printf '%s\n' "$out" >"$dir/zero-results.txt"
if grep -q '^RESULT FAIL s390x/14-x/plan: planned 0 checks' <<<"$out" &&
   grep -qx 'RESULT PASS s390x/15-y/plan' <<<"$out" &&
   grep -qx 'RESULT SKIP s390x/15-y/group: dcssctl is not built for s390x' <<<"$out" &&
   [ "$(summarize "$dir/zero-results.txt" | tail -n 1)" = "1 passed, 1 failed, 1 skipped" ]; then
	echo "RESULT PASS harness/group-plans-zero"
else
	echo "RESULT FAIL harness/group-plans-zero: got '$(tr '\n' '|' <<<"$out")'"
fi

# The debug leg (tests/debug/ci.sh) with the kernel build and make
# check-debug stood in for: on a warm machine it runs, and without the
# time for it fails; on a cold one it is skipped as "cold cache", which
# is on the list of accepted skips; any other skip of it is not.
ci() {
	DCSSDAX_CI_RESULTS=$dir/ci-results.txt DCSSDAX_CI_BUILD_KERNEL=$1 \
		DCSSDAX_CI_CHECK_DEBUG="touch $dir/ci-ran" DCSSDAX_CI_SUITE_SECONDS=600 \
		DCSSDAX_CI_DEADLINE=$(( $(date +%s) + $2 )) "$here/debug/ci.sh" 2>/dev/null
}
rm -f "$dir/ci-ran"
ci true 700 && r1=0 || r1=$?
[ -f "$dir/ci-ran" ] && ran=1 || ran=
ci true 100 && r2=0 || r2=$?
warm_short=$(cat "$dir/ci-results.txt" 2>/dev/null)
ci false 100 && r3=0 || r3=$?
cold_short=$(cat "$dir/ci-results.txt" 2>/dev/null)
printf 'RESULT SKIP x86_64-debug/check-debug: 100 s left before the deadline\n' >"$dir/other-skip.txt"
if [ "$r1" = 0 ] && [ -n "$ran" ] &&
   [ "$r2" = 1 ] && grep -q '^RESULT FAIL x86_64-debug/check-debug: a warm machine with' <<<"$warm_short" &&
   [ "$r3" = 0 ] && grep -q '^RESULT SKIP x86_64-debug/check-debug: cold cache: ' <<<"$cold_short" &&
   unaccepted_skips "$dir/ci-results.txt" >/dev/null &&
   ! unaccepted_skips "$dir/other-skip.txt" >/dev/null; then
	echo "RESULT PASS harness/debug-leg-skip"
else
	echo "RESULT FAIL harness/debug-leg-skip: warm $r1 (ran: ${ran:-no}), warm without time $r2 '$warm_short', cold without time $r3 '$cold_short'"
fi

# A kernel report after the last group (the module's unload here), and
# one after the final rmmod, are found: the guest's run.sh, run on the
# host with no group to run, a kernel log and rmmod stood in for, and
# its own /tmp.
mkdir -p "$dir/bin"
printf '#!/bin/sh\n[ "$1" = -c ] && { cat "$KLOG"; : >"$KLOG"; }\nexit 0\n' >"$dir/bin/dmesg"
printf '#!/bin/sh\n[ -z "$SPLAT" ] || echo "WARNING: CPU: 0 PID: 1 at kernel/module/main.c:1 free_module+0x1/0x2" >>"$KLOG"\n' >"$dir/bin/rmmod"
chmod +x "$dir/bin/dmesg" "$dir/bin/rmmod"
for s in splat clean; do
	: >"$dir/klog"
	: >"$dir/late-$s.txt"
	PATH=$dir/bin:$PATH KLOG=$dir/klog SPLAT=$([ $s = splat ] && echo 1) \
		DCSSDAX_TESTS=$here/guest DCSSDAX_RESULTS=$dir/late-$s.txt \
		mount_ns / sh -c 'mount -t tmpfs tmpfs /tmp &&
			{ [ ! -d /sys/kernel/debug ] || mount -t tmpfs tmpfs /sys/kernel/debug; } &&
			exec dash "$1" none' _ "$here/guest/run.sh" >/dev/null 2>&1
done
if grep -q '^RESULT FAIL unload/dmesg-clean: WARNING: CPU: 0 PID: 1 at kernel/module/main.c:1' "$dir/late-splat.txt" &&
   grep -q '^RESULT FAIL final/dmesg-clean: WARNING: CPU: 0 PID: 1 at kernel/module/main.c:1' "$dir/late-splat.txt" &&
   grep -qx 'SUITE DONE' "$dir/late-splat.txt" &&
   grep -qx 'RESULT PASS unload/dmesg-clean' "$dir/late-clean.txt" &&
   grep -qx 'RESULT PASS final/dmesg-clean' "$dir/late-clean.txt" &&
   ! grep -q '^RESULT FAIL' "$dir/late-clean.txt"; then
	echo "RESULT PASS harness/splat-after-last-group"
else
	echo "RESULT FAIL harness/splat-after-last-group: got '$(tr '\n' '|' <"$dir/late-splat.txt")' and '$(tr '\n' '|' <"$dir/late-clean.txt")'"
fi

# A hung group (dcssdax.broken=hang: its second check never returns)
# is ended by the guest's watchdog at its time limit (2 s here, from the
# command line), fails naming the group and the check, its processes
# are killed, and the next group runs: the guest's run.sh on the host,
# with the broken group and a group after it, in a PID namespace of its
# own (so that its process scans see no other process), bounded by
# timeout in case the watchdog does not fire.
mkdir -p "$dir/hang/t"
for f in lib.sh wait.sh emul-table.sh splat.re broken.sh; do ln -s "$here/guest/$f" "$dir/hang/$f"; done
printf 'plan 1\ncheck ran true\n' >"$dir/hang/t/01-next.sh"
printf '#!/bin/sh\nexit 0\n' >"$dir/bin/insmod"
chmod +x "$dir/bin/insmod"
echo "console=ttyS0 dcssdax.broken=hang dcssdax.watchdog=2" >"$dir/hang/cmdline"
: >"$dir/klog"
: >"$dir/hang.txt"
t0=$SECONDS
PATH=$dir/bin:$PATH KLOG=$dir/klog DCSSDAX_TESTS=$dir/hang DCSSDAX_RESULTS=$dir/hang.txt \
	DCSSDAX_CMDLINE=$dir/hang/cmdline timeout -k 5 60 \
	unshare --mount --pid --fork --mount-proc sh -c 'mount -t tmpfs tmpfs /tmp &&
		{ [ ! -d /sys/kernel/debug ] || mount -t tmpfs tmpfs /sys/kernel/debug; } &&
		exec dash "$1" "01-*"' _ "$here/guest/run.sh" >"$dir/hang.log" 2>&1
hang_rc=$?
out=$("$here/env/evaluate.sh" x86_64/ "$dir/hang.txt" "SUITE DONE" suite-completed 00-broken 01-next 2>/dev/null)
if [ "$hang_rc" = 0 ] &&
   grep -q "^RESULT FAIL x86_64/00-broken/watchdog: the group ran past its time limit of 2 s, hung in check 'second'; its processes killed: [0-9]" <<<"$out" &&
   grep -qx 'RESULT FAIL x86_64/00-broken/plan: planned 3 checks, got 1' <<<"$out" &&
   grep -qx 'RESULT PASS x86_64/01-next/ran' <<<"$out" &&
   grep -qx 'RESULT PASS x86_64/01-next/plan' <<<"$out" &&
   ! grep -q '^RESULT FAIL x86_64/suite-completed' <<<"$out"; then
	echo "RESULT PASS harness/group-watchdog"
else
	echo "RESULT FAIL harness/group-watchdog: run.sh status $hang_rc after $(( SECONDS - t0 )) s, got '$(grep '^RESULT' <<<"$out" | tr '\n' '|')'; $(tail -n 3 "$dir/hang.log" | tr '\n' ' ')"
fi

# A VM's time limit as it starts (ci_limit): its own, or what is left
# before CI's deadline less the time to collect its results, and never
# 0 (no limit at all for timeout) when the deadline has passed.
now=$(date +%s)
l1=$(DCSSDAX_CI_DEADLINE= ci_limit 300)
l2=$(DCSSDAX_CI_DEADLINE=$(( now + 1000 )) ci_limit 300)
l3=$(DCSSDAX_CI_DEADLINE=$(( now + 200 )) ci_limit 300)
l4=$(DCSSDAX_CI_DEADLINE=$(( now + 200 )) ci_limit 300 150)
l5=$(DCSSDAX_CI_DEADLINE=$(( now - 10 )) ci_limit 300)
if [ "$l1" = 300 ] && [ "$l2" = 300 ] && [ "$l3" -ge 138 ] && [ "$l3" -le 140 ] &&
   [ "$l4" -ge 48 ] && [ "$l4" -le 50 ] && [ "$l5" = 1 ]; then
	echo "RESULT PASS harness/vm-limit-from-deadline"
else
	echo "RESULT FAIL harness/vm-limit-from-deadline: got $l1 $l2 $l3 $l4 $l5, want 300 300 140 50 1"
fi

# A failure quotes its command, and a command's argument may span lines
# (an add's JSON in 14-dcssctl): its RESULT line is still one line, with
# nothing that evaluate.sh would read as a line of its own.
: >"$dir/multi.txt"
DCSSDAX_TESTS=$here/guest DCSSDAX_RESULTS=$dir/multi.txt GROUP=14-x dash -c '
	. "$1"
	check lines sh -c "echo \"{
  x
}\" | grep -q nothing"
	skip other "a reason
on two lines"' _ "$here/guest/lib.sh" >/dev/null 2>&1
if [ "$(wc -l <"$dir/multi.txt")" = 2 ] &&
   grep -q '^RESULT FAIL 14-x/lines: .*{   x }.* | grep -q nothing\]$' "$dir/multi.txt" &&
   grep -qx 'RESULT SKIP 14-x/other: a reason on two lines' "$dir/multi.txt"; then
	echo "RESULT PASS harness/result-one-line"
else
	echo "RESULT FAIL harness/result-one-line: got '$(tr '\n' '|' <"$dir/multi.txt")'"
fi
leg_end harness
