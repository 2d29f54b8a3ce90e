// SPDX-License-Identifier: GPL-2.0
/*
 * A devdax device's dax region and character device, read through
 * libdaxctl so that dcssctl shows what daxctl shows.  The driver puts
 * the region of device NAME on a platform device
 * /sys/devices/dcssdax/NAME/dcssdax-devdax.N: that is how a region is
 * known to be NAME's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glob.h>
#include <json-c/json.h>

#include "daxinfo.h"
#include "sysfs.h"

#ifdef HAVE_LIBDAXCTL
#include <daxctl/libdaxctl.h>

static int region_is(struct daxctl_region *region, const char *name)
{
	const char *path = daxctl_region_get_path(region);
	char want[64];

	snprintf(want, sizeof(want), "/dcssdax/%s/dcssdax-devdax.", name);
	return path && strstr(path, want);
}

/* The region libdaxctl knows as @name's: as daxctl list shows it. */
static int find_libdaxctl(const char *name, struct dcss_devdax *dd)
{
	struct daxctl_region *region;
	struct daxctl_ctx *ctx;
	struct daxctl_dev *dev;
	int rc = -ENOENT;

	memset(dd, 0, sizeof(*dd));
	dd->region_id = -1;
	if (daxctl_new(&ctx))
		return -ENOMEM;
	daxctl_region_foreach(ctx, region) {
		if (!region_is(region, name))
			continue;
		dd->region_id = daxctl_region_get_id(region);
		rc = 0;
		daxctl_dev_foreach(region, dev) {
			snprintf(dd->chardev, sizeof(dd->chardev), "%s",
				 daxctl_dev_get_devname(dev));
			dd->size = daxctl_dev_get_size(dev);
			dd->align = daxctl_dev_get_align(dev);
			dd->enabled = daxctl_dev_is_enabled(dev);
			dd->system_ram = daxctl_dev_get_memory(dev) != NULL;
			break;
		}
		break;
	}
	daxctl_unref(ctx);
	return rc;
}

#endif

/*
 * Without libdaxctl, or under a root prefix (which libdaxctl, reading
 * /sys, cannot see): the same facts from the dax bus's sysfs files.
 */
static int find_sysfs(const char *name, struct dcss_devdax *dd)
{
	char pat[4096], path[4096], id[16];
	uint64_t align = 0;
	glob_t g;
	int rc;

	memset(dd, 0, sizeof(*dd));
	dd->region_id = -1;
	if (dcss_path(pat, sizeof(pat),
		      DCSS_CTL_DIR "/%s/dcssdax-devdax.*/dax_region/id", name))
		return -ENOENT;
	if (glob(pat, 0, NULL, &g))
		return -ENOENT;
	rc = sysfs_read(g.gl_pathv[0], id, sizeof(id));
	globfree(&g);
	if (rc)
		return -ENOENT;
	dd->region_id = atoi(id);
	snprintf(dd->chardev, sizeof(dd->chardev), "dax%d.0", dd->region_id);
	if (!dcss_path(path, sizeof(path), "/sys/bus/dax/devices/%s/size",
		       dd->chardev))
		sysfs_read_u64(path, &dd->size);
	if (!dcss_path(path, sizeof(path), "/sys/bus/dax/devices/%s/align",
		       dd->chardev))
		sysfs_read_u64(path, &align);
	dd->align = align;
	dd->enabled = !dcss_path(path, sizeof(path),
				 "/sys/bus/dax/devices/%s/driver",
				 dd->chardev) && path_exists(path);
	dd->system_ram = !dcss_path(path, sizeof(path),
				    "/sys/bus/dax/drivers/kmem/%s",
				    dd->chardev) && path_exists(path);
	return 0;
}

/**
 * devdax_find - the dax region of devdax device @name and its device
 * @name: dcssdax device name
 * @dd: filled in
 *
 * Return: 0, -ENOENT when there is no region of @name, or -ENOMEM.
 */
int devdax_find(const char *name, struct dcss_devdax *dd)
{
#ifdef HAVE_LIBDAXCTL
	if (!*dcss_root())
		return find_libdaxctl(name, dd);
#endif
	return find_sysfs(name, dd);
}

struct json_object *devdax_to_json(const struct dcss_devdax *dd)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "region", json_object_new_int(dd->region_id));
	json_object_object_add(o, "chardev", dd->chardev[0] ?
			       json_object_new_string(dd->chardev) : NULL);
	json_object_object_add(o, "size", json_object_new_uint64(dd->size));
	json_object_object_add(o, "align", json_object_new_uint64(dd->align));
	json_object_object_add(o, "state", json_object_new_string(
			       !dd->enabled ? "disabled" :
			       dd->system_ram ? "system-ram" : "devdax"));
	return o;
}

/*
 * Wait for /dev/daxN.M of a new devdax device: device_dax binds at once
 * when it is loaded, and devtmpfs (or udev) makes the node.
 */
int devdax_wait(const char *name, int timeout_ms, struct dcss_devdax *dd,
		char *err, size_t len)
{
	char node[4096];
	int waited;

	for (waited = 0;; waited += 50) {
		if (!devdax_find(name, dd) && dd->chardev[0] && dd->enabled &&
		    !dcss_path(node, sizeof(node), "/dev/%s", dd->chardev) &&
		    path_exists(node))
			return 0;
		if (waited >= timeout_ms)
			break;
		usleep(50 * 1000);
	}
	if (dcss_path(node, sizeof(node), "/sys/bus/dax/drivers/device_dax") ||
	    !path_exists(node))
		snprintf(err, len,
			 "device %s is in devdax mode, but the device_dax driver is not loaded (modprobe device_dax)",
			 name);
	else
		snprintf(err, len,
			 "device %s is in devdax mode, but its /dev/dax node did not appear within %d s",
			 name, timeout_ms / 1000);
	return -ETIMEDOUT;
}
