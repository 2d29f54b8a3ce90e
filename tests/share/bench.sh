#!/bin/bash
# make bench, section "sharing": what N guests running the same programs
# cost the host, with the programs' tree
#   (a) on one segment shared by all guests, mounted dax,ro (dcssdax);
#   (b) on a virtio-blk copy of the same ext2 image per guest;
#   (c) on one read-only ext2 image shared by all guests on virtio-blk
#       (the host's page cache is shared, each guest caches its own copy).
# Each guest starts python3, imports a fixed set of standard-library
# modules and runs a coreutils pipeline, all from the tree
# (tests/guest/share.sh, role bench), once, cold.
#
# Memory for the tree, the figure: what holds the tree's bytes for N
# guests: each guest's page cache growth while the workload runs, plus the
# segment's struct pages in each guest (a), plus the image files' pages in
# the host's page cache (fincore: a file shared by the guests counts once).
# Host memory of the guests, for scale: the QEMU processes' PSS (smaps)
# minus their PSS of the image files, plus the image files' resident
# pages; under TCG most of it is the emulator's translation cache, which
# KVM would not have.  The host's page cache is dropped before each run.
#
#   tests/share/bench.sh        N from DCSSDAX_SHARE_N (default 1 2 4 8)
# Output: a table, build/bench/sharing.csv and sharing.png.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../env/common.sh"

out=$TOP/build/share-bench
bench=$TOP/build/bench
mkdir -p "$out" "$bench"
. "$here/guests.sh"
counts=${DCSSDAX_SHARE_N:-1 2 4 8}
# The guests boot from a copy of the initramfs: building the module or
# the initramfs meanwhile (make bench's other section) rewrites the
# original in place.
cp "$SHARE_INITRAMFS" "$out/initramfs.gz"
SHARE_INITRAMFS=$out/initramfs.gz
# One vCPU per guest: the workload is one process at a time, eight
# guests of two vCPUs on a two-core host only add threads, and with
# several vCPUs QEMU TCG sometimes panics a guest at boot ("Oops: int3"
# in code the kernel is patching: another vCPU still runs the old
# translation), seen in one of four boots of the 2-guest run.
SHARE_SMP=1
# no_timer_check: with four guests or more on a loaded host, a TCG
# guest can miss the timer ticks the kernel's IO-APIC check waits for
# and panic with "IO-APIC + timer doesn't work!" (seen at N=4).
ADDR=0x100000000

"$here/tree.sh" "$TOP/build/share/tree"
tree_kb=$(du -sk "$TOP/build/share/tree/v1" | cut -f1)
# The segment is sized to its content, as a site defines a DCSS: the tree
# plus an eighth and 4 MiB for ext2's own blocks, rounded up to 2 MiB.
# Each guest holds struct pages for all of it (64 B per 4 KiB), so a
# segment much larger than the tree would show as a guest's cost.
seg_kb=$(( (tree_kb + tree_kb / 8 + 4096 + 2047) / 2048 * 2048 ))
SIZE=$(( seg_kb / 1024 ))M
# The image: the same bytes serve as the segment (a DCSS holds the
# filesystem's bytes from its first address) and as the virtio disk.
img=$out/tree.img
rm -f "$img"
inroot mke2fs -q -t ext2 -b 4096 -d /src/build/share/tree/v1 "/src/${img#"$TOP"/}" $SIZE

# run CONFIG N: N guests of CONFIG at once; prints
# "CONFIG N TREE-KB HOST-KB CACHE-KB COLD-MS" (CACHE and COLD: means per
# guest).
run() {
	local cfg=$1 n=$2 i g files=() names=() qemu
	# Under TCG on a shared host, N guests boot about N times slower.
	local limit=$(( 900 + 300 * n ))
	sync
	echo 3 >/proc/sys/vm/drop_caches
	for i in $(seq 1 "$n"); do
		g=$cfg$n-$i
		names+=("$g")
		case $cfg in
		a) qemu=(-object memory-backend-file,id=seg,share=on,mem-path="$img",size=$SIZE
			 -device nvdimm,memdev=seg,id=nv0,addr=$ADDR)
		   files=("$img") ;;
		b) cp --sparse=always "$img" "$out/copy-$i.img"
		   sync
		   echo 3 >/proc/sys/vm/drop_caches
		   qemu=(-drive file="$out/copy-$i.img",if=virtio,format=raw,readonly=on)
		   files+=("$out/copy-$i.img") ;;
		c) qemu=(-drive file="$img",if=virtio,format=raw,readonly=on)
		   files=("$img") ;;
		esac
		guest_boot "$g" bench "$limit" "memmap=$SIZE\$$ADDR dcssdax.bench=$cfg dcssdax.extmib=${SIZE%M} no_timer_check" \
			"$SHARE_INITRAMFS" "${qemu[@]}"
	done
	for g in "${names[@]}"; do wait_sync "$g" before "$limit" || return 1; done
	# Started together, so that the cold starts overlap as at a site's
	# boot storm.
	for g in "${names[@]}"; do reply "$g" before; done
	for g in "${names[@]}"; do wait_sync "$g" after "$limit" || return 1; done
	local pss=0 filepss=0 cached=0 cold=0 memmap=0 f
	for g in "${names[@]}"; do
		pss=$(( pss + $(smaps_kb "$g" "" Pss) ))
		for f in $(printf '%s\n' "${files[@]}" | sort -u); do
			filepss=$(( filepss + $(smaps_kb "$g" "$f" Pss) ))
		done
	done
	local resident
	resident=$(fincore -b -n -o RES "${files[@]}" | awk '{ s += $1 } END { print int(s / 1024) }')
	for g in "${names[@]}"; do reply "$g" after; done
	for g in "${names[@]}"; do guest_wait "$g"; done
	for g in "${names[@]}"; do
		if ! tr -d '\r' <"$out/$g/results.txt" | grep -x -- 'SUITE DONE' >/dev/null ||
		   tr -d '\r' <"$out/$g/results.txt" | grep -- '^BENCH error\|^RESULT FAIL' >/dev/null; then
			log "sharing bench: guest $g failed; see $out/$g/console.log"
			return 1
		fi
		cached=$(( cached + $(tr -d '\r' <"$out/$g/results.txt" | awk '$2 == "cache-growth-kb" {print $3}') ))
		cold=$(( cold + $(tr -d '\r' <"$out/$g/results.txt" | awk '$2 == "cold-start-ms" {print $3}') ))
		memmap=$(( memmap + $(tr -d '\r' <"$out/$g/results.txt" | awk '$2 == "memmap-kb" {print $3}') ))
	done
	rm -f "$out"/copy-*.img
	echo "$cfg $n $(( cached + memmap + resident )) $(( pss - filepss + resident )) $(( cached / n )) $(( cold / n ))"
}

: >"$out/raw.txt"
for n in $counts; do
	for cfg in a b c; do
		log "sharing bench: ($cfg) with $n guest(s)"
		if ! line=$(run "$cfg" "$n"); then
			log "sharing bench: ($cfg) with $n guest(s) failed"
			exit 1
		fi
		echo "$line" | tee -a "$out/raw.txt" >&2
	done
done

# The table: per N and configuration, the memory for the tree and what
# each guest beyond the first added to it (against the tree's size), the
# guests' host memory, page cache growth per guest, cold start; then the
# ratios (a)/(b) and (a)/(c) of the memory for the tree.
awk -v tree="$tree_kb" -v seg="$seg_kb" '
	{ t[$1, $2] = $3; host[$1, $2] = $4; cache[$1, $2] = $5; cold[$1, $2] = $6
	  if (!($2 in seen)) { seen[$2] = 1; ns[++k] = $2 } }
	END {
		printf "sharing: N x86_64 guests run python3 + coreutils from one %.1f MiB tree (TCG)\n", tree / 1024
		printf "%-3s %-4s %12s %18s %12s %12s %8s\n", "", "N", "tree MiB", "per added guest", "host MiB", "guest cache", "cold s"
		for (c = 1; c <= 3; c++) {
			cfg = substr("abc", c, 1)
			for (i = 1; i <= k; i++) {
				n = ns[i]; per = "-"
				if (n > ns[1]) {
					d = (t[cfg, n] - t[cfg, ns[1]]) / (n - ns[1])
					per = sprintf("%.1f (%.1f%%)", d / 1024, 100 * d / tree)
				}
				printf "(%s) %-4s %12.1f %18s %12.1f %12.1f %8.2f\n", cfg, n, t[cfg, n] / 1024, per, host[cfg, n] / 1024, cache[cfg, n] / 1024, cold[cfg, n] / 1000
			}
		}
		printf "(a) one dcssdax segment, dax,ro; (b) a virtio-blk copy per guest; (c) one shared virtio-blk image\n"
		printf "(a) the least a guest adds: struct pages for the %d MiB segment, %.2f MiB (%.1f%% of the tree)\n", seg / 1024, seg / 64 / 1024, 100 * seg / 64 / tree
		printf "ratios of the memory for the tree:   (a)/(b)   (a)/(c)\n"
		for (i = 1; i <= k; i++) {
			n = ns[i]
			printf "  N=%-4s %28.3f %9.3f\n", n, t["a", n] / t["b", n], t["a", n] / t["c", n]
		}
	}' "$out/raw.txt" | tee "$bench/sharing.txt"
{
	echo "config,guests,tree_kb,host_kb,guest_cache_kb,cold_start_ms"
	tr ' ' , <"$out/raw.txt"
} >"$bench/sharing.csv"
for cfg in a b c; do awk -v c=$cfg '$1 == c { print $2, $3 / 1024 }' "$out/raw.txt" >"$out/plot-$cfg.dat"; done
gnuplot <<GP 2>/dev/null || log "gnuplot failed, no sharing.png"
set terminal png size 900,500 noenhanced
set output "$bench/sharing.png"
set title "x86_64: memory holding one tree for N guests"
set xlabel "guests"
set xtics 1
set ylabel "memory holding the tree, MiB"
set key left top
set grid
plot "$out/plot-a.dat" with linespoints title "(a) one dcssdax segment, dax,ro", \\
     "$out/plot-b.dat" with linespoints title "(b) virtio-blk copy per guest", \\
     "$out/plot-c.dat" with linespoints title "(c) one shared virtio-blk image"
GP
log "sharing bench: build/bench/sharing.txt, sharing.csv, sharing.png"
