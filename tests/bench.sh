#!/bin/bash
# make bench: dcssdax against pmem (legacy memmap=!, fs-dax with struct
# pages), brd and plain memcpy, measured side by side in one x86_64 VM
# boot (tests/guest/bench.sh).  Absolute numbers under TCG mean little, so
# every figure is a ratio of medians; the spread is min..max of the
# repetitions.  Output: a table here, and CSV, Markdown and a PNG plot in
# build/bench/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/env/common.sh"

out=$TOP/build/bench
mkdir -p "$out"
command -v gnuplot >/dev/null || {
	apt-get update -q >/dev/null; apt-get install -y -q gnuplot-nox >/dev/null; }
"$here/env/build.sh" x86_64
kver=$(kver_amd64)
# pmem goes above 4 GiB: below, QEMU's ACPI tables sit right under 3 GiB.
log "bench VM: 1 GiB dcssdax segment, 1 GiB legacy pmem, 1 GiB brd"
timeout --foreground -k 10 1800 qemu-system-x86_64 \
	-accel tcg,thread=multi -cpu max -smp 2 -m 5G \
	-nographic -no-reboot -nic none \
	-kernel "$ROOT/lib/modules/$kver/vmlinuz" \
	-initrd "$TOP/build/x86_64/initramfs.gz" \
	-append "console=ttyS0 panic=-1 oops=panic loglevel=4 memmap=1G\$0x40000000 memmap=1G!0x100000000 dcssdax.suite=bench" \
	>"$out/console.log" 2>&1 || true
tr -d '\r' <"$out/console.log" | grep '^BENCH ' >"$out/raw.txt" || true
grep -q . "$out/raw.txt" || { log "no measurements; see $out/console.log"; exit 1; }

# median, min, max of each METRIC TARGET (values sorted by sort(1): mawk
# has no asort)
sort -k2,2 -k3,3 -k5,5g "$out/raw.txt" |
awk 'function flush() { if (n) { m = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
				 print key, m, v[1], v[n], n } }
     { k = $2 " " $3; if (k != key) { flush(); key = k; n = 0 } v[++n] = $5 }
     END { flush() }' >"$out/stats.txt"

stat() { awk -v k="$1 $2" '$1 " " $2 == k { print $3, $4, $5; exit }' "$out/stats.txt"; }
# ratio LABEL METRIC-A TARGET-A METRIC-B TARGET-B
ratio() {
	local a b
	a=$(stat "$2" "$3"); b=$(stat "$4" "$5")
	[ -n "$a" ] && [ -n "$b" ] || { echo "$1,n/a,n/a,n/a"; return; }
	echo "$a $b" | awk -v l="$1" '{ printf "%s,%.3f,%.3f,%.3f\n", l, $1 / $4, $2 / $6, $3 / $5 }'
}
{
	echo "figure,ratio,low,high"
	ratio "1 read() ext2 dax: dcssdax/pmem" read d read p
	ratio "1 read() ext2 dax: dcssdax/memcpy" read d memcpy m
	ratio "2 mmap touch: dcssdax/pmem" mmap d mmap p
	ratio "2 mmap touch: dcssdax/memcpy" mmap d memcpy m
	for rw in r w; do for qd in 1 16; do
		ratio "4 4K rand $rw qd$qd: dcssdax/brd" rand-$rw-qd$qd d rand-$rw-qd$qd b
		ratio "4 4K rand $rw qd$qd: dcssdax/pmem" rand-$rw-qd$qd d rand-$rw-qd$qd p
	done; done
	ratio "6 add 1 GiB: dcssdax/pmem (time)" add-ms d add-ms p
	ratio "6 struct pages 1 GiB: dcssdax/expected" memmap-kb d memmap-expected-kb x
	ratio "6 struct pages 1 GiB: pmem/expected" memmap-kb p memmap-expected-kb x
} >"$out/ratios.csv"
{
	echo "figure,target,median,min,max,reps"
	awk '{ print $1 "," $2 "," $3 "," $4 "," $5 "," $6 }' "$out/stats.txt"
} >"$out/measurements.csv"

host="$(uname -m), $(nproc) CPUs; guest kernel $kver; $(qemu-system-x86_64 --version | head -n 1)"
{
	echo "# make bench ($(date -u +%F))"
	echo
	echo "$host; TCG, one boot, measurements interleaved, ratio of medians (low..high from min/max)."
	echo
	echo "| figure | ratio | low | high |"
	echo "| --- | --- | --- | --- |"
	tail -n +2 "$out/ratios.csv" | awk -F, '{ printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4 }'
	echo
	echo "3 page cache growth reading 256 MiB (KiB, median): dax on dcssdax $(stat cache-dax d | cut -d' ' -f1), dax on pmem $(stat cache-dax p | cut -d' ' -f1), no dax on dcssdax $(stat cache-nodax d | cut -d' ' -f1)"
	echo
	echo "5 DAX faults on a 256 MiB mapping: dcssdax PMD $(stat pmd-faults d | cut -d' ' -f1) PTE $(stat pte-faults d | cut -d' ' -f1); pmem PMD $(stat pmd-faults p | cut -d' ' -f1) PTE $(stat pte-faults p | cut -d' ' -f1)"
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
set title "dcssdax ratios, $kver under TCG"
plot "$out/ratios.csv" using 2:3:4:xtic(1) skip 1 title "ratio (min..max)"
GP
cat "$out/bench.md"
log "results in $out (bench.md, ratios.csv, measurements.csv, ratios.png)"
