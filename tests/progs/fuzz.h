/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What sysfuzz and ctlfuzz share: a seeded generator (the same seed gives
 * the same inputs on every architecture) and a snapshot of everything a
 * refused operation must leave alone.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SYS "/sys/devices/dcssdax"

static uint64_t rng;

static void seed_rng(const char *seed)
{
	rng = strtoull(seed, NULL, 0) * 2654435761u + 1;
}

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static unsigned int below(unsigned int n)
{
	return next() % n;
}

/* One write() of @len bytes to @path; returns 0 or the errno. */
static int write_file(const char *path, const char *buf, size_t len)
{
	int fd = open(path, O_WRONLY), err = 0;

	if (fd < 0)
		return errno;
	if (write(fd, buf, len) < 0)
		err = errno;
	close(fd);
	return err;
}

/*
 * The state a refused write must leave alone: the device directories and
 * their modes, the block and dax device nodes, the dax bus's devices and
 * the "(DCSS)" claims.
 */
static void snapshot(char *out, size_t size)
{
	struct dirent *de;
	char line[256], path[320];
	size_t off = 0;
	FILE *f;
	DIR *d;

	out[0] = '\0';
	d = opendir(SYS);
	while (d && (de = readdir(d)))
		if (de->d_type == DT_DIR && de->d_name[0] != '.' &&
		    strcmp(de->d_name, "power")) {
			off += snprintf(out + off, size - off, "d:%s ", de->d_name);
			snprintf(path, sizeof(path), SYS "/%s/mode", de->d_name);
			f = fopen(path, "r");
			if (f && fgets(line, sizeof(line), f))
				off += snprintf(out + off, size - off, "m:%.*s ",
						(int)strcspn(line, "\n"), line);
			if (f)
				fclose(f);
		}
	if (d)
		closedir(d);
	d = opendir("/dev");
	while (d && (de = readdir(d)))
		if (!strncmp(de->d_name, "dcssdax", 7) ||
		    !strncmp(de->d_name, "dax", 3))
			off += snprintf(out + off, size - off, "n:%s ", de->d_name);
	if (d)
		closedir(d);
	d = opendir("/sys/bus/dax/devices");
	while (d && (de = readdir(d)))
		if (de->d_name[0] != '.')
			off += snprintf(out + off, size - off, "x:%s ", de->d_name);
	if (d)
		closedir(d);
	f = fopen("/proc/iomem", "r");
	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "(DCSS)"))
			off += snprintf(out + off, size - off, "i:%s", line);
	if (f)
		fclose(f);
}

/* The device directory that is in @after but not in @before. */
static int new_device(const char *before, const char *after, char *name,
		      size_t size)
{
	const char *p = after;
	char key[80];

	while ((p = strstr(p, "d:"))) {
		if (sscanf(p + 2, "%63s", name) != 1 || size < 64)
			return 0;
		snprintf(key, sizeof(key), "d:%s ", name);
		if (!strstr(before, key))
			return 1;
		p += 2;
	}
	return 0;
}

#endif
