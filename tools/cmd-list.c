// SPDX-License-Identifier: GPL-2.0
/* dcssctl list: JSON for scripts (ndctl style), -t a table (lsblk style). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcssctl.h"
#include "device.h"
#include "errors.h"
#include "json.h"
#include "list-table.h"
#include "sysfs.h"

static const char list_usage[] =
"usage: dcssctl list [-v] [-u|--human] [NAME...]\n"
"       dcssctl list -t [-o COLUMNS] [-n] [-r|-J] [-b] [-w WIDTH] [NAME...]\n"
"       dcssctl list --cp [-u] [NAME...]   (the segments CP has: --cp --help)\n"
"\n"
"Show dcssdax devices, all or the NAMEs given, as a JSON array, or with\n"
"-t (or any of -o -n -r -J -b -w) as a table like lsblk's.\n"
"Nothing is printed when there are no devices, but for -J.\n"
"\n"
"  -v, --verbose      also show each device's devno and sysfs directory\n"
"  -u, --human        sizes as \"64.00 MiB (67.11 MB)\", addresses as hex\n"
"  -t, --table        a table, drawn by libsmartcols as lsblk's\n"
"  -o, --output LIST  the table's columns, comma-separated; +LIST adds\n"
"                     them to the default ones\n"
"  -n, --noheadings   no headings line\n"
"  -r, --raw          raw table: one blank between cells, no padding\n"
"  -J, --json         the table as JSON (lsblk -J), not ndctl's JSON\n"
"  -b, --bytes        SIZE and MEMMAP in bytes\n"
"  -w, --width WIDTH  fit the table into WIDTH characters (default: the\n"
"                     terminal's width, when printing to one)\n"
"  -h, --help         show this help\n";

/* The options that only the table has: each of them asks for it. */
#define TABLE_OPTS	"onrJbw"

static int parse_width(const char *arg, size_t *width)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v <= 0 || v > 10000) {
		error("invalid width '%s' (characters, 1-10000)", arg);
		return -1;
	}
	*width = v;
	return 0;
}

int cmd_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ "human", no_argument, NULL, 'u' },
		{ "table", no_argument, NULL, 't' },
		{ "output", required_argument, NULL, 'o' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "raw", no_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'J' },
		{ "bytes", no_argument, NULL, 'b' },
		{ "width", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char **names = NULL, name[DCSS_NAME_MAX + 1], msg[512];
	struct json_object *arr;
	struct list_table *table = NULL;
	const char *columns = NULL;
	struct dcss_device d;
	unsigned int flags = 0, tflags = 0;
	bool table_mode = false;
	size_t width = 0;
	int c, i, nr, rc = EXIT_OK, shown = 0;

	/* --cp: CP's segments, not devices (cmd-info.c) */
	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "--cp")) {
			memmove(&argv[i], &argv[i + 1],
				(argc - i) * sizeof(*argv));
			return cmd_list_cp(argc - 1, argv);
		}
	}
	while ((c = getopt_long(argc, argv, "vutho:nrJbw:", opts, NULL)) != -1) {
		if (c != '?' && strchr(TABLE_OPTS, c))
			table_mode = true;
		switch (c) {
		case 'v':
			flags |= JSON_VERBOSE;
			break;
		case 'u':
			flags |= JSON_HUMAN;
			break;
		case 't':
			table_mode = true;
			break;
		case 'o':
			columns = optarg;
			break;
		case 'n':
			tflags |= TABLE_NOHEADINGS;
			break;
		case 'r':
			tflags |= TABLE_RAW;
			break;
		case 'J':
			tflags |= TABLE_JSON;
			break;
		case 'b':
			tflags |= TABLE_BYTES;
			break;
		case 'w':
			if (parse_width(optarg, &width))
				return EXIT_USAGE;
			break;
		case 'h':
			fputs(list_usage, stdout);
			list_table_columns_help(stdout);
			return EXIT_OK;
		default:
			fputs(list_usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (table_mode && flags) {
		error("-v and -u are for the JSON of ndctl's style; "
		      "the table has columns instead (-o)");
		return EXIT_USAGE;
	}
	if ((tflags & TABLE_RAW) && (tflags & TABLE_JSON)) {
		error("-r and -J cannot be combined");
		return EXIT_USAGE;
	}
	/* check every NAME before looking at any device */
	for (i = optind; i < argc; i++) {
		if (name_parse(argv[i], name, msg, sizeof(msg))) {
			error("%s", msg);
			return EXIT_USAGE;
		}
	}
	if (table_mode) {
		table = list_table_new(columns, tflags, width, msg, sizeof(msg));
		if (!table) {
			error("%s", msg);
			return EXIT_USAGE;
		}
	}

	if (optind < argc) {
		nr = argc - optind;
		names = calloc(nr, sizeof(*names));
		if (!names) {
			list_table_free(table);
			return EXIT_FAILED;
		}
		for (i = 0; i < nr; i++) {
			name_parse(argv[optind + i], name, msg, sizeof(msg));
			names[i] = strdup(name);
		}
	} else {
		nr = device_list(&names);
		if (nr < 0) {
			error("cannot read %s: %s", DCSS_CTL_DIR,
			      strerror(-nr));
			list_table_free(table);
			return EXIT_FAILED;
		}
	}

	arr = json_object_new_array();
	for (i = 0; i < nr; i++) {
		int err = names[i] ? device_load(names[i], &d) : -ENOMEM;

		if (err == -ENODEV) {
			no_device(names[i], msg, sizeof(msg));
			error("%s", msg);
			rc = EXIT_FAILED;
			continue;
		}
		if (err) {
			error("device %s: cannot read its sysfs attributes: %s",
			      names[i] ? names[i] : "?", strerror(-err));
			rc = EXIT_FAILED;
			continue;
		}
		if (table && list_table_add(table, &d)) {
			error("device %s: cannot add it to the table: %s",
			      names[i], strerror(ENOMEM));
			rc = EXIT_FAILED;
			continue;
		}
		if (!table)
			json_object_array_add(arr, device_to_json(&d, flags));
		shown++;
	}
	/*
	 * Like ndctl: no devices, no output.  JSON from the table stays
	 * JSON, an empty array, so that a script can always parse it.
	 */
	if (table && (shown || (tflags & TABLE_JSON)) &&
	    list_table_print(table)) {
		error("cannot print the table: %s", strerror(errno));
		rc = EXIT_FAILED;
	} else if (!table && shown) {
		json_print(stdout, arr);
	}
	list_table_free(table);
	json_object_put(arr);
	device_list_free(names, nr);
	return rc;
}
