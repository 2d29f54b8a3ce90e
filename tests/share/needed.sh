#!/bin/sh
# The shared libraries s390x programs need, found without running them
# (no s390x code runs on the build host): the closure of their DT_NEEDED
# entries and program interpreters over the library directories of the
# s390x tree (tests/env/setup-s390x.sh) and of the cross glibc.  Runs in
# the build root (tests/share/tree.sh calls it through inroot):
# host-tools: runs in the build root
#
#   needed.sh FILE...
# Prints "LIB PATH" for each library of each FILE's closure (once per
# FILE), and "MISSING FILE NAME" for a FILE whose closure lacks library
# NAME (tree.sh drops it).
sr=/opt/s390x-sysroot
dirs="/usr/s390x-linux-gnu/lib $sr/lib/s390x-linux-gnu $sr/usr/lib/s390x-linux-gnu"

find_lib() {
	for d in $dirs; do
		[ -e "$d/$1" ] && { echo "$d/$1"; return 0; }
	done
	return 1
}

# deps FILE: its needed libraries' and its interpreter's names.
deps() {
	s390x-linux-gnu-readelf -d "$1" 2>/dev/null |
		sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'
	s390x-linux-gnu-readelf -l "$1" 2>/dev/null |
		sed -n 's/.*program interpreter: \(.*\)\]/\1/p' | sed 's,.*/,,'
}

for f in "$@"; do
	todo=$f seen=" "
	while [ -n "$todo" ]; do
		set -- $todo
		cur=$1
		shift
		todo=$*
		for name in $(deps "$cur"); do
			if ! lib=$(find_lib "$name"); then
				echo "MISSING $f $name"
				continue
			fi
			case $seen in *" $lib "*) continue ;; esac
			seen="$seen$lib "
			echo "LIB $lib"
			todo="$todo $lib"
		done
	done
done
