// SPDX-License-Identifier: GPL-2.0
/* dcssctl remove: remove a device, unloading its segments. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dcssctl.h"
#include "device.h"
#include "errors.h"
#include "mounts.h"
#include "names.h"
#include "sysfs.h"
#include "wait.h"

static const char remove_usage[] =
"usage: dcssctl remove [--timeout=SEC] NAME\n"
"\n"
"Remove device NAME and unload its segments.  A pending save is done\n"
"first by the driver.  With udev running, its events are waited for\n"
"first, since its probe of a new device holds it open for a moment.\n"
"Fails while the device is mounted or open, naming who holds it.\n"
"\n"
"  -w, --timeout=SEC    wait at most SEC seconds for udev (default 60)\n"
"  -h, --help           show this help\n";

static bool mounted(const char *name)
{
	struct dcss_device d;
	char targets[16];

	return !device_load(name, &d) && d.dev[0] &&
	       mounts_targets(&d, targets, sizeof(targets)) > 0;
}

/*
 * udev may have opened the device after the queue looked empty (an event
 * still in the netlink socket, or a change event after a writer closed
 * it): EBUSY is retried for a moment then, never for a mounted device.
 */
static int write_remove(const char *path, const char *name, bool udev)
{
	char val[DCSS_NAME_MAX + 3];
	int rc, waited;

	snprintf(val, sizeof(val), "%s\n", name);
	for (waited = 0;; waited += 50) {
		rc = sysfs_write(path, val);
		if (rc != -EBUSY || waited >= UDEV_PROBE_MS || !udev ||
		    mounted(name))
			return rc;
		usleep(50 * 1000);
	}
}

int cmd_remove(int argc, char **argv)
{
	char name[DCSS_NAME_MAX + 2], path[4096], msg[1024];
	int rc, timeout_s = DEFAULT_TIMEOUT_S;
	bool udev, settled;
	size_t n;

	rc = parse_wait_options(argc, argv, remove_usage, &timeout_s);
	if (rc >= 0)
		return rc;
	rc = device_operands(argc, argv, 1, remove_usage, name);
	if (rc != EXIT_OK)
		return rc;
	/* the driver is the judge of existence: it answers ENODEV */
	rc = dcss_path(path, sizeof(path), DCSS_CTL_DIR "/remove");
	if (!rc && !path_exists(path)) {
		no_device(name, msg, sizeof(msg));
		error("%s", msg);
		return EXIT_FAILED;
	}
	/* asked once: each connection to udevd's socket costs it one */
	udev = udev_running();
	settled = !udev || !device_exists(name) ||
		  !udev_settle(timeout_s * 1000);
	if (!rc)
		rc = write_remove(path, name, udev);
	if (rc) {
		dcss_explain(OP_REMOVE, name, -rc, msg, sizeof(msg));
		n = strlen(msg);
		if (rc == -EBUSY && !settled)
			snprintf(msg + n, sizeof(msg) - n,
				 " (udev was still busy with events after %d s)",
				 timeout_s);
		error("%s", msg);
		return EXIT_FAILED;
	}
	return EXIT_OK;
}
