# Malformed input to every control file gets dcssblk's errno and leaves
# the driver's state exactly as it was.
plan 53
dcss_add SEG1 >/dev/null
before=$(state)
bad() {	# bad NAME ERRNO FILE DATA
	expect_write "$1" "$2" "$3" "$4"
	expect "$1-unchanged" "$before" "$(state)"
}
# sysfs never passes an empty write to the driver: a no-op.
bad add-empty-write OK $SYS/add ""
bad add-newline ENAMETOOLONG $SYS/add "\n"
bad add-nul ENAMETOOLONG $SYS/add "\0"
bad add-9-chars ENAMETOOLONG $SYS/add "ABCDEFGHI\n"
bad add-colon-only ENAMETOOLONG $SYS/add ":\n"
bad add-leading-colon ENAMETOOLONG $SYS/add ":SEG2\n"
bad add-bad-char EINVAL $SYS/add "SEG 2\n"
bad add-slash EINVAL $SYS/add "../x\n"
bad add-non-ascii EINVAL $SYS/add "S\303\251G\n"
bad add-after-newline EINVAL $SYS/add "SEG2\nSEG3\n"
bad add-unknown ENODEV $SYS/add "NOSUCH\n"
bad add-8-chars-unknown ENODEV $SYS/add "ABCDEFGH\n"
bad add-existing EEXIST $SYS/add "SEG1\n"
bad add-long-page ENAMETOOLONG $SYS/add "$(head -c 4000 /dev/zero | tr '\0' 'A')"
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
expect seglist-not-writable EACCES "$(write_errno $SYS/SEG1/seglist "x\n")"
expect start-not-writable EACCES "$(write_errno $SYS/SEG1/start "0\n")"
expect remove OK "$(dcss_remove SEG1)"
