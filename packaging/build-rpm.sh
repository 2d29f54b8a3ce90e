#!/bin/bash
# make rpm: rpmbuild -bb of packaging/dcssdax.spec in the trixie build
# root (Debian's rpm package has rpmbuild).  Output in build/rpm/:
#   dcssctl-VERSION-1.ARCH.rpm, dcssdax-dkms-VERSION-1.noarch.rpm,
#   build.log, and rpmbuild/ (the _topdir: SOURCES, BUILD, ...).
#
# On Debian the spec's BuildRequires (pkgconfig(json-c), gcc, ...) name
# RPM packages that no RPM database here provides, although the build
# root has the libraries and compilers as Debian packages: rpmbuild
# --nodeps skips that check.  Debian has no find-debuginfo either, so no
# -debuginfo package is made here (debug_package %{nil}); on SUSE and Red
# Hat plain "rpmbuild -bb" builds it.  _buildhost: the build machine's
# name is no part of the package (and rpm warns when it cannot resolve it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

out=$TOP/build/rpm
top=$out/rpmbuild
[ -x "$ROOT/usr/bin/apt-get" ] || { log "no build root: run tests/env/setup-root.sh"; exit 1; }
pkg_tools

rm -rf "$out"
mkdir -p "$top/SOURCES" "$out/src/dcssdax-$VERSION"
copy_tree "$out/src/dcssdax-$VERSION" COPYING Documentation drivers/dcssdax tools udev packaging
tar -C "$out/src" --owner=0 --group=0 -czf "$top/SOURCES/dcssdax-$VERSION.tar.gz" \
	"dcssdax-$VERSION"
rm -rf "$out/src"

log "rpmbuild -bb --nodeps in the build root (log: build/rpm/build.log)"
if ! inroot rpmbuild -bb --nodeps \
	--define "_topdir /src/build/rpm/rpmbuild" \
	--define "debug_package %{nil}" --define "_buildhost localhost" \
	/src/packaging/dcssdax.spec >"$out/build.log" 2>&1; then
	tail -n 30 "$out/build.log" >&2
	log "rpmbuild failed"
	exit 1
fi
find "$top/RPMS" -name '*.rpm' -exec cp {} "$out/" \;
ls "$out"/*.rpm | sed "s|^$TOP/||" >&2
