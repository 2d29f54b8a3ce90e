#!/bin/bash
# Build the kernel with dcssdax built in: the debug kernel of
# tests/debug/build-kernel.sh (which must be built) with make
# kernel-patch's patch applied and CONFIG_DCSSDAX=y, DCSSDAX_EMULATE=y,
# release <version>-dcssdax-builtin.  The checkers of the debug kernel
# stay on, so the driver's boot-time paths run under KASAN and lockdep.
#
# Incremental, so it costs minutes, not the debug kernel's half hour:
# the build directory starts as a copy of the debug kernel's (once per
# debug kernel), and builds in a mount namespace where the patched source
# and that copy sit at the debug kernel's own paths, so every command
# line kbuild recorded is unchanged and only what the patch and the new
# options touch is rebuilt (drivers/dcssdax/, the version string, the
# links).  Cached: nothing is done when neither the debug kernel nor the
# patch changed.
#
#   tests/builtin/build-kernel.sh      prints the kernel's release
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../env/common.sh"

debug=$ROOT$DEBUG_TREE
tree=$BUILTIN_TREE
[ -f "$debug/stamp" ] && [ -f "$debug/release" ] ||
	{ log "no debug kernel: run tests/debug/build-kernel.sh first"; exit 1; }
src=$(ls -d "$debug"/linux-source-* | head -n 1)
src=${src#"$ROOT"}

mkdir -p "$ROOT$tree"
patch=$(KSRC=$ROOT$src "$TOP/packaging/kernel-patch.sh")
want="$(cat "$debug/stamp") patch $(grep -v '^From [0-9a-f]* ' "$patch" | sha1sum | cut -c1-12)"
if [ -f "$ROOT$tree/stamp" ] && [ "$(cat "$ROOT$tree/stamp")" = "$want" ]; then
	cat "$ROOT$tree/release"
	exit 0
fi

if [ "$(cat "$ROOT$tree/seed" 2>/dev/null)" != "$(cat "$debug/stamp")" ]; then
	log "built-in kernel: copying the debug kernel's build directory"
	rm -rf "${ROOT:?}$tree/build" "$ROOT$tree/seed"
	cp -a "$debug/build" "$ROOT$tree/build"
	cat "$debug/stamp" >"$ROOT$tree/seed"
fi
log "built-in kernel: applying $(basename "$patch")"
"$TOP/tests/env/patch-source.sh" "$ROOT$src" "$ROOT$tree/src" "$patch" \
	>"$ROOT$tree/apply.log" 2>&1 || { cat "$ROOT$tree/apply.log"; exit 1; }

log "built-in kernel: building (incremental)"
start=$(date +%s)
b=$DEBUG_TREE/build
inroot sh -c "set -e
	mount --bind $tree/src $src
	mount --bind $tree/build $b
	cd $src
	scripts/config --file $b/.config -e ZONE_DEVICE -e FS_DAX \
		-e DCSSDAX -e DCSSDAX_EMULATE -d DCSSDAX_TEST \
		--set-str LOCALVERSION -dcssdax-builtin
	make -s O=$b olddefconfig
	grep -qx CONFIG_DCSSDAX=y $b/.config
	grep -qx CONFIG_DCSSDAX_EMULATE=y $b/.config
	make -s O=$b -j\$(nproc) bzImage modules
	release=\$(cat $b/include/config/kernel.release)
	rm -rf /lib/modules/\$release
	make -s O=$b INSTALL_MOD_STRIP=1 modules_install" \
	>"$ROOT$tree/build.log" 2>&1 || { tail -n 60 "$ROOT$tree/build.log"; exit 1; }
release=$(cat "$ROOT$tree/build/include/config/kernel.release")
grep -q 'drivers/dcssdax/.*warning:' "$ROOT$tree/build.log" &&
	{ grep 'warning:' "$ROOT$tree/build.log"; log "the driver builds with warnings"; exit 1; }
grep -q '/dcssdax.ko$' "$ROOT/lib/modules/$release/modules.builtin" ||
	{ log "$release: dcssdax is not in modules.builtin"; exit 1; }
log "built-in kernel: $release built in $(( $(date +%s) - start )) s"
cp "$ROOT$tree/build/arch/x86/boot/bzImage" "$ROOT/lib/modules/$release/vmlinuz"
# No headers: modules_install linked build to the path the namespace
# showed, and a kernel with headers in the root is one DKMS builds for
# (the packaging test's dpkg -i of dcssdax-dkms) and writes into.
rm -f "$ROOT/lib/modules/$release/build"
echo "$release" >"$ROOT$tree/release"
echo "$want" >"$ROOT$tree/stamp"
echo "$release"
