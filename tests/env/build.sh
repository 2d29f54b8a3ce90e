#!/bin/bash
# Build everything that goes into the test VM for one architecture:
# the module (with the kernel's own kbuild), the static test programs and
# the initramfs.  Output in build/<arch>/.
#
#   tests/env/build.sh [x86_64]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

arch=${1:-x86_64}
case $arch in
x86_64) kver=$(kver_amd64) cc=gcc ;;
s390x) kver=$(kver_s390x) cc=s390x-linux-gnu-gcc-14 ;;
*) log "unknown arch $arch"; exit 2 ;;
esac
[ -n "$kver" ] || { log "no kernel in the build root: run setup-root.sh"; exit 1; }

out=$TOP/build/$arch$FLAVOUR
mkdir -p "$out"
rm -rf "$out/module" && mkdir -p "$out/module"
# The kernel of DCSSDAX_BUILTIN has the driver in it already.
if [ -z "${DCSSDAX_BUILTIN:-}" ]; then
	# Build from a copy so the source tree keeps no kbuild droppings.
	cp "$TOP"/drivers/dcssdax/*.[ch] "$TOP"/drivers/dcssdax/Kbuild \
		"$TOP"/drivers/dcssdax/Makefile "$out/module/"
	log "building dcssdax.ko for $kver"
	inroot make -s -C "/src/build/$arch$FLAVOUR/module" \
		KDIR="/usr/src/linux-headers-$kver" EMULATE=1 TEST=1 >"$out/module.log" 2>&1 || {
		cat "$out/module.log"; exit 1; }
	if grep -q "warning:" "$out/module.log"; then
		cat "$out/module.log"; log "module build has warnings"; exit 1
	fi
fi

log "building test programs"
inroot make -s -C /src/tests/progs CC=$cc OUT="/src/build/$arch$FLAVOUR/progs" \
	>"$out/progs.log" 2>&1 || { cat "$out/progs.log"; exit 1; }

# dcssctl for the guest, built in the root against the guest's libraries:
# the root's own for x86_64, the s390x sysroot's through pkg-config's
# sysroot support for s390x.
log "building dcssctl"
rm -rf "$out/tools" && mkdir -p "$out/tools"
cp -a "$TOP/tools/." "$out/tools/"
case $arch in
x86_64) cross=() ;;
s390x)
	sr=$S390X_SYSROOT
	lib=$sr/usr/lib/s390x-linux-gnu
	cross=(env PKG_CONFIG_SYSROOT_DIR=$sr
	       PKG_CONFIG_LIBDIR=$lib/pkgconfig:$sr/usr/share/pkgconfig
	       LDFLAGS="-Wl,-rpath-link,$lib -Wl,-rpath-link,$sr/lib/s390x-linux-gnu")
	;;
esac
inroot "${cross[@]}" make -s -C "/src/build/$arch$FLAVOUR/tools" clean dcssctl CC=$cc \
	>"$out/tools.log" 2>&1 || { cat "$out/tools.log"; exit 1; }

"$here/initramfs.sh" "$arch" "$kver"
