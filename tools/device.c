// SPDX-License-Identifier: GPL-2.0
/*
 * Devices are the subdirectories of the control directory that carry a
 * seglist; the control directory also holds power/, uevent and the like.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "device.h"
#include "sysfs.h"

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

bool device_exists(const char *name)
{
	char path[4096];

	if (dcss_path(path, sizeof(path), DCSS_CTL_DIR "/%s/seglist", name))
		return false;
	return path_exists(path);
}

/* Sorted by name so that output is stable across runs. */
int device_list(char ***names)
{
	char path[4096], **v = NULL, **nv;
	struct dirent *de;
	int nr = 0;
	DIR *dir;

	*names = NULL;
	if (dcss_path(path, sizeof(path), DCSS_CTL_DIR))
		return -ENAMETOOLONG;
	dir = opendir(path);
	if (!dir)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.' || strlen(de->d_name) > DCSS_NAME_MAX)
			continue;
		if (!device_exists(de->d_name))
			continue;
		nv = realloc(v, (nr + 1) * sizeof(*v));
		if (!nv)
			goto oom;
		v = nv;
		v[nr] = strdup(de->d_name);
		if (!v[nr])
			goto oom;
		nr++;
	}
	closedir(dir);
	qsort(v, nr, sizeof(*v), cmp_names);
	*names = v;
	return nr;
oom:
	closedir(dir);
	device_list_free(v, nr);
	return -ENOMEM;
}

void device_list_free(char **names, int nr)
{
	while (nr-- > 0)
		free(names[nr]);
	free(names);
}

/* The block device is the only dcssdax* entry of <NAME>/block/. */
static void load_blockdev(const char *name, struct dcss_device *d)
{
	char path[4096], buf[64];
	struct dirent *de;
	unsigned int maj, min;
	DIR *dir;

	d->dev[0] = '\0';
	d->devno = 0;
	if (dcss_path(path, sizeof(path), DCSS_CTL_DIR "/%s/block", name))
		return;
	dir = opendir(path);
	if (!dir)
		return;
	while ((de = readdir(dir))) {
		if (!strncmp(de->d_name, "dcssdax", 7) &&
		    strlen(de->d_name) < sizeof(d->dev)) {
			strcpy(d->dev, de->d_name);
			break;
		}
	}
	closedir(dir);
	if (!d->dev[0] ||
	    dcss_path(path, sizeof(path), DCSS_CTL_DIR "/%s/block/%s/dev",
		      name, d->dev) ||
	    sysfs_read(path, buf, sizeof(buf)) ||
	    sscanf(buf, "%u:%u", &maj, &min) != 2)
		return;
	d->devno = makedev(maj, min);
}

static int seg_attr(const char *dev, const char *seg, const char *attr,
		    char *buf, size_t len)
{
	char path[4096];
	int rc;

	rc = dcss_path(path, sizeof(path), DCSS_CTL_DIR "/%s/%s/%s",
		       dev, seg, attr);
	return rc ? rc : sysfs_read(path, buf, len);
}

static int seg_u64(const char *dev, const char *seg, const char *attr,
		   uint64_t *val)
{
	char path[4096];
	int rc;

	rc = dcss_path(path, sizeof(path), DCSS_CTL_DIR "/%s/%s/%s",
		       dev, seg, attr);
	return rc ? rc : sysfs_read_u64(path, val);
}

static int load_segments(const char *name, struct dcss_device *d)
{
	char path[4096], list[DCSS_MAX_SEGMENTS * (DCSS_NAME_MAX + 1) + 1];
	char *tok, *save = NULL;
	struct dcss_segment *s;
	int rc;

	rc = dcss_path(path, sizeof(path), DCSS_CTL_DIR "/%s/seglist", name);
	if (!rc)
		rc = sysfs_read(path, list, sizeof(list));
	if (rc)
		return rc;
	d->nr_segments = 0;
	for (tok = strtok_r(list, "\n", &save); tok;
	     tok = strtok_r(NULL, "\n", &save)) {
		if (d->nr_segments == DCSS_MAX_SEGMENTS ||
		    strlen(tok) > DCSS_NAME_MAX)
			return -EINVAL;
		s = &d->seg[d->nr_segments++];
		strcpy(s->name, tok);
		rc = seg_attr(name, tok, "type", s->type, sizeof(s->type));
		if (!rc)
			rc = seg_attr(name, tok, "backend", s->backend,
				      sizeof(s->backend));
		if (!rc)
			rc = seg_u64(name, tok, "start", &s->start);
		if (!rc)
			rc = seg_u64(name, tok, "end", &s->end);
		if (!rc)
			rc = seg_u64(name, tok, "size", &s->size);
		if (rc)
			return rc;
	}
	return 0;
}

#define DEV_ATTR(attr, fn, val)						\
	do {								\
		rc = dcss_path(path, sizeof(path),			\
			       DCSS_CTL_DIR "/%s/" attr, name);		\
		if (!rc)						\
			rc = fn(path, val);				\
		if (rc)							\
			return rc;					\
	} while (0)

/* Return: 0, -ENODEV when there is no such device, else -errno. */
/* Drivers before device-dax mode have no "mode": fsdax. */
static void load_dax_mode(const char *name, struct dcss_device *d)
{
	char path[4096], mode[16];

	if (!dcss_path(path, sizeof(path), DCSS_CTL_DIR "/%s/mode", name) &&
	    !sysfs_read(path, mode, sizeof(mode)))
		d->devdax = !strcmp(mode, "devdax");
}

int device_load(const char *name, struct dcss_device *d)
{
	char path[4096];
	int rc;

	memset(d, 0, sizeof(*d));
	if (strlen(name) > DCSS_NAME_MAX || !device_exists(name))
		return -ENODEV;
	strcpy(d->name, name);
	DEV_ATTR("start", sysfs_read_u64, &d->start);
	DEV_ATTR("size", sysfs_read_u64, &d->size);
	DEV_ATTR("memmap_bytes", sysfs_read_u64, &d->memmap_bytes);
	DEV_ATTR("shared", sysfs_read_bool, &d->shared);
	DEV_ATTR("ro", sysfs_read_bool, &d->ro);
	DEV_ATTR("dax", sysfs_read_bool, &d->dax);
	DEV_ATTR("save", sysfs_read_bool, &d->save_pending);
	rc = dcss_path(path, sizeof(path), DCSS_CTL_DIR "/%s/dax_reason",
		       name);
	if (!rc)
		rc = sysfs_read(path, d->dax_reason, sizeof(d->dax_reason));
	if (rc)
		return rc;
	load_dax_mode(name, d);
	load_blockdev(name, d);
	rc = load_segments(name, d);
	/* a device removed while we read it is simply gone */
	if (rc == -ENOENT && !device_exists(name))
		return -ENODEV;
	return rc;
}

/* Which device holds segment @seg?  @owner gets its name. */
int device_find_segment(const char *seg, char *owner)
{
	struct dcss_device *d;
	char **names;
	int nr, i, j, found = 0;

	nr = device_list(&names);
	if (nr <= 0)
		return 0;
	d = malloc(sizeof(*d));
	if (!d) {
		device_list_free(names, nr);
		return 0;
	}
	for (i = 0; i < nr && !found; i++) {
		if (device_load(names[i], d))
			continue;
		for (j = 0; j < d->nr_segments; j++) {
			if (!strcmp(d->seg[j].name, seg)) {
				strcpy(owner, d->name);
				found = 1;
				break;
			}
		}
	}
	free(d);
	device_list_free(names, nr);
	return found;
}
