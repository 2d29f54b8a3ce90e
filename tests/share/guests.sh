# Booting and steering several x86_64 or s390x guests at once, for the
# sharing workflow (run.sh, s390x.sh) and its benchmark (bench.sh); the
# workflows' host checks.  Sourced; needs
# common.sh, and $out (where each guest gets a directory).
#
# A guest runs tests/guest/share.sh ROLE.  It reports on its results port
# (NAME/results.txt) and stops at "SUITE SYNC TAG" until the host answers
# TAG on its control port (NAME/ctl.in, a QEMU pipe chardev).

SHARE_KERNEL=$ROOT/lib/modules/$(kver_amd64)/vmlinuz
SHARE_INITRAMFS=$TOP/build/x86_64/initramfs.gz
declare -A role=()

# The host's own checks of a sharing workflow, RESULT "$P/host/NAME", and
# its figures (FIGURE "$P/NAME", to $figures and stderr).
pass() { echo "RESULT PASS $P/host/$1"; }
fail() { echo "RESULT FAIL $P/host/$1: $2"; }
check() { local n=$1; shift; if "$@"; then pass "$n"; else fail "$n" "[$*]"; fi; }
figure() { echo "FIGURE $P/$1: $2" | tee -a "$figures" >&2; }

# guest_boot NAME ROLE LIMIT APPEND INITRD [QEMU-ARGS...]: start guest
# NAME in the background, with 1 GiB of RAM in a memfd (so that its RAM
# is one mapping in smaps) and room for nvdimms at 4 GiB; SHARE_SMP
# vCPUs (default 2).  With SHARE_LATE_RESULTS=1 the guest has no results
# port until add_results_port adds it (and a monitor on NAME/mon.in).
guest_boot() {
	local name=$1 r=$2 d=$out/$1 limit=$3 append=$4 initrd=$5
	local results=(-device virtserialport,chardev=results,name=dcssdax.results)
	shift 5
	guest_dir "$name" "$r"
	if [ -n "${SHARE_LATE_RESULTS:-}" ]; then
		mkfifo "$d/mon.in" "$d/mon.out"
		results=(-chardev pipe,id=mon,path="$d/mon" -mon chardev=mon,mode=readline)
	fi
	timeout -k 10 "$limit" qemu-system-x86_64 \
		-accel tcg,thread=multi -cpu max -smp "${SHARE_SMP:-2}" \
		-m 1G,slots=4,maxmem=4G -machine pc,nvdimm=on,memory-backend=ram0 \
		-object memory-backend-memfd,id=ram0,size=1G \
		"$@" \
		-nographic -no-reboot -nic none -device virtio-serial,id=vser \
		-chardev file,id=results,path="$d/results.txt" "${results[@]}" \
		-chardev pipe,id=ctl,path="$d/ctl" \
		-device virtserialport,chardev=ctl,name=dcssdax.ctl \
		-pidfile "$d/qemu.pid" -kernel "$SHARE_KERNEL" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 oops=panic panic_on_warn=1 log_buf_len=16M loglevel=4 modprobe.blacklist=nfit,nd_pmem,nd_e820 dcssdax.suite=share-$r $append" \
		</dev/null >"$d/console.log" 2>&1 &
	echo $! >"$d/run.pid"
	log "share: $name ($r) booting"
}

# guest_boot_cp NAME ROLE LIMIT APPEND INITRD [QEMU-ARGS...]: the same
# for an s390x guest under the emulated CP (qemu-cp/) with the driver on
# its extmem backend (the caller sources tests/cp/lib.sh): QEMU $CP_QEMU
# (a path in the build root), CP's
# directory $CP_DIR, the user id NAME with "consumer" shortened to "cons"
# and only its letters and digits (a z/VM user id has at most 8 letters
# and digits: consumer2 is CONS2, a4-1 A41); one vCPU (default), 1 GiB of
# storage in a memfd.  Files in QEMU-ARGS are paths in the build root
# (in_root).
guest_boot_cp() {
	local name=$1 r=$2 d=$out/$1 limit=$3 append=$4 initrd=$5 g uid
	g=$(in_root "$d")
	uid=${name/consumer/cons}
	uid=${uid//[^A-Za-z0-9]/}
	shift 5
	guest_dir "$name" "$r"
	timeout -k 10 "$limit" bash -c '
		. "$1/tests/env/common.sh"; shift
		inroot "$@"' _ "$TOP" "$CP_QEMU" \
		-M s390-ccw-virtio,memory-backend=ram0 -cpu max \
		-smp "${SHARE_SMP:-1}" -m 1G \
		-object memory-backend-memfd,id=ram0,size=1G \
		-device s390-cp,dir="$(in_root "$CP_DIR")",userid="$uid" \
		"$@" \
		-nographic -no-reboot -nic none -device virtio-serial,id=vser \
		-chardev file,id=results,path="$g/results.txt" \
		-device virtserialport,chardev=results,name=dcssdax.results \
		-chardev pipe,id=ctl,path="$g/ctl" \
		-device virtserialport,chardev=ctl,name=dcssdax.ctl \
		-pidfile "$g/qemu.pid" -kernel "/lib/modules/$(kver_s390x)/vmlinuz" \
		-initrd "$(in_root "$initrd")" \
		-append "$CP_APPEND dcssdax.backend=extmem dcssdax.suite=share-$r $append" \
		</dev/null >"$d/console.log" 2>&1 &
	echo $! >"$d/run.pid"
	log "share: $name ($r) booting"
}

# guest_dir NAME ROLE: guest NAME's fresh directory, with its results
# file and control pipes.
guest_dir() {
	role[$1]=$2
	rm -rf "${out:?}/$1"
	mkdir -p "$out/$1"
	: >"$out/$1/results.txt"
	mkfifo "$out/$1/ctl.in" "$out/$1/ctl.out"
}

# in_root PATH: PATH (under the source tree) as QEMU in the build root
# sees it.
in_root() { echo "/src/${1#"$TOP"/}"; }

guest_running() { kill -0 "$(cat "$out/$1/run.pid")" 2>/dev/null; }

# wait_line NAME FILE PATTERN SECONDS: until a line of guest NAME's FILE
# (results.txt, console.log) matches PATTERN (grep -E; false if the guest
# stopped first or took longer).
wait_line() {
	local i=0 max=$(( $4 * 2 )) what=${3#^}
	what=${what%\$}
	until tr -d '\r' <"$out/$1/$2" | grep -E -- "$3" >/dev/null; do
		guest_running "$1" || { log "share: $1 stopped before '$what'"; return 1; }
		i=$((i + 1))
		[ $i -gt $max ] && { log "share: $1 did not reach '$what'"; return 1; }
		sleep 0.5
	done
}

# wait_sync NAME TAG [SECONDS]: until guest NAME asks for TAG.
wait_sync() { wait_line "$1" results.txt "^SUITE SYNC $2\$" "${3:-900}"; }

# add_results_port NAME: once guest NAME's init says it waits for its
# results port (tests/guest/init), hot-add the port.  What a loaded host
# does to a guest now and then, forced: the port comes after init has
# first looked for it.  (The console's line may start with the firmware's
# escape sequences.)
add_results_port() {
	wait_line "$1" console.log "init: waiting for the results port\$" 300 &&
	timeout 10 sh -c 'echo "$1" >"$2"' _ \
		"device_add virtserialport,bus=vser.0,chardev=results,name=dcssdax.results" \
		"$out/$1/mon.in"
}

# reply NAME TAG: let guest NAME go on (a stopped QEMU reads no pipe).
reply() {
	guest_running "$1" && timeout 10 sh -c 'echo "$1" >"$2"' _ "$2" "$out/$1/ctl.in"
}

# guest_finish NAME: wait for the guest to power off and report its
# checks (RESULT lines prefixed "$P/NAME/", its plans; its FIGURE lines
# to $figures); the end of its console when it stopped early.
guest_finish() {
	local rc=0
	guest_wait "$1" || rc=$?
	forward env STOP_CAUSE="$(stop_cause "$out/$1/console.log" $rc)" \
		"$TOP/tests/env/evaluate.sh" "$P/$1/" "$out/$1/results.txt" \
		"SUITE DONE" suite-completed "share-${role[$1]}"
	tr -d '\r' <"$out/$1/results.txt" | grep '^FIGURE ' >>"$figures"
	tr -d '\r' <"$out/$1/results.txt" | grep -x -- 'SUITE DONE' >/dev/null ||
		guest_finished "$out/$1/console.log" "SUITE DONE" "$P/$1" || true
}

# guest_wait NAME: until guest NAME's QEMU has exited.
guest_wait() { wait "$(cat "$out/$1/run.pid")" 2>/dev/null; }

# smaps_kb NAME WHAT FIELD: FIELD (Rss, Pss, ...) summed over the
# mappings of guest NAME's QEMU whose line names WHAT ("" for all).
smaps_kb() {
	awk -v what="$2" -v field="$3:" '
		/^[0-9a-f]+-[0-9a-f]+ / { m = index($0, what) > 0; next }
		m && $1 == field { s += $2 }
		END { print s + 0 }' "/proc/$(cat "$out/$1/qemu.pid")/smaps"
}

# one_copy_checks TREE-KB CONSUMERS EXT-FILE XFS-FILE: the host's checks
# while the consumers (a list of guests at "before") run the tree from
# both segments (run.sh, s390x.sh): each segment's file, mapped by every
# consumer, is one copy of shared pages, and no consumer's guest memory
# grew by the tree.  Lets them on at "before", waits for "after" (they
# stay there); FILE is a path or a unique part of one as smaps shows it.
one_copy_checks() {
	local tree_kb=$1 consumers=$2 ok=1 g seg file pss max shared rss p sh grown
	local -A ram_before=() files=([ext]=$3 [xfs]=$4)
	for g in $consumers; do wait_sync "$g" before || ok=; done
	for g in $consumers; do
		ram_before[$g]=$(smaps_kb "$g" memfd: Rss)
		reply "$g" before
	done
	for g in $consumers; do wait_sync "$g" after || ok=; done
	if [ -z "$ok" ]; then
		for c in one-copy-ext shared-pages-ext one-copy-xfs shared-pages-xfs; do
			fail $c "a consumer did not reach 'after'"
		done
		for g in $consumers; do fail "$g-ram-not-grown-by-tree" "a consumer did not reach 'after'"; done
		return
	fi
	for seg in ext xfs; do
		file=${files[$seg]} pss=0 max=0 shared=1
		for g in $consumers; do
			rss=$(smaps_kb "$g" "$file" Rss)
			p=$(smaps_kb "$g" "$file" Pss)
			sh=$(( $(smaps_kb "$g" "$file" Shared_Clean) + $(smaps_kb "$g" "$file" Shared_Dirty) ))
			pss=$((pss + p))
			[ "$rss" -gt "$max" ] && max=$rss
			[ $((sh * 100)) -ge $((rss * 95)) ] || shared=
			figure "$g/$seg-segment-rss-kb" "$rss (pss $p, shared $sh)"
		done
		figure "$seg-segment-pss-sum-kb" "$pss (largest rss $max)"
		# One copy: the guests' mappings of the file are the same pages,
		# so their proportional sizes add up to one mapping's size.
		check "one-copy-$seg" test $((pss * 100)) -le $((max * 105)) -a "$max" -gt 0
		check "shared-pages-$seg" test -n "$shared"
	done
	for g in $consumers; do
		grown=$(( $(smaps_kb "$g" memfd: Rss) - ${ram_before[$g]} ))
		figure "$g/guest-ram-growth-kb" "$grown (tree $tree_kb kB, read twice)"
		# Without DAX the guest's page cache would take the tree twice.
		check "$g-ram-not-grown-by-tree" test "$grown" -lt "$tree_kb"
	done
}
