// SPDX-License-Identifier: GPL-2.0
/* dcssctl save: write a device's contents back to its segments in z/VM. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>

#include "cp.h"
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
"which.  SN and EN segments are skipped by the driver.  CP's spool file\n"
"of each segment (QUERY NSS, through /dev/vmcp) before and after the\n"
"save tells whether CP saved it; without vmcp, that cannot be known.\n"
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
	struct cp_save_check sc;
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
	if (!rc && cancel && !sysfs_read_bool(path, &pending) && !pending) {
		printf("%s: no save pending; nothing to cancel\n", name);
		return EXIT_OK;
	}
	if (!rc && !cancel)
		cp_save_before(name, &sc);
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
		cp_save_deferred(name, &sc);
	else
		return cp_save_after(name, &sc);
	return EXIT_OK;
}
