# The emulated segment table of the VM suite.  Sourced by lib.sh in the
# guest and by tests/vm/run.sh on the host (the built-in driver takes it
# on the kernel command line).
#
# The emulated segment table: all inside the 512 MiB at 1 GiB that is
# reserved with memmap= on x86_64 and is the storage above mem= on s390x,
# except the entries that must be refused.  BOTHU, HEADU, TAILU and BIGU
# are not 2 MiB aligned; PAIR1 ends and PAIR2 starts in one subsection.
EMUL="SEG1:SW:0x40000000:48M,SEG2:SW:0x43000000:48M,SEG3:SW:0x46000000:32M"
EMUL="$EMUL,SEGA:EW:0x48000000:16M,SEGB:EW:0x49000000:16M"
EMUL="$EMUL,SEGC:SW:0x4a000000:16M,ROSEG:SR:0x4b000000:32M"
EMUL="$EMUL,SCSEG:SC:0x4d000000:16M,SEGN:SN:0x4e000000:16M"
EMUL="$EMUL,OVL1:SW:0x4f000000:16M,OVL2:SW:0x4f800000:16M"
EMUL="$EMUL,BOTHU:SW:0x50900000:0x303000,HEADU:SW:0x51100000:0xf00000"
EMUL="$EMUL,TAILU:SW:0x52000000:0x1003000,KEEP:SW:0x53200000:2M"
# GAPB shares TAILU's last subsection with a gap between them, in
# another MiB, as extmem allows.
EMUL="$EMUL,GAPB:SW:0x53100000:1M"
EMUL="$EMUL,PAIR1:SW:0x53400000:0x900000,PAIR2:SW:0x53d00000:0x1300000"
EMUL="$EMUL,BIG:SW:0x55000000:96M,BIGU:SW:0x5b100000:0x4e03000"
EMUL="$EMUL,RAMSEG:SW:0x30000000:16M,NOMEM:SW:0x90000000:16M"
EMUL="$EMUL,EDGE:SW:0x5ff00000:2M,RAMSPAN:SW:0x60100000:2M"
# Guards around BOTHU inside its 2 MiB rounding, to catch stray accesses.
EMUL="$EMUL,GUARDL:SW:0x50800000:1M,GUARDR:SW:0x50c03000:0x1fd000"
EMUL="$EMUL,ERSEG:ER:0x50e00000:2M"
# Two contiguous read-only segments over SEG1 (never loaded together).
EMUL="$EMUL,RO1:SR:0x40000000:16M,RO2:SR:0x41000000:16M"
# The single-guest sharing workflow's segment, over BIG (never together).
EMUL="$EMUL,WFSEG:SR:0x55000000:64M"
# x86_64: memory the kernel is told is ACPI data (memmap=2M#0x60800000).
EMUL="$EMUL,ACPISEG:SW:0x60800000:2M"
# Group 19's default-mkfs segments, 64 and 256 MiB over SEG1.. (never
# loaded together with what they overlap).
EMUL="$EMUL,MKFS64:SW:0x40000000:64M,MKFS256:SW:0x40000000:256M"
