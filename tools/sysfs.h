/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DCSSCTL_SYSFS_H
#define DCSSCTL_SYSFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Relative to the root prefix ($DCSSCTL_ROOT), like every path we touch. */
#define DCSS_CTL_DIR	"/sys/devices/dcssdax"

const char *dcss_root(void);
int dcss_path(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool path_exists(const char *path);

int sysfs_read(const char *path, char *buf, size_t len);
int sysfs_read_u64(const char *path, uint64_t *val);
int sysfs_read_bool(const char *path, bool *val);
int sysfs_write(const char *path, const char *val);

#endif
