// SPDX-License-Identifier: GPL-2.0
/*
 * dcssdax - sysfs: the read-only facts of each device.  Modes as
 * dcssblk's: seglist and physical addresses (also in dax_reason) are
 * readable by root only, as /proc/iomem hides addresses from other
 * users; the other facts by everyone.  The control files (add, remove,
 * shared, save, mode) belong to the lifecycle, in core.c.
 */
#include <linux/device.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "dcssdax.h"

static ssize_t seglist_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct dcssdax_segment *seg;
	int len = 0;

	list_for_each_entry(seg, &to_dcssdax(dev)->segments, node)
		len += sysfs_emit_at(buf, len, "%s\n", seg->name);
	return len;
}
static DEVICE_ATTR_ADMIN_RO(seglist);

static ssize_t start_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%#lx\n", to_dcssdax(dev)->start);
}
static DEVICE_ATTR_ADMIN_RO(start);

static ssize_t size_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%lu\n", dcssdax_size(to_dcssdax(dev)));
}
static DEVICE_ATTR_RO(size);

static ssize_t ro_show(struct device *dev, struct device_attribute *attr,
		       char *buf)
{
	return sysfs_emit(buf, "%d\n", dcssdax_readonly(to_dcssdax(dev)));
}
static DEVICE_ATTR_RO(ro);

static ssize_t dax_show(struct device *dev, struct device_attribute *attr,
			char *buf)
{
	return sysfs_emit(buf, "%d\n", !!to_dcssdax(dev)->dax_dev);
}
static DEVICE_ATTR_RO(dax);

static ssize_t dax_reason_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", to_dcssdax(dev)->dax_reason);
}
static DEVICE_ATTR_ADMIN_RO(dax_reason);

static ssize_t memmap_bytes_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	dcssdax_test_point("memmap_show");
	return sysfs_emit(buf, "%lu\n", READ_ONCE(to_dcssdax(dev)->memmap_bytes));
}
static DEVICE_ATTR_RO(memmap_bytes);

static struct attribute *facts_attrs[] = {
	&dev_attr_seglist.attr,
	&dev_attr_start.attr,
	&dev_attr_size.attr,
	&dev_attr_ro.attr,
	&dev_attr_dax.attr,
	&dev_attr_dax_reason.attr,
	&dev_attr_memmap_bytes.attr,
	NULL,
};

const struct attribute_group dcssdax_facts_group = {
	.attrs = facts_attrs,
};
