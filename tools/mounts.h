/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DCSSCTL_MOUNTS_H
#define DCSSCTL_MOUNTS_H

#include <stdbool.h>

#include "device.h"

struct dcss_mount {
	char *target;
	char *options;
	bool dax;
};

int mounts_of(const struct dcss_device *d, struct dcss_mount **mounts);
void mounts_free(struct dcss_mount *mounts, int nr);
int mounts_targets(const struct dcss_device *d, char *buf, size_t len);

#endif
