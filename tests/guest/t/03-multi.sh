# Several devices at once, each with its own node and data.
plan 20
for s in SEG1 SEG2 SEG3 BIG; do
	expect "add-$s" OK "$(dcss_add $s)"
done
expect four-devices 4 "$(ls -d $SYS/*/seglist | wc -l)"
expect distinct-nodes 4 "$(for s in SEG1 SEG2 SEG3 BIG; do dcss_dev $s; done | sort -u | wc -l)"
i=1
for s in SEG1 SEG2 SEG3 BIG; do
	check "write-$s" pattern write "$(dcss_dev $s)" 0 4M $i --direct
	i=$((i + 1))
done
i=1
for s in SEG1 SEG2 SEG3 BIG; do
	check "verify-$s" pattern verify "$(dcss_dev $s)" 0 4M $i --direct
	i=$((i + 1))
done
expect add-duplicate EEXIST "$(dcss_add SEG2)"
for s in BIG SEG1 SEG3 SEG2; do
	expect "remove-$s" OK "$(dcss_remove $s)"
done
expect none-left "" "$(ls /dev | grep dcssdax)"
