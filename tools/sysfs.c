// SPDX-License-Identifier: GPL-2.0
/*
 * Attribute files under the root prefix.  Writes go through a single
 * write(2) because sysfs reports the driver's errno on that call, and a
 * short or split write would hand the driver half a name list.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sysfs.h"

const char *dcss_root(void)
{
	const char *root = getenv("DCSSCTL_ROOT");

	return root ? root : "";
}

int dcss_path(char *buf, size_t len, const char *fmt, ...)
{
	const char *root = dcss_root();
	size_t rlen = strlen(root);
	va_list ap;
	int n;

	if (rlen >= len)
		return -ENAMETOOLONG;
	memcpy(buf, root, rlen);
	va_start(ap, fmt);
	n = vsnprintf(buf + rlen, len - rlen, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= len - rlen)
		return -ENAMETOOLONG;
	return 0;
}

bool path_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/* Reads one attribute and strips the trailing newline sysfs appends. */
int sysfs_read(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}

int sysfs_read_u64(const char *path, uint64_t *val)
{
	char buf[64], *end;
	int rc;

	rc = sysfs_read(path, buf, sizeof(buf));
	if (rc)
		return rc;
	errno = 0;
	/* base 0: start/end are "0x..." while size is decimal */
	*val = strtoull(buf, &end, 0);
	if (errno || end == buf || *end)
		return -EINVAL;
	return 0;
}

int sysfs_read_bool(const char *path, bool *val)
{
	uint64_t v;
	int rc;

	rc = sysfs_read_u64(path, &v);
	if (rc)
		return rc;
	*val = v != 0;
	return 0;
}

int sysfs_write(const char *path, const char *val)
{
	size_t len = strlen(val);
	ssize_t n;
	int fd, rc = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	if (n < 0)
		rc = -errno;
	else if ((size_t)n != len)
		rc = -EIO;
	if (close(fd) && !rc)
		rc = -errno;
	return rc;
}
