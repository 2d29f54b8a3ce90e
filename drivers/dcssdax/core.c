// SPDX-License-Identifier: GPL-2.0
/*
 * dcssdax - block devices with fs-dax over z/VM discontiguous saved
 * segments (DCSS).  Device lifecycle: add builds a device in the order
 * below and every failure and every removal runs dcssdax_teardown(), which
 * undoes whatever was built, in reverse:
 *
 *   load segments -> register device -> segments/ in sysfs
 *   -> memory (struct pages or plain mapping) -> gendisk -> dax_device
 *   -> add disk
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/blkdev.h>
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/string_helpers.h>
#include <linux/wait.h>

#include "dcssdax.h"

#define DCSSDAX_MAX_SEGMENTS	64
#define DCSSDAX_PARAM_LEN	1024

static char segments_param[DCSSDAX_PARAM_LEN];
module_param_string(segments, segments_param, sizeof(segments_param), 0444);
MODULE_PARM_DESC(segments,
		 "Segments to add at load time, dcssblk syntax: comma-separated sets of ':'-joined contiguous segment names, \"(local)\" after a set loads it exclusive-writable, e.g. \"a,b:c,d(local)\"");

static char emulate_param[DCSSDAX_PARAM_LEN];
module_param_string(emulate, emulate_param, sizeof(emulate_param), 0444);
MODULE_PARM_DESC(emulate,
		 "Emulated segment table, comma-separated NAME:TYPE:START:SIZE (TYPE SW EW SR ER SN EN SC EWEN; START, SIZE in bytes with K/M/G suffix, page aligned) over memory the kernel does not manage, e.g. \"LNXSHR:SR:0x40000000:64M\". Names in the table are emulated; others go to z/VM (s390) or fail with ENODEV");

/* Serializes add, remove, mode changes, saves and opens. */
DEFINE_MUTEX(dcssdax_lock);
static LIST_HEAD(dcssdax_devices);
static DEFINE_IDA(dcssdax_ida);
static int dcssdax_major;
static struct device *dcssdax_root;

/* Called with dcssdax_lock held. */
static struct dcssdax_device *find_device(const char *name)
{
	struct dcssdax_device *ddev;

	list_for_each_entry(ddev, &dcssdax_devices, node)
		if (!ddev->dying && !strcmp(ddev->name, name))
			return ddev;
	return NULL;
}

/* Called with dcssdax_lock held; dying devices still own their segments. */
static struct dcssdax_device *find_segment_owner(const char *name)
{
	struct dcssdax_device *ddev;
	struct dcssdax_segment *seg;

	list_for_each_entry(ddev, &dcssdax_devices, node)
		list_for_each_entry(seg, &ddev->segments, node)
			if (!strcmp(seg->name, name))
				return ddev;
	return NULL;
}

/**
 * dcssdax_range_is_segment - is [@start, @end] inside a device's segment?
 * @start: first byte
 * @end: last byte
 *
 * Called with dcssdax_lock held, while a device is being added: memory
 * claimed by a segment of another device may share a subsection with it.
 */
bool dcssdax_range_is_segment(unsigned long start, unsigned long end)
{
	struct dcssdax_device *ddev;
	struct dcssdax_segment *seg;

	lockdep_assert_held(&dcssdax_lock);
	list_for_each_entry(ddev, &dcssdax_devices, node)
		list_for_each_entry(seg, &ddev->segments, node)
			if (seg->start <= start && end <= seg->end)
				return true;
	return false;
}

/*
 * Release functions of module objects (devices, segments/<NAME>) can run
 * after the driver's last put: the gendisk holds its parent device until
 * its own release, and nothing orders that, or any kobject release
 * (CONFIG_DEBUG_KOBJECT_RELEASE delays them on purpose), before module
 * exit.  So the module counts the objects whose release is still to
 * come, and exit waits for them before the code of those release
 * functions and the ida go away.
 */
static atomic_t dcssdax_unreleased = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(dcssdax_released_wq);

/**
 * dcssdax_release_pending - count an object whose release is to come
 *
 * Its release function must end with dcssdax_released().
 */
void dcssdax_release_pending(void)
{
	atomic_inc(&dcssdax_unreleased);
}

/**
 * dcssdax_released - the last thing a release function of the module does
 */
void dcssdax_released(void)
{
	if (atomic_dec_and_test(&dcssdax_unreleased))
		wake_up(&dcssdax_released_wq);
}

static void dcssdax_release_dev(struct device *dev)
{
	struct dcssdax_device *ddev = to_dcssdax(dev);

	if (ddev->index >= 0)
		ida_free(&dcssdax_ida, ddev->index);
	kfree(ddev);
	dcssdax_released();
}

/*
 * The one teardown path: undoes what dcssdax_build() did, in reverse, from
 * wherever it stopped.  Leaves the final put to the caller.
 *
 * Order matters on s390 under z/VM: segment_load() mapped the segment
 * (vmem_add_mapping) before memremap_pages() -> arch_add_memory() mapped
 * the 2 MiB-rounded span, skipping what was mapped.  memunmap_pages() ->
 * arch_remove_memory() unmaps the span and segment_unload() unmaps the
 * segment (a no-op for what is gone) and purges it.  So the disk goes and
 * DAX is killed first (no new users of the memory), then the struct pages
 * (waiting for the last page reference), then the segment: nothing touches
 * segment memory after it is unmapped or purged.  A piece shared with a
 * neighbour outlives this device; unloading this segment unmaps only its
 * own range, never the neighbour's bytes, which nobody here touches again.
 */
static void dcssdax_teardown(struct dcssdax_device *ddev)
{
	struct dcssdax_segment *seg, *tmp;

	if (ddev->disk_added)
		del_gendisk(ddev->disk);
	ddev->disk_added = false;
	dcssdax_dax_teardown(ddev);
	if (ddev->disk)
		put_disk(ddev->disk);
	ddev->disk = NULL;
	dcssdax_pgmap_teardown(ddev);
	dcssdax_segments_sysfs_del(ddev);
	if (device_is_registered(&ddev->dev))
		device_del(&ddev->dev);
	list_for_each_entry_safe(seg, tmp, &ddev->segments, node) {
		dcssdax_segment_unload(seg);
		list_del(&seg->node);
		dcssdax_segment_free(seg);
	}
}

static int dcssdax_alloc_disk(struct dcssdax_device *ddev)
{
	struct queue_limits lim = {
		.logical_block_size	= SZ_4K,
		.physical_block_size	= SZ_4K,
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

/* Everything after the segments are loaded and checked. */
static int dcssdax_build(struct dcssdax_device *ddev)
{
	int rc;

	rc = device_add(&ddev->dev);
	if (rc)
		return rc;
	rc = dcssdax_segments_sysfs_add(ddev);
	if (rc)
		return rc;
	rc = dcssdax_pgmap_setup(ddev);
	if (rc)
		return rc;
	rc = dcssdax_alloc_disk(ddev);
	if (rc)
		return rc;
	rc = dcssdax_dax_setup(ddev);
	if (rc)
		return rc;
	rc = device_add_disk(&ddev->dev, ddev->disk, NULL);
	if (rc)
		return rc;
	ddev->disk_added = true;
	set_disk_ro(ddev->disk, dcssdax_readonly(ddev));
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
	strscpy(ddev->name, name);
	ddev->shared = true;
	ddev->index = ida_alloc_max(&dcssdax_ida, MINORMASK, GFP_KERNEL);
	if (ddev->index < 0 || dev_set_name(&ddev->dev, "%s", name)) {
		put_device(&ddev->dev);
		return NULL;
	}
	return ddev;
}

/* Called with dcssdax_lock held. */
static int dcssdax_load_all(struct dcssdax_device *ddev,
			    char names[][DCSSDAX_NAME_LEN + 1], int nr)
{
	struct dcssdax_segment *seg;
	struct dcssdax_device *owner;
	int i;

	for (i = 0; i < nr; i++) {
		owner = find_segment_owner(names[i]);
		if (owner) {
			pr_err("DCSS %s is already part of device %s\n",
			       names[i], owner->name);
			return -EEXIST;
		}
		seg = dcssdax_segment_load(names[i], DCSSDAX_SHARED);
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
 *
 * Return: 0 or a negative errno; on error nothing stays loaded or mapped.
 */
int dcssdax_add(const char *buf, size_t count)
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

	mutex_lock(&dcssdax_lock);
	rc = dcssdax_load_all(ddev, names, nr);
	if (!rc)
		rc = dcssdax_build(ddev);
	if (rc) {
		dcssdax_teardown(ddev);
		put_device(&ddev->dev);
	} else {
		list_add_tail(&ddev->node, &dcssdax_devices);
		pr_info("Loaded %s with total size %lu bytes as %s, DAX %s\n",
			ddev->name, dcssdax_size(ddev), ddev->disk->disk_name,
			ddev->dax_dev ? "enabled" : "disabled");
	}
	mutex_unlock(&dcssdax_lock);
out_free:
	kfree(names);
	return rc;
}

/* Tear down a device already marked dying, then forget it. */
static void dcssdax_destroy(struct dcssdax_device *ddev)
{
	dcssdax_teardown(ddev);
	mutex_lock(&dcssdax_lock);
	list_del(&ddev->node);
	mutex_unlock(&dcssdax_lock);
	put_device(&ddev->dev);
}

/**
 * dcssdax_remove - remove the device named @name
 * @name: upper-case device name
 *
 * Return: 0, -ENODEV when there is no such device or -EBUSY while it is
 * open (a mounted filesystem holds it open); nothing changes on error.
 */
int dcssdax_remove(const char *name)
{
	struct dcssdax_device *ddev;

	mutex_lock(&dcssdax_lock);
	ddev = find_device(name);
	if (!ddev) {
		mutex_unlock(&dcssdax_lock);
		pr_warn("Device %s cannot be removed because it is not a known device\n",
			name);
		return -ENODEV;
	}
	if (ddev->open_count) {
		mutex_unlock(&dcssdax_lock);
		pr_warn("Device %s cannot be removed while it is in use\n",
			name);
		return -EBUSY;
	}
	/* From here on opens fail, so the disk can go without the lock. */
	ddev->dying = true;
	mutex_unlock(&dcssdax_lock);
	dcssdax_destroy(ddev);
	return 0;
}

/**
 * dcssdax_set_shared - reload the device's segments shared or exclusive
 * @ddev: the device
 * @shared: true for shared, false for exclusive-writable
 * @attr: the sysfs attribute being written, needed to remove the device
 *	from inside its own attribute; NULL when not called from sysfs
 *
 * As in dcssblk, a segment in use elsewhere (-EAGAIN) keeps its mode, and
 * any other failure means z/VM dropped the segment: the device is removed.
 *
 * Return: 0 or a negative errno.
 */
int dcssdax_set_shared(struct dcssdax_device *ddev, bool shared,
		       struct device_attribute *attr)
{
	int mode = shared ? DCSSDAX_SHARED : DCSSDAX_EXCLUSIVE;
	struct dcssdax_segment *seg;
	int rc = 0;

	mutex_lock(&dcssdax_lock);
	if (ddev->dying) {
		rc = -ENODEV;
		goto out;
	}
	if (ddev->open_count) {
		rc = -EBUSY;
		goto out;
	}
	list_for_each_entry(seg, &ddev->segments, node) {
		if (!shared && seg->type == DCSSDAX_SEG_SC) {
			pr_err("DCSS %s is of type SC and cannot be loaded as exclusive-writable\n",
			       seg->name);
			rc = -EINVAL;
			goto out;
		}
	}
	list_for_each_entry(seg, &ddev->segments, node) {
		rc = seg->backend->modify_shared(seg->name, mode);
		if (rc == -EAGAIN)
			rc = 0;
		if (rc < 0) {
			seg->loaded = false;
			goto lost;
		}
	}
	WRITE_ONCE(ddev->shared, shared);
	set_disk_ro(ddev->disk, dcssdax_readonly(ddev));
out:
	mutex_unlock(&dcssdax_lock);
	return rc;

lost:
	pr_err("DCSS device %s is removed after a failed access mode change\n",
	       ddev->name);
	ddev->dying = true;
	mutex_unlock(&dcssdax_lock);
	/* Drop our own attribute first: device_del() would wait for it. */
	if (attr)
		device_remove_file_self(&ddev->dev, attr);
	dcssdax_destroy(ddev);
	return rc;
}

/**
 * dcssdax_request_save - save the device's segments now or on last close
 * @ddev: the device
 * @save: true to save, false to cancel a pending save
 *
 * Return: 0 or -ENODEV when the device is going away.
 */
int dcssdax_request_save(struct dcssdax_device *ddev, bool save)
{
	int rc = 0;

	mutex_lock(&dcssdax_lock);
	if (ddev->dying) {
		rc = -ENODEV;
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

/* Add the sets of the segments= parameter, dcssblk's "a,b:c,d(local)". */
static void dcssdax_add_param_segments(void)
{
	char *copy, *cursor, *set, *suffix;
	struct dcssdax_device *ddev;
	int rc;

	if (!*strim(segments_param))
		return;
	copy = kstrdup(strim(segments_param), GFP_KERNEL);
	if (!copy)
		return;
	cursor = copy;
	while ((set = strsep(&cursor, ",")) != NULL) {
		bool local = false;

		suffix = strchr(set, '(');
		if (suffix) {
			if (strcmp(suffix, "(local)")) {
				pr_err("segments: set \"%s\" has an unknown suffix, only (local) is known\n",
				       set);
				continue;
			}
			*suffix = '\0';
			local = true;
		}
		rc = dcssdax_add(set, strlen(set));
		if (rc) {
			pr_err("segments: adding \"%s\" failed: %d\n", set, rc);
			continue;
		}
		if (!local)
			continue;
		/* The device is named after the first segment of the set. */
		set[strcspn(set, ":")] = '\0';
		string_upper(set, set);
		mutex_lock(&dcssdax_lock);
		ddev = find_device(set);
		if (ddev)
			get_device(&ddev->dev);
		mutex_unlock(&dcssdax_lock);
		if (!ddev)
			continue;
		rc = dcssdax_set_shared(ddev, false, NULL);
		if (rc)
			pr_err("segments: %s cannot be loaded exclusive: %d\n",
			       set, rc);
		put_device(&ddev->dev);
	}
	kfree(copy);
}

static void dcssdax_remove_all(void)
{
	struct dcssdax_device *ddev;

	for (;;) {
		mutex_lock(&dcssdax_lock);
		ddev = list_first_entry_or_null(&dcssdax_devices,
						struct dcssdax_device, node);
		if (ddev)
			ddev->dying = true;
		mutex_unlock(&dcssdax_lock);
		if (!ddev)
			return;
		dcssdax_destroy(ddev);
	}
}

static int __init dcssdax_init(void)
{
	int rc;

	rc = dcssdax_emul_init(emulate_param);
	if (rc)
		return rc;
	rc = register_blkdev(0, DCSSDAX_NAME);
	if (rc < 0)
		goto out_emul;
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
out_emul:
	dcssdax_emul_exit();
	return rc;
}

/*
 * An open device pins the module (fops.owner), so at exit every device is
 * idle and is removed.  The add and remove files go first so that no new
 * device can appear meanwhile.  The last releases may still be on their
 * way (see dcssdax_released()); they run module code, so exit waits.
 */
static void __exit dcssdax_exit(void)
{
	device_remove_groups(dcssdax_root, dcssdax_root_groups);
	dcssdax_remove_all();
	root_device_unregister(dcssdax_root);
	unregister_blkdev(dcssdax_major, DCSSDAX_NAME);
	dcssdax_emul_exit();
	wait_event(dcssdax_released_wq, !atomic_read(&dcssdax_unreleased));
	ida_destroy(&dcssdax_ida);
}

module_init(dcssdax_init);
module_exit(dcssdax_exit);

MODULE_DESCRIPTION("Block driver with fs-dax for z/VM discontiguous saved segments");
MODULE_LICENSE("GPL");
