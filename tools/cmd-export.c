// SPDX-License-Identifier: GPL-2.0
/*
 * dcssctl export: the running devices in the configuration file's format
 * (dcssdax.conf(5)), as chzdev --export writes its own: what apply reads
 * back to the same devices, access modes and dax modes.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dcssctl.h"
#include "device.h"
#include "errors.h"
#include "names.h"
#include "sysfs.h"

static const char export_usage[] =
"usage: dcssctl export [FILE]\n"
"\n"
"Write every dcssdax device as a line of the configuration file\n"
"(dcssdax.conf(5)): NAME[:NAME...] shared|exclusive fsdax|devdax.\n"
"'dcssctl apply FILE' makes the same devices again, e.g. at boot with\n"
"FILE " DEFAULT_CONFIG ".  Without FILE, or with -, to standard output;\n"
"a FILE is replaced as a whole, never left half written.\n"
"\n"
"  -h, --help     show this help\n";

static int export_devices(FILE *f)
{
	struct dcss_device d;
	char **names;
	int nr, i, j, rc = 0;

	nr = device_list(&names);
	if (nr < 0) {
		error("cannot read %s: %s", DCSS_CTL_DIR, strerror(-nr));
		return -1;
	}
	fprintf(f, "# dcssdax devices, written by dcssctl export; read by\n"
		   "# dcssctl apply (dcssdax-apply.service at boot).  See dcssdax.conf(5).\n");
	for (i = 0; i < nr; i++) {
		rc = device_load(names[i], &d);
		if (rc == -ENODEV)	/* removed meanwhile */
			continue;
		if (rc) {
			error("device %s: cannot read its sysfs attributes: %s",
			      names[i], strerror(-rc));
			break;
		}
		for (j = 0; j < d.nr_segments; j++)
			fprintf(f, "%s%s", j ? ":" : "", d.seg[j].name);
		fprintf(f, " %s %s\n", d.shared ? "shared" : "exclusive",
			d.devdax ? "devdax" : "fsdax");
	}
	device_list_free(names, nr);
	if (rc && rc != -ENODEV)
		return -1;
	return 0;
}

int cmd_export(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char tmp[4096];
	const char *file;
	int c, fd;
	FILE *f;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(export_usage, stdout);
			return EXIT_OK;
		default:
			fputs(export_usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind > 1) {
		operands_error(argc, argv, 1, export_usage);
		return EXIT_USAGE;
	}
	file = optind < argc ? argv[optind] : "-";
	if (!strcmp(file, "-"))
		return export_devices(stdout) || fflush(stdout) ?
			EXIT_FAILED : EXIT_OK;
	/* beside FILE, so that the rename replaces it atomically */
	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", file) >= (int)sizeof(tmp)) {
		error("file name too long: %s", file);
		return EXIT_USAGE;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		error("cannot create a file beside %s: %s", file,
		      strerror(errno));
		return EXIT_FAILED;
	}
	f = fdopen(fd, "w");
	if (!f) {
		error("cannot write %s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return EXIT_FAILED;
	}
	/* a configuration file is world-readable, as /etc's are */
	if (export_devices(f)) {
		fclose(f);
		unlink(tmp);
		return EXIT_FAILED;
	}
	if (fchmod(fd, 0644) || fflush(f) || fsync(fd)) {
		error("cannot write %s: %s", file, strerror(errno));
		fclose(f);
		unlink(tmp);
		return EXIT_FAILED;
	}
	if (fclose(f) || rename(tmp, file)) {
		error("cannot write %s: %s", file, strerror(errno));
		unlink(tmp);
		return EXIT_FAILED;
	}
	return EXIT_OK;
}
