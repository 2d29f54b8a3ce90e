// SPDX-License-Identifier: GPL-2.0
/* dcssctl mode: reload a device's segments shared or exclusive-writable. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "dcssctl.h"
#include "device.h"
#include "errors.h"
#include "names.h"
#include "sysfs.h"

static const char mode_usage[] =
"usage: dcssctl mode NAME shared|exclusive\n"
"\n"
"Reload every segment of device NAME in the given mode.  The device must\n"
"be unused (not mounted, not open).  Nothing happens when it is already\n"
"in that mode.  If z/VM refuses the new mode the driver removes the device.\n"
"\n"
"  -h, --help     show this help\n";

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
	if (!rc)
		rc = sysfs_write(path, shared ? "1\n" : "0\n");
	if (rc)
		dcss_explain(shared ? OP_SHARED : OP_EXCLUSIVE, name, -rc,
			     err, len);
	return rc;
}

int cmd_mode(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char name[DCSS_NAME_MAX + 1], msg[1024];
	bool shared;
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(mode_usage, stdout);
			return EXIT_OK;
		default:
			fputs(mode_usage, stderr);
			return EXIT_USAGE;
		}
	}
	rc = device_operands(argc, argv, 2, mode_usage, name);
	if (rc != EXIT_OK)
		return rc;
	if (!strcmp(argv[optind + 1], "shared")) {
		shared = true;
	} else if (!strcmp(argv[optind + 1], "exclusive")) {
		shared = false;
	} else {
		error("mode must be 'shared' or 'exclusive', not '%s'",
		      argv[optind + 1]);
		return EXIT_USAGE;
	}
	if (set_mode(name, shared, msg, sizeof(msg))) {
		error("%s", msg);
		return EXIT_FAILED;
	}
	return EXIT_OK;
}
