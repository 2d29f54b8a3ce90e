/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What gup and devdax share: the error exit naming the program and its
 * mode, the seeded data pattern's words, and the page pin counters.
 * Include after <stdint.h>, <stdio.h>, <stdarg.h>, <errno.h>, <fcntl.h>,
 * <string.h>, <unistd.h>, with _GNU_SOURCE (program_invocation_short_name).
 */
#ifndef PINS_H
#define PINS_H

static const char *mode;

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s %s: ", program_invocation_short_name, mode);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static uint64_t word(uint64_t seed, uint64_t w)
{
	uint64_t z = seed + (w + 1) * 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* nr_foll_pin_acquired and _released, exact. */
static void pins(long long *acq, long long *rel)
{
	char line[256];
	FILE *f;
	int fd;

	/* fold the per-cpu vmstat diffs so the counters are exact */
	fd = open("/proc/sys/vm/stat_refresh", O_WRONLY);
	if (fd >= 0) {
		if (write(fd, "1", 1) < 0) {
			/* -EINVAL for negative counters is harmless */
		}
		close(fd);
	}
	*acq = *rel = -1;
	f = fopen("/proc/vmstat", "r");
	if (!f)
		die("/proc/vmstat: %s", strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "nr_foll_pin_acquired %lld", acq);
		sscanf(line, "nr_foll_pin_released %lld", rel);
	}
	fclose(f);
	if (*acq < 0 || *rel < 0)
		die("no nr_foll_pin_* counters in /proc/vmstat");
}

#endif
