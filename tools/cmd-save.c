// SPDX-License-Identifier: GPL-2.0
/* dcssctl save: write a device's contents back to its segments in z/VM. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>

#include "dcssctl.h"
#include "device.h"
#include "errors.h"
#include "names.h"
#include "sysfs.h"

static const char save_usage[] =
"usage: dcssctl save [--cancel] NAME\n"
"\n"
"Save device NAME's contents to its segments in z/VM (SAVESEG).  If the\n"
"device is in use, the save happens when it is last closed; dcssctl says\n"
"which.  SN and EN segments are skipped by the driver.\n"
"\n"
"  -c, --cancel   cancel a pending save instead\n"
"  -h, --help     show this help\n";

int cmd_save(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "cancel", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char name[DCSS_NAME_MAX + 1], path[4096], msg[1024];
	bool cancel = false, pending;
	int c, rc;

	while ((c = getopt_long(argc, argv, "ch", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			cancel = true;
			break;
		case 'h':
			fputs(save_usage, stdout);
			return EXIT_OK;
		default:
			fputs(save_usage, stderr);
			return EXIT_USAGE;
		}
	}
	rc = device_operands(argc, argv, 1, save_usage, name);
	if (rc != EXIT_OK)
		return rc;
	rc = dcss_path(path, sizeof(path), DCSS_CTL_DIR "/%s/save", name);
	if (!rc && !device_exists(name))
		rc = -ENODEV;
	if (!rc)
		rc = sysfs_write(path, cancel ? "0\n" : "1\n");
	if (rc) {
		dcss_explain(cancel ? OP_CANCEL : OP_SAVE, name, -rc, msg,
			     sizeof(msg));
		error("%s", msg);
		return EXIT_FAILED;
	}
	/* the driver saves at once when idle; otherwise it stays pending */
	if (sysfs_read_bool(path, &pending))
		pending = false;
	if (cancel)
		printf("%s: pending save cancelled\n", name);
	else if (pending)
		printf("%s: in use; the save will happen when it is last closed\n",
		       name);
	else
		printf("%s: saved\n", name);
	return EXIT_OK;
}
