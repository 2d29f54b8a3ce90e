/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DCSSCTL_DAXINFO_H
#define DCSSCTL_DAXINFO_H

#include <stddef.h>
#include <stdint.h>

struct json_object;

/* A devdax device's region and dev_dax as libdaxctl (daxctl) sees them. */
struct dcss_devdax {
	int region_id;
	char chardev[32];		/* "daxN.M", "" while there is none */
	uint64_t size;
	unsigned long align;
	int enabled;			/* device_dax (or kmem) is bound */
	int system_ram;			/* onlined as memory through kmem */
};

int devdax_find(const char *name, struct dcss_devdax *dd);
struct json_object *devdax_to_json(const struct dcss_devdax *dd);
int devdax_wait(const char *name, int timeout_ms, struct dcss_devdax *dd,
		char *err, size_t len);

#endif
