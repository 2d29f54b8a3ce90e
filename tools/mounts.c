// SPDX-License-Identifier: GPL-2.0
/*
 * Mounts of a device, from <root>/proc/self/mountinfo via libmount.  The
 * source paths in mountinfo are the running system's, never prefixed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmount.h>

#include "mounts.h"
#include "sysfs.h"

static bool fs_is_device(struct libmnt_fs *fs, const struct dcss_device *d)
{
	const char *src = mnt_fs_get_source(fs);
	char path[64];

	if (d->devno && mnt_fs_get_devno(fs) == d->devno)
		return true;
	if (!src)
		return false;
	snprintf(path, sizeof(path), "/dev/%s", d->dev);
	if (d->dev[0] && !strcmp(src, path))
		return true;
	snprintf(path, sizeof(path), "/dev/dcssdax/%s", d->name);
	return !strcmp(src, path);
}

/*
 * ext2, ext4 and xfs show "dax" or "dax=always" among the filesystem
 * options when every file is accessed with DAX; "dax=inode" and
 * "dax=never" mean it is not on for the whole filesystem.
 */
static bool options_have_dax(const char *optstr)
{
	char *val = NULL;
	size_t len = 0;

	if (!optstr || mnt_optstr_get_option(optstr, "dax", &val, &len))
		return false;
	return !val || !len || (len == 6 && !strncmp(val, "always", 6));
}

int mounts_of(const struct dcss_device *d, struct dcss_mount **mounts)
{
	struct libmnt_table *tb;
	struct libmnt_iter *it;
	struct libmnt_fs *fs;
	struct dcss_mount *v = NULL, *nv;
	char path[4096];
	int nr = 0;

	*mounts = NULL;
	if (dcss_path(path, sizeof(path), "/proc/self/mountinfo"))
		return -ENAMETOOLONG;
	if (!path_exists(path))
		return 0;
	tb = mnt_new_table_from_file(path);
	if (!tb)
		return -errno ? -errno : -EINVAL;
	it = mnt_new_iter(MNT_ITER_FORWARD);
	if (!it) {
		mnt_unref_table(tb);
		return -ENOMEM;
	}
	while (mnt_table_next_fs(tb, it, &fs) == 0) {
		if (!fs_is_device(fs, d))
			continue;
		nv = realloc(v, (nr + 1) * sizeof(*v));
		if (!nv)
			break;
		v = nv;
		v[nr].target = strdup(mnt_fs_get_target(fs) ?: "");
		v[nr].options = mnt_fs_strdup_options(fs);
		if (!v[nr].options)
			v[nr].options = strdup("");
		v[nr].dax = options_have_dax(mnt_fs_get_fs_options(fs)) ||
			    options_have_dax(mnt_fs_get_vfs_options(fs));
		nr++;
	}
	mnt_free_iter(it);
	mnt_unref_table(tb);
	*mounts = v;
	return nr;
}

void mounts_free(struct dcss_mount *mounts, int nr)
{
	int i;

	for (i = 0; i < nr; i++) {
		free(mounts[i].target);
		free(mounts[i].options);
	}
	free(mounts);
}

/* "/a, /b" for messages; returns the number of mounts. */
int mounts_targets(const struct dcss_device *d, char *buf, size_t len)
{
	struct dcss_mount *m;
	size_t off = 0;
	int nr, i;

	buf[0] = '\0';
	nr = mounts_of(d, &m);
	if (nr <= 0)
		return 0;
	for (i = 0; i < nr && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s", i ? ", " : "",
				m[i].target);
	mounts_free(m, nr);
	return nr;
}
