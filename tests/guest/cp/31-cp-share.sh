# Two guests on one segment through the emulated CP (tests/cp/run.sh boots
# both at once, dcssdax.cprole=a and b): each loads CPSHR (SW) shared with
# dcssblk, writes its mark into its own block and waits for the other's;
# while both hold it CP counts two users; then each waits until the other
# has seen its mark, so neither lets go before the other's last look.
# The host checks afterwards that the saved version did not change.
plan 8

role=$(sed -n 's/.*dcssdax\.cprole=\([ab]\).*/\1/p' /proc/cmdline)
case $role in
a) mine=1 theirs=2 ;;
*) role=b mine=2 theirs=1 ;;
esac
other=$([ "$role" = a ] && echo b || echo a)

# mark_at BLOCK: the 16 bytes at the start of 4 KiB block BLOCK of the
# device, read past the page cache (the other guest wrote them).
mark_at() {
	echo 3 >/proc/sys/vm/drop_caches
	dd if=/dev/dcssblk0 bs=4096 skip="$1" count=1 2>/dev/null | head -c 16
}

# put_mark BLOCK TEXT: TEXT at the start of block BLOCK, written through.
put_mark() {
	printf '%-16s' "$2" | dd of=/dev/dcssblk0 bs=4096 seek="$1" \
		conv=sync,fsync,notrunc 2>/dev/null
}

# wait_mark BLOCK TEXT: until block BLOCK starts with TEXT (padded to 16
# bytes), at most 240 s; once a second, the guests are slow enough.
wait_mark() {
	local want n=0
	want=$(printf '%-16s' "$2")
	until [ "$(mark_at "$1")" = "$want" ]; do
		n=$((n + 1))
		[ $n -le 240 ] || return 1
		sleep 1
	done
}

check dcssblk-insmod insmod /modules/dcssblk.ko
expect dcssblk-add-shared OK "$(write_errno /sys/devices/dcssblk/add 'CPSHR\n')"
put_mark $mine "guest $role here"
check sees-other-guests-mark wait_mark $theirs "guest $other here"
expect other-mark-content "guest $other here    " "$(mark_at $theirs)"
# The other guest holds the segment until it has seen this guest's mark
# (below), so CP has two users now.
check cp-counts-two-users sh -c \
	'vmcp q nss name cpshr map | grep -Eq "^0001 CPSHR .* SW   A  00002"'
put_mark $((mine + 2)) "guest $role saw"
check other-guest-saw-mine wait_mark $((theirs + 2)) "guest $other saw"
expect own-mark-still-there "guest $role here    " "$(mark_at $mine)"
expect dcssblk-remove OK "$(write_errno /sys/devices/dcssblk/remove 'CPSHR\n')"
