// SPDX-License-Identifier: GPL-2.0
/*
 * devdax MODE DEV [ARG]: checks of a device-dax character device
 * (/dev/daxN.M), which has no read or write, only mmap.  Every mapping
 * is 4 MiB at a 2 MiB aligned address and file offset 0.
 *
 *   rw DEV           MAP_SHARED_VALIDATE|MAP_SYNC (else MAP_SHARED): fill
 *                    with a pattern, unmap, map again and check it; prints
 *                    map=MAP_SYNC or map=MAP_SHARED
 *   sync DEV         as rw, MAP_SYNC required
 *   check DEV SEED   map and check the pattern of SEED (set by "fill")
 *   fill DEV SEED    map and fill with the pattern of SEED
 *   gen - SEED       write the 4 MiB pattern of SEED to stdout
 *   pmd DEV          write one byte to each 4 KiB page of the mapping and
 *                    print the minor faults that took (2 with 2 MiB
 *                    faults; zone-device folios are not counted in
 *                    smaps' FilePmdMapped, and device_dax has no
 *                    tracepoints)
 *   hold DEV SECS    map, touch every page, print "mapped", hold it
 *   odirect DEV BDEV pwrite(O_DIRECT) from the mapping to BDEV and
 *                    pread(O_DIRECT) from BDEV into it: GUP of its pages
 *   pvm DEV          process_vm_readv and process_vm_writev between a
 *                    child's mapping and the parent's memory
 *   wronly-ro DEV    opened O_RDONLY, a PROT_WRITE mapping must fail
 *   writer DEV SEED [SECS]  one side of an exchange through memory
 *   reader DEV SEED [SECS]  shared with another guest (the same SW
 *                    segment, loaded shared in both), each wait for the
 *                    other side limited to SECS (180): see exchange()
 *                    for the protocol and the memory ordering it relies on
 *
 * The GUP modes print nr_foll_pin_{acquired,released} deltas and require
 * acquired > 0 and acquired == released.
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
#include <sys/resource.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "pins.h"

#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif
#ifndef MAP_SYNC
#define MAP_SYNC 0x80000
#endif

#define MAPLEN	(4UL << 20)
#define HPAGE	(2UL << 20)
#define XLEN	(1UL << 20)

static void fill(unsigned char *b, size_t len, uint64_t seed)
{
	uint64_t *w = (uint64_t *)b;
	size_t i;

	for (i = 0; i < len / 8; i++)
		w[i] = word(seed, i);
}

static void check(const unsigned char *b, size_t len, uint64_t seed,
		  const char *what)
{
	const uint64_t *w = (const uint64_t *)b;
	size_t i;

	for (i = 0; i < len / 8; i++)
		if (w[i] != word(seed, i))
			die("%s: mismatch at offset %zu", what, i * 8);
}

static int pins_ok(long long a0, long long r0, const char *what)
{
	long long a1, r1;

	pins(&a1, &r1);
	printf("%s: pins acquired %lld released %lld\n", what, a1 - a0,
	       r1 - r0);
	return a1 - a0 > 0 && a1 - a0 == r1 - r0;
}

static unsigned char *map_aligned(int fd, int prot, int flags)
{
	uintptr_t a;
	void *r;

	r = mmap(NULL, MAPLEN + HPAGE, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (r == MAP_FAILED)
		die("mmap reserve: %s", strerror(errno));
	a = ((uintptr_t)r + HPAGE - 1) & ~(HPAGE - 1);
	r = mmap((void *)a, MAPLEN, prot, flags | MAP_FIXED, fd, 0);
	return r == MAP_FAILED ? NULL : r;
}

static unsigned char *map_dev(const char *dev, int sync_only)
{
	unsigned char *m;
	int fd = open(dev, O_RDWR);

	if (fd < 0)
		die("open %s: %s", dev, strerror(errno));
	m = map_aligned(fd, PROT_READ | PROT_WRITE,
			MAP_SHARED_VALIDATE | MAP_SYNC);
	if (m) {
		printf("map=MAP_SYNC\n");
	} else {
		if (sync_only)
			die("mmap MAP_SYNC %s: %s", dev, strerror(errno));
		m = map_aligned(fd, PROT_READ | PROT_WRITE, MAP_SHARED);
		if (!m)
			die("mmap MAP_SHARED %s: %s", dev, strerror(errno));
		printf("map=MAP_SHARED\n");
	}
	close(fd);
	return m;
}

static long minflt(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		die("getrusage: %s", strerror(errno));
	return ru.ru_minflt;
}

static int odirect(const char *dev, const char *bdev)
{
	unsigned char *m = map_dev(dev, 0), *buf;
	long long a0, r0;
	int bfd, ok = 1;

	bfd = open(bdev, O_RDWR | O_DIRECT);
	if (bfd < 0)
		die("open %s: %s", bdev, strerror(errno));
	if (posix_memalign((void **)&buf, 4096, XLEN))
		die("posix_memalign failed");
	fill(m + XLEN, XLEN, 11);
	pins(&a0, &r0);
	if (pwrite(bfd, m + XLEN, XLEN, 0) != (ssize_t)XLEN)
		die("pwrite(O_DIRECT) from the mapping: %s", strerror(errno));
	ok &= pins_ok(a0, r0, "odirect-write");
	if (pread(bfd, buf, XLEN, 0) != (ssize_t)XLEN)
		die("pread %s: %s", bdev, strerror(errno));
	check(buf, XLEN, 11, "data written from the mapping");
	fill(buf, XLEN, 12);
	if (pwrite(bfd, buf, XLEN, 0) != (ssize_t)XLEN)
		die("pwrite %s: %s", bdev, strerror(errno));
	pins(&a0, &r0);
	if (pread(bfd, m + XLEN, XLEN, 0) != (ssize_t)XLEN)
		die("pread(O_DIRECT) into the mapping: %s", strerror(errno));
	ok &= pins_ok(a0, r0, "odirect-read");
	check(m + XLEN, XLEN, 12, "data read into the mapping");
	return ok ? 0 : 1;
}

static int pvm(const char *dev)
{
	unsigned char *m = map_dev(dev, 0), *buf = malloc(XLEN);
	struct iovec local, remote;
	int ready[2], done[2], ok = 1, st;
	long long a0, r0;
	pid_t pid;
	char c;

	if (!buf || pipe(ready) || pipe(done))
		die("setup: %s", strerror(errno));
	fill(m + XLEN, XLEN, 21);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (!pid) {
		/* The child's own mapping of the same device. */
		unsigned char *cm = map_dev(dev, 0);

		if (write(ready[1], &cm, sizeof(cm)) != sizeof(cm))
			_exit(1);
		if (read(done[0], &c, 1) != 1)
			_exit(1);
		check(cm + 2 * XLEN, XLEN, 22, "data written by process_vm_writev");
		_exit(0);
	}
	if (read(ready[0], &remote.iov_base, sizeof(remote.iov_base)) !=
	    sizeof(remote.iov_base))
		die("child did not map");
	remote.iov_base = (unsigned char *)remote.iov_base + XLEN;
	remote.iov_len = XLEN;
	local.iov_base = buf;
	local.iov_len = XLEN;
	pins(&a0, &r0);
	if (process_vm_readv(pid, &local, 1, &remote, 1, 0) != (ssize_t)XLEN)
		die("process_vm_readv: %s", strerror(errno));
	ok &= pins_ok(a0, r0, "pvm-read");
	check(buf, XLEN, 21, "data read by process_vm_readv");
	fill(buf, XLEN, 22);
	remote.iov_base = (unsigned char *)remote.iov_base + XLEN;
	pins(&a0, &r0);
	if (process_vm_writev(pid, &local, 1, &remote, 1, 0) != (ssize_t)XLEN)
		die("process_vm_writev: %s", strerror(errno));
	ok &= pins_ok(a0, r0, "pvm-write");
	check(m + 2 * XLEN, XLEN, 22, "process_vm_writev data in our mapping");
	if (write(done[1], "x", 1) != 1 || waitpid(pid, &st, 0) != pid)
		die("child: %s", strerror(errno));
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		die("child failed");
	return ok ? 0 : 1;
}

/*
 * The exchange between two guests whose device maps the same memory:
 * the host file behind both guests' segment (tests/share/run.sh, a
 * share=on memory backend), so the same host pages.
 *
 * Layout of the first 4 MiB: the writer's flag word at 0, the reader's
 * at 64 (another cache line), the writer's data at 1 MiB, the reader's
 * answer at 2 MiB, XLEN each.  A flag holds tag|r: the round r and, as
 * tag, SEED's low 32 bits shifted up 32, so what an earlier run left (or
 * zeroes) never passes for this one.
 * Round r = 1..ROUNDS:
 *   writer: data = word(SEED + r, i); release-store flag_w = tag|r
 *   reader: acquire-load flag_w until tag|r; check data; answer = ~data;
 *           release-store flag_r = tag|r
 *   writer: acquire-load flag_r until tag|r; check answer == ~data
 * Each wait gives up after @secs (the other guest never came, or
 * its stores never became visible): the program fails naming the round
 * and the flag word it last saw.
 *
 * Memory ordering relied on: only the release/acquire pairs on the flag
 * words, the C11 message-passing pattern: data stored before the
 * release store of a flag is visible to whoever acquire-loaded that
 * flag's value.  On x86_64 both compile to plain MOVs (TSO orders
 * store-store and load-load; the builtins stop the compiler from
 * reordering), and QEMU's TCG keeps the guest's order: it emits the
 * guest's loads and stores in program order, and on a host weaker than
 * the guest it adds the barriers the guest's model needs (on the x86_64
 * host here it needs none).  Across the two QEMU processes the pages are
 * one copy of the file in the host's page cache, kept coherent by the
 * host's caches; no flush, MAP_SYNC or persistence is involved.
 * A flag is one aligned 8-byte word, so it is never seen half stored
 * (x86 guarantees that for aligned quadwords, and TCG emits one 8-byte
 * host access for it).  The guest's page attributes for the mapping
 * (write-back) do not matter under TCG, which has no guest caches.
 */
#define ROUNDS		16
#define FLAG_W		0
#define FLAG_R		64
#define DATA_W		XLEN
#define DATA_R		(2 * XLEN)

static void await(uint64_t *flag, uint64_t want, const char *who, int round,
		  long secs)
{
	struct timespec nap = { 0, 1000000 }, t0, t;
	uint64_t seen;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while ((seen = __atomic_load_n(flag, __ATOMIC_ACQUIRE)) != want) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((t.tv_sec - t0.tv_sec) * 1000 +
		    (t.tv_nsec - t0.tv_nsec) / 1000000 >= secs * 1000)
			die("round %d: no %s after %ld s (flag word %#llx, want %#llx)",
			    round, who, secs, (unsigned long long)seen,
			    (unsigned long long)want);
		nanosleep(&nap, NULL);
	}
}

static int exchange(const char *dev, uint64_t seed, int writer, long secs)
{
	unsigned char *m = map_dev(dev, 0);
	uint64_t *fw = (uint64_t *)(m + FLAG_W), *fr = (uint64_t *)(m + FLAG_R);
	uint64_t *d = (uint64_t *)(m + DATA_W), *a = (uint64_t *)(m + DATA_R);
	uint64_t tag = (seed & 0xffffffff) << 32;
	struct timespec t0, t1;
	size_t i;
	int r;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (r = 1; r <= ROUNDS; r++) {
		if (writer) {
			fill((unsigned char *)d, XLEN, seed + r);
			__atomic_store_n(fw, tag | r, __ATOMIC_RELEASE);
			await(fr, tag | r, "answer from the reader", r, secs);
			for (i = 0; i < XLEN / 8; i++)
				if (a[i] != ~word(seed + r, i))
					die("round %d: answer word %zu is %#llx, want %#llx",
					    r, i, (unsigned long long)a[i],
					    (unsigned long long)~word(seed + r, i));
		} else {
			await(fw, tag | r, "data from the writer", r, secs);
			check((unsigned char *)d, XLEN, seed + r,
			      "the writer's data");
			for (i = 0; i < XLEN / 8; i++)
				a[i] = ~d[i];
			__atomic_store_n(fr, tag | r, __ATOMIC_RELEASE);
		}
		if (r == 1)	/* the other guest may come later: not timed */
			clock_gettime(CLOCK_MONOTONIC, &t0);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%s: %d rounds of %lu bytes each way, the last %d in %ld ms\n",
	       mode, ROUNDS, XLEN, ROUNDS - 1,
	       (long)((t1.tv_sec - t0.tv_sec) * 1000 +
		      (t1.tv_nsec - t0.tv_nsec) / 1000000));
	return 0;
}

int main(int argc, char **argv)
{
	unsigned char *m;
	size_t off;
	int fd;

	if (argc < 3)
		goto usage;
	mode = argv[1];
	if (!strcmp(mode, "rw") || !strcmp(mode, "sync")) {
		m = map_dev(argv[2], !strcmp(mode, "sync"));
		fill(m, MAPLEN, 1);
		munmap(m, MAPLEN);
		m = map_dev(argv[2], 0);
		check(m, MAPLEN, 1, "data after a new mapping");
		printf("%lu bytes written and read back\n", MAPLEN);
		return 0;
	}
	if (!strcmp(mode, "gen") && argc == 4) {
		static unsigned char buf[MAPLEN];

		fill(buf, MAPLEN, strtoull(argv[3], NULL, 0));
		return fwrite(buf, 1, MAPLEN, stdout) == MAPLEN ? 0 : 1;
	}
	if ((!strcmp(mode, "fill") || !strcmp(mode, "check")) && argc == 4) {
		m = map_dev(argv[2], 0);
		if (mode[0] == 'f')
			fill(m, MAPLEN, strtoull(argv[3], NULL, 0));
		else
			check(m, MAPLEN, strtoull(argv[3], NULL, 0), "pattern");
		return 0;
	}
	if (!strcmp(mode, "pmd")) {
		volatile unsigned char *v;
		long f0;

		v = m = map_dev(argv[2], 0);
		f0 = minflt();
		for (off = 0; off < MAPLEN; off += 4096)
			v[off] = 1;
		printf("%ld\n", minflt() - f0);
		return 0;
	}
	if (!strcmp(mode, "hold") && argc == 4) {
		volatile unsigned char *v;
		unsigned long sum = 0;

		v = m = map_dev(argv[2], 0);
		for (off = 0; off < MAPLEN; off += 4096)
			sum += v[off];
		printf("mapped (sum %lu)\n", sum);
		fflush(stdout);
		sleep(atoi(argv[3]));
		return 0;
	}
	if (!strcmp(mode, "odirect") && argc == 4)
		return odirect(argv[2], argv[3]);
	if (!strcmp(mode, "pvm"))
		return pvm(argv[2]);
	if ((!strcmp(mode, "writer") || !strcmp(mode, "reader")) &&
	    (argc == 4 || argc == 5))
		return exchange(argv[2], strtoull(argv[3], NULL, 0),
				mode[0] == 'w', argc == 5 ? atol(argv[4]) : 180);
	if (!strcmp(mode, "wronly-ro")) {
		fd = open(argv[2], O_RDONLY);
		if (fd < 0)
			die("open %s: %s", argv[2], strerror(errno));
		m = map_aligned(fd, PROT_READ | PROT_WRITE, MAP_SHARED);
		if (m)
			die("a writable mapping of a read-only open succeeded");
		printf("refused: %s\n", strerror(errno));
		return 0;
	}
usage:
	fprintf(stderr, "usage: devdax rw|sync|fill|check|gen|pmd|hold|odirect|pvm|wronly-ro|writer|reader DEV [ARG]\n");
	return 2;
}
