// SPDX-License-Identifier: GPL-2.0
/*
 * textpfn PID START END [PATH-PART]: where the executable pages of a
 * running process are.  For each executable file mapping of PID (whose
 * path contains PATH-PART, if given), looks up every page in
 * /proc/PID/pagemap (root) and counts the pages that are present and,
 * of those, the ones whose frame lies in the physical range START..END
 * (inclusive, hex or decimal).  Prints one line per mapping and a total
 * "present N inside M"; exits 0 when some page is present and all present
 * pages are inside, 1 otherwise, 2 on usage or a read error.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PM_PRESENT	(1ULL << 63)
#define PM_PFN_MASK	((1ULL << 55) - 1)

int main(int argc, char **argv)
{
	unsigned long long lo, hi, present = 0, inside = 0;
	char path[64], line[4096];
	FILE *maps;
	int pm;

	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: textpfn PID START END [PATH-PART]\n");
		return 2;
	}
	lo = strtoull(argv[2], NULL, 0) >> 12;
	hi = strtoull(argv[3], NULL, 0) >> 12;
	snprintf(path, sizeof(path), "/proc/%s/maps", argv[1]);
	maps = fopen(path, "r");
	snprintf(path, sizeof(path), "/proc/%s/pagemap", argv[1]);
	pm = open(path, O_RDONLY);
	if (!maps || pm < 0) {
		perror(path);
		return 2;
	}
	while (fgets(line, sizeof(line), maps)) {
		unsigned long long start, end, va, p = 0, in = 0;
		char perms[8], file[4096] = "";

		if (sscanf(line, "%llx-%llx %7s %*s %*s %*s %4095s",
			   &start, &end, perms, file) < 3)
			continue;
		if (perms[2] != 'x' || file[0] != '/')
			continue;
		if (argc == 5 && !strstr(file, argv[4]))
			continue;
		for (va = start; va < end; va += 4096) {
			uint64_t e;

			if (pread(pm, &e, sizeof(e), (va >> 12) * 8) != sizeof(e)) {
				perror("pagemap");
				return 2;
			}
			if (!(e & PM_PRESENT))
				continue;
			p++;
			if ((e & PM_PFN_MASK) >= lo && (e & PM_PFN_MASK) <= hi)
				in++;
		}
		printf("%s: present %llu inside %llu\n", file, p, in);
		present += p;
		inside += in;
	}
	printf("present %llu inside %llu\n", present, inside);
	return present && inside == present ? 0 : 1;
}
