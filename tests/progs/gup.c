// SPDX-License-Identifier: GPL-2.0
/*
 * gup MODE DAXFILE BDEV [--sync] [--pfnmap PATH]
 *   MODE: odirect-write | odirect-read | vmsplice | pvm-read | pvm-write
 *
 * Proves that pages of a MAP_SHARED mapping of DAXFILE (>= 4 MiB, on a
 * filesystem mounted -o dax) can be pinned by GUP: 1 MiB at mapping offset
 * 1 MiB is used as the user buffer of a syscall that has to GUP it, and
 * the data that went through is compared against a pseudo-random pattern.
 * BDEV is a scratch block device; its first 1 MiB is overwritten.
 *
 *   odirect-write  fill mapping, pwrite(O_DIRECT) mapping -> BDEV, read back
 *   odirect-read   BDEV -> pread(O_DIRECT) into mapping, msync, pread DAXFILE
 *   vmsplice       vmsplice mapping into a pipe, read the pipe
 *   pvm-read       process_vm_readv from a forked child's mapping
 *   pvm-write      process_vm_writev into a forked child's mapping,
 *                  msync, pread DAXFILE
 *
 * The mapping is 2 MiB aligned and tries MAP_SHARED_VALIDATE|MAP_SYNC
 * first (--sync: MAP_SYNC required), falling back to MAP_SHARED.
 * Prints nr_foll_pin_{acquired,released} deltas around the GUP call; the
 * O_DIRECT and process_vm modes use FOLL_PIN and require acquired > 0 and
 * acquired == released.  vmsplice uses FOLL_GET: pins are only printed.
 *
 * --pfnmap PATH: negative control.  PATH "[vvar]" uses the process's
 *   vDSO data mapping (VM_IO) where no PCI BAR exists.  Map PATH (e.g. a PCI BAR
 * /sys/bus/pci/devices/.../resource0, VM_PFNMAP without struct pages)
 * instead of DAXFILE (which is then unused); the GUP call must fail with
 * EFAULT.  Exit 0 only in that case.
 *
 * Exit 0 on success, 1 on failure, 2 on usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "pins.h"

#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif
#ifndef MAP_SYNC
#define MAP_SYNC 0x80000
#endif

#define XLEN	(1UL << 20)	/* transfer size */
#define XOFF	(1UL << 20)	/* transfer window offset in the DAX mapping */
#define MAPLEN	(4UL << 20)	/* DAX mapping size */
#define HPAGE	(2UL << 20)

static int pfnmap;

static void fill(unsigned char *b, size_t len, uint64_t seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		b[i] = word(seed, i / 8) >> (8 * (i % 8));
}

static void check(const unsigned char *b, size_t len, uint64_t seed,
		  const char *what)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char e = word(seed, i / 8) >> (8 * (i % 8));

		if (b[i] != e)
			die("%s: mismatch at offset %zu: got 0x%02x, expected 0x%02x",
			    what, i, b[i], e);
	}
}

/* map fd at a 2 MiB aligned address so PMD mappings are possible */
static unsigned char *map_aligned(int fd, size_t len, int flags)
{
	uintptr_t a;
	void *r;

	r = mmap(NULL, len + HPAGE, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (r == MAP_FAILED)
		die("mmap reserve: %s", strerror(errno));
	a = ((uintptr_t)r + HPAGE - 1) & ~(HPAGE - 1);
	r = mmap((void *)a, len, PROT_READ | PROT_WRITE, flags | MAP_FIXED,
		 fd, 0);
	return r == MAP_FAILED ? NULL : r;
}

static void bdev_io(int bfd, void *buf, int wr)
{
	ssize_t r = wr ? pwrite(bfd, buf, XLEN, 0) : pread(bfd, buf, XLEN, 0);

	if (r < 0)
		die("BDEV %s: %s", wr ? "pwrite" : "pread", strerror(errno));
	if (r != (ssize_t)XLEN)
		die("BDEV %s: short transfer %zd of %lu", wr ? "pwrite" : "pread",
		    r, XLEN);
}

/*
 * Evaluate the result of the GUP-ing call.  Returns 1 to go on checking
 * data, 0 when the pfnmap negative control failed as expected.
 */
static int gup_result(ssize_t r, size_t len, const char *call)
{
	if (pfnmap) {
		if (r >= 0)
			die("pfnmap: %s unexpectedly succeeded (%zd bytes)", call, r);
		if (errno != EFAULT)
			die("pfnmap: %s failed with %s, expected EFAULT", call,
			    strerror(errno));
		printf("pfnmap: EFAULT as expected\n");
		return 0;
	}
	if (r < 0)
		die("%s: %s", call, strerror(errno));
	if ((size_t)r != len)
		die("%s: short transfer %zd of %zu", call, r, len);
	return 1;
}

static int usage(void)
{
	fprintf(stderr, "usage: gup odirect-write|odirect-read|vmsplice|pvm-read|pvm-write"
		" DAXFILE BDEV [--sync] [--pfnmap PATH]\n");
	return 2;
}

/* The [vvar] mapping of this process, from /proc/self/maps. */
static unsigned char *find_vvar(size_t *len)
{
	unsigned long lo, hi;
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");

	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, "[vvar]") &&
		    sscanf(line, "%lx-%lx", &lo, &hi) == 2) {
			fclose(f);
			*len = hi - lo;
			return (unsigned char *)lo;
		}
	}
	fclose(f);
	return NULL;
}

int main(int argc, char **argv)
{
	const char *args[3], *pfnpath = NULL;
	long long a0, r0, a1, r1;
	unsigned char *map, *win, *buf;
	int i, n = 0, sync = 0, pinned, fd, dfd = -1, bfd;
	size_t maplen, xlen;
	uint64_t seed;
	struct stat st;
	ssize_t r = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--sync"))
			sync = 1;
		else if (!strcmp(argv[i], "--pfnmap") && i + 1 < argc)
			pfnpath = argv[++i];
		else if (argv[i][0] == '-' || n == 3)
			return usage();
		else
			args[n++] = argv[i];
	}
	if (n != 3)
		return usage();
	mode = args[0];
	if (strcmp(mode, "odirect-write") && strcmp(mode, "odirect-read") &&
	    strcmp(mode, "vmsplice") && strcmp(mode, "pvm-read") &&
	    strcmp(mode, "pvm-write"))
		return usage();
	pfnmap = !!pfnpath;
	pinned = strcmp(mode, "vmsplice") != 0;
	seed = ((uint64_t)time(NULL) << 20) ^ getpid();

	if (posix_memalign((void **)&buf, 4096, XLEN))
		die("out of memory");
	bfd = open(args[2], O_RDWR | O_DIRECT);
	if (bfd < 0)
		die("open %s: %s", args[2], strerror(errno));

	if (pfnmap && !strcmp(pfnpath, "[vvar]")) {
		/*
		 * No PCI BAR (s390 under QEMU): the vDSO data mapping is a
		 * VM_IO special mapping that GUP refuses the same way.
		 */
		map = find_vvar(&maplen);
		if (!map)
			die("no [vvar] mapping in /proc/self/maps");
		if (maplen > XLEN)
			maplen = XLEN;
		xlen = maplen;
		win = map;
		printf("map=[vvar] (%zu bytes)\n", maplen);
	} else if (pfnmap) {
		fd = open(pfnpath, O_RDWR | O_SYNC);
		if (fd < 0 || fstat(fd, &st))
			die("%s: %s", pfnpath, strerror(errno));
		maplen = ((size_t)st.st_size + 4095) & ~4095UL;
		if (maplen == 0)
			die("%s: size 0", pfnpath);
		if (maplen > XLEN)
			maplen = XLEN;
		xlen = maplen;
		map = map_aligned(fd, maplen, MAP_SHARED);
		if (!map)
			die("mmap %s: %s", pfnpath, strerror(errno));
		win = map;
		printf("map=MAP_SHARED (pfnmap %s, %zu bytes)\n", pfnpath, maplen);
	} else {
		dfd = open(args[1], O_RDWR);
		if (dfd < 0 || fstat(dfd, &st))
			die("%s: %s", args[1], strerror(errno));
		if (st.st_size < (off_t)MAPLEN)
			die("%s: size %lld, need at least %lu", args[1],
			    (long long)st.st_size, MAPLEN);
		maplen = MAPLEN;
		xlen = XLEN;
		map = map_aligned(dfd, maplen, MAP_SHARED_VALIDATE | MAP_SYNC);
		if (map) {
			printf("map=MAP_SYNC\n");
		} else {
			if (sync || (errno != EOPNOTSUPP && errno != EINVAL))
				die("mmap MAP_SYNC %s: %s", args[1], strerror(errno));
			map = map_aligned(dfd, maplen, MAP_SHARED);
			if (!map)
				die("mmap %s: %s", args[1], strerror(errno));
			printf("map=MAP_SHARED\n");
		}
		win = map + XOFF;
	}
	fflush(stdout);

	if (!strcmp(mode, "odirect-write")) {
		if (!pfnmap)
			fill(win, xlen, seed);
		memset(buf, 0, xlen);
		bdev_io(bfd, buf, 1);		/* clear the destination */
		pins(&a0, &r0);
		r = pwrite(bfd, win, xlen, 0);
		pins(&a1, &r1);
		if (gup_result(r, xlen, "pwrite(O_DIRECT) from mapping")) {
			bdev_io(bfd, buf, 0);
			check(buf, xlen, seed, "BDEV after O_DIRECT write");
		}
	} else if (!strcmp(mode, "odirect-read")) {
		if (!pfnmap) {
			memset(win, 0, xlen);
			if (msync(map, maplen, MS_SYNC))
				die("msync: %s", strerror(errno));
		}
		fill(buf, xlen, seed);
		bdev_io(bfd, buf, 1);
		pins(&a0, &r0);
		r = pread(bfd, win, xlen, 0);
		pins(&a1, &r1);
		if (gup_result(r, xlen, "pread(O_DIRECT) into mapping")) {
			if (msync(map, maplen, MS_SYNC))
				die("msync: %s", strerror(errno));
			memset(buf, 0, xlen);
			r = pread(dfd, buf, xlen, XOFF);
			if (r != (ssize_t)xlen)
				die("pread DAXFILE: %s", r < 0 ? strerror(errno) :
				    "short read");
			check(buf, xlen, seed, "DAXFILE after O_DIRECT read");
		}
	} else if (!strcmp(mode, "vmsplice")) {
		int p[2];
		size_t done = 0;

		if (!pfnmap)
			fill(win, xlen, seed);
		if (pipe(p))
			die("pipe: %s", strerror(errno));
		fcntl(p[1], F_SETPIPE_SZ, (int)xlen);	/* fewer rounds if allowed */
		pins(&a0, &r0);
		while (done < xlen) {
			struct iovec iov = { win + done, xlen - done };
			ssize_t m, k;

			r = vmsplice(p[1], &iov, 1, 0);
			if (done == 0 && !gup_result(r, r < 0 ? xlen : (size_t)r,
						     "vmsplice of mapping"))
				break;
			if (r <= 0)
				die("vmsplice at %zu: %s", done,
				    r < 0 ? strerror(errno) : "no progress");
			for (m = 0; m < r; m += k) {
				k = read(p[0], buf + done + m, r - m);
				if (k <= 0)
					die("read pipe: %s", k ? strerror(errno) : "EOF");
			}
			done += r;
		}
		pins(&a1, &r1);
		if (!pfnmap)
			check(buf, xlen, seed, "pipe data after vmsplice");
	} else {			/* pvm-read, pvm-write */
		int wr = !strcmp(mode, "pvm-write"), p[2];
		struct iovec liov = { buf, xlen }, riov = { win, xlen };
		pid_t pid;
		char c;

		if (!pfnmap) {
			if (wr)
				memset(win, 0, xlen);
			else
				fill(win, xlen, seed);
			if (msync(map, maplen, MS_SYNC))
				die("msync: %s", strerror(errno));
		}
		if (wr)
			fill(buf, xlen, seed);
		else
			memset(buf, 0, xlen);
		if (pipe(p))
			die("pipe: %s", strerror(errno));
		pid = fork();
		if (pid < 0)
			die("fork: %s", strerror(errno));
		if (pid == 0) {	/* child: holds the mapping until parent is done */
			close(p[1]);
			while (read(p[0], &c, 1) < 0 && errno == EINTR)
				;
			_exit(0);
		}
		close(p[0]);
		pins(&a0, &r0);
		if (wr)
			r = process_vm_writev(pid, &liov, 1, &riov, 1, 0);
		else
			r = process_vm_readv(pid, &liov, 1, &riov, 1, 0);
		pins(&a1, &r1);
		close(p[1]);
		waitpid(pid, NULL, 0);
		if (gup_result(r, xlen, wr ? "process_vm_writev into child mapping" :
			       "process_vm_readv from child mapping")) {
			if (wr) {
				if (msync(map, maplen, MS_SYNC))
					die("msync: %s", strerror(errno));
				memset(buf, 0, xlen);
				r = pread(dfd, buf, xlen, XOFF);
				if (r != (ssize_t)xlen)
					die("pread DAXFILE: %s", r < 0 ?
					    strerror(errno) : "short read");
			}
			check(buf, xlen, seed, wr ? "DAXFILE after process_vm_writev" :
			      "data from process_vm_readv");
		}
	}

	printf("pins_acquired=%lld pins_released=%lld\n", a1 - a0, r1 - r0);
	if (pfnmap)
		return 0;
	if (pinned && a1 - a0 <= 0)
		die("no FOLL_PIN pins were taken");
	if (pinned && a1 - a0 != r1 - r0)
		die("pins not balanced: acquired %lld released %lld",
		    a1 - a0, r1 - r0);
	printf("gup %s: ok (%zu bytes)\n", mode, xlen);
	return 0;
}
