#!/bin/bash
# Is tests/env/setup-host.sh's list of host tools complete?  Prints RESULT
# lines like the VM suite.
#
# 1. host-tools/listed: the commands the host-side scripts run are taken
#    from the scripts themselves.  Each script is normalized by bash
#    (`declare -f` of its text wrapped in a function: comments gone, one
#    command per line) and tests/host-commands.awk prints every word in a
#    command position (after ;, |, &&, ||, $(, a newline, a prefix such
#    as retry, exec, env, timeout, unshare or mount_ns; inside sh -c strings and a
#    shell's heredoc), leaving out what runs in the build root (the
#    command after inroot, root_apt, chroot).  Every such word that is
#    not a builtin, keyword, shell function or project script must be in
#    HOST_TOOLS/BENCH_TOOLS or a command of an Essential package.
#    build/host-commands.txt lists each command found, why it passes and
#    where it is used.  Host-side scripts: Makefile, tools/Makefile, .ci/run and every shell
#    script under tests/ and tools/tests/ except the guest's (tests/guest/,
#    tests/boot/check-boot) and those that say "# host-tools: runs in the
#    build root" on a line of their own (tests/share/needed.sh).
# 2. host-tools/minbase: in a `debootstrap --variant=minbase bookworm`
#    root with only gcc, make and git added (built once, cached in
#    $CACHE/host-tools/), a throw-away overlay runs setup-host.sh (what
#    setup-root.sh runs first) and then checks that every listed command
#    and tools/DEPENDS package is there.  The .debs stay cached; the check
#    is repeated only when setup-host.sh or tools/DEPENDS change.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/env/common.sh"
. "$here/env/setup-host.sh"
cd "$TOP" || exit 1

host_scripts() {
	echo Makefile
	echo tools/Makefile
	echo .ci/run
	find tests tools/tests packaging -type f ! -path 'tests/guest/*' \
		! -path tests/boot/check-boot | sort | while read -r f; do
		# A script that only the build root runs says so.
		grep -qx '# host-tools: runs in the build root' "$f" && continue
		case $f in
		*.sh) echo "$f" ;;
		*) head -n 1 "$f" | grep -qE '^#!/bin/(ba)?sh' && echo "$f" ;;
		esac
	done
}

# Shell text of a makefile: its recipe lines and $(shell ...) calls, with
# single-word variables (CC ?= cc) put in and other make references made
# shell variables.
make_as_shell() {
	awk '
	/^[A-Za-z_]+[ \t]*[?:]?=[ \t]*[^ \t$]+[ \t]*$/ {
		v = $0; sub(/[ \t]*[?:]?=.*/, "", v); val = $0; sub(/^[^=]*=[ \t]*/, "", val)
		sub(/[ \t]*$/, "", val); var[v] = val
	}
	{
		line = $0
		if (!cont) recipe = (line ~ /^\t/ && inrule)
		if (!cont && line !~ /^\t/) inrule = (line ~ /^[^ \t#=][^=]*:([^=]|$)/)
		cont = (line ~ /\\$/)
		for (v in var) gsub("\\$\\(" v "\\)", var[v], line)
		gsub(/\$\(shell /, "\001", line)
		while (gsub(/\$\([^()]*\)/, "$MAKEVAR", line)) ;
		while (match(line, /\001[^()\001]*\)/)) {
			print substr(line, RSTART + 1, RLENGTH - 2)
			line = substr(line, 1, RSTART - 1) "$MAKEVAR" substr(line, RSTART + RLENGTH)
		}
		if (recipe) {
			sub(/^\t[@-]*/, "", line)
			gsub(/\$\$/, "\002", line)
			gsub(/\$[@<^?*]/, "$MAKEVAR", line)
			gsub(/\002/, "$", line)
			print line
		}
	}' "$1"
}

normalize() {
	local text
	case $1 in
	Makefile|*/Makefile) text=$(make_as_shell "$1") ;;
	*) text=$(cat "$1") ;;
	esac
	bash -c 'eval "__host_tools_f() {
$1
}" && declare -f __host_tools_f' _ "$text"
}

# defined_functions FILE: the shell functions FILE defines, also those in
# strings (bash -c '...') the normalization leaves as they are.
defined_functions() {
	grep -oE '(^|[^A-Za-z0-9_])[A-Za-z_][A-Za-z0-9_]*\(\) *(\{|$)' "$1" |
		sed -E 's/^[^A-Za-z_]?//; s/\(\).*//'
}

listed_check() {
	local f text cmd bad="" entry p pkg dir
	declare -A tools=() used=() lib=() funcs=() owner=() essential=()
	for entry in $HOST_TOOLS $BENCH_TOOLS; do tools[${entry%%:*}]=1; done
	for w in $(compgen -b) $(compgen -k) __host_tools_f; do lib[$w]=1; done
	# Functions of the files the scripts source.
	for w in $(cat tests/env/common.sh tests/env/setup-host.sh tools/tests/lib.sh \
			packaging/common.sh tools/dcssctl.bash-completion tests/share/cp.sh tests/share/guests.sh \
			tests/guest/wait.sh tests/guest/lib.sh tests/cp/lib.sh |
			defined_functions /dev/stdin); do
		lib[$w]=1
	done
	for f in $(host_scripts); do
		if ! text=$(normalize "$f" 2>&1); then
			echo "RESULT FAIL host-tools/listed: bash cannot parse $f: $(echo "$text" | head -n 1)"
			return
		fi
		funcs=()
		for w in $(defined_functions "$f"); do funcs[$w]=1; done
		for cmd in $(echo "$text" | awk -f "$here/host-commands.awk" | sort -u); do
			case $cmd in
			*'$'*|*'"'*|*"'"*) continue ;;	# computed: a variable, "$@"
			/*) cmd=${cmd##*/} ;;
			*/*) continue ;;		# a script of this tree
			esac
			[ -n "${lib[$cmd]:-}${funcs[$cmd]:-}" ] && continue
			used[$cmd]="${used[$cmd]:+${used[$cmd]} }$f"
		done
	done
	# Commands not listed pass if an Essential package has them (one
	# dpkg -S for all: it reads every file list).
	if [ ${#used[@]} -gt 0 ]; then
		while IFS= read -r line; do
			case $line in diversion*) continue ;; esac
			pkg=${line%%: *} p=${line#*: }
			owner[${p##*/}]=${pkg%%:*}
		done < <(for cmd in "${!used[@]}"; do
				for dir in /usr/bin /bin /usr/sbin /sbin; do
					[ -e "$dir/$cmd" ] && echo "$dir/$cmd"
				done
			done | xargs -r dpkg -S 2>/dev/null | tr ',' '\n' | sed 's/^ *//')
		while read -r pkg e; do essential[$pkg]=$e; done < <(
			dpkg-query -W -f='${Package} ${Essential}\n' "${owner[@]}" 2>/dev/null)
	fi
	mkdir -p build
	for cmd in $(printf '%s\n' "${!used[@]}" | sort); do
		pkg=${owner[$cmd]:-}
		if [ -n "${tools[$cmd]:-}" ]; then
			echo "$cmd listed: ${used[$cmd]}"
		elif [ -n "$pkg" ] && [ "${essential[$pkg]:-}" = yes ]; then
			echo "$cmd essential ($pkg): ${used[$cmd]}"
		else
			echo "$cmd MISSING: ${used[$cmd]}"
			bad="$bad $cmd (${used[$cmd]}; ${pkg:-not from a Debian package here})"
		fi
	done >build/host-commands.txt
	if [ -n "$bad" ]; then
		echo "RESULT FAIL host-tools/listed: not in HOST_TOOLS (tests/env/setup-host.sh):$bad"
	else
		echo "RESULT PASS host-tools/listed"
	fi
}

MIRROR=${DCSSDAX_MIRROR:-http://deb.debian.org/debian}
HT=$CACHE/host-tools
MINBASE=$HT/minbase-bookworm

minbase_check() {
	local want run rc
	want=$(cat tests/env/setup-host.sh tools/DEPENDS | sha1sum | cut -c1-16)
	if [ "$(cat "$HT/verified" 2>/dev/null)" = "$want" ]; then
		echo "RESULT PASS host-tools/minbase (unchanged since the check of $(date -u -r "$HT/verified" '+%F %H:%M'))"
		return
	fi
	mkdir -p "$HT/debs"
	if [ ! -f "$MINBASE/.done" ]; then
		log "debootstrap a minbase bookworm root with gcc, make, git into $MINBASE"
		rm -rf "$MINBASE"
		if ! retry debootstrap --variant=minbase --include=gcc,make,git \
			bookworm "$MINBASE" "$MIRROR" >"$HT/debootstrap.log" 2>&1; then
			echo "RESULT FAIL host-tools/minbase: debootstrap failed: $(tail -n 2 "$HT/debootstrap.log" | tr '\n' ' ')"
			return
		fi
		touch "$MINBASE/.done"
	fi
	run=$HT/run
	rm -rf "$run" && mkdir -p "$run/upper" "$run/work" "$run/merged"
	log "host-tools: setup-host.sh in a fresh overlay of $MINBASE"
	mount_ns "$HT" /bin/sh -s "$MINBASE" "$run" "$TOP" "$HT/debs" \
		>"$HT/minbase.log" 2>&1 <<'SH'
set -e
lower=$1 run=$2 top=$3 debs=$4
m=$run/merged
mount -t overlay overlay -o "lowerdir=$lower,upperdir=$run/upper,workdir=$run/work" "$m"
mount -t proc proc "$m/proc"
mount --rbind /dev "$m/dev"
mount --bind "$debs" "$m/var/cache/apt/archives"
mkdir -p "$m/src"
mount --bind -o ro "$top" "$m/src"
cp /etc/resolv.conf "$m/etc/resolv.conf"
chroot "$m" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
	sh -c 'set -e; /src/tests/env/setup-host.sh bench; echo VERIFY; /src/tests/env/setup-host.sh --verify bench'
SH
	rc=$?
	rm -rf "$run"
	if [ $rc -eq 0 ]; then
		echo "$want" >"$HT/verified"
		echo "RESULT PASS host-tools/minbase"
	else
		rm -f "$HT/verified"
		echo "RESULT FAIL host-tools/minbase: $(sed -n '/^VERIFY$/,$p' "$HT/minbase.log" | grep -v VERIFY | tr '\n' ' ')$(grep -q '^VERIFY$' "$HT/minbase.log" || tail -n 3 "$HT/minbase.log" | tr '\n' ' ') (log: $HT/minbase.log)"
	fi
}

leg_plan host-tools 2
listed_check
minbase_check
leg_end host-tools
