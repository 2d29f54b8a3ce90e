// SPDX-License-Identifier: GPL-2.0
/*
 * pattern write|verify DEV_OR_FILE OFFSET LENGTH SEED [--direct]
 *
 * Writes or verifies a deterministic pseudo-random byte pattern.  The byte
 * at absolute offset o is byte (o % 8) (little-endian) of word(SEED, o / 8),
 * a splitmix64 hash, so any sub-range can be verified on its own.
 * I/O is done with pwrite/pread in 1 MiB chunks; --direct uses O_DIRECT
 * (OFFSET and LENGTH must then be suitably aligned).  write ends with fsync.
 * OFFSET and LENGTH accept K/M/G suffixes (powers of 1024).
 * write creates a missing FILE, but never a missing path under /dev/.
 * Exit 0 on success, 1 on error/short I/O/mismatch, 2 on usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK	(1UL << 20)
#define ALIGN	4096UL

static uint64_t word(uint64_t seed, uint64_t w)
{
	uint64_t z = seed + (w + 1) * 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void fill(unsigned char *b, uint64_t off, size_t len, uint64_t seed)
{
	uint64_t w = off / 8, v = word(seed, w);
	unsigned int k = off % 8;
	size_t i;

	for (i = 0; i < len; i++) {
		b[i] = v >> (8 * k);
		if (++k == 8) {
			k = 0;
			v = word(seed, ++w);
		}
	}
}

static int parse_size(const char *s, uint64_t *val)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *s == '-')
		return -1;
	switch (*end) {
	case 'G': case 'g': v <<= 10; /* fall through */
	case 'M': case 'm': v <<= 10; /* fall through */
	case 'K': case 'k': v <<= 10; end++; break;
	}
	if (*end)
		return -1;
	*val = v;
	return 0;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: pattern write|verify DEV_OR_FILE OFFSET LENGTH SEED [--direct]\n");
	return 2;
}

int main(int argc, char **argv)
{
	uint64_t off, len, seed, done;
	unsigned char *buf, *exp;
	int wr, direct = 0, fd, flags;
	const char *path;

	if (argc == 7 && !strcmp(argv[6], "--direct"))
		direct = 1;
	else if (argc != 6)
		return usage();
	if (!strcmp(argv[1], "write"))
		wr = 1;
	else if (!strcmp(argv[1], "verify"))
		wr = 0;
	else
		return usage();
	path = argv[2];
	if (parse_size(argv[3], &off) || parse_size(argv[4], &len) ||
	    parse_size(argv[5], &seed))
		return usage();

	if (posix_memalign((void **)&buf, ALIGN, CHUNK) ||
	    posix_memalign((void **)&exp, ALIGN, CHUNK)) {
		fprintf(stderr, "pattern: out of memory\n");
		return 1;
	}
	flags = (wr ? O_WRONLY : O_RDONLY) | (direct ? O_DIRECT : 0);
	if (wr && strncmp(path, "/dev/", 5))
		flags |= O_CREAT;
	fd = open(path, flags, 0644);
	if (fd < 0) {
		fprintf(stderr, "pattern: open %s: %s\n", path, strerror(errno));
		return 1;
	}

	for (done = 0; done < len; done += CHUNK) {
		size_t n = len - done < CHUNK ? len - done : CHUNK;
		uint64_t pos = off + done;
		ssize_t r;
		size_t i;

		fill(wr ? buf : exp, pos, n, seed);
		r = wr ? pwrite(fd, buf, n, pos) : pread(fd, buf, n, pos);
		if (r < 0) {
			fprintf(stderr, "pattern: %s at offset %" PRIu64 ": %s\n",
				wr ? "pwrite" : "pread", pos, strerror(errno));
			return 1;
		}
		if ((size_t)r != n) {
			fprintf(stderr, "pattern: short %s at offset %" PRIu64
				": %zd of %zu bytes\n", wr ? "write" : "read",
				pos, r, n);
			return 1;
		}
		if (wr || !memcmp(buf, exp, n))
			continue;
		for (i = 0; buf[i] == exp[i]; i++)
			;
		fprintf(stderr, "pattern: mismatch at offset %" PRIu64
			" (0x%" PRIx64 "): got 0x%02x, expected 0x%02x\n",
			pos + i, pos + i, buf[i], exp[i]);
		return 1;
	}
	if (wr && fsync(fd)) {
		fprintf(stderr, "pattern: fsync %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (close(fd)) {
		fprintf(stderr, "pattern: close %s: %s\n", path, strerror(errno));
		return 1;
	}
	printf("pattern: %s %" PRIu64 " bytes at offset %" PRIu64 " seed %" PRIu64
	       " ok\n", wr ? "wrote" : "verified", len, off, seed);
	return 0;
}
