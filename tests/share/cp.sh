# The emulation's CP: what z/VM keeps of a segment, as host files, and the
# saves it performs (see MODEL.md).  Sourced by tests/share/run.sh.
#
# $CPDIR/SEG/vN is version N of segment SEG's memory (v0: never saved,
# zeroes); $CPDIR/SEG/current names the version that a guest booting now
# loads.  A guest with an exclusive (private) copy gets
# $CPDIR/SEG/private-GUEST, copied from the current version when it boots.

# cp_define SEG SIZE: a segment that has never been saved.
cp_define() {
	mkdir -p "$CPDIR/$1"
	rm -f "$CPDIR/$1"/*
	truncate -s "$2" "$CPDIR/$1/v0"
	ln -sfn v0 "$CPDIR/$1/current"
}

# cp_current SEG: the path of the current version's file.
cp_current() { echo "$CPDIR/$1/$(readlink "$CPDIR/$1/current")"; }

# cp_private SEG GUEST: GUEST's private copy of the current version.
cp_private() {
	local copy=$CPDIR/$1/private-$2
	cp --sparse=always "$(cp_current "$1")" "$copy" && echo "$copy"
}

# cp_save SEG GUEST: GUEST's private copy becomes the next version; guests
# that booted with the old one keep it (their QEMU holds the old file).
cp_save() {
	local cur n
	cur=$(readlink "$CPDIR/$1/current")
	n=$(( ${cur#v} + 1 ))
	cp --sparse=always "$CPDIR/$1/private-$2" "$CPDIR/$1/v$n.new" &&
		mv "$CPDIR/$1/v$n.new" "$CPDIR/$1/v$n" &&
		ln -sfn "v$n" "$CPDIR/$1/current.new" &&
		mv -T "$CPDIR/$1/current.new" "$CPDIR/$1/current"
}
