# Shared by the host-side scripts: where the build root is and how to run
# commands in it.  Sourced, not executed.
CACHE=${DCSSDAX_CACHE:-/var/cache/dcssdax}
ROOT=$CACHE/trixie-root
# The s390x userspace (libraries, tools) inside the root, for cross builds.
S390X_SYSROOT=/opt/s390x-sysroot
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# DCSSDAX_DEBUG=1 (make check-debug): the x86_64 kernel is the debug
# kernel of tests/debug/build-kernel.sh, and the output goes to
# build/<arch>-debug.
FLAVOUR=${DCSSDAX_DEBUG:+-debug}
DEBUG_TREE=/usr/src/dcssdax-debug
# DCSSDAX_BUILTIN=1 (part of make check-debug): the x86_64 kernel is the
# debug kernel with the driver built in (tests/builtin/build-kernel.sh),
# output in build/x86_64-builtin.
BUILTIN_TREE=/usr/src/dcssdax-builtin
[ -z "${DCSSDAX_BUILTIN:-}" ] || FLAVOUR=-builtin

log() { echo "[dcssdax] $*" >&2; }

# retry CMD...: the archive's mirrors are sometimes briefly inconsistent.
retry() {
	local n=0
	until "$@"; do
		n=$((n + 1))
		[ $n -ge 4 ] && return 1
		log "retry $n: $*"
		sleep $((n * 5))
	done
}

# guest_finished CONSOLE MARKER WHAT: did the guest print MARKER (a line
# of its own) before it stopped?  A guest that panics (panic=-1 with
# -no-reboot) or stops early ends QEMU with status 0, so the status says
# nothing; without the marker, say so with the console's last 30 lines.
guest_finished() {
	tr -d '\r' <"$1" | grep -x -- "$2" >/dev/null && return 0
	log "$3: the guest stopped before '$2' (a panic, an early exit or the time limit); last 30 lines of $1:"
	tr -d '\r' <"$1" | tail -n 30 >&2
	return 1
}

# ci_limit SECONDS [KEEP]: a VM's time limit, taken as it starts:
# SECONDS, or what is left before CI's deadline (DCSSDAX_CI_DEADLINE,
# .ci/run) less KEEP (default 60: to collect its results) when that is
# sooner; at least 1 (timeout's 0 would be no limit at all).  A VM that
# starts too late stops at once, at its time limit, and says so.
ci_limit() {
	local left
	if [ -z "${DCSSDAX_CI_DEADLINE:-}" ]; then
		echo "$1"
		return
	fi
	left=$(( DCSSDAX_CI_DEADLINE - $(date +%s) - ${2:-60} ))
	[ "$left" -ge 1 ] || left=1
	if [ "$left" -lt "$1" ]; then echo "$left"; else echo "$1"; fi
}

# stop_cause CONSOLE [STATUS]: one line on why a guest stopped before
# its end marker, for the failing RESULT line (CI shows those lines even
# when it cuts the console away): the time limit when timeout(1) ended
# QEMU (124, 137), else the console's first kernel report (the guest's
# dmesg scan's patterns, tests/guest/splat.re, and a panic or OOM), else
# QEMU's status and the last console line.
stop_cause() {
	local console=$1 status=${2:-} text line
	case $status in
	124|137) echo "stopped at its time limit (timeout, status $status)"; return ;;
	esac
	# Without the escape sequences of systemd's status lines.
	text=$(sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\r//g' "$console" 2>/dev/null)
	line=$(grep -m1 -E -f "$TOP/tests/guest/splat.re" \
		-e 'Kernel panic' -e 'Out of memory' <<<"$text" ||
	       echo "$text" | grep -v '^[[:space:]]*$' | tail -n 1)
	line=$(printf '%s' "$line" | tr -c '[:print:]' '?' | tr -d '\\' | cut -c1-200)
	echo "${status:+QEMU status $status, }console: '${line:-empty}'"
}

# summarize RESULTS-FILE...: the closing "N passed, N failed" line over
# the checks recorded in the files, with ", N skipped" when something was
# skipped ("RESULT SKIP NAME: reason", the reasons printed first); fails
# unless every check passed and there was at least one.
# The counts are checked against the plans, so that a shorter run never
# looks like a green one: whatever records RESULT lines in a results
# file records "PLANNED SCOPE N" there too (evaluate.sh for each guest
# group: its plan and the harness's checks; host_leg for each leg;
# check.sh's and the CI legs' own checks), and the RESULT lines named
# SCOPE or SCOPE/... (the longest planned scope) must number N, the plans
# of a scope adding up.  A scope that holds another number, a RESULT line
# no plan accounts for, and a results file that is missing each fail as
# "RESULT FAIL plans/...", named, and count as failed in the closing line.
summarize() {
	local f missing="" files=()
	for f in "$@"; do
		if [ -f "$f" ]; then files+=("$f"); else missing="$missing $f"; fi
	done
	awk -v missing="$missing" '
	/^PLANNED [^ ]+ -?[0-9]+$/ { plan[$2] += $3; next }
	/^RESULT (PASS|FAIL|SKIP) / {
		name = $3; sub(/:.*/, "", name)
		if ($2 == "PASS") passed++
		else if ($2 == "FAIL") failed++
		else { skipped++; print "skipped: " substr($0, 13) }
		names[++nr] = name
		next
	}
	function bad(what) { print "RESULT FAIL plans/" what; failed++ }
	END {
		n = split(missing, M, " ")
		for (i = 1; i <= n; i++) bad(M[i] ": the results file is missing (its leg did not run or lost them)")
		for (i = 1; i <= nr; i++) {
			s = names[i]
			while (!(s in plan) && s ~ /\//) sub(/\/[^\/]*$/, "", s)
			if (s in plan) got[s]++
			else { nu++; if (nu <= 3) un = un " " names[i] }
		}
		if (nu) bad("unplanned: " nu " RESULT lines that no PLANNED line accounts for:" un (nu > 3 ? " ..." : ""))
		for (s in plan) if (got[s] + 0 != plan[s])
			bad(s ": planned " plan[s] " checks, the results hold " got[s] + 0 \
			    (got[s] + 0 < plan[s] ? " (" plan[s] - got[s] " missing)" : ""))
		printf "%d passed, %d failed", passed, failed
		if (skipped) printf ", %d skipped", skipped
		printf "\n"
		exit !(failed == 0 && passed > 0)
	}' ${files[@]+"${files[@]}"} </dev/null
}

# Host legs (lint, tools, ..., the boot and share tests): like a VM
# group, a leg says how many checks it makes and marks its end, so one
# that stops early or skips checks never looks like a green one.  In the
# leg: leg_plan NAME N first (N: its own checks), leg_end NAME last.
# forward CMD...: CMD prints the RESULT lines of another suite that
# accounts for them itself (a guest's through evaluate.sh, with its
# plans; dcssctl's tests with their closing line): they are passed on,
# with their number, and do not count for the leg's plan.
leg_plan() { echo "PLAN $1 $2"; }
leg_end() { echo "END $1"; }
# A forwarded suite that plans its lines itself (evaluate.sh's "PLANNED"
# lines) passes its plans on with them; the lines of one that does not
# (dcssctl's tests) are the leg's to plan: "FORWARDED N UNPLANNED".
forward() {
	local out rc n u
	out=$("$@")
	rc=$?
	[ -z "$out" ] || printf '%s\n' "$out"
	n=$(printf '%s\n' "$out" | grep -c '^RESULT ')
	u=$n
	printf '%s\n' "$out" | grep -q '^PLANNED ' && u=0
	echo "FORWARDED $n $u"
	return $rc
}

# host_leg RESULTS NAME CMD...: run a host leg, its output shown as it
# comes and kept in build/legs/NAME.txt, its RESULT lines appended to
# RESULTS, and then its own: NAME/completed fails when it exited
# non-zero or without "END NAME" (killed, an early exit), NAME/plan
# passes when it said "PLAN NAME N" and made N checks of its own.  Its
# wall time goes to build/legs/times.txt ($LEGS: the self-tests').
# For the closing line (summarize) it records "PLANNED NAME M": the
# leg's plan, its forwarded lines that no plan of their own accounts
# for, and its own checks (or, with no plan, what it got); the forwarded
# suites' PLANNED lines are recorded with their lines.
# Fails when the leg did.
LEGS=$TOP/build/legs
host_leg() {
	local results=$1 name=$2 out rc start plan got fwd unplanned own=1 ok=0
	shift 2
	mkdir -p "$LEGS"
	out=$LEGS/$name.txt
	start=$(date +%s)
	"$@" | tee "$out"
	rc=${PIPESTATUS[0]}
	echo "$name $(( $(date +%s) - start ))" >>"$LEGS/times.txt"
	grep -e '^RESULT ' -e '^PLANNED ' "$out" >>"$results"
	leg_result() { echo "RESULT $1 $name/$2${3:+: $3}" | tee -a "$results"; }
	if [ "$rc" -ne 0 ]; then
		leg_result FAIL completed "the leg exited with status $rc"; ok=1; own=2
	elif ! grep -qx "END $name" "$out"; then
		leg_result FAIL completed "the leg stopped before its end marker 'END $name'"; ok=1; own=2
	fi
	plan=$(sed -n "s/^PLAN $name \([0-9][0-9]*\)\$/\1/p" "$out" | head -n 1)
	fwd=$(awk '$1 == "FORWARDED" { n += $2 } END { print n + 0 }' "$out")
	unplanned=$(awk '$1 == "FORWARDED" { n += ($3 == "" ? $2 : $3) } END { print n + 0 }' "$out")
	got=$(( $(grep -c '^RESULT ' "$out") - fwd ))
	echo "PLANNED $name $(( ${plan:-$got} + unplanned + own ))" >>"$results"
	if [ -z "$plan" ]; then
		leg_result FAIL plan "no plan: the leg must start with 'PLAN $name N'; it made $got checks"; ok=1
	elif [ "$plan" -ne "$got" ]; then
		leg_result FAIL plan "planned $plan checks, got $got"; ok=1
	else
		leg_result PASS plan
	fi
	return $ok
}

# unaccepted_skips RESULTS-FILE...: print the SKIPs that are not on the
# list of accepted ones (tests/accepted-skips.txt); true when there are
# none.  CI fails on any.
unaccepted_skips() {
	local bad
	bad=$(cat "$@" 2>/dev/null | sed -n 's/^RESULT SKIP //p' |
		grep -v -E -f <(grep -v -e '^#' -e '^[[:space:]]*$' "$TOP/tests/accepted-skips.txt"))
	[ -z "$bad" ] && return 0
	echo "$bad" | sed 's/^/not an accepted skip (tests\/accepted-skips.txt): /'
	return 1
}

# mount_ns DIR CMD...: CMD in a mount namespace of its own, so the
# mounts it makes under DIR go away with it.  unshare makes every mount
# private, which fails when / is not a mount point (a plain chroot, as a
# minbase root is used to try the README on a fresh system); then DIR is
# made a private mount of its own first (once; as arch-chroot does) and
# the namespace keeps the propagation.  Recursively: a plain bind of
# $CACHE would hide the binds made before of directories below it
# ($ROOT), which mountinfo still lists, so that mountpoint says yes and
# mount --make-rprivate then fails on them.
mount_ns() {
	local dir=$1
	shift
	if mountpoint -q /; then
		unshare --mount --fork "$@"
		return
	fi
	mountpoint -q "$dir" || mount --rbind "$dir" "$dir" || return 1
	mount --make-rprivate "$dir" || return 1
	unshare --mount --propagation=unchanged --fork "$@"
}

# mount_ns_release DIR: undo the bind mount_ns leaves in a chroot for a
# throw-away DIR (the boot test's stage), which could not be removed
# while it stays.  Nothing to do where / is a mount point.
mount_ns_release() {
	mountpoint -q / && return 0
	while mountpoint -q "$1"; do umount -R "$1" || return 1; done
}

# Run a command inside the build root, with the source tree at /src.  A
# private mount namespace keeps the bind mounts from outliving the command.
inroot() {
	mount_ns "$ROOT" /bin/sh -s "$ROOT" "$TOP" "$@" <<'SH'
root=$1 top=$2; shift 2
mount -t proc proc "$root/proc"
mount --rbind /dev "$root/dev"
mount -t sysfs sysfs "$root/sys" 2>/dev/null || true
mkdir -p "$root/src"
mount --bind "$top" "$root/src"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
exec chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
	LANG=C.UTF-8 "$@"
SH
}

# pinned ARCH: the pinned kernel of ARCH (tests/env/kernels.txt): "ABI
# VERSION", e.g. "7.3.4+deb13 7.3.4-1~bpo13+1".
pinned() {
	awk -v a="$1" '$1 == a { print $2, $3; exit }' "$TOP/tests/env/kernels.txt"
}

# The kernel release of a flavour inside the root, e.g.
# 7.3.4+deb13-amd64: the pinned one, or where the archive no longer had
# it (setup-root.sh said so), the newest installed.
kver_amd64() {
	if [ -n "${DCSSDAX_BUILTIN:-}" ]; then
		cat "$ROOT$BUILTIN_TREE/release" 2>/dev/null
		return
	fi
	if [ -n "${DCSSDAX_DEBUG:-}" ]; then
		cat "$ROOT$DEBUG_TREE/release" 2>/dev/null
		return
	fi
	kver_pinned amd64
}

kver_s390x() {
	kver_pinned s390x
}

kver_pinned() {
	local abi
	abi=$(pinned "$1" | cut -d' ' -f1)
	if [ -n "$abi" ] && [ -d "$ROOT/lib/modules/$abi-$1" ]; then
		echo "$abi-$1"
		return
	fi
	ls "$ROOT/lib/modules" 2>/dev/null | grep -- "-$1\$" | sort -V | tail -1
}

# apt-get in the build root, output to $CACHE/apt.log.  The sid source
# (for sparse) may carry an expired Release date; an index that fails to
# download (the s390x ones are sometimes mid-sync) leaves the old one.
root_apt() {
	inroot env DEBIAN_FRONTEND=noninteractive apt-get -q -y \
		-o Acquire::Check-Valid-Until=false "$@" >>"$CACHE/apt.log" 2>&1 || {
		tail -n 5 "$CACHE/apt.log" >&2
		return 1
	}
}
