#!/bin/sh
# make bench, inside one VM boot: dcssdax, pmem (legacy memmap=!, fs-dax
# with struct pages) and brd side by side, each measurement repeated and
# interleaved.  Prints "BENCH METRIC TARGET REP VALUE" lines; the host
# turns them into ratios.
. /tests/lib.sh
REPS=${REPS:-5}
echo "BENCH-START $(uname -r)"
insmod /modules/dcssdax.ko emulate=BENCH:SW:0x40000000:1G
dcss_add BENCH >/dev/null
devd=$(dcss_dev BENCH)
rmmod brd && insmod /modules/brd.ko rd_nr=1 rd_size=1048576
n=0
while [ ! -b /dev/pmem0 ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
devp=/dev/pmem0 devb=/dev/ram0
out() { echo "BENCH $1 $2 $3 $(echo "$4" | awk '{print $1}')"; }
uptime_ms() { awk '{printf "%d\n", $1 * 1000}' /proc/uptime; }
# MemFree once freed pages have settled: removal frees the vmemmap.
settled_free() { sync; echo 3 >/proc/sys/vm/drop_caches; sleep 1; meminfo_kb MemFree; }

# 4: raw block devices, 4 KiB random O_DIRECT, before any filesystem.
for dev in d:$devd p:$devp b:$devb; do
	pattern write "${dev#*:}" 0 64M 1 --direct >/dev/null
done
rep=1
while [ $rep -le $REPS ]; do
	for dev in d:$devd p:$devp b:$devb; do
		for rw in r w; do
			for qd in 1 16; do
				out "rand-$rw-qd$qd" "${dev%%:*}" $rep \
					"$(membench rand "${dev#*:}" $rw $qd 16000)"
			done
		done
	done
	rep=$((rep + 1))
done

# 1-3: ext2 -o dax on dcssdax and pmem, a 256 MiB file each.
mkdir -p /mnt/d /mnt/p
for t in d p; do
	eval dev=\$dev$t
	mkfs_for ext2 "$dev"
	mount -o dax "$dev" /mnt/$t
	pattern write /mnt/$t/f 0 256M 7 >/dev/null
done
rep=1
while [ $rep -le $REPS ]; do
	out memcpy m $rep "$(membench memcpy 256)"
	for t in d p; do
		echo 1 >/proc/sys/vm/drop_caches
		out read $t $rep "$(membench read /mnt/$t/f)"
		out mmap $t $rep "$(membench mmap /mnt/$t/f)"
		out cache-dax $t $rep "$(cachegrow /mnt/$t/f | sed -n 's/cached_delta_kb=//p')"
	done
	umount /mnt/d
	mount "$devd" /mnt/d
	out cache-nodax d $rep "$(cachegrow /mnt/d/f | sed -n 's/cached_delta_kb=//p')"
	umount /mnt/d
	mount -o dax "$devd" /mnt/d
	rep=$((rep + 1))
done

# 5: how many DAX faults on the mapping are 2 MiB (PMD) faults.
mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
tr=/sys/kernel/tracing
for t in d p; do
	echo >$tr/trace
	echo 1 >$tr/events/fs_dax/dax_pmd_fault_done/enable
	echo 1 >$tr/events/fs_dax/dax_pte_fault_done/enable
	membench mmap /mnt/$t/f >/dev/null
	echo 0 >$tr/events/fs_dax/enable
	pmd=$(grep dax_pmd_fault_done $tr/trace | grep -c NOPAGE)
	pte=$(grep -c dax_pte_fault_done $tr/trace)
	out pmd-faults $t 1 "$pmd"
	out pte-faults $t 1 "$pte"
done
umount /mnt/d /mnt/p

# 6: setting up and tearing down struct pages for 1 GiB, and their cost.
ns=$(ls /sys/bus/nd/drivers/nd_pmem/ 2>/dev/null | grep namespace | head -n 1)
rep=1
while [ $rep -le $REPS ]; do
	dcss_remove BENCH >/dev/null
	free0=$(settled_free)
	t0=$(uptime_ms)
	dcss_add BENCH >/dev/null
	t1=$(uptime_ms)
	free1=$(settled_free)
	out add-ms d $rep $((t1 - t0))
	out memmap-kb d $rep $((free0 - free1))
	if [ -n "$ns" ]; then
		echo "$ns" >/sys/bus/nd/drivers/nd_pmem/unbind
		free0=$(settled_free)
		t0=$(uptime_ms)
		echo "$ns" >/sys/bus/nd/drivers/nd_pmem/bind
		t1=$(uptime_ms)
		free1=$(settled_free)
		out add-ms p $rep $((t1 - t0))
		out memmap-kb p $rep $((free0 - free1))
	fi
	rep=$((rep + 1))
done
echo "BENCH memmap-expected-kb x 1 $(( (1 << 30) / 4096 * PAGE_STRUCT / 1024 ))"
echo "BENCH-END"
