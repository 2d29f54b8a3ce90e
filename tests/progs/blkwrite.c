// SPDX-License-Identifier: GPL-2.0
/*
 * blkwrite [--expect-ok] DEV
 *
 * Tries to write the first 4 KiB block of block device DEV, once with
 * O_DIRECT and once buffered + fsync.  The block's current content is
 * read first and written back unchanged.  Each variant prints
 * "direct: refused (ERRNO)" / "direct: written" (resp. "buffered: ...").
 * A variant counts as refused if open/pwrite/fsync fails with EPERM, EROFS,
 * EIO or EACCES.  Exit 0 iff both variants were refused (--expect-ok: iff
 * both were written); other errors exit 1, usage errors 2.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BLK	4096

static const char *ename(int e)
{
	switch (e) {
	case EPERM: return "EPERM";
	case EROFS: return "EROFS";
	case EIO: return "EIO";
	case EACCES: return "EACCES";
	case EINVAL: return "EINVAL";
	case ENOSPC: return "ENOSPC";
	default: return strerror(e);
	}
}

/* returns 1 if refused, 0 if written; exits on unexpected errors */
static int try_write(const char *dev, const void *data, int direct)
{
	const char *name = direct ? "direct" : "buffered";
	const char *step = "open";
	int fd, e;
	ssize_t r;

	fd = open(dev, O_RDWR | (direct ? O_DIRECT : 0));
	if (fd >= 0) {
		step = "pwrite";
		r = pwrite(fd, data, BLK, 0);
		if (r >= 0 && r != BLK) {
			fprintf(stderr, "blkwrite: %s: short write %zd\n", name, r);
			exit(1);
		}
		if (r == BLK) {
			step = "fsync";
			if (!fsync(fd)) {
				close(fd);
				printf("%s: written\n", name);
				return 0;
			}
		}
	}
	e = errno;
	if (fd >= 0)
		close(fd);
	if (e != EPERM && e != EROFS && e != EIO && e != EACCES) {
		fprintf(stderr, "blkwrite: %s: %s failed with unexpected %s\n",
			name, step, ename(e));
		exit(1);
	}
	printf("%s: refused (%s at %s)\n", name, ename(e), step);
	return 1;
}

int main(int argc, char **argv)
{
	int expect_ok = 0, fd, refused;
	const char *dev;
	void *buf;
	ssize_t r;

	if (argc == 3 && !strcmp(argv[1], "--expect-ok")) {
		expect_ok = 1;
		dev = argv[2];
	} else if (argc == 2 && argv[1][0] != '-') {
		dev = argv[1];
	} else {
		fprintf(stderr, "usage: blkwrite [--expect-ok] DEV\n");
		return 2;
	}
	if (posix_memalign(&buf, BLK, BLK)) {
		fprintf(stderr, "blkwrite: out of memory\n");
		return 1;
	}
	fd = open(dev, O_RDONLY | O_DIRECT);
	if (fd < 0) {
		fprintf(stderr, "blkwrite: open %s: %s\n", dev, strerror(errno));
		return 1;
	}
	r = pread(fd, buf, BLK, 0);
	if (r != BLK) {
		fprintf(stderr, "blkwrite: reading block 0 of %s: %s\n", dev,
			r < 0 ? strerror(errno) : "short read");
		return 1;
	}
	close(fd);

	refused = try_write(dev, buf, 1);
	refused += try_write(dev, buf, 0);
	if (expect_ok ? refused == 0 : refused == 2)
		return 0;
	fprintf(stderr, "blkwrite: %s: %d of 2 writes refused, expected %s\n",
		dev, refused, expect_ok ? "none" : "both");
	return 1;
}
