# Waiting in the guest, for what comes a moment later: a background job
# getting ready, a virtio serial port the host talks through (the results
# port, the share suite's control port).  Sourced by lib.sh, the guest's
# init and the boot test's check-boot; POSIX sh, for busybox.
#
# The ports come after the device: virtio_console's probe only tells the
# host it is ready, the host then adds each port (vportNpM appears in
# sysfs) and names it (the port's name attribute appears), each step
# handled by a work item.  Nothing makes the kernel wait for that before
# it runs /init, so a guest on a loaded host can look before the port or
# its name is there (the share suite's third guest did, reporting
# nothing at all).  Hence: poll for the name, for a bounded time.

# wait_until SECONDS CMD...: run CMD every 0.1 s until it succeeds; false
# once SECONDS have passed (0: one try).  For a background job to get
# ready: the check after it says what is wrong if it never did.  By the
# clock, not by counting tries: on the debug kernel under TCG one try of
# a CMD that forks can take seconds, and a count made "10 s" minutes.
wait_until() {
	local now end
	now=$(uptime_cs)
	end=$((now + $1 * 100))
	shift
	until "$@"; do
		now=$(uptime_cs)
		[ "$now" -lt "$end" ] || return 1
		sleep 0.1
	done
}

# uptime_cs: centiseconds since boot (/proc/uptime has two decimals).
uptime_cs() {
	local up rest
	read -r up rest </proc/uptime
	# "1" in front: no leading 0 to read as octal.
	echo $((${up%.*} * 100 + 1${up#*.} - 100))
}

# VIRTIO_PORTS: where the ports are (the host's self-test gives its own).
VIRTIO_PORTS=${VIRTIO_PORTS:-/sys/class/virtio-ports}

# port_named NAME: print /dev/vportNpM of the port named NAME, if there.
port_named() {
	local p
	for p in "$VIRTIO_PORTS"/*; do
		[ "$(cat "$p/name" 2>/dev/null)" = "$1" ] || continue
		echo "/dev/${p##*/}"
		return 0
	done
	return 1
}

# virtio_port NAME [SECONDS]: print /dev/vportNpM of the port named NAME,
# once it is there (at most SECONDS, default 60); false if it never came.
virtio_port() { wait_until "${2:-60}" port_named "$1"; }
