// SPDX-License-Identifier: GPL-2.0
/*
 * mmaphold FILE SECONDS: map FILE MAP_SHARED, touch every page (so the
 * DAX pages are mapped), print "mapped" and hold the mapping for SECONDS
 * or until killed.  Exit 1 if the file cannot be mapped, 2 on usage.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	volatile unsigned char *map;
	unsigned long sum = 0;
	struct stat st;
	off_t off;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: mmaphold FILE SECONDS\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0 || fstat(fd, &st) || st.st_size == 0) {
		perror(argv[1]);
		return 1;
	}
	map = mmap(NULL, st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (off = 0; off < st.st_size; off += 4096)
		sum += map[off];
	printf("mapped %lld bytes (sum %lu)\n", (long long)st.st_size, sum);
	fflush(stdout);
	sleep(atoi(argv[2]));
	return 0;
}
