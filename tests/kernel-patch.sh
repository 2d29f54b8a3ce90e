#!/bin/bash
# The kernel patch of make kernel-patch (packaging/kernel-patch.sh),
# checked against the test kernel's Debian linux-source (the tree the
# debug kernel builds from, never written: a hard-link copy under
# $CACHE/kpatch takes the patch).  RESULT lines like the VM suite:
#   kernel-patch/generate     the patch is made
#   kernel-patch/applies      git apply --check, then applied to the copy
#   kernel-patch/checkpatch   checkpatch.pl --strict on the patch, clean
#   kernel-patch/abi-complete every sysfs file has its ABI entry, which
#                             tools/docs/get_abi.py parses
#   kernel-patch/kernel-doc   kernel-doc -none on the driver, silent
#   kernel-patch/build-in     x86_64 defconfig + ZONE_DEVICE, FS_DAX,
#                             DCSSDAX=y, DCSSDAX_EMULATE=y, DCSSDAX_TEST=y
#                             (every file compiled): the driver's
#                             directory builds in tree without warnings
#   kernel-patch/dax-bus-guard  the copy of drivers/dax/bus.h's struct is
#                             compared with the tree's own (dax_bus_check.o
#                             built), and a changed copy fails the build
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/env/common.sh"

kver=$(DCSSDAX_DEBUG='' kver_amd64)
series=$(echo "$kver" | cut -d. -f1,2)
leg_plan kernel-patch 7
KSRC_GIVEN=${KSRC:-}
KSRC=${KSRC:-$ROOT$DEBUG_TREE/linux-source-$series}
KP=$CACHE/kpatch
out=$TOP/build/kernel-patch

# The debug kernel's source, unpacked here on a machine that has not
# built it yet (a fresh one): never a skip.
if [ -z "${KSRC_GIVEN:-}" ] && [ -n "$kver" ] && [ ! -f "$KSRC/MAINTAINERS" ]; then
	mkdir -p "$TOP/build"
	"$here/debug/build-kernel.sh" --source >"$TOP/build/kernel-source.log" 2>&1 ||
		log "kernel-patch: unpacking the source failed: $(tail -n 2 "$TOP/build/kernel-source.log" | tr '\n' ' ')"
fi
if [ -z "$kver" ] || [ ! -f "$KSRC/MAINTAINERS" ]; then
	echo "RESULT FAIL kernel-patch/source: no kernel source at $KSRC"
	exit 0
fi

# inroot, with the copy at /kpatch as well.
inroot_kp() {
	mkdir -p "$ROOT/kpatch"
	mount_ns "$ROOT" /bin/sh -s "$ROOT" "$TOP" "$KP" "$@" <<'SH'
root=$1 top=$2 kp=$3; shift 3
mount -t proc proc "$root/proc"
mount --rbind /dev "$root/dev"
mkdir -p "$root/src"
mount --bind "$top" "$root/src"
mount --bind "$kp" "$root/kpatch"
exec chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
	LANG=C.UTF-8 "$@"
SH
}

if ! patch=$(KSRC=$KSRC "$TOP/packaging/kernel-patch.sh" 2>"$TOP/build/kernel-patch.log"); then
	echo "RESULT FAIL kernel-patch/generate: $(tail -n 2 "$TOP/build/kernel-patch.log" | tr '\n' ' ')"
	exit 0
fi
echo "RESULT PASS kernel-patch/generate"
rel=${patch#"$TOP"/}

# The copy: hard links, but real copies of the files the patch changes,
# so that applying it cannot write through a link into the source.
rm -rf "$KP" && mkdir -p "$KP"
if ! "$here/env/patch-source.sh" "$KSRC" "$KP/src" "$patch" >"$out/apply.log" 2>&1; then
	echo "RESULT FAIL kernel-patch/applies: $(head -n 2 "$out/apply.log" | tr '\n' ' ')"
	exit 0
fi
echo "RESULT PASS kernel-patch/applies"

# From the tree's top, so checkpatch knows the tree (MAINTAINERS, the
# spelling list); it ends with "total: N errors, N warnings, N checks".
inroot_kp sh -c "cd /kpatch/src && perl scripts/checkpatch.pl --strict \
	--show-types /src/$rel" >"$out/checkpatch.log" 2>&1
if ! grep -q '^total: ' "$out/checkpatch.log"; then
	echo "RESULT FAIL kernel-patch/checkpatch: checkpatch did not run: $(tail -n 1 "$out/checkpatch.log")"
elif ! grep -qx 'total: 0 errors, 0 warnings, 0 checks, [0-9]* lines checked' "$out/checkpatch.log"; then
	echo "RESULT FAIL kernel-patch/checkpatch: $(grep -E '^(ERROR|WARNING|CHECK):' "$out/checkpatch.log" | head -n 3 | tr '\n' ' ')"
else
	echo "RESULT PASS kernel-patch/checkpatch"
fi

# Every sysfs file and module parameter of the driver has its What: (the
# test build's test_pause is no ABI).
abi=$TOP/Documentation/ABI/testing/sysfs-devices-dcssdax
missing=
for a in $(grep -ohE '(DEVICE_ATTR[_A-Z]*|__ATTR[_A-Z]*|module_param[_a-z]*)\( *[a-z_]+' \
		"$TOP"/drivers/dcssdax/*.c | sed 's/.*( *//' | sort -u); do
	[ "$a" = test_pause ] && continue
	grep -qE "^What:.*/$a\$" "$abi" || missing="$missing $a"
done
# and the kernel's own ABI parser reads every entry without a complaint
inroot_kp sh -c 'cd /kpatch/src && python3 tools/docs/get_abi.py validate &&
	python3 tools/docs/get_abi.py rest' >"$out/get_abi.log" 2>&1
# one entry per group of What: lines
whats=$(awk '/^What:/ && !prev { n++ } { prev = /^What:/ } END { print n + 0 }' "$abi")
parsed=$(grep -c '^\.\. _abi_sys_.*dcssdax' "$out/get_abi.log")
if [ -n "$missing" ]; then
	echo "RESULT FAIL kernel-patch/abi-complete: no What: for$missing"
elif grep -i 'dcssdax' "$out/get_abi.log" | grep -qiE 'warning|error'; then
	echo "RESULT FAIL kernel-patch/abi-complete: get_abi.py: $(grep -i dcssdax "$out/get_abi.log" | grep -iE 'warning|error' | head -n 2 | tr '\n' ' ')"
elif [ "$parsed" -ne "$whats" ]; then
	echo "RESULT FAIL kernel-patch/abi-complete: get_abi.py made $parsed entries of $whats"
else
	echo "RESULT PASS kernel-patch/abi-complete"
fi

# A planted comment that is not kernel-doc proves kernel-doc looked.
printf '/**\n * nothing - \n */\nint nothing(int x);\n' >"$KP/canary.h"
inroot_kp sh -c 'cd /kpatch/src && python3 scripts/kernel-doc -none /kpatch/canary.h' \
	>"$out/kernel-doc-canary.log" 2>&1
inroot_kp sh -c 'cd /kpatch/src && python3 scripts/kernel-doc -none drivers/dcssdax/*.[ch]' \
	>"$out/kernel-doc.log" 2>&1
if [ ! -s "$out/kernel-doc-canary.log" ]; then
	echo "RESULT FAIL kernel-patch/kernel-doc: kernel-doc did not run"
elif [ -s "$out/kernel-doc.log" ]; then
	echo "RESULT FAIL kernel-patch/kernel-doc: $(head -n 3 "$out/kernel-doc.log" | tr '\n' ' ')"
else
	echo "RESULT PASS kernel-patch/kernel-doc"
fi

# Built in, with the emulated backend, as in a kernel that has it; only
# the driver's directory (and what kbuild prepares for it).
b=/kpatch/build
if ! inroot_kp sh -c "cd /kpatch/src && make -s O=$b defconfig &&
	scripts/config --file $b/.config -e MEMORY_HOTPLUG -e MEMORY_HOTREMOVE \
		-e SPARSEMEM_VMEMMAP -e ZONE_DEVICE -e FS_DAX -e DEBUG_FS \
		-e DCSSDAX -e DCSSDAX_EMULATE -e DCSSDAX_TEST &&
	make -s O=$b olddefconfig" >"$out/config.log" 2>&1; then
	echo "RESULT FAIL kernel-patch/build-in: configuring failed: $(tail -n 2 "$out/config.log" | tr '\n' ' ')"
elif ! grep -qx 'CONFIG_DCSSDAX=y' "$KP/build/.config" ||
     ! grep -qx 'CONFIG_DCSSDAX_EMULATE=y' "$KP/build/.config" ||
     ! grep -qx 'CONFIG_DCSSDAX_TEST=y' "$KP/build/.config"; then
	echo "RESULT FAIL kernel-patch/build-in: olddefconfig dropped DCSSDAX: $(grep -E 'ZONE_DEVICE|FS_DAX|DCSSDAX' "$KP/build/.config" | tr '\n' ' ')"
elif ! inroot_kp sh -c "cd /kpatch/src && make O=$b -j2 drivers/dcssdax/" \
	>"$out/build.log" 2>&1; then
	echo "RESULT FAIL kernel-patch/build-in: $(grep -E 'error' "$out/build.log" | head -n 2 | tr '\n' ' ')"
elif grep -q 'drivers/dcssdax/.*warning:' "$out/build.log" ||
     [ ! -f "$KP/build/drivers/dcssdax/built-in.a" ] ||
     [ ! -f "$KP/build/drivers/dcssdax/seg_emul.o" ] ||
     [ ! -f "$KP/build/drivers/dcssdax/testpoint.o" ]; then
	echo "RESULT FAIL kernel-patch/build-in: $(grep -E 'warning:' "$out/build.log" | head -n 2 | tr '\n' ' ')"
else
	echo "RESULT PASS kernel-patch/build-in"
fi

# The guard of dax_bus_compat.h: in tree the kernel's drivers/dax/bus.h
# is there, so dax_bus_check.c compared the copy with it; a copy whose
# struct differs (a member's type) must stop the build there.
compat=$KP/src/drivers/dcssdax/dax_bus_compat.h
if [ ! -f "$KP/build/drivers/dcssdax/dax_bus_check.o" ]; then
	echo "RESULT FAIL kernel-patch/dax-bus-guard: dax_bus_check.o was not built"
elif ! grep -q '^	int id;$' "$compat"; then
	echo "RESULT FAIL kernel-patch/dax-bus-guard: no 'int id;' in the copy to change"
else
	sed -i 's/^	int id;$/	long id;/' "$compat"
	inroot_kp sh -c "cd /kpatch/src && make O=$b -j2 drivers/dcssdax/" >"$out/guard.log" 2>&1
	rc=$?
	cp "$TOP/drivers/dcssdax/dax_bus_compat.h" "$compat"
	if [ $rc -eq 0 ]; then
		echo "RESULT FAIL kernel-patch/dax-bus-guard: a changed copy built"
	elif ! grep -q 'static assertion failed: ".*dcssdax_copy_dev_dax_data' "$out/guard.log"; then
		echo "RESULT FAIL kernel-patch/dax-bus-guard: failed elsewhere: $(grep -m 2 error "$out/guard.log" | tr '\n' ' ')"
	else
		echo "RESULT PASS kernel-patch/dax-bus-guard"
	fi
fi
leg_end kernel-patch
