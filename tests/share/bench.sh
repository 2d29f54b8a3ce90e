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
# On x86_64 the segment is a host file mapped into each guest (as in
# run.sh); on s390x it is defined in the emulated CP (qemu-cp/), each
# guest loads it shared through extmem, and the shared pages are CP's one
# file of the version (NAME.v1.live, copied from NAME.v1 by the first
# holder).  NAME.v1 is CP's saved copy, the spool file on z/VM (on
# disk, read once into the shared pages at the first load): its pages
# in the host's page cache are not counted for (a), but printed beside.
#
# Memory for the tree, the figure: what holds the tree's bytes for N
# guests: each guest's page cache growth while the workload runs, plus the
# segment's struct pages in each guest (a: counted by the guest kernel,
# nr_memmap_pages, the driver's memmap_bytes beside it), plus the image
# files' pages in the host's page cache (fincore: a file shared by the
# guests counts once).
# Host memory of the guests, for scale: the QEMU processes' PSS (smaps)
# minus their PSS of the image files, plus the image files' resident
# pages; under TCG most of it is the emulator's translation cache, which
# KVM would not have.  The host's page cache is dropped before each run.
#
#   tests/share/bench.sh [ARCH]   ARCH x86_64 (default) or s390x
# N from DCSSDAX_SHARE_N (default 1 2 4 8 on x86_64, 1 2 4 on s390x),
# each N run DCSSDAX_SHARE_REPEAT times (default 2).
# Output: a table, build/bench/sharing.txt, .csv and .png (on s390x
# sharing-s390x.*).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../env/common.sh"

arch=${1:-x86_64}
bench=$TOP/build/bench
. "$here/guests.sh"
case $arch in
x86_64)
	out=$TOP/build/share-bench suffix=
	counts=${DCSSDAX_SHARE_N:-1 2 4 8}
	treedir=$TOP/build/share/tree ;;
s390x)
	out=$TOP/build/share-bench-s390x suffix=-s390x
	counts=${DCSSDAX_SHARE_N:-1 2 4}
	treedir=$TOP/build/share-s390x/tree
	SHARE_INITRAMFS=$TOP/build/s390x/initramfs.gz
	. "$here/../cp/lib.sh"
	mkdir -p "$out"
	CP_QEMU=$(cp_qemu "$out/setup-qemu-cp.log") ||
		{ log "sharing bench: no QEMU with the emulated CP, see $out/setup-qemu-cp.log"; exit 1; }
	CP_DIR=$out/cp ;;
*) log "sharing bench: no guests of $arch"; exit 1 ;;
esac
repeats=${DCSSDAX_SHARE_REPEAT:-2}
mkdir -p "$out" "$bench"
# The guests' initramfs as the tree has it now (make bench's main section
# may have built it, this section alone has not).
"$TOP/tests/env/build.sh" "$arch" >"$out/build.log" 2>&1 ||
	{ log "sharing bench: tests/env/build.sh $arch failed, see $out/build.log"; exit 1; }
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

"$here/tree.sh" "$treedir" "$arch"
tree_kb=$(du -sk "$treedir/v1" | cut -f1)
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
inroot mke2fs -q -t ext2 -b 4096 -d "$(in_root "$treedir/v1")" "$(in_root "$img")" $SIZE

# boot GUEST CONFIG LIMIT [QEMU-ARGS...]: one bench guest of CONFIG.
boot() {
	local g=$1 cfg=$2 limit=$3
	shift 3
	if [ "$arch" = x86_64 ]; then
		guest_boot "$g" bench "$limit" "memmap=$SIZE\$$ADDR dcssdax.bench=$cfg dcssdax.extmib=${SIZE%M} no_timer_check" \
			"$SHARE_INITRAMFS" "$@"
	else
		guest_boot_cp "$g" bench "$limit" "dcssdax.bench=$cfg dcssdax.extmib=${SIZE%M}" \
			"$SHARE_INITRAMFS" "$@"
	fi
}

# disk FILE: the QEMU arguments of a read-only virtio disk.
disk() {
	if [ "$arch" = x86_64 ]; then
		echo "-drive file=$1,if=virtio,format=raw,readonly=on"
	else
		echo "-drive file=$(in_root "$1"),if=none,id=d0,format=raw,readonly=on -device virtio-blk-ccw,drive=d0"
	fi
}

# value GUEST NAME: the guest's "BENCH NAME VALUE".
value() { tr -d '\r' <"$out/$1/results.txt" | awk -v n="$2" '$2 == n {print $3}'; }

# run CONFIG N REP: N guests of CONFIG at once; prints "CONFIG N REP
# TREE-KB HOST-KB CACHE-KB COLD-MS MEMMAP-KB DRIVER-MEMMAP-KB SPOOL-KB"
# (CACHE, COLD and both MEMMAPs: means per guest; SPOOL: CP's saved copy
# in the host's page cache, s390x's (a)).
run() {
	local cfg=$1 n=$2 i g files=() mapped=() names=() qemu
	# Under TCG on a shared host, N guests boot about N times slower.
	local limit=$(( 900 + 300 * n ))
	if [ "$arch" = s390x ]; then
		# CP's directory: the segment's version 1 is the image, SR,
		# at 1 GiB (above the guests' storage).
		rm -rf "$CP_DIR" && mkdir -p "$CP_DIR"
		printf 'origin HOST\nversion 1\nrange 40000 %X SR\n' \
			$(( 0x40000 + ${SIZE%M} * 256 - 1 )) >"$CP_DIR/SHREXT.seg"
		cp "$img" "$CP_DIR/SHREXT.v1"
	fi
	sync
	echo 3 >/proc/sys/vm/drop_caches
	for i in $(seq 1 "$n"); do
		g=$cfg$n-$i
		names+=("$g")
		case $cfg$arch in
		ax86_64)
			qemu=(-object memory-backend-file,id=seg,share=on,mem-path="$img",size=$SIZE
			      -device nvdimm,memdev=seg,id=nv0,addr=$ADDR)
			files=("$img") mapped=("$img") ;;
		as390x)
			qemu=()
			files=("$CP_DIR/SHREXT.v1.live") mapped=("$CP_DIR/SHREXT.v1.live") ;;
		b*)
			cp --sparse=always "$img" "$out/copy-$i.img"
			sync
			echo 3 >/proc/sys/vm/drop_caches
			read -ra qemu <<<"$(disk "$out/copy-$i.img")"
			files+=("$out/copy-$i.img") ;;
		c*)
			read -ra qemu <<<"$(disk "$img")"
			files=("$img") ;;
		esac
		boot "$g" "$cfg" "$limit" "${qemu[@]}"
	done
	for g in "${names[@]}"; do wait_sync "$g" before "$limit" || return 1; done
	# Started together, so that the cold starts overlap as at a site's
	# boot storm.
	for g in "${names[@]}"; do reply "$g" before; done
	for g in "${names[@]}"; do wait_sync "$g" after "$limit" || return 1; done
	local pss=0 filepss=0 cached=0 cold=0 memmap=0 dmemmap=0 f
	for g in "${names[@]}"; do
		pss=$(( pss + $(smaps_kb "$g" "" Pss) ))
		# (The guests map no disk image: they read it.)
		for f in "${mapped[@]}"; do
			filepss=$(( filepss + $(smaps_kb "$g" "/${f##*/}" Pss) ))
		done
	done
	local resident
	resident=$(fincore -b -n -o RES "${files[@]}" | awk '{ s += $1 } END { print int(s / 1024) }')
	local spool=0
	[ "$cfg$arch" != as390x ] ||
		spool=$(fincore -b -n -o RES "$CP_DIR/SHREXT.v1" | awk '{ print int($1 / 1024) }')
	for g in "${names[@]}"; do reply "$g" after; done
	for g in "${names[@]}"; do guest_wait "$g"; done
	for g in "${names[@]}"; do
		if ! tr -d '\r' <"$out/$g/results.txt" | grep -x -- 'SUITE DONE' >/dev/null ||
		   tr -d '\r' <"$out/$g/results.txt" | grep -- '^BENCH error\|^RESULT FAIL' >/dev/null; then
			log "sharing bench: guest $g failed; see $out/$g/console.log"
			return 1
		fi
		cached=$(( cached + $(value "$g" cache-growth-kb) ))
		cold=$(( cold + $(value "$g" cold-start-ms) ))
		memmap=$(( memmap + $(value "$g" memmap-kb) ))
		dmemmap=$(( dmemmap + $(value "$g" memmap-driver-kb) ))
	done
	rm -f "$out"/copy-*.img
	echo "$cfg $n $3 $(( cached + memmap + resident )) $(( pss - filepss + resident )) $(( cached / n )) $(( cold / n )) $(( memmap / n )) $(( dmemmap / n )) $spool"
}

raw=$out/raw.txt
: >"$raw"
for rep in $(seq 1 "$repeats"); do
	for n in $counts; do
		for cfg in a b c; do
			log "sharing bench: ($cfg) with $n guest(s), run $rep of $repeats"
			if ! line=$(run "$cfg" "$n" "$rep"); then
				log "sharing bench: ($cfg) with $n guest(s) failed"
				exit 1
			fi
			echo "$line" | tee -a "$raw" >&2
		done
	done
done

# The table: per N and configuration, the memory for the tree (mean of
# the runs, min..max) and what each guest beyond the first added to it
# (against the tree's size), the guests' host memory, page cache growth
# per guest, cold start; the struct pages a guest holds for the segment;
# then the ratios (a)/(b) and (a)/(c) of the memory for the tree.
awk -v tree="$tree_kb" -v seg="$seg_kb" -v arch="$arch" '
	{ k2 = $1 SUBSEP $2; r[k2]++
	  t[k2] += $4; host[k2] += $5; cache[k2] += $6; cold[k2] += $7
	  if (!(k2 in lo) || $4 < lo[k2]) lo[k2] = $4
	  if (!(k2 in hi) || $4 > hi[k2]) hi[k2] = $4
	  if ($1 == "a") { mm[$2] += $8; dm[$2] += $9; sp[$2] += $10; mr[$2]++ }
	  if (!($2 in seen)) { seen[$2] = 1; ns[++k] = $2 } }
	END {
		for (x in r) { t[x] /= r[x]; host[x] /= r[x]; cache[x] /= r[x]; cold[x] /= r[x] }
		printf "sharing: N %s guests run python3 + coreutils from one %.1f MiB tree (TCG)\n", arch, tree / 1024
		printf "%-3s %-4s %22s %18s %10s %12s %8s\n", "", "N", "tree MiB (min..max)", "per added guest", "host MiB", "guest cache", "cold s"
		for (c = 1; c <= 3; c++) {
			cfg = substr("abc", c, 1)
			for (i = 1; i <= k; i++) {
				n = ns[i]; x = cfg SUBSEP n; per = "-"
				if (n > ns[1]) {
					d = (t[x] - t[cfg, ns[1]]) / (n - ns[1])
					per = sprintf("%.1f (%.1f%%)", d / 1024, 100 * d / tree)
				}
				printf "(%s) %-4s %8.1f (%.1f..%.1f) %18s %10.1f %12.1f %8.2f\n", cfg, n, t[x] / 1024, lo[x] / 1024, hi[x] / 1024, per, host[x] / 1024, cache[x] / 1024, cold[x] / 1000
			}
		}
		printf "(a) one dcssdax segment, dax,ro; (b) a virtio-blk copy per guest; (c) one shared virtio-blk image; %d run(s) each\n", r["a", ns[1]]
		printf "(a) struct pages for the %d MiB segment, per guest: %.2f MiB expected (64 B per 4 KiB)\n", seg / 1024, seg / 64 / 1024
		for (i = 1; i <= k; i++) {
			n = ns[i]
			printf "  N=%-4s the kernel (nr_memmap_pages) %.2f MiB, the driver (memmap_bytes) %.2f MiB\n", n, mm[n] / mr[n] / 1024, dm[n] / mr[n] / 1024
		}
		if (arch == "s390x") {
			printf "(a) not counted: CP'"'"'s saved copy (z/VM'"'"'s spool file) in the host'"'"'s page cache, per N:"
			for (i = 1; i <= k; i++) printf " %.1f MiB", sp[ns[i]] / mr[ns[i]] / 1024
			printf "\n"
		}
		printf "ratios of the memory for the tree:   (a)/(b)   (a)/(c)\n"
		for (i = 1; i <= k; i++) {
			n = ns[i]
			printf "  N=%-4s %28.3f %9.3f\n", n, t["a", n] / t["b", n], t["a", n] / t["c", n]
		}
	}' "$raw" | tee "$bench/sharing$suffix.txt"
{
	echo "config,guests,run,tree_kb,host_kb,guest_cache_kb,cold_start_ms,memmap_kb,driver_memmap_kb,cp_spool_kb"
	tr ' ' , <"$raw"
} >"$bench/sharing$suffix.csv"
for cfg in a b c; do
	awk -v c=$cfg '$1 == c { s[$2] += $4; r[$2]++ } END { for (n in s) print n, s[n] / r[n] / 1024 }' "$raw" |
		sort -n >"$out/plot-$cfg.dat"
done
gnuplot <<GP 2>/dev/null || log "gnuplot failed, no sharing$suffix.png"
set terminal png size 900,500 noenhanced
set output "$bench/sharing$suffix.png"
set title "$arch: memory holding one tree for N guests"
set xlabel "guests"
set xtics 1
set ylabel "memory holding the tree, MiB"
set key left top
set grid
plot "$out/plot-a.dat" with linespoints title "(a) one dcssdax segment, dax,ro", \\
     "$out/plot-b.dat" with linespoints title "(b) virtio-blk copy per guest", \\
     "$out/plot-c.dat" with linespoints title "(c) one shared virtio-blk image"
GP
log "sharing bench: build/bench/sharing$suffix.txt, .csv, .png"
