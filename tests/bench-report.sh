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
# ratio FIG CASE PAIR METRIC-A TARGET-A METRIC-B TARGET-B: one row of
# ratios.csv, "arch,fig,case,pair,ratio,low,high" (low: min/max, high:
# max/min); a missing measurement fails the bench (pmem ratios are asked
# for only where pmem exists).
ratio() {
	local a b
	a=$(stat "$4" "$5"); b=$(stat "$6" "$7")
	[ -n "$a" ] && [ -n "$b" ] ||
		{ log "bench: $A has no measurement of $4 $5 or $6 $7"; exit 1; }
	echo "$a $b" | awk -v l="$A,$1,$2,$3" '{ printf "%s,%.3f,%.3f,%.3f\n", l, $1 / $4, $2 / $6, $3 / $5 }'
}
# The figures' titles, by number.
title() {
	case $1 in
	1) echo "read() 256 MiB, ext2 dax" ;;
	2) echo "mmap, read every word, 256 MiB" ;;
	4) echo "4 KiB random O_DIRECT, raw device" ;;
	5) echo "PMD faults, ext4 with 2 MiB stripe" ;;
	6) echo "add 1 GiB: time, struct pages" ;;
	7) echo "write() 256 MiB, ext2 dax" ;;
	8) echo "1 to 16 GiB: add time, struct pages" ;;
	esac
}
{
	echo "arch,fig,case,pair,ratio,low,high"
	for A in $arches; do
		pm() { [ "$A" = x86_64 ]; }
		! pm || ratio 1 "" dcssdax/pmem read d read p
		ratio 1 "" dcssdax/memcpy read d memcpy m
		! pm || ratio 2 "" dcssdax/pmem mmap d mmap p
		ratio 2 "" dcssdax/memcpy mmap d memcpy m
		for rw in r w; do for th in 1 16; do
			ratio 4 "$rw ${th}t" dcssdax/brd rand-$rw-t$th d rand-$rw-t$th b
			! pm || ratio 4 "$rw ${th}t" dcssdax/pmem rand-$rw-t$th d rand-$rw-t$th p
		done; done
		if [ "$(stat thp x | cut -d' ' -f1)" != 0 ]; then
			! pm || ratio 5 "" dcssdax/pmem pmd-faults-ext4 d pmd-faults-ext4 p
			ratio 5 "" dcssdax/layout pmd-faults-ext4 d pmd-windows-ext4 d
		fi
		! pm || ratio 6 time dcssdax/pmem add-ms d add-ms p
		ratio 6 pages dcssdax/expected memmap-kb d memmap-expected-kb x
		! pm || ratio 6 pages pmem/expected memmap-kb p memmap-expected-kb x
		! pm || ratio 7 "" dcssdax/pmem seqwrite d seqwrite p
		ratio 7 "" dcssdax/memcpy seqwrite d memcpy m
		! pm || for g in $sizes; do
			ratio 8 "${g}G time" dcssdax/pmem scale-add-ms-$g d scale-add-ms-$g p
			ratio 8 "${g}G pages" dcssdax/pmem scale-memmap-kb-$g d scale-memmap-kb-$g p
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
	echo "| arch | figure | case | ratio of | ratio | low | high |"
	echo "| --- | --- | --- | --- | --- | --- | --- |"
	sort -t, -k1,1r -k2,2n -s <(tail -n +2 "$out/ratios.csv") |
	while IFS=, read -r arch fig case pair r lo hi; do
		echo "| $arch | $fig $(title "$fig") | $case | $pair | $r | $lo | $hi |"
	done
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

# The plot: one panel per figure, a bar per ratio, coloured by
# architecture; the bar's label is the case and what dcssdax is compared
# with ("dcssdax/" left out).  noenhanced: "x86_64" is a name, not x86
# with a subscript.
rm -f "$out"/plot-*.dat
tail -n +2 "$out/ratios.csv" | sort -t, -k2,2n -k1,1r -s |
	awk -F, -v d="$out" '{
		f = d "/plot-" $2 ".dat"; x[f]++
		pair = $4; sub(/^dcssdax\//, "", pair); sub(/expected/, "exp.", pair)
		label = ($3 == "" ? "" : $3 " ") pair
		printf "%d\t%s\t%s\t%s\t%s\t%s\n", x[f], $5, $6, $7, label, $1 >f
	}'
{
	echo 'set terminal pngcairo size 1600,900 noenhanced font ",10"'
	echo "set output '$out/ratios.png'"
	echo 'set datafile separator "\t"'
	echo "set multiplot layout 2,4 title 'dcssdax: ratios of medians under TCG (bars: median, whiskers: min..max); blue x86_64, orange s390x; label: case and the peer dcssdax is compared with'"
	echo 'set style fill solid 0.6 border -1'
	echo 'set boxwidth 0.7'
	echo 'set logscale y 2'
	echo 'set grid ytics'
	echo 'set xtics rotate by 60 right font ",9"'
	echo 'set ytics font ",9"'
	echo 'set format y "%g"'
	echo 'set key top left font ",9"'
	echo 'set bmargin 8'
	echo 'set yrange [*<0.5:2<*]'
	for f in 1 2 4 5 6 7 8; do
		[ -s "$out/plot-$f.dat" ] || continue
		echo "set title '$f $(title $f)'"
		echo "set xrange [0.3:$(( $(wc -l <"$out/plot-$f.dat") ))+0.7]"
		echo "plot '$out/plot-$f.dat' using 1:(strcol(6) eq 'x86_64' ? \$2 : 1/0):3:4:(0.35):xtic(5) with boxerrorbars lc rgb '#3366cc' title 'x86_64', \\"
		echo "     '' using 1:(strcol(6) eq 's390x' ? \$2 : 1/0):3:4:(0.35) with boxerrorbars lc rgb '#ee8833' title 's390x', \\"
		echo "     1 with lines lc rgb 'black' dt 2 notitle"
	done
	# The 8th panel: figure 8's add times themselves, by size.
	if [ -s "$out/plot-8.dat" ]; then
		for g in $sizes; do
			echo "$g $(A=x86_64 stat scale-add-ms-$g d) $(A=x86_64 stat scale-add-ms-$g p)"
		done >"$out/plot-scale.dat"
		echo "set title '8 x86_64: add or bind time, ms'"
		echo 'unset xtics'
		echo 'set xtics (1, 2, 4, 8, 16) rotate by 0 center'
		echo 'set logscale x 2'
		echo 'set xrange [0.8:20]'
		echo 'set yrange [*:*]'
		echo 'set xlabel "GiB" offset 0,0.5'
		echo 'set datafile separator whitespace'
		echo "plot '$out/plot-scale.dat' using 1:2:3:4 with yerrorlines lc rgb '#3366cc' title 'dcssdax, 2 GiB segments joined', \\"
		echo "     '' using 1:5:6:7 with yerrorlines lc rgb '#cc3333' title 'pmem'"
	fi
	echo 'unset multiplot'
} >"$out/ratios.gp"
gnuplot "$out/ratios.gp" || { log "bench: gnuplot failed on $out/ratios.gp"; exit 1; }
cat "$out/bench.md"
log "results in $out (bench.md, ratios.csv, measurements.csv, ratios.png)"
