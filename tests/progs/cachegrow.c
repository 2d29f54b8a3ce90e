// SPDX-License-Identifier: GPL-2.0
/*
 * cachegrow FILE [--max-kb N] [--min-kb N]
 *
 * Drops FILE's page cache (posix_fadvise DONTNEED, sync, drop_caches=1),
 * reads FILE fully with read() in 1 MiB chunks and prints the growth of
 * "Cached:" in /proc/meminfo as "cached_delta_kb=N" (and "read_kb=N").
 * Exit 1 if the delta is above --max-kb or below --min-kb, or on error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK	(1UL << 20)

static long long cached_kb(void)
{
	char line[256];
	long long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f) {
		fprintf(stderr, "cachegrow: /proc/meminfo: %s\n", strerror(errno));
		exit(1);
	}
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Cached: %lld kB", &v) == 1)
			break;
	fclose(f);
	if (v < 0) {
		fprintf(stderr, "cachegrow: no Cached: line in /proc/meminfo\n");
		exit(1);
	}
	return v;
}

static int parse_kb(const char *s, long long *v)
{
	char *end;

	errno = 0;
	*v = strtoll(s, &end, 0);
	return errno || end == s || *end;
}

static int usage(void)
{
	fprintf(stderr, "usage: cachegrow FILE [--max-kb N] [--min-kb N]\n");
	return 2;
}

int main(int argc, char **argv)
{
	long long max = -1, min = -1, before, after, total = 0;
	int has_max = 0, has_min = 0, fd, dc, i;
	const char *path = NULL;
	char *buf;
	ssize_t r;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--max-kb") && i + 1 < argc) {
			if (parse_kb(argv[++i], &max))
				return usage();
			has_max = 1;
		} else if (!strcmp(argv[i], "--min-kb") && i + 1 < argc) {
			if (parse_kb(argv[++i], &min))
				return usage();
			has_min = 1;
		} else if (argv[i][0] == '-' || path) {
			return usage();
		} else {
			path = argv[i];
		}
	}
	if (!path)
		return usage();
	buf = malloc(CHUNK);
	if (!buf) {
		fprintf(stderr, "cachegrow: out of memory\n");
		return 1;
	}
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "cachegrow: open %s: %s\n", path, strerror(errno));
		return 1;
	}
	errno = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	if (errno) {
		fprintf(stderr, "cachegrow: posix_fadvise: %s\n", strerror(errno));
		return 1;
	}
	sync();
	dc = open("/proc/sys/vm/drop_caches", O_WRONLY);
	if (dc < 0 || write(dc, "1", 1) != 1 || close(dc)) {
		fprintf(stderr, "cachegrow: drop_caches: %s\n", strerror(errno));
		return 1;
	}

	before = cached_kb();
	while ((r = read(fd, buf, CHUNK)) > 0)
		total += r;
	if (r < 0) {
		fprintf(stderr, "cachegrow: read %s at %lld: %s\n", path, total,
			strerror(errno));
		return 1;
	}
	after = cached_kb();
	close(fd);

	printf("cached_delta_kb=%lld\n", after - before);
	printf("read_kb=%lld\n", total / 1024);
	if (has_max && after - before > max) {
		fprintf(stderr, "cachegrow: %s: Cached grew by %lld kB > max %lld kB\n",
			path, after - before, max);
		return 1;
	}
	if (has_min && after - before < min) {
		fprintf(stderr, "cachegrow: %s: Cached grew by %lld kB < min %lld kB\n",
			path, after - before, min);
		return 1;
	}
	return 0;
}
