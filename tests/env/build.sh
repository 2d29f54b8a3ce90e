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
	# A kernel built here (the debug kernel) has its own module signing
	# key: sign the module with it, so that under lockdown, which refuses
	# unsigned modules, the driver's own refusal of emulate= is reached
	# (group 99).  The unsigned copy is that group's control.  Debian's
	# kernels keep their key: their module stays unsigned.
	# (Looked at in the root: the headers are a link to the build tree.)
	hdr=/usr/src/linux-headers-$kver
	if inroot test -f "$hdr/certs/signing_key.pem"; then
		hash=$(inroot sed -n 's/^CONFIG_MODULE_SIG_HASH="\(.*\)"$/\1/p' "$hdr/.config")
		cp "$out/module/dcssdax.ko" "$out/module/dcssdax-unsigned.ko"
		inroot "$hdr/scripts/sign-file" "${hash:?no CONFIG_MODULE_SIG_HASH}" \
			"$hdr/certs/signing_key.pem" "$hdr/certs/signing_key.x509" \
			"/src/build/$arch$FLAVOUR/module/dcssdax.ko" ||
			{ log "signing dcssdax.ko failed"; exit 1; }
		grep -q '~Module signature appended~' <(tail -c 28 "$out/module/dcssdax.ko") ||
			{ log "dcssdax.ko: no signature after sign-file"; exit 1; }
		log "signed dcssdax.ko with the $kver build's key ($hash)"
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
