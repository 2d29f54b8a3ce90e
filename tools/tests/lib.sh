# Helpers for run.sh: a fresh fake root per test, dcssctl runs under the
# kernel model, and expectations that mark the current test failed.
# shellcheck shell=bash

TOOLS=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DCSSCTL=$TOOLS/dcssctl
SHIM=$TOOLS/tests/fakeerrno.so
VMCPSHIM=$TOOLS/tests/fakevmcp.so	# /dev/vmcp when FAKE_CP is set (cp.sh)
KERNEL=$TOOLS/tests/fake-kernel.sh
PASSED=0
FAILED=0
TMPTOP=$(mktemp -d)
trap 'rm -rf "$TMPTOP"' EXIT

# Segments the model knows: contiguous A, B, C (EW EW EN: they join); SC;
# unaligned U; big G.
SEGTABLE='A EW 0x40000000 64M
B EW 0x44000000 16M
C EN 0x45000000 16M
S SC 0x48000000 8M
U SR 0x50100000 1M
G SW 0x100000000 4G
H SW 0x60000000 256M
M SW 0x80000000 1536M'

fresh_root() {
	R=$(mktemp -d "$TMPTOP/root.XXXX")
	R=$(cd -P "$R" && pwd)
	mkdir -p "$R/sys/devices/dcssdax" "$R/proc/self" "$R/dev" "$R/etc" \
		"$R/busy" "$R/images" "$R/sys/module/dcssdax/parameters"
	: >"$R/sys/devices/dcssdax/add"
	: >"$R/sys/devices/dcssdax/devdax"
	: >"$R/sys/devices/dcssdax/remove"
	: >"$R/sys/devices/dcssdax/uevent"
	mkdir -p "$R/sys/devices/dcssdax/power"
	: >"$R/proc/self/mountinfo"
	: >"$R/kernel.log"
	local s
	s=$(awk '{ printf "%s%s:%s:%s:%s", (NR > 1 ? "," : ""), $1, $2, $3, $4 }' \
		<<<"$SEGTABLE")
	echo "$s" >"$R/sys/module/dcssdax/parameters/emulate"
	awk '{ s = $4; m = 1
	       if (s ~ /M$/) m = 1048576; if (s ~ /G$/) m = 1073741824
	       sub(/[MG]$/, "", s); printf "%s %s %s %.0f\n", $1, $2, $3, s * m }' \
		<<<"$SEGTABLE" >"$R/segtable"
}

# dc ARGS...: run dcssctl; $OUT, $ERR, $RC afterwards
dc() {
	OUT=$R/out ERR=$R/err
	DCSSCTL_ROOT=$R LD_PRELOAD="$VMCPSHIM $SHIM" FAKE_KERNEL=$KERNEL \
		"$DCSSCTL" "$@" >"$OUT" 2>"$ERR"
	RC=$?
}

# dc_errno FILE ERRNO ARGS...: as dc, the write to FILE fails with ERRNO
dc_errno() {
	local f=$1 e=$2
	shift 2
	OUT=$R/out ERR=$R/err
	DCSSCTL_ROOT=$R LD_PRELOAD="$VMCPSHIM $SHIM" FAKE_KERNEL=$KERNEL \
		FAKE_ERRNO_PATH=$R/sys/devices/dcssdax/$f FAKE_ERRNO=$e \
		"$DCSSCTL" "$@" >"$OUT" 2>"$ERR"
	RC=$?
}

# add NAME[:NAME...]: a device made through the model, not through dcssctl
add() {
	DCSSCTL_ROOT=$R "$KERNEL" "$R/sys/devices/dcssdax/add" "$1" ||
		{ echo "fixture: add $1 failed" >&2; exit 99; }
	: >"$R/kernel.log"
	: >"$R/writes.log"
}

mountinfo() { printf '%s\n' "$@" >>"$R/proc/self/mountinfo"; }

begin() {
	TNAME=$1
	TFAIL=
	UDEVSOCK_PID=
	fresh_root
}

# udevd's control socket in the fake root: "running" listens (until the
# test ends), "stale" is what an exited udevd leaves behind.
fake_udev() {
	mkdir -p "$R/run/udev"
	if [ "$1" = stale ]; then
		"$TOOLS/tests/udevsock" --stale "$R/run/udev/control"
		return
	fi
	coproc UDEVSOCK { exec "$TOOLS/tests/udevsock" "$R/run/udev/control"; }
	UDEVSOCK_PID=$UDEVSOCK_PID
	read -r _ <&"${UDEVSOCK[0]}"
}

bad() {
	TFAIL+="    $*"$'\n'
}

end() {
	[ -n "$UDEVSOCK_PID" ] && { kill "$UDEVSOCK_PID"; wait "$UDEVSOCK_PID"; } 2>/dev/null
	if [ -z "$TFAIL" ]; then
		PASSED=$((PASSED + 1))
		echo "PASS $TNAME"
	else
		FAILED=$((FAILED + 1))
		echo "FAIL $TNAME"
		printf '%s' "$TFAIL"
		echo "    rc=$RC stdout:"; sed 's/^/      /' "$OUT" | head -40
		echo "    stderr:"; sed 's/^/      /' "$ERR" | head -20
	fi
}

expect_rc() { [ "$RC" = "$1" ] || bad "exit code $RC, expected $1"; }

expect_err() {
	grep -qF -- "$1" "$ERR" || bad "stderr lacks: $1"
}

expect_out() {
	grep -qF -- "$1" "$OUT" || bad "stdout lacks: $1"
}

expect_no_out() { [ ! -s "$OUT" ] || bad "stdout not empty"; }

# expect_json FILTER: jq -e FILTER on stdout must be true
expect_json() {
	jq -e "$1" <"$OUT" >/dev/null 2>&1 || bad "JSON check failed: $1"
}

expect_log() {	# the model's log must be exactly these lines
	local want
	want=$(printf '%s\n' "$@")
	[ "$(cat "$R/kernel.log")" = "${want%$'\n'}" ] ||
		bad "kernel log is '$(tr '\n' '|' <"$R/kernel.log")', expected '$(printf '%s|' "$@")'"
}

expect_nothing_written() {
	[ ! -s "$R/writes.log" ] || bad "sysfs was written: $(cat "$R/writes.log")"
}

summary() {
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
}
