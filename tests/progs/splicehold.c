// SPDX-License-Identifier: GPL-2.0
/*
 * splicehold FILE LENGTH: vmsplice LENGTH bytes of a MAP_SHARED mapping of
 * FILE into a pipe, unmap it and close the file, so that only the pipe
 * holds references to the file's pages (on a DAX file, the device's
 * pages).  Prints "held PFN" (the first page's frame, from pagemap), then
 * waits for SIGUSR1, drains the pipe, checks that the bytes are the
 * file's, and prints "drained".
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

static volatile sig_atomic_t go;

static void on_usr1(int sig)
{
	(void)sig;
	go = 1;
}

static uint64_t pfn_of(void *addr)
{
	uint64_t entry = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0 || pread(fd, &entry, 8, (uintptr_t)addr / 4096 * 8) != 8)
		return 0;
	close(fd);
	return entry & ((1ULL << 55) - 1);
}

int main(int argc, char **argv)
{
	size_t len, done = 0;
	char *map, *copy;
	int fd, pipefd[2];
	sigset_t mask, old;

	if (argc != 3) {
		fprintf(stderr, "usage: splicehold FILE LENGTH\n");
		return 2;
	}
	len = strtoul(argv[2], NULL, 0);
	fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	map = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	copy = malloc(len);
	if (map == MAP_FAILED || !copy) {
		perror("mmap");
		return 1;
	}
	memcpy(copy, map, len);
	if (pipe(pipefd) || fcntl(pipefd[1], F_SETPIPE_SZ, (int)len) < 0) {
		perror("pipe");
		return 1;
	}
	while (done < len) {
		struct iovec iov = { map + done, len - done };
		ssize_t n = vmsplice(pipefd[1], &iov, 1, 0);

		if (n <= 0) {
			perror("vmsplice");
			return 1;
		}
		done += n;
	}
	printf("held %#llx\n", (unsigned long long)pfn_of(map));
	fflush(stdout);
	munmap(map, len);
	close(fd);

	signal(SIGUSR1, on_usr1);
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	sigprocmask(SIG_BLOCK, &mask, &old);
	while (!go)
		sigsuspend(&old);

	for (done = 0; done < len;) {
		char buf[65536];
		ssize_t n = read(pipefd[0], buf, sizeof(buf));

		if (n <= 0 || memcmp(buf, copy + done, n)) {
			fprintf(stderr, "pipe content differs at %zu\n", done);
			return 1;
		}
		done += n;
	}
	printf("drained\n");
	return 0;
}
