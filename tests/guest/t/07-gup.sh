# Pages of a DAX mapping can be pinned: O_DIRECT to and from a MAP_SHARED
# (and MAP_SYNC) mapping of a DAX file, vmsplice, process_vm_readv and
# writev.  The same calls on a PCI BAR mapping (VM_PFNMAP, no struct
# pages) fail: the negative control.
# pci-mem-bar-found: x86_64 only (s390x under QEMU has no PCI).
[ "$ARCH" = s390x ] && plan 13 || plan 14
dcss_add SEG1 >/dev/null
dev=$(dcss_dev SEG1)
mkdir -p /mnt/gup
mkfs_for ext4 "$dev" && mount -o dax "$dev" /mnt/gup
check dax-file pattern write /mnt/gup/buf 0 8M 3
check dax-file-is-dax daxcheck /mnt/gup/buf
for mode in odirect-write odirect-read vmsplice pvm-read pvm-write; do
	measure "$mode" gup $mode /mnt/gup/buf /dev/ram0
done
check odirect-write-map-sync gup odirect-write /mnt/gup/buf /dev/ram0 --sync
check odirect-read-map-sync gup odirect-read /mnt/gup/buf /dev/ram0 --sync
# A PCI BAR (VM_IO|VM_PFNMAP, no struct pages) where there is PCI; s390
# under QEMU has none, and there the vDSO data mapping ([vvar], VM_IO)
# stands in: GUP refuses both before looking for struct pages.
if [ "$ARCH" = s390x ]; then
	bar="[vvar]"
else
	bar=$(pci_mem_bar)
	check pci-mem-bar-found test -n "$bar"
fi
for mode in odirect-write vmsplice pvm-read; do
	measure "pfnmap-control-$mode" gup $mode /mnt/gup/buf /dev/ram0 --pfnmap "$bar"
done
umount /mnt/gup
expect remove OK "$(dcss_remove SEG1)"
