# A:B joins contiguous segments with dcssblk's contiguity and type rules.
plan 19
expect add-joined OK "$(dcss_add SEGA:SEGB)"
expect joined-size $((32 << 20)) "$(attr SEGA size)"
expect joined-start 0x48000000 "$(attr SEGA start)"
expect joined-seglist "SEGA SEGB" "$(attr SEGA seglist | tr '\n' ' ' | sed 's/ $//')"
expect joined-seg-b-start 0x49000000 "$(attr SEGA SEGB/start)"
dev=$(dcss_dev SEGA)
check write-across-boundary pattern write "$dev" 15M 2M 7 --direct
check verify-across-boundary pattern verify "$dev" 15M 2M 7 --direct
expect member-busy EEXIST "$(dcss_add SEGB)"
expect remove-by-member-name ENODEV "$(dcss_remove SEGB)"
expect remove-joined OK "$(dcss_remove SEGA)"
expect add-reversed-order OK "$(dcss_add SEGB:SEGA)"
expect reversed-named-after-first 0x48000000 "$(attr SEGB start)"
expect remove-reversed OK "$(dcss_remove SEGB)"
before=$(state)
expect not-contiguous EINVAL "$(dcss_add SEGA:SEGC)"
expect types-incompatible EINVAL "$(dcss_add SEGB:SEGC)"
expect duplicate-in-list EINVAL "$(dcss_add SEGA:SEGA)"
expect trailing-colon ENAMETOOLONG "$(dcss_add SEGA:)"
expect double-colon ENAMETOOLONG "$(dcss_add SEGA::SEGB)"
expect nothing-left-after-refusals "$before" "$(state)"
