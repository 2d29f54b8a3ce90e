// SPDX-License-Identifier: GPL-2.0
/*
 * dcssdax - the dax_device that lets filesystems map segment memory.
 */
#include <linux/blkdev.h>
#include <linux/dax.h>
#include <linux/pfn.h>
#include <linux/string.h>

#include "dcssdax.h"

static long dcssdax_direct_access(struct dax_device *dax_dev, pgoff_t pgoff,
				  long nr_pages, enum dax_access_mode mode,
				  void **kaddr, unsigned long *pfn)
{
	struct dcssdax_device *ddev = dax_get_private(dax_dev);
	unsigned long offset = PFN_PHYS(pgoff);

	if (offset >= dcssdax_size(ddev))
		return -ERANGE;
	if (kaddr)
		*kaddr = ddev->kaddr + offset;
	if (pfn)
		*pfn = PHYS_PFN(ddev->start + offset);
	return PHYS_PFN(dcssdax_size(ddev) - offset);
}

static int dcssdax_zero_page_range(struct dax_device *dax_dev, pgoff_t pgoff,
				   size_t nr_pages)
{
	struct dcssdax_device *ddev = dax_get_private(dax_dev);
	unsigned long offset = PFN_PHYS(pgoff);

	/* Write-protected by z/VM: a store would be a protection exception. */
	if (dcssdax_readonly(ddev))
		return -EROFS;
	if (offset >= dcssdax_size(ddev) ||
	    PFN_PHYS(nr_pages) > dcssdax_size(ddev) - offset)
		return -ERANGE;
	memset(ddev->kaddr + offset, 0, PFN_PHYS(nr_pages));
	return 0;
}

static const struct dax_operations dcssdax_dax_ops = {
	.direct_access		= dcssdax_direct_access,
	.zero_page_range	= dcssdax_zero_page_range,
};

/**
 * dcssdax_dax_setup - attach a dax_device to the device's disk
 * @ddev: device with struct pages and an allocated, not yet added disk
 *
 * Return: 0 (also when DAX stays off) or a negative errno.
 */
int dcssdax_dax_setup(struct dcssdax_device *ddev)
{
	struct dax_device *dax_dev;
	int rc;

	if (!ddev->nr_pieces)
		return 0;
	dax_dev = alloc_dax(ddev, &dcssdax_dax_ops);
	if (IS_ERR(dax_dev))
		return PTR_ERR(dax_dev);
	/*
	 * Segment memory is plain memory with nothing to flush, so MAP_SYNC
	 * is safe.  Not set_dax_nomc(): despite its name it makes reads use
	 * machine-check-safe copies (copy_mc), which pmem needs for media
	 * errors and DCSS memory does not.
	 */
	set_dax_synchronous(dax_dev);
	ddev->dax_dev = dax_dev;
	rc = dax_add_host(dax_dev, ddev->disk);
	if (rc) {
		kill_dax(dax_dev);
		put_dax(dax_dev);
		ddev->dax_dev = NULL;
	}
	return rc;
}

void dcssdax_dax_teardown(struct dcssdax_device *ddev)
{
	if (!ddev->dax_dev)
		return;
	dax_remove_host(ddev->disk);
	kill_dax(ddev->dax_dev);
	put_dax(ddev->dax_dev);
	ddev->dax_dev = NULL;
}
