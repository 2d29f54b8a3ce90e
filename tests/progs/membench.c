// SPDX-License-Identifier: GPL-2.0
/*
 * membench: the measurements of make bench, each printed as one line
 * "VALUE UNIT".  Timing is CLOCK_MONOTONIC around the work only.
 *
 *   membench read FILE           sequential read() in 1 MiB chunks, MB/s
 *   membench mmap FILE           mmap and read every 8-byte word, MB/s
 *   membench seqwrite FILE       overwrite FILE from its start with write()
 *                                in 1 MiB chunks, then fsync, MB/s (the
 *                                blocks exist: no allocation is timed)
 *   membench memcpy MIB          memcpy between two MIB-sized buffers, MB/s
 *   membench rand DEV r|w THREADS OPS
 *                                4 KiB random O_DIRECT pread/pwrite from
 *                                THREADS synchronous threads (OPS in all;
 *                                one I/O in flight per thread, so not a
 *                                queue depth), IOPS
 *   membench write FILE STRING   one write() of STRING to FILE (a sysfs
 *                                control file), milliseconds
 *
 * Exit 1 on any I/O error, 2 on usage errors.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int die(const char *what)
{
	perror(what);
	return 1;
}

static int bench_read(const char *path)
{
	size_t chunk = 1 << 20, total = 0;
	char *buf = malloc(chunk);
	ssize_t n;
	double t;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || !buf)
		return die(path);
	posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	t = now();
	while ((n = read(fd, buf, chunk)) > 0)
		total += n;
	t = now() - t;
	if (n < 0)
		return die("read");
	printf("%.1f MB/s\n", total / t / 1e6);
	return 0;
}

static int bench_mmap(const char *path)
{
	volatile uint64_t *p;
	uint64_t sum = 0;
	struct stat st;
	size_t i, words;
	double t;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st))
		return die(path);
	p = mmap(NULL, st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return die("mmap");
	words = st.st_size / 8;
	t = now();
	for (i = 0; i < words; i++)
		sum += p[i];
	t = now() - t;
	printf("%.1f MB/s (sum %llx)\n", st.st_size / t / 1e6,
	       (unsigned long long)sum);
	return 0;
}

static int bench_seqwrite(const char *path)
{
	size_t chunk = 1 << 20, total = 0;
	char *buf = malloc(chunk);
	struct stat st;
	ssize_t n;
	double t;
	int fd = open(path, O_WRONLY);

	if (fd < 0 || !buf || fstat(fd, &st))
		return die(path);
	memset(buf, 0xa5, chunk);
	t = now();
	while (total < (size_t)st.st_size) {
		n = write(fd, buf, chunk);
		if (n <= 0)
			return die("write");
		total += n;
	}
	if (fsync(fd))
		return die("fsync");
	t = now() - t;
	close(fd);
	printf("%.1f MB/s\n", total / t / 1e6);
	return 0;
}

static int bench_memcpy(size_t mib)
{
	size_t len = mib << 20;
	char *a = malloc(len), *b = malloc(len);
	double t;

	if (!a || !b)
		return die("malloc");
	memset(a, 1, len);
	memset(b, 2, len);	/* both faulted in before timing */
	t = now();
	memcpy(b, a, len);
	t = now() - t;
	printf("%.1f MB/s (%d)\n", len / t / 1e6, b[len / 2]);
	return 0;
}

struct worker {
	int fd;
	int write;
	long ops;
	uint64_t blocks;
	uint64_t seed;
	int failed;
};

static void *rand_io(void *arg)
{
	struct worker *w = arg;
	void *buf;
	long i;

	if (posix_memalign(&buf, 4096, 4096)) {
		w->failed = 1;
		return NULL;
	}
	memset(buf, 0x5a, 4096);
	for (i = 0; i < w->ops; i++) {
		off_t off;

		w->seed ^= w->seed << 13;
		w->seed ^= w->seed >> 7;
		w->seed ^= w->seed << 17;
		off = (off_t)(w->seed % w->blocks) * 4096;
		if ((w->write ? pwrite(w->fd, buf, 4096, off) :
				pread(w->fd, buf, 4096, off)) != 4096) {
			w->failed = 1;
			break;
		}
	}
	free(buf);
	return NULL;
}

static int bench_rand(const char *dev, int write, int threads, long ops)
{
	pthread_t tid[64];
	struct worker w[64];
	off_t size;
	double t;
	int fd, i, failed = 0;

	if (threads < 1 || threads > 64 || ops < threads)
		return 2;
	fd = open(dev, (write ? O_RDWR : O_RDONLY) | O_DIRECT);
	if (fd < 0)
		return die(dev);
	size = lseek(fd, 0, SEEK_END);
	for (i = 0; i < threads; i++)
		w[i] = (struct worker){ fd, write, ops / threads, size / 4096,
					0x9e3779b97f4a7c15ull * (i + 1), 0 };
	t = now();
	for (i = 0; i < threads; i++)
		pthread_create(&tid[i], NULL, rand_io, &w[i]);
	for (i = 0; i < threads; i++) {
		pthread_join(tid[i], NULL);
		failed |= w[i].failed;
	}
	t = now() - t;
	if (failed)
		return die("random I/O");
	printf("%.0f IOPS\n", (ops / threads) * threads / t);
	return 0;
}

/* Times one write() to a control file: add a segment, bind a namespace. */
static int bench_write(const char *path, const char *str)
{
	int fd = open(path, O_WRONLY);
	double t;

	if (fd < 0)
		return die(path);
	t = now();
	if (write(fd, str, strlen(str)) < 0)
		return die(path);
	t = now() - t;
	close(fd);
	printf("%.3f ms\n", t * 1e3);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "read"))
		return bench_read(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "mmap"))
		return bench_mmap(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "seqwrite"))
		return bench_seqwrite(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "memcpy"))
		return bench_memcpy(strtoul(argv[2], NULL, 0));
	if (argc == 6 && !strcmp(argv[1], "rand"))
		return bench_rand(argv[2], argv[3][0] == 'w', atoi(argv[4]),
				  atol(argv[5]));
	if (argc == 4 && !strcmp(argv[1], "write"))
		return bench_write(argv[2], argv[3]);
	fprintf(stderr, "usage: membench read|mmap|seqwrite FILE | memcpy MIB | rand DEV r|w THREADS OPS | write FILE STRING\n");
	return 2;
}
