#!/bin/bash
# make bench: dcssdax against pmem (legacy memmap=!, fs-dax with struct
# pages; x86_64), brd and plain memcpy, measured side by side in one VM
# boot per architecture (tests/guest/bench.sh).  Absolute numbers under
# TCG mean little, so every figure is a ratio of medians; the spread is
# min..max of the repetitions; section "sharing" (tests/share/bench.sh)
# boots 1, 2, 4 and 8 guests.  Output: a table here, and CSV, Markdown and a PNG plot in
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
	log "bench VM $arch: 1 GiB dcssdax segment, 1 GiB brd$([ "$arch" = x86_64 ] && echo ", 1 GiB legacy pmem")"
	case $arch in
	x86_64)
		kver=$(kver_amd64) limit=3600
		# pmem above 4 GiB: below, QEMU's ACPI tables sit under 3 GiB.
		memory='5G memmap=1G$0x40000000 memmap=1G!0x100000000' ;;
	s390x)
		kver=$(kver_s390x) limit=3600
		# 3 GiB of storage with mem=2G: the segment is the top 1 GiB.
		memory='3072 mem=2048M' ;;
	esac
	echo "KERNEL $arch $kver" >"$out/kernel-$arch.txt"
	DCSSDAX_VM_MEMORY=$memory "$here/vm/run.sh" "$arch" bench "$limit" \
		>"$out/console-$arch.log" 2>&1 &
	vm[$arch]=$!
done
for arch in $arches; do
	rc=0
	wait "${vm[$arch]}" || rc=$?
	# The measurements come from the results port, not the console.
	cp "$TOP/build/$arch/guest-results.txt" "$out/results-$arch.txt"
	tr -d '\r' <"$out/results-$arch.txt" | grep -qx BENCH-END ||
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

# Section "sharing": N guests, one tree (x86_64 only: QEMU cannot share
# part of an s390x guest's storage with a host file).
case " $sections " in
*" sharing "*)
	echo
	echo "=== sharing"
	"$here/share/bench.sh" ;;
esac
