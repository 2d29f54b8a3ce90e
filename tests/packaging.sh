#!/bin/bash
# The packages: make deb (debhelper, dh-dkms) and lintian, make rpm
# (rpmbuild -bb), what the packages hold, and the .debs installed and
# purged in a throw-away copy-on-write view of the build root, where the
# package's DKMS builds the module for the root's kernels.  Prints RESULT
# lines like the VM suite.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../packaging/common.sh"

res() { echo "RESULT $1 packaging/$2${3:+: $3}"; }
kver=$(kver_amd64)
s390x_kver=$(kver_s390x)
# Sixteen checks (the bookworm build and install, DKMS's refusal of an
# old kernel and the dax bus guard among them), and DKMS's cross build
# where the root has the s390x kernel.
n=16
[ -z "$s390x_kver" ] || n=17
leg_plan packaging $n
deb=$TOP/build/deb
rpm=$TOP/build/rpm
tmp=$TOP/build/packaging
rm -rf "$tmp" && mkdir -p "$tmp"

# One version everywhere.
v_deb=$(sed -n '1s/^dcssdax (\([^)-]*\)\(-[^)]*\)\?).*/\1/p' "$TOP/debian/changelog")
v_rpm=$(sed -n 's/^Version: *//p' "$TOP/packaging/dcssdax.spec")
if [ -n "$VERSION" ] && [ "$v_deb" = "$VERSION" ] && [ "$v_rpm" = "$VERSION" ]; then
	res PASS versions
else
	res FAIL versions "dkms.conf '$VERSION', debian/changelog '$v_deb', spec '$v_rpm'"
fi

# pkg_tools() on a root that has never heard of the tools (a fresh CI
# machine's) and on one that has them all, with a dpkg database of our
# own and apt replaced by a recorder: it must ask for every tool in the
# first case, for nothing in the second, and survive set -e and pipefail
# in both (a fresh root once ended make deb there with no message).
# check_pkg_tools NAME ADMIN WANT: what pkg_tools() asked apt for with
# ADMIN as the root's dpkg database, then "survived" (set -e ends the
# subshell before it on any failure), must be WANT.
check_pkg_tools() {
	local name=$1 admin=$2 want=$3 got
	got=$( (
		set -euo pipefail
		inroot() { local cmd=$1; shift; "$cmd" --admindir="$admin" "$@"; }
		root_apt() { echo "apt $*"; }
		retry() { "$@"; }
		log() { :; }
		pkg_tools
		echo survived
	) 2>&1 | tr '\n' ' ')
	if [ "$got" = "$want" ]; then
		res PASS "$name"
	else
		res FAIL "$name" "got: $got"
	fi
}
mkdir -p "$tmp/dpkg-none/updates" "$tmp/dpkg-all/updates"
: >"$tmp/dpkg-none/status"
for p in $PKG_TOOLS; do
	printf 'Package: %s\nStatus: install ok installed\nPriority: optional\nSection: misc\nMaintainer: none <none@invalid>\nArchitecture: all\nVersion: 1\nDescription: stand-in\n\n' "$p"
done >"$tmp/dpkg-all/status"
check_pkg_tools pkg-tools-fresh-root "$tmp/dpkg-none" \
	"apt update apt install --no-install-recommends $PKG_TOOLS survived "
check_pkg_tools pkg-tools-complete-root "$tmp/dpkg-all" "survived "

# inoverlay where / is no mount point, as in a chroot (a minbase root,
# the way a fresh machine is tried): unshare's default, making / private,
# fails there with EINVAL, and deb-install once did.  A chroot of the
# host's own directories and the cache, in a mount namespace of its own
# (mount_ns: this test itself may run in such a chroot); the install must
# land in the overlay only, and the build root must stay usable.
chroot_top=$CACHE/inoverlay-chroot
# Nothing may be mounted under it when it is removed: a bind of /usr
# left there would be emptied with it.
rm_chroot_top() {
	if findmnt -rn -o TARGET | grep -q "^$chroot_top\(/\|\$\)"; then
		echo "mounts left under $chroot_top"
		return 1
	fi
	rm -rf "$chroot_top"
}
rm_chroot_top && mkdir -p "$chroot_top"
got=$(mount_ns "$CACHE" bash -s "$chroot_top" "$TOP" "$CACHE" 2>&1 <<'SH'
top=$1 src=$2 cache=$3
# The cache's parent, so that the cache is no mount point in there.
cache_parent=$(dirname "$cache")
for d in usr etc dev proc sys bin sbin lib lib32 lib64 "${src#/}" "${cache_parent#/}"; do
	if [ -L "/$d" ]; then
		cp -P "/$d" "$top/$d"
	elif [ -d "/$d" ]; then
		mkdir -p "$top/$d" && mount --rbind "/$d" "$top/$d" || exit 1
	fi
done
mkdir -p "$top/tmp"
chroot "$top" bash -c '
	mountpoint -q / && { echo "/ is a mount point"; exit 1; }
	. "$1/packaging/common.sh" || exit 1
	inoverlay /tmp/ovl sh -c "echo probe >/etc/dcssdax-ovl-probe" || exit 1
	[ -f /tmp/ovl/upper/etc/dcssdax-ovl-probe ] || { echo "not in the overlay"; exit 1; }
	[ ! -e "$ROOT/etc/dcssdax-ovl-probe" ] || { echo "reached the root"; exit 1; }
	# mount_ns of a directory above one it bound before (this test of
	# the cache, after inoverlay of the root) must not hide that bind.
	mount_ns "$CACHE" true && inroot true || exit 1
	echo ok' _ "$src"
SH
)
got=$got$(rm_chroot_top)
if [ "$got" = ok ]; then
	res PASS inoverlay-in-chroot
else
	res FAIL inoverlay-in-chroot "$(echo "$got" | tail -n 3 | tr '\n' ' ')"
fi

# The module's files as git knows them, but the test points and Kconfig
# (in-tree only) and the developers' notes (LIFETIME.md): what both
# packages must ship in /usr/src/dcssdax-VERSION.
copy_tree "$tmp/tree" drivers/dcssdax
want_src=$(cd "$tmp/tree/drivers/dcssdax" && ls | grep -vxE 'testpoint\.c|Kconfig|.*\.md' |
	sed "s|^|usr/src/dcssdax-$VERSION/|" | sort)

# ---------------------------------------------------------------- deb
if "$TOP/packaging/build-deb.sh" >"$tmp/deb.log" 2>&1; then
	res PASS deb-build
else
	res FAIL deb-build "$(grep -v '^N:' "$tmp/deb.log" | tail -n 3 | tr '\n' ' ')"
fi
# lintian ran (its overridden tag is listed, --show-overrides) and
# reported nothing else, pedantic and informational tags included.
lint=$deb/lintian.log
if [ ! -f "$lint" ]; then
	res FAIL lintian "no build/deb/lintian.log"
elif ! grep -q '^O: dcssctl: systemd-service-file-refers-to-unusual-wantedby-target' "$lint"; then
	res FAIL lintian "lintian did not run, or the override is gone: $(head -n 2 "$lint" | tr '\n' ' ')"
elif grep -qE '^[EWIPX]: ' "$lint"; then
	res FAIL lintian "$(grep -E '^[EWIPX]: ' "$lint" | head -n 3 | tr '\n' ' ')"
else
	res PASS lintian
fi

dkms_deb=$(ls "$deb"/dcssdax-dkms_"$VERSION"_all.deb 2>/dev/null)
ctl_deb=$(ls "$deb"/dcssctl_"$VERSION"_*.deb 2>/dev/null)
# contents PKG FILE WANT...: every WANT path is in the package listing
# FILE (paths without a leading ./ or /).
missing() {
	local list=$1 w
	shift
	for w; do grep -qxF "$w" "$list" || echo "$w"; done
}
debfiles() { dpkg-deb -c "$1" | awk '{print $6}' | sed 's|^\./||; /\/$/d'; }
ctl_files="usr/sbin/dcssctl usr/share/man/man8/dcssctl.8.gz
	usr/share/man/man5/dcssdax.conf.5.gz
	usr/share/bash-completion/completions/dcssctl
	usr/lib/udev/rules.d/60-dcssdax.rules
	usr/lib/systemd/system/dcssdax-apply.service etc/dcssdax.conf"
if [ -z "$dkms_deb" ] || [ -z "$ctl_deb" ]; then
	res FAIL deb-contents "packages missing in build/deb"
else
	debfiles "$dkms_deb" >"$tmp/dkms-deb.list"
	debfiles "$ctl_deb" >"$tmp/ctl-deb.list"
	dpkg-deb -e "$ctl_deb" "$tmp/ctl-ctrl"
	bad=$(missing "$tmp/dkms-deb.list" $want_src usr/src/dcssdax-$VERSION/dkms.conf
	      missing "$tmp/ctl-deb.list" $ctl_files)
	extra=$(grep '^usr/src/' "$tmp/dkms-deb.list" | grep -vxF "$want_src")
	if [ -n "$bad$extra" ]; then
		res FAIL deb-contents "missing: $(echo $bad) extra: $(echo $extra)"
	elif ! grep -qx /etc/dcssdax.conf "$tmp/ctl-ctrl/conffiles"; then
		res FAIL deb-contents "/etc/dcssdax.conf is not a conffile"
	elif ! grep -q "deb-systemd-helper enable 'dcssdax-apply.service'" "$tmp/ctl-ctrl/postinst"; then
		res FAIL deb-contents "dcssctl's postinst does not enable dcssdax-apply.service"
	elif ! dpkg-deb -f "$dkms_deb" Depends | grep -q '\bdkms\b'; then
		res FAIL deb-contents "dcssdax-dkms does not depend on dkms"
	elif ! grep -qx 'usr/share/doc/dcssctl/sysfs-devices-dcssdax.gz' "$tmp/ctl-deb.list"; then
		res FAIL deb-contents "dcssctl lacks the ABI text in /usr/share/doc/dcssctl"
	elif dpkg-deb --fsys-tarfile "$dkms_deb" | tar -xO --wildcards '*/Makefile' '*/Kbuild' |
	     grep -q 'TEST'; then
		res FAIL deb-contents "the DKMS Makefile or Kbuild can still build the test points"
	else
		res PASS deb-contents
	fi
fi

# ---------------------------------------------------- deb on bookworm
# Built as Debian 12 builds it (debhelper 13.11, whose dh_installsystemd
# looks for units in lib/systemd/system only) in a bookworm root, and
# dcssctl installed there in a copy-on-write view: the unit must be
# enabled as on trixie, and the purge must take the link away.
bw_deb=$TOP/build/deb-bookworm
if DCSSDAX_DEB_SUITE=bookworm "$TOP/packaging/build-deb.sh" >"$tmp/deb-bookworm.log" 2>&1; then
	res PASS deb-build-bookworm
else
	res FAIL deb-build-bookworm "$(tail -n 3 "$tmp/deb-bookworm.log" | tr '\n' ' ')"
fi
bw_ctl=$(ls "$bw_deb"/dcssctl_"$VERSION"_*.deb 2>/dev/null | grep -v dbgsym)
if [ -z "$bw_ctl" ]; then
	res FAIL deb-install-bookworm "no dcssctl package in build/deb-bookworm"
else
	cat >"$tmp/install-bookworm.sh" <<'SH'
v=$1 deb=$2
link=/etc/systemd/system/local-fs.target.wants/dcssdax-apply.service
DEBIAN_FRONTEND=noninteractive dpkg -i "$deb" || { echo "INNER FAIL dpkg -i failed"; exit 0; }
target=$(readlink "$link")
unit=$(dpkg -L dcssctl | grep '/systemd/system/dcssdax-apply\.service$')
if [ -z "$target" ]; then
	echo "INNER FAIL dcssdax-apply.service not enabled (no $link)"
elif [ -z "$unit" ] || [ ! "$target" -ef "$unit" ]; then
	echo "INNER FAIL $link points to $target, not the package's unit $unit"
elif ! dcssctl --version | grep -qx "dcssctl $v"; then
	echo "INNER FAIL dcssctl does not run: $(dcssctl --version 2>&1)"
else
	dpkg --purge dcssctl >/dev/null || { echo "INNER FAIL dpkg --purge failed"; exit 0; }
	if [ -e "$link" ] || [ -L "$link" ]; then
		echo "INNER FAIL the purge left $link"
	else
		echo "INNER PASS $unit"
	fi
fi
SH
	ROOT=$CACHE/bookworm-root inoverlay "$tmp/overlay-bookworm" sh \
		/src/build/packaging/install-bookworm.sh "$VERSION" \
		"/src/build/deb-bookworm/$(basename "$bw_ctl")" \
		>"$tmp/install-bookworm.log" 2>&1 </dev/null
	got=$(sed -n 's/^INNER //p' "$tmp/install-bookworm.log")
	case $got in
	"PASS "*) res PASS deb-install-bookworm ;;
	"FAIL "*) res FAIL deb-install-bookworm "${got#FAIL }" ;;
	*) res FAIL deb-install-bookworm "did not finish: $(tail -n 3 "$tmp/install-bookworm.log" | tr '\n' ' ')" ;;
	esac
	rm -rf "$tmp/overlay-bookworm"
fi

# ---------------------------------------------------------------- rpm
if "$TOP/packaging/build-rpm.sh" >"$tmp/rpm.log" 2>&1; then
	res PASS rpm-build
else
	res FAIL rpm-build "$(tail -n 3 "$tmp/rpm.log" | tr '\n' ' ')"
fi
dkms_rpm=$(ls "$rpm"/dcssdax-dkms-"$VERSION"-*.noarch.rpm 2>/dev/null)
ctl_rpm=$(ls "$rpm"/dcssctl-"$VERSION"-*.rpm 2>/dev/null)
if [ -z "$dkms_rpm" ] || [ -z "$ctl_rpm" ]; then
	res FAIL rpm-contents "packages missing in build/rpm"
else
	q() { inroot rpm -qp "$@" 2>/dev/null; }
	r=/src/build/rpm
	q -l "$r/$(basename "$dkms_rpm")" | sed 's|^/||' >"$tmp/dkms-rpm.list"
	q -l "$r/$(basename "$ctl_rpm")" | sed 's|^/||' >"$tmp/ctl-rpm.list"
	bad=$(missing "$tmp/dkms-rpm.list" $want_src
	      missing "$tmp/ctl-rpm.list" $ctl_files)
	extra=$(grep '^usr/src/dcssdax-[^/]*/' "$tmp/dkms-rpm.list" | grep -vxF "$want_src")
	if [ -n "$bad$extra" ]; then
		res FAIL rpm-contents "missing: $(echo $bad) extra: $(echo $extra)"
	elif ! grep -qE '^usr/share/doc/dcssctl(-[^/]*)?/sysfs-devices-dcssdax$' "$tmp/ctl-rpm.list"; then
		res FAIL rpm-contents "dcssctl lacks the ABI text in its %doc"
	elif grep -q 'system-preset' "$tmp/ctl-rpm.list"; then
		res FAIL rpm-contents "dcssctl ships a systemd preset (the distribution's presets decide)"
	elif ! q --scripts "$r/$(basename "$ctl_rpm")" | grep -q 'preset dcssdax-apply.service'; then
		res FAIL rpm-contents "dcssctl's %post does not apply the presets to dcssdax-apply.service"
	elif ! q -c "$r/$(basename "$ctl_rpm")" | grep -qx /etc/dcssdax.conf; then
		res FAIL rpm-contents "/etc/dcssdax.conf is not %config"
	elif ! q --scripts "$r/$(basename "$dkms_rpm")" | grep -q "dkms install -m dcssdax -v $VERSION"; then
		res FAIL rpm-contents "dcssdax-dkms's %post does not run dkms install"
	elif ! q -R "$r/$(basename "$dkms_rpm")" | grep -qx dkms; then
		res FAIL rpm-contents "dcssdax-dkms does not require dkms"
	else
		res PASS rpm-contents
	fi
fi

# ---------------------------------------------------------- install
# dpkg -i both .debs in a copy-on-write view of the root: dh-dkms's
# postinst builds and installs the module for every kernel whose headers
# are there (the x86_64 test kernel, and the s390x one, cross, when the
# root has it).  Then purge, and nothing of the packages may be left.
if [ -z "$dkms_deb" ] || [ -z "$ctl_deb" ]; then
	res FAIL dkms-build "no packages to install"
	exit 0
fi
ovl=$tmp/overlay
# (inroot takes its own script on stdin: this one goes through a file.)
cat >"$tmp/install.sh" <<'SH'
v=$1 kver=$2 s390x=$3 dkms_deb=$4 ctl_deb=$5
r() { echo "INNER $1 $2${3:+: $3}"; }
# ko KVER: the module dkms installed for KVER, decompressed.
ko() {
	f=/lib/modules/$1/updates/dkms/dcssdax.ko.xz
	[ -f "$f" ] && xz -dc "$f" >/tmp/dcssdax-$1.ko && echo /tmp/dcssdax-$1.ko
}
# A kernel out of dkms.conf's range (Linux 6.17 to 7.3) whose headers are
# installed first: trixie's own 6.12, which has ZONE_DEVICE and FS_DAX,
# so only BUILD_EXCLUSIVE_KERNEL can refuse it.  Its headers, their
# common part and kbuild, without the kernel image they depend on (DKMS
# builds from the headers; the image would only cost an initramfs).
old=$(apt-cache pkgnames linux-headers-6.12. | grep -E '^linux-headers-6\.12\.[0-9]+\+deb13-amd64$' |
	sort -V | tail -n 1)
oldk=${old#linux-headers-}
old_pkgs="$old linux-headers-${oldk%-amd64}-common linux-kbuild-${oldk%-amd64}"
mkdir -p /tmp/old-debs
n=0
until (cd /tmp/old-debs && apt-get -q download $old_pkgs) >/tmp/old-kernel.log 2>&1; do
	n=$((n + 1)); [ $n -ge 3 ] && break; sleep $((n * 5))
done
DEBIAN_FRONTEND=noninteractive dpkg -i --force-depends /tmp/old-debs/*.deb >>/tmp/old-kernel.log 2>&1
rm -rf /tmp/old-debs
DEBIAN_FRONTEND=noninteractive dpkg -i "$dkms_deb" "$ctl_deb" || r FAIL deb-install "dpkg -i failed"
dkms status dcssdax
if ! dkms status -m dcssdax -v "$v" -k "$kver" | grep -q ': installed'; then
	r FAIL dkms-build "not installed for $kver: $(dkms status dcssdax | tr '\n' ' ')"
elif ! m=$(ko "$kver"); then
	r FAIL dkms-build "no /lib/modules/$kver/updates/dkms/dcssdax.ko.xz"
elif [ "$(modinfo -F vermagic "$m" | cut -d' ' -f1)" != "$kver" ]; then
	r FAIL dkms-build "vermagic $(modinfo -F vermagic "$m")"
elif modinfo -F parm "$m" | grep -q '^test_'; then
	r FAIL dkms-build "the module has the test points"
elif grep -q 'built without CONFIG_DCSSDAX_EMULATE' "$m"; then
	r FAIL dkms-build "the x86_64 module has no emulated backend"
elif [ "$(modprobe -S "$kver" -R dcssdax 2>/dev/null)" != dcssdax ]; then
	r FAIL dkms-build "modprobe does not find it (depmod)"
else
	r PASS dkms-build
fi
if [ -n "$s390x" ]; then
	if ! m=$(ko "$s390x"); then
		r FAIL dkms-build-s390x "not installed for $s390x: $(dkms status dcssdax | tr '\n' ' ')"
	elif ! grep -q 'built without CONFIG_DCSSDAX_EMULATE' "$m"; then
		r FAIL dkms-build-s390x "the s390x module has the emulated backend"
	elif modinfo -F parm "$m" | grep -q '^test_'; then
		r FAIL dkms-build-s390x "the module has the test points"
	else
		r PASS dkms-build-s390x
	fi
fi
# The out-of-range kernel: skipped by the package's DKMS run, refused by
# dkms build with BUILD_EXCLUSIVE (status 77), and a plain make against
# its headers stops at Kbuild's guard of dax_bus_compat.h.
if [ -z "$old" ] || [ ! -f "/lib/modules/$oldk/build/.config" ]; then
	r FAIL dkms-refuses-old-kernel "no 6.12 headers installed: $(tail -n 2 /tmp/old-kernel.log | tr '\n' ' ')"
elif ! grep -qx CONFIG_ZONE_DEVICE=y "/lib/modules/$oldk/build/.config" ||
     ! grep -qx CONFIG_FS_DAX=y "/lib/modules/$oldk/build/.config"; then
	r FAIL dkms-refuses-old-kernel "$oldk lacks ZONE_DEVICE or FS_DAX: not a test of the kernel range"
elif dkms status -m dcssdax -v "$v" -k "$oldk" | grep -q ': installed' ||
     ls /lib/modules/"$oldk"/updates/dkms/dcssdax.ko* >/dev/null 2>&1; then
	r FAIL dkms-refuses-old-kernel "built for $oldk: $(dkms status dcssdax | tr '\n' ' ')"
else
	dkms build -m dcssdax -v "$v" -k "$oldk" >/tmp/old-build.log 2>&1
	rc=$?
	if [ $rc -ne 77 ] || ! grep -q BUILD_EXCLUSIVE /tmp/old-build.log; then
		r FAIL dkms-refuses-old-kernel "dkms build for $oldk: status $rc: $(tail -n 2 /tmp/old-build.log | tr '\n' ' ')"
	else
		r PASS dkms-refuses-old-kernel
	fi
fi
rm -rf /tmp/plain && cp -r "/usr/src/dcssdax-$v" /tmp/plain
if make -k -C /tmp/plain KDIR="/lib/modules/$oldk/build" EMULATE=1 modules >/tmp/plain.log 2>&1; then
	r FAIL dax-bus-guard-headers "the module built for $oldk"
elif ! grep -q 'dcssdax: struct dev_dax_data (drivers/dax/bus.h) is known for Linux 6.17 to 7.3 only, not 6.12' /tmp/plain.log; then
	r FAIL dax-bus-guard-headers "failed, but not at the guard: $(grep -m 2 'error' /tmp/plain.log | tr '\n' ' ')"
else
	r PASS dax-bus-guard-headers
fi
rm -rf /tmp/plain
if [ "$(readlink /etc/systemd/system/local-fs.target.wants/dcssdax-apply.service)" = \
     /usr/lib/systemd/system/dcssdax-apply.service ] &&
   dcssctl --version | grep -qx "dcssctl $v" && [ -f /etc/dcssdax.conf ] &&
   dcssctl apply /etc/dcssdax.conf; then
	r PASS deb-install
else
	r FAIL deb-install "unit not enabled, dcssctl not working or no /etc/dcssdax.conf"
fi
rm -f /tmp/dcssdax-*.ko
dpkg --purge dcssctl dcssdax-dkms || r FAIL deb-purge "dpkg --purge failed"
[ -z "$old" ] || dpkg --purge $old_pkgs >/dev/null 2>&1
dkms status dcssdax | grep -q . && r FAIL deb-purge "dkms still knows: $(dkms status dcssdax)"
echo "INNER DONE"
SH
inoverlay "$ovl" sh /src/build/packaging/install.sh "$VERSION" "$kver" "$s390x_kver" \
	"/src/build/deb/$(basename "$dkms_deb")" "/src/build/deb/$(basename "$ctl_deb")" \
	>"$tmp/install.log" 2>&1 </dev/null
sed -n 's/^INNER \(PASS\|FAIL\) /RESULT \1 packaging\//p' "$tmp/install.log"
grep -q '^INNER DONE' "$tmp/install.log" ||
	res FAIL deb-install "did not finish: $(tail -n 3 "$tmp/install.log" | tr '\n' ' ')"

# What the purge left: every path in the overlay's upper layer is a
# change to the root.  Expected: dpkg's and dkms's own state, logs,
# inroot's resolv.conf, and files rewritten with their old content
# (depmod's indexes).
left=$(cd "$ovl/upper" && find . -mindepth 1 \( -type f -o -type l -o -type c \) | sed 's|^\./||' |
	grep -vE '^(var/lib/dpkg|var/log|var/cache|var/lib/dkms/mok\.(key|pub)$|etc/resolv\.conf$|tmp/|root/)' |
	while read -r f; do
		if [ -c "$f" ]; then
			echo "$f (deleted)"
		elif [ -f "$ROOT/$f" ] && [ ! -L "$f" ] && cmp -s "$ovl/upper/$f" "$ROOT/$f"; then
			:
		else
			echo "$f"
		fi
	done)
# Directories the packages made and did not remove.
left_dirs=$(cd "$ovl/upper" && find . -mindepth 1 -type d | sed 's|^\./||' |
	grep -vE '^(var/lib/dpkg|var/log|var/cache|var/lib/dkms$|tmp|root)' |
	while read -r d; do [ -d "$ROOT/$d" ] || echo "$d/"; done)
if [ -n "$left$left_dirs" ]; then
	res FAIL deb-purge "left behind: $(echo $left $left_dirs | cut -c1-300)"
elif ! grep -q '^INNER DONE' "$tmp/install.log"; then
	res FAIL deb-purge "did not run"
elif ! grep -q '^INNER FAIL deb-purge' "$tmp/install.log"; then
	res PASS deb-purge
fi
rm -rf "$ovl"
leg_end packaging
