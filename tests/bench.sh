#!/bin/bash
# make bench: dcssdax against pmem (legacy memmap=!, fs-dax with struct
# pages; x86_64), brd and plain memcpy, measured side by side in one VM
# boot per architecture (tests/guest/bench.sh).  Absolute numbers under
# TCG mean little, so every figure is a ratio of medians; the spread is
# min..max of the repetitions; section "sharing" (tests/share/bench.sh)
# boots 1, 2, 4 and 8 x86_64 guests and 1, 2, 4 s390x guests, twice.  Output: a table here, and CSV, Markdown and a PNG plot in
# build/bench/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/env/common.sh"

out=$TOP/build/bench
mkdir -p "$out"
"$here/env/setup-host.sh" bench
arches=${DCSSDAX_ARCHES:-x86_64 s390x}
# DCSSDAX_BENCH: the sections to run, "main" (this file's VMs) and
# "sharing" (tests/share/bench.sh); both by default.
sections=${DCSSDAX_BENCH:-main sharing}
case " $sections " in *" main "*) ;; *) arches="" ;; esac
: >"$out/raw.txt"
for arch in $arches; do "$here/env/build.sh" "$arch"; done
# The architectures' VMs run at once: each figure is a ratio measured
# inside one VM, so a neighbour's load costs both sides alike.
declare -A vm=()
for arch in $arches; do
	log "bench VM $arch: 1 GiB dcssdax segment, 1 GiB brd$([ "$arch" = x86_64 ] && echo ", 1 GiB legacy pmem; figure 8: 8 joined 2 GiB segments, pmem of 1-16 GiB")"
	qemu=""
	case $arch in
	x86_64)
		kver=$(kver_amd64) limit=3600
		# pmem above 4 GiB: below, QEMU's ACPI tables sit under 3 GiB.
		# Figure 8's devices: pmem regions of 2, 4, 8 and 16 GiB at 6,
		# 9, 14 and 23 GiB, each followed by 1 GiB of RAM (adjacent
		# memmap=! ranges would merge into one region), and 16 GiB
		# reserved at 40 GiB for the segments SC1..SC8.  55 GiB of
		# guest RAM, of which only what the guest touches is host
		# memory: 7 GiB is usable RAM, the rest reserved and touched only
		# by the figures that write it (1 GiB each of dcssdax, pmem and
		# brd), and the struct pages of figure 8 (up to 256 MiB) are in
		# the usable RAM.  Without reserve=off QEMU's 55 GiB mapping is
		# refused on a host with less memory.  nokaslr: the
		# decompressor's KASLR keeps the kernel out of the first four
		# memmap= arguments only (MAX_MEMMAP_REGIONS in
		# arch/x86/boot/compressed/kaslr.c; separate arguments beyond
		# the fourth are ignored, not refused), and a kernel placed in
		# the 16 GiB pmem range once left that region misaligned.
		memory='55G nokaslr memmap=1G$0x40000000 memmap=1G!0x100000000'
		memory="$memory memmap=2G!0x180000000 memmap=4G!0x240000000"
		memory="$memory memmap=8G!0x380000000 memmap=16G!0x5c0000000"
		memory="$memory memmap=16G\$0xa00000000"
		qemu="-machine pc,memory-backend=ram0"
		qemu="$qemu -object memory-backend-ram,id=ram0,size=55G,reserve=off" ;;
	s390x)
		kver=$(kver_s390x) limit=3600
		# 3 GiB of storage with mem=2G: the segment is the top 1 GiB.
		memory='3072 mem=2048M' ;;
	esac
	echo "KERNEL $arch $kver" >"$out/kernel-$arch.txt"
	DCSSDAX_VM_MEMORY=$memory DCSSDAX_VM_QEMU=$qemu "$here/vm/run.sh" "$arch" bench "$limit" \
		>"$out/console-$arch.log" 2>&1 &
	vm[$arch]=$!
done
for arch in $arches; do
	rc=0
	wait "${vm[$arch]}" || rc=$?
	# The measurements come from the results port, not the console.
	cp "$TOP/build/$arch/guest-results.txt" "$out/results-$arch.txt"
	tr -d '\r' <"$out/results-$arch.txt" | grep -x -- BENCH-END >/dev/null ||
		{ guest_finished "$out/console-$arch.log" BENCH-END "bench $arch"; exit 1; }
	[ "$rc" = 0 ] ||
		{ log "bench VM $arch: QEMU exited with status $rc; see $out/console-$arch.log"; exit 1; }
	if tr -d '\r' <"$out/results-$arch.txt" | grep '^BENCH-ERROR' >&2; then
		log "bench VM $arch: the steps above failed; see $out/console-$arch.log"
		exit 1
	fi
	cat "$out/kernel-$arch.txt" >>"$out/raw.txt"
	tr -d '\r' <"$out/results-$arch.txt" | grep '^BENCH ' |
		sed "s/^BENCH /BENCH $arch:/" >>"$out/raw.txt" || true
	grep -q "^BENCH $arch:" "$out/raw.txt" ||
		{ log "no measurements on $arch; see $out/console-$arch.log"; exit 1; }
done
[ -z "$arches" ] || "$here/bench-report.sh" "$out" $arches

# Section "sharing": N guests, one tree, on each architecture (s390x's
# guests under the emulated CP).
case " $sections " in
*" sharing "*)
	for arch in ${DCSSDAX_ARCHES:-x86_64 s390x}; do
		echo
		echo "=== sharing, $arch"
		"$here/share/bench.sh" "$arch"
	done ;;
esac
