#!/bin/bash
# make bench's report of the main section (tests/bench.sh): the BENCH
# lines of build/bench/raw.txt as medians with their spread, ratios
# (ratios.csv), a Markdown table (bench.md, printed) and a plot
# (ratios.png).
#   tests/bench-report.sh OUT-DIR ARCH...
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/env/common.sh"
out=$1
shift
arches=$*

# median, min, max of each ARCH:METRIC TARGET (values sorted by sort(1):
# mawk has no asort)
grep '^BENCH ' "$out/raw.txt" | sort -k2,2 -k3,3 -k5,5g |
awk 'function flush() { if (n) { m = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
				 print key, m, v[1], v[n], n } }
     { k = $2 " " $3; if (k != key) { flush(); key = k; n = 0 } v[++n] = $5 }
     END { flush() }' >"$out/stats.txt"

stat() { awk -v k="$A:$1 $2" '$1 " " $2 == k { print $3, $4, $5; exit }' "$out/stats.txt"; }
# Figure 8's device sizes, GiB.
sizes="1 2 4 8 16"
spread() { stat "$1" "$2" | awk '{ printf "%s (%s..%s)", $1, $2, $3 }'; }
# ratio LABEL METRIC-A TARGET-A METRIC-B TARGET-B; a missing measurement
# fails the bench (pmem ratios are asked for only where pmem exists).
ratio() {
	local a b
	a=$(stat "$2" "$3"); b=$(stat "$4" "$5")
	[ -n "$a" ] && [ -n "$b" ] ||
		{ log "bench: $A has no measurement of $2 $3 or $4 $5"; exit 1; }
	echo "$a $b" | awk -v l="$A $1" '{ printf "%s,%.3f,%.3f,%.3f\n", l, $1 / $4, $2 / $6, $3 / $5 }'
}
{
	echo "figure,ratio,low,high"
	for A in $arches; do
		pm() { [ "$A" = x86_64 ]; }
		! pm || ratio "1 read() ext2 dax: dcssdax/pmem" read d read p
		ratio "1 read() ext2 dax: dcssdax/memcpy" read d memcpy m
		! pm || ratio "2 mmap touch: dcssdax/pmem" mmap d mmap p
		ratio "2 mmap touch: dcssdax/memcpy" mmap d memcpy m
		! pm || ratio "7 write() 256 MiB ext2 dax: dcssdax/pmem" seqwrite d seqwrite p
		ratio "7 write() 256 MiB ext2 dax: dcssdax/memcpy" seqwrite d memcpy m
		for rw in r w; do for th in 1 16; do
			tl="$th sync thread$([ $th = 1 ] || echo s)"
			ratio "4 4K rand $rw $tl: dcssdax/brd" rand-$rw-t$th d rand-$rw-t$th b
			! pm || ratio "4 4K rand $rw $tl: dcssdax/pmem" rand-$rw-t$th d rand-$rw-t$th p
		done; done
		if [ "$(stat thp x | cut -d' ' -f1)" != 0 ]; then
			! pm || ratio "5 PMD faults ext4 2 MiB stripe: dcssdax/pmem" pmd-faults-ext4 d pmd-faults-ext4 p
			ratio "5 PMD faults ext4 2 MiB stripe: dcssdax/layout" pmd-faults-ext4 d pmd-windows-ext4 d
		fi
		! pm || ratio "6 add 1 GiB: dcssdax/pmem (time)" add-ms d add-ms p
		ratio "6 struct pages 1 GiB: dcssdax/expected" memmap-kb d memmap-expected-kb x
		! pm || ratio "6 struct pages 1 GiB: pmem/expected" memmap-kb p memmap-expected-kb x
		! pm || for g in $sizes; do
			ratio "8 add $g GiB: dcssdax/pmem (time)" scale-add-ms-$g d scale-add-ms-$g p
			ratio "8 struct pages $g GiB: dcssdax/pmem" scale-memmap-kb-$g d scale-memmap-kb-$g p
		done
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
		echo "$A, 3 page cache growth reading 256 MiB (KiB, median): dax on dcssdax $(stat cache-dax d | cut -d' ' -f1)$([ -n "$(stat cache-dax p)" ] && echo ", dax on pmem $(stat cache-dax p | cut -d' ' -f1)"), no dax on dcssdax $(stat cache-nodax d | cut -d' ' -f1)$([ -n "$(stat cache-nodax p)" ] && echo ", no dax on pmem $(stat cache-nodax p | cut -d' ' -f1)")"
		echo
		echo "$A, 5 DAX faults on a 256 MiB mapping (128 PMDs), medians of every repetition (PMD faults min..max): PMD faults / 2 MiB windows the file's layout allows / PTE faults:"
		[ "$(stat thp x | cut -d' ' -f1)" = 0 ] &&
			echo "  (no PMD faults possible: the guest kernel has no transparent huge pages; s390x under QEMU TCG lacks EDAT-1)"
		for fs in ext2 ext4; do
			line="  $fs: dcssdax $(spread pmd-faults-$fs d) / $(stat pmd-windows-$fs d | cut -d' ' -f1) / $(stat pte-faults-$fs d | cut -d' ' -f1)"
			[ -n "$(stat pmd-faults-$fs p)" ] &&
				line="$line; pmem $(spread pmd-faults-$fs p) / $(stat pmd-windows-$fs p | cut -d' ' -f1) / $(stat pte-faults-$fs p | cut -d' ' -f1)"
			echo "$line"
		done
		pm || continue
		echo
		echo "$A, 8 struct pages at scale: dcssdax of 2 GiB segments joined (1 GiB: one 1 GiB segment), pmem one region; medians of $(awk -v k="$A:scale-add-ms-1" '$1 == k { print $6; exit }' "$out/stats.txt") repetitions (add: min..max):"
		echo
		echo "| GiB | dcssdax add ms | pmem bind ms | dcssdax remove ms | pmem unbind ms | dcssdax struct pages MiB | (memmap_bytes) | pmem struct pages MiB | 64 B per 4 KiB, MiB |"
		echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
		for g in $sizes; do
			mib() { stat "$1" "$2" | awk '{ printf "%.1f", $1 / 1024 }'; }
			echo "| $g | $(spread scale-add-ms-$g d) | $(spread scale-add-ms-$g p) | $(stat scale-remove-ms-$g d | cut -d' ' -f1) | $(stat scale-remove-ms-$g p | cut -d' ' -f1) | $(mib scale-memmap-kb-$g d) | $(mib scale-memmap-bytes-kb-$g d) | $(mib scale-memmap-kb-$g p) | $(mib scale-memmap-expected-kb-$g x) |"
		done
		awk -v a="$A" '$1 == a ":scale-add-ms-1" { t1[$2] = $3 } $1 == a ":scale-add-ms-16" { t16[$2] = $3 }
			END { if (t1["d"] && t1["p"])
				printf "\n%s, 8 growth from 1 to 16 GiB (x16 in size): dcssdax add x%.1f, pmem bind x%.1f\n", a, t16["d"] / t1["d"], t16["p"] / t1["p"] }' "$out/stats.txt"
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
