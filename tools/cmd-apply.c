// SPDX-License-Identifier: GPL-2.0
/*
 * dcssctl apply: make the running system match a configuration file, at
 * boot (dcssdax-apply.service) or by hand.  The whole file is checked
 * before anything is added, so a typo cannot leave half a configuration.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcssctl.h"
#include "device.h"
#include "errors.h"
#include "names.h"
#include "sysfs.h"

static const char apply_usage[] =
"usage: dcssctl apply [--timeout=SECONDS] [CONFIG]\n"
"\n"
"Add every device listed in CONFIG (default " DEFAULT_CONFIG ") that is\n"
"not present yet.  A present device is left alone, except that its mode is\n"
"set when the line names one and the device is not in use.  One device per\n"
"line:  NAME[:NAME...] [shared|exclusive]   (# starts a comment)\n"
"\n"
"  -w, --timeout=SEC    wait at most SEC seconds per device (default 60)\n"
"  -h, --help           show this help\n";

enum mode { MODE_UNSET, MODE_SHARED, MODE_EXCLUSIVE };

struct entry {
	int line;
	struct name_list nl;
	enum mode mode;
};

struct config {
	const char *file;
	struct entry *e;
	int nr;
};

static int parse_line(struct config *cfg, char *s, int line)
{
	char *tok[3], *save = NULL, *t, msg[512];
	struct entry *e, *ne;
	int n = 0, i, j, k;

	s[strcspn(s, "#\n")] = '\0';
	for (t = strtok_r(s, " \t\r", &save); t;
	     t = strtok_r(NULL, " \t\r", &save)) {
		if (n < 3)
			tok[n] = t;
		n++;
	}
	if (n == 0)
		return 0;
	if (n > 2) {
		error("%s:%d: expected 'NAME[:NAME...] [shared|exclusive]'",
		      cfg->file, line);
		return -1;
	}
	ne = realloc(cfg->e, (cfg->nr + 1) * sizeof(*ne));
	if (!ne) {
		error("out of memory");
		return -1;
	}
	cfg->e = ne;
	e = &cfg->e[cfg->nr];
	e->line = line;
	if (names_parse(tok[0], &e->nl, msg, sizeof(msg))) {
		error("%s:%d: %s", cfg->file, line, msg);
		return -1;
	}
	e->mode = MODE_UNSET;
	if (n == 2) {
		if (!strcmp(tok[1], "shared")) {
			e->mode = MODE_SHARED;
		} else if (!strcmp(tok[1], "exclusive")) {
			e->mode = MODE_EXCLUSIVE;
		} else {
			error("%s:%d: mode must be 'shared' or 'exclusive', not '%s'",
			      cfg->file, line, tok[1]);
			return -1;
		}
	}
	/* a segment can belong to one device only */
	for (i = 0; i < cfg->nr; i++)
		for (j = 0; j < cfg->e[i].nl.nr; j++)
			for (k = 0; k < e->nl.nr; k++)
				if (!strcmp(cfg->e[i].nl.name[j],
					    e->nl.name[k])) {
					error("%s:%d: segment %s is already used on line %d",
					      cfg->file, line, e->nl.name[k],
					      cfg->e[i].line);
					return -1;
				}
	cfg->nr++;
	return 0;
}

static int parse_config(struct config *cfg, FILE *f)
{
	char *buf = NULL;
	size_t cap = 0;
	int line = 0, bad = 0;

	while (getline(&buf, &cap, f) >= 0)
		if (parse_line(cfg, buf, ++line))
			bad++;
	free(buf);
	return bad ? -1 : 0;
}

static bool same_segments(const struct dcss_device *d,
			  const struct name_list *nl)
{
	int i;

	if (d->nr_segments != nl->nr)
		return false;
	for (i = 0; i < nl->nr; i++)
		if (strcmp(d->seg[i].name, nl->name[i]))
			return false;
	return true;
}

static int apply_present(const struct config *cfg, const struct entry *e,
			 const struct dcss_device *d)
{
	const char *name = d->name;
	char list[1024], msg[1024];
	bool want_shared = e->mode == MODE_SHARED;
	int rc;

	if (!same_segments(d, &e->nl)) {
		names_join(&e->nl, list, sizeof(list));
		error("%s:%d: device %s exists with other segments than %s; left alone (remove it to re-create)",
		      cfg->file, e->line, name, list);
		return -1;
	}
	if (e->mode == MODE_UNSET || d->shared == want_shared) {
		printf("%s:%d: %s: present (%s)\n", cfg->file, e->line, name,
		       d->shared ? "shared" : "exclusive");
		return 0;
	}
	rc = set_mode(name, want_shared, msg, sizeof(msg));
	if (rc == -EBUSY) {
		/* an idle device is the condition for a mode change */
		printf("%s:%d: %s: present and in use, left %s\n", cfg->file,
		       e->line, name, d->shared ? "shared" : "exclusive");
		return 0;
	}
	if (rc) {
		error("%s:%d: %s", cfg->file, e->line, msg);
		return -1;
	}
	printf("%s:%d: %s: present, mode set to %s\n", cfg->file, e->line,
	       name, want_shared ? "shared" : "exclusive");
	return 0;
}

static int apply_entry(const struct config *cfg, const struct entry *e,
		       int timeout_s)
{
	const char *name = e->nl.name[0];
	struct dcss_device d;
	char msg[1024];

	if (!device_load(name, &d))
		return apply_present(cfg, e, &d);
	if (add_device(&e->nl, e->mode == MODE_EXCLUSIVE, timeout_s, msg,
		       sizeof(msg))) {
		error("%s:%d: %s", cfg->file, e->line, msg);
		return -1;
	}
	if (device_load(name, &d)) {
		error("%s:%d: device %s vanished right after it was added",
		      cfg->file, e->line, name);
		return -1;
	}
	printf("%s:%d: %s: added as /dev/%s (%s)\n", cfg->file, e->line, name,
	       d.dev, d.shared ? "shared" : "exclusive");
	return 0;
}

int cmd_apply(int argc, char **argv)
{
	struct config cfg = { 0 };
	char path[4096];
	int i, failed = 0, rc, timeout_s = DEFAULT_TIMEOUT_S;
	FILE *f;

	rc = parse_wait_options(argc, argv, apply_usage, &timeout_s);
	if (rc >= 0)
		return rc;
	if (argc - optind > 1) {
		fputs(apply_usage, stderr);
		return EXIT_USAGE;
	}
	/* only the default location is under the root prefix */
	if (optind < argc)
		snprintf(path, sizeof(path), "%s", argv[optind]);
	else if (dcss_path(path, sizeof(path), DEFAULT_CONFIG))
		return EXIT_USAGE;
	cfg.file = path;
	f = fopen(path, "r");
	if (!f) {
		error("cannot read %s: %s", path, strerror(errno));
		return EXIT_FAILED;
	}
	rc = parse_config(&cfg, f);
	fclose(f);
	if (rc) {
		error("%s: nothing was applied", path);
		free(cfg.e);
		return EXIT_USAGE;
	}
	for (i = 0; i < cfg.nr; i++)
		if (apply_entry(&cfg, &cfg.e[i], timeout_s))
			failed++;
	free(cfg.e);
	return failed ? EXIT_FAILED : EXIT_OK;
}
