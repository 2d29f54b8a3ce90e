// SPDX-License-Identifier: GPL-2.0
/*
 * daxcheck [-n] FILE
 *
 * Checks via statx() whether FILE is accessed with DAX (STATX_ATTR_DAX).
 * Prints "dax=1" or "dax=0".  Exit 0 iff the kernel reports the attribute
 * and it is set (with -n: reported and clear), 1 otherwise, 2 on usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#ifndef STATX_ATTR_DAX
#define STATX_ATTR_DAX 0x00200000
#endif
#ifndef STATX_ALL
#define STATX_ALL 0x00000fffU
#endif
#ifndef STATX_DIOALIGN
#define STATX_DIOALIGN 0x00002000U
#endif

int main(int argc, char **argv)
{
	struct statx stx;
	const char *path;
	int invert = 0, dax;

	if (argc == 3 && !strcmp(argv[1], "-n")) {
		invert = 1;
		path = argv[2];
	} else if (argc == 2 && argv[1][0] != '-') {
		path = argv[1];
	} else {
		fprintf(stderr, "usage: daxcheck [-n] FILE\n");
		return 2;
	}

	memset(&stx, 0, sizeof(stx));
	if (statx(AT_FDCWD, path, AT_STATX_SYNC_AS_STAT,
		  STATX_ALL | STATX_DIOALIGN, &stx)) {
		fprintf(stderr, "daxcheck: statx %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (!(stx.stx_attributes_mask & STATX_ATTR_DAX)) {
		fprintf(stderr, "daxcheck: %s: kernel does not report STATX_ATTR_DAX\n",
			path);
		return 1;
	}
	dax = !!(stx.stx_attributes & STATX_ATTR_DAX);
	printf("dax=%d\n", dax);
	if (dax == invert) {
		fprintf(stderr, "daxcheck: %s: DAX is %s, expected %s\n", path,
			dax ? "on" : "off", invert ? "off" : "on");
		return 1;
	}
	return 0;
}
