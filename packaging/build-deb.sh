#!/bin/bash
# make deb: the Debian packages dcssdax-dkms and dcssctl (debian/), built
# with debhelper and dh-dkms in the trixie build root from a clean copy of
# the tree, then checked with lintian.  Output in build/deb/:
#   dcssdax-dkms_VERSION_all.deb, dcssctl_VERSION_ARCH.deb (+ -dbgsym),
#   the source package, .changes, .buildinfo, build.log, lintian.log.
# Exit status 0 only if the build succeeded and lintian reported no
# error or warning (each accepted tag has an override with its reason).
#
# DCSSDAX_DEB_SUITE=bookworm: built as Debian 12 builds it, in a bookworm
# root (packaging/setup-bookworm-root.sh), into build/deb-bookworm/,
# without lintian (bookworm's lintian judges by an older policy).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

suite=${DCSSDAX_DEB_SUITE:-trixie}
case $suite in
trixie)
	out=$TOP/build/deb
	[ -x "$ROOT/usr/bin/apt-get" ] || { log "no build root: run tests/env/setup-root.sh"; exit 1; }
	pkg_tools
	;;
bookworm)
	out=$TOP/build/deb-bookworm
	"$here/setup-bookworm-root.sh"
	ROOT=$CACHE/bookworm-root
	;;
*) log "DCSSDAX_DEB_SUITE: trixie or bookworm, not '$suite'"; exit 2 ;;
esac
src=$out/dcssdax-$VERSION
rel=${out#"$TOP"/}

rm -rf "$out"
mkdir -p "$src"
# The files git knows (committed or not, but not ignored): no build
# droppings in the source package.
copy_tree "$src" COPYING Documentation drivers/dcssdax tools udev packaging debian

# Build dependencies beyond the root's own packages, from debian/control.
if ! inroot sh -c "cd /src/$rel/dcssdax-$VERSION && dpkg-checkbuilddeps" >/dev/null 2>&1; then
	log "installing build dependencies in the $suite root"
	retry root_apt build-dep --no-install-recommends "/src/$rel/dcssdax-$VERSION"
fi

log "dpkg-buildpackage in the $suite root (log: $rel/build.log)"
if ! inroot sh -c "cd /src/$rel/dcssdax-$VERSION &&
	DEB_BUILD_OPTIONS=\"parallel=2\" dpkg-buildpackage -us -uc" >"$out/build.log" 2>&1; then
	tail -n 30 "$out/build.log" >&2
	log "dpkg-buildpackage failed"
	exit 1
fi
changes=$(cd "$out" && ls dcssdax_"$VERSION"_*.changes)
ls "$out"/*.deb | sed "s|^$TOP/||" >&2
[ "$suite" = trixie ] || exit 0

# lintian on everything the build made (source and binaries), run as
# nobody (lintian warns when run as root).  --pedantic tags are shown
# too but fail nothing; overridden tags are shown (O:) with their reason.
inroot setpriv --reuid=nobody --regid=nogroup --clear-groups \
	env HOME=/tmp sh -c "cd /src/build/deb && lintian --info --display-info \
	--pedantic --show-overrides --tag-display-limit 0 \
	--fail-on error,warning $changes" >"$out/lintian.log" 2>&1 &&
	rc=0 || rc=$?
log "lintian:"
cat "$out/lintian.log" >&2
grep -qE '^[EWIPX]: ' "$out/lintian.log" || log "lintian: no tags but the overridden ones"
[ "$rc" -eq 0 ] || { log "lintian failed (exit $rc)"; exit 1; }
