// SPDX-License-Identifier: GPL-2.0
/*
 * dcssctl mode: reload a device's segments shared or exclusive-writable,
 * or switch it between fsdax (a block device) and devdax (/dev/daxN.0).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "daxinfo.h"
#include "dcssctl.h"
#include "device.h"
#include "errors.h"
#include "names.h"
#include "sysfs.h"
#include "wait.h"

static const char mode_usage[] =
"usage: dcssctl mode [--timeout=SECONDS] NAME shared|exclusive|fsdax|devdax\n"
"\n"
"shared, exclusive: reload every segment of device NAME in that access\n"
"mode.  If z/VM refuses the new mode the driver removes the device.\n"
"fsdax, devdax: switch device NAME to a block device (/dev/dcssdaxN) or\n"
"to a dax region with /dev/daxN.0, keeping the segments loaded and their\n"
"content, and wait until the new node exists.\n"
"The device must be unused (not mounted, open or mapped).  Nothing\n"
"happens when it is already in that mode.\n"
"\n"
"  -w, --timeout=SEC    wait at most SEC seconds for the new node (default 60)\n"
"  -h, --help           show this help\n";

/*
 * Return: 0 or -errno, with @err set.  Writing the current mode is skipped
 * because the driver refuses any write while the device is open, even one
 * that changes nothing.
 */
int set_mode(const char *name, bool shared, char *err, size_t len)
{
	char path[4096];
	bool cur;
	int rc;

	rc = dcss_path(path, sizeof(path), DCSS_CTL_DIR "/%s/shared", name);
	if (!rc && !device_exists(name))
		rc = -ENODEV;
	if (!rc)
		rc = sysfs_read_bool(path, &cur);
	if (!rc && cur == shared)
		return 0;
	if (!rc) {
		kmsg_mark();	/* the driver logs which segment is held */
		rc = sysfs_write(path, shared ? "1\n" : "0\n");
	}
	if (rc)
		dcss_explain(shared ? OP_SHARED : OP_EXCLUSIVE, name, -rc,
			     err, len);
	return rc;
}

/*
 * set_dax_mode - switch device @name to devdax or fsdax mode and wait
 * for its new node: /dev/daxN.0 as libdaxctl reports it, or the block
 * device as add waits for it (udev's event where udev runs).
 *
 * Return: 0 or -errno, with @err set.  As for set_mode(), the current
 * mode is not written again.
 */
int set_dax_mode(const char *name, bool devdax, int timeout_s,
			char *err, size_t len)
{
	char path[4096], cur[16];
	struct dcss_devdax dd;
	struct dev_waiter w;
	bool have_link;
	int rc;

	rc = dcss_path(path, sizeof(path), DCSS_CTL_DIR "/%s/mode", name);
	if (!rc && !device_exists(name))
		rc = -ENODEV;
	if (rc) {
		dcss_explain(devdax ? OP_DEVDAX : OP_FSDAX, name, -rc, err, len);
		return rc;
	}
	if (sysfs_read(path, cur, sizeof(cur))) {
		snprintf(err, len,
			 "this dcssdax module has no devdax mode (no %.900s)",
			 path);
		return -ENOENT;
	}
	if (!strcmp(cur, devdax ? "devdax" : "fsdax"))
		return 0;
	rc = devdax ? 0 : waiter_start(&w);
	if (rc) {
		snprintf(err, len, "cannot watch for udev events: %s",
			 strerror(-rc));
		return rc;
	}
	kmsg_mark();
	rc = sysfs_write(path, devdax ? "devdax\n" : "fsdax\n");
	if (rc) {
		if (!devdax)
			waiter_stop(&w);
		dcss_explain(devdax ? OP_DEVDAX : OP_FSDAX, name, -rc, err, len);
		return rc;
	}
	if (devdax)
		return devdax_wait(name, timeout_s * 1000, &dd, err, len);
	rc = waiter_wait(&w, name, timeout_s * 1000, &have_link);
	waiter_stop(&w);
	if (rc == -ETIMEDOUT)
		snprintf(err, len,
			 "device %s was switched to fsdax mode but its block device did not appear within %d s",
			 name, timeout_s);
	else if (rc)
		snprintf(err, len,
			 "device %s disappeared right after it was switched to fsdax mode",
			 name);
	return rc;
}

int cmd_mode(int argc, char **argv)
{
	char name[DCSS_NAME_MAX + 1], msg[1024];
	int rc, timeout_s = DEFAULT_TIMEOUT_S;
	const char *word;

	rc = parse_wait_options(argc, argv, mode_usage, &timeout_s);
	if (rc >= 0)
		return rc;
	rc = device_operands(argc, argv, 2, mode_usage, name);
	if (rc != EXIT_OK)
		return rc;
	word = argv[optind + 1];
	if (!strcmp(word, "shared") || !strcmp(word, "exclusive")) {
		rc = set_mode(name, word[0] == 's', msg, sizeof(msg));
	} else if (!strcmp(word, "fsdax") || !strcmp(word, "devdax")) {
		rc = set_dax_mode(name, word[0] == 'd', timeout_s, msg,
				  sizeof(msg));
	} else {
		error("mode must be 'shared', 'exclusive', 'fsdax' or 'devdax', not '%s'",
		      word);
		return EXIT_USAGE;
	}
	if (rc) {
		error("%s", msg);
		return EXIT_FAILED;
	}
	return EXIT_OK;
}
