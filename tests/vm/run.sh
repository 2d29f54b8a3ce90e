#!/bin/bash
# Boot the test kernel with the test initramfs and print the guest's
# console.  The guest runs the suite named by "dcssdax.suite=" and powers
# off; a crash (oops=panic, panic=-1 with -no-reboot) or the time limit
# ends the run early.
#
#   tests/vm/run.sh ARCH SUITE [TIMEOUT_SECONDS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../env/common.sh"

arch=$1 suite=$2 limit=${3:-900}
out=$TOP/build/$arch
case $arch in
x86_64)
	kver=$(kver_amd64)
	# 512 MiB of reserved RAM at 1 GiB holds the emulated segments; it
	# stays clear of the ACPI tables QEMU puts below 2 GiB.
	exec timeout --foreground -k 10 "$limit" qemu-system-x86_64 \
		-accel tcg,thread=multi -cpu max -smp 2 -m 2G \
		-nographic -no-reboot -nic none \
		-kernel "$ROOT/boot/vmlinuz-$kver" \
		-initrd "$out/initramfs.gz" \
		-append "console=ttyS0 panic=-1 oops=panic loglevel=4 memmap=512M\$0x40000000 dcssdax.suite=$suite ${DCSSDAX_APPEND:-}"
	;;
*)
	log "unknown arch $arch"; exit 2 ;;
esac
