// SPDX-License-Identifier: GPL-2.0
/* dcssctl remove: remove a device, unloading its segments. */
#include <getopt.h>
#include <stdio.h>

#include "dcssctl.h"
#include "errors.h"
#include "names.h"
#include "sysfs.h"

static const char remove_usage[] =
"usage: dcssctl remove NAME\n"
"\n"
"Remove device NAME and unload its segments.  A pending save is done\n"
"first by the driver.  Fails while the device is mounted or open.\n"
"\n"
"  -h, --help     show this help\n";

int cmd_remove(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char name[DCSS_NAME_MAX + 2], path[4096], msg[1024];
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(remove_usage, stdout);
			return EXIT_OK;
		default:
			fputs(remove_usage, stderr);
			return EXIT_USAGE;
		}
	}
	rc = device_operands(argc, argv, 1, remove_usage, name);
	if (rc != EXIT_OK)
		return rc;
	/* the driver is the judge of existence: it answers ENODEV */
	rc = dcss_path(path, sizeof(path), DCSS_CTL_DIR "/remove");
	if (!rc && !path_exists(path)) {
		error("no device %s (the dcssdax module is not loaded)", name);
		return EXIT_FAILED;
	}
	if (!rc) {
		snprintf(msg, sizeof(msg), "%s\n", name);
		rc = sysfs_write(path, msg);
	}
	if (rc) {
		dcss_explain(OP_REMOVE, name, -rc, msg, sizeof(msg));
		error("%s", msg);
		return EXIT_FAILED;
	}
	return EXIT_OK;
}
