# The administrator's workflow with dcssctl through the emulated CP
# (tests/cp/run.sh's part 5), after 33-cp-define saved CPNEW's first
# version from a 2 GiB guest: this guest (1 GiB of storage) asks CP about
# it, loads it exclusive, makes and fills a filesystem, saves (CP's
# answer reported), saves again while mounted (done at the last close),
# and loads it shared; then the most common mistake, a segment over the
# guest's own storage, as info shows it.
plan 36
# shellcheck disable=SC1091 # tests/guest/cp/dcssctl-lib.sh
. /tests/cp-dcssctl-lib.sh
rmmod dcssdax
check dcssdax-insmod-without-emulate insmod /modules/dcssdax.ko
udevd --daemon 2>/dev/null
mkdir -p /mnt/cp

step info-before-load dcssctl info CPNEW
json info-before-load-state '.cp_file == "0001" and .cp_class == "A" and .overlaps_storage == false and .loaded == false and (has("device") | not)'
step add-exclusive dcssctl add --exclusive CPNEW
step mkfs mkfs.ext4 -q /dev/dcssdax/CPNEW
step mount-dax mount -o dax /dev/dcssdax/CPNEW /mnt/cp
check dax-mounted grep -q '/mnt/cp ext4 rw.*dax' /proc/mounts
echo "first save" >/mnt/cp/hello
step umount umount /mnt/cp
step save dcssctl save CPNEW
said save-cp-new-file "CPNEW: segment CPNEW saved: CP's spool file 0002, was 0001"
step info-after-save dcssctl info CPNEW
json info-after-save-file '.cp_file == "0002" and .loaded == true and .device == "CPNEW"'
# this guest still holds version 1, pending purge
json info-after-save-old-held '.versions == [{"cp_file": "0001", "cp_class": "P", "cp_state": "purge-pending", "users": 1}]'

# A save while mounted waits for the last close: said, with CP's file now.
step mount-again mount -o dax /dev/dcssdax/CPNEW /mnt/cp
echo "second save" >/mnt/cp/second
step save-deferred dcssctl save CPNEW
said save-deferred-said "CPNEW: in use; the save will happen when it is last closed"
said save-deferred-file-now "CPNEW: segment CPNEW: CP's spool file is 0002 now"
step umount-saves umount /mnt/cp
step info-after-close dcssctl info CPNEW
json info-after-close-file '.cp_file == "0003"'
step save-cancel-nothing dcssctl save --cancel CPNEW
said save-cancel-nothing-said "CPNEW: no save pending; nothing to cancel"

step remove dcssctl remove CPNEW
step add-shared dcssctl add CPNEW
step mount-shared mount -o dax /dev/dcssdax/CPNEW /mnt/cp
expect content-first-save "first save" "$(cat /mnt/cp/hello 2>&1)"
expect content-second-save "second save" "$(cat /mnt/cp/second 2>&1)"
step list-cp dcssctl list --cp CPNEW
json list-cp-device '.[0] | .name == "CPNEW" and .cp_file == "0003" and .device == "CPNEW" and .loaded == true and .users == 1'
step list-device dcssctl list CPNEW
umount /mnt/cp

# The most common mistake: a segment below the end of the guest's storage.
step define-low dcssctl define CPLOW 20000-200FF SW
step info-overlap dcssctl info CPLOW
json info-overlap-true '.overlaps_storage == true and .start == 536870912'
said info-overlap-warns "CPLOW overlaps this guest's storage (1G, from Linux: /proc/iomem"
# IPLMARK (part 4's, at 1 MiB) lies in this guest's storage: the load
# fails, and dcssctl says why.
step_not add-over-storage "IPLMARK overlaps this guest's storage (1G, from Linux" \
	dcssctl add IPLMARK
step remove-shared dcssctl remove CPNEW
