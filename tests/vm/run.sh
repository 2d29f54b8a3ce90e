#!/bin/bash
# Boot the test kernel with the test initramfs and print the guest's
# console.  The guest runs the suite named by "dcssdax.suite=" and powers
# off; a crash (oops=panic, panic_on_warn=1, panic=-1 with -no-reboot) or
# the time limit ends the run early.  The guest's RESULT, PLAN and FIGURE
# lines also go to a virtio serial port the kernel does not write to,
# kept in build/ARCH/guest-results.txt: read those, not the console.
# log_buf_len is large enough that the noisiest group's kernel log
# survives until the scan after it.
#
#   tests/vm/run.sh ARCH SUITE [TIMEOUT_SECONDS]
# DCSSDAX_BROKEN=early|panic|prefix|late|hang: run the self-test group
# broken.sh first (tests/check.sh then expects it to fail).
# DCSSDAX_WATCHDOG=SECONDS: every group's time limit in the guest
# (tests/guest/run.sh's watchdog; by default 600 s or the group's own).
# DCSSDAX_BUILTIN=1: the kernel with the driver built in (x86_64).
# SEED=N: replay the fuzzers of group 15 with seed N.
# DCSSDAX_VM_MEMORY="SIZE KERNEL-ARGS": the guest's memory (-m) and what
# its kernel is told of it, instead of the suite's (make bench boots a
# bigger guest).  DCSSDAX_VM_QEMU: more QEMU arguments (x86_64), split
# at spaces.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../env/common.sh"

arch=$1 suite=$2 limit=${3:-1500}
out=$TOP/build/$arch$FLAVOUR
: >"$out/guest-results.txt"
args="panic=-1 oops=panic panic_on_warn=1 log_buf_len=16M loglevel=4"
args="$args dcssdax.suite=$suite${DCSSDAX_BROKEN:+ dcssdax.broken=$DCSSDAX_BROKEN}"
# SEED=N: the fuzzers' seed (group 15 prints the one it drew, and names
# it in its failures), to replay a run.
args="$args${SEED:+ dcssdax.seed=$SEED}"
args="$args${DCSSDAX_WATCHDOG:+ dcssdax.watchdog=$DCSSDAX_WATCHDOG}"
case $arch in
x86_64)
	kver=$(kver_amd64)
	# 512 MiB of reserved RAM at 1 GiB holds the emulated segments; it
	# stays clear of the ACPI tables QEMU puts below 2 GiB.
	memory=${DCSSDAX_VM_MEMORY:-'2G memmap=512M$0x40000000 memmap=4M$0x60100000 memmap=2M#0x60800000'}
	# The debug kernel on -cpu max (5-level paging) sometimes panics at
	# boot with "KASAN: wild-memory-access" in handle_edge_irq during
	# identify_cpu(), before any module: an interrupt in the window
	# where the boot CPU's feature bits are being refilled.  Seen once in
	# five boots of 7.3.4; 4-level paging does not have the window.
	# acpi=noirq: on a loaded host the debug kernel's (KASAN, lockdep)
	# AML interpreter ran the DSDT's _PRT loop past ACPICA's 30 s loop
	# timeout (AE_AML_LOOP_TIMEOUT), which left the PCI interrupts, and
	# with them the results port, unrouted; the BIOS's PIRQ table routes
	# them without AML.
	[ -z "$FLAVOUR" ] || args="$args no5lvl acpi=noirq"
	# The built-in driver takes its parameters from the command line
	# (tests/guest/builtin.sh checks the devices it adds at boot).
	if [ -n "${DCSSDAX_BUILTIN:-}" ]; then
		. "$TOP/tests/guest/emul-table.sh"
		args="$args dcssdax.emulate=$EMUL dcssdax.segments=SEG1:SEG2,SEGA(local)"
	fi
	exec timeout --foreground -k 10 "$limit" qemu-system-x86_64 \
		-accel tcg,thread=multi -cpu max -smp 2 -m "${memory%% *}" \
		${DCSSDAX_VM_QEMU:-} \
		-nographic -no-reboot -nic none \
		-device virtio-serial \
		-chardev file,id=results,path="$out/guest-results.txt" \
		-device virtserialport,chardev=results,name=dcssdax.results \
		-kernel "$ROOT/lib/modules/$kver/vmlinuz" \
		-initrd "$out/initramfs.gz" \
		-append "console=ttyS0 ${memory#* } $args ${DCSSDAX_APPEND:-}"
	;;
s390x)
	kver=$(kver_s390x)
	# 1.5 GiB of storage with mem=1G: the 512 MiB above mem= is where
	# a z/VM guest would see a DCSS, and holds the emulated segments at
	# the same addresses as on x86_64.  QEMU 10 from the build root.
	memory=${DCSSDAX_VM_MEMORY:-1536 mem=1024M}
	exec timeout --foreground -k 10 "$limit" bash -c '
		. "$1/tests/env/common.sh"; shift
		inroot "$@"' _ "$TOP" qemu-system-s390x \
		-M s390-ccw-virtio -cpu max -smp 2 -m "${memory%% *}" \
		-nographic -no-reboot -nic none \
		-device virtio-serial \
		-chardev file,id=results,path="/src/build/s390x$FLAVOUR/guest-results.txt" \
		-device virtserialport,chardev=results,name=dcssdax.results \
		-kernel "/lib/modules/$kver/vmlinuz" \
		-initrd "/src/build/s390x$FLAVOUR/initramfs.gz" \
		-append "console=ttysclp0 ${memory#* } $args ${DCSSDAX_APPEND:-}"
	;;
*)
	log "unknown arch $arch"; exit 2 ;;
esac
