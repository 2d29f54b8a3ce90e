#!/bin/bash
# Build the debug kernel of `make check-debug` from Debian's linux-source
# of the test kernel's series: `make allnoconfig` with the options of
# tests/debug/debug.config forced (what the test guest needs, and KASAN,
# lockdep, DEBUG_LIST, kmemleak, ...), a minimal kernel that builds in
# minutes where x86_64_defconfig took half an hour.  The kernel and its
# modules go into the build root as release <version>-dcssdax-debug, with
# the build tree as its headers (and its module signing key in certs/), so
# the rest of the harness treats it like any other kernel.  Cached, keyed
# by the source's version and the configuration's hash: nothing is done
# when neither changed; a changed config rebuilds incrementally, a new
# source from scratch.
#
#   tests/debug/build-kernel.sh      prints the debug kernel's release
#   tests/debug/build-kernel.sh --cached   the same when it is built and
#                   up to date (a warm machine), else fails; builds nothing
#   tests/debug/build-kernel.sh --source   only installs and unpacks the
#                   source (tests/kernel-patch.sh patches a copy of it)
set -euo pipefail
mode=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../env/common.sh"

# The Debian kernel whose source series is built (not the debug kernel,
# which kver_amd64 names when DCSSDAX_DEBUG is set).
kver=$(DCSSDAX_DEBUG='' kver_amd64)
[ -n "$kver" ] || { log "no kernel in the build root: run setup-root.sh"; exit 1; }
series=$(echo "$kver" | cut -d. -f1,2)
tree=$DEBUG_TREE
src=$tree/linux-source-$series
want_src="linux-source-$series $kver"
# The base configuration is part of the key: a fragment on another base
# is another kernel.
base=allnoconfig
want="$(sha1sum <"$here/debug.config" | cut -c1-12) $base $want_src"

if [ "$mode" != --source ] && [ -f "$ROOT$tree/stamp" ] &&
   [ "$(cat "$ROOT$tree/stamp")" = "$want" ]; then
	cat "$ROOT$tree/release"
	exit 0
fi
[ "$mode" != --cached ] || exit 1

# The build tools, also when the source is already unpacked: the list
# grows (openssl signs modules since lockdown selects MODULE_SIG).
tools="libssl-dev openssl flex bison bc libelf-dev cpio"
for t in $tools; do
	inroot dpkg -s "$t" >/dev/null 2>&1 || {
		log "debug kernel: installing the build tools"
		retry root_apt install --no-install-recommends -t trixie-backports $tools
		break
	}
done

if [ ! -f "$ROOT$tree/source-stamp" ] ||
   [ "$(cat "$ROOT$tree/source-stamp")" != "$want_src" ]; then
	log "debug kernel: installing linux-source-$series"
	# Reinstalled: the lint set-up keeps only a few scripts of the tarball.
	retry root_apt install --reinstall --no-install-recommends \
		-t trixie-backports "linux-source-$series"
	rm -rf "${ROOT:?}$tree"
	mkdir -p "$ROOT$tree/build"
	log "debug kernel: unpacking the source"
	inroot tar -xJf "/usr/src/linux-source-$series.tar.xz" -C "$tree"
	rm -f "$ROOT/usr/src/linux-source-$series.tar.xz"
	echo "$want_src" >"$ROOT$tree/source-stamp"
fi
[ "$mode" != --source ] || exit 0

log "debug kernel: configuring"
cp "$here/debug.config" "$ROOT$tree/debug.config"
# allnoconfig takes every option the fragment names as given and sets
# every other visible one to n; olddefconfig then must change nothing
# the fragment asked for.
inroot sh -c "cd $src && make -s O=$tree/build KCONFIG_ALLCONFIG=$tree/debug.config $base &&
	make -s O=$tree/build olddefconfig" >"$ROOT$tree/config.log" 2>&1 || {
	cat "$ROOT$tree/config.log"; exit 1; }
# Every option asked for must have survived olddefconfig; an option
# asked to be off may also be gone (hidden by a dependency).
missing=0
while read -r line; do
	case $line in
	CONFIG_*=*) grep -qxF "$line" "$ROOT$tree/build/.config" ;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }; opt=${opt%% *}
		! grep -q "^$opt=" "$ROOT$tree/build/.config" ;;
	*) continue ;;
	esac || { log "debug kernel: '$line' did not survive olddefconfig"; missing=1; }
done <"$here/debug.config"
[ $missing -eq 0 ] || exit 1

log "debug kernel: building (2 idle cores: about 10 minutes from scratch)"
start=$(date +%s)
inroot sh -c "cd $src && make -s O=$tree/build -j\$(nproc) bzImage modules" \
	>"$ROOT$tree/build.log" 2>&1 || { tail -n 60 "$ROOT$tree/build.log"; exit 1; }
release=$(cat "$ROOT$tree/build/include/config/kernel.release")
log "debug kernel: $release built in $(( $(date +%s) - start )) s"

# Install where kver lookups, modprobe -S and the module build find it.
rm -rf "${ROOT:?}/lib/modules/$release"
inroot sh -c "cd $src && make -s O=$tree/build INSTALL_MOD_STRIP=1 modules_install" \
	>>"$ROOT$tree/build.log" 2>&1 || { tail -n 30 "$ROOT$tree/build.log"; exit 1; }
cp "$ROOT$tree/build/arch/x86/boot/bzImage" "$ROOT/lib/modules/$release/vmlinuz"
ln -sfn "$tree/build" "$ROOT/usr/src/linux-headers-$release"
echo "$release" >"$ROOT$tree/release"
echo "$want" >"$ROOT$tree/stamp"
echo "$release"
