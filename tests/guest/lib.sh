# Helpers for the guest test groups.  Sourced.
SYS=/sys/devices/dcssdax
ARCH=$(cat /etc/dcssdax-arch 2>/dev/null || uname -m)

# The emulated segment table, $EMUL (also the host's, for the kernel
# command line of the built-in driver).
# Where the guest scripts are: /tests in the guest; elsewhere for the
# host's self-tests of run.sh (tests/harness-selftest.sh).
TESTS=${DCSSDAX_TESTS:-/tests}
. $TESTS/emul-table.sh
# wait_until, virtio_port.
. $TESTS/wait.sh

# The backend the suite runs on: "emulated" (the table $EMUL, the
# driver's emulate= parameter), or "extmem" where the kernel command line
# says dcssdax.backend=extmem (tests/cp/extmem.sh): the same segments
# defined in the emulated CP (qemu-cp/), loaded through z/VM's interface
# by the driver's extmem backend, with no emulate=.  (DCSSDAX_CMDLINE:
# the host's self-tests give their own command line, as to run.sh.)  There the emulated
# backend's debugfs (its table "emulated", "hold", the emul_* test
# points) does not exist: emulated_only says so (tp_fail asks it).
BACKEND=emulated
case " $(cat "${DCSSDAX_CMDLINE:-/proc/cmdline}" 2>/dev/null) " in
*" dcssdax.backend=extmem "*) BACKEND=extmem ;;
esac
# emulated_only WHAT: true on the emulated backend; on extmem it says
# that WHAT needs the emulated backend and fails.
emulated_only() {
	[ "$BACKEND" = emulated ] && return 0
	echo "$1: only the emulated backend has it (this suite runs on $BACKEND)" >&2
	return 1
}

# The driver is built into the kernel (tests/builtin/): nothing to load
# or unload, its parameters came from the kernel command line.
BUILTIN=
[ -d /sys/module/dcssdax ] && [ ! -e /sys/module/dcssdax/initstate ] && BUILTIN=1

# struct page is 64 bytes on x86_64 and s390x.
PAGE_STRUCT=64

# Results go to the results port (a virtio serial port the kernel never
# writes to; the host reads only that), and to the console for people.
RESULTS=${DCSSDAX_RESULTS:-/dev/null}
emit() { echo "$*"; echo "$*" >>"$RESULTS"; }

# The check a group is in or made last, for run.sh's watchdog: "in
# NAME" while check, check_not or measure runs its command, "after NAME"
# once it passed or failed.
CHECK_STATE=/tmp/check.state
checking() { echo "in $1" >$CHECK_STATE; }
pass() { emit "RESULT PASS $GROUP/$1"; echo "after $1" >$CHECK_STATE; }
# FAIL_NOTE: what every failure of the group says too (15-hostile: its
# seed, to replay it).
# A message is one line whatever it quotes (a command's multi-line
# argument): the host reads one result per line.
fail() {
	emit "RESULT FAIL $GROUP/$1: $(printf '%s' "$2${FAIL_NOTE:+ ($FAIL_NOTE)}" | tr '\n' ' ')"
	echo "after $1" >$CHECK_STATE
}

# skip NAME REASON: check NAME cannot be made here (the closing line
# counts it as skipped; it counts for the plan).
skip() { emit "RESULT SKIP $GROUP/$1: $(printf '%s' "$2" | tr '\n' ' ')"; }

# skip_group REASON: the whole group cannot run here (a tool missing on
# this arch): one SKIP with the reason, which the closing line counts and
# CI accepts only when tests/accepted-skips.txt lists it.  The group then
# returns.  (A plan of 0 fails: a group that makes no check says why.)
skip_group() { plan 1; skip group "$1"; }

# plan N: the group makes N checks (its own, not dmesg-clean): the host
# fails a group that reports another number, or none.  At the top of
# every group; an arch-dependent count may be computed.
plan() { emit "PLAN $GROUP $1"; }

# check NAME CMD...: passes when CMD exits 0.  Its output is left in OUT.
check() {
	local name=$1
	shift
	checking "$name"
	if OUT=$("$@" 2>&1); then
		pass "$name"
	else
		fail "$name" "$(echo "$OUT" | tail -n 4 | tr '\n' ' ') [$*]"
	fi
}

# measure NAME CMD...: as check, and prints the command's output and how
# long it ran as a FIGURE line (numbers for the closing notes, the log,
# and the suite's time budget).
measure() {
	local t0 cs
	t0=$(uptime_cs)
	check "$@"
	cs=$(( $(uptime_cs) - t0 ))
	emit "FIGURE $ARCH/$GROUP/$1: $(echo "$OUT" | tr '\n' ' ')($((cs / 100)).$((cs / 10 % 10)) s)"
}

# check_not NAME EXPECTED CMD...: passes when CMD fails and its output
# (stdout and stderr) names the expected failure: EXPECTED is an errno
# name the test programs print, or a substring of the tool's message.
# Failing for another reason is a failure.
check_not() {
	local name=$1 want=$2 out
	shift 2
	checking "$name"
	if out=$("$@" 2>&1); then
		fail "$name" "unexpectedly succeeded: $(echo "$out" | tail -n 2 | tr '\n' ' ') [$*]"
	else
		case $out in
		*"$want"*) pass "$name" ;;
		*) fail "$name" "failed, but not with '$want': $(echo "$out" | tail -n 2 | tr '\n' ' ') [$*]" ;;
		esac
	fi
}

# expect NAME EXPECTED ACTUAL
expect() {
	local why=
	if [ "$2" = "$3" ]; then
		pass "$1"
		return
	fi
	# A refused write: the driver said why in its last message.
	case $3 in
	E[A-Z]*) why=$(dmesg | grep 'dcssdax: ' | tail -n 1 | sed 's/^\[[^]]*\] //') ;;
	esac
	fail "$1" "expected '$2', got '$3'${why:+ (kernel: $why)}"
}

# write_errno FILE DATA: one write() of DATA (printf %b escapes, so \n
# and \0 work); prints OK or the errno name.
write_errno() {
	printf '%b' "$2" | syswrite "$1"
}

# expect_write NAME ERRNO FILE DATA
expect_write() {
	expect "$1" "$2" "$(write_errno "$3" "$4")"
}

dcss_load() {
	[ -z "$BUILTIN" ] || return 0
	if [ "$BACKEND" = extmem ]; then
		insmod /modules/dcssdax.ko "$@"
	else
		insmod /modules/dcssdax.ko emulate="$EMUL" "$@"
	fi
}
dcss_unload() { rmmod dcssdax; }
# check_rmmod_busy NAME: rmmod is refused while the driver is in use, or
# always when it is built in (delete_module knows no module of that name:
# ENOENT).
check_rmmod_busy() {
	if [ -n "$BUILTIN" ]; then
		check_not "$1" "No such file or directory" rmmod dcssdax
	else
		check_not "$1" "Resource temporarily unavailable" rmmod dcssdax
	fi
}
dcss_add() { write_errno $SYS/add "$1\n"; }
dcss_remove() { write_errno $SYS/remove "$1\n"; }

# The block device node of device NAME.
dcss_dev() { echo "/dev/$(ls "$SYS/$1/block" 2>/dev/null)"; }

attr() { cat "$SYS/$1/$2" 2>/dev/null; }

# A sorted listing of the driver's state: devices, their facts and the
# iomem claims, to compare before and after a refused operation.
state() {
	local d
	for d in "$SYS"/*/; do
		[ -e "$d/seglist" ] || continue
		echo "$d $(cat "$d/seglist" | tr '\n' ,) $(cat "$d/shared") $(cat "$d/save") $(cat "$d/mode") $(ls "$d/block" 2>/dev/null)"
	done
	grep DCSS /proc/iomem
	ls /dev | grep -E '^(dcssdax|dax)'
	ls /sys/bus/dax/devices 2>/dev/null
}

# The names of the devices there are, one line.
devices() {
	local d
	for d in "$SYS"/*/; do
		[ -e "$d/seglist" ] && basename "$d"
	done | tr '\n' ' ' | sed 's/ $//'
}

meminfo_kb() { awk -v k="$1:" '$1 == k {print $2}' /proc/meminfo; }

# udev_pids: udevd and its workers, by the names they run under.  Read
# with the shell's read, not a cat for each of the ~150 processes: polled
# by stop_udevd, that was seconds a scan on the debug kernel.
udev_pids() {
	local p comm
	for p in /proc/[0-9]*; do
		{ read -r comm <"$p/comm"; } 2>/dev/null || continue
		case $comm in
		systemd-udevd | udevd | "(udev-worker)") ;;
		*) continue ;;
		esac
		# A zombie is gone for udev's purposes; init may reap it late.
		grep -q '^State:[[:space:]]*Z' "$p/status" 2>/dev/null ||
			echo "${p#/proc/}"
	done
}
no_udev() { [ -z "$(udev_pids)" ]; }

# stop_udevd: no udevd or worker is left when it returns true.  A udevd
# a group started would probe the next groups' new disks (it opens
# them, blkid) and make their removes fail with EBUSY.  That udevadm
# control --exit returned does not mean that udevd and its workers are
# gone: wait for that, and kill what is left after 10 s.
stop_udevd() {
	no_udev && return 0
	udevadm control --exit 2>/dev/null
	wait_until 10 no_udev && return 0
	emit "FIGURE $ARCH/$GROUP/udevd-killed: still running 10 s after udevadm control --exit: $(udev_pids | tr '\n' ' ')"
	kill -KILL $(udev_pids) 2>/dev/null
	wait_until 5 no_udev
}

# Unmount everything under /mnt and reload the driver with the table.
reset_state() {
	local m
	for m in $(awk '$2 ~ "^/mnt/" {print $2}' /proc/mounts | sort -r); do
		umount "$m" 2>/dev/null || umount -l "$m"
	done
	if [ -n "$BUILTIN" ]; then
		for m in $(devices); do
			[ "$(dcss_remove "$m")" = OK ] || echo "reset: remove $m failed"
		done
		# The writable parameter back to its default (4 KiB pages here).
		echo 4096 >/sys/module/dcssdax/parameters/logical_block_size ||
			echo "reset: logical_block_size not reset"
		return
	fi
	if [ -d $SYS ]; then
		rmmod dcssdax 2>/dev/null || echo "reset: rmmod dcssdax failed"
	fi
	dcss_load || echo "reset: insmod dcssdax failed"
}

# Empty the kernel log so a test can look for its own message; what was
# there is kept for the group's splat scan.
dmesg_clear() { dmesg -c >>/tmp/dmesg.kept; }

# scan_dmesg GROUP FILE: fail on any splat in the kernel log.
scan_dmesg() {
	local bad
	# Reports, not the checkers' own banners ("RCU lockdep checking is
	# enabled", "kmemleak: Kernel memory leak detector initialized"):
	# splat.re, one pattern a line ("INFO: " with its space), which the
	# host's stop_cause reads too.
	bad=$(grep -E -f $TESTS/splat.re "$2")
	if [ -n "$bad" ]; then
		emit "RESULT FAIL $1/dmesg-clean: $(echo "$bad" | head -n 3 | tr '\n' ' ')"
		cat "$2"
	else
		emit "RESULT PASS $1/dmesg-clean"
	fi
}

# kmemleak, where the kernel has it (the debug kernel): "start" forgets
# what was found before the suite, "check" reports what leaked since.
# Objects younger than 5 s are not reported and the first scan can miss
# some, hence the pause and the second scan.
KMEMLEAK=/sys/kernel/debug/kmemleak
kmemleak() {
	[ -w $KMEMLEAK ] || return 0
	case $1 in
	start)
		echo scan >$KMEMLEAK
		echo clear >$KMEMLEAK
		echo "kmemleak: enabled, earlier reports cleared"
		;;
	check)
		sleep 6
		echo scan >$KMEMLEAK
		echo scan >$KMEMLEAK
		if grep -q unreferenced $KMEMLEAK; then
			emit "RESULT FAIL kmemleak/clean: $(grep -c unreferenced $KMEMLEAK) leaks"
			cat $KMEMLEAK
		else
			emit "RESULT PASS kmemleak/clean"
		fi
		;;
	esac
}

# A PCI BAR in memory space, mmapped through sysfs: VM_PFNMAP without
# struct pages, the negative control of the GUP tests.
pci_mem_bar() {
	local d start end flags
	for d in /sys/bus/pci/devices/*; do
		read -r start end flags < "$d/resource" || continue
		if [ $((flags & 0x200)) -ne 0 ] && [ $((end)) -gt $((start)) ]; then
			echo "$d/resource0"
			return 0
		fi
	done
	return 1
}

# memmap_bytes expected for a device at START of SIZE bytes: struct pages
# of its span rounded out to 2 MiB subsections.
span_memmap() {
	local first=$(( $1 & ~0x1fffff ))
	local last=$(( ($1 + $2 + 0x1fffff) & ~0x1fffff ))
	echo $(( (last - first) / 4096 * PAGE_STRUCT ))
}

# Test points of the test build (drivers/dcssdax/testpoint.c): make a
# named step fail, or stop the task that reaches it until resumed.
TP=/sys/kernel/debug/dcssdax
# The emul_* points are the emulated backend's: on extmem nothing passes
# them, and arming one fails rather than waiting for ever in vain.
tp_fail() {
	case $1 in emul_*) emulated_only "test point $1" || return 1 ;; esac
	echo "$1 $2 ${3:-1}" >$TP/fail
}
tp_pause() { echo "$1" >$TP/pause; }
tp_resume() { echo "$1" >$TP/resume; }
# tp_wait POINT: until a task waits at POINT (20 s at most).
tp_wait() {
	local i=0
	while ! grep -qx "$1 waiting" $TP/pause; do
		i=$((i + 1))
		[ $i -gt 200 ] && return 1
		sleep 0.1
	done
}
# tp_hits POINT: how often POINT was passed since the module was loaded.
tp_hits() { awk -v p="$1" '$1 == p {print $2}' $TP/hits; }

# bg NAME CMD...: run CMD in the background, its output to /tmp/bg/NAME;
# bg_wait NAME SECONDS: wait for it to finish (fails after SECONDS: a
# deadlock, the job is left running).  A marker file rather than wait(1)
# or kill -0, which see a finished job as running from a subshell.
bg() {
	local name=$1
	shift
	mkdir -p /tmp/bg
	rm -f "/tmp/bg/$name" "/tmp/bg/$name.rc"
	("$@" >"/tmp/bg/$name" 2>&1; echo $? >"/tmp/bg/$name.rc") &
	echo $! >"/tmp/bg/$name.pid"
}

# proc_tree PID: PID and its descendants, one a line.
proc_tree() {
	local f line ppid kids="$1"
	echo "$1"
	for f in /proc/[0-9]*/stat; do
		{ read -r line <"$f"; } 2>/dev/null || continue
		# pid (comm) state ppid ...: comm may hold spaces.
		line=${line##*) }
		ppid=${line#* }
		ppid=${ppid%% *}
		[ "$ppid" = "$1" ] || continue
		f=${f#/proc/}
		proc_tree "${f%/stat}"
	done
}

# bg_blocked NAME WCHAN: job NAME has not finished and one of its
# processes sleeps in the kernel in a function matching WCHAN (an
# extended regular expression): the blocked party of a forced order is
# where the order says it is, not just slow.
bg_blocked() {
	local p w seen=""
	if [ -f "/tmp/bg/$1.rc" ]; then
		echo "$1 already finished with status $(cat "/tmp/bg/$1.rc"): $(bg_out "$1")"
		return 1
	fi
	for p in $(proc_tree "$(cat "/tmp/bg/$1.pid")"); do
		w=$(cat "/proc/$p/wchan" 2>/dev/null) || continue
		seen="$seen $p:$w"
		echo "$w" | grep -qE "$2" && return 0
	done
	echo "$1 is not sleeping in '$2':$seen"
	return 1
}
bg_wait() { wait_until "$2" test -f "/tmp/bg/$1.rc"; }
bg_out() { cat "/tmp/bg/$1"; }
