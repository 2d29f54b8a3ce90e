#!/bin/bash
# The host tools: every command the host-side scripts (tests/, .ci/run,
# the Makefiles) run outside the build root, with the Debian package that
# provides it, and the packages dcssctl's host tests build with
# (tools/DEPENDS).  Installed here when missing, with apt-get.
#
#   tests/env/setup-host.sh           install what make check/demo need
#   tests/env/setup-host.sh bench     also what make bench needs
#   tests/env/setup-host.sh --verify [bench]
#                                     print every listed tool that is
#                                     missing; exit 1 if any
# Sourced (by tests/host-tools.sh), it only defines the lists.
#
# Commands of Essential packages (coreutils, grep, sed, findutils, dpkg,
# util-linux, ...) need no entry: Debian installs them everywhere.
# tests/host-tools.sh checks that the scripts call nothing else that is
# not listed here, and that these packages give these commands in a
# minbase Debian 12 root with only gcc, make and git added.
HOST_TOOLS="debootstrap:debootstrap qemu-system-x86_64:qemu-system-x86
	cpio:cpio xz:xz-utils zstd:zstd mke2fs:e2fsprogs curl:curl
	awk:mawk readelf:binutils mount:mount umount:mount make:make cc:gcc
	pkg-config:pkg-config jq:jq git:git apt-get:apt"
# make bench draws its plots with gnuplot; its sharing section counts
# the host page cache of image files with fincore.
BENCH_TOOLS="gnuplot:gnuplot-nox fincore:util-linux-extra"

# host_tools [bench]: install what is missing.
host_tools() {
	local need="" entry pkg list=$HOST_TOOLS
	[ "${1:-}" = bench ] && list="$list $BENCH_TOOLS"
	for entry in $list; do
		command -v "${entry%%:*}" >/dev/null || need="$need ${entry#*:}"
	done
	# dcssctl's host tests build and run here, outside the root.
	for pkg in $(grep -v '^#' "$TOP/tools/DEPENDS"); do
		case " $need " in *" $pkg "*) continue ;; esac
		dpkg -s "$pkg" >/dev/null 2>&1 || need="$need $pkg"
	done
	[ -z "$need" ] && return 0
	log "installing host tools:$need"
	retry apt-get update -q || return 1
	DEBIAN_FRONTEND=noninteractive retry apt-get install -y -q \
		--no-install-recommends $need
}

# host_tools_verify [bench]: what is still missing after host_tools.
host_tools_verify() {
	local entry pkg list=$HOST_TOOLS missing=0
	[ "${1:-}" = bench ] && list="$list $BENCH_TOOLS"
	for entry in $list; do
		command -v "${entry%%:*}" >/dev/null && continue
		echo "missing command ${entry%%:*} (package ${entry#*:})"
		missing=1
	done
	for pkg in $(grep -v '^#' "$TOP/tools/DEPENDS"); do
		dpkg -s "$pkg" >/dev/null 2>&1 && continue
		echo "missing package $pkg (tools/DEPENDS)"
		missing=1
	done
	return $missing
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -euo pipefail
	. "$(dirname "$0")/common.sh"
	if [ "${1:-}" = --verify ]; then
		shift
		host_tools_verify "$@"
	else
		host_tools "$@"
	fi
fi
