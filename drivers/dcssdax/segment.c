// SPDX-License-Identifier: GPL-2.0
/*
 * dcssdax - segments: name parsing, backend choice, dcssblk's rules for
 * joining segments, and the segments' devices in sysfs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/ioport.h>
#include <linux/range.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "dcssdax.h"

static const char * const type_names[DCSSDAX_SEG_NR_TYPES] = {
	[DCSSDAX_SEG_SW] = "SW", [DCSSDAX_SEG_EW] = "EW",
	[DCSSDAX_SEG_SR] = "SR", [DCSSDAX_SEG_ER] = "ER",
	[DCSSDAX_SEG_SN] = "SN", [DCSSDAX_SEG_EN] = "EN",
	[DCSSDAX_SEG_SC] = "SC", [DCSSDAX_SEG_EWEN] = "EWEN",
};

const char *dcssdax_type_name(int type)
{
	if (type < 0 || type >= DCSSDAX_SEG_NR_TYPES)
		return "??";
	return type_names[type];
}

/* Types whose memory z/VM write-protects when loaded shared. */
bool dcssdax_type_readonly(int type)
{
	return type == DCSSDAX_SEG_SR || type == DCSSDAX_SEG_ER ||
	       type == DCSSDAX_SEG_SC;
}

/**
 * dcssdax_readonly - does z/VM write-protect the device's memory?
 * @ddev: the device
 *
 * SR, ER and SC segments loaded shared are read-only to the guest.
 *
 * Return: true when the device is loaded shared and one of its segments
 * is of a read-only type.
 */
bool dcssdax_readonly(const struct dcssdax_device *ddev)
{
	struct dcssdax_segment *seg;

	if (!READ_ONCE(ddev->shared))
		return false;
	list_for_each_entry(seg, &ddev->segments, node)
		if (dcssdax_type_readonly(seg->type))
			return true;
	return false;
}

/* z/VM segment names: letters, digits and the national characters. */
static bool name_char_ok(char c)
{
	return isalnum(c) || c == '$' || c == '#' || c == '@' || c == '_' ||
	       c == '-';
}

/**
 * dcssdax_parse_names - split "A:B:C\n" as written to the add attribute
 * @buf: the bytes written
 * @count: their number
 * @names: filled with the upper-case names
 * @max: capacity of @names
 *
 * Errors follow dcssblk so that its scripts see the same errnos: an empty
 * or over-long name or a trailing ':' gives -ENAMETOOLONG.  Characters z/VM
 * does not allow in names, text after the terminating newline, a name given
 * twice or more names than @max give -EINVAL.
 *
 * Return: the number of names, or a negative errno.
 */
int dcssdax_parse_names(const char *buf, size_t count,
			char names[][DCSSDAX_NAME_LEN + 1], int max)
{
	size_t i = 0, len;
	int n = 0, k;

	/* The name list ends at a newline or NUL; only NULs may follow. */
	len = 0;
	while (len < count && buf[len] != '\n' && buf[len] != '\0')
		len++;
	for (i = len + (len < count && buf[len] == '\n'); i < count; i++)
		if (buf[i] != '\0')
			return -EINVAL;
	if (len == 0)
		return -ENAMETOOLONG;

	i = 0;
	for (;;) {
		size_t j = i;

		while (j < len && buf[j] != ':')
			j++;
		if (j == i || j - i > DCSSDAX_NAME_LEN)
			return -ENAMETOOLONG;
		if (n == max)
			return -EINVAL;
		for (k = 0; k < j - i; k++) {
			if (!name_char_ok(buf[i + k]))
				return -EINVAL;
			names[n][k] = toupper(buf[i + k]);
		}
		names[n][k] = '\0';
		for (k = 0; k < n; k++)
			if (!strcmp(names[k], names[n]))
				return -EINVAL;
		n++;
		if (j == len)
			return n;
		i = j + 1;
		if (i == len)		/* trailing ':' */
			return -ENAMETOOLONG;
	}
}

static const struct dcssdax_backend *backend_for(const char *name)
{
#ifdef CONFIG_DCSSDAX_EMULATE
	if (dcssdax_emul_knows(name))
		return &dcssdax_emul_backend;
#endif
#ifdef CONFIG_S390
	return &dcssdax_extmem_backend;
#else
	return NULL;
#endif
}

static inline struct dcssdax_segment *to_seg(struct device *dev)
{
	return container_of(dev, struct dcssdax_segment, dev);
}

static ssize_t type_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n", dcssdax_type_name(to_seg(dev)->type));
}
static DEVICE_ATTR_RO(type);

/* Physical addresses: root only, as in /proc/iomem. */
static ssize_t start_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%#lx\n", to_seg(dev)->start);
}
static DEVICE_ATTR_ADMIN_RO(start);

static ssize_t end_show(struct device *dev, struct device_attribute *attr,
			char *buf)
{
	return sysfs_emit(buf, "%#lx\n", to_seg(dev)->end);
}
static DEVICE_ATTR_ADMIN_RO(end);

static ssize_t size_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	struct dcssdax_segment *seg = to_seg(dev);

	return sysfs_emit(buf, "%lu\n", seg->end - seg->start + 1);
}
static DEVICE_ATTR_RO(size);

static ssize_t backend_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", to_seg(dev)->backend->name);
}
static DEVICE_ATTR_RO(backend);

static struct attribute *segment_attrs[] = {
	&dev_attr_type.attr,
	&dev_attr_start.attr,
	&dev_attr_end.attr,
	&dev_attr_size.attr,
	&dev_attr_backend.attr,
	NULL,
};
ATTRIBUTE_GROUPS(segment);

/*
 * Counted from dcssdax_segment_load() on: a segment's release may come
 * after the module's last put of it (core.c, dcssdax_released()).
 */
static void segment_release(struct device *dev)
{
	kfree(to_seg(dev));
	dcssdax_released();
}

/*
 * A segment is a child device of its dcssdax device, with no bus or
 * class: the driver core sends no uevents for it (dev_uevent_filter()),
 * and it has no power management.
 */
static const struct device_type segment_type = {
	.name		= "dcssdax_segment",
	.groups		= segment_groups,
	.release	= segment_release,
};

/*
 * Who else has a segment loaded is not something extmem tells: its load
 * count is private.  But every loaded segment is claimed busy in iomem
 * by its range, by extmem and by the emulated backend alike, so a busy
 * claim of exactly the segment's range before our load is another user's
 * load of it.  The snapshot holds the busy ranges; a segment loaded by
 * someone else after it is the case extmem gives no way to see.
 */
struct busy_snapshot {
	struct range *r;
	int nr;
	int max;
};

static int busy_note(struct resource *res, void *arg)
{
	struct busy_snapshot *snap = arg;

	if (snap->nr == snap->max)
		return -ENOSPC;
	snap->r[snap->nr].start = res->start;
	snap->r[snap->nr++].end = res->end;
	return 0;
}

/* The ranges of every busy memory claim: 0, or -ENOMEM. */
static int busy_snapshot_take(struct busy_snapshot *snap)
{
	int rc;

	for (snap->max = 256; ; snap->max *= 4) {
		snap->nr = 0;
		snap->r = kvmalloc_array(snap->max, sizeof(*snap->r),
					 GFP_KERNEL);
		if (!snap->r)
			return -ENOMEM;
		rc = walk_iomem_res_desc(IORES_DESC_NONE,
					 IORESOURCE_MEM | IORESOURCE_BUSY, 0,
					 (u64)-1, snap, busy_note);
		if (rc != -ENOSPC)
			return 0;
		kvfree(snap->r);
	}
}

static bool busy_snapshot_has(const struct busy_snapshot *snap, u64 start,
			      u64 end)
{
	int i;

	for (i = 0; i < snap->nr; i++)
		if (snap->r[i].start == start && snap->r[i].end == end)
			return true;
	return false;
}

/**
 * dcssdax_segment_load - load a segment through the backend that serves it
 * @name: upper-case segment name
 * @mode: DCSSDAX_SHARED or DCSSDAX_EXCLUSIVE
 *
 * A name of the emulated table is served by the emulated backend, any
 * other by extmem on s390; elsewhere there is nothing to load it from.
 *
 * Return: the loaded segment (free with dcssdax_segment_free() after
 * dcssdax_segment_unload()), or an ERR_PTR with the backend's errno.
 */
struct dcssdax_segment *dcssdax_segment_load(const char *name, int mode)
{
	const struct dcssdax_backend *backend = backend_for(name);
	struct busy_snapshot snap;
	struct dcssdax_segment *seg;
	int rc;

	if (!backend) {
		pr_err("DCSS %s is not emulated and cannot be loaded without z/VM\n",
		       name);
		return ERR_PTR(-ENODEV);
	}
	seg = kzalloc_obj(*seg);
	if (!seg)
		return ERR_PTR(-ENOMEM);
	device_initialize(&seg->dev);
	dcssdax_release_pending();
	seg->dev.type = &segment_type;
	device_set_pm_not_required(&seg->dev);
	INIT_LIST_HEAD(&seg->node);
	strscpy(seg->name, name);
	seg->backend = backend;
	rc = dev_set_name(&seg->dev, "%s", seg->name);
	if (rc) {
		put_device(&seg->dev);
		return ERR_PTR(rc);
	}
	rc = busy_snapshot_take(&snap);
	if (rc) {
		put_device(&seg->dev);
		return ERR_PTR(rc);
	}
	rc = backend->load(seg->name, mode, &seg->start, &seg->end);
	if (rc < 0) {
		kvfree(snap.r);
		put_device(&seg->dev);
		return ERR_PTR(rc);
	}
	seg->type = rc;
	seg->loaded = true;
	seg->loaded_elsewhere = busy_snapshot_has(&snap, seg->start, seg->end);
	kvfree(snap.r);
	if (seg->loaded_elsewhere)
		pr_info("DCSS %s is also loaded by another user of this guest: no struct pages for it\n",
			seg->name);
	return seg;
}

/**
 * dcssdax_segment_type - the type of a segment, without loading it
 * @name: upper-case segment name
 *
 * Return: enum dcssdax_seg_type or a negative errno.
 */
int dcssdax_segment_type(const char *name)
{
	const struct dcssdax_backend *backend = backend_for(name);
	char copy[DCSSDAX_NAME_LEN + 1];

	if (!backend)
		return -ENODEV;
	strscpy(copy, name);
	return backend->query(copy);
}

void dcssdax_segment_unload(struct dcssdax_segment *seg)
{
	if (seg->loaded)
		seg->backend->unload(seg->name);
	seg->loaded = false;
}

void dcssdax_segment_free(struct dcssdax_segment *seg)
{
	put_device(&seg->dev);
}

static int cmp_start(const void *a, const void *b)
{
	const struct dcssdax_segment *sa = *(const struct dcssdax_segment **)a;
	const struct dcssdax_segment *sb = *(const struct dcssdax_segment **)b;

	return sa->start > sb->start ? 1 : sa->start < sb->start ? -1 : 0;
}

/* dcssblk allows mixing types only among exclusive-writable ones. */
static bool types_mix(int a, int b)
{
	if (a == b)
		return true;
	return (a & DCSSDAX_SEG_EXCL_BIT) && a != DCSSDAX_SEG_ER &&
	       (b & DCSSDAX_SEG_EXCL_BIT) && b != DCSSDAX_SEG_ER;
}

/**
 * dcssdax_segments_check - may these segments form one device?
 * @segments: list of loaded segments, in the order given by the user
 * @nr: their number
 *
 * Sorted by address each must start right after the previous one ends and
 * the types must be compatible, as dcssblk requires.  The list keeps the
 * user's order, which seglist shows.
 *
 * Return: 0, -EINVAL or -ENOMEM.
 */
int dcssdax_segments_check(struct list_head *segments, int nr)
{
	struct dcssdax_segment **sorted, *seg;
	int i = 0, rc = 0;

	sorted = kmalloc_array(nr, sizeof(*sorted), GFP_KERNEL);
	if (!sorted)
		return -ENOMEM;
	list_for_each_entry(seg, segments, node)
		sorted[i++] = seg;
	sort(sorted, nr, sizeof(*sorted), cmp_start, NULL);
	for (i = 1; i < nr; i++) {
		if (sorted[i - 1]->backend != sorted[i]->backend) {
			pr_err("DCSS %s is %s, DCSS %s is %s: they cannot be joined\n",
			       sorted[i - 1]->name, sorted[i - 1]->backend->name,
			       sorted[i]->name, sorted[i]->backend->name);
			rc = -EINVAL;
			break;
		}
		if (sorted[i - 1]->end + 1 != sorted[i]->start) {
			pr_err("Adjacent DCSSs %s and %s are not contiguous\n",
			       sorted[i - 1]->name, sorted[i]->name);
			rc = -EINVAL;
			break;
		}
		if (!types_mix(sorted[i - 1]->type, sorted[i]->type)) {
			pr_err("DCSS %s and DCSS %s have incompatible types\n",
			       sorted[i - 1]->name, sorted[i]->name);
			rc = -EINVAL;
			break;
		}
	}
	kfree(sorted);
	return rc;
}

/**
 * dcssdax_segments_sysfs_add - register each segment as a child device
 * @ddev: device whose struct device is registered
 *
 * Each segment appears as /sys/devices/dcssdax/<dev>/<NAME>/: segment
 * names are upper case, the device's attributes lower case.
 *
 * Return: 0 or a negative errno; partial work is undone by
 * dcssdax_segments_sysfs_del().
 */
int dcssdax_segments_sysfs_add(struct dcssdax_device *ddev)
{
	struct dcssdax_segment *seg;
	int rc;

	list_for_each_entry(seg, &ddev->segments, node) {
		seg->dev.parent = &ddev->dev;
		rc = device_add(&seg->dev);
		if (rc)
			return rc;
	}
	return 0;
}

/* Unregisters the segments registered; their last put is _free()'s. */
void dcssdax_segments_sysfs_del(struct dcssdax_device *ddev)
{
	struct dcssdax_segment *seg;

	list_for_each_entry_reverse(seg, &ddev->segments, node)
		if (device_is_registered(&seg->dev))
			device_del(&seg->dev);
}

/* Called with dcssdax_lock held, when the device is idle. */
void dcssdax_segments_save(struct dcssdax_device *ddev)
{
	struct dcssdax_segment *seg;

	list_for_each_entry(seg, &ddev->segments, node) {
		if (seg->type == DCSSDAX_SEG_SN || seg->type == DCSSDAX_SEG_EN) {
			pr_warn("DCSS %s is of type SN or EN and cannot be saved\n",
				seg->name);
			continue;
		}
		seg->backend->save(seg->name);
	}
	pr_info("All DCSSs that map to device %s are saved\n", ddev->name);
}
