#!/bin/sh
# make bench, inside one VM boot: dcssdax, pmem (legacy memmap=!, fs-dax
# with struct pages; x86_64 only) and brd side by side, each measurement
# repeated and interleaved.  Prints "BENCH METRIC TARGET REP VALUE" lines;
# the host turns them into ratios.  The 1 GiB segment is reserved RAM at
# 1 GiB on x86_64 and the storage above mem=2G on s390x.
. /tests/lib.sh
REPS=${REPS:-5}
emit "BENCH-START $(uname -r)"
# A step that fails, or a measurement without a value, is a BENCH-ERROR
# line: the host fails the bench on it rather than leave a row out.
err() { emit "BENCH-ERROR $*"; }
# x86_64 also has SC1..SC8, 2 GiB each, contiguous from 40 GiB: figure
# 8 joins them into devices of up to 16 GiB.
scale=""
i=1
while [ $i -le 8 ]; do
	scale="$scale,SC$i:SW:$(printf 0x%x $(( (40 + 2 * (i - 1)) << 30 ))):2G"
	i=$((i + 1))
done
case $ARCH in
s390x) insmod /modules/dcssdax.ko emulate=BENCH:SW:0x80000000:1G ;;
*) insmod /modules/dcssdax.ko emulate="BENCH:SW:0x40000000:1G$scale" ;;
esac || err "insmod dcssdax"
dcss_add BENCH >/dev/null || err "add BENCH"
devd=$(dcss_dev BENCH)
{ rmmod brd && insmod /modules/brd.ko rd_nr=1 rd_size=1048576; } || err "brd"
devb=/dev/ram0
# Targets: d(cssdax), p(mem) where the kernel has it, b(rd).
# x86_64 has five legacy pmem regions, of 1, 2, 4, 8 and 16 GiB (figure
# 8).  The figures before 8 use the 1 GiB one; the others are unbound
# until figure 8, so that their struct pages are not in the guest's RAM.
NDP=/sys/bus/nd/drivers/nd_pmem
pmem_ns() {	# pmem_ns GIB: the namespace of the region of GIB GiB
	local d
	for d in /sys/bus/nd/devices/namespace*; do
		[ "$(cat "$d/size" 2>/dev/null)" = $(( $1 << 30 )) ] &&
			{ echo "${d##*/}"; return 0; }
	done
	return 1
}
fsdevs=d
if [ "$ARCH" = x86_64 ]; then
	n=0
	until [ "$(ls -d $NDP/namespace* 2>/dev/null | wc -l)" = 5 ] ||
		[ $n -gt 300 ]; do
		sleep 0.2
		n=$((n + 1))
	done
	ns1=$(pmem_ns 1) || err "no 1 GiB pmem namespace"
	devp=/dev/$(ls /sys/bus/nd/devices/$ns1/block 2>/dev/null)
	for g in 2 4 8 16; do
		echo "$(pmem_ns $g)" >$NDP/unbind || err "unbind the $g GiB pmem"
	done
	[ -b "$devp" ] && fsdevs="d p" || err "no 1 GiB pmem block device"
fi
rawdevs=""
for t in $fsdevs b; do eval rawdevs=\"\$rawdevs $t:\$dev$t\"; done
out() {
	local v
	v=$(echo "$4" | awk '{ print $1 }')
	if [ -n "$v" ]; then
		emit "BENCH $1 $2 $3 $v"
	else
		err "$1 $2 repetition $3: no value"
	fi
}

# 4: raw block devices, 4 KiB random O_DIRECT, before any filesystem,
# from 1 and from 16 synchronous threads (each has one pread or pwrite in
# flight: 16 threads, not a queue depth of 16; the initramfs has neither
# io_uring nor libaio tools).
# Every device is written whole first: brd allocates a page on a
# sector's first write and a read of a sector never written copies
# nothing (it zero-fills), so random reads over a partly written brd
# would be cheaper than over memory and its first writes would pay for
# page allocation.  Written whole, every read copies and every write
# lands on an allocated page, on all three devices alike.
for dev in $rawdevs; do
	pattern write "${dev#*:}" 0 1G 1 --direct >/dev/null ||
		err "write ${dev#*:}"
done
rep=1
while [ $rep -le $REPS ]; do
	for dev in $rawdevs; do
		for rw in r w; do
			for th in 1 16; do
				out "rand-$rw-t$th" "${dev%%:*}" $rep \
					"$(membench rand "${dev#*:}" $rw $th 16000)"
			done
		done
	done
	rep=$((rep + 1))
done

# 1-3, 7: ext2 -o dax on dcssdax and pmem, a 256 MiB file each to read
# and one to overwrite with write() (7: pmem copies writes with its
# cache-flushing copy, DCSS memory needs no cache flushing).
mkdir -p /mnt/d /mnt/p
for t in $fsdevs; do
	eval dev=\$dev$t
	mkfs_for ext2 "$dev" || err "mkfs ext2 $dev"
	mount -t ext2 -o dax "$dev" /mnt/$t || err "mount ext2 dax $dev"
	pattern write /mnt/$t/f 0 256M 7 >/dev/null || err "write /mnt/$t/f"
	pattern write /mnt/$t/w 0 256M 8 >/dev/null || err "write /mnt/$t/w"
done
rep=1
while [ $rep -le $REPS ]; do
	out memcpy m $rep "$(membench memcpy 256)"
	for t in $fsdevs; do
		echo 1 >/proc/sys/vm/drop_caches
		out read $t $rep "$(membench read /mnt/$t/f)"
		out mmap $t $rep "$(membench mmap /mnt/$t/f)"
		out seqwrite $t $rep "$(membench seqwrite /mnt/$t/w)"
		out cache-dax $t $rep "$(cachegrow /mnt/$t/f | sed -n 's/cached_delta_kb=//p')"
	done
	# Page cache without dax, then back to dax: on every device, so that
	# both start each repetition freshly mounted.
	for t in $fsdevs; do
		eval dev=\$dev$t
		{ umount /mnt/$t && mount -t ext2 "$dev" /mnt/$t; } ||
			err "mount ext2 $dev"
		out cache-nodax $t $rep "$(cachegrow /mnt/$t/f | sed -n 's/cached_delta_kb=//p')"
		{ umount /mnt/$t && mount -t ext2 -o dax "$dev" /mnt/$t; } ||
			err "mount ext2 dax $dev"
	done
	rep=$((rep + 1))
done

# 5: how many DAX faults on a mapping are 2 MiB (PMD) faults.  A PMD
# fault needs a 2 MiB window of the file mapped by one extent onto 2 MiB
# aligned blocks; pmd_windows counts those windows from the file's layout
# (FIEMAP), so the faults can be judged against what the layout allows.
# First ext2 as used above, both freshly mounted: on a fresh inode ext2's
# lookup maps at most to the end of an indirect block, so a window that
# crosses one falls back to PTEs although FIEMAP shows it contiguous (64
# of 128 PMDs; the mount that wrote the file got 127, on either device).
# Then ext4 made with a 2 MiB stripe, which aligns large allocations: the
# "2 MiB-aligned file" of the figure, written once and counted like
# ext2, freshly mounted in each repetition.  Every repetition is counted
# (the table shows medians, the spread min..max).  The trace buffer is
# made to hold the 65536 PTE events of a file that gets no PMD at all.
pmd_windows() {
	/sbin/filefrag -v -b4096 "$1" | awk '/^ *[0-9]+:/ {
		gsub(/\.\./, " "); gsub(/:/, " ")
		l = $2; p = $4; n = $6
		if ((l - p) % 512 == 0) {
			a = int((l + 511) / 512); b = int((l + n) / 512)
			if (b > a) w += b - a
		}
	} END { print w + 0 }'
}
mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
tr=/sys/kernel/tracing
faults() {	# faults FS TARGET REP
	echo 1 >/proc/sys/vm/drop_caches
	echo >$tr/trace
	echo 1 >$tr/events/fs_dax/dax_pmd_fault_done/enable
	echo 1 >$tr/events/fs_dax/dax_pte_fault_done/enable
	membench mmap /mnt/$2/f >/dev/null
	echo 0 >$tr/events/fs_dax/enable
	out pmd-faults-$1 $2 $3 "$(grep dax_pmd_fault_done $tr/trace | grep -c NOPAGE)"
	out pte-faults-$1 $2 $3 "$(grep -c dax_pte_fault_done $tr/trace)"
	out pmd-windows-$1 $2 $3 "$(pmd_windows /mnt/$2/f)"
}
echo 65536 >$tr/buffer_size_kb
# Without transparent huge pages (s390x under QEMU: the emulated CPU has
# no EDAT-1) there are no PMD faults to count.
out thp x 1 "$([ -d /sys/kernel/mm/transparent_hugepage ] && echo 1 || echo 0)"
# remount_faults FS: every repetition, each device freshly mounted.
# Without huge pages every fault is a PTE fault, the same 65536 each
# time, and counting one repetition takes minutes under s390x TCG
# (longer than the VM's time limit for all five): count one.
FAULT_REPS=$REPS
[ -d /sys/kernel/mm/transparent_hugepage ] || FAULT_REPS=1
remount_faults() {
	local rep=1
	while [ $rep -le $FAULT_REPS ]; do
		for t in $fsdevs; do
			eval dev=\$dev$t
			{ umount /mnt/$t && mount -t $1 -o dax "$dev" /mnt/$t; } ||
				err "mount $1 dax $dev"
			faults $1 $t $rep
		done
		rep=$((rep + 1))
	done
}
remount_faults ext2
for t in $fsdevs; do
	eval dev=\$dev$t
	umount /mnt/$t || err "umount /mnt/$t"
	/sbin/mke2fs -q -F -t ext4 -b 4096 -E stride=512,stripe_width=512 "$dev" ||
		err "mkfs ext4 $dev"
	mount -t ext4 -o dax "$dev" /mnt/$t || err "mount ext4 dax $dev"
	pattern write /mnt/$t/f 0 256M 7 >/dev/null || err "write /mnt/$t/f"
done
remount_faults ext4
for t in $fsdevs; do umount /mnt/$t || err "umount /mnt/$t"; done

# 6: setting up and tearing down struct pages for 1 GiB, and their cost:
# the write() that adds the segment or binds the namespace, timed inside
# the guest, and the vmemmap pages it allocated (nr_memmap_pages counts
# exactly the memmap of hot-added memory, unlike MemFree).
memmap_kb() { awk '$1 == "nr_memmap_pages" { print $2 * 4 }' /proc/vmstat; }
ns=${ns1:-}
rep=1
while [ $rep -le $REPS ]; do
	dcss_remove BENCH >/dev/null || err "remove BENCH"
	m0=$(memmap_kb)
	out add-ms d $rep "$(membench write $SYS/add BENCH)"
	out memmap-kb d $rep $(( $(memmap_kb) - m0 ))
	if [ -n "$ns" ]; then
		echo "$ns" >/sys/bus/nd/drivers/nd_pmem/unbind || err "unbind $ns"
		m0=$(memmap_kb)
		out add-ms p $rep "$(membench write /sys/bus/nd/drivers/nd_pmem/bind "$ns")"
		out memmap-kb p $rep $(( $(memmap_kb) - m0 ))
	fi
	rep=$((rep + 1))
done
emit "BENCH memmap-expected-kb x 1 $(( (1 << 30) / 4096 * PAGE_STRUCT / 1024 ))"

# 8: scale (x86_64): devices of 1 to 16 GiB, dcssdax of 2 GiB segments
# joined (1 GiB: BENCH alone; 2: SC1; 4: SC1:SC2; ... 16: SC1..SC8),
# pmem the region of that size: the time of the add or bind and of the
# remove or unbind, and the struct pages (nr_memmap_pages; for dcssdax
# also its memmap_bytes).  Only one device of the figure exists at a time.
SCALE_REPS=${SCALE_REPS:-3}
if [ "$ARCH" = x86_64 ]; then
	echo "$ns1" >$NDP/unbind || err "unbind $ns1"
	dcss_remove BENCH >/dev/null || err "remove BENCH"
	rep=1
	while [ $rep -le $SCALE_REPS ]; do
		for g in 1 2 4 8 16; do
			names=BENCH
			if [ $g != 1 ]; then
				names=SC1 i=2
				while [ $i -le $((g / 2)) ]; do
					names=$names:SC$i
					i=$((i + 1))
				done
			fi
			m0=$(memmap_kb)
			out scale-add-ms-$g d $rep "$(membench write $SYS/add $names)"
			out scale-memmap-kb-$g d $rep $(( $(memmap_kb) - m0 ))
			out scale-memmap-bytes-kb-$g d $rep \
				"$(( $(cat $SYS/BENCH/memmap_bytes $SYS/SC1/memmap_bytes 2>/dev/null | head -n 1) / 1024 ))"
			out scale-remove-ms-$g d $rep "$(membench write $SYS/remove ${names%%:*})"
			ns=$(pmem_ns $g) || err "no $g GiB pmem namespace"
			m0=$(memmap_kb)
			out scale-add-ms-$g p $rep "$(membench write $NDP/bind "$ns")"
			out scale-memmap-kb-$g p $rep $(( $(memmap_kb) - m0 ))
			out scale-remove-ms-$g p $rep "$(membench write $NDP/unbind "$ns")"
		done
		rep=$((rep + 1))
	done
	for g in 1 2 4 8 16; do
		emit "BENCH scale-memmap-expected-kb-$g x 1 $(( (g << 30) / 4096 * PAGE_STRUCT / 1024 ))"
	done
fi
emit "BENCH-END"
