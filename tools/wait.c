// SPDX-License-Identifier: GPL-2.0
/*
 * Waiting for a new device to be usable.  With udev running, "usable"
 * means udev has finished its add event (node permissions set, symlink
 * made, blkid probe done and the device closed again, so a following
 * mode change does not hit EBUSY); the monitor is set up before the
 * write to "add" so the event cannot be missed.  Without udev, devtmpfs
 * makes the node, and polling for it is all there is.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <libudev.h>

#include "device.h"
#include "sysfs.h"
#include "wait.h"

#define POLL_MS	20

/*
 * udevd listens on its control socket while it runs.  The socket file
 * outlives a udevd that exited (or was killed), so its existence is not
 * enough: waiting for events that nobody sends would end in a timeout
 * after a successful add.  Only a refused connection says "not running";
 * any other failure (EACCES for a user, say) leaves the answer "running".
 */
bool udev_running(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char path[4096];
	bool running;
	int fd;

	if (dcss_path(path, sizeof(path), "/run/udev/control") ||
	    !path_exists(path))
		return false;
	if (strlen(path) >= sizeof(sa.sun_path))
		return true;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return true;
	running = !connect(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
		  errno != ECONNREFUSED;
	close(fd);
	return running;
}

int waiter_start(struct dev_waiter *w)
{
	w->udev = NULL;
	w->mon = NULL;
	if (!udev_running())
		return 0;
	w->udev = udev_new();
	if (!w->udev)
		return -ENOMEM;
	w->mon = udev_monitor_new_from_netlink(w->udev, "udev");
	if (!w->mon ||
	    udev_monitor_filter_add_match_subsystem_devtype(w->mon, "block",
							    "disk") < 0 ||
	    udev_monitor_enable_receiving(w->mon) < 0) {
		/* fall back to polling rather than fail the add */
		waiter_stop(w);
	}
	return 0;
}

void waiter_stop(struct dev_waiter *w)
{
	if (w->mon)
		udev_monitor_unref(w->mon);
	if (w->udev)
		udev_unref(w->udev);
	w->mon = NULL;
	w->udev = NULL;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Drains queued events; true once udev has processed @dev's add. */
static bool saw_add_event(struct dev_waiter *w, const char *dev)
{
	struct udev_device *ud;
	bool seen = false;
	const char *action;

	while ((ud = udev_monitor_receive_device(w->mon))) {
		action = udev_device_get_action(ud);
		if (action && !strcmp(action, "add") &&
		    !strcmp(udev_device_get_sysname(ud), dev))
			seen = true;
		udev_device_unref(ud);
	}
	return seen;
}

/*
 * Return: 0 when /dev/dcssdaxN exists (and udev is done with it),
 * -ENODEV when the device vanished, -ETIMEDOUT.
 */
int waiter_wait(struct dev_waiter *w, const char *name, int timeout_ms,
		bool *have_symlink)
{
	long deadline = now_ms() + timeout_ms;
	struct dcss_device d;
	char node[4096], link[4096];
	bool udev_done = !w->mon;
	struct pollfd pfd;
	int rc, left;

	*have_symlink = false;
	if (dcss_path(link, sizeof(link), "/dev/dcssdax/%s", name))
		return -ENAMETOOLONG;
	for (;;) {
		rc = device_load(name, &d);
		if (rc == -ENODEV)
			return rc;
		if (!rc && d.dev[0] && !dcss_path(node, sizeof(node),
						  "/dev/%s", d.dev)) {
			if (w->mon && !udev_done)
				udev_done = saw_add_event(w, d.dev);
			*have_symlink = path_exists(link);
			if (path_exists(node) && (udev_done || *have_symlink))
				return 0;
		}
		left = deadline - now_ms();
		if (left <= 0)
			return -ETIMEDOUT;
		if (w->mon) {
			pfd.fd = udev_monitor_get_fd(w->mon);
			pfd.events = POLLIN;
			poll(&pfd, 1, left < 250 ? left : 250);
		} else {
			usleep((left < POLL_MS ? left : POLL_MS) * 1000);
		}
	}
}

/*
 * Before a remove: udevd keeps /run/udev/queue while it has events to
 * process (what udevadm settle waits for), and the probe of a new or
 * changed disk holds it open meanwhile.
 * Only for a running udev (udev_running()): a dead one leaves its queue
 * file behind.
 * Return: 0 once the queue is empty, -ETIMEDOUT.
 */
int udev_settle(int timeout_ms)
{
	long deadline = now_ms() + timeout_ms;
	char path[4096];

	if (dcss_path(path, sizeof(path), "/run/udev/queue"))
		return 0;
	while (path_exists(path)) {
		if (now_ms() >= deadline)
			return -ETIMEDOUT;
		usleep(POLL_MS * 1000);
	}
	return 0;
}
