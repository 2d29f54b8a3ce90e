# The administrator's first steps, through dcssctl and the emulated CP
# (tests/cp/run.sh's part 5): this guest has 2 GiB of storage and Linux
# uses 1 GiB of it (mem=1G), as IBM's procedure for a new segment has it;
# it defines CPNEW (SW, 64 MiB at 1.5 GiB) with DEFSEG and saves its first
# version from its own (unused) storage with SAVESEG.  34-cp-workflow,
# in a guest of 1 GiB, fills it.
plan 15
# shellcheck disable=SC1091 # tests/guest/cp/dcssctl-lib.sh
. /tests/cp-dcssctl-lib.sh
rmmod dcssdax
check dcssdax-insmod-without-emulate insmod /modules/dcssdax.ko

step_not info-before-define "CP has no saved segment CPNEW" dcssctl info CPNEW
step define dcssctl define CPNEW 60000-63FFF SW
said define-cp-answer "CPNEW: CP: HCPNSD440I Saved segment CPNEW was successfully defined in fileid 0001."
step info-skeleton dcssctl info CPNEW
json info-skeleton-class '.cp_class == "S" and .cp_state == "skeleton" and .type == "SW" and .start == 1610612736 and .size == 67108864'
said info-skeleton-warns "CPNEW is a skeleton (DEFSEG without SAVESEG)"
# Nothing loads a skeleton: CP's "does not exist" (rc 44, ENOENT), and
# dcssctl asks CP why.
step_not add-skeleton-refused "CP has CPNEW only as a skeleton" \
	dcssctl add --exclusive CPNEW
step define-saveseg dcssctl define --saveseg CPNEW 60000-63FFF SW
said saveseg-cp-answer "CPNEW: CP: HCPNSS440I Saved segment CPNEW was successfully saved in fileid 0001."
step info-saved dcssctl info CPNEW
json info-saved-class '.cp_class == "A" and .cp_file == "0001" and .users == 0 and .loaded == false'
# The emulated CP does not answer QUERY VIRTUAL STORAGE: Linux's view,
# which mem=1G makes 1 GiB here.
json info-storage-from-linux '.guest_storage == 1073741824 and (.guest_storage_source | startswith("Linux: /proc/iomem"))'
step list-cp dcssctl list --cp
json list-cp-has-both '[.[].name] | index("CPNEW") != null and index("CPSEG1") != null'
