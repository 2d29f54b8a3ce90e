// SPDX-License-Identifier: GPL-2.0
/*
 * sysfuzz SEED COUNT [fsdax]: write COUNT seeded random inputs to the dcssdax
 * control files (add, devdax, remove, and shared/save/mode of the device
 * KEEP, which must exist, be idle and in fsdax mode) and check after each
 * one that
 *   - the errno is one the ABI allows for that file,
 *   - a refused write changed nothing: the same device directories and
 *     modes, device nodes (block and dax), dax devices and "(DCSS)"
 *     claims in /proc/iomem,
 *   - an accepted add (or devdax) made exactly one device, which is
 *     removed again,
 *   - an accepted mode write is undone by writing KEEP's mode of the
 *     moment back, and then the state is the one before.
 * KEEP is in fsdax mode for the first half of the inputs and in devdax
 * mode for the second, so that the same inputs reach its files in both;
 * it is left in fsdax mode.  With "fsdax" KEEP stays in fsdax mode for
 * all of them: for a backend that has no devdax mode (extmem).
 * Prints "sysfuzz: seed=S inputs=N accepted=A refused=R mode-switches=M"
 * (M: accepted mode writes that switched KEEP) and exits 0, or
 * the first violation and exits 1.  Usage errors exit 2.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

#define MAXIN 4200

/* Names the emulated table knows, lower and upper case, and others. */
static const char *const words[] = {
	"SEG1", "seg2", "SEGA", "segb", "SEGC", "ROSEG", "scseg", "OVL1",
	"OVL2", "RAMSEG", "NOMEM", "EDGE", "BOTHU", "PAIR1", "NOSUCH",
	"ABCDEFGH", "ABCDEFGHI", "a", "SEG3", "$#@", "-_-", "0", "1",
	"fsdax", "devdax", "DEVDAX", "dev", "devdaxx", "system-ram",
};

static size_t make_input(char *buf)
{
	size_t len = 0, n, i;
	unsigned int parts = 1 + below(4);

	switch (below(8)) {
	case 0:		/* raw random bytes, any value */
		n = below(64);
		for (i = 0; i < n; i++)
			buf[len++] = (char)below(256);
		return len;
	case 1:		/* very long */
		n = 4000 + below(100);
		memset(buf, 'A' + below(26), n);
		return n;
	default:	/* words, separators, suffixes */
		break;
	}
	while (parts--) {
		const char *w = words[below(sizeof(words) / sizeof(words[0]))];

		n = strlen(w);
		memcpy(buf + len, w, n);
		len += n;
		switch (below(10)) {
		case 0: buf[len++] = ':'; break;
		case 1: buf[len++] = '\n'; break;
		case 2: buf[len++] = '\0'; break;
		case 3: memcpy(buf + len, "(local)", 7); len += 7; break;
		case 4: buf[len++] = (char)(0x80 + below(128)); break;
		case 5: buf[len++] = ' '; break;
		default: if (parts) buf[len++] = ':'; break;
		}
	}
	if (below(2))
		buf[len++] = '\n';
	return len;
}

static int allowed(int target, int err)
{
	static const int add[] = { 0, ENAMETOOLONG, EINVAL, EEXIST, ENOENT,
				   ENODEV, EBUSY, EPERM, ERANGE, 0 };
	static const int rem[] = { 0, ENAMETOOLONG, EINVAL, ENODEV, EBUSY, 0 };
	static const int flag[] = { 0, EINVAL, EBUSY, 0 };
	/* devdax: add's, read-only and unsupported segments besides */
	static const int devdax[] = { 0, ENAMETOOLONG, EINVAL, EEXIST, ENOENT,
				      ENODEV, EBUSY, EPERM, ERANGE, EROFS,
				      EOPNOTSUPP, 0 };
	/* mode: another word, busy, or devdax's own refusals */
	static const int mode[] = { 0, EINVAL, EBUSY, EROFS, EOPNOTSUPP, 0 };
	const int *set = target == 0 ? add : target == 1 ? rem :
			 target == 4 ? devdax : target == 5 ? mode : flag;
	int i;

	for (i = 0; i == 0 || set[i]; i++)
		if (set[i] == err)
			return 1;
	return 0;
}

/* KEEP's mode, "fsdax" or "devdax" (nothing on error). */
static void keep_mode(char *buf, size_t size)
{
	FILE *f = fopen(SYS "/KEEP/mode", "r");

	buf[0] = '\0';
	if (f && !fgets(buf, size, f))
		buf[0] = '\0';
	if (f)
		fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
}

/* Switches KEEP to @mode; 0 or the errno. */
static int set_keep_mode(const char *mode)
{
	return write_file(SYS "/KEEP/mode", mode, strlen(mode));
}

int main(int argc, char **argv)
{
	static const char *const files[] = { SYS "/add", SYS "/remove",
		SYS "/KEEP/shared", SYS "/KEEP/save", SYS "/devdax",
		SYS "/KEEP/mode" };
	/* remove, KEEP's shared, save and mode: a quarter of the rest each */
	static const int others[] = { 1, 2, 3, 5 };
	static char before[65536], after[65536], buf[MAXIN];
	unsigned long count, i, accepted = 0, refused = 0, switches = 0;
	char name[64], now[16];
	const char *phase = "fsdax";
	size_t len;
	int target, err, adds;

	if (argc != 3 && (argc != 4 || strcmp(argv[3], "fsdax")))
		return fprintf(stderr, "usage: sysfuzz SEED COUNT [fsdax]\n"), 2;
	seed_rng(argv[1]);
	count = strtoul(argv[2], NULL, 0);
	keep_mode(now, sizeof(now));
	if (strcmp(now, "fsdax"))
		return fprintf(stderr, "sysfuzz: device KEEP missing or not in fsdax mode\n"), 2;

	for (i = 0; i < count; i++) {
		if (i == count / 2 && argc == 3) {
			phase = "devdax";
			err = set_keep_mode(phase);
			if (err) {
				fprintf(stderr, "sysfuzz: KEEP to devdax mode: %s\n",
					strerror(err));
				return 1;
			}
		}
		target = below(10) < 6 ? (below(4) ? 0 : 4) :
			 others[below(4)];
		adds = target == 0 || target == 4;
		len = make_input(buf);
		snapshot(before, sizeof(before));
		err = write_file(files[target], buf, len);
		snapshot(after, sizeof(after));
		if (!allowed(target, err)) {
			fprintf(stderr, "sysfuzz: input %lu to %s: unexpected %s\n",
				i, files[target], strerror(err));
			return 1;
		}
		if (target == 5 && !err) {
			/* What this input made of KEEP, undone. */
			accepted++;
			keep_mode(now, sizeof(now));
			switches += strcmp(now, phase) != 0;
			err = set_keep_mode(phase);
			snapshot(after, sizeof(after));
			if (err || strcmp(before, after)) {
				fprintf(stderr, "sysfuzz: input %lu to %s made KEEP %s, back to %s: %s, state %s\nbefore: %s\n",
					i, files[target], now, phase,
					strerror(err), after, before);
				return 1;
			}
			continue;
		}
		if (err || len == 0 || target == 2 || target == 3) {
			if (err)
				refused++;
			else
				accepted++;
			if ((adds || target == 1 || target == 5) &&
			    strcmp(before, after)) {
				fprintf(stderr, "sysfuzz: input %lu to %s refused (%s) but changed state\nbefore: %s\nafter: %s\n",
					i, files[target], strerror(err), before,
					after);
				return 1;
			}
			continue;
		}
		accepted++;
		if (target == 1) {
			fprintf(stderr, "sysfuzz: input %lu removed a device\n", i);
			return 1;
		}
		if (!new_device(before, after, name, sizeof(name))) {
			fprintf(stderr, "sysfuzz: input %lu: add succeeded, no new device\n",
				i);
			return 1;
		}
		err = write_file(SYS "/remove", name, strlen(name));
		snapshot(after, sizeof(after));
		if (err || strcmp(before, after)) {
			fprintf(stderr, "sysfuzz: input %lu: removing %s: %s, state %s\n",
				i, name, strerror(err), after);
			return 1;
		}
	}
	err = set_keep_mode("fsdax");
	if (err) {
		fprintf(stderr, "sysfuzz: KEEP back to fsdax mode: %s\n",
			strerror(err));
		return 1;
	}
	printf("sysfuzz: seed=%s inputs=%lu accepted=%lu refused=%lu mode-switches=%lu\n",
	       argv[1], count, accepted, refused, switches);
	return 0;
}
