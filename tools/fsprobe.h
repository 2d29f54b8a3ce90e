/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DCSSCTL_FSPROBE_H
#define DCSSCTL_FSPROBE_H

#include <stdbool.h>

struct dcss_fs {
	char type[32];
	char label[256];
	char uuid[64];
};

bool fs_probe(const char *devpath, struct dcss_fs *fs);

#endif
