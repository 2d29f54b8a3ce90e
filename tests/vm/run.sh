#!/bin/bash
# Boot the test kernel with the test initramfs and print the guest's
# console.  The guest runs the suite named by "dcssdax.suite=" and powers
# off; a crash (oops=panic, panic=-1 with -no-reboot) or the time limit
# ends the run early.
#
#   tests/vm/run.sh ARCH SUITE [TIMEOUT_SECONDS]
# DCSSDAX_VM_MEMORY="SIZE KERNEL-ARGS": the guest's memory (-m) and what
# its kernel is told of it, instead of the suite's (make bench boots a
# bigger guest).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../env/common.sh"

arch=$1 suite=$2 limit=${3:-900}
out=$TOP/build/$arch$FLAVOUR
case $arch in
x86_64)
	kver=$(kver_amd64)
	# 512 MiB of reserved RAM at 1 GiB holds the emulated segments; it
	# stays clear of the ACPI tables QEMU puts below 2 GiB.
	memory=${DCSSDAX_VM_MEMORY:-'2G memmap=512M$0x40000000 memmap=4M$0x60100000 memmap=2M#0x60800000'}
	exec timeout --foreground -k 10 "$limit" qemu-system-x86_64 \
		-accel tcg,thread=multi -cpu max -smp 2 -m "${memory%% *}" \
		-nographic -no-reboot -nic none \
		-kernel "$ROOT/lib/modules/$kver/vmlinuz" \
		-initrd "$out/initramfs.gz" \
		-append "console=ttyS0 panic=-1 oops=panic loglevel=4 ${memory#* } dcssdax.suite=$suite ${DCSSDAX_APPEND:-}"
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
		-kernel "/lib/modules/$kver/vmlinuz" \
		-initrd "/src/build/s390x/initramfs.gz" \
		-append "console=ttysclp0 ${memory#* } panic=-1 oops=panic loglevel=4 dcssdax.suite=$suite ${DCSSDAX_APPEND:-}"
	;;
*)
	log "unknown arch $arch"; exit 2 ;;
esac
