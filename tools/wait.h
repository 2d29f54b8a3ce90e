/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DCSSCTL_WAIT_H
#define DCSSCTL_WAIT_H

#include <stdbool.h>

struct udev_monitor;

struct dev_waiter {
	struct udev *udev;
	struct udev_monitor *mon;	/* NULL: no udev, poll for the node */
};

/*
 * How long EBUSY right after udev touched a device is taken for udev's
 * probe, which opens the disk for a moment, and retried.
 */
#define UDEV_PROBE_MS	2000

bool udev_running(void);
int udev_settle(int timeout_ms);
int waiter_start(struct dev_waiter *w);
int waiter_wait(struct dev_waiter *w, const char *name, int timeout_ms,
		bool *have_symlink);
void waiter_stop(struct dev_waiter *w);

#endif
