// SPDX-License-Identifier: GPL-2.0
/*
 * dcssdax - device-dax mode: a device's segments as one static region on
 * the kernel's dax bus, so that the device_dax driver gives /dev/daxN.0,
 * as dax_pmem does for a pmem namespace in devdax mode.  No block device
 * and no struct pages of our own: device_dax maps the range with its own
 * memremap_pages(MEMORY_DEVICE_GENERIC) while it is bound.
 *
 * Resources: dev_dax_probe() claims the range busy in iomem under the
 * dev_dax's name, and fails when anyone holds a busy claim there or when
 * the range straddles a resource.  The backends claim every loaded
 * segment busy ("NAME (DCSS)"), so the claim is handed over before the
 * dev_dax is created: the backend drops the segments' busy claims and
 * the device claims its whole span, joined segments too, as one non-busy
 * "NAME[:NAME...] (DCSS)" that device_dax's busy "daxN.0" nests in.  So
 * dax_pmem releases the namespace's busy claim (devm_nsio_disable())
 * before device_dax claims the range, and dax_hmem leaves the non-busy
 * "Soft Reserved" range as the parent of device_dax's claim.  A driver
 * that requests this reserved memory in the moment between the two gets
 * it, and the add fails; dax_pmem's handover has the same window.  The
 * span stays visible in /proc/iomem, and the region reserved in the dax
 * bus's own resource tree.
 *
 * Lifetime: everything the dax bus creates is devm-managed on a
 * platform device below the dcssdax device, which dcssdax_destroy()
 * unregisters before the segments are unloaded, so device_dax has
 * unmapped and unclaimed the range before the backend takes it away;
 * before that the dev_dax is killed and its pages waited for
 * (devdax_kill_and_wait()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/idr.h>
#include <linux/ioport.h>
#include <linux/memregion.h>
#include <linux/memremap.h>
#include <linux/module.h>
#include <linux/mm.h>
#include <linux/numa.h>
#include <linux/pgtable.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "dcssdax.h"
#include "dax_bus_compat.h"

/*
 * Region ids name the character devices (daxN.M) and so must not clash
 * with those of pmem, hmem and CXL regions, which come from memregion.
 * Kernels without CONFIG_MEMREGION have no such regions.
 */
static DEFINE_IDA(dcssdax_region_ida);

static int region_id_alloc(void)
{
	if (IS_ENABLED(CONFIG_MEMREGION))
		return memregion_alloc(GFP_KERNEL);
	return ida_alloc(&dcssdax_region_ida, GFP_KERNEL);
}

static void region_id_free(int id)
{
	if (IS_ENABLED(CONFIG_MEMREGION))
		memregion_free(id);
	else
		ida_free(&dcssdax_region_ida, id);
}

/*
 * memremap_pages() in dev_dax_probe() works in whole subsections, and
 * device_dax has no way to leave the rounding untouched as pgmap.c does,
 * so the range itself must be made of whole subsections.  Faults are as
 * large as the alignment allows: PMD_SIZE (2 MiB on x86_64, 1 MiB on
 * s390) where the range is aligned to it and the machine has huge
 * pages, else single pages.
 */
static int devdax_check(struct dcssdax_device *ddev, unsigned int *align)
{
	struct dcssdax_segment *seg;

	if (!IS_ENABLED(CONFIG_DEV_DAX)) {
		pr_err("%s: devdax mode needs a kernel with CONFIG_DEV_DAX\n",
		       ddev->name);
		return -EOPNOTSUPP;
	}
	/*
	 * device_dax maps every shared mapping writable if the file was
	 * opened for writing, with no hook to refuse it, and a store into
	 * a segment z/VM write-protects is a protection exception.
	 */
	if (dcssdax_readonly(ddev)) {
		pr_err("%s: a read-only segment cannot be a devdax device: device_dax cannot refuse writable mappings\n",
		       ddev->name);
		return -EROFS;
	}
	list_for_each_entry(seg, &ddev->segments, node) {
		/* Its claim and its mapping are the other user's too. */
		if (seg->loaded_elsewhere) {
			pr_err("%s: DCSS %s is also loaded by another user of this guest and cannot be a devdax device\n",
			       ddev->name, seg->name);
			return -EBUSY;
		}
		if (!seg->backend->drop_claim || !seg->backend->retake_claim) {
			pr_err("%s: the %s backend keeps DCSS %s claimed busy, device_dax could not claim it\n",
			       ddev->name, seg->backend->name, seg->name);
			return -EOPNOTSUPP;
		}
	}
	if (!IS_ALIGNED(ddev->start | dcssdax_size(ddev), SUBSECTION_SIZE)) {
		pr_err("%s: devdax mode needs a start and size in whole %lu KiB subsections, not %#lx + %#lx\n",
		       ddev->name, SUBSECTION_SIZE / SZ_1K, ddev->start,
		       dcssdax_size(ddev));
		return -EINVAL;
	}
	/*
	 * device_dax answers a page-sized fault of a device aligned above
	 * that with SIGBUS, and without hardware support for huge pages
	 * (s390 without EDAT-1) the mm never asks it for a PMD fault.
	 */
	if (IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE) &&
	    has_transparent_hugepage() &&
	    IS_ALIGNED(ddev->start | dcssdax_size(ddev), PMD_SIZE))
		*align = PMD_SIZE;
	else
		*align = PAGE_SIZE;
	return 0;
}

/**
 * dcssdax_devdax_possible - could the device be switched to devdax mode?
 * @ddev: the device
 *
 * Return: 0, or the errno dcssdax_devdax_setup() would fail with for
 * the device's layout and segments (reasons in dmesg).
 */
int dcssdax_devdax_possible(struct dcssdax_device *ddev)
{
	unsigned int align;

	return devdax_check(ddev, &align);
}

/*
 * The dax bus wants a region's parent bound to a driver (it refuses to
 * register mappings of a "disabled" region) and ties the region and its
 * dev_dax to that binding with devm, as dax_hmem's platform devices do.
 * So each devdax device gets a platform device below it, bound to this
 * driver at once; unregistering it undoes everything the bus made.
 */
#define DEVDAX_DRV_NAME		"dcssdax-devdax"

static int devdax_probe(struct platform_device *pdev)
{
	struct dcssdax_device *ddev = *(struct dcssdax_device **)
				      dev_get_platdata(&pdev->dev);
	struct range range = { .start = ddev->start, .end = ddev->end };
	struct dev_pagemap pgmap = { .range = range, .nr_range = 1 };
	struct dev_dax_data data = {
		.pgmap	= &pgmap,	/* copied: device_dax fills it in */
		.size	= range_len(&range),
	};
	struct dev_dax *dev_dax;

	data.dax_region = alloc_dax_region(&pdev->dev, ddev->devdax_id,
					   &range, NUMA_NO_NODE,
					   ddev->devdax_align,
					   IORESOURCE_DAX_STATIC);
	if (!data.dax_region) {
		ddev->devdax_probe_rc = -ENOMEM;
		return -ENOMEM;
	}
	dev_dax = devm_create_dev_dax(&data);
	if (IS_ERR(dev_dax)) {
		ddev->devdax_probe_rc = PTR_ERR(dev_dax);
		return PTR_ERR(dev_dax);
	}
	ddev->devdax_dev = dev_dax;
	return 0;
}

static struct platform_driver devdax_driver = {
	.probe = devdax_probe,
	.driver = {
		.name = DEVDAX_DRV_NAME,
		/* setup needs the answer; unbinding is teardown's alone. */
		.probe_type = PROBE_FORCE_SYNCHRONOUS,
		.suppress_bind_attrs = true,
	},
};

/*
 * The segments' busy claims become one non-busy claim of the span.  Each
 * segment whose claim was dropped is marked, so that devdax_unclaim()
 * takes back exactly those, from wherever this stopped.
 */
static int devdax_claim(struct dcssdax_device *ddev)
{
	struct dcssdax_segment *seg;
	struct resource *res;
	size_t len = sizeof(" (DCSS)"), off = 0;
	char *name;
	int rc;

	list_for_each_entry(seg, &ddev->segments, node)
		len += strlen(seg->name) + 1;
	res = kzalloc(sizeof(*res) + len, GFP_KERNEL);
	if (!res)
		return -ENOMEM;
	name = (char *)(res + 1);
	list_for_each_entry(seg, &ddev->segments, node)
		off += scnprintf(name + off, len - off, "%s%s", off ? ":" : "",
				 seg->name);
	scnprintf(name + off, len - off, " (DCSS)");
	*res = DEFINE_RES_NAMED(ddev->start, dcssdax_size(ddev), name,
				IORESOURCE_MEM);
	list_for_each_entry(seg, &ddev->segments, node) {
		if (seg->claim_dropped)
			continue;
		rc = dcssdax_test_point("devdax:drop_claim") ?:
			seg->backend->drop_claim(seg->name);
		if (rc) {
			kfree(res);
			return rc;
		}
		seg->claim_dropped = true;
	}
	rc = dcssdax_test_point("devdax:insert_resource") ?:
		insert_resource(&iomem_resource, res);
	if (rc) {
		pr_err("%s: memory %#lx-%#lx was claimed by someone else meanwhile\n",
		       ddev->name, ddev->start, ddev->end);
		kfree(res);
		return rc;
	}
	ddev->devdax_res = res;
	return 0;
}

/*
 * Undo devdax_claim(), whatever it got to.  A segment whose claim cannot
 * be taken back (someone claimed its memory meanwhile) stays marked:
 * fsdax mode refuses it (dcssdax_devdax_unclaimed()), unloading does not
 * mind.
 */
static void devdax_unclaim(struct dcssdax_device *ddev)
{
	struct dcssdax_segment *seg;
	int err;

	if (ddev->devdax_res) {
		remove_resource(ddev->devdax_res);
		kfree(ddev->devdax_res);
		ddev->devdax_res = NULL;
	}
	list_for_each_entry(seg, &ddev->segments, node) {
		if (!seg->claim_dropped)
			continue;
		err = dcssdax_test_point("devdax:retake_claim") ?:
			seg->backend->retake_claim(seg->name);
		if (err) {
			pr_err("%s: DCSS %s could not be claimed again: %d\n",
			       ddev->name, seg->name, err);
			continue;
		}
		seg->claim_dropped = false;
	}
}

/**
 * dcssdax_devdax_unclaimed - is a segment's claim still handed over?
 * @ddev: the device, not in devdax mode
 *
 * After devdax mode could not give back a segment's busy claim, its
 * memory is claimed by nobody or by someone else: the block device must
 * not be built over it.
 *
 * Return: 0, or -EBUSY (the reason in dmesg).
 */
int dcssdax_devdax_unclaimed(struct dcssdax_device *ddev)
{
	struct dcssdax_segment *seg;

	list_for_each_entry(seg, &ddev->segments, node) {
		if (seg->claim_dropped) {
			pr_err("%s: DCSS %s is no longer claimed by this device; it cannot be a block device again\n",
			       ddev->name, seg->name);
			return -EBUSY;
		}
	}
	return 0;
}

int dcssdax_devdax_init(void)
{
	return platform_driver_register(&devdax_driver);
}

void dcssdax_devdax_exit(void)
{
	platform_driver_unregister(&devdax_driver);
}

/**
 * dcssdax_devdax_setup - put the device's range on the dax bus
 * @ddev: device with its segments loaded, registered, in devdax mode
 *
 * Creates a static dax region of the whole device with one dev_dax of
 * its size; device_dax binds to it (now, or when it is loaded) and gives
 * /dev/daxN.0.  The region has no NUMA node: kmem refuses it, since
 * onlining a segment as System RAM would give the page allocator memory
 * that other guests share or that z/VM may take away.
 *
 * Return: 0 or a negative errno; what was made is undone by
 * dcssdax_devdax_teardown().
 */
int dcssdax_devdax_setup(struct dcssdax_device *ddev)
{
	struct platform_device *pdev;
	int rc;

	rc = devdax_check(ddev, &ddev->devdax_align);
	if (rc)
		return rc;
	ddev->devdax_probe_rc = 0;
	rc = devdax_claim(ddev);
	if (rc)
		return rc;
	ddev->devdax_id = region_id_alloc();
	if (ddev->devdax_id < 0)
		return ddev->devdax_id;
	pdev = platform_device_alloc(DEVDAX_DRV_NAME, ddev->index);
	if (!pdev)
		return -ENOMEM;
	pdev->dev.parent = &ddev->dev;
	rc = platform_device_add_data(pdev, &ddev, sizeof(ddev));
	if (rc) {
		platform_device_put(pdev);
		return rc;
	}
	rc = platform_device_add(pdev);
	if (rc) {
		platform_device_put(pdev);
		return rc;
	}
	ddev->devdax_pdev = pdev;
	/* A failed probe leaves the device registered and unbound. */
	if (!device_is_bound(&pdev->dev)) {
		rc = ddev->devdax_probe_rc ?: -ENXIO;
		pr_err("%s: the dax region could not be created: %d\n",
		       ddev->name, rc);
		return rc;
	}
	/*
	 * A mapping of /dev/daxN.0 pins device_dax, not us, and module exit
	 * removes devices without asking whether they are busy: a page pin
	 * would outlive the struct pages.  So a devdax device pins the
	 * module: rmmod is refused until it is removed, which checks.
	 */
	__module_get(THIS_MODULE);
	ddev->devdax_pinned = true;
	return 0;
}

/*
 * Between the busy check of a remove or mode switch and the dev_dax's
 * removal, /dev/daxN.0 can still be mapped, faulted and pinned, and
 * device_dax's memunmap_pages() does not wait for page references.  So
 * the dev_dax is killed first (no new mappings or faults; existing
 * mappings are zapped), then the teardown waits, saying why, until
 * nobody holds a page: only a pin taken in that window can remain.
 */
static void devdax_kill_and_wait(struct dcssdax_device *ddev)
{
	unsigned long pfn, polls = 0;

	dcssdax_test_point("devdax:kill");
	kill_dev_dax(ddev->devdax_dev);
	while ((pfn = dcssdax_devdax_busy(ddev)) != 0) {
		if (!(polls % (30 * 4)))
			pr_warn("%s: waiting for the page at %#llx of dax%d.0 to be unpinned before its struct pages go\n",
				ddev->name, (unsigned long long)PFN_PHYS(pfn),
				ddev->devdax_id);
		polls++;
		schedule_timeout_idle(HZ / 4);
	}
}

/**
 * dcssdax_devdax_teardown - take the device's range off the dax bus
 * @ddev: the device, ADDING (failed) or DYING or SWITCHING
 *
 * Kills the dev_dax and waits for its pages to be free, then unregisters
 * the platform device, which unbinds it and so removes the dev_dax:
 * device_dax is unbound, its struct pages removed and its claim released
 * before this returns.  A file still open on /dev/daxN.0 gets ENXIO from
 * then on.  The segments' busy claims are taken back.
 *
 * A segment claim that cannot be taken back stays marked (see
 * dcssdax_devdax_unclaimed()).
 */
void dcssdax_devdax_teardown(struct dcssdax_device *ddev)
{
	if (ddev->devdax_dev)
		devdax_kill_and_wait(ddev);
	if (ddev->devdax_pdev)
		platform_device_unregister(ddev->devdax_pdev);
	ddev->devdax_pdev = NULL;
	ddev->devdax_dev = NULL;
	if (ddev->devdax_id >= 0)
		region_id_free(ddev->devdax_id);
	ddev->devdax_id = -1;
	/* Loaded as before devdax mode, for fsdax mode or unload. */
	devdax_unclaim(ddev);
	/* Last, as it was taken last: rmmod waits for all of the above. */
	if (ddev->devdax_pinned)
		module_put(THIS_MODULE);
	ddev->devdax_pinned = false;
}

/**
 * dcssdax_devdax_busy - is a page of the devdax device mapped or pinned?
 * @ddev: the device, with dcssdax_lock held or not LIVE
 *
 * device_dax's pages (MEMORY_DEVICE_GENERIC) have a reference count of 1
 * while idle; every mapping and pin holds one more.  Root may rebind
 * daxN.0 to fsdev_dax (Linux 7.1+), whose MEMORY_DEVICE_FS_DAX pages
 * count 0 while idle: the pagemap's type says which.  Holding the
 * pagemap keeps the driver from unbinding and freeing the pages during
 * the walk; without a pagemap no driver is bound and nothing can be
 * mapped.  A pin taken after the answer is waited for by the teardown
 * (devdax_kill_and_wait()).
 *
 * Return: the first busy pfn, or 0.
 */
unsigned long dcssdax_devdax_busy(const struct dcssdax_device *ddev)
{
	unsigned long pfn = PHYS_PFN(ddev->start), busy = 0;
	struct dev_pagemap *pgmap;
	int idle;

	if (!ddev->devdax_pdev)
		return 0;
	pgmap = get_dev_pagemap(pfn);
	if (!pgmap)
		return 0;
	idle = pgmap->type == MEMORY_DEVICE_GENERIC ? 1 : 0;
	while (pfn <= PHYS_PFN(ddev->end)) {
		struct folio *folio = pfn_folio(pfn);

		if (folio_ref_count(folio) > idle) {
			busy = pfn;
			break;
		}
		pfn = folio_pfn(folio) + folio_nr_pages(folio);
		cond_resched();
	}
	put_dev_pagemap(pgmap);
	return busy;
}
