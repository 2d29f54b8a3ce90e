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
: >"$out/raw.txt"
for arch in $arches; do
	"$here/env/build.sh" "$arch"
	log "bench VM $arch: 1 GiB dcssdax segment, 1 GiB brd$([ "$arch" = x86_64 ] && echo ", 1 GiB legacy pmem")"
	case $arch in
	x86_64)
		kver=$(kver_amd64) limit=1800
		# pmem above 4 GiB: below, QEMU's ACPI tables sit under 3 GiB.
		memory='5G memmap=1G$0x40000000 memmap=1G!0x100000000' ;;
	s390x)
		kver=$(kver_s390x) limit=2400
		# 3 GiB of storage with mem=2G: the segment is the top 1 GiB.
		memory='3072 mem=2048M' ;;
	esac
	DCSSDAX_VM_MEMORY=$memory "$here/vm/run.sh" "$arch" bench "$limit" \
		>"$out/console-$arch.log" 2>&1 || true
	# The measurements come from the results port, not the console.
	cp "$TOP/build/$arch/guest-results.txt" "$out/results-$arch.txt"
	tr -d '\r' <"$out/results-$arch.txt" | grep -qx BENCH-END ||
		{ guest_finished "$out/console-$arch.log" BENCH-END "bench $arch"; exit 1; }
	echo "KERNEL $arch $kver" >>"$out/raw.txt"
	tr -d '\r' <"$out/results-$arch.txt" | grep '^BENCH ' |
		sed "s/^BENCH /BENCH $arch:/" >>"$out/raw.txt" || true
	grep -q "^BENCH $arch:" "$out/raw.txt" ||
		{ log "no measurements on $arch; see $out/console-$arch.log"; exit 1; }
done

# median, min, max of each ARCH:METRIC TARGET (values sorted by sort(1):
# mawk has no asort)
grep '^BENCH ' "$out/raw.txt" | sort -k2,2 -k3,3 -k5,5g |
awk 'function flush() { if (n) { m = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
				 print key, m, v[1], v[n], n } }
     { k = $2 " " $3; if (k != key) { flush(); key = k; n = 0 } v[++n] = $5 }
     END { flush() }' >"$out/stats.txt"

stat() { awk -v k="$A:$1 $2" '$1 " " $2 == k { print $3, $4, $5; exit }' "$out/stats.txt"; }
# ratio LABEL METRIC-A TARGET-A METRIC-B TARGET-B (left out where a
# target is missing: pmem on s390x)
ratio() {
	local a b
	a=$(stat "$2" "$3"); b=$(stat "$4" "$5")
	[ -n "$a" ] && [ -n "$b" ] || return 0
	echo "$a $b" | awk -v l="$A $1" '{ printf "%s,%.3f,%.3f,%.3f\n", l, $1 / $4, $2 / $6, $3 / $5 }'
}
{
	echo "figure,ratio,low,high"
	for A in $arches; do
		ratio "1 read() ext2 dax: dcssdax/pmem" read d read p
		ratio "1 read() ext2 dax: dcssdax/memcpy" read d memcpy m
		ratio "2 mmap touch: dcssdax/pmem" mmap d mmap p
		ratio "2 mmap touch: dcssdax/memcpy" mmap d memcpy m
		for rw in r w; do for qd in 1 16; do
			ratio "4 4K rand $rw qd$qd: dcssdax/brd" rand-$rw-qd$qd d rand-$rw-qd$qd b
			ratio "4 4K rand $rw qd$qd: dcssdax/pmem" rand-$rw-qd$qd d rand-$rw-qd$qd p
		done; done
		if [ "$(stat thp x | cut -d' ' -f1)" != 0 ]; then
			ratio "5 PMD faults ext4 2 MiB stripe: dcssdax/pmem" pmd-faults-ext4 d pmd-faults-ext4 p
			ratio "5 PMD faults ext4 2 MiB stripe: dcssdax/layout" pmd-faults-ext4 d pmd-windows-ext4 d
		fi
		ratio "6 add 1 GiB: dcssdax/pmem (time)" add-ms d add-ms p
		ratio "6 struct pages 1 GiB: dcssdax/expected" memmap-kb d memmap-expected-kb x
		ratio "6 struct pages 1 GiB: pmem/expected" memmap-kb p memmap-expected-kb x
	done
} >"$out/ratios.csv"
{
	echo "figure,target,median,min,max,reps"
	awk '{ print $1 "," $2 "," $3 "," $4 "," $5 "," $6 }' "$out/stats.txt"
} >"$out/measurements.csv"

host="$(uname -m) host, $(nproc) CPUs; $(qemu-system-x86_64 --version | head -n 1)"
{
	echo "# make bench ($(date -u +%F))"
	echo
	echo "$host; guest kernels: $(awk '/^KERNEL/ { printf "%s%s %s", sep, $2, $3; sep = ", " }' "$out/raw.txt")."
	echo "TCG, one boot per architecture, measurements interleaved, $(awk '$1 ~ /:read$/ { print $6; exit }' "$out/stats.txt") repetitions, ratio of medians (low..high from min/max)."
	echo
	echo "| figure | ratio | low | high |"
	echo "| --- | --- | --- | --- |"
	tail -n +2 "$out/ratios.csv" | awk -F, '{ printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4 }'
	for A in $arches; do
		echo
		echo "$A, 3 page cache growth reading 256 MiB (KiB, median): dax on dcssdax $(stat cache-dax d | cut -d' ' -f1)$([ -n "$(stat cache-dax p)" ] && echo ", dax on pmem $(stat cache-dax p | cut -d' ' -f1)"), no dax on dcssdax $(stat cache-nodax d | cut -d' ' -f1)"
		echo
		echo "$A, 5 DAX faults on a 256 MiB mapping (128 PMDs): PMD faults / 2 MiB windows the file's layout allows / PTE faults:"
		[ "$(stat thp x | cut -d' ' -f1)" = 0 ] &&
			echo "  (no PMD faults possible: the guest kernel has no transparent huge pages; s390x under QEMU TCG lacks EDAT-1)"
		for fs in ext2 ext4; do
			line="  $fs: dcssdax $(stat pmd-faults-$fs d | cut -d' ' -f1) / $(stat pmd-windows-$fs d | cut -d' ' -f1) / $(stat pte-faults-$fs d | cut -d' ' -f1)"
			[ -n "$(stat pmd-faults-$fs p)" ] &&
				line="$line; pmem $(stat pmd-faults-$fs p | cut -d' ' -f1) / $(stat pmd-windows-$fs p | cut -d' ' -f1) / $(stat pte-faults-$fs p | cut -d' ' -f1)"
			echo "$line"
		done
	done
} >"$out/bench.md"

gnuplot <<GP 2>/dev/null || log "gnuplot failed, no PNG"
set terminal png size 1200,600
set output "$out/ratios.png"
set datafile separator ","
set style data histogram
set style histogram errorbars gap 2 lw 1
set style fill solid 0.5
set xtics rotate by -35 font ",8"
set ylabel "ratio (1 = equal), log scale"
set logscale y 2
set grid ytics
set title "dcssdax ratios under TCG (x86_64 and s390x guests)"
plot "$out/ratios.csv" using 2:3:4:xtic(1) skip 1 title "ratio (min..max)"
GP
cat "$out/bench.md"
log "results in $out (bench.md, ratios.csv, measurements.csv, ratios.png)"

# Section "sharing": N guests, one tree (x86_64 only: QEMU cannot share
# part of an s390x guest's storage with a host file).
case " $arches " in
*" x86_64 "*)
	echo
	echo "=== sharing"
	"$here/share/bench.sh" ;;
esac
