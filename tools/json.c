// SPDX-License-Identifier: GPL-2.0
/*
 * JSON output shaped like ndctl's, so that people and scripts used to
 * `ndctl list` read dcssctl output the same way.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "daxinfo.h"
#include "fsprobe.h"
#include "json.h"
#include "mounts.h"
#include "sysfs.h"

#define SZ_1M	(1ULL << 20)
#define SZ_1G	(1ULL << 30)
#define SZ_1T	(1ULL << 40)

/*
 * ndctl's display_size(): centi-units rounded half up, IEC then JEDEC,
 * e.g. "256.00 MiB (268.44 MB)".  Below 5000 KiB ndctl keeps the number;
 * callers check that with size_is_small().
 */
void size_human(uint64_t bytes, char *buf, size_t len)
{
	unsigned long long c;
	const char *iec, *si;
	int n;

	if (bytes < 2 * SZ_1G) {
		c = (bytes * 200ULL / SZ_1M + 1) / 2;
		iec = "MiB";
	} else if (bytes < 2 * SZ_1T) {
		c = (bytes * 200ULL / SZ_1G + 1) / 2;
		iec = "GiB";
	} else {
		c = (bytes / (SZ_1T / 200) + 1) / 2;
		iec = "TiB";
	}
	n = snprintf(buf, len, "%llu.%02llu %s", c / 100, c % 100, iec);
	if (n < 0 || (size_t)n >= len)
		return;
	if (bytes < 2 * SZ_1G) {
		c = (bytes / (1000000ULL / 200) + 1) / 2;
		si = "MB";
	} else if (bytes < 2 * SZ_1T) {
		c = (bytes / (1000000000ULL / 200) + 1) / 2;
		si = "GB";
	} else {
		c = (bytes / (1000000000000ULL / 200) + 1) / 2;
		si = "TB";
	}
	snprintf(buf + n, len - n, " (%llu.%02llu %s)", c / 100, c % 100, si);
}

/* lsblk-like: "64M", "1.5G" */
void size_short(uint64_t bytes, char *buf, size_t len)
{
	static const char units[] = "BKMGTPE";
	uint64_t unit = 1;
	int i = 0;

	while (i < 6 && bytes >= unit * 1024) {
		unit *= 1024;
		i++;
	}
	if (i == 0)
		snprintf(buf, len, "%" PRIu64 "B", bytes);
	else if (bytes % unit == 0)
		snprintf(buf, len, "%" PRIu64 "%c", bytes / unit, units[i]);
	else
		snprintf(buf, len, "%.1f%c", (double)bytes / unit, units[i]);
}

struct json_object *json_size(uint64_t bytes, unsigned int flags)
{
	char buf[64];

	if (!(flags & JSON_HUMAN) || bytes < 5000 * 1024)
		return json_object_new_uint64(bytes);
	size_human(bytes, buf, sizeof(buf));
	return json_object_new_string(buf);
}

struct json_object *json_addr(uint64_t addr, unsigned int flags)
{
	char buf[32];

	if (!(flags & JSON_HUMAN))
		return json_object_new_uint64(addr);
	snprintf(buf, sizeof(buf), "%#" PRIx64, addr);
	return json_object_new_string(buf);
}

static void add_str(struct json_object *o, const char *key, const char *val)
{
	json_object_object_add(o, key, json_object_new_string(val));
}

static void add_bool(struct json_object *o, const char *key, bool val)
{
	json_object_object_add(o, key, json_object_new_boolean(val));
}

static struct json_object *segments_json(const struct dcss_device *d,
					 unsigned int flags)
{
	struct json_object *arr = json_object_new_array(), *s;
	const struct dcss_segment *seg;
	int i;

	for (i = 0; i < d->nr_segments; i++) {
		seg = &d->seg[i];
		s = json_object_new_object();
		add_str(s, "name", seg->name);
		add_str(s, "type", seg->type);
		json_object_object_add(s, "start", json_addr(seg->start, flags));
		json_object_object_add(s, "end", json_addr(seg->end, flags));
		json_object_object_add(s, "size", json_size(seg->size, flags));
		add_str(s, "backend", seg->backend);
		json_object_array_add(arr, s);
	}
	return arr;
}

static struct json_object *filesystem_json(const struct dcss_device *d)
{
	struct json_object *o;
	struct dcss_fs fs;
	char path[4096];

	if (!d->dev[0] || dcss_path(path, sizeof(path), "/dev/%s", d->dev) ||
	    !fs_probe(path, &fs))
		return NULL;
	o = json_object_new_object();
	add_str(o, "type", fs.type);
	if (fs.label[0])
		add_str(o, "label", fs.label);
	if (fs.uuid[0])
		add_str(o, "uuid", fs.uuid);
	return o;
}

static struct json_object *mounts_json(const struct dcss_device *d)
{
	struct json_object *arr, *m;
	struct dcss_mount *mounts;
	int nr, i;

	nr = mounts_of(d, &mounts);
	if (nr <= 0)
		return NULL;
	arr = json_object_new_array();
	for (i = 0; i < nr; i++) {
		m = json_object_new_object();
		add_str(m, "target", mounts[i].target);
		add_str(m, "options", mounts[i].options);
		add_bool(m, "dax", mounts[i].dax);
		json_object_array_add(arr, m);
	}
	mounts_free(mounts, nr);
	return arr;
}

/*
 * A devdax device: its character device at the top level, as ndctl shows
 * a devdax namespace's ("chardev", "align"; "blockdev" for fsdax), and
 * the dax region and device as libdaxctl reports them under "devdax".
 */
static void devdax_json(struct json_object *o, const struct dcss_device *d)
{
	struct dcss_devdax dd;

	if (devdax_find(d->name, &dd))
		return;
	if (dd.chardev[0])
		add_str(o, "chardev", dd.chardev);
	json_object_object_add(o, "align", json_object_new_uint64(dd.align));
	json_object_object_add(o, "devdax", devdax_to_json(&dd));
}

struct json_object *device_to_json(const struct dcss_device *d,
				   unsigned int flags)
{
	struct json_object *o = json_object_new_object(), *sub;
	char buf[64];

	if (!o)
		return NULL;
	if (d->dev[0])
		add_str(o, "dev", d->dev);
	add_str(o, "name", d->name);
	if (d->dev[0]) {
		snprintf(buf, sizeof(buf), "/dev/%s", d->dev);
		add_str(o, "blockdev", buf);
	}
	snprintf(buf, sizeof(buf), "/dev/dcssdax/%s", d->name);
	add_str(o, "symlink", buf);
	json_object_object_add(o, "segments", segments_json(d, flags));
	json_object_object_add(o, "start", json_addr(d->start, flags));
	json_object_object_add(o, "size", json_size(d->size, flags));
	/*
	 * "mode" as ndctl's: what the device is (fsdax or devdax); the
	 * segments' access mode is "access".  Before 2026-12 "mode" was the
	 * access mode (dcssctl(8), INTERFACE CHANGES).
	 */
	add_str(o, "mode", d->devdax ? "devdax" : "fsdax");
	add_str(o, "access", d->shared ? "shared" : "exclusive");
	add_bool(o, "ro", d->ro);
	add_bool(o, "dax", d->dax);
	if (!d->dax)
		add_str(o, "dax_off_reason", d->dax_reason);
	json_object_object_add(o, "memmap_bytes",
			       json_size(d->memmap_bytes, flags));
	add_bool(o, "save_pending", d->save_pending);
	if (flags & JSON_VERBOSE) {
		/* where the facts came from, for bug reports */
		snprintf(buf, sizeof(buf), "%u:%u", major(d->devno),
			 minor(d->devno));
		if (d->devno)
			add_str(o, "devno", buf);
		snprintf(buf, sizeof(buf), DCSS_CTL_DIR "/%s", d->name);
		add_str(o, "sysfs", buf);
	}
	if (d->devdax)
		devdax_json(o, d);
	sub = filesystem_json(d);
	if (sub)
		json_object_object_add(o, "filesystem", sub);
	sub = mounts_json(d);
	if (sub)
		json_object_object_add(o, "mounts", sub);
	return o;
}

void json_print(FILE *f, struct json_object *obj)
{
	fprintf(f, "%s\n", json_object_to_json_string_ext(obj,
			JSON_C_TO_STRING_PRETTY |
			JSON_C_TO_STRING_NOSLASHESCAPE));
}
