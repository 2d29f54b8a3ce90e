// SPDX-License-Identifier: GPL-2.0
/* What filesystem is on a device, via libblkid's superblock probe. */
#include <stdio.h>
#include <string.h>

#include <blkid.h>

#include "fsprobe.h"

static void copy_value(blkid_probe pr, const char *tag, char *buf, size_t len)
{
	const char *val = NULL;

	buf[0] = '\0';
	if (!blkid_probe_lookup_value(pr, tag, &val, NULL) && val)
		snprintf(buf, len, "%s", val);
}

/* false when the device is unreadable or holds no known filesystem */
bool fs_probe(const char *devpath, struct dcss_fs *fs)
{
	blkid_probe pr;
	bool found = false;

	memset(fs, 0, sizeof(*fs));
	pr = blkid_new_probe_from_filename(devpath);
	if (!pr)
		return false;
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE |
					  BLKID_SUBLKS_LABEL |
					  BLKID_SUBLKS_UUID);
	/* safeprobe: ambiguous signatures count as no filesystem */
	if (blkid_do_safeprobe(pr) == 0) {
		copy_value(pr, "TYPE", fs->type, sizeof(fs->type));
		copy_value(pr, "LABEL", fs->label, sizeof(fs->label));
		copy_value(pr, "UUID", fs->uuid, sizeof(fs->uuid));
		found = fs->type[0] != '\0';
	}
	blkid_free_probe(pr);
	return found;
}
