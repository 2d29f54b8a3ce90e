# Helpers of the CP leg's dcssctl groups (33-cp-define, 34-cp-workflow),
# put into the initramfs as /tests/cp-dcssctl-lib.sh by tests/cp/run.sh.
# Every command is printed with its output on the console, prefixed
# "T| ", for the transcript of the administrator's workflow.

# step NAME CMD...: a check (CMD exits 0); its stdout in /tmp/step.out,
# its stderr in /tmp/step.err, both on the console.
step() {
	local name=$1 rc=0
	shift
	"$@" >/tmp/step.out 2>/tmp/step.err || rc=$?
	transcript "$*" $rc
	if [ $rc = 0 ]; then
		pass "$name"
	else
		fail "$name" "exit status $rc: $(tail -n 3 /tmp/step.err | tr '\n' ' ') [$*]"
	fi
}

# step_not NAME TEXT CMD...: CMD fails and says TEXT (stdout or stderr).
step_not() {
	local name=$1 want=$2 rc=0
	shift 2
	"$@" >/tmp/step.out 2>/tmp/step.err || rc=$?
	transcript "$*" $rc
	if [ $rc = 0 ]; then
		fail "$name" "unexpectedly succeeded [$*]"
	elif grep -qF -- "$want" /tmp/step.out /tmp/step.err; then
		pass "$name"
	else
		fail "$name" "failed, but not with '$want': $(tail -n 2 /tmp/step.err | tr '\n' ' ') [$*]"
	fi
}

transcript() {
	echo "T| # $1"
	sed 's/^/T| /' /tmp/step.out /tmp/step.err
	[ "$2" = 0 ] || echo "T| (exit status $2)"
}

# said NAME TEXT: the last step's stdout or stderr has TEXT.
said() {
	if grep -qF -- "$2" /tmp/step.out /tmp/step.err; then
		pass "$1"
	else
		fail "$1" "the output lacks '$2': $(head -c 300 /tmp/step.out /tmp/step.err | tr '\n' ' ')"
	fi
}

# json NAME FILTER: jq -e FILTER holds on the last step's stdout.
json() {
	if jq -e "$2" </tmp/step.out >/dev/null 2>&1; then
		pass "$1"
	else
		fail "$1" "not true: $2 on $(tr -d ' \n' </tmp/step.out | head -c 400)"
	fi
}
