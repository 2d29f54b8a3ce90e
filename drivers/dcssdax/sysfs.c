// SPDX-License-Identifier: GPL-2.0
/*
 * dcssdax - sysfs: dcssblk's control files (add, remove, shared, save,
 * seglist) plus read-only facts about each device.  Modes as dcssblk's:
 * control files for root only, seglist and physical addresses readable by
 * root only (as /proc/iomem hides addresses from other users), the other
 * facts by everyone.
 */
#include <linux/device.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "dcssdax.h"

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

const struct attribute_group *dcssdax_root_groups[] = {
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

static ssize_t shared_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t count)
{
	int val = parse_bool01(buf, count);
	int rc;

	if (val < 0)
		return val;
	rc = dcssdax_set_shared(to_dcssdax(dev), val, attr);
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
static DEVICE_ATTR_RO(dax_reason);

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
	rc = dcssdax_set_devdax(to_dcssdax(dev), devdax, attr);
	return rc ? rc : count;
}
static DEVICE_ATTR_RW(mode);

static ssize_t memmap_bytes_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	dcssdax_test_point("memmap_show");
	return sysfs_emit(buf, "%lu\n", READ_ONCE(to_dcssdax(dev)->memmap_bytes));
}
static DEVICE_ATTR_RO(memmap_bytes);

static struct attribute *dev_attrs[] = {
	&dev_attr_shared.attr,
	&dev_attr_save.attr,
	&dev_attr_seglist.attr,
	&dev_attr_start.attr,
	&dev_attr_size.attr,
	&dev_attr_ro.attr,
	&dev_attr_dax.attr,
	&dev_attr_dax_reason.attr,
	&dev_attr_memmap_bytes.attr,
	&dev_attr_mode.attr,
	NULL,
};

static const struct attribute_group dev_group = {
	.attrs = dev_attrs,
};

const struct attribute_group *dcssdax_dev_groups[] = {
	&dev_group,
	NULL,
};
