#!/bin/bash
# fake-cp.sh COMMAND: z/VM's CP as dcssctl's host tests need it, run by
# fakevmcp.so for each command written to the fake /dev/vmcp (and by
# fake-kernel.sh for the driver's save).  Its stdout is CP's response,
# its exit status CP's return code.  The layouts are those of
# qemu-cp/cp.c (which follows CP's documented ones).
#
# State in $DCSSCTL_ROOT/cp/:
#   segs     one line per spool file: NAME FILE CLASS USERS FIRST-LAST TYPE
#            [FIRST-LAST TYPE...] (pages in hex)
#   class    the user's privilege classes (default: G only, no E)
#   storage  QUERY VIRTUAL STORAGE's size (e.g. 1G); absent: CP answers
#            "Invalid option" as the emulated CP does
#   nextfile the next spool file id (default 0100)
#   failsave SAVESEG fails (HCPNSS009E) while it exists
#   log      every command, one per line
set -u
dir=$DCSSCTL_ROOT/cp
cmd=${1^^}
echo "$cmd" >>"$dir/log"
read -r -a a <<<"$cmd"
[ "${a[0]:-}" = CP ] && a=("${a[@]:1}")
class=$(cat "$dir/class" 2>/dev/null || echo G)
has_e() { [[ $class == *E* ]]; }
touch "$dir/segs"

nextfile() {
	local f
	f=$(cat "$dir/nextfile" 2>/dev/null || echo 100)
	echo $((10#$f + 1)) >"$dir/nextfile"
	printf '%04d' $((10#$f))
}

query_nss() {	# [NAME name] MAP
	local only='' map=0 f
	while [ $# -gt 0 ]; do
		case $1 in
		MAP) map=1 ;;
		ALL|DCSS) ;;
		NAME) only=${2:-}; shift ;;
		*) echo "HCPQNS003E Invalid option - $1"; exit 3 ;;
		esac
		shift
	done
	[ $map = 1 ] || { echo "HCPQNS003E Invalid option - (no MAP)"; exit 3; }
	echo "FILE FILENAME  FILETYPE MINSIZE  BEGPAG ENDPAG TYPE CL #USERS PARMREGS VMGROUP"
	while read -r -a f; do
		[ -n "$only" ] && [ "${f[0]}" != "$only" ] && continue
		printf '%s %-8s DCSS       N/A    %s  %s  %s   %s  %05d  N/A      N/A\n' \
			"${f[1]}" "${f[0]}" "${f[4]%-*}" "${f[4]#*-}" "${f[5]}" \
			"${f[2]}" "${f[3]}"
		for ((i = 6; i < ${#f[@]}; i += 2)); do
			printf '                                 %s  %s  %s\n' \
				"${f[i]%-*}" "${f[i]#*-}" "${f[i+1]}"
		done
	done <"$dir/segs"
}

case ${a[0]:-} in
Q|QUERY)
	case "${a[1]:-} ${a[2]:-}" in
	"NSS "*)
		has_e || { echo "HCPCQU003E Invalid option - NSS"; exit 3; }
		query_nss "${a[@]:2}" ;;
	"V STOR"|"VIRTUAL STORAGE"|"V STORAGE"|"VIRTUAL STOR")
		[ -f "$dir/storage" ] ||
			{ echo "HCPCQU003E Invalid option - ${a[1]}"; exit 3; }
		s=$(cat "$dir/storage")
		echo "STORAGE = $s MAX = $s INC = 1M STANDBY = 0  RESERVED = 0" ;;
	*)	echo "HCPCQU003E Invalid option - ${a[1]:-(none)}"; exit 3 ;;
	esac ;;
DEFSEG)
	has_e || { echo "HCPCMD001E Unknown CP command: DEFSEG"; exit 1; }
	n=${a[1]:-}
	if [ -z "$n" ] || [ ${#a[@]} -lt 4 ]; then
		echo "HCPNSD026E Operand missing or invalid"; exit 26
	fi
	ranges=()
	for ((i = 2; i < ${#a[@]}; i += 2)); do
		case ${a[i]} in LOADNSHR|RSTD) i=$((i - 1)); continue ;; esac
		ranges+=("${a[i]}" "${a[i+1]:-}")
	done
	grep -v "^$n [0-9]* S " "$dir/segs" >"$dir/segs.new"
	id=$(nextfile)
	echo "$n $id S 0 ${ranges[*]}" >>"$dir/segs.new"
	mv "$dir/segs.new" "$dir/segs"
	echo "HCPNSD440I Saved segment $n was successfully defined in fileid $id." ;;
SAVESEG)
	has_e || { echo "HCPCMD001E Unknown CP command: SAVESEG"; exit 1; }
	n=${a[1]:-}
	[ -e "$dir/failsave" ] &&
		{ echo "HCPNSS009E Saved segment $n: pages not in storage"; exit 9; }
	# the skeleton, else (the driver's save: extmem's DEFSEG with the
	# loaded ranges) the available one's ranges
	def=$(awk -v n="$n" '$1 == n && $3 == "S"' "$dir/segs")
	[ -n "$def" ] || def=$(awk -v n="$n" '$1 == n && $3 == "A"' "$dir/segs")
	[ -n "$def" ] || { echo "HCPNSS044E DCSS $n does not exist"; exit 44; }
	read -r -a d <<<"$def"
	# the old available version: pending purge while it has users
	awk -v n="$n" '$1 != n || ($3 == "A" && $4 > 0) || $3 == "P"' "$dir/segs" |
		awk -v n="$n" '$1 == n && $3 == "A" { $3 = "P" } { print }' >"$dir/segs.new"
	id=$(nextfile)
	echo "$n $id A 0 ${d[*]:4}" >>"$dir/segs.new"
	mv "$dir/segs.new" "$dir/segs"
	echo "HCPNSS440I Saved segment $n was successfully saved in fileid $id." ;;
*)
	echo "HCPCMD001E Unknown CP command: ${a[0]:-}"; exit 1 ;;
esac
exit 0
