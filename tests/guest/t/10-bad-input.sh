# Malformed input to every control file (devdax and mode with the same
# inputs as add and the other flags) gets dcssblk's errno and leaves
# the driver's state exactly as it was.
plan 101
dcss_add SEG1 >/dev/null
before=$(state)
bad() {	# bad NAME ERRNO FILE DATA
	expect_write "$1" "$2" "$3" "$4"
	expect "$1-unchanged" "$before" "$(state)"
}
# The devdax file parses the name list as add does: the same inputs,
# the same errnos.
bad_add() {	# bad_add NAME ERRNO DATA
	bad "add-$1" "$2" $SYS/add "$3"
	bad "devdax-$1" "$2" $SYS/devdax "$3"
}
# sysfs never passes an empty write to the driver: a no-op.
bad_add empty-write OK ""
bad_add newline ENAMETOOLONG "\n"
bad_add nul ENAMETOOLONG "\0"
bad_add 9-chars ENAMETOOLONG "ABCDEFGHI\n"
bad_add colon-only ENAMETOOLONG ":\n"
bad_add leading-colon ENAMETOOLONG ":SEG2\n"
bad_add bad-char EINVAL "SEG 2\n"
bad_add slash EINVAL "../x\n"
bad_add non-ascii EINVAL "S\303\251G\n"
bad_add after-newline EINVAL "SEG2\nSEG3\n"
# A name nobody defined: the emulated backend's ENODEV (not in its table,
# no z/VM to ask), or on extmem CP's "does not exist", ENOENT.
unknown=ENODEV
[ "$BACKEND" = extmem ] && unknown=ENOENT
bad_add unknown $unknown "NOSUCH\n"
bad_add 8-chars-unknown $unknown "ABCDEFGH\n"
bad_add existing EEXIST "SEG1\n"
bad_add long-page ENAMETOOLONG "$(head -c 4000 /dev/zero | tr '\0' 'A')"
bad remove-empty-write OK $SYS/remove ""
bad remove-9-chars ENAMETOOLONG $SYS/remove "ABCDEFGHI\n"
bad remove-unknown ENODEV $SYS/remove "SEG2\n"
bad remove-list EINVAL $SYS/remove "SEG1:SEG2\n"
bad shared-2 EINVAL $SYS/SEG1/shared "2\n"
bad shared-empty-write OK $SYS/SEG1/shared ""
bad shared-word EINVAL $SYS/SEG1/shared "yes\n"
bad shared-10 EINVAL $SYS/SEG1/shared "10\n"
bad save-2 EINVAL $SYS/SEG1/save "2\n"
bad save-nul EINVAL $SYS/SEG1/save "\0"
bad save-11 EINVAL $SYS/SEG1/save "11"
bad mode-empty-write OK $SYS/SEG1/mode ""
bad mode-same OK $SYS/SEG1/mode "fsdax\n"
bad mode-newline EINVAL $SYS/SEG1/mode "\n"
bad mode-nul EINVAL $SYS/SEG1/mode "\0"
bad mode-word EINVAL $SYS/SEG1/mode "pmem\n"
bad mode-upper EINVAL $SYS/SEG1/mode "DEVDAX\n"
bad mode-prefix EINVAL $SYS/SEG1/mode "dev\n"
bad mode-twice EINVAL $SYS/SEG1/mode "devdax\ndevdax\n"
bad mode-system-ram EINVAL $SYS/SEG1/mode "system-ram\n"
bad mode-long-page EINVAL $SYS/SEG1/mode "$(head -c 4000 /dev/zero | tr '\0' 'd')"
expect seglist-not-writable EACCES "$(write_errno $SYS/SEG1/seglist "x\n")"
expect start-not-writable EACCES "$(write_errno $SYS/SEG1/start "0\n")"
expect remove OK "$(dcss_remove SEG1)"
