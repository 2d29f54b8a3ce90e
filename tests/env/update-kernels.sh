#!/bin/bash
# make update-kernels: move the pins of tests/env/kernels.txt to the
# newest kernels the archive has (amd64: trixie-backports'
# linux-image-amd64; s390x: the newest 7.x whose three s390x packages
# are in the pool), for one commit of that file.  Installs nothing: the
# next make check installs the new pins.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

MIRROR=${DCSSDAX_MIRROR:-http://deb.debian.org/debian}
file=$here/kernels.txt
root_apt update || true

# amd64: what trixie-backports' metapackage depends on.
ver=$(inroot apt-cache -t trixie-backports policy linux-image-amd64 |
	awk '/Candidate:/ {print $2}')
abi=$(inroot apt-cache show "linux-image-amd64=$ver" |
	sed -n 's/^Depends: .*linux-image-\([0-9][^ ,]*\)-amd64.*/\1/p' | head -n 1)
[ -n "$ver" ] && [ -n "$abi" ] || { log "no amd64 kernel in trixie-backports"; exit 1; }
amd64="amd64 $abi $ver"

# s390x: the newest version (from the amd64 index's kbuild packages)
# whose s390x packages the pool has.
s390x=
for v in $(inroot apt-cache pkgnames linux-kbuild- |
	   grep -E '^linux-kbuild-7\.[0-9.]+\+deb13$' | sed 's/^linux-kbuild-//' | sort -rV); do
	d=$(inroot apt-cache show "linux-kbuild-$v" | awk '/^Version:/ {print $2; exit}')
	ok=1
	for p in binary modules headers; do
		curl -fsSI -o /dev/null "$MIRROR/pool/main/l/linux/linux-$p-$v-s390x_${d}_s390x.deb" 2>/dev/null || ok=
	done
	[ -n "$ok" ] && { s390x="s390x $v $d"; break; }
done
[ -n "$s390x" ] || { log "no complete s390x 7.x kernel in the pool"; exit 1; }

old_amd64=$(grep '^amd64 ' "$file") old_s390x=$(grep '^s390x ' "$file")
sed -i -e "s/^amd64 .*/$amd64/" -e "s/^s390x .*/$s390x/" "$file"
if [ "$old_amd64" = "$amd64" ] && [ "$old_s390x" = "$s390x" ]; then
	log "the pins are the newest: $amd64, $s390x"
else
	log "pins moved: '$old_amd64' -> '$amd64', '$old_s390x' -> '$s390x'"
	log "commit tests/env/kernels.txt (make check installs the new kernels)"
fi
