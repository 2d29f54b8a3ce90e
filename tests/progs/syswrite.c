// SPDX-License-Identifier: GPL-2.0
/*
 * syswrite FILE: write all of stdin to FILE in one write() call, as a
 * sysfs store sees it, and print "OK" or the errno's name.  The shell's
 * echo cannot send NUL bytes or report which errno a write returned.
 * Exit 0 whatever the write returned; 2 on usage or setup errors.
 *
 * FAIL_NTH=N (kernels with CONFIG_FAULT_INJECTION): the N-th fault site
 * the write() passes (slab, page allocator, ...) fails; " injected" or
 * " not-injected" follows the result.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
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
	const char *nth, *suffix = "";
	unsigned int i;
	int fd, nthfd = -1, err;

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
	nth = getenv("FAIL_NTH");
	if (nth) {
		nthfd = open("/proc/thread-self/fail-nth", O_RDWR);
		if (nthfd < 0 || write(nthfd, nth, strlen(nth)) < 0) {
			perror("fail-nth");
			return 2;
		}
	}
	n = write(fd, buf, len);
	err = errno;
	if (nth) {
		char left[16] = "";

		if (pread(nthfd, left, sizeof(left) - 1, 0) < 0) {
			perror("fail-nth");
			return 2;
		}
		suffix = atoi(left) ? " not-injected" : " injected";
	}
	if (n >= 0) {
		printf("OK%s\n", suffix);
		return 0;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].err == err) {
			printf("%s%s\n", names[i].name, suffix);
			return 0;
		}
	}
	printf("errno%d%s\n", err, suffix);
	return 0;
}
