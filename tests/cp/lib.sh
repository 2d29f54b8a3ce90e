# shellcheck shell=bash
# What the CP legs (tests/cp/run.sh, tests/cp/extmem.sh,
# tests/share/s390x.sh) set up alike.  Sourced after tests/env/common.sh.

# The kernel command line every guest under the emulated CP starts with:
# the SCLP console, IUCV off (QEMU lacks its instruction: qemu-cp/README),
# and any oops or warning ends the guest with its log.
CP_APPEND="console=ttysclp0 initcall_blacklist=iucv_init hvc_iucv=0 panic=-1 oops=panic panic_on_warn=1 log_buf_len=16M loglevel=4"

# cp_qemu LOG: the path inside the root of QEMU with the emulated CP:
# $DCSSDAX_QEMU_CP_BIN, else the cached or new build of
# tests/env/setup-qemu-cp.sh (its messages to LOG).  Nothing when none
# could be had.
cp_qemu() {
	local qemu=${DCSSDAX_QEMU_CP_BIN:-}

	[ -n "$qemu" ] ||
		qemu=$("$TOP/tests/env/setup-qemu-cp.sh" 2>"$1" | tail -n 1)
	[ -n "$qemu" ] && [ -x "$ROOT$qemu" ] && echo "$qemu"
}

# cp_initramfs LOG: the s390x initramfs of tests/env/build.sh, built
# (its output to LOG) when missing or older than a source it is made of
# (the driver, dcssctl, udev rules, the guest's scripts): in CI make
# check has just built it, on a developer's tree it may be stale.
cp_initramfs() {
	local f=$TOP/build/s390x/initramfs.gz

	[ -f "$f" ] && [ -z "$(find "$TOP/drivers" "$TOP/tools" "$TOP/udev" \
		"$TOP/tests/guest" "$TOP/tests/share" "$TOP/tests/progs" \
		"$TOP/tests/env" -newer "$f" -print -quit)" ] ||
		"$TOP/tests/env/build.sh" s390x >"$1" 2>&1
}

# cp_stage STAGE LOG: a fresh stage for the guest's additions, with the
# tools every CP guest has: vmcp, built static for s390x (the compiler's
# output to LOG), and Debian's dcssblk.ko of the test kernel.
cp_stage() {
	local stage=$1 kver

	kver=$(kver_s390x)

	rm -rf "$stage" && mkdir -p "$stage/tests/t" "$stage/bin" "$stage/modules" &&
		inroot s390x-linux-gnu-gcc-14 -static -O2 -Wall -Wextra -Werror \
			-o "/src${stage#"$TOP"}/bin/vmcp" /src/tests/cp/vmcp.c >"$2" 2>&1 &&
		xz -dc "$ROOT/lib/modules/$kver/kernel/drivers/s390/block/dcssblk.ko.xz" \
			>"$stage/modules/dcssblk.ko"
}
