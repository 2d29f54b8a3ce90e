#!/bin/bash
# make demo: boot the x86_64 test VM and run tests/guest/demo.sh in it, so
# a person sees an emulated segment become a DAX filesystem.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
"$here/env/build.sh" x86_64
"$here/vm/run.sh" x86_64 demo 300 | tr -d '\r' |
	sed -n '/DEMO START/,/^DEMO END/p'
