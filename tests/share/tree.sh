#!/bin/bash
# The tree the sharing test puts on a segment: a real program with its
# libraries, as a z/VM site shares one: python3 with its standard library
# and coreutils, with every shared library they load (ldd in the build
# root), laid out as a root that `chroot` can run.  Also the tree's
# second version (change-tree.sh) and the manifests of both.
#
#   tests/share/tree.sh OUT-DIR [ARCH]
# ARCH x86_64 (default): the build root's programs, their libraries as
# ldd finds them there; s390x: the s390x tree's (tests/env/setup-s390x.sh),
# their libraries as needed.sh finds them without running them.
# Leaves OUT-DIR/v1 and OUT-DIR/v2 (trees), OUT-DIR/v1.sum, OUT-DIR/v2.sum
# (manifest hashes, see manifest.sh) and OUT-DIR/v1.cpio.gz, the first
# tree as an initramfs addition under /share-tree for the admin guest.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../env/common.sh"

out=$1
arch=${2:-x86_64}
case $arch in
x86_64) src=$ROOT ;;
s390x) src=$ROOT$S390X_SYSROOT ;;
*) log "tree.sh: no tree for $arch"; exit 1 ;;
esac
stamp=$out/stamp
want="$(cat "$here/tree.sh" "$here/needed.sh" "$here/change-tree.sh" "$here/manifest.sh" | sha256sum | cut -c1-16) $arch $(ls -l "$src/usr/bin/python3.13" 2>/dev/null)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
	exit 0
fi
rm -rf "$out"
mkdir -p "$out/v1"
tree=$out/v1

progs="/usr/bin/python3.13 /usr/bin/ls /usr/bin/cat /usr/bin/sort /usr/bin/seq
/usr/bin/head /usr/bin/tail /usr/bin/wc /usr/bin/sha256sum /usr/bin/tr
/usr/bin/uniq /usr/bin/cut /usr/bin/env /usr/bin/du /usr/bin/sleep"
py=/usr/lib/python3.13

copy() {	# copy PATH: one file of $src (symlinks resolved) at its place in the tree
	local to=$1
	case $to in /lib/*|/lib64/*|/bin/*) to=/usr$to ;; esac
	mkdir -p "$tree$(dirname "$to")"
	cp -L "$src$1" "$tree$to"
}
for p in $progs; do copy "$p"; done
ln -s python3.13 "$tree/usr/bin/python3"
mkdir -p "$tree$py"
cp -a "$src$py/." "$tree$py/"
# Installer leftovers that are not part of the library.
rm -rf "$tree$py/site-packages" "$tree$py/dist-packages" "$tree$py/EXTERNALLY-MANAGED"
# Every library of the programs and of the extension modules; a module
# whose library the build root lacks is dropped with it, so that what is
# in the tree runs.
if [ "$arch" = x86_64 ]; then
	libs=$(inroot sh -c "ldd $(echo $progs) $py/lib-dynload/*.so 2>/dev/null" |
		awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\/.*ld-linux/ {print $1}' | sort -u)
	for l in $libs; do copy "$l"; done
	for so in "$tree$py"/lib-dynload/*.so; do
		if inroot sh -c "ldd ${so#"$tree"}" 2>/dev/null | grep -q 'not found'; then
			rm -f "$so"
		fi
	done
else
	# The s390x tree's libraries are in multiarch directories (or the
	# cross glibc's): all go to /usr/lib/s390x-linux-gnu, where the
	# dynamic loader looks; the loader itself to /usr/lib (/lib/ld64.so.1).
	need=$(inroot sh /src/tests/share/needed.sh $(for p in $progs; do echo "$S390X_SYSROOT$p"; done) \
		$(cd "$src" && ls -d ".$py"/lib-dynload/*.so | sed "s,^\.,$S390X_SYSROOT,"))
	mkdir -p "$tree/usr/lib/s390x-linux-gnu"
	for l in $(echo "$need" | awk '$1 == "LIB" {print $2}' | sort -u); do
		case $l in
		*/ld64.so.1) cp -L "$ROOT$l" "$tree/usr/lib/ld64.so.1" ;;
		*) cp -L "$ROOT$l" "$tree/usr/lib/s390x-linux-gnu/" ;;
		esac
	done
	for so in $(echo "$need" | awk '$1 == "MISSING" {print $2}' | sort -u); do
		case $so in
		"$S390X_SYSROOT$py"/lib-dynload/*) rm -f "$tree${so#"$S390X_SYSROOT"}" ;;
		*) log "tree.sh: $so needs a library the s390x tree lacks: $(echo "$need" | grep "^MISSING $so ")"
		   exit 1 ;;
		esac
	done
fi
# Where chroot'ed programs expect them (merged /usr).
ln -s usr/lib "$tree/lib"
[ "$arch" = s390x ] || ln -s usr/lib64 "$tree/lib64"
ln -s usr/bin "$tree/bin"
mkdir -p "$tree/dev" "$tree/proc" "$tree/tmp" "$tree/etc"
echo 1 >"$tree/etc/tree-version"
if find "$tree" -name '*[[:space:]]*' | grep -q .; then
	log "tree.sh: a file name with white space: manifest.sh cannot hash it"
	exit 1
fi

cp -a "$tree" "$out/v2"
"$here/change-tree.sh" "$out/v2"
"$here/manifest.sh" "$out/v1" >"$out/v1.sum"
"$here/manifest.sh" "$out/v2" >"$out/v2.sum"
# The admin guest finds the tree at /share-tree.
mkdir -p "$out/cpio/share-tree"
cp -a "$tree/." "$out/cpio/share-tree/"
(cd "$out/cpio" && find . | cpio -o -H newc --quiet) | gzip -1 >"$out/v1.cpio.gz"
rm -rf "$out/cpio"
log "share tree: $(du -sh "$tree" | cut -f1), $(find "$tree" -type f | wc -l) files"
echo "$want" >"$stamp"
