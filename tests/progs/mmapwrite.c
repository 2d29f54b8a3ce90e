// SPDX-License-Identifier: GPL-2.0
/*
 * mmapwrite [--expect-ok] FILE
 *
 * Opens FILE O_RDWR, maps its first page PROT_READ|PROT_WRITE, MAP_SHARED,
 * and writes one byte through the mapping (the byte's own value back, after
 * writing its complement), then msyncs.  The attempt counts as refused if
 * open/mmap fails with EROFS/EACCES/EPERM or the store faults (SIGBUS or
 * SIGSEGV).  Exit 0 if refused (1 if it worked); --expect-ok inverts.
 * Other errors exit 1, usage errors 2.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

static sigjmp_buf env;
static int expect_ok;

static void on_fault(int sig)
{
	siglongjmp(env, sig);
}

static int refused_errno(int e)
{
	return e == EROFS || e == EACCES || e == EPERM;
}

static int result(int refused, const char *how)
{
	printf("mmapwrite: %s\n", how);
	if (refused == !expect_ok)
		return 0;
	fprintf(stderr, "mmapwrite: write through mapping %s, expected it to be %s\n",
		refused ? "refused" : "succeeded", expect_ok ? "allowed" : "refused");
	return 1;
}

int main(int argc, char **argv)
{
	volatile unsigned char *p;
	int fd, sig;
	const char *path;
	struct sigaction sa;
	struct stat st;
	char how[128];
	unsigned char b;

	if (argc == 3 && !strcmp(argv[1], "--expect-ok")) {
		expect_ok = 1;
		path = argv[2];
	} else if (argc == 2 && argv[1][0] != '-') {
		path = argv[1];
	} else {
		fprintf(stderr, "usage: mmapwrite [--expect-ok] FILE\n");
		return 2;
	}

	fd = open(path, O_RDWR);
	if (fd < 0) {
		if (!refused_errno(errno)) {
			fprintf(stderr, "mmapwrite: open %s: %s\n", path, strerror(errno));
			return 1;
		}
		snprintf(how, sizeof(how), "open O_RDWR refused: %s", strerror(errno));
		return result(1, how);
	}
	if (fstat(fd, &st) || st.st_size == 0) {
		fprintf(stderr, "mmapwrite: %s: empty or fstat failed\n", path);
		return 1;
	}
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		if (!refused_errno(errno)) {
			fprintf(stderr, "mmapwrite: mmap %s: %s\n", path, strerror(errno));
			return 1;
		}
		snprintf(how, sizeof(how), "mmap refused: %s", strerror(errno));
		return result(1, how);
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fault;
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	sig = sigsetjmp(env, 1);
	if (sig) {
		snprintf(how, sizeof(how), "store faulted: %s", strsignal(sig));
		return result(1, how);
	}
	b = p[0];
	p[0] = ~b;
	p[0] = b;
	signal(SIGBUS, SIG_DFL);
	signal(SIGSEGV, SIG_DFL);
	if (msync((void *)p, 4096, MS_SYNC)) {
		fprintf(stderr, "mmapwrite: msync: %s\n", strerror(errno));
		return 1;
	}
	return result(0, "write through mapping succeeded");
}
