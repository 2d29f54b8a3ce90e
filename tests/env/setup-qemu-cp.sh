#!/bin/bash
# qemu-system-s390x with the emulated CP of qemu-cp/ (see its README):
# Debian trixie's QEMU source with Debian's patches, qemu-cp/cp.[ch]
# copied into target/s390x and qemu-cp/hooks.patch applied, built for
# s390x-softmmu only with every optional feature off, inside the build
# root.  Cached under $ROOT/opt/qemu-cp/KEY, KEY a hash of the source
# version, qemu-cp/'s files and this script; $ROOT/opt/qemu-cp/current
# points at the newest build, and the path of its binary inside the root
# is printed last.
#
# The source: the version trixie's Sources index names, its .dsc and
# tarballs from the pool, checked against the index's SHA-256 sums and
# unpacked by dpkg-source (which checks the .dsc's sums and applies
# Debian's patches).  The index is sometimes stale or mid-sync: then the
# version fetched last time (kept in the cache), else the version this
# script was written against.
#
#   tests/env/setup-qemu-cp.sh        build unless cached
#   DCSSDAX_QEMU_CP_JOBS=N            parallel jobs (default 2)
#   DCSSDAX_QEMU_CP_KEEP=1            keep the build tree
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

MIRROR=${DCSSDAX_MIRROR:-http://deb.debian.org/debian}
KNOWN_VERSION=1:10.0.13+ds-0+deb13u1
SRC=/var/cache/qemu-cp-src          # inside the root
JOBS=${DCSSDAX_QEMU_CP_JOBS:-2}
BUILD_DEPS="ninja-build meson python3-venv libglib2.0-dev pkgconf flex bison
	dpkg-dev patch"
CONFIGURE="--target-list=s390x-softmmu --without-default-features
	--disable-docs --disable-fdt --disable-pixman --disable-werror
	--disable-download --disable-install-blobs"

[ -d "$ROOT/usr" ] || { log "no build root: run tests/env/setup-root.sh"; exit 1; }
mkdir -p "$ROOT$SRC" "$ROOT/opt/qemu-cp"

# sources_entry SUITE: the qemu paragraph of SUITE's Sources index.
sources_entry() {
	curl -fsS --retry 3 "$MIRROR/dists/$1/main/source/Sources.xz" |
		xz -dc | awk 'BEGIN { RS = "" } /(^|\n)Package: qemu\n/'
}

# fetch_source: set VERSION and FILES from the index;
# the files end up in $ROOT$SRC.
fetch_source() {
	local entry="" suite sums f sha
	for suite in trixie-updates trixie; do
		entry=$(retry sources_entry "$suite" 2>/dev/null) && [ -n "$entry" ] && break
		entry=""
	done
	if [ -n "$entry" ]; then
		VERSION=$(echo "$entry" | awk '/^Version:/ {print $2; exit}')
		sums=$(echo "$entry" | awk '/^Checksums-Sha256:/ {s = 1; next}
			s && /^ / {print $1, $3; next} s {exit}')
		FILES=$(echo "$sums" | awk '{print $2}')
		for f in $FILES; do
			sha=$(echo "$sums" | awk -v f="$f" '$2 == f {print $1}')
			if [ ! -s "$ROOT$SRC/$f" ] ||
			   ! echo "$sha  $ROOT$SRC/$f" | sha256sum -c --quiet 2>/dev/null; then
				log "downloading $f"
				retry curl -fsS -o "$ROOT$SRC/$f.part" \
					"$MIRROR/pool/main/q/qemu/$f" || return 1
				echo "$sha  $ROOT$SRC/$f.part" | sha256sum -c --quiet || {
					log "$f: checksum mismatch"; rm -f "$ROOT$SRC/$f.part"; return 1; }
				mv "$ROOT$SRC/$f.part" "$ROOT$SRC/$f"
			fi
		done
		echo "$VERSION" >"$ROOT$SRC/version"
		return 0
	fi
	# No index: what was fetched before, else the known version.
	VERSION=$(cat "$ROOT$SRC/version" 2>/dev/null || echo "$KNOWN_VERSION")
	log "no Sources index for qemu; trying $VERSION"
	local v=${VERSION#*:} up
	up=${v%-*}
	FILES="qemu_$v.dsc qemu_$up.orig.tar.xz qemu_$v.debian.tar.xz"
	for f in $FILES; do
		[ -s "$ROOT$SRC/$f" ] && continue
		retry curl -fsS -o "$ROOT$SRC/$f.part" "$MIRROR/pool/main/q/qemu/$f" ||
			return 1
		mv "$ROOT$SRC/$f.part" "$ROOT$SRC/$f"
	done
	echo "$VERSION" >"$ROOT$SRC/version"
}

fetch_source || { log "cannot fetch Debian's QEMU source"; exit 1; }
KEY=$( { echo "$VERSION"; echo $CONFIGURE; cat "$TOP/qemu-cp/cp.c" \
	"$TOP/qemu-cp/cp.h" "$TOP/qemu-cp/hooks.patch" "$0"; } |
	sha256sum | cut -c1-16)
PREFIX=/opt/qemu-cp/$KEY
BIN=$PREFIX/bin/qemu-system-s390x

if [ -x "$ROOT$BIN" ]; then
	ln -sfn "$KEY" "$ROOT/opt/qemu-cp/current"
	log "qemu-cp: cached build $KEY (QEMU $VERSION)"
	echo "$BIN"
	exit 0
fi

if [ ! -f "$ROOT/.qemu-cp-deps" ] || [ "$(cat "$ROOT/.qemu-cp-deps")" != "$(echo $BUILD_DEPS)" ]; then
	log "installing QEMU's build dependencies in the build root"
	root_apt update || true
	retry root_apt install --no-install-recommends $BUILD_DEPS
	echo $BUILD_DEPS >"$ROOT/.qemu-cp-deps"
fi

DSC=$(echo "$FILES" | tr ' ' '\n' | grep '\.dsc$')
WORK=/usr/src/qemu-cp-$KEY
log "building qemu-system-s390x with qemu-cp ($KEY, QEMU $VERSION, $JOBS jobs, nice 10)"
start=$(date +%s)
rm -rf "$ROOT$WORK"
mkdir -p "$ROOT$WORK"
inroot sh -ec "
	cd $WORK
	dpkg-source -x $SRC/$DSC src >/dev/null
	cd src
	cp /src/qemu-cp/cp.c /src/qemu-cp/cp.h target/s390x/
	patch -p1 --no-backup-if-mismatch -s </src/qemu-cp/hooks.patch
	mkdir build && cd build
	../configure --prefix=$PREFIX $(echo $CONFIGURE) >../../configure.log 2>&1 ||
		{ tail -n 30 ../../configure.log; exit 1; }
	nice -n 10 ninja -j$JOBS qemu-system-s390x >../../build.log 2>&1 ||
		{ grep -B5 -A20 -m3 'error' ../../build.log | head -n 60; exit 1; }
	mkdir -p $PREFIX/bin $PREFIX/share/qemu
	# The machine loads its IPL firmware even with -kernel: the one of
	# the root's qemu-system-data (the same QEMU release).
	ln -sfn /usr/share/qemu/s390-ccw.img $PREFIX/share/qemu/s390-ccw.img
	cp qemu-system-s390x $BIN.part
	mv $BIN.part $BIN
"
# The objects are not needed again (a new KEY is a new tree); the logs are.
# DCSSDAX_QEMU_CP_KEEP=1 keeps the tree (to work on the patch).
cp "$ROOT$WORK/configure.log" "$ROOT$WORK/build.log" "$ROOT$PREFIX/"
[ -n "${DCSSDAX_QEMU_CP_KEEP:-}" ] || rm -rf "$ROOT$WORK"
ln -sfn "$KEY" "$ROOT/opt/qemu-cp/current"
log "qemu-cp: built in $(( $(date +%s) - start )) s"
echo "$BIN"
