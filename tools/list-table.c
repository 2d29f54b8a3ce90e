// SPDX-License-Identifier: GPL-2.0
/*
 * dcssctl list -t: the devices as a table drawn by libsmartcols, the
 * library of lsblk and findmnt, so that columns (-o), headings (-n), raw
 * (-r) and JSON (-J) output and the fitting to the terminal's width
 * behave as an administrator knows them from there.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/sysmacros.h>

#include <libsmartcols.h>

#include "daxinfo.h"
#include "fsprobe.h"
#include "json.h"
#include "list-table.h"
#include "mounts.h"
#include "sysfs.h"

enum {
	COL_NAME, COL_DEV, COL_PATH, COL_MAJMIN, COL_SIZE, COL_START, COL_END,
	COL_TYPE, COL_ACCESS, COL_MODE, COL_RO, COL_DAX, COL_DAXREASON, COL_MEMMAP, COL_SAVE,
	COL_SEGMENTS, COL_FSTYPE, COL_LABEL, COL_UUID, COL_MOUNTPOINT,
	COL_MOUNTPOINTS, NR_COLS
};

struct col_info {
	const char *name;
	/*
	 * smartcols' width hint: >= 1 (here the heading's length) keeps a
	 * column whole when the terminal is too narrow, < 1 lets it shrink
	 * to that share of the width; the TRUNC and WRAP ones shrink first.
	 */
	double whint;
	int flags;		/* SCOLS_FL_* */
	int json;		/* SCOLS_JSON_*, for sizes with -b only */
	const char *help;
};

static const struct col_info cols[NR_COLS] = {
	[COL_NAME] = { "NAME", 4, 0, SCOLS_JSON_STRING,
		"device name (its first segment)" },
	[COL_DEV] = { "DEV", 3, 0, SCOLS_JSON_STRING,
		"kernel device name: dcssdaxN, or daxN.M in devdax mode" },
	[COL_PATH] = { "PATH", 4, 0, SCOLS_JSON_STRING,
		"device node: block device, or character device (devdax)" },
	[COL_MAJMIN] = { "MAJ:MIN", 7, 0, SCOLS_JSON_STRING,
		"major:minor device number" },
	[COL_SIZE] = { "SIZE", 4, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
		"size of the device" },
	[COL_START] = { "START", 5, SCOLS_FL_RIGHT, SCOLS_JSON_STRING,
		"first address in guest storage" },
	[COL_END] = { "END", 3, SCOLS_FL_RIGHT, SCOLS_JSON_STRING,
		"last address in guest storage" },
	[COL_TYPE] = { "TYPE", 4, 0, SCOLS_JSON_STRING,
		"segment types (SW, EW, SR, ...), as NAME:NAME... in SEGMENTS" },
	[COL_ACCESS] = { "ACCESS", 6, 0, SCOLS_JSON_STRING,
		"shared or exclusive (the segments' access mode)" },
	[COL_MODE] = { "MODE", 6, 0, SCOLS_JSON_STRING,
		"fsdax (a block device) or devdax (a character device)" },
	[COL_RO] = { "RO", 2, SCOLS_FL_RIGHT, SCOLS_JSON_BOOLEAN,
		"read-only device" },
	[COL_DAX] = { "DAX", 3, SCOLS_FL_RIGHT, SCOLS_JSON_BOOLEAN,
		"the device can be mounted -o dax" },
	[COL_DAXREASON] = { "DAX-REASON", 0.2, SCOLS_FL_TRUNC,
		SCOLS_JSON_STRING, "why DAX is off" },
	[COL_MEMMAP] = { "MEMMAP", 6, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
		"memory spent on struct pages" },
	[COL_SAVE] = { "SAVE", 4, SCOLS_FL_RIGHT, SCOLS_JSON_BOOLEAN,
		"a save is pending until the last close" },
	[COL_SEGMENTS] = { "SEGMENTS", 0.2, SCOLS_FL_TRUNC, SCOLS_JSON_STRING,
		"segments, as NAME:NAME..." },
	[COL_FSTYPE] = { "FSTYPE", 0.1, SCOLS_FL_TRUNC, SCOLS_JSON_STRING,
		"filesystem type" },
	[COL_LABEL] = { "LABEL", 0.1, SCOLS_FL_TRUNC, SCOLS_JSON_STRING,
		"filesystem label" },
	[COL_UUID] = { "UUID", 36, 0, SCOLS_JSON_STRING,
		"filesystem UUID" },
	[COL_MOUNTPOINT] = { "MOUNTPOINT", 0.1, SCOLS_FL_TRUNC,
		SCOLS_JSON_STRING, "where the device is mounted" },
	[COL_MOUNTPOINTS] = { "MOUNTPOINTS", 0.1, SCOLS_FL_WRAP,
		SCOLS_JSON_ARRAY_STRING, "all mount points, one a line" },
};

/* lsblk's default has MOUNTPOINTS last too: one line per mount point. */
static const int default_cols[] = {
	COL_NAME, COL_DEV, COL_SIZE, COL_TYPE, COL_ACCESS, COL_MODE, COL_RO,
	COL_DAX, COL_FSTYPE, COL_MOUNTPOINTS,
};

#define MAX_COLS	64

struct list_table {
	struct libscols_table *tb;
	unsigned int flags;
	int nr;
	int id[MAX_COLS];
};

static int column_id(const char *name, size_t len)
{
	int i;

	for (i = 0; i < NR_COLS; i++)
		if (strlen(cols[i].name) == len &&
		    !strncasecmp(cols[i].name, name, len))
			return i;
	return -1;
}

static void column_names(char *buf, size_t len)
{
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < NR_COLS && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s", i ? " " : "",
				cols[i].name);
}

/* "A,B", or "+A,B" for the defaults and then A and B, as lsblk -o. */
static int parse_columns(struct list_table *t, const char *spec, char *err,
			 size_t len)
{
	const char *p = spec, *end;
	char names[512];
	int id;

	t->nr = 0;
	if (!spec || *spec == '+') {
		memcpy(t->id, default_cols, sizeof(default_cols));
		t->nr = sizeof(default_cols) / sizeof(default_cols[0]);
		if (!spec)
			return 0;
		p++;
	}
	for (;;) {
		end = p + strcspn(p, ",");
		id = column_id(p, end - p);
		if (id < 0) {
			column_names(names, sizeof(names));
			snprintf(err, len, "unknown column '%.*s' in '%s'; "
				 "the columns are: %s", (int)(end - p), p,
				 spec, names);
			return -1;
		}
		if (t->nr == MAX_COLS) {
			snprintf(err, len, "more than %d columns in '%s'",
				 MAX_COLS, spec);
			return -1;
		}
		t->id[t->nr++] = id;
		if (!*end)
			return 0;
		p = end + 1;
	}
}

static int add_columns(struct list_table *t)
{
	struct libscols_column *cl;
	const struct col_info *ci;
	int i, json;

	for (i = 0; i < t->nr; i++) {
		ci = &cols[t->id[i]];
		cl = scols_table_new_column(t->tb, ci->name, ci->whint,
					    ci->flags);
		if (!cl)
			return -1;
		json = ci->json;
		if (json == SCOLS_JSON_NUMBER && !(t->flags & TABLE_BYTES))
			json = SCOLS_JSON_STRING;	/* "64M" */
		scols_column_set_json_type(cl, json);
		/* as lsblk's MOUNTPOINTS: one line per newline of the cell */
		if (ci->flags & SCOLS_FL_WRAP) {
			scols_column_set_wrapfunc(cl, scols_wrapnl_chunksize,
						  scols_wrapnl_nextchunk, NULL);
			scols_column_set_safechars(cl, "\n");
		}
	}
	return 0;
}

struct list_table *list_table_new(const char *columns, unsigned int flags,
				  size_t width, char *err, size_t len)
{
	struct list_table *t = calloc(1, sizeof(*t));

	if (!t) {
		snprintf(err, len, "out of memory");
		return NULL;
	}
	t->flags = flags;
	if (parse_columns(t, columns, err, len))
		goto fail;
	scols_init_debug(0);
	t->tb = scols_new_table();
	if (!t->tb || add_columns(t)) {
		snprintf(err, len, "cannot set up the table: out of memory");
		goto fail;
	}
	scols_table_enable_noheadings(t->tb, !!(flags & TABLE_NOHEADINGS));
	scols_table_enable_raw(t->tb, !!(flags & TABLE_RAW));
	scols_table_enable_json(t->tb, !!(flags & TABLE_JSON));
	/* no padding after the last non-empty cell of a line */
	scols_table_enable_minout(t->tb, 1);
	/* lsblk's "blockdevices", for the devices of this driver */
	scols_table_set_name(t->tb, "dcssdax");
	if (width) {
		scols_table_set_termforce(t->tb, SCOLS_TERMFORCE_ALWAYS);
		scols_table_set_termwidth(t->tb, width);
	}
	return t;
fail:
	list_table_free(t);
	return NULL;
}

static bool wants(const struct list_table *t, int first, int last)
{
	int i;

	for (i = 0; i < t->nr; i++)
		if (t->id[i] >= first && t->id[i] <= last)
			return true;
	return false;
}

static void cell_size(const struct list_table *t, uint64_t bytes, char *buf,
		      size_t len)
{
	if (t->flags & TABLE_BYTES)
		snprintf(buf, len, "%" PRIu64, bytes);
	else
		size_short(bytes, buf, len);
}

static void cell_segments(const struct dcss_device *d, char *buf, size_t len)
{
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < d->nr_segments && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s", i ? ":" : "",
				d->seg[i].name);
}

static void cell_types(const struct dcss_device *d, char *buf, size_t len)
{
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < d->nr_segments && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s", i ? ":" : "",
				d->seg[i].type);
}

/* Newline-separated, split again by the column's wrap functions. */
static void cell_mounts(const struct dcss_mount *m, int nr, char *buf,
			size_t len)
{
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < nr && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s", i ? "\n" : "",
				m[i].target);
}

int list_table_add(struct list_table *t, const struct dcss_device *d)
{
	char buf[DCSS_MAX_SEGMENTS * (DCSS_NAME_MAX + 1) + 4096];
	struct libscols_line *ln;
	struct dcss_mount *m = NULL;
	char node[64], probe[4096];
	const char *kdev = d->dev;
	struct dcss_devdax dd;
	struct dcss_fs fs = { 0 };
	bool have_fs = false;
	int i, nr = 0, rc = 0;
	const char *v;

	ln = scols_table_new_line(t->tb, NULL);
	if (!ln)
		return -1;
	/* devdax mode: no block device, the dax region's character device */
	if (d->devdax && !devdax_find(d->name, &dd) && dd.chardev[0])
		kdev = dd.chardev;
	snprintf(node, sizeof(node), "/dev/%s", kdev);
	/* both look at more than sysfs: only when a column needs them */
	if (d->dev[0] && wants(t, COL_FSTYPE, COL_UUID) &&
	    !dcss_path(probe, sizeof(probe), "%s", node))
		have_fs = fs_probe(probe, &fs);
	if (wants(t, COL_MOUNTPOINT, COL_MOUNTPOINTS))
		nr = mounts_of(d, &m);
	for (i = 0; i < t->nr; i++) {
		v = buf;
		buf[0] = '\0';
		switch (t->id[i]) {
		case COL_NAME: v = d->name; break;
		case COL_DEV: v = kdev; break;
		case COL_PATH: v = kdev[0] ? node : ""; break;
		case COL_MAJMIN:
			if (d->devno)
				snprintf(buf, sizeof(buf), "%u:%u",
					 major(d->devno), minor(d->devno));
			break;
		case COL_SIZE: cell_size(t, d->size, buf, sizeof(buf)); break;
		case COL_START:
			snprintf(buf, sizeof(buf), "%#" PRIx64, d->start);
			break;
		case COL_END:
			snprintf(buf, sizeof(buf), "%#" PRIx64,
				 d->start + d->size - 1);
			break;
		case COL_TYPE: cell_types(d, buf, sizeof(buf)); break;
		case COL_ACCESS: v = d->shared ? "shared" : "exclusive"; break;
		case COL_MODE: v = d->devdax ? "devdax" : "fsdax"; break;
		case COL_RO: v = d->ro ? "1" : "0"; break;
		case COL_DAX: v = d->dax ? "1" : "0"; break;
		case COL_DAXREASON: v = d->dax ? "" : d->dax_reason; break;
		case COL_MEMMAP:
			cell_size(t, d->memmap_bytes, buf, sizeof(buf));
			break;
		case COL_SAVE: v = d->save_pending ? "1" : "0"; break;
		case COL_SEGMENTS: cell_segments(d, buf, sizeof(buf)); break;
		case COL_FSTYPE: v = have_fs ? fs.type : ""; break;
		case COL_LABEL: v = have_fs ? fs.label : ""; break;
		case COL_UUID: v = have_fs ? fs.uuid : ""; break;
		case COL_MOUNTPOINT: v = nr > 0 ? m[0].target : ""; break;
		case COL_MOUNTPOINTS: cell_mounts(m, nr, buf, sizeof(buf));
			break;
		}
		/* empty cells are JSON null, as in lsblk -J */
		if (*v && scols_line_set_data(ln, i, v))
			rc = -1;
	}
	if (nr > 0)
		mounts_free(m, nr);
	return rc;
}

int list_table_print(struct list_table *t)
{
	return scols_print_table(t->tb);
}

void list_table_free(struct list_table *t)
{
	if (!t)
		return;
	scols_unref_table(t->tb);
	free(t);
}

void list_table_columns_help(FILE *f)
{
	int i;

	fputs("\ncolumns (-o; default NAME,DEV,SIZE,TYPE,ACCESS,MODE,RO,DAX,"
	      "FSTYPE,MOUNTPOINTS):\n", f);
	for (i = 0; i < NR_COLS; i++)
		fprintf(f, "  %-12s %s\n", cols[i].name, cols[i].help);
}
