// SPDX-License-Identifier: GPL-2.0
/*
 * dcssdax - the device's memory: struct pages through a dev_pagemap when
 * fs-dax is possible, else a plain kernel mapping from the backend.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ioport.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/mmzone.h>

#include "dcssdax.h"

static const struct dcssdax_backend *
first_backend(const struct dcssdax_device *ddev)
{
	return list_first_entry(&ddev->segments, struct dcssdax_segment,
				node)->backend;
}

/*
 * memremap_pages() WARNs instead of failing quietly on a range that is
 * RAM or already has struct pages, so every such case is ruled out here
 * first and becomes a reason shown in sysfs.
 */
static bool pgmap_possible(struct dcssdax_device *ddev)
{
	struct dev_pagemap *conflict;
	char *why = ddev->dax_reason;
	size_t len = sizeof(ddev->dax_reason);

	if (!IS_ENABLED(CONFIG_ZONE_DEVICE) || !IS_ENABLED(CONFIG_FS_DAX)) {
		snprintf(why, len, "kernel built without ZONE_DEVICE or FS_DAX");
		return false;
	}
	if (!IS_ALIGNED(ddev->start, SUBSECTION_SIZE)) {
		snprintf(why, len, "start %#lx not aligned to %lu MiB",
			 ddev->start, SUBSECTION_SIZE >> 20);
		return false;
	}
	if (!IS_ALIGNED(ddev->end + 1, SUBSECTION_SIZE)) {
		snprintf(why, len, "end %#lx not aligned to %lu MiB",
			 ddev->end + 1, SUBSECTION_SIZE >> 20);
		return false;
	}
	if (region_intersects(ddev->start, dcssdax_size(ddev),
			      IORESOURCE_SYSTEM_RAM, IORES_DESC_NONE) !=
	    REGION_DISJOINT) {
		snprintf(why, len, "range overlaps System RAM");
		return false;
	}
	conflict = get_dev_pagemap(PHYS_PFN(ddev->start));
	if (!conflict)
		conflict = get_dev_pagemap(PHYS_PFN(ddev->end));
	if (conflict) {
		put_dev_pagemap(conflict);
		snprintf(why, len, "range already has struct pages");
		return false;
	}
	return true;
}

/**
 * dcssdax_pgmap_setup - map the device's memory
 * @ddev: device with its segments loaded
 *
 * Gives the range struct pages (MEMORY_DEVICE_FS_DAX) when it can; the
 * reason it cannot is kept in @ddev->dax_reason and the device falls back
 * to the backend's mapping, serving block I/O without DAX.
 *
 * Return: 0, or a negative errno when the memory cannot be mapped at all.
 */
int dcssdax_pgmap_setup(struct dcssdax_device *ddev)
{
	void *addr;

	if (pgmap_possible(ddev)) {
		ddev->pgmap.type = MEMORY_DEVICE_FS_DAX;
		ddev->pgmap.range.start = ddev->start;
		ddev->pgmap.range.end = ddev->end;
		ddev->pgmap.nr_range = 1;
		ddev->pgmap.owner = ddev;
		addr = memremap_pages(&ddev->pgmap, dev_to_node(&ddev->dev));
		if (!IS_ERR(addr)) {
			ddev->kaddr = addr;
			ddev->pgmap_active = true;
			return 0;
		}
		snprintf(ddev->dax_reason, sizeof(ddev->dax_reason),
			 "memremap_pages failed: %pe", addr);
	}
	pr_info("%s: DAX disabled: %s\n", ddev->name, ddev->dax_reason);

	addr = first_backend(ddev)->map(ddev->start, dcssdax_size(ddev));
	if (IS_ERR_OR_NULL(addr))
		return addr ? PTR_ERR(addr) : -ENOMEM;
	ddev->kaddr = addr;
	return 0;
}

void dcssdax_pgmap_teardown(struct dcssdax_device *ddev)
{
	if (!ddev->kaddr)
		return;
	if (ddev->pgmap_active)
		memunmap_pages(&ddev->pgmap);
	else
		first_backend(ddev)->unmap(ddev->kaddr);
	ddev->pgmap_active = false;
	ddev->kaddr = NULL;
}

/* What the struct pages of the device cost, as the vmemmap holds them. */
unsigned long dcssdax_memmap_bytes(const struct dcssdax_device *ddev)
{
	if (!ddev->pgmap_active)
		return 0;
	return PHYS_PFN(range_len(&ddev->pgmap.range)) * sizeof(struct page);
}
