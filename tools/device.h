/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DCSSCTL_DEVICE_H
#define DCSSCTL_DEVICE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "names.h"

struct dcss_segment {
	char name[DCSS_NAME_MAX + 1];
	char type[8];
	uint64_t start, end, size;
	char backend[16];
};

struct dcss_device {
	char name[DCSS_NAME_MAX + 1];
	char dev[32];			/* dcssdaxN, "" if not found */
	dev_t devno;
	uint64_t start, size, memmap_bytes;
	bool shared, ro, dax, save_pending;
	char dax_reason[256];
	bool devdax;			/* the "mode" attribute says devdax */
	int nr_segments;
	struct dcss_segment seg[DCSS_MAX_SEGMENTS];
};

int device_list(char ***names);
void device_list_free(char **names, int nr);
bool device_exists(const char *name);
int device_load(const char *name, struct dcss_device *d);
int device_find_segment(const char *seg, char *owner);

#endif
