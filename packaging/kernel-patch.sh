#!/bin/bash
# make kernel-patch: the driver as one kernel patch, git format-patch
# style, against a kernel source tree (KSRC, default the debug kernel's
# Debian linux-source in the build root; only read):
#   drivers/dcssdax/      the sources, Kconfig, and Kbuild as the in-tree
#                         Makefile (without its out-of-tree part)
#   drivers/Kconfig, drivers/Makefile   the hooks, next to drivers/dax/
#   Documentation/ABI/testing/sysfs-devices-dcssdax
#   MAINTAINERS           the entry, in its alphabetical place
# Out of tree only: Makefile (KDIR wrapper), dkms.conf.
# Output: build/kernel-patch/0001-*.patch; the path is printed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../tests/env/common.sh"

KSRC=${KSRC:-$ROOT$DEBUG_TREE/linux-source-7.3}
out=$TOP/build/kernel-patch
git=$out/git
# The driver's people, as in debian/control: the project has no mail
# address, and .invalid (RFC 2606) says so where the syntax wants one.
# Whoever sends the patch signs it off with their own.
WHO="dcssdax developers <no-mail@dcssdax.invalid>"

for f in drivers/Kconfig drivers/Makefile MAINTAINERS; do
	[ -f "$KSRC/$f" ] || { log "no $KSRC/$f (KSRC: a kernel source tree)"; exit 1; }
done
[ ! -e "$KSRC/drivers/dcssdax" ] || { log "$KSRC has drivers/dcssdax already"; exit 1; }

rm -rf "$out" && mkdir -p "$git/drivers"
cd "$git"
git init -q
git config user.name "${WHO% <*}"
git config user.email "$(sed 's/.*<\(.*\)>/\1/' <<<"$WHO")"
# Reproducible: the dates are those of the tree's last commit.
GIT_AUTHOR_DATE=$(git -C "$TOP" log -1 --format=%aD 2>/dev/null || date -R)
GIT_COMMITTER_DATE=$GIT_AUTHOR_DATE
export GIT_AUTHOR_DATE GIT_COMMITTER_DATE
cp "$KSRC/drivers/Kconfig" "$KSRC/drivers/Makefile" drivers/
cp "$KSRC/MAINTAINERS" .
git add -A && git commit -q -m "base: $(basename "$KSRC")"

mkdir -p drivers/dcssdax Documentation/ABI/testing
cp "$TOP"/drivers/dcssdax/*.[ch] "$TOP/drivers/dcssdax/Kconfig" drivers/dcssdax/
# Kbuild's out-of-tree blocks (ifneq ($(KBUILD_EXTMOD),) ... its endif,
# conditionals nested in it included) go.
awk '!skip && /^ifneq \(\$\(KBUILD_EXTMOD\),\)/ { skip = 1; next }
     skip && /^if(eq|neq|def|ndef)[ \t(]/ { skip++; next }
     skip && /^endif/ { skip--; next }
     skip { next }
     /^# (Out of tree|kernel.s configuration|Out of tree the options|kernel.s autoconf)/ { next }
     { print }' "$TOP/drivers/dcssdax/Kbuild" | cat -s >drivers/dcssdax/Makefile
if grep -q KBUILD_EXTMOD drivers/dcssdax/Makefile ||
   ! grep -q '^obj-$(CONFIG_DCSSDAX) += dcssdax.o$' drivers/dcssdax/Makefile; then
	log "the in-tree Makefile is not what Kbuild should give:"; cat drivers/dcssdax/Makefile >&2
	exit 1
fi
cp "$TOP/Documentation/ABI/testing/sysfs-devices-dcssdax" Documentation/ABI/testing/

# hook LINE-AFTER NEW FILE: NEW on a line of its own after LINE-AFTER.
hook() {
	grep -qxF "$1" "$3" || { log "$3 has no line '$1'"; exit 1; }
	awk -v after="$1" -v new="$2" '{ print } $0 == after { print new }' \
		"$3" >"$3.new" && mv "$3.new" "$3"
}
hook 'source "drivers/dax/Kconfig"' $'\nsource "drivers/dcssdax/Kconfig"' drivers/Kconfig
hook 'obj-y				+= dax/' 'obj-$(CONFIG_DCSSDAX)		+= dcssdax/' drivers/Makefile

# MAINTAINERS: before the first section title that sorts after ours,
# among the titles from the first one starting with our letter (a few
# earlier ones are out of order).  Titles are the lines after a blank
# one and just above a "X:<tab>" line.
TITLE="DCSSDAX BLOCK DRIVER FOR Z/VM DCSS WITH FS-DAX"
ENTRY="$TITLE
M:	$WHO
L:	linux-s390@vger.kernel.org
S:	Maintained
F:	Documentation/ABI/testing/sysfs-devices-dcssdax
F:	drivers/dcssdax/
"
LC_ALL=C awk -v title="$TITLE" -v entry="$ENTRY" '
	{ line[NR] = $0 }
	END {
		for (i = 1; i < NR; i++)
			if (line[i] !~ /^[A-Z]:\t/ && line[i + 1] ~ /^[A-Z]:\t/ &&
			    line[i] ~ /^[0-9A-Z]/ && i > 1 && line[i - 1] == "") {
				if (substr(line[i], 1, 1) == substr(title, 1, 1))
					letter = 1
				if (letter && !at && line[i] > title)
					at = i
			}
		if (!at) exit 1
		for (i = 1; i <= NR; i++) {
			if (i == at) printf "%s\n", entry
			print line[i]
		}
	}' MAINTAINERS >MAINTAINERS.new || { log "no place for the MAINTAINERS entry"; exit 1; }
mv MAINTAINERS.new MAINTAINERS

git add -A
git commit -q -F - <<MSG
drivers: dcssdax: block devices with fs-dax for z/VM DCSS

z/VM discontiguous saved segments (DCSS) are memory that many guests
map from one copy.  dcssblk makes them block devices, but its DAX has
no struct pages (pfn_t without PFN_DEV|PFN_MAP), so whatever pins pages
fails on it: O_DIRECT from a DAX mapping, vmsplice, process_vm_readv,
and with them programs run from a shared filesystem.

dcssdax is a block driver for the same segments that gives their
memory struct pages with memremap_pages(MEMORY_DEVICE_FS_DAX), so ext2,
ext4 and xfs mounted -o dax on a segment work as on pmem.  Segments are
defined in 4 KiB pages and memremap_pages() works in 2 MiB subsections:
each device gets pages for its span rounded out to subsections, in up
to three pieces, and a subsection shared by two devices is one counted
piece, so either device can go while the other is mounted.  When the
rounding would cover System RAM or memory someone else claimed, the
device works without DAX and says why in sysfs.

The sysfs interface is dcssblk's (add, remove, <NAME>/shared, save,
seglist) under /sys/devices/dcssdax, so administrators' scripts carry
over by changing the path; dax, dax_reason, memmap_bytes and a
directory per segment (<NAME>/<SEGNAME>/) are new.  Each device and
each of its segments is a struct device with attribute groups, without
bus or class.  Removal and mode switches refuse while
a device is open or any of its pages is still referenced, since
memunmap_pages() no longer waits for page references.

With CONFIG_DCSSDAX_EMULATE, segments can be emulated over memory the
kernel does not manage (memmap= on x86, storage above mem= on s390),
which is how the driver is tested without z/VM.

Signed-off-by: $WHO
MSG
git format-patch -q -1 -o "$out" HEAD >/dev/null
ls "$out"/0001-*.patch
