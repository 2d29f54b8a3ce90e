// SPDX-License-Identifier: GPL-2.0
/*
 * blkzero DEV OFFSET LENGTH: zero a byte range of a block device with
 * BLKZEROOUT, which the block layer turns into REQ_OP_WRITE_ZEROES when
 * the driver offers it.  Exit 0 on success, 1 on failure, 2 on usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	uint64_t range[2];
	char *end;
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: blkzero DEV OFFSET LENGTH\n");
		return 2;
	}
	range[0] = strtoull(argv[2], &end, 0);
	if (*end)
		return 2;
	range[1] = strtoull(argv[3], &end, 0);
	if (*end)
		return 2;
	fd = open(argv[1], O_WRONLY);
	if (fd < 0) {
		fprintf(stderr, "blkzero: open %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (ioctl(fd, BLKZEROOUT, range)) {
		fprintf(stderr, "blkzero: BLKZEROOUT: %s\n", strerror(errno));
		return 1;
	}
	return close(fd) ? 1 : 0;
}
