// SPDX-License-Identifier: GPL-2.0
/*
 * dcssdax - block devices with fs-dax over z/VM discontiguous saved
 * segments (DCSS).  The top of the driver: module init and exit, the
 * control files (add, remove, shared, save, mode) and the device
 * lifecycle.  Everything it uses lies below it and never calls up:
 * registry.c (devices, states, dcssdax_lock), segment.c and the backends,
 * pgmap.c, dax.c, blk.c, devdax.c, sysfs.c (read-only facts).
 *
 * Device lifecycle: add builds a device in the order below and every
 * failure and every removal runs dcssdax_destroy(), which undoes whatever
 * was built, in reverse:
 *
 *   load segments, put the device on the list (ADDING)
 *   -> register device -> register its segments' devices
 *   -> memory (struct pages or plain mapping) -> gendisk -> dax_device
 *   -> add disk -> LIVE
 *
 * or, in devdax mode, after the segments: -> dax region and dev_dax -> LIVE
 *
 * Locking (the rules are above dcssdax_lock in registry.c, the checklist
 * of every path to every object in LIFETIME.md): dcssdax_lock is held
 * only for the list and the state changes, never across building or
 * tearing down the sysfs files and the disk: device_del() and
 * del_gendisk() wait for sysfs writers and openers that themselves take
 * dcssdax_lock.  A device on the list owns its segments in every state,
 * so no other device can load them; it leaves the list, and its segments
 * are unloaded, in one critical section at the end of the teardown.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blkdev.h>
#include <linux/idr.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/string_choices.h>
#include <linux/string_helpers.h>
#include <linux/sysfs.h>

#include "dcssdax.h"

#define DCSSDAX_MAX_SEGMENTS	64
#define DCSSDAX_PARAM_LEN	1024

static char segments_param[DCSSDAX_PARAM_LEN];
module_param_string(segments, segments_param, sizeof(segments_param), 0444);
MODULE_PARM_DESC(segments,
		 "Segments to add at load time, dcssblk syntax: comma-separated sets of ':'-joined contiguous segment names, \"(local)\" after a set loads it exclusive-writable, e.g. \"a,b:c,d(local)\"");

#ifdef CONFIG_DCSSDAX_TEST
static char test_pause_param[128];
module_param_string(test_pause, test_pause_param, sizeof(test_pause_param),
		    0444);
MODULE_PARM_DESC(test_pause,
		 "Test build: comma-separated test points to pause at from the start");
#else
static const char test_pause_param[] = "";
#endif

static char emulate_param[DCSSDAX_PARAM_LEN];
/* Physical addresses: root only, as in /proc/iomem. */
module_param_string(emulate, emulate_param, sizeof(emulate_param), 0400);
MODULE_PARM_DESC(emulate,
		 "Emulated segment table, comma-separated NAME:TYPE:START:SIZE (TYPE SW EW SR ER SN EN SC EWEN; START, SIZE in bytes with K/M/G suffix, page aligned) over memory the kernel does not manage, e.g. \"LNXSHR:SR:0x40000000:64M\". Names in the table are emulated; others go to z/VM (s390) or fail with ENODEV");

static DEFINE_IDA(dcssdax_ida);
static int dcssdax_major;
static struct device *dcssdax_root;

static int dcssdax_add(const char *buf, size_t count, int mode, bool devdax);
static int dcssdax_remove(const char *name);
static int dcssdax_set_shared(struct dcssdax_device *ddev, bool shared,
			      struct device_attribute *attr);
static int dcssdax_request_save(struct dcssdax_device *ddev, bool save);
static int dcssdax_set_devdax(struct dcssdax_device *ddev, bool devdax,
			      struct device_attribute *attr);

/*
 * The control files, dcssblk's and ours: each write is one lifecycle
 * operation above.  Root only, as dcssblk's.
 */
static ssize_t add_store(struct device *dev, struct device_attribute *attr,
			 const char *buf, size_t count)
{
	int rc = dcssdax_add(buf, count, DCSSDAX_SHARED, false);

	return rc ? rc : count;
}
static DEVICE_ATTR_WO(add);

/* As add, but the device is a dax region with /dev/daxN.0: devdax.c */
static ssize_t devdax_store(struct device *dev,
			    struct device_attribute *attr, const char *buf,
			    size_t count)
{
	int rc = dcssdax_add(buf, count, DCSSDAX_SHARED, true);

	return rc ? rc : count;
}
static DEVICE_ATTR_WO(devdax);

static ssize_t remove_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t count)
{
	char name[1][DCSSDAX_NAME_LEN + 1];
	int rc;

	rc = dcssdax_parse_names(buf, count, name, 1);
	if (rc < 0)
		return rc;
	rc = dcssdax_remove(name[0]);
	return rc ? rc : count;
}
static DEVICE_ATTR_WO(remove);

static struct attribute *root_attrs[] = {
	&dev_attr_add.attr,
	&dev_attr_devdax.attr,
	&dev_attr_remove.attr,
	NULL,
};

static const struct attribute_group root_group = {
	.attrs = root_attrs,
};

static const struct attribute_group *dcssdax_root_groups[] = {
	&root_group,
	NULL,
};

/* "0" or "1", optionally followed by a newline, as dcssblk accepts. */
static int parse_bool01(const char *buf, size_t count)
{
	if (count < 1 || count > 2 || (count == 2 && buf[1] != '\n'))
		return -EINVAL;
	if (buf[0] == '0' || buf[0] == '1')
		return buf[0] - '0';
	return -EINVAL;
}

static ssize_t shared_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(to_dcssdax(dev)->shared));
}

/*
 * The stores of shared and mode may remove their own device
 * (dcssdax_destroy_self()) and so hold the module from their start:
 * once their file is gone nothing else would, and a module exit begun
 * before they took it could free the code they return through.  rmmod
 * is refused while one runs; one that comes during exit finds the
 * module going.
 */
static ssize_t shared_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t count)
{
	int val = parse_bool01(buf, count);
	int rc;

	if (val < 0)
		return val;
	if (!try_module_get(THIS_MODULE))
		return -ENODEV;
	dcssdax_test_point("control:shared");
	rc = dcssdax_set_shared(to_dcssdax(dev), val, attr);
	module_put(THIS_MODULE);
	return rc ? rc : count;
}
static DEVICE_ATTR_ADMIN_RW(shared);

static ssize_t save_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%d\n",
			  READ_ONCE(to_dcssdax(dev)->save_pending));
}

static ssize_t save_store(struct device *dev, struct device_attribute *attr,
			  const char *buf, size_t count)
{
	int val = parse_bool01(buf, count);
	int rc;

	if (val < 0)
		return val;
	rc = dcssdax_request_save(to_dcssdax(dev), val);
	return rc ? rc : count;
}
static DEVICE_ATTR_ADMIN_RW(save);

static ssize_t mode_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  READ_ONCE(to_dcssdax(dev)->devdax) ? "devdax" : "fsdax");
}

static ssize_t mode_store(struct device *dev, struct device_attribute *attr,
			  const char *buf, size_t count)
{
	static const char * const modes[] = { "fsdax", "devdax" };
	int rc, devdax = sysfs_match_string(modes, buf);

	if (devdax < 0)
		return -EINVAL;
	if (!try_module_get(THIS_MODULE))
		return -ENODEV;
	rc = dcssdax_set_devdax(to_dcssdax(dev), devdax, attr);
	module_put(THIS_MODULE);
	return rc ? rc : count;
}
static DEVICE_ATTR_RW(mode);

static struct attribute *control_attrs[] = {
	&dev_attr_shared.attr,
	&dev_attr_save.attr,
	&dev_attr_mode.attr,
	NULL,
};

static const struct attribute_group control_group = {
	.attrs = control_attrs,
};

static const struct attribute_group *dcssdax_dev_groups[] = {
	&control_group,
	&dcssdax_facts_group,
	NULL,
};

static void dcssdax_release_dev(struct device *dev)
{
	struct dcssdax_device *ddev = to_dcssdax(dev);

	if (ddev->index >= 0)
		ida_free(&dcssdax_ida, ddev->index);
	kfree(ddev);
	dcssdax_released();
}

/* Called with dcssdax_lock held; the device is not (or no longer) listed. */
static void dcssdax_segments_unload(struct dcssdax_device *ddev)
{
	struct dcssdax_segment *seg;

	lockdep_assert_held(&dcssdax_lock);
	list_for_each_entry(seg, &ddev->segments, node)
		dcssdax_segment_unload(seg);
}

/* Nobody can reach the segments any more: not listed, not in sysfs. */
static void dcssdax_segments_free(struct dcssdax_device *ddev)
{
	struct dcssdax_segment *seg, *tmp;

	list_for_each_entry_safe(seg, tmp, &ddev->segments, node) {
		list_del(&seg->node);
		dcssdax_segment_free(seg);
	}
}

/*
 * The one teardown path: undoes what dcssdax_build() did, in reverse,
 * from wherever it stopped, then takes the device off the list and
 * unloads its segments.  Called without dcssdax_lock, on a device that
 * is DYING, so nothing else changes it.
 *
 * Who maps what (read in Linux 7.3, the same since 6.17): on s390,
 * segment_load() maps the segment into the identity mapping
 * (vmem_add_mapping) and segment_unload() unmaps it.  memremap_pages()
 * -> arch_add_memory() maps the whole 2 MiB-rounded piece again
 * (vmem_add_mapping, which skips what is mapped) and, if __add_pages()
 * fails, unmaps all of it; memunmap_pages() -> arch_remove_memory()
 * unmaps all of it too.  So on s390 a failed memremap_pages() leaves the
 * segment unmapped (the add then fails: dcssdax_pgmap_setup()), and a
 * piece may only cover segments of devices that hold it (shared,
 * counted), never the bytes of a device without struct pages or of
 * someone else's segment.  The emulated backend's storage on s390 is
 * mapped by memremap_pages() alone.  On x86 memremap_pages() maps the
 * piece into the linear mapping and memunmap_pages() unmaps it; a device
 * without struct pages uses its own memremap().
 *
 * So DAX is killed and the disk goes first (no new users of the memory),
 * then the struct pages (nobody holds a page: checked before), then the
 * sysfs files, then the segment: nothing touches segment memory after it
 * is unmapped or purged.  A piece shared with a neighbour outlives this
 * device.
 */
static void dcssdax_unbuild_mode(struct dcssdax_device *ddev)
{
	dcssdax_devdax_teardown(ddev);
	/* As pmem: the dax_device dies before the disk is deleted. */
	dcssdax_dax_teardown(ddev);
	if (ddev->disk_added)
		del_gendisk(ddev->disk);
	ddev->disk_added = false;
	if (ddev->disk)
		put_disk(ddev->disk);
	ddev->disk = NULL;
	dcssdax_pgmap_teardown(ddev);
}

/*
 * The facts of the mode just torn down, forgotten before another is
 * built.  Not on the way to removal: a reader of memmap_bytes racing a
 * remove sees the value the device had (group 18).
 */
static void dcssdax_forget_mode(struct dcssdax_device *ddev)
{
	WRITE_ONCE(ddev->memmap_bytes, 0);
	ddev->dax_reason[0] = '\0';
}

static void dcssdax_destroy(struct dcssdax_device *ddev)
{
	dcssdax_unbuild_mode(ddev);
	dcssdax_segments_sysfs_del(ddev);
	if (device_is_registered(&ddev->dev))
		device_del(&ddev->dev);
	dcssdax_test_point("teardown_segments");

	dcssdax_holes_open();
	mutex_lock(&dcssdax_lock);
	dcssdax_list_del(ddev);
	dcssdax_segments_unload(ddev);
	mutex_unlock(&dcssdax_lock);
	/* Its bytes in a neighbour's piece are holes now. */
	dcssdax_holes_close();

	dcssdax_segments_free(ddev);
	put_device(&ddev->dev);
}

/*
 * Destroy a device from inside one of its own control files: the file
 * goes first, as device_del() would wait for the writer.  The caller
 * holds the module (shared_store(), mode_store()): nothing else pins it
 * once the file is gone.
 */
static void dcssdax_destroy_self(struct dcssdax_device *ddev,
				 struct device_attribute *attr)
{
	if (attr)
		device_remove_file_self(&ddev->dev, attr);
	dcssdax_destroy(ddev);
}

/*
 * The logical block size of the block devices made from now on.  The
 * page size by default, as dcssblk has it: mke2fs never makes blocks
 * smaller than the logical block size, and fs-dax needs blocks of the
 * page size, so plain mkfs.ext2/mkfs.ext4 on a segment below 512 MiB
 * (mke2fs.conf's "small" type, 1 KiB blocks) makes a filesystem that
 * mounts with -o dax.  512 (as pmem) is for what only small sectors can
 * do: mount xfs made with 512-byte sectors or ext2/ext4 with blocks below
 * the page size (without DAX), and O_DIRECT below the page size on the
 * device and on filesystems mounted without DAX.
 */
static unsigned int dcssdax_lbs = PAGE_SIZE;

static int dcssdax_lbs_set(const char *val, const struct kernel_param *kp)
{
	unsigned int lbs;
	int rc;

	rc = kstrtouint(val, 0, &lbs);
	if (rc)
		return rc;
	if (!is_power_of_2(lbs) || lbs < SECTOR_SIZE || lbs > PAGE_SIZE)
		return -EINVAL;
	WRITE_ONCE(dcssdax_lbs, lbs);
	return 0;
}

static const struct kernel_param_ops dcssdax_lbs_ops = {
	.set	= dcssdax_lbs_set,
	.get	= param_get_uint,
};
module_param_cb(logical_block_size, &dcssdax_lbs_ops, &dcssdax_lbs, 0644);
MODULE_PARM_DESC(logical_block_size,
		 "Logical block size in bytes of the block devices made from now on (added, or switched to fsdax): a power of two from 512 to the page size (the default, as dcssblk; mkfs.ext2/ext4 then make blocks that fs-dax can use)");

static int dcssdax_alloc_disk(struct dcssdax_device *ddev)
{
	struct queue_limits lim = {
		.logical_block_size	= READ_ONCE(dcssdax_lbs),
		.physical_block_size	= PAGE_SIZE,
		.max_hw_sectors		= UINT_MAX,
		.max_write_zeroes_sectors = UINT_MAX,
		.features		= BLK_FEAT_SYNCHRONOUS,
	};
	struct gendisk *disk;

	if (ddev->nr_pieces)
		lim.features |= BLK_FEAT_DAX;
	disk = blk_alloc_disk(&lim, NUMA_NO_NODE);
	if (IS_ERR(disk))
		return PTR_ERR(disk);
	disk->major = dcssdax_major;
	disk->first_minor = ddev->index;
	disk->minors = 1;
	disk->fops = &dcssdax_fops;
	disk->private_data = ddev;
	disk->flags |= GENHD_FL_NO_PART;
	snprintf(disk->disk_name, DISK_NAME_LEN, DCSSDAX_NAME "%d",
		 ddev->index);
	set_capacity(disk, dcssdax_size(ddev) >> SECTOR_SHIFT);
	ddev->disk = disk;
	return 0;
}

static int dcssdax_build_mode(struct dcssdax_device *ddev);

/* Everything after the segments are loaded and checked. */
static int dcssdax_build(struct dcssdax_device *ddev)
{
	int rc;

	rc = dcssdax_test_point("build:device_add") ?: device_add(&ddev->dev);
	if (rc)
		return rc;
	dcssdax_test_point("add_registered");
	rc = dcssdax_test_point("build:segments_sysfs") ?:
		dcssdax_segments_sysfs_add(ddev);
	if (rc)
		return rc;
	return dcssdax_build_mode(ddev);
}

/*
 * The parts of a device that depend on its mode: the block device with
 * its memory and dax_device, or the dax region.  Undone by
 * dcssdax_unbuild_mode(), from wherever it stopped.
 */
static int dcssdax_build_mode(struct dcssdax_device *ddev)
{
	int rc;

	if (ddev->devdax) {
		rc = dcssdax_test_point("build:devdax") ?:
			dcssdax_devdax_setup(ddev);
		if (!rc)
			snprintf(ddev->dax_reason, sizeof(ddev->dax_reason),
				 "devdax mode: dax%d.0", ddev->devdax_id);
		return rc;
	}
	rc = dcssdax_devdax_unclaimed(ddev) ?:
		dcssdax_test_point("build:pgmap") ?: dcssdax_pgmap_setup(ddev);
	if (rc)
		return rc;
	rc = dcssdax_test_point("build:alloc_disk") ?: dcssdax_alloc_disk(ddev);
	if (rc)
		return rc;
	rc = dcssdax_test_point("build:dax") ?: dcssdax_dax_setup(ddev);
	if (rc)
		return rc;
	/* Before it is visible: no rw open may slip in (SR, ER, SC). */
	set_disk_ro(ddev->disk, dcssdax_readonly(ddev));
	rc = dcssdax_test_point("build:add_disk") ?:
		device_add_disk(&ddev->dev, ddev->disk, NULL);
	if (rc)
		return rc;
	ddev->disk_added = true;
	return 0;
}

static struct dcssdax_device *dcssdax_alloc(const char *name)
{
	struct dcssdax_device *ddev;

	ddev = kzalloc_obj(*ddev);
	if (!ddev)
		return NULL;
	device_initialize(&ddev->dev);
	dcssdax_release_pending();
	ddev->dev.parent = dcssdax_root;
	ddev->dev.groups = dcssdax_dev_groups;
	ddev->dev.release = dcssdax_release_dev;
	INIT_LIST_HEAD(&ddev->segments);
	INIT_LIST_HEAD(&ddev->node);
	ddev->devdax_id = -1;
	strscpy(ddev->name, name);
	ddev->index = ida_alloc_max(&dcssdax_ida, MINORMASK, GFP_KERNEL);
	if (ddev->index < 0 || dev_set_name(&ddev->dev, "%s", name)) {
		put_device(&ddev->dev);
		return NULL;
	}
	return ddev;
}

/* Called with dcssdax_lock held. */
static int dcssdax_load_all(struct dcssdax_device *ddev,
			    char names[][DCSSDAX_NAME_LEN + 1], int nr, int mode)
{
	struct dcssdax_segment *seg;
	struct dcssdax_device *owner;
	int i;

	/* As dcssblk: an SC set asked for exclusive stays shared. */
	for (i = 0; i < nr && mode == DCSSDAX_EXCLUSIVE; i++) {
		if (dcssdax_segment_type(names[i]) == DCSSDAX_SEG_SC) {
			pr_err("DCSS %s is of type SC and cannot be loaded as exclusive-writable; device %s is added shared\n",
			       names[i], ddev->name);
			mode = DCSSDAX_SHARED;
			ddev->shared = true;
		}
	}
	for (i = 0; i < nr; i++) {
		owner = dcssdax_find_segment_owner(names[i]);
		if (owner) {
			pr_err("DCSS %s is already part of device %s\n",
			       names[i], owner->name);
			return -EEXIST;
		}
		seg = dcssdax_segment_load(names[i], mode);
		if (IS_ERR(seg))
			return PTR_ERR(seg);
		list_add_tail(&seg->node, &ddev->segments);
	}
	ddev->start = ULONG_MAX;
	list_for_each_entry(seg, &ddev->segments, node) {
		ddev->start = min(ddev->start, seg->start);
		ddev->end = max(ddev->end, seg->end);
	}
	return dcssdax_segments_check(&ddev->segments, nr);
}

/**
 * dcssdax_add - create a device from "NAME[:NAME...]"
 * @buf: the bytes written to /sys/devices/dcssdax/add
 * @count: their number
 * @mode: DCSSDAX_SHARED, or DCSSDAX_EXCLUSIVE for segments= "(local)"
 * @devdax: a devdax device (/dev/daxN.0) instead of a block device
 *
 * The segments are loaded and the device listed (ADDING, owning them)
 * under dcssdax_lock, with the holes of the struct pages open; it is
 * built without the lock, as the sysfs writers that device_del() may
 * wait for take it.
 *
 * Return: 0 or a negative errno; on error nothing stays loaded or mapped.
 */
static int dcssdax_add(const char *buf, size_t count, int mode, bool devdax)
{
	char (*names)[DCSSDAX_NAME_LEN + 1];
	struct dcssdax_device *ddev;
	int nr, rc;

	names = kcalloc(DCSSDAX_MAX_SEGMENTS, sizeof(*names), GFP_KERNEL);
	if (!names)
		return -ENOMEM;
	nr = dcssdax_parse_names(buf, count, names, DCSSDAX_MAX_SEGMENTS);
	if (nr < 0) {
		rc = nr;
		goto out_free;
	}
	ddev = dcssdax_alloc(names[0]);
	if (!ddev) {
		rc = -ENOMEM;
		goto out_free;
	}
	ddev->shared = mode == DCSSDAX_SHARED;
	ddev->devdax = devdax;
	/* Our segments may lie in another device's rounding (pgmap.c). */
	dcssdax_holes_open();
	mutex_lock(&dcssdax_lock);
	rc = dcssdax_load_all(ddev, names, nr, mode);
	if (rc) {
		dcssdax_segments_unload(ddev);
		mutex_unlock(&dcssdax_lock);
		dcssdax_holes_close();
		dcssdax_segments_free(ddev);
		put_device(&ddev->dev);
		goto out_free;
	}
	dcssdax_list_add(ddev);
	mutex_unlock(&dcssdax_lock);
	/* Until its own are mapped, the neighbours' must not go: pgmap.c */
	dcssdax_pieces_pin(ddev);
	dcssdax_holes_close();

	rc = dcssdax_build(ddev);
	if (rc) {
		/* Writers that got in meanwhile find it going, not coming. */
		mutex_lock(&dcssdax_lock);
		dcssdax_set_state(ddev, DCSSDAX_DYING);
		mutex_unlock(&dcssdax_lock);
		dcssdax_destroy(ddev);
		goto out_free;
	}
	mutex_lock(&dcssdax_lock);
	/* Said before unlocking: once LIVE, a remove may free it. */
	if (ddev->devdax)
		pr_info("Loaded %s with total size %lu bytes as dax%d.0, align %u; no NUMA node, so kmem (system-ram) refuses it\n",
			ddev->name, dcssdax_size(ddev), ddev->devdax_id,
			ddev->devdax_align);
	else
		pr_info("Loaded %s with total size %lu bytes as %s, DAX %s\n",
			ddev->name, dcssdax_size(ddev), ddev->disk->disk_name,
			str_enabled_disabled(ddev->dax_dev));
	dcssdax_set_state(ddev, DCSSDAX_LIVE);
	mutex_unlock(&dcssdax_lock);
out_free:
	kfree(names);
	return rc;
}

/* The first page of the device someone holds, or 0: any mode. */
static unsigned long dcssdax_busy_pfn(const struct dcssdax_device *ddev)
{
	return ddev->devdax ? dcssdax_devdax_busy(ddev) :
			      dcssdax_pages_busy(ddev);
}

/*
 * Called with dcssdax_lock held: may the device's memory change hands
 * (remove, mode switch)?  Only when nobody has it open and nobody holds
 * one of its pages.
 */
static int dcssdax_idle(struct dcssdax_device *ddev, const char *what)
{
	unsigned long pfn;

	if (ddev->state != DCSSDAX_LIVE)
		return ddev->state == DCSSDAX_DYING ? -ENODEV : -EBUSY;
	if (ddev->open_count) {
		pr_warn("Device %s cannot be %s while it is in use\n",
			ddev->name, what);
		return -EBUSY;
	}
	pfn = dcssdax_busy_pfn(ddev);
	if (pfn) {
		pr_warn("Device %s cannot be %s while its page at %#llx is referenced (%s)\n",
			ddev->name, what, (unsigned long long)PFN_PHYS(pfn),
			ddev->devdax ? "mapped from its dax device, or pinned" :
				       "a pipe or a page pin still holds it");
		return -EBUSY;
	}
	return 0;
}

/**
 * dcssdax_remove - remove the device named @name
 * @name: upper-case device name
 *
 * Return: 0, -ENODEV when there is no such device (or it is going away),
 * -EBUSY while it is open (a mounted filesystem holds it open), being
 * added, or one of its pages is referenced; nothing changes on error.
 */
static int dcssdax_remove(const char *name)
{
	struct dcssdax_device *ddev;
	int rc;

	mutex_lock(&dcssdax_lock);
	ddev = dcssdax_find_device(name);
	if (!ddev) {
		mutex_unlock(&dcssdax_lock);
		pr_warn("Device %s cannot be removed because it is not a known device\n",
			name);
		return -ENODEV;
	}
	rc = dcssdax_idle(ddev, "removed");
	if (rc) {
		mutex_unlock(&dcssdax_lock);
		return rc;
	}
	/* From here on opens and changes fail; the teardown needs no lock. */
	dcssdax_set_state(ddev, DCSSDAX_DYING);
	mutex_unlock(&dcssdax_lock);
	dcssdax_destroy(ddev);
	return 0;
}

/*
 * Called with dcssdax_lock held: reload every segment in @mode, all or
 * none.  extmem purges a segment on every failed reload but -EAGAIN
 * ("in use by other exploiters", nothing changed; see
 * segment_modify_shared() in arch/s390/mm/extmem.c), -EINVAL means it is
 * not loaded at all, and the emulated backend keeps that contract.
 *
 * Return: 0; -EAGAIN when a segment is in use by another user of the
 * guest and the segments already switched were switched back, so nothing
 * changed; any other errno when a segment was lost (marked not loaded):
 * the device cannot stay.
 */
static int dcssdax_switch(struct dcssdax_device *ddev, int mode)
{
	int old = mode == DCSSDAX_SHARED ? DCSSDAX_EXCLUSIVE : DCSSDAX_SHARED;
	struct dcssdax_segment *seg, *failed = NULL;
	int rc = 0;

	list_for_each_entry(seg, &ddev->segments, node) {
		rc = seg->backend->modify_shared(seg->name, mode);
		if (rc) {
			failed = seg;
			break;
		}
	}
	if (!failed)
		return 0;
	if (rc != -EAGAIN) {
		failed->loaded = false;
		return rc;
	}
	pr_err("DCSS %s is in use by another user of this guest and cannot be reloaded; device %s keeps its access mode\n",
	       failed->name, ddev->name);
	/* Switch back what was switched, so the device is one thing. */
	list_for_each_entry(seg, &ddev->segments, node) {
		if (seg == failed)
			break;
		rc = seg->backend->modify_shared(seg->name, old);
		if (rc) {
			pr_err("DCSS %s cannot be switched back: %d\n",
			       seg->name, rc);
			if (rc != -EAGAIN)
				seg->loaded = false;
			/* Half switched is as lost as purged. */
			return rc == -EAGAIN ? -EIO : rc;
		}
	}
	return -EAGAIN;
}

/**
 * dcssdax_set_shared - reload the device's segments shared or exclusive
 * @ddev: the device
 * @shared: true for shared, false for exclusive-writable
 * @attr: the sysfs attribute being written, needed to remove the device
 *	from inside its own attribute; NULL when not called from sysfs
 *
 * All segments switch or none: a segment in use by another user of the
 * guest (-EAGAIN from z/VM) fails the whole switch with -EBUSY after the
 * segments already switched are switched back.  Any other failure means
 * z/VM dropped a segment: the device is removed, as dcssblk does, and
 * the backend's errno returned (-EIO, -ENOENT, or -EBUSY when the
 * segment overlapped memory in use and could not be reloaded).
 *
 * Return: 0 or a negative errno.
 */
static int dcssdax_set_shared(struct dcssdax_device *ddev, bool shared,
			      struct device_attribute *attr)
{
	int mode = shared ? DCSSDAX_SHARED : DCSSDAX_EXCLUSIVE;
	struct dcssdax_segment *seg;
	int rc;

	mutex_lock(&dcssdax_lock);
	rc = dcssdax_idle(ddev, "switched");
	if (rc)
		goto out;
	list_for_each_entry(seg, &ddev->segments, node) {
		/* device_dax would keep mapping it writable: devdax.c */
		if (shared && ddev->devdax &&
		    dcssdax_type_readonly(seg->type)) {
			pr_err("Device %s is in devdax mode and DCSS %s of type %s would be read-only when shared\n",
			       ddev->name, seg->name,
			       dcssdax_type_name(seg->type));
			rc = -EROFS;
			goto out;
		}
		if (!shared && seg->type == DCSSDAX_SEG_SC) {
			pr_err("DCSS %s is of type SC and cannot be loaded as exclusive-writable\n",
			       seg->name);
			rc = -EINVAL;
			goto out;
		}
	}
	rc = dcssdax_switch(ddev, mode);
	if (rc == -EAGAIN) {
		rc = -EBUSY;
		goto out;
	}
	if (rc < 0)
		goto lost;
	WRITE_ONCE(ddev->shared, shared);
	if (ddev->disk)
		set_disk_ro(ddev->disk, dcssdax_readonly(ddev));
out:
	mutex_unlock(&dcssdax_lock);
	return rc;

lost:
	pr_err("DCSS device %s is removed after a failed access mode change\n",
	       ddev->name);
	dcssdax_set_state(ddev, DCSSDAX_DYING);
	mutex_unlock(&dcssdax_lock);
	dcssdax_test_point("mode_lost");
	dcssdax_destroy_self(ddev, attr);
	return rc;
}

/**
 * dcssdax_set_devdax - switch the device between fsdax and devdax mode
 * @ddev: the device
 * @devdax: true for devdax, false for fsdax (a block device)
 * @attr: the sysfs attribute being written, needed to remove the device
 *	from inside its own attribute
 *
 * Only while the device is idle: not open, no page referenced or
 * mapped.  The segments stay loaded and their content stays; what
 * depends on the mode is torn down (SWITCHING: no opens, removes or
 * other changes) and built anew (ADDING: opens allowed, as udev probes
 * a new disk).  If the new mode
 * cannot be built the old one is built again; if that fails too the
 * device is removed, as after a failed access mode change.
 *
 * Return: 0 or a negative errno.
 */
static int dcssdax_set_devdax(struct dcssdax_device *ddev, bool devdax,
			      struct device_attribute *attr)
{
	int rc, rc2;

	if (devdax) {
		rc = dcssdax_devdax_possible(ddev);
		if (rc)
			return rc;
	}
	mutex_lock(&dcssdax_lock);
	rc = dcssdax_idle(ddev, "switched");
	if (rc || ddev->devdax == devdax) {
		mutex_unlock(&dcssdax_lock);
		return rc;
	}
	dcssdax_set_state(ddev, DCSSDAX_SWITCHING);
	mutex_unlock(&dcssdax_lock);

	dcssdax_unbuild_mode(ddev);
	dcssdax_forget_mode(ddev);
	/* The old disk is gone: opens of the new one may come (udev). */
	mutex_lock(&dcssdax_lock);
	dcssdax_set_state(ddev, DCSSDAX_ADDING);
	mutex_unlock(&dcssdax_lock);
	WRITE_ONCE(ddev->devdax, devdax);
	rc = dcssdax_test_point("switch:build") ?: dcssdax_build_mode(ddev);
	if (rc) {
		pr_err("Device %s cannot be switched to %s mode (%d) and goes back\n",
		       ddev->name, devdax ? "devdax" : "fsdax", rc);
		dcssdax_unbuild_mode(ddev);
		dcssdax_forget_mode(ddev);
		WRITE_ONCE(ddev->devdax, !devdax);
		rc2 = dcssdax_build_mode(ddev);
		if (rc2) {
			pr_err("DCSS device %s is removed after a failed mode switch\n",
			       ddev->name);
			mutex_lock(&dcssdax_lock);
			dcssdax_set_state(ddev, DCSSDAX_DYING);
			mutex_unlock(&dcssdax_lock);
			dcssdax_destroy_self(ddev, attr);
			return rc;
		}
	}
	/* Settled: module exit may be waiting for it (registry.c). */
	mutex_lock(&dcssdax_lock);
	dcssdax_set_state(ddev, DCSSDAX_LIVE);
	mutex_unlock(&dcssdax_lock);
	return rc;
}

/**
 * dcssdax_request_save - save the device's segments now or on last close
 * @ddev: the device
 * @save: true to save, false to cancel a pending save
 *
 * Return: 0, -EBUSY while the device is being added or -ENODEV when it is
 * going away.
 */
static int dcssdax_request_save(struct dcssdax_device *ddev, bool save)
{
	int rc = 0;

	mutex_lock(&dcssdax_lock);
	if (ddev->state != DCSSDAX_LIVE) {
		rc = ddev->state == DCSSDAX_DYING ? -ENODEV : -EBUSY;
	} else if (!save) {
		if (ddev->save_pending)
			pr_info("A pending save request for device %s has been canceled\n",
				ddev->name);
		WRITE_ONCE(ddev->save_pending, false);
	} else if (!ddev->open_count) {
		dcssdax_segments_save(ddev);
	} else {
		pr_info("Device %s is in use, its DCSSs will be saved when it becomes idle\n",
			ddev->name);
		WRITE_ONCE(ddev->save_pending, true);
	}
	mutex_unlock(&dcssdax_lock);
	return rc;
}

/*
 * Add the sets of the segments= parameter, dcssblk's "a,b:c,d(local)".
 * A "(local)" set is loaded exclusive-writable from the start: switching
 * it after the add would race with udev's probe, which opens the disk.
 */
static void dcssdax_add_param_segments(void)
{
	char *copy, *cursor, *set, *suffix;
	int rc;

	if (!*strim(segments_param))
		return;
	copy = kstrdup(strim(segments_param), GFP_KERNEL);
	if (!copy)
		return;
	cursor = copy;
	while ((set = strsep(&cursor, ",")) != NULL) {
		int mode = DCSSDAX_SHARED;

		suffix = strchr(set, '(');
		if (suffix) {
			if (strcmp(suffix, "(local)")) {
				pr_err("segments: set \"%s\" has an unknown suffix, only (local) is known\n",
				       set);
				continue;
			}
			*suffix = '\0';
			mode = DCSSDAX_EXCLUSIVE;
		}
		rc = dcssdax_add(set, strlen(set), mode, false);
		if (rc)
			pr_err("segments: adding \"%s\" failed: %d\n", set, rc);
		else
			dcssdax_test_point("param_added");
	}
	kfree(copy);
}

/*
 * Module exit cannot be refused once it runs: delete_module() checked
 * only the module's reference count, and a page reference held by a pipe
 * or a pin takes none (free_zone_device_folio() tells no driver when an
 * fs-dax page becomes free).  Freeing the struct pages under such a
 * reference would leave it pointing into freed memory, so exit waits
 * until nobody holds a page of the device, and says why it waits.
 */
static void dcssdax_wait_pages_free(struct dcssdax_device *ddev)
{
	unsigned long pfn, polls = 0;

	while ((pfn = dcssdax_busy_pfn(ddev)) != 0) {
		if (!(polls % (30 * 4)))
			pr_warn("Module exit waits for device %s: its page at %#llx is still referenced (%s)\n",
				ddev->name, (unsigned long long)PFN_PHYS(pfn),
				ddev->devdax ? "mapped or pinned" :
					       "a pipe or a page pin holds it");
		polls++;
		/* Not uninterruptible sleep: not a hung task, no load. */
		schedule_timeout_idle(HZ / 4);
	}
}

/*
 * Module exit: no device is open (an open one pins the module, and so
 * does a devdax device).  A LIVE device is marked DYING, so that no
 * mode switch or remove can start on it, and destroyed once its pages
 * are free.  A device that someone else is building, switching or
 * destroying (a mode switch that lost its segment) is theirs until it
 * settles: exit waits until it is LIVE or gone, then looks again.
 */
static void dcssdax_remove_all(void)
{
	struct dcssdax_device *ddev;
	unsigned long mark;
	bool none;

	for (;;) {
		mutex_lock(&dcssdax_lock);
		ddev = dcssdax_first_live();
		if (ddev)
			dcssdax_set_state(ddev, DCSSDAX_DYING);
		none = dcssdax_no_devices();
		mark = dcssdax_settle_mark();
		mutex_unlock(&dcssdax_lock);
		if (ddev) {
			dcssdax_wait_pages_free(ddev);
			dcssdax_destroy(ddev);
			continue;
		}
		if (none)
			return;
		dcssdax_settle_wait(mark);
	}
}

static int __init dcssdax_init(void)
{
	int rc;

	dcssdax_test_init(test_pause_param);
	rc = dcssdax_emul_init(emulate_param);
	if (rc)
		goto out_test;
	rc = dcssdax_devdax_init();
	if (rc)
		goto out_emul;
	rc = register_blkdev(0, DCSSDAX_NAME);
	if (rc < 0)
		goto out_devdax;
	dcssdax_major = rc;
	dcssdax_root = root_device_register(DCSSDAX_NAME);
	if (IS_ERR(dcssdax_root)) {
		rc = PTR_ERR(dcssdax_root);
		goto out_blkdev;
	}
	rc = device_add_groups(dcssdax_root, dcssdax_root_groups);
	if (rc)
		goto out_root;
	dcssdax_add_param_segments();
	return 0;

out_root:
	root_device_unregister(dcssdax_root);
out_blkdev:
	unregister_blkdev(dcssdax_major, DCSSDAX_NAME);
out_devdax:
	dcssdax_devdax_exit();
out_emul:
	dcssdax_emul_exit();
out_test:
	dcssdax_test_exit();
	return rc;
}

/*
 * An open device pins the module (fops.owner), so at exit every device is
 * closed and is removed once its pages are free.  The add and remove
 * files go first so that no new device can appear meanwhile.  The last
 * releases may still be on their way (see dcssdax_released()); they run
 * module code, so exit waits.
 */
static void __exit dcssdax_exit(void)
{
	device_remove_groups(dcssdax_root, dcssdax_root_groups);
	dcssdax_remove_all();
	root_device_unregister(dcssdax_root);
	unregister_blkdev(dcssdax_major, DCSSDAX_NAME);
	dcssdax_devdax_exit();
	dcssdax_emul_exit();
	dcssdax_wait_released();
	ida_destroy(&dcssdax_ida);
	dcssdax_test_exit();
}

module_init(dcssdax_init);
module_exit(dcssdax_exit);

MODULE_DESCRIPTION("Block driver with fs-dax for z/VM discontiguous saved segments");
MODULE_LICENSE("GPL");
