// SPDX-License-Identifier: GPL-2.0
/*
 * syswrite FILE: write all of stdin to FILE in one write() call, as a
 * sysfs store sees it, and print "OK" or the errno's name.  The shell's
 * echo cannot send NUL bytes or report which errno a write returned.
 * Exit 0 whatever the write returned; 2 on usage or setup errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const struct { int err; const char *name; } names[] = {
	{ EINVAL, "EINVAL" }, { ENAMETOOLONG, "ENAMETOOLONG" },
	{ EEXIST, "EEXIST" }, { ENOENT, "ENOENT" }, { ENOSYS, "ENOSYS" },
	{ EBUSY, "EBUSY" }, { EPERM, "EPERM" }, { ENODEV, "ENODEV" },
	{ ENOMEM, "ENOMEM" }, { ERANGE, "ERANGE" }, { EAGAIN, "EAGAIN" },
	{ EACCES, "EACCES" }, { EIO, "EIO" }, { EROFS, "EROFS" },
	{ EOPNOTSUPP, "EOPNOTSUPP" }, { ENXIO, "ENXIO" },
	{ E2BIG, "E2BIG" }, { EFAULT, "EFAULT" },
};

int main(int argc, char **argv)
{
	static char buf[65536];
	size_t len = 0;
	ssize_t n;
	unsigned int i;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: syswrite FILE < data\n");
		return 2;
	}
	while ((n = read(0, buf + len, sizeof(buf) - len)) > 0)
		len += n;
	if (n < 0) {
		perror("read stdin");
		return 2;
	}
	fd = open(argv[1], O_WRONLY);
	if (fd < 0) {
		printf("%s\n", errno == EACCES ? "EACCES" : strerror(errno));
		return 0;
	}
	n = write(fd, buf, len);
	if (n >= 0) {
		printf("OK\n");
		return 0;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].err == errno) {
			printf("%s\n", names[i].name);
			return 0;
		}
	}
	printf("errno%d\n", errno);
	return 0;
}
