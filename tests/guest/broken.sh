# A deliberately broken group, to prove that the harness catches what a
# group can do wrong (run first when the kernel command line has
# dcssdax.broken=MODE, which tests/check.sh passes for DCSSDAX_BROKEN):
#   early   exits after the first of its 3 checks
#   panic   panics the guest after its first check: the later groups
#           never run
#   prefix  one RESULT line reaches the results port behind other text,
#           as a kernel message put in front of it on the console did
#   hang    its second check never returns: the watchdog (run.sh) ends
#           the group at its time limit, naming the check, and the next
#           groups run
# watchdog: 20
plan 3
check first true
case $BROKEN in
early)
	exit 0 ;;
panic)
	echo c >/proc/sysrq-trigger ;;
prefix)
	printf 'dcssdax: simulated kernel message ' >>"$RESULTS"
	check second true ;;
hang)
	check second sleep 100000 ;;
*)
	check second true ;;
esac
check third true
