# dcssctl's CP side (sourced by run.sh): info, list --cp, define and
# save's report, through a fake /dev/vmcp: fakevmcp.so stands in for the
# vmcp driver (dcssctl's own open/ioctl/write/read run), fake-cp.sh for
# CP (its state in $R/cp, see there).
# shellcheck shell=bash

# cp_on [CLASSES]: CP behind $R/dev/vmcp, the user with these privilege
# classes (default G: no QUERY NSS, no DEFSEG)
cp_on() {
	export FAKE_CP=$TOOLS/tests/fake-cp.sh
	mkdir -p "$R/cp"
	: >"$R/cp/segs"
	echo "${1:-G}" >"$R/cp/class"
	printf 'VM00 Control Program: z/VM    7.3.0\n' >"$R/proc/sysinfo"
}
cp_seg() { echo "$*" >>"$R/cp/segs"; }
# extmem DEV SEG...: the device's segments are z/VM's (the model adds
# every segment from its emulation table)
extmem() {
	local d=$1 s
	shift
	for s in "$@"; do echo extmem >"$R/sys/devices/dcssdax/$d/$s/backend"; done
}
cp_log() { cat "$R/cp/log" 2>/dev/null; }
expect_cp_log() {
	local want
	want=$(printf '%s\n' "$@")
	[ "$(cp_log)" = "${want%$'\n'}" ] ||
		bad "CP got '$(cp_log | tr '\n' '|')', expected '$(printf '%s|' "$@")'"
}

# ------------------------------------------------------------ no vmcp

begin "info: no /dev/vmcp and not z/VM"
unset FAKE_CP
dc info A
expect_rc 1
expect_err "no /dev/vmcp: this system is not a z/VM guest (/proc/sysinfo names no z/VM Control Program), so there is no CP to ask"
expect_no_out
end

begin "info: no /dev/vmcp on z/VM: load vmcp"
unset FAKE_CP
printf 'VM00 Control Program: z/VM    7.3.0\n' >"$R/proc/sysinfo"
dc info A
expect_rc 1; expect_err "no /dev/vmcp: load the vmcp module (modprobe vmcp) to reach CP"
end

begin "info: /dev/vmcp that is not the vmcp device"
unset FAKE_CP
: >"$R/dev/vmcp"
dc info A
expect_rc 1; expect_err "/dev/vmcp is not the vmcp device (its ioctls fail: "
end

begin "list --cp: no vmcp, and save cannot know"
unset FAKE_CP
add A; extmem A A
dc list --cp
expect_rc 1; expect_err "no /dev/vmcp"
dc save A
expect_rc 0; expect_log "save A 1"
expect_out "A: the driver took the save, but whether CP saved it cannot be known: no /dev/vmcp"
expect_out "(a failed DEFSEG or SAVESEG shows only in the kernel's log: dmesg)"
end

# ------------------------------------------------------------- refusals

begin "info: CP refuses QUERY NSS to class G"
cp_on G
cp_seg A 0001 A 0 40000-43FFF EW
dc info A
expect_rc 1
expect_err "CP refused 'QUERY NSS NAME A MAP' (return code 3): HCPCQU003E Invalid option - NSS: CP answers so when this guest's user ID lacks the privilege class the command needs (class E for DEFSEG, SAVESEG and QUERY NSS"
expect_no_out
end

begin "define: CP refuses DEFSEG to class G; nothing defined"
cp_on G
dc define NEW 60000-63FFF SW
expect_rc 1
expect_err "CP refused 'DEFSEG NEW 60000-63FFF SW' (return code 1): HCPCMD001E Unknown CP command: DEFSEG: CP answers so when"
[ ! -s "$R/cp/segs" ] || bad "CP has: $(cat "$R/cp/segs")"
end

begin "save: CP refuses QUERY NSS: the outcome cannot be known"
cp_on G
add A; extmem A A
dc save A
expect_rc 0; expect_log "save A 1"
expect_out "A: the driver took the save, but whether CP saved it cannot be known: CP refused 'QUERY NSS NAME A MAP'"
end

# ----------------------------------------------------------------- info

begin "info: CP's view, the device that holds it, no overlap"
cp_on EG
echo 512M >"$R/cp/storage"
cp_seg A 0001 A 1 40000-43FFF EW
printf '00000000-1fffffff : System RAM\n40000000-43ffffff : A        (DCSS)\n' >"$R/proc/iomem"
add A
dc info a
expect_rc 0
expect_json '.name == "A" and .cp_file == "0001" and .cp_class == "A" and .cp_state == "available"'
expect_json '.type == "EW" and .start == 1073741824 and .end == 1140850687 and .size == 67108864'
expect_json '.users == 1 and (.ranges | length) == 1 and .ranges[0].type == "EW"'
expect_json '.overlaps_storage == false and .guest_storage == 536870912'
expect_json '.guest_storage_source == "CP: QUERY VIRTUAL STORAGE"'
expect_json '.loaded == true and .device == "A" and (has("versions") | not)'
[ ! -s "$ERR" ] || bad "stderr: $(cat "$ERR")"
expect_cp_log "QUERY NSS NAME A MAP" "QUERY VIRTUAL STORAGE"
expect_nothing_written
end

begin "info: overlaps this guest's storage (CP's size)"
cp_on E
echo 2G >"$R/cp/storage"
cp_seg A 0001 A 0 40000-43FFF EW
dc info -u A
expect_rc 0
expect_json '.overlaps_storage == true and .guest_storage == "2.00 GiB (2.15 GB)"'
expect_json '.start == "0x40000000" and .loaded == false and (has("device") | not)'
expect_err "A overlaps this guest's storage (2G, from CP: QUERY VIRTUAL STORAGE): CP will not load it here"
end

begin "info: storage from Linux when CP does not answer"
cp_on E
cp_seg A 0001 A 0 40000-43FFF EW
printf '00000000-3fffffff : System RAM\n  00100000-00ffffff : Kernel code\n' >"$R/proc/iomem"
dc info A
expect_rc 0
expect_json '.guest_storage == 1073741824 and .overlaps_storage == false'
expect_json '.guest_storage_source == "Linux: /proc/iomem (CP did not answer QUERY VIRTUAL STORAGE)"'
end

begin "info: a skeleton, and older versions"
cp_on E
cp_seg A 0001 P 2 40000-43FFF EW
cp_seg A 0003 A 0 40000-43FFF EW
cp_seg A 0004 S 0 40000-44FFF SW
dc info A
expect_rc 0
expect_json '.cp_file == "0003" and .cp_class == "A"'
expect_json '[.versions[] | .cp_file + .cp_class] == ["0001P", "0004S"]'
expect_json '.versions[0].users == 2 and .versions[0].cp_state == "purge-pending"'
dc info A
: >"$R/cp/segs"; cp_seg B 0007 S 0 60000-63FFF SW
dc info B
expect_rc 0; expect_json '.cp_state == "skeleton" and (has("loaded") | not)'
expect_err "B is a skeleton (DEFSEG without SAVESEG): nothing can load it until it is saved"
end

begin "info: several ranges"
cp_on E
cp_seg MULTI 0005 A 0 51000-510FF EW 51100-511FF EN
dc info multi
expect_rc 0
expect_json '.type == "EW,EN" and .size == 2097152 and (.ranges | length) == 2'
expect_json '.ranges[1] | .type == "EN" and .start == 1360003072 and .size == 1048576'
end

begin "info: CP has no such segment"
cp_on E
cp_seg A 0001 A 0 40000-43FFF EW
dc info NOPE
expect_rc 1; expect_no_out
expect_err "CP has no saved segment NOPE (QUERY NSS NAME NOPE MAP lists none)"
end

begin "info: usage errors reach no CP"
cp_on E
dc info
expect_rc 2; expect_err "usage: dcssctl info"
dc info 'A!'
expect_rc 2; expect_err "segment name 'A!' contains '!'"
dc info A B
expect_rc 2
[ -z "$(cp_log)" ] || bad "CP got: $(cp_log)"
end

# ------------------------------------------------------- add, told by CP

begin "add: CP has only a skeleton"
cp_on E
cp_seg NEW 0007 S 0 60000-63FFF SW
dc_errno add ENOENT add NEW
expect_rc 1
expect_err "segment NEW: no such DCSS defined in z/VM; CP has NEW only as a skeleton (DEFSEG without SAVESEG): SAVESEG it from a guest whose storage holds its pages"
end

begin "add: a segment over the guest's storage"
cp_on E
echo 2G >"$R/cp/storage"
cp_seg A 0001 A 0 40000-43FFF EW
for e in EIO EBUSY; do
	dc_errno add $e add --exclusive A
	expect_rc 1
	expect_err "; A overlaps this guest's storage (2G, from CP: QUERY VIRTUAL STORAGE), where CP cannot load it"
done
echo 512M >"$R/cp/storage"
dc_errno add EBUSY add --exclusive A
grep -q "overlaps this guest's storage" "$ERR" && bad "a hint without an overlap"
end

begin "add: no hint without vmcp, nor for another errno"
unset FAKE_CP
dc_errno add ENOENT add NEW
expect_rc 1; expect_err "segment NEW: no such DCSS defined in z/VM"
grep -q "CP has" "$ERR" && bad "a hint without CP"
cp_on E
cp_seg NEW 0007 S 0 60000-63FFF SW
dc_errno add EPERM add NEW
expect_rc 1
grep -q "CP has" "$ERR" && bad "a hint for EPERM"
[ -z "$(cp_log)" ] || bad "CP got: $(cp_log | tr '\n' '|')"
end

# -------------------------------------------------------------- list --cp

begin "list --cp: every segment, once, with this guest's devices"
cp_on E
echo 512M >"$R/cp/storage"
cp_seg A 0001 P 1 40000-43FFF EW
cp_seg A 0002 A 0 40000-43FFF EW
cp_seg NEW 0003 S 0 60000-63FFF SW
cp_seg S 0004 A 3 48000-487FF SC
add A
dc list --cp
expect_rc 0
expect_json 'type == "array" and length == 3'
expect_json '[.[].name] == ["A", "NEW", "S"]'
expect_json '.[0] | .cp_file == "0002" and .device == "A" and .versions[0].cp_file == "0001"'
expect_json '.[1] | .cp_class == "S" and (has("device") | not)'
expect_json '.[2] | .type == "SC" and .users == 3 and (has("device") | not) and .overlaps_storage == false'
dc list -u S --cp
expect_rc 0
expect_json 'length == 1 and .[0].name == "S" and .[0].size == "8.00 MiB (8.39 MB)"'
dc list --cp A NOPE
expect_rc 1; expect_err "CP has no saved segment NOPE"
expect_json 'length == 1 and .[0].name == "A"'
expect_nothing_written
end

begin "list --cp: a response longer than vmcp's first buffer"
cp_on E
for i in $(seq 100 399); do
	cp_seg "SEG$i" "0$i" A 0 "$(printf '%X-%X' $((0x60000 + i * 16)) $((0x60000 + i * 16 + 15)))" SR
done
dc list --cp
expect_rc 0
expect_json 'length == 300 and .[299].name == "SEG399" and .[299].size == 65536'
# the first answer did not fit: asked again with a buffer as large
expect_cp_log "QUERY NSS MAP" "QUERY NSS MAP" "QUERY VIRTUAL STORAGE"
end

begin "list --cp --help"
dc list --cp --help
expect_rc 0; expect_out "usage: dcssctl list --cp"
dc list --help
expect_rc 0; expect_out "dcssctl list --cp"
end

# --------------------------------------------------------------- define

begin "define: DEFSEG in CP's syntax, a skeleton"
cp_on EG
echo 1G >"$R/cp/storage"
dc define new 60000-63fff sw
expect_rc 0
expect_cp_log "DEFSEG NEW 60000-63FFF SW" "QUERY VIRTUAL STORAGE"
expect_out "NEW: CP: HCPNSD440I Saved segment NEW was successfully defined in fileid 0100."
expect_out "NEW: a skeleton until SAVESEG NEW saves its pages from a guest whose storage holds them"
expect_out "NEW: this guest's storage (1G, from CP: QUERY VIRTUAL STORAGE) ends below it"
grep -qx 'NEW 0100 S 0 60000-63FFF SW' "$R/cp/segs" || bad "CP has: $(cat "$R/cp/segs")"
expect_nothing_written
end

begin "define: several ranges, FIRST.COUNT, LOADNSHR and RSTD"
cp_on E
dc define --loadnshr --rstd NEW 60000.100 ew 60100-601FF EN
expect_rc 0
expect_cp_log "DEFSEG NEW 60000-600FF EW 60100-601FF EN LOADNSHR RSTD" \
	"QUERY VIRTUAL STORAGE"
end

begin "define -s: DEFSEG and SAVESEG from this guest's storage"
cp_on E
echo 2G >"$R/cp/storage"
dc define -s NEW 60000-63FFF SW
expect_rc 0
expect_cp_log "DEFSEG NEW 60000-63FFF SW" "QUERY VIRTUAL STORAGE" "SAVESEG NEW"
expect_out "NEW: CP: HCPNSS440I Saved segment NEW was successfully saved in fileid 0101."
grep -qx 'NEW 0101 A 0 60000-63FFF SW' "$R/cp/segs" || bad "CP has: $(cat "$R/cp/segs")"
[ ! -s "$ERR" ] || bad "stderr: $(cat "$ERR")"
end

begin "define -s: CP's SAVESEG refused"
cp_on E
echo 1G >"$R/cp/storage"
touch "$R/cp/failsave"
dc define -s NEW 60000-63FFF SW
expect_rc 1
expect_err "CP refused 'SAVESEG NEW' (return code 9): HCPNSS009E Saved segment NEW: pages not in storage"
expect_err "SAVESEG saves pages of this guest's storage, and NEW lies above it (1G, from CP: QUERY VIRTUAL STORAGE)"
end

begin "define: usage errors reach no CP"
cp_on E
for args in "NEW" "NEW 60000-63FFF" "NEW 6000Z-63FFF SW" "NEW 63FFF-60000 SW" \
	"NEW 60000.0 SW" "NEW 60000-63FFF XX" "NEW 60000-63FFF SW 50000-50FFF SW" \
	"NEW 60000-63FFF SW 63000-64FFF SW" "TOOLONGNAME 60000-63FFF SW" "-x NEW 1-2 SW"; do
	# shellcheck disable=SC2086
	dc define $args
	[ "$RC" = 2 ] || bad "define $args: exit code $RC"
done
dc define NEW 6000Z-63FFF SW
expect_err "range '6000Z-63FFF': not FIRST-LAST or FIRST.COUNT in hex pages"
dc define NEW 60000-63FFF XX
expect_err "type 'XX' of range 60000-63FFF: not SW, EW, SR, ER, SN, EN or SC"
dc define NEW 60000-63FFF SW 50000-50FFF SW
expect_err "range 50000-50FFF overlaps or precedes the one before it"
[ -z "$(cp_log)" ] || bad "CP got: $(cp_log | tr '\n' '|')"
end

# ------------------------------------------------------- save, told by CP

begin "save: CP's new spool file reported"
cp_on E
cp_seg A 0001 A 1 40000-43FFF EW
add A; extmem A A
dc save A
expect_rc 0; expect_log "save A 1"
expect_out "A: segment A saved: CP's spool file 0100, was 0001"
expect_cp_log "QUERY NSS NAME A MAP" "SAVESEG A" "QUERY NSS NAME A MAP"
grep -qx 'A 0001 P 1 40000-43FFF EW' "$R/cp/segs" || bad "CP has: $(cat "$R/cp/segs")"
end

begin "save: CP saved nothing: the save failed, said"
cp_on E
cp_seg A 0001 A 1 40000-43FFF EW
touch "$R/cp/failsave"
add A; extmem A A
dc save A
expect_rc 1; expect_log "save A 1"
expect_err "A: segment A not saved: CP's spool file is 0001 as before; the kernel's log says what CP answered"
end

begin "save: several segments, EN not saved"
cp_on E
cp_seg A 0001 A 1 40000-43FFF EW
cp_seg B 0002 A 1 44000-44FFF EW
cp_seg C 0003 A 1 45000-45FFF EN
add A:B:C; extmem A A B C
dc save A
expect_rc 0
expect_out "A: segment A saved: CP's spool file 0100, was 0001"
expect_out "A: segment B saved: CP's spool file 0101, was 0002"
grep -q "NSS NAME C" "$R/cp/log" && bad "C (EN) asked about"
end

begin "save: EN only: nothing to save"
cp_on E
add C; extmem C C
dc save C
expect_rc 0; expect_out "C: nothing to save: its segments are SN or EN"
end

begin "save: busy: CP's spool file now, the save at the last close"
cp_on E
cp_seg A 0001 A 1 40000-43FFF EW
add A; extmem A A; touch "$R/busy/A"
dc save A
expect_rc 0
expect_out "A: in use; the save will happen when it is last closed"
expect_out "A: segment A: CP's spool file is 0001 now; a new one after the close means it was saved (dcssctl info A)"
end

begin "save: emulated segments are not CP's"
cp_on E
cp_seg A 0001 A 1 40000-43FFF EW
cp_seg B 0002 A 1 44000-44FFF EW
add A:B; extmem A B
dc save A
expect_rc 0
expect_out "A: saved by the driver's emulation (emulate=), which keeps it in this guest; no CP involved: A"
expect_out "A: segment B saved: CP's spool file 0100, was 0002"
expect_cp_log "QUERY NSS NAME B MAP" "SAVESEG B" "QUERY NSS NAME B MAP"
end

begin "save --cancel with nothing pending says so"
cp_on E
add A
dc save --cancel A
expect_rc 0; expect_out "A: no save pending; nothing to cancel"
expect_nothing_written
end

begin "bash completion: info's and define's words"
cp_on E
cp_seg CPSEG1 0001 A 0 50000-507FF SW
cp_seg CPSEG2 0002 S 0 51000-510FF SR
got=$(PATH=$TOOLS:$PATH DCSSCTL_ROOT=$R LD_PRELOAD="$VMCPSHIM" bash -c '. "$1"
	comp() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _dcssctl
		echo "${COMPREPLY[*]}"; }
	comp dcssctl in; comp dcssctl info cp; comp dcssctl define -s c
	comp dcssctl define NEW 60000-63FFF s; comp dcssctl define --s
	comp dcssctl list --c' \
	_ "$TOOLS/dcssctl.bash-completion" 2>&1)
want=$'info\nCPSEG1 CPSEG2\nCPSEG1 CPSEG2\nSW SR SN SC\n--saveseg\n--cp'
[ "$got" = "$want" ] || bad "completion gave: $(tr '\n' '|' <<<"$got")"
end
