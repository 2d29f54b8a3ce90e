#!/bin/bash
# Turn a guest's results file (its results port, see tests/vm/run.sh) into
# the RESULT lines of the suite, and check it against the plans:
#
#   tests/env/evaluate.sh PREFIX FILE DONE-MARKER DONE-NAME GROUP...
#
# Prints every "RESULT PASS|FAIL GROUP/CHECK" of FILE with PREFIX put in
# front of GROUP, and for each GROUP expected to run one more:
# PREFIX GROUP/plan passes when the group said "PLAN GROUP N" (N > 0) and
# reported exactly N checks (GROUP/dmesg-clean, GROUP/completed and
# GROUP/watchdog, which the harness adds, not counted); it fails naming
# both numbers, or a group
# that has no plan or did not run at all (the guest stopped before it).
# A line that is none of RESULT, PLAN, GROUP, FIGURE, SUITE or the done
# marker fails PREFIX GROUP/results-format (a RESULT line with something
# in front of it is not counted).  Without DONE-MARKER, PREFIX DONE-NAME
# fails, naming $STOP_CAUSE when set (stop_cause in common.sh: why the
# guest stopped).  Planned/got per group goes to stderr.
# For the closing line (summarize, tests/env/common.sh) it prints
# "PLANNED PREFIX GROUP N" for every group: its plan and the harness's
# lines it printed for it (GROUP/plan, dmesg-clean, completed,
# results-format), and for what is not a group it expected (boot,
# unload, final, kmemleak, DONE-NAME) the lines it printed.
set -uo pipefail
prefix=$1 file=$2 done=$3 done_name=$4
shift 4
tr -d '\r' <"$file" 2>/dev/null | awk -v prefix="$prefix" -v done="$done" \
	-v done_name="$done_name" -v groups="$*" -v cause="${STOP_CAUSE:-}" '
function out(st, name, msg,   s) {
	print "RESULT " st " " prefix name (msg != "" ? ": " msg : "")
	s = name; if (s ~ /\//) sub(/\/[^\/]*$/, "", s)
	emitted[s]++
}
BEGIN { ng = split(groups, G, " ") }
$0 == "" { next }
$0 == done { finished = 1; next }
/^RESULT (PASS|FAIL) [^ \/:]+\/[^ :]+(:|$)/ {
	rest = substr($0, 13)
	g = rest; sub(/\/.*/, "", g)
	n = rest; sub(/^[^\/]*\//, "", n); sub(/:.*/, "", n)
	print "RESULT " $2 " " prefix rest
	emitted[g]++
	if (n != "dmesg-clean" && n != "completed" && n != "watchdog" && n != "watchdog-killed") got[g]++
	next
}
# A check the group could not make here (a tool missing on this arch):
# reported, counted for the plan, and as skipped in the closing line.
/^RESULT SKIP [^ \/:]+\/[^ :]+(:|$)/ {
	rest = substr($0, 13)
	g = rest; sub(/\/.*/, "", g)
	print "RESULT SKIP " prefix rest
	emitted[g]++
	got[g]++
	next
}
/^PLAN [^ ]+ [0-9]+$/ { plan[$2] = $3; next }
/^GROUP [^ ]+$/ { started[$2] = 1; cur = $2; next }
/^(FIGURE|SUITE) / { next }
{
	what = (index($0, "RESULT ") > 0) ? "a RESULT line behind other text (not counted)" : "a line that is no result"
	line = $0; gsub(/[^ -~]/, "?", line)
	out("FAIL", (cur != "" ? cur : "results") "/results-format", what ": \047" substr(line, 1, 160) "\047")
}
END {
	for (i = 1; i <= ng; i++) {
		g = G[i]
		if (!(g in started)) {
			out("FAIL", g "/plan", "did not run (the guest stopped before it)")
			printf "%-22s planned %4s  got %4s  did not run\n", g, "-", "-" > "/dev/stderr"
			continue
		}
		if (!(g in plan)) {
			out("FAIL", g "/plan", "no plan: the group must start with \"plan N\" (tests/guest/lib.sh); it reported " got[g] + 0 " checks")
			printf "%-22s planned %4s  got %4d  NO PLAN\n", g, "-", got[g] + 0 > "/dev/stderr"
			continue
		}
		# A group that makes no check passes nothing: one that cannot
		# run here says why (skip_group, tests/guest/lib.sh).
		if (plan[g] == 0) out("FAIL", g "/plan", "planned 0 checks: a group that cannot run here must say why (skip_group)")
		else if (got[g] + 0 != plan[g]) out("FAIL", g "/plan", "planned " plan[g] " checks, got " got[g] + 0)
		else out("PASS", g "/plan")
		printf "%-22s planned %4d  got %4d%s\n", g, plan[g], got[g] + 0,
			(got[g] + 0 != plan[g] ? "  MISMATCH" : "") > "/dev/stderr"
	}
	if (!finished) out("FAIL", done_name, "the guest stopped before \047" done "\047" (cause != "" ? ": " cause : ""))
	for (i = 1; i <= ng; i++) if (G[i] in plan) expected[G[i]] = 1
	for (s in emitted)
		print "PLANNED " prefix s " " (s in expected ? plan[s] + emitted[s] - got[s] : emitted[s])
}'
