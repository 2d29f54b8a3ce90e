# Hostile input: seeded random writes to every control file (devdax and
# KEEP's mode too, KEEP in fsdax mode for half of them and devdax mode for
# the other half), dcssctl command lines with both modes, malformed
# segments= parameters.  Refused with an allowed errno, nothing
# half-created, no splat (scanned after the group).
# The slowest group: 265 s on x86_64 at a host load of 7, 213 s on s390x.
# watchdog: 900
plan 37
seed=$(sed -n 's/.*dcssdax\.seed=\([0-9]*\).*/\1/p' /proc/cmdline)
[ -n "$seed" ] || seed=$(( $(date +%s) % 100000 ))
# Replayed with SEED=N on the host (tests/vm/run.sh); every failure
# names it.
FAIL_NOTE="seed $seed: replay with SEED=$seed make check T=15-hostile"
emit "FIGURE $ARCH/$GROUP/seed: $seed"
echo "hostile input seed $seed ($FAIL_NOTE)"
# On the debug kernel (KASAN, lockdep, kmemleak) under TCG each dcssctl
# run takes ~0.7 s: there its fixed cases only (every command with every
# misused name), not the random command lines, which try dcssctl's
# parsing more than the kernel.  sysfuzz, the kernel's own control
# files, keeps its count.
ctlfuzz_n=300
case $(uname -r) in *-dcssdax-debug) ctlfuzz_n=0 ;; esac
expect keep-add OK "$(dcss_add KEEP)"
before=$(state)
# extmem has no devdax mode (21-devdax): KEEP stays in fsdax mode there.
measure sysfuzz sysfuzz "$seed" 3000 $([ "$BACKEND" = extmem ] && echo fsdax)
expect keep-fsdax-after-fuzz fsdax "$(attr KEEP mode)"
# Valid "0" and "1" writes may have left KEEP exclusive: restore it.
expect keep-back-to-shared OK "$(write_errno $SYS/KEEP/shared "1\n")"
expect state-after-fuzz "$before" "$(state)"
# dcssctl: every command with every misused name, then random command
# lines and configuration files.
if command -v dcssctl >/dev/null; then
	measure ctlfuzz ctlfuzz "$seed" $ctlfuzz_n
	expect state-after-ctlfuzz "$before" "$(state)"
fi
expect keep-remove OK "$(dcss_remove KEEP)"

# segments= with dcssblk's syntax gone wrong: the module loads, the valid
# sets become devices, the rest is said in dmesg.
param() {	# param NAME SEGMENTS EXPECTED-DEVICES
	rmmod dcssdax
	check "$1-loads" dcss_load segments="$2"
	expect "$1-devices" "$3" "$(ls -d $SYS/*/seglist 2>/dev/null | cut -d/ -f5 | tr '\n' ' ')"
}
param empty-sets ",,,seg1,," "SEG1 "
param local-alone "(local)" ""
param local-unclosed "seg1(local" ""
param trailing-colon "seg1:,seg2" "SEG2 "
param nine-chars "abcdefghi,seg2(local)" "SEG2 "
param twice "seg1,seg1" "SEG1 "
param member-twice "sega:segb,segb" "SEGA "
param not-contiguous "sega:segc" ""
param unknown "nosuch(local),seg3" "SEG3 "
param long "$(head -c 900 /dev/zero | tr '\0' 'x')" ""
param non-ascii "$(printf 's\303\211g1'),seg3" "SEG3 "
param double-colon "sega::segb,seg1" "SEG1 "
param sc-local "scseg(local)" "SCSEG "
expect sc-local-stays-shared 1 "$(attr SCSEG shared)"
# Longer than the parameter's 1 KiB buffer: the load is refused.
rmmod dcssdax
dmesg_clear
check_not page-size-refused "No space left on device" dcss_load segments="$(head -c 4096 /dev/zero | tr '\0' 'x'),seg2"
check page-size-said sh -c "dmesg | grep -q 'segments: string doesn.t fit in 1023 chars'"
dcss_load
