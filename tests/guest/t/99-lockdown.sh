# Emulation is refused while the kernel is locked down: emulated segments
# give root access to physical memory as /dev/mem does.  Lockdown is one
# way, so run.sh runs this group after every other and after the
# kmemleak scan.
# Where the test module is signed (the debug kernel's own key, see
# tests/env/build.sh), its unsigned copy is there too: four checks more.
UNSIGNED=/modules/dcssdax-unsigned.ko
mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
LD=/sys/kernel/security/lockdown
# On extmem (tests/cp/extmem.sh) a segment is memory CP gives the guest,
# not any physical memory named in a table: lockdown does not refuse it,
# as it does not refuse dcssblk.  What is checked there: the add works
# locked down, and the module (Debian's kernel: unsigned) cannot be
# loaded again.
if [ "$BACKEND" = extmem ]; then
	plan 9
	check lockdown-available test -w $LD
	check lock-down sh -c "echo integrity >$LD"
	check locked-down grep -q '\[integrity\]' $LD
	expect add-locked-down OK "$(dcss_add SEG1)"
	check add-locked-down-claimed grep -Eq ' : SEG1 +\(DCSS\)' /proc/iomem
	expect remove-locked-down OK "$(dcss_remove SEG1)"
	check rmmod-locked-down rmmod dcssdax
	dmesg_clear
	check_not insmod-unsigned-refused "Operation not permitted" dcss_load
	check insmod-refused-said sh -c "dmesg | grep -q 'Lockdown: insmod: unsigned module loading is restricted'"
	return 0 2>/dev/null || exit 0
fi
if [ -f $UNSIGNED ]; then plan 16; else plan 12; fi
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
# Loading the module again with a table: a signed module (the debug
# kernel's) reaches the driver, which refuses the table; an unsigned one
# (on Debian's kernels, whose key we do not have) is refused by the
# kernel's signature check first.
dmesg_clear
check_not insmod-emulate-refused "Operation not permitted" dcss_load
if [ -f $UNSIGNED ]; then
	check insmod-refused-said sh -c "dmesg | grep -q 'emulate: refused: the kernel is locked down'"
else
	check insmod-refused-said sh -c "dmesg | grep -q 'Lockdown: insmod: unsigned module loading is restricted'"
fi
expect insmod-refused-nothing-claimed "" "$(grep DCSS /proc/iomem)"
if [ -f $UNSIGNED ]; then
	# The controls: the kernel refuses the unsigned copy (no table: it is
	# the signature that is refused), and loads the signed module
	# without a table.
	dmesg_clear
	check_not unsigned-refused "Operation not permitted" insmod $UNSIGNED
	check unsigned-refused-by-kernel sh -c "dmesg | grep -q 'Lockdown: insmod: unsigned module loading is restricted' && ! dmesg | grep -q 'dcssdax: '"
	check signed-loads-without-table insmod /modules/dcssdax.ko
	check signed-unloads rmmod dcssdax
fi
