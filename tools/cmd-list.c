// SPDX-License-Identifier: GPL-2.0
/* dcssctl list: JSON for scripts (ndctl style), -t a table for people. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daxinfo.h"
#include "dcssctl.h"
#include "device.h"
#include "errors.h"
#include "fsprobe.h"
#include "json.h"
#include "mounts.h"
#include "sysfs.h"

static const char list_usage[] =
"usage: dcssctl list [-v] [-u|--human] [-t|--table] [NAME...]\n"
"\n"
"Show dcssdax devices, all or the NAMEs given, as a JSON array.\n"
"Nothing is printed when there are no devices.\n"
"\n"
"  -v, --verbose  also show each device's devno and sysfs directory\n"
"  -u, --human    sizes as \"64.00 MiB (67.11 MB)\", addresses as hex\n"
"  -t, --table    a table: NAME DEV SIZE MODE RO DAX FSTYPE MOUNTPOINT\n"
"  -h, --help     show this help\n";

enum { COL_NAME, COL_DEV, COL_SIZE, COL_MODE, COL_RO, COL_DAX, COL_FSTYPE,
       COL_MNT, NR_COLS };

static const char * const col_head[NR_COLS] = {
	"NAME", "DEV", "SIZE", "MODE", "RO", "DAX", "FSTYPE", "MOUNTPOINT",
};

struct row {
	char *cell[NR_COLS];
};

struct table {
	struct row *rows;
	int nr;
};

static void table_add(struct table *t, const char *cells[NR_COLS])
{
	struct row *nr = realloc(t->rows, (t->nr + 1) * sizeof(*nr));
	int i;

	if (!nr)
		return;
	t->rows = nr;
	for (i = 0; i < NR_COLS; i++)
		nr[t->nr].cell[i] = strdup(cells[i] ? cells[i] : "");
	t->nr++;
}

static void table_add_device(struct table *t, const struct dcss_device *d)
{
	const char *c[NR_COLS] = { 0 };
	struct dcss_mount *m = NULL;
	char size[32], path[4096];
	struct dcss_fs fs;
	int nr, i;

	size_short(d->size, size, sizeof(size));
	c[COL_NAME] = d->name;
	c[COL_DEV] = d->dev[0] ? d->dev : "-";
	c[COL_SIZE] = size;
	c[COL_MODE] = d->shared ? "shared" : "exclusive";
	c[COL_RO] = d->ro ? "1" : "0";
	c[COL_DAX] = d->dax ? "1" : "0";
	if (d->dev[0] && !dcss_path(path, sizeof(path), "/dev/%s", d->dev) &&
	    fs_probe(path, &fs))
		c[COL_FSTYPE] = fs.type;
	nr = mounts_of(d, &m);
	c[COL_MNT] = nr > 0 ? m[0].target : "";
	table_add(t, c);
	/* further mount points on lines of their own, as lsblk does */
	for (i = 1; i < nr; i++) {
		const char *more[NR_COLS] = { 0 };

		more[COL_MNT] = m[i].target;
		table_add(t, more);
	}
	if (nr > 0)
		mounts_free(m, nr);
}

/* Padded columns, without trailing blanks when the last cells are empty. */
static void print_row(const int *w, char * const *cell)
{
	char line[4096];
	size_t off = 0;
	int i;

	for (i = 0; i < NR_COLS && off < sizeof(line); i++)
		off += snprintf(line + off, sizeof(line) - off, "%-*s ",
				i < NR_COLS - 1 ? w[i] : 0, cell[i]);
	if (off >= sizeof(line))
		off = sizeof(line) - 1;
	while (off > 0 && line[off - 1] == ' ')
		off--;
	line[off] = '\0';
	puts(line);
}

static void table_print(struct table *t)
{
	int w[NR_COLS], i, r, len;

	for (i = 0; i < NR_COLS; i++)
		w[i] = strlen(col_head[i]);
	for (r = 0; r < t->nr; r++)
		for (i = 0; i < NR_COLS; i++) {
			len = strlen(t->rows[r].cell[i]);
			if (len > w[i])
				w[i] = len;
		}
	print_row(w, (char **)col_head);
	for (r = 0; r < t->nr; r++) {
		print_row(w, t->rows[r].cell);
		for (i = 0; i < NR_COLS; i++)
			free(t->rows[r].cell[i]);
	}
	free(t->rows);
}

/*
 * device_to_json() and the device's dax mode: "fsdax", or "devdax" with
 * the region and character device as libdaxctl reports them.
 */
static struct json_object *list_json(const struct dcss_device *d,
				     unsigned int flags)
{
	struct json_object *obj = device_to_json(d, flags);
	struct dcss_devdax dd;

	json_object_object_add(obj, "dax_mode", json_object_new_string(
			       d->devdax ? "devdax" : "fsdax"));
	if (d->devdax && !devdax_find(d->name, &dd))
		json_object_object_add(obj, "devdax", devdax_to_json(&dd));
	return obj;
}

int cmd_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ "human", no_argument, NULL, 'u' },
		{ "table", no_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char **names = NULL, name[DCSS_NAME_MAX + 1], msg[512];
	struct json_object *arr;
	struct table table = { 0 };
	struct dcss_device d;
	unsigned int flags = 0;
	bool table_mode = false;
	int c, i, nr, rc = EXIT_OK, shown = 0;

	while ((c = getopt_long(argc, argv, "vuth", opts, NULL)) != -1) {
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
		case 'h':
			fputs(list_usage, stdout);
			return EXIT_OK;
		default:
			fputs(list_usage, stderr);
			return EXIT_USAGE;
		}
	}
	/* check every NAME before looking at any device */
	for (i = optind; i < argc; i++) {
		if (name_parse(argv[i], name, msg, sizeof(msg))) {
			error("%s", msg);
			return EXIT_USAGE;
		}
	}

	if (optind < argc) {
		nr = argc - optind;
		names = calloc(nr, sizeof(*names));
		if (!names)
			return EXIT_FAILED;
		for (i = 0; i < nr; i++) {
			name_parse(argv[optind + i], name, msg, sizeof(msg));
			names[i] = strdup(name);
		}
	} else {
		nr = device_list(&names);
		if (nr < 0) {
			error("cannot read %s: %s", DCSS_CTL_DIR,
			      strerror(-nr));
			return EXIT_FAILED;
		}
	}

	arr = json_object_new_array();
	for (i = 0; i < nr; i++) {
		int err = names[i] ? device_load(names[i], &d) : -ENOMEM;

		if (err == -ENODEV) {
			error("no device %s", names[i]);
			rc = EXIT_FAILED;
			continue;
		}
		if (err) {
			error("device %s: cannot read its sysfs attributes: %s",
			      names[i] ? names[i] : "?", strerror(-err));
			rc = EXIT_FAILED;
			continue;
		}
		if (table_mode)
			table_add_device(&table, &d);
		else
			json_object_array_add(arr, list_json(&d, flags));
		shown++;
	}
	/* like ndctl: no devices, no output */
	if (shown && table_mode)
		table_print(&table);
	else if (shown)
		json_print(stdout, arr);
	json_object_put(arr);
	device_list_free(names, nr);
	return rc;
}
