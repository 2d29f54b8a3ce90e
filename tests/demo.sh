#!/bin/bash
# make demo: boot the x86_64 test VM and run tests/guest/demo.sh in it, so
# a person sees an emulated segment become a DAX filesystem.  The whole
# console stays in build/x86_64/demo-console.log; a guest that does not
# reach DEMO END fails the demo with the console's last lines.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/env/common.sh"
"$here/env/build.sh" x86_64
console=$TOP/build/x86_64/demo-console.log
rc=0
"$here/vm/run.sh" x86_64 demo 300 >"$console" 2>&1 || rc=$?
tr -d '\r' <"$console" | sed -n '/DEMO START/,/^DEMO END/p'
# The guest's closing line also went to the results port, where no
# kernel message can get in front of it.
tr -d '\r' <"$TOP/build/x86_64/guest-results.txt" | grep -x -- "DEMO END" >/dev/null ||
	{ guest_finished "$console" "DEMO END" "make demo"; exit 1; }
[ $rc -eq 0 ] || { log "make demo: QEMU exited with $rc; see $console"; exit 1; }
