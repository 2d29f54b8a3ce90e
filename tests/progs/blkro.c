// SPDX-License-Identifier: GPL-2.0
/*
 * blkro DEV [--try-clear] [--expect-ro|--expect-rw]
 *
 * Prints the BLKROGET read-only flag of block device DEV as "ro=0|1".
 * --try-clear first tries BLKROSET 0 (prints its result) and then prints
 * BLKROGET.  --expect-ro/--expect-rw: exit 1 unless the final flag is 1/0.
 * Exit 1 on ioctl/open errors, 2 on usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/fs.h>

static int usage(void)
{
	fprintf(stderr, "usage: blkro DEV [--try-clear] [--expect-ro|--expect-rw]\n");
	return 2;
}

int main(int argc, char **argv)
{
	int i, fd, ro, clear = 0, expect = -1, zero = 0;
	const char *dev = NULL;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--try-clear"))
			clear = 1;
		else if (!strcmp(argv[i], "--expect-ro"))
			expect = 1;
		else if (!strcmp(argv[i], "--expect-rw"))
			expect = 0;
		else if (argv[i][0] == '-' || dev)
			return usage();
		else
			dev = argv[i];
	}
	if (!dev)
		return usage();
	fd = open(dev, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "blkro: open %s: %s\n", dev, strerror(errno));
		return 1;
	}
	if (clear) {
		if (ioctl(fd, BLKROSET, &zero))
			printf("BLKROSET 0: %s\n", strerror(errno));
		else
			printf("BLKROSET 0: ok\n");
	}
	if (ioctl(fd, BLKROGET, &ro)) {
		fprintf(stderr, "blkro: BLKROGET %s: %s\n", dev, strerror(errno));
		return 1;
	}
	printf("ro=%d\n", ro);
	if (expect >= 0 && ro != expect) {
		fprintf(stderr, "blkro: %s: ro=%d, expected %d\n", dev, ro, expect);
		return 1;
	}
	return 0;
}
