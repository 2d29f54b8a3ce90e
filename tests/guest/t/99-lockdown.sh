# Emulation is refused while the kernel is locked down: emulated segments
# give root access to physical memory as /dev/mem does.  Lockdown is one
# way, so run.sh runs this group after every other and after the
# kmemleak scan.
plan 12
mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
LD=/sys/kernel/security/lockdown
check lockdown-available test -w $LD
expect lockdown-off-before OK "$(dcss_add SEG1)"
dcss_remove SEG1 >/dev/null
check lock-down sh -c "echo integrity >$LD"
check locked-down grep -q '\[integrity\]' $LD
dmesg_clear
expect add-refused-locked-down EPERM "$(dcss_add SEG1)"
check add-refused-said sh -c "dmesg | grep -q 'emulated DCSS SEG1 refused: the kernel is locked down'"
expect add-refused-nothing-claimed "" "$(grep DCSS /proc/iomem)"
expect add-refused-no-device "" "$(devices)"
check rmmod-locked-down rmmod dcssdax
# Loading the module again with a table: refused by the driver where
# unsigned modules may still load (the debug kernel), by the kernel's
# module signature check where they may not (Debian's kernels).
dmesg_clear
check_not insmod-emulate-refused "Operation not permitted" dcss_load
check insmod-refused-said sh -c "dmesg | grep -qE 'emulate: refused: the kernel is locked down|Lockdown: insmod: unsigned module loading is restricted'"
expect insmod-refused-nothing-claimed "" "$(grep DCSS /proc/iomem)"
