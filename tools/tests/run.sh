#!/bin/bash
# dcssctl host tests: every command and every error sentence against a
# fake sysfs tree, with fake-kernel.sh (through fakeerrno.so) playing the
# driver.  Ends with the line "N passed, N failed".
set -u
. "$(dirname "$0")/lib.sh"

for tool in jq mke2fs; do
	command -v $tool >/dev/null || { echo "need $tool (see DEPENDS)" >&2
		echo "0 passed, 1 failed"; exit 1; }
done
[ -x "$DCSSCTL" ] && [ -f "$SHIM" ] && [ -f "$VMCPSHIM" ] || { echo "build first: make -C tools" >&2
	echo "0 passed, 1 failed"; exit 1; }

# ---------------------------------------------------------------- global

begin "--version"
dc --version
expect_rc 0; grep -qE '^dcssctl [^ ]+$' "$OUT" || bad "bad version line"
end

begin "-v and -V before a command: the version, as ndctl -v and s390-tools"
dc --version; cp "$OUT" "$R/v"
dc -v
expect_rc 0; cmp -s "$OUT" "$R/v" || bad "-v is not --version"
dc -V
expect_rc 0; cmp -s "$OUT" "$R/v" || bad "-V is not --version"
end

begin "--help lists every command"
dc --help
expect_rc 0
for c in list add remove save mode apply export info define help; do
	grep -qE "^  $c " "$OUT" || bad "command $c missing"
done
end

begin "no arguments is a usage error"
dc
expect_rc 2; expect_err "usage: dcssctl"
end

begin "unknown command is a usage error"
dc frobnicate
expect_rc 2; expect_err "unknown command 'frobnicate'"
end

for c in list add remove save mode apply export info define; do
	begin "help $c"
	dc help $c
	expect_rc 0; expect_out "usage: dcssctl $c"
	end
	begin "$c --help"
	dc $c --help
	expect_rc 0; expect_out "usage: dcssctl $c"; expect_nothing_written
	end
done

begin "help of an unknown command"
dc help nope
expect_rc 2; expect_err "unknown command 'nope'"
end

# ------------------------------------------------------------------ list

begin "list: module not loaded prints nothing"
rm -rf "$R/sys/devices/dcssdax"
dc list
expect_rc 0; expect_no_out
end

begin "list: no devices prints nothing"
dc list
expect_rc 0; expect_no_out
end

begin "list: JSON array of every device, sorted, integer numbers"
add B; add A
dc list
expect_rc 0
expect_json 'type == "array" and length == 2'
expect_json '.[0].name == "A" and .[1].name == "B"'
expect_json '.[0].dev == "dcssdax1" and .[0].blockdev == "/dev/dcssdax1"'
expect_json '.[0].symlink == "/dev/dcssdax/A"'
expect_json '.[0].start == 1073741824 and .[0].size == 67108864'
expect_json '.[0].access == "shared" and .[0].ro == false and .[0].dax == true'
expect_json '.[0].memmap_bytes == 1048576 and .[0].save_pending == false'
expect_json '.[0] | has("dax_off_reason") | not'
expect_json '.[0].segments == [{"name":"A","type":"EW","start":1073741824,"end":1140850687,"size":67108864,"backend":"emulated"}]'
expect_json '.[0] | has("filesystem") or has("mounts") | not'
expect_json '.[0] | has("devno") | not'
end

begin "list: output is pretty-printed like ndctl"
add A
dc list
grep -q '^  {$' "$OUT" && grep -q '^    "name":"A",$' "$OUT" ||
	bad "not ndctl-style pretty JSON"
grep -qF '\/' "$OUT" && bad "slashes escaped"
end

begin "list: multi-segment device lists its segments in order"
add A:B:C
dc list
expect_json 'length == 1 and .[0].size == 100663296'
expect_json '[.[0].segments[].name] == ["A","B","C"]'
expect_json '.[0].segments[2].type == "EN" and .[0].segments[2].end == 1174405119'
end

begin "list -u: human sizes and hex addresses"
add H; add A
dc list -u
expect_rc 0
expect_json '.[0].size == "64.00 MiB (67.11 MB)" and .[0].start == "0x40000000"'
expect_json '.[1].size == "256.00 MiB (268.44 MB)"'
expect_json '.[1].segments[0].end == "0x6fffffff"'
expect_json '.[0].memmap_bytes == 1048576'
end

begin "list --human: GiB sizes, MiB up to 2 GiB, small sizes stay numbers"
add G; add M; add U
dc list --human
expect_json '.[0].size == "4.00 GiB (4.29 GB)" and .[0].start == "0x100000000"'
expect_json '.[0].memmap_bytes == "64.00 MiB (67.11 MB)"'
expect_json '.[1].size == "1536.00 MiB (1610.61 MB)"'
expect_json '.[2].size == 1048576 and .[2].segments[0].size == 1048576'
end

begin "list: an unaligned device has DAX, struct pages for its rounding"
add U
dc list
expect_json '.[0].dax == true and .[0].ro == true'
expect_json '.[0] | has("dax_off_reason") | not'
expect_json '.[0].memmap_bytes == 32768'
end

begin "list: dax off shows dax_off_reason"
echo "0x50000000 0x500fffff" >"$R/ram"
add U
dc list
expect_json '.[0].dax == false and .[0].ro == true'
expect_json '.[0].dax_off_reason == "2 MiB rounding covers System RAM at 0x50000000-0x500fffff"'
expect_json '.[0].memmap_bytes == 0'
end

begin "list: ro follows the mode, as the driver's"
add U
dc mode U exclusive
dc list
expect_json '.[0].ro == false and .[0].access == "exclusive"'
dc mode U shared
dc list
expect_json '.[0].ro == true and .[0].access == "shared"'
end

# The model against the VM suite: its emulated layouts (tests/guest/lib.sh)
# must get the DAX state, reason and memmap_bytes that
# tests/guest/t/12-dax-layouts.sh expects of the real driver.
# A source package (make deb, make rpm) has tools/ without tests/: the
# check runs when the suite is beside tools/ or named (tests/tools.sh
# names it, so there a missing suite fails).
GUEST=${DCSSDAX_GUEST_DIR:-$TOOLS/../tests/guest}
[ -n "${DCSSDAX_GUEST_DIR:-}" ] || [ -d "$GUEST" ] || GUEST=
[ -z "$GUEST" ] || begin "fake kernel: the VM suite's layouts as the driver has them"
if [ -z "$GUEST" ]; then
	:
elif [ -f "$GUEST/lib.sh" ] && [ -f "$GUEST/t/12-dax-layouts.sh" ]; then
	# The table is in emul-table.sh, which lib.sh sources.
	EMUL=; eval "$(cat "$GUEST/emul-table.sh" "$GUEST/lib.sh" 2>/dev/null | grep '^EMUL=')"
	# replaced by the suite's own, unless lib.sh lost it
	span_memmap() { echo "no span_memmap in $GUEST/lib.sh"; }
	eval "$(sed -n '/^span_memmap()/,/^}/p' "$GUEST/lib.sh")"
	PAGE_STRUCT=64
	IFS=, read -ra emul <<<"$EMUL"
	for e in "${emul[@]}"; do
		IFS=: read -r n t st sz <<<"$e"
		case $sz in *M) sz=$(( ${sz%M} << 20 )) ;; esac
		echo "$n $t $st $(( sz ))"
	done >"$R/segtable"
	# x86_64's RAM around memmap=512M$0x40000000 and memmap=4M$0x60100000
	printf '%s\n' "0x0 0x3fffffff" "0x60000000 0x600fffff" \
		"0x60500000 0x7fffffff" >"$R/ram"
	want=$(sed -n 's/.*expect ramspan-reason "\([^"]*\)".*/\1/p' "$GUEST/t/12-dax-layouts.sh")
	[ -n "$want" ] || bad "no ramspan-reason in 12-dax-layouts.sh"
	for n in BOTHU HEADU TAILU BIGU PAIR1 PAIR2 SEG1 RAMSPAN; do
		add $n
		d=$R/sys/devices/dcssdax/$n
		if [ $n = RAMSPAN ]; then
			[ "$(cat "$d/dax")" = 0 ] || bad "$n: dax on"
			[ "$(cat "$d/dax_reason")" = "$want" ] ||
				bad "$n: reason '$(cat "$d/dax_reason")', the suite expects '$want'"
			[ "$(cat "$d/memmap_bytes")" = 0 ] || bad "$n: memmap_bytes"
			continue
		fi
		[ "$(cat "$d/dax")" = 1 ] || bad "$n: dax off ($(cat "$d/dax_reason"))"
		[ -z "$(cat "$d/dax_reason")" ] || bad "$n: a reason"
		m=$(span_memmap "$(cat "$d/start")" "$(cat "$d/size")")
		[ "$(cat "$d/memmap_bytes")" = "$m" ] ||
			bad "$n: memmap_bytes $(cat "$d/memmap_bytes"), the suite expects $m"
	done
	grep -q 'not aligned' "$R"/sys/devices/dcssdax/*/dax_reason &&
		bad "a reason the driver never gives"
else
	bad "no VM suite at $GUEST (DCSSDAX_GUEST_DIR)"
fi
[ -z "$GUEST" ] || end

begin "fake kernel: joins as the driver (address order, types that mix)"
add B:A
d=$R/sys/devices/dcssdax/B
[ "$(cat "$d/start")" = 0x40000000 ] || bad "start $(cat "$d/start"), not A's"
[ "$(tr '\n' :  <"$d/seglist")" = "B:A:" ] || bad "seglist not in the user's order"
dc add U:H
expect_rc 1; expect_err "cannot form one device"
end

begin "add EINVAL: types that do not mix"
echo "X SW 0x46000000 16777216" >>"$R/segtable"
dc add C:X
expect_rc 1; expect_err "segments C:X cannot form one device"
expect_log ""
end

begin "list: exclusive mode and pending save"
add A
echo 0 >"$R/sys/devices/dcssdax/A/shared"
echo 1 >"$R/sys/devices/dcssdax/A/save"
dc list
expect_json '.[0].access == "exclusive" and .[0].save_pending == true'
end

begin "list NAME: filter, case-insensitive"
add A; add B
dc list b
expect_rc 0
expect_json 'length == 1 and .[0].name == "B"'
end

begin "list: unknown NAME is exit 1, known ones still shown"
add A
dc list A NOPE
expect_rc 1; expect_err "no device NOPE"
expect_json 'length == 1 and .[0].name == "A"'
end

begin "list: invalid NAME is a usage error"
add A
dc list A TOOLONGNAME
expect_rc 2; expect_no_out; expect_err "longer than 8 characters"
end

begin "list: filesystem from blkid"
mke2fs -q -F -t ext2 -L shrdata -U 0f0e0d0c-0b0a-0908-0706-050403020100 \
	"$R/images/A" 1024 >/dev/null 2>&1 || bad "mke2fs failed"
add A
dc list
expect_json '.[0].filesystem == {"type":"ext2","label":"shrdata","uuid":"0f0e0d0c-0b0a-0908-0706-050403020100"}'
end

begin "list: unreadable device node means no filesystem key"
mke2fs -q -F -t ext2 "$R/images/A" 1024 >/dev/null 2>&1
add A
rm "$R/dev/dcssdax0"
dc list
expect_rc 0; expect_json '.[0] | has("filesystem") | not'
end

begin "list: mounts by devno and by path, dax from options"
add A; add B
mountinfo "22 1 0:21 / /proc rw,nosuid - proc proc rw" \
	"30 1 254:0 / /srv/a rw,relatime - ext2 /dev/dcssdax0 rw,dax" \
	"31 1 254:9 / /srv/a2 ro,relatime - ext4 /dev/dcssdax/A ro,dax=always" \
	"32 1 254:1 / /srv/b rw - xfs /dev/dcssdax1 rw,dax=inode" \
	"33 1 8:1 / /other rw - ext4 /dev/sda1 rw"
dc list
expect_json '.[0].mounts | length == 2'
expect_json '.[0].mounts[0] == {"target":"/srv/a","options":"rw,relatime,dax","dax":true}'
expect_json '.[0].mounts[1].target == "/srv/a2" and .[0].mounts[1].dax == true'
expect_json '.[1].mounts == [.[1].mounts[0]] and .[1].mounts[0].target == "/srv/b" and .[1].mounts[0].dax == false'
expect_json '.[1].mounts[0].options | test("dax=inode")'
end

begin "list -t: a table for people"
mke2fs -q -F -t ext2 "$R/images/A" 1024 >/dev/null 2>&1
echo "0x50000000 0x500fffff" >"$R/ram"	# U without DAX
add A; add U
mountinfo "30 1 254:0 / /srv/a rw - ext2 /dev/dcssdax0 rw,dax" \
	"31 1 254:0 / /srv/a2 rw - ext2 /dev/dcssdax0 rw,dax"
dc list -t
expect_rc 0
read -ra h <"$OUT"
[ "${h[*]}" = "NAME DEV SIZE TYPE ACCESS MODE RO DAX FSTYPE MOUNTPOINTS" ] || bad "header: ${h[*]}"
grep -qE '^A +dcssdax0 +64M +EW +shared +fsdax +0 +1 +ext2 +/srv/a$' "$OUT" || bad "row A"
grep -qE '^ +/srv/a2$' "$OUT" || bad "second mount point row"
grep -q ' $' "$OUT" && bad "trailing blanks"
grep -qE '^U +dcssdax1 +1M +SR +shared +fsdax +1 +0$' "$OUT" || bad "row U"
[ "$(wc -l <"$OUT")" = 4 ] || bad "expected 4 lines"
end

# The table's options are lsblk's; the fixture of most of them: A (ext2,
# labelled, mounted twice) and U (no filesystem, DAX off: RAM below it).
table_fixture() {
	mke2fs -q -F -t ext2 -L shrdata \
		-U 0f0e0d0c-0b0a-0908-0706-050403020100 "$R/images/A" 1024 \
		>/dev/null 2>&1 || bad "mke2fs failed"
	echo "0x50000000 0x500fffff" >"$R/ram"	# U without DAX
	add A; add U
	mountinfo "30 1 254:0 / /srv/a rw - ext2 /dev/dcssdax0 rw,dax" \
		"31 1 254:0 / /srv/a2 rw - ext2 /dev/dcssdax0 rw,dax"
}

begin "list -o: the columns given, in that order, any case"
table_fixture
dc list -o name,Segments,SIZE,dax-reason,START,END,MAJ:MIN,PATH
expect_rc 0
read -ra h <"$OUT"
[ "${h[*]}" = "NAME SEGMENTS SIZE DAX-REASON START END MAJ:MIN PATH" ] || bad "header: ${h[*]}"
grep -qE '^A +A +64M +0x40000000 0x43ffffff 254:0 +/dev/dcssdax0$' "$OUT" || bad "row A"
grep -qE '^U +U +1M +\S.* 0x50100000 0x501fffff 254:1 +/dev/dcssdax1$' "$OUT" || bad "row U"
[ "$(wc -l <"$OUT")" = 3 ] || bad "expected 3 lines"
end

begin "list -o +LIST: the default columns and then LIST"
table_fixture
dc list -o +LABEL,UUID,MOUNTPOINT,MEMMAP,SAVE
expect_rc 0
read -ra h <"$OUT"
[ "${h[*]}" = "NAME DEV SIZE TYPE ACCESS MODE RO DAX FSTYPE MOUNTPOINTS LABEL UUID MOUNTPOINT MEMMAP SAVE" ] ||
	bad "header: ${h[*]}"
grep -qE '^A .* ext2 +/srv/a +shrdata +0f0e0d0c-0b0a-0908-0706-050403020100 +/srv/a +1M +0$' "$OUT" ||
	bad "row A"
end

for spec in BOGUS NAME,BOGUS +BOGUS "" NAME, ,NAME NAME,,DEV; do
	begin "list -o '$spec': unknown column, exit 2"
	table_fixture
	dc list -o "$spec"
	expect_rc 2; expect_no_out
	expect_err "unknown column '${spec//[+,A-Z]/}"
	expect_err "the columns are: NAME DEV PATH"
	end
done

begin "list -t -o BOGUS names the column"
add A
dc list -t -o NAME,Bogus
expect_rc 2; expect_no_out; expect_err "unknown column 'Bogus' in 'NAME,Bogus'"
end

begin "list -n: no headings"
table_fixture
dc list -n
expect_rc 0
grep -q NAME "$OUT" && bad "heading printed"
head -n 1 "$OUT" | grep -qE '^A +dcssdax0 +64M +EW +shared +fsdax +0 +1 +ext2 +/srv/a$' || bad "first line is not A"
[ "$(wc -l <"$OUT")" = 3 ] || bad "expected 3 lines"
end

begin "list -r: raw, one blank between cells, newlines escaped"
table_fixture
dc list -r -o NAME,DEV,SIZE,ACCESS,MOUNTPOINTS
expect_rc 0
want='NAME DEV SIZE ACCESS MOUNTPOINTS
A dcssdax0 64M shared /srv/a\x0a/srv/a2
U dcssdax1 1M shared '
[ "$(cat "$OUT")" = "$want" ] || bad "raw output differs"
end

begin "list -J: smartcols JSON, lsblk's types"
table_fixture
dc list -J -o +LABEL,SAVE,MEMMAP,DAX-REASON
expect_rc 0
expect_json 'keys == ["dcssdax"] and (.dcssdax | length) == 2'
expect_json '.dcssdax[0] | .name == "A" and .dev == "dcssdax0" and .size == "64M" and .access == "shared"'
expect_json '.dcssdax[0] | .ro == false and .dax == true and .save == false and .memmap == "1M"'
expect_json '.dcssdax[0] | .fstype == "ext2" and .label == "shrdata" and ."dax-reason" == null'
expect_json '.dcssdax[0].mountpoints == ["/srv/a", "/srv/a2"]'
expect_json '.dcssdax[1] | .name == "U" and .ro == true and .dax == false and .fstype == null'
expect_json '.dcssdax[1]."dax-reason" | type == "string" and length > 0'
end

begin "list -J -b: sizes as numbers"
table_fixture
dc list -J -b -o NAME,SIZE,MEMMAP
expect_rc 0
expect_json '.dcssdax[0] == {"name":"A","size":67108864,"memmap":1048576}'
end

begin "list -b: sizes in bytes in the table"
table_fixture
dc list -b -o NAME,SIZE
expect_rc 0
grep -qE '^A +67108864$' "$OUT" || bad "row A"
end

begin "list -J without devices: an empty array"
dc list -J
expect_rc 0; expect_json '. == {"dcssdax": []}'
dc list -t
expect_rc 0; expect_no_out
end

begin "list -J NAME: the unknown NAME reported, the rest printed"
add A
dc list -J A NOPE
expect_rc 1; expect_err "no device NOPE"
expect_json '[.dcssdax[].name] == ["A"]'
end

begin "list -w: narrower than the table, truncatable columns shrink"
table_fixture
dc list -o NAME,DAX-REASON
grep -qE '^U +\S.{20,}$' "$OUT" || bad "without -w (no terminal) the reason is whole"
full=$(sed -n 3p "$OUT")
dc list -w 24 -o NAME,DAX-REASON
expect_rc 0
line=$(sed -n 3p "$OUT")
[ "${#line}" -le 24 ] || bad "line of ${#line} characters: $line"
[ "$line" = "${full:0:24}" ] || bad "not the start of '$full': '$line'"
end

begin "list -t on a terminal: fitted to its width"
table_fixture
got=$(DCSSCTL_ROOT=$R script -qec "stty cols 24; '$DCSSCTL' list -o NAME,DAX-REASON" \
	/dev/null </dev/null | tr -d '\r' | sed -n 3p)
[ -n "$got" ] && [ "${#got}" -le 24 ] || bad "line of ${#got} characters: $got"
end

for w in 0 -3 x 10001 ""; do
	begin "list -w '$w': usage error"
	dc list -w "$w"
	expect_rc 2; expect_err "invalid width '$w'"; expect_no_out
	end
done

begin "list: -r with -J, -u or -v with the table: usage errors"
add A
dc list -r -J
expect_rc 2; expect_err "-r and -J cannot be combined"; expect_no_out
dc list -t -u
expect_rc 2; expect_err "the table has columns instead"; expect_no_out
dc list -v -o NAME
expect_rc 2; expect_no_out
end

begin "list --help: the table's columns"
dc list --help
expect_rc 0
for c in NAME DEV PATH MAJ:MIN SIZE START END MODE RO DAX DAX-REASON MEMMAP \
	 SAVE SEGMENTS FSTYPE LABEL UUID MOUNTPOINT MOUNTPOINTS; do
	grep -qE "^  $c +[a-z]" "$OUT" || bad "column $c missing"
done
expect_out "-o, --output LIST"
end

begin "list -v: devno and sysfs directory"
add A
dc list -v
expect_json '.[0].devno == "254:0" and .[0].sysfs == "/sys/devices/dcssdax/A"'
end

begin "list: bad option is a usage error"
dc list --bogus
expect_rc 2; expect_err "usage: dcssctl list"
end

# ------------------------------------------------------------------- add

begin "add: one segment, JSON of the new device"
dc add a
expect_rc 0; expect_log "add A"
grep -qx 'add A' "$R/writes.log" || bad "write was not 'A'"
expect_json '.name == "A" and .dev == "dcssdax0" and .access == "shared" and .size == 67108864'
[ -e "$R/dev/dcssdax0" ] || bad "no node"
end

begin "add: writes the name list newline-terminated, upper case"
dc add a:b:C
expect_rc 0
[ "$(cat "$R/writes.log")" = "add A:B:C" ] || bad "write: $(cat "$R/writes.log")"
expect_json '[.segments[].name] == ["A","B","C"]'
end

begin "add --exclusive: added, then reloaded exclusive"
dc add --exclusive A:B
expect_rc 0; expect_log "add A:B" "shared A 0"
expect_json '.access == "exclusive"'
end

begin "add -x: short option"
dc add -x B
expect_rc 0; expect_log "add B" "shared B 0"
end

for bad_list in "" "TOOLONGNAME" "A::B" "A:" ":A" "A.B" "A:a" "A B"; do
	begin "add: invalid list '$bad_list' never reaches sysfs"
	dc add "$bad_list"
	expect_rc 2; expect_nothing_written
	[ -s "$ERR" ] || bad "no message"
	end
done

begin "add: messages for invalid lists"
dc add TOOLONGNAME; expect_err "segment name 'TOOLONGNAME' is longer than 8 characters"
dc add "A:"; expect_err "trailing ':'"
dc add "A::B"; expect_err "empty segment name"
dc add "A.B"; expect_err "contains '.'"
dc add "A:a"; expect_err "A is listed twice"
dc add 'x$#@-_9'	# every allowed character: only the model refuses it
expect_rc 1; grep -qxF 'add X$#@-_9' "$R/writes.log" || bad "not written"
end

begin "add: 64 segments allowed, 65 refused"
l=$(printf 'S%d:' $(seq 1 65)); l=${l%:}
dc add "$l"
expect_rc 2; expect_err "more than 64 segments"; expect_nothing_written
end

begin "add: no arguments / two arguments are usage errors"
dc add
expect_rc 2; expect_err "dcssctl: add: missing operands (expected: NAME[:NAME...])"
dc add A B
expect_rc 2; expect_nothing_written
expect_err "dcssctl: add: unexpected argument 'B' (expected: NAME[:NAME...])"
dc add -z A
expect_rc 2; expect_err "dcssctl add: invalid option -- 'z'"
dc add --bogus A
expect_rc 2; expect_err "dcssctl add: unrecognized option '--bogus'"
end

begin "add: bad --timeout is a usage error"
dc add --timeout=soon A
expect_rc 2; expect_err "invalid timeout 'soon'"; expect_nothing_written
end

begin "add ENODEV: not z/VM, not emulated"
dc add NOPE
expect_rc 1
expect_err "segment NOPE: not running under z/VM and no emulated segment of that name"
end

begin "add ENODEV in a list names the non-emulated segment"
dc add A:NOPE
expect_rc 1
expect_err "segment NOPE: not running under z/VM"
end

begin "add ENOENT: no such DCSS"
dc_errno add ENOENT add A:ZVMSEG
expect_rc 1; expect_err "segment ZVMSEG: no such DCSS defined in z/VM"
end

begin "add ENOENT with several candidates"
dc_errno add ENOENT add X1:X2
expect_rc 1; expect_err "one of the segments X1, X2: no such DCSS defined in z/VM"
end

begin "add EPERM: other access mode"
dc_errno add EPERM add A
expect_rc 1
expect_err "segment A: already loaded by this system in the other access mode"
end

begin "add EBUSY: overlap"
dc_errno add EBUSY add A
expect_rc 1
expect_err "segment A: overlaps a segment already loaded or memory in use"
end

begin "add EEXIST: names the device holding the segment"
add A:B
dc add B:C
expect_rc 1; expect_err "segment B: already part of device A"
end

begin "add EINVAL: not contiguous"
dc add A:C
expect_rc 1
expect_err "segments A:C cannot form one device: each must start right after the previous one ends"
end

begin "add EINVAL: single segment"
dc_errno add EINVAL add A
expect_rc 1; expect_err "segment A: rejected by the driver as invalid"
end

for e in "ENOMEM:not enough memory" "EIO:z/VM reported an error" \
	 "EOPNOTSUPP:multi-part segment" "ERANGE:beyond the address range" \
	 "ENAMETOOLONG:a name is empty or longer than 8 characters" \
	 "EACCES:run dcssctl as root" "EAGAIN:adding A failed: Resource"; do
	begin "add ${e%%:*}"
	dc_errno add "${e%%:*}" add A
	expect_rc 1; expect_err "${e#*:}"
	end
done

begin "add: module cannot be loaded"
rm -rf "$R/sys/devices/dcssdax"
dc add A
expect_rc 1; expect_err "the dcssdax kernel module is not installed"
end

begin "add: device node never appears"
touch "$R/no-node"
dc add --timeout=1 A
expect_rc 1; expect_err "device A was added but its device node did not appear within 1 s"
end

begin "add with udev running: done once the symlink exists"
fake_udev running; : >"$R/udev-links"
dc add --timeout=5 A
expect_rc 0; expect_json '.name == "A" and .symlink == "/dev/dcssdax/A"'
[ -L "$R/dev/dcssdax/A" ] || bad "model made no symlink"
end

begin "add with udev running: no udev event, no symlink: timeout"
fake_udev running
start=$(date +%s)
dc add --timeout=1 A
expect_rc 1; expect_err "device A was added as /dev/dcssdax0 but udev did not finish with it within 1 s"
(( $(date +%s) - start >= 1 )) || bad "did not wait for udev"
end

begin "add with a stale udev control socket: udev is not waited for"
fake_udev stale
start=$(date +%s)
dc add --timeout=5 A
expect_rc 0; expect_json '.name == "A" and .blockdev == "/dev/dcssdax0"'
(( $(date +%s) - start < 3 )) || bad "waited for a udev that is not running"
end

begin "add --exclusive refused (SC segment)"
dc add --exclusive S
expect_rc 1
expect_err "device S: segment S is of type SC (shared, CP-writable) and cannot be loaded exclusive"
end

begin "add --exclusive while udev holds it: retried, then reported"
touch "$R/busy/A"
start=$(date +%s)
dc add --exclusive A
expect_rc 1; expect_err "device A is busy, but no mount or process holding it was found: a process had it open for a moment (such as udev's probe)"
expect_err "(device A stays added, shared)"
(( $(date +%s) - start >= 1 )) || bad "EBUSY was not retried"
end

# ---------------------------------------------------------------- remove

begin "remove: writes the name"
add A
dc remove a
expect_rc 0; expect_log "remove A"; expect_no_out
[ ! -e "$R/sys/devices/dcssdax/A" ] || bad "still there"
end

begin "remove ENODEV: no device"
dc remove NOPE
expect_rc 1; expect_err "no device NOPE"
end

begin "remove: module not loaded"
rm -rf "$R/sys/devices/dcssdax"
dc remove A
expect_rc 1; expect_err "no device A"
end

begin "remove EBUSY: names the mount points"
add A
touch "$R/busy/A"
mountinfo "30 1 254:0 / /srv/a rw - ext2 /dev/dcssdax0 rw,dax" \
	"31 1 254:0 / /srv/b rw - ext2 /dev/dcssdax0 rw,dax"
dc remove A
expect_rc 1
expect_err "device A is mounted on /srv/a, /srv/b; unmount it before removing it"
end

begin "remove EBUSY: open, not mounted"
add A
touch "$R/busy/A"
dc remove A
expect_rc 1; expect_err "device A is open"; expect_err "close it before removing it"
end

begin "remove EBUSY: open by a process, named from /proc"
add A
touch "$R/busy/A"
mkdir -p "$R/proc/4321/fd" "$R/proc/77/fd"
ln -s /dev/dcssdax0 "$R/proc/4321/fd/5"
echo dd >"$R/proc/4321/comm"
ln -s /dev/sda "$R/proc/77/fd/3"; echo other >"$R/proc/77/comm"
dc remove A
expect_rc 1
expect_err "device A is open by process 4321 (dd); close it before removing it"
grep -q other "$ERR" && bad "names a process that has another device open"
end

begin "remove EBUSY: a device stacked on it, named from holders/"
add A
touch "$R/busy/A"
mkdir -p "$R/sys/devices/dcssdax/A/block/dcssdax0/holders/dm-0"
dc remove A
expect_rc 1; expect_err "device A is open by device dm-0; close it before removing it"
end

begin "mode EBUSY: names the process too"
add A
touch "$R/busy/A"
mkdir -p "$R/proc/99/fd"; ln -s /dev/dcssdax0 "$R/proc/99/fd/0"
echo "(udev-worker)" >"$R/proc/99/comm"
dc mode A exclusive
expect_rc 1; expect_err "device A is open by process 99 ((udev-worker)); close it before changing its mode"
end

begin "remove with udev running: waits for udev's event queue first"
add A
fake_udev running
touch "$R/busy/A" "$R/run/udev/queue"
# udev's probe: holds the device until its queue is done
( sleep 1; rm -f "$R/busy/A" "$R/run/udev/queue" ) &
bgpid=$!
start=$(date +%s%N)
dc remove A
wait $bgpid
expect_rc 0; expect_log "remove A"
(( $(date +%s%N) - start >= 900000000 )) || bad "did not wait for the queue"
grep -c '^remove' "$R/writes.log" | grep -qx 1 || bad "remove written before udev was done: $(tr '\n' '|' <"$R/writes.log")"
end

begin "remove with udev running: a probe after the queue emptied is retried"
add A
fake_udev running
touch "$R/busy/A"
( sleep 0.5; rm -f "$R/busy/A" ) &
bgpid=$!
dc remove A
wait $bgpid
expect_rc 0; expect_log "remove A"
end

begin "remove with udev running: still busy after the retries, says so"
add A
fake_udev running
touch "$R/busy/A" "$R/run/udev/queue"
start=$(date +%s)
dc remove --timeout=1 A
expect_rc 1
expect_err "device A is open by another process"
expect_err "(udev was still busy with events after 1 s)"
(( $(date +%s) - start >= 3 )) || bad "did not wait 1 s and retry 2 s"
end

begin "remove with udev running: a mounted device is not retried"
add A
fake_udev running
touch "$R/busy/A"
mountinfo "30 1 254:0 / /srv/a rw - ext2 /dev/dcssdax0 rw,dax"
dc remove A
expect_rc 1; expect_err "device A is mounted on /srv/a; unmount it before removing it"
[ "$(grep -c '^remove' "$R/writes.log")" = 1 ] || bad "a mounted device was retried"
end

begin "remove without udev: EBUSY at once, no waiting"
add A
touch "$R/busy/A"
mkdir -p "$R/run/udev"; touch "$R/run/udev/queue"
dc remove A
expect_rc 1; expect_err "device A is open"
grep -q "udev was still busy" "$ERR" && bad "blamed a udev that is not running"
[ "$(grep -c '^remove' "$R/writes.log")" = 1 ] || bad "retried for a udev that is not running"
end

begin "remove: bad --timeout is a usage error"
add A
dc remove --timeout=x A
expect_rc 2; expect_err "invalid timeout 'x'"; expect_nothing_written
end

begin "remove: usage errors"
dc remove A:B
expect_rc 2; expect_err "named by its first segment only"
dc remove
expect_rc 2; expect_err "dcssctl: remove: missing operands (expected: NAME)"
dc remove A B
expect_rc 2; expect_err "dcssctl: remove: unexpected argument 'B' (expected: NAME)"
dc remove TOOLONGNAME
expect_rc 2; expect_nothing_written
end

# "no device X" says why when dcssctl can tell, in every command.
for cmd in "list A" "remove A" "save A" "save --cancel A" "mode A exclusive" \
	   "mode A shared" "mode A devdax" "mode A fsdax"; do
	begin "$cmd: module not loaded says so"
	rm -rf "$R/sys/devices/dcssdax"
	dc $cmd
	expect_rc 1
	expect_err "no device A: the dcssdax module is not loaded (dcssctl add and dcssctl apply load it)"
	end
	begin "${cmd/A/B}: a later segment of a device names the device"
	add A:B
	dc ${cmd/A/B}
	expect_rc 1; expect_log
	expect_err "no device B: segment B is part of device A, which is named by its first segment"
	end
done

begin "no device, no other reason: just that"
add A
dc mode NOPE exclusive
expect_rc 1; grep -qx "dcssctl: no device NOPE" "$ERR" || bad "not just 'no device NOPE'"
end

# ------------------------------------------------------------------ save

begin "save: idle device saved at once"
add A
dc save A
expect_rc 0; expect_log "save A 1"
expect_out "A: saved by the driver's emulation (emulate=), which keeps it in this guest; no CP involved: A"
end

begin "save: busy device saved on last close"
add A; touch "$R/busy/A"
dc save A
expect_rc 0; expect_out "A: in use; the save will happen when it is last closed"
end

begin "save --cancel"
add A; touch "$R/busy/A"
dc save A
dc save --cancel A
expect_rc 0; expect_log "save A 1" "save A 0"; expect_out "pending save cancelled"
[ "$(cat "$R/sys/devices/dcssdax/A/save")" = 0 ] || bad "still pending"
end

begin "save EINVAL"
add A
dc_errno A/save EINVAL save A
expect_rc 1; expect_err "device A: the driver rejected the save request"
end

begin "save EIO"
add A
echo 1 >"$R/sys/devices/dcssdax/A/save"
dc_errno A/save EIO save -c A
expect_rc 1; expect_err "device A: cancelling the save failed: Input/output error"
end

begin "save: no device"
dc save NOPE
expect_rc 1; expect_err "no device NOPE"; expect_nothing_written
end

begin "save: usage errors"
dc save
expect_rc 2; expect_err "dcssctl: save: missing operands (expected: NAME)"
dc save 'A!'
expect_rc 2; expect_err "contains '!'"; expect_nothing_written
end

# ------------------------------------------------------------------ mode

begin "mode exclusive then shared"
add A
dc mode A exclusive
expect_rc 0
[ "$(cat "$R/sys/devices/dcssdax/A/shared")" = 0 ] || bad "not exclusive"
dc mode a shared
expect_rc 0; expect_log "shared A 0" "shared A 1"
end

begin "mode: already in that mode writes nothing"
add A; touch "$R/busy/A"
dc mode A shared
expect_rc 0; expect_nothing_written
end

begin "mode EBUSY: mounted"
add A; touch "$R/busy/A"
mountinfo "30 1 254:0 / /srv/a rw - ext2 /dev/dcssdax0 rw,dax"
dc mode A exclusive
expect_rc 1
expect_err "device A is mounted on /srv/a; unmount it before changing its mode"
end

begin "mode EINVAL: SC segment cannot be exclusive"
add S
dc mode S exclusive
expect_rc 1; expect_err "segment S is of type SC"
end

# The ABI: EBUSY (z/VM's EAGAIN inside) also when a segment is loaded by
# another user of this guest; the driver's log names the segment.
begin "mode EBUSY: a segment held by another user of the guest, from the log"
add A:B; mkdir "$R/held"; touch "$R/held/B"
echo "3,1,0,-;DCSS B is in use by another user of this guest and cannot be reloaded; device A keeps its access mode" >"$R/dev/kmsg"
rm "$R/held/B"; touch "$R/held/A"	# the old record is not this write's
dc mode A exclusive
expect_rc 1; expect_log
expect_err "device A: segment A is also loaded by another user of this guest (dcssblk, monreader or a program), so z/VM cannot reload it exclusive; unload it there first; the mode was not changed"
end

begin "mode EBUSY: a segment held by dcssblk, named from its sysfs"
add A:B; mkdir -p "$R/held" "$R/sys/devices/dcssblk/B"; touch "$R/held/B"
printf 'B\n' >"$R/sys/devices/dcssblk/B/seglist"
dc mode A exclusive
expect_rc 1
expect_err "device A: segment B is also loaded by dcssblk device B of this guest, so z/VM cannot reload it exclusive; remove it there first (echo B > /sys/devices/dcssblk/remove); the mode was not changed"
end

begin "mode EBUSY: no opener, no log: every cause named"
add A
dc_errno A/shared EBUSY mode A exclusive
expect_rc 1
expect_err "device A is busy, but no mount or process holding it was found"
expect_err "or a segment is also loaded by another user of this guest (dcssblk, monreader or a program), which keeps z/VM from reloading it exclusive"
end

begin "mode EAGAIN (z/VM's answer): the same cause"
add A
dc_errno A/shared EAGAIN mode A shared
dc_errno A/shared EAGAIN mode A exclusive
expect_rc 1
expect_err "which keeps z/VM from reloading it exclusive"
end

begin "mode devdax EBUSY: a segment another user loaded first (dax_reason)"
add A
echo "DCSS A is also loaded by another user of this guest" >"$R/sys/devices/dcssdax/A/dax_reason"
dc_errno A/mode EBUSY mode A devdax
expect_rc 1
expect_err "device A: segment A is also loaded by another user of this guest (dcssblk, monreader or a program), and a devdax device cannot share it"
end

begin "mode: failed reload removed the device"
add A; touch "$R/reload-fails"
dc mode A exclusive
expect_rc 1
expect_err "device A: reloading its segments exclusive failed (Cannot allocate memory); the driver removed the device"
end

begin "mode: other error"
add A
dc_errno A/shared EIO mode A exclusive
expect_rc 1; expect_err "device A: changing to exclusive mode failed: Input/output error"
end

begin "mode: no device"
dc mode NOPE shared
expect_rc 1; expect_err "no device NOPE"
end

begin "mode: usage errors"
add A
dc mode A readonly
expect_rc 2; expect_err "mode must be 'shared', 'exclusive', 'fsdax' or 'devdax', not 'readonly'"
dc mode A
expect_rc 2; expect_nothing_written
expect_err "dcssctl: mode: missing an operand (expected: NAME shared|exclusive|fsdax|devdax)"
dc mode
expect_rc 2; expect_err "dcssctl: mode: missing operands (expected: NAME shared|exclusive|fsdax|devdax)"
dc mode A shared now
expect_rc 2; expect_err "dcssctl: mode: unexpected argument 'now'"
dc mode --timeout=x A devdax
expect_rc 2; expect_nothing_written
end

# fsdax <-> devdax.  Under a root prefix dcssctl reads the dax bus's
# sysfs files there (libdaxctl reads the real /sys); the model makes them.
begin "mode devdax, then fsdax: the block device comes back"
add A
dc mode A devdax --timeout=1
expect_rc 0; expect_log "mode A devdax"
[ "$(cat "$R/sys/devices/dcssdax/A/mode")" = devdax ] || bad "not devdax"
[ ! -e "$R/dev/dcssdax0" ] || bad "block device still there"
[ -e "$R/dev/dax0.0" ] || bad "no /dev/dax0.0"
dc mode a fsdax
expect_rc 0; expect_log "mode A devdax" "mode A fsdax"
[ -e "$R/dev/dcssdax0" ] || bad "no /dev/dcssdax0 again"
[ ! -e "$R/dev/dax0.0" ] || bad "/dev/dax0.0 still there"
end

begin "mode devdax: the dax node never appears"
add A; touch "$R/no-dax-node"
dc mode A devdax --timeout=1
expect_rc 1; expect_log "mode A devdax"
expect_err "device A is in devdax mode, but its /dev/dax node did not appear within 1 s"
end

begin "list: a devdax device, ndctl's keys"
add A; add B
dc mode A devdax
dc list
expect_rc 0
expect_json '.[0] | .mode == "devdax" and .access == "shared" and .chardev == "dax0.0" and .align == 2097152'
expect_json '.[0] | has("blockdev") or has("dev") | not'
expect_json '.[0].devdax == {"region":0,"chardev":"dax0.0","size":67108864,"align":2097152,"state":"devdax"}'
expect_json '.[1] | .mode == "fsdax" and (has("chardev") or has("devdax") | not)'
end

begin "list -t: a devdax device shows its character device and mode"
add A; add B
dc mode A devdax
dc list -t -o NAME,DEV,PATH,TYPE,ACCESS,MODE
expect_rc 0
grep -qE '^A +dax0\.0 +/dev/dax0\.0 +EW +shared +devdax$' "$OUT" || bad "row A"
grep -qE '^B +dcssdax1 +/dev/dcssdax1 +EW +shared +fsdax$' "$OUT" || bad "row B"
end

begin "list -t TYPE: the segments' types, as SEGMENTS"
add A:B:C
dc list -r -n -o SEGMENTS,TYPE
expect_rc 0
[ "$(cat "$OUT")" = "A:B:C EW:EW:EN" ] || bad "not 'A:B:C EW:EW:EN'"
end

begin "add --mode devdax: the same keys as list"
dc add --mode devdax A
expect_rc 0; expect_log "devdax A"
expect_json '.mode == "devdax" and .access == "shared" and .chardev == "dax0.0" and .devdax.state == "devdax"'
cp "$OUT" "$R/add.json"
dc list
jq -e --slurpfile a "$R/add.json" '.[0] == $a[0]' "$OUT" >/dev/null ||
	bad "add's object differs from list's"
end

begin "add: the same object as list"
dc add A
expect_rc 0
cp "$OUT" "$R/add.json"
dc list
jq -e --slurpfile a "$R/add.json" '.[0] == $a[0]' "$OUT" >/dev/null ||
	bad "add's object differs from list's"
end

begin "mode: already fsdax writes nothing"
add A; touch "$R/busy/A"
dc mode A fsdax
expect_rc 0; expect_nothing_written
end

begin "mode devdax EBUSY: mounted"
add A; touch "$R/busy/A"
mountinfo "30 1 254:0 / /srv/a rw - ext2 /dev/dcssdax0 rw,dax"
dc mode A devdax
expect_rc 1
expect_err "device A is mounted on /srv/a; unmount it before changing its mode"
end

begin "mode fsdax EBUSY: mapped through its dax device"
add A
dc mode A devdax --timeout=1
touch "$R/busy/A"
: >"$R/kernel.log"
dc mode A fsdax
expect_rc 1; expect_log
expect_err "device A is mapped through /dev/dax"
expect_err "unmap it before changing its mode"
end

begin "mode devdax EROFS: read-only when shared"
add U
dc mode U devdax
expect_rc 1
expect_err "device U: it is read-only (an SR, ER or SC segment loaded shared) and device_dax cannot refuse writable mappings; make it exclusive first or keep it in fsdax mode"
end

begin "mode devdax EINVAL: not on 2 MiB boundaries"
add A
dc_errno A/mode EINVAL mode A devdax
expect_rc 1
expect_err "device A: devdax mode needs segments starting and ending on 2 MiB boundaries"
end

begin "mode devdax EOPNOTSUPP"
add A
dc_errno A/mode EOPNOTSUPP mode A devdax
expect_rc 1; expect_err "device A: devdax mode is not possible here"
end

begin "mode devdax: other error"
add A
dc_errno A/mode EIO mode A devdax
expect_rc 1; expect_err "device A: changing to devdax mode failed: Input/output error"
end

begin "mode devdax: a module without devdax mode"
add A; rm "$R/sys/devices/dcssdax/A/mode"
dc mode A devdax
expect_rc 1; expect_err "this dcssdax module has no devdax mode"
expect_nothing_written
end

begin "mode devdax: no device"
dc mode NOPE devdax
expect_rc 1; expect_err "no device NOPE"
end

# ----------------------------------------------------------------- apply

conf() { printf '%s\n' "$@" >"$R/etc/dcssdax.conf"; }

begin "apply: adds every device, reports per line"
conf "# shared data" "" "A:B   shared   # two segments" "C exclusive" "u"
dc apply
expect_rc 0
expect_log "add A:B" "add C" "shared C 0" "add U"
expect_out "$R/etc/dcssdax.conf:3: A: added as /dev/dcssdax0 (shared, fsdax)"
expect_out "$R/etc/dcssdax.conf:4: C: added as /dev/dcssdax1 (exclusive, fsdax)"
expect_out "$R/etc/dcssdax.conf:5: U: added as /dev/dcssdax2 (shared, fsdax)"
end

begin "apply: idempotent"
conf "A:B" "C exclusive"
dc apply
: >"$R/kernel.log"; : >"$R/writes.log"
dc apply
expect_rc 0; expect_nothing_written
expect_out ":1: A: present (shared, fsdax)"; expect_out ":2: C: present (exclusive, fsdax)"
end

begin "apply: mode of an idle present device is set"
add A
conf "A exclusive"
dc apply
expect_rc 0; expect_log "shared A 0"; expect_out "A: present, access set to exclusive"
end

begin "apply: busy present device is left alone"
add A; touch "$R/busy/A"
conf "A exclusive"
dc apply
expect_rc 0; expect_out "A: present and in use, left shared (device A is busy"
end

begin "apply: present device with other segments"
add A
conf "A:B"
dc apply
expect_rc 1; expect_err ":1: device A exists with other segments than A:B"
end

begin "apply: syntax errors name file:line, nothing is added"
cfg=$R/my.conf
printf '%s\n' "A" "B bogus" "C:" "H shared devdax extra" "A:C" \
	"G shared exclusive" "M devdax fsdax" >"$cfg"
dc apply "$cfg"
expect_rc 2; expect_nothing_written
expect_err "$cfg:2: 'bogus' is neither an access mode (shared, exclusive) nor a dax mode (fsdax, devdax); expected 'NAME[:NAME...] [shared|exclusive] [fsdax|devdax]'"
expect_err "$cfg:3: segment list 'C:': trailing ':'"
expect_err "$cfg:4: too many words; expected 'NAME[:NAME...] [shared|exclusive] [fsdax|devdax]'"
expect_err "$cfg:5: segment A is already used on line 1"
expect_err "$cfg:6: access mode given twice ('exclusive')"
expect_err "$cfg:7: dax mode given twice ('fsdax')"
expect_err "nothing was applied"
end

begin "apply: one failing line, the others still applied"
conf "NOPE" "A"
dc apply
expect_rc 1; expect_log "add A"
expect_err ":1: segment NOPE: not running under z/VM"
expect_out ":2: A: added"
end

begin "apply: missing configuration"
dc apply
expect_rc 1; expect_err "cannot read $R/etc/dcssdax.conf"
end

begin "apply: empty configuration"
conf "# nothing" ""
dc apply
expect_rc 0; expect_no_out; expect_nothing_written
end

begin "apply: usage errors"
dc apply a b
expect_rc 2; expect_err "dcssctl: apply: unexpected argument 'b' (expected: [CONFIG])"
dc apply -w x
expect_rc 2; expect_err "invalid timeout 'x'"
end

begin "apply: devdax, in either order with the access mode"
conf "A devdax" "B:C exclusive devdax" "H fsdax shared"
dc apply
expect_rc 0
expect_log "devdax A" "add B:C" "shared B 0" "mode B devdax" "add H"
expect_out ":1: A: added as /dev/dax0.0 (shared, devdax)"
expect_out ":2: B: added as /dev/dax1.0 (exclusive, devdax)"
expect_out ":3: H: added as /dev/dcssdax2 (shared, fsdax)"
end

begin "apply: devdax of a read-only segment needs exclusive first"
conf "U exclusive devdax"
dc apply
expect_rc 0; expect_log "add U" "shared U 0" "mode U devdax"
conf "U devdax"
: >"$R/kernel.log"
dc apply
expect_rc 0; expect_log; expect_out ":1: U: present (exclusive, devdax)"
end

begin "apply: a present device switched: access before devdax, fsdax before shared"
add U
conf "U exclusive devdax"
dc apply
expect_rc 0; expect_log "shared U 0" "mode U devdax"
expect_out ":1: U: present, access set to exclusive"
expect_out ":1: U: present, mode set to devdax"
: >"$R/kernel.log"
conf "U shared fsdax"
dc apply
expect_rc 0; expect_log "mode U fsdax" "shared U 1"
end

begin "apply: devdax refused for a read-only shared segment, said per line"
conf "U devdax" "A"
dc apply
expect_rc 1; expect_log "add A"
expect_err ":1: segment U: a read-only segment cannot be a devdax device"
end

begin "apply --dry-run: says what it would do, writes nothing"
add A; add C; touch "$R/busy/C"
mountinfo "30 1 254:1 / /srv/c rw - ext2 /dev/dcssdax1 rw,dax"
dc mode A exclusive
: >"$R/writes.log"
conf "A exclusive fsdax" "B devdax" "C exclusive" "H:M"
dc apply --dry-run
expect_rc 0; expect_nothing_written
expect_out ":1: A: present (exclusive, fsdax)"
expect_out ":2: B: would add B (shared, devdax)"
expect_out ":3: C: present and in use (mounted on /srv/c), would be left shared"
expect_out ":4: H: would add H:M (shared, fsdax)"
conf "A shared devdax"
dc apply -n
expect_rc 0; expect_nothing_written
expect_out ":1: A: present, would set mode to devdax"
expect_out ":1: A: present, would set access to shared"
end

begin "apply --dry-run: the module not loaded, a bad line still an error"
rm -rf "$R/sys/devices/dcssdax"
conf "A" "B sideways"
dc apply -n
expect_rc 2; expect_err ":2: 'sideways' is neither"
conf "A"
dc apply -n
expect_rc 0
expect_out "would load the dcssdax kernel module"
expect_out ":1: A: would add A (shared, fsdax)"
[ -e "$R/writes.log" ] && bad "sysfs written"
end

# ---------------------------------------------------------------- export

begin "export: the config format, read back by apply to the same state"
add A:B; add C; add U
dc mode C exclusive; dc mode U exclusive; dc mode U devdax
dc list; cp "$OUT" "$R/before.json"
dc export
expect_rc 0
grep -v '^#' "$OUT" >"$R/lines"
[ "$(cat "$R/lines")" = "A:B shared fsdax
C exclusive fsdax
U exclusive devdax" ] || bad "export lines: $(tr '\n' '|' <"$R/lines")"
cp "$OUT" "$R/exported.conf"
for n in A C U; do dc remove $n; done
dc apply "$R/exported.conf"
expect_rc 0
dc list
jq -e --slurpfile b "$R/before.json" \
	'[.[] | del(.dev, .blockdev, .chardev, .devdax)] == [$b[0][] | del(.dev, .blockdev, .chardev, .devdax)]' \
	"$OUT" >/dev/null || bad "state after apply differs from before export"
dc export "$R/again.conf"
expect_rc 0; expect_no_out
cmp -s "$R/exported.conf" "$R/again.conf" || bad "second export differs"
[ "$(stat -c %a "$R/again.conf")" = 644 ] || bad "FILE not 0644"
end

begin "export: no devices, only the comment; module not loaded the same"
dc export
expect_rc 0
[ "$(grep -vc '^#' "$OUT")" = 0 ] || bad "lines without devices"
rm -rf "$R/sys/devices/dcssdax"
dc export -
expect_rc 0; expect_out "# dcssdax devices, written by dcssctl export"
end

begin "export FILE: an unwritable place is an error, nothing left behind"
add A
dc export "$R/nodir/x.conf"
expect_rc 1; expect_err "cannot create a file beside $R/nodir/x.conf"
dc export a b
expect_rc 2; expect_err "dcssctl: export: unexpected argument 'b' (expected: [FILE])"
end

# ------------------------------------------------------------ completion

begin "bash completion: commands, devices, segment lists"
add A; add C
got=$(DCSSCTL_ROOT=$R bash -c '. "$1"
	comp() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _dcssctl
		echo "${COMPREPLY[*]}"; }
	comp dcssctl re; comp dcssctl remove ""; comp dcssctl add A:; comp dcssctl mode C s' \
	_ "$TOOLS/dcssctl.bash-completion" 2>&1)
want=$'remove\nA C\nA:A A:B A:C A:S A:U A:G A:H A:M\nshared'
[ "$got" = "$want" ] || bad "completion gave: $(tr '\n' '|' <<<"$got")"
end

begin "bash completion: list's options and -o's columns"
got=$(PATH=$TOOLS:$PATH bash -c '. "$1"
	comp() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _dcssctl
		echo "${COMPREPLY[*]}"; }
	comp dcssctl list --no; comp dcssctl list -o NAME,MOUNTP; comp dcssctl list --output D
	comp dcssctl list -w ""' \
	_ "$TOOLS/dcssctl.bash-completion" 2>&1)
want=$'--noheadings\nNAME,MOUNTPOINT NAME,MOUNTPOINTS\nDEV DAX DAX-REASON'
[ "$got" = "$want" ] || bad "completion gave: $(tr '\n' '|' <<<"$got")"
end

begin "bash completion: export, apply's --dry-run, the new columns"
got=$(PATH=$TOOLS:$PATH bash -c '. "$1"
	comp() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _dcssctl
		echo "${COMPREPLY[*]}"; }
	comp dcssctl ex; comp dcssctl apply --d; comp dcssctl list -o +A; comp dcssctl list -o T' \
	_ "$TOOLS/dcssctl.bash-completion" 2>&1)
want=$'export\n--dry-run\n+ACCESS\nTYPE'
[ "$got" = "$want" ] || bad "completion gave: $(tr '\n' '|' <<<"$got")"
end
# CP through a fake /dev/vmcp: info, list --cp, define, save's report
. "$(dirname "$0")/cp.sh"

summary
