#!/bin/sh
# packaging/dkms-source.sh DEST: the module's source as the dcssdax-dkms
# packages ship it (debian/rules and packaging/dcssdax.spec call this),
# into DEST (/usr/src/dcssdax-VERSION in the package's tree): the driver's
# .c and .h files, Kbuild, Makefile and dkms.conf, without the test
# points (testpoint.c, and the TEST=1 / CONFIG_DCSSDAX_TEST lines of the
# Makefile and Kbuild; the calls compile to nothing without them) and
# without Kconfig, which only an in-tree build reads.  Run from the top
# of the tree.
set -eu
dest=$1
src=drivers/dcssdax
install -d "$dest"
for f in "$src"/*.c "$src"/*.h; do
	[ "$f" = "$src/testpoint.c" ] && continue
	install -m 0644 "$f" "$dest/"
done
install -m 0644 "$src/dkms.conf" "$dest/"
for f in Kbuild Makefile; do
	grep -v -e 'DCSSDAX_TEST' -e 'TEST=1' "$src/$f" >"$dest/$f"
	chmod 0644 "$dest/$f"
done
