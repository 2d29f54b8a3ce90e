# Shared by the packaging scripts (sourced): tests/env/common.sh's build
# root helpers, the package version, and a throw-away view of the root.
. "$(dirname "${BASH_SOURCE[0]}")/../tests/env/common.sh"

# The upstream version: dkms.conf's, which debian/changelog and
# packaging/dcssdax.spec repeat (tests/packaging.sh checks they agree).
VERSION=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$TOP/drivers/dcssdax/dkms.conf")

# The packaging tools in the build root.  root_apt only when one is
# missing: the root is shared and apt is slow.  (CI starts from a root
# without them.)
PKG_TOOLS="debhelper dh-dkms dkms lintian rpm fakeroot dpkg-dev build-essential"
pkg_tools() {
	local missing
	# dpkg-query fails for a package it has never heard of, which is
	# what a fresh root says: with pipefail that must not end the script.
	missing=$(inroot dpkg-query -W -f '${db:Status-Abbrev} ${Package}\n' $PKG_TOOLS 2>&1 |
		awk '$1 != "ii" {print}') || true
	[ -z "$missing" ] && return 0
	log "installing packaging tools in the build root: $PKG_TOOLS"
	root_apt update || true
	retry root_apt install --no-install-recommends $PKG_TOOLS
}

# inoverlay DIR CMD...: run CMD like inroot, but in a copy-on-write view
# of the build root whose changes go to DIR/upper and nowhere else, for
# steps that install into the root (dkms install, dpkg -i): the shared
# root stays as it was.  DIR is emptied first.  The view is mounted over
# the root itself, in mount_ns's namespace: where / is no mount point (a
# chroot, as in a minbase root) only the root is made a private mount,
# and a mount anywhere else would show in the caller's namespace too.
inoverlay() {
	local dir=$1
	shift
	rm -rf "$dir"
	mkdir -p "$dir/upper" "$dir/work"
	mount_ns "$ROOT" bash -c '
		. "$0"
		dir=$1
		shift
		mount -t overlay overlay \
			-o "lowerdir=$ROOT,upperdir=$dir/upper,workdir=$dir/work" "$ROOT" || exit 1
		inroot "$@"' "$TOP/tests/env/common.sh" "$dir" "$@"
}

# copy_tree DEST PATH...: the files under PATHs (relative to the top)
# that git knows, committed or not but not ignored, into DEST; without
# git (a tarball), every file but build droppings.
copy_tree() {
	local dest=$1
	shift
	if git -C "$TOP" rev-parse --git-dir >/dev/null 2>&1; then
		(cd "$TOP" && git ls-files -z -c -o --exclude-standard -- "$@" |
			xargs -0 -r sh -c 'for f; do [ -e "$f" ] && echo "$f"; done' sh |
			cpio -pdm --quiet "$dest")
	else
		(cd "$TOP" && find "$@" -type f ! -name '*.o' ! -name '*.ko' \
			! -name '*.so' ! -name '.*.cmd' ! -name '*.mod*' \
			! -path tools/dcssctl ! -path tools/tests/udevsock |
			cpio -pdm --quiet "$dest")
	fi
}
