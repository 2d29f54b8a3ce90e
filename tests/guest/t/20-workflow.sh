# A site's workflow in one guest, as on s390x where QEMU cannot share a
# guest's storage with other guests (tests/share/MODEL.md): the
# administrator loads an SR segment exclusive, makes a filesystem with a
# tree of programs on it and saves; then the segment is added shared
# (read-only), mounted dax,ro, and the programs run from it in place.
plan 17
udevd --daemon 2>/dev/null
mkdir -p /mnt/wf
LO=0x55000000 HI=0x58ffffff
# The tree: the guest's own programs with all their libraries.
mkdir -p /tmp/tree/sbin /tmp/tree/bin
cp -a /lib /tmp/tree/
[ -d /lib64 ] && cp -a /lib64 /tmp/tree/
rm -rf /tmp/tree/lib/modules
cp /bin/busybox /tmp/tree/bin/
cp /sbin/jq /sbin/mke2fs /tmp/tree/sbin/
want=$(sh /tests/share/manifest.sh /tmp/tree)
size=$(du -sk /tmp/tree | cut -f1)

check add dcssctl add WFSEG
expect added-readonly 1 "$(cat /sys/block/$(basename "$(readlink -f /dev/dcssdax/WFSEG)")/ro)"
check exclusive dcssctl mode WFSEG exclusive
check mkfs /sbin/mke2fs -q -t ext2 -b 4096 /dev/dcssdax/WFSEG
check install sh -c 'mount -o dax /dev/dcssdax/WFSEG /mnt/wf && cp -a /tmp/tree/. /mnt/wf/ && umount /mnt/wf'
check save dcssctl save WFSEG
check remove dcssctl remove WFSEG
check add-shared dcssctl add WFSEG
expect shared-readonly 1 "$(cat /sys/block/$(basename "$(readlink -f /dev/dcssdax/WFSEG)")/ro)"
check mount-dax-ro mount -o dax,ro /dev/dcssdax/WFSEG /mnt/wf
check dax-mounted grep -q '/mnt/wf ext2 ro.*dax' /proc/mounts
echo 3 >/proc/sys/vm/drop_caches
cached=$(meminfo_kb Cached)
expect content-saved "$want" "$(sh /tests/share/manifest.sh /mnt/wf)"
grown=$(( $(meminfo_kb Cached) - cached ))
emit "FIGURE $ARCH/$GROUP/cached-growth-kb: $grown (tree $size kB read)"
check no-page-cache test "$grown" -lt $((size / 8))
expect runs-jq 2 "$(chroot /mnt/wf /sbin/jq -n '1+1' 2>&1)"
check runs-mke2fs chroot /mnt/wf /sbin/mke2fs -V
mkfifo /tmp/wf-hold
chroot /mnt/wf /sbin/jq . </tmp/wf-hold >/dev/null &
jq=$!
exec 3>/tmp/wf-hold
# Until jq runs (its own text mapped), not just its chroot.
wait_until 20 grep -qs /mnt/wf/sbin/jq /proc/$jq/maps
check text-in-segment textpfn $jq $LO $HI /mnt/wf/
emit "FIGURE $ARCH/$GROUP/text-pages: $(echo "$OUT" | tail -n 1)"
exec 3>&-
wait $jq
check umount-remove sh -c 'umount /mnt/wf && dcssctl remove WFSEG'
