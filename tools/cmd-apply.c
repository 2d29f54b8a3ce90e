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

#include "daxinfo.h"
#include "dcssctl.h"
#include "device.h"
#include "errors.h"
#include "holders.h"
#include "mounts.h"
#include "names.h"
#include "sysfs.h"

static const char apply_usage[] =
"usage: dcssctl apply [--dry-run] [--timeout=SECONDS] [CONFIG]\n"
"\n"
"Add every device listed in CONFIG (default " DEFAULT_CONFIG ") that is\n"
"not present yet.  A present device is left alone, except that its access\n"
"mode and dax mode are set when the line names them and the device is not\n"
"in use.  One device per line (# starts a comment), see dcssdax.conf(5):\n"
"  NAME[:NAME...] [shared|exclusive] [fsdax|devdax]\n"
"\n"
"  -n, --dry-run        print what would be done, change nothing\n"
"  -w, --timeout=SEC    wait at most SEC seconds per device (default 60)\n"
"  -h, --help           show this help\n";

enum access { ACCESS_UNSET, ACCESS_SHARED, ACCESS_EXCLUSIVE };
enum daxmode { DAX_UNSET, DAX_FSDAX, DAX_DEVDAX };

struct entry {
	int line;
	struct name_list nl;
	enum access access;
	enum daxmode mode;
};

struct config {
	const char *file;
	struct entry *e;
	int nr;
	bool dry_run;
};

#define LINE_SYNTAX	"NAME[:NAME...] [shared|exclusive] [fsdax|devdax]"

/* One keyword after the names; each kind at most once. */
static int parse_word(const struct config *cfg, struct entry *e,
		      const char *w, int line)
{
	if (!strcmp(w, "shared") || !strcmp(w, "exclusive")) {
		if (e->access != ACCESS_UNSET) {
			error("%s:%d: access mode given twice ('%s')",
			      cfg->file, line, w);
			return -1;
		}
		e->access = w[0] == 's' ? ACCESS_SHARED : ACCESS_EXCLUSIVE;
	} else if (!strcmp(w, "fsdax") || !strcmp(w, "devdax")) {
		if (e->mode != DAX_UNSET) {
			error("%s:%d: dax mode given twice ('%s')", cfg->file,
			      line, w);
			return -1;
		}
		e->mode = w[0] == 'f' ? DAX_FSDAX : DAX_DEVDAX;
	} else {
		error("%s:%d: '%s' is neither an access mode (shared, exclusive) nor a dax mode (fsdax, devdax); expected '" LINE_SYNTAX "'",
		      cfg->file, line, w);
		return -1;
	}
	return 0;
}

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
	if (n > 3) {
		error("%s:%d: too many words; expected '" LINE_SYNTAX "'",
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
	e->access = ACCESS_UNSET;
	e->mode = DAX_UNSET;
	for (i = 1; i < n; i++)
		if (parse_word(cfg, e, tok[i], line))
			return -1;
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

static const char *access_word(bool shared)
{
	return shared ? "shared" : "exclusive";
}

static const char *mode_word(bool devdax)
{
	return devdax ? "devdax" : "fsdax";
}

/* What holds a present device, for a dry run's "would be left". */
static bool in_use(const struct dcss_device *d, char *who, size_t len)
{
	size_t n;

	if (!d->dev[0])
		return false;
	if (mounts_targets(d, who + 11, len - 11) > 0) {
		n = strlen(who + 11);
		memcpy(who, "mounted on ", 11);
		who[11 + n] = '\0';
		return true;
	}
	if (device_holders(d, who + 8, len - 8) > 0) {
		memcpy(who, "open by ", 8);
		return true;
	}
	return false;
}

/*
 * One change of a present device: access (@access) or dax mode.  An
 * EBUSY leaves it as it is, reported, since in use is no error at boot.
 * Return: 1 changed, 0 left, -1 failed.
 */
static int change(const struct config *cfg, const struct entry *e,
		  const struct dcss_device *d, bool access, int timeout_s)
{
	bool want = access ? e->access == ACCESS_SHARED :
			     e->mode == DAX_DEVDAX;
	bool cur = access ? d->shared : d->devdax;
	const char *word = access ? access_word(want) : mode_word(want);
	char msg[1024];
	int rc;

	if ((access ? e->access == ACCESS_UNSET : e->mode == DAX_UNSET) ||
	    cur == want)
		return 0;
	if (cfg->dry_run) {
		if (in_use(d, msg, sizeof(msg)))
			printf("%s:%d: %s: present and in use (%s), would be left %s\n",
			       cfg->file, e->line, d->name, msg,
			       access ? access_word(cur) : mode_word(cur));
		else
			printf("%s:%d: %s: present, would set %s to %s\n",
			       cfg->file, e->line, d->name,
			       access ? "access" : "mode", word);
		return 0;
	}
	rc = access ? set_mode(d->name, want, msg, sizeof(msg)) :
		      set_dax_mode(d->name, want, timeout_s, msg, sizeof(msg));
	if (rc == -EBUSY) {
		printf("%s:%d: %s: present and in use, left %s (%s)\n",
		       cfg->file, e->line, d->name,
		       access ? access_word(cur) : mode_word(cur), msg);
		return 0;
	}
	if (rc) {
		error("%s:%d: %s", cfg->file, e->line, msg);
		return -1;
	}
	printf("%s:%d: %s: present, %s set to %s\n", cfg->file, e->line,
	       d->name, access ? "access" : "mode", word);
	return 1;
}

static int apply_present(const struct config *cfg, const struct entry *e,
			 const struct dcss_device *d, int timeout_s)
{
	char list[1024];
	/* devdax needs writable segments, a shared SR is read-only: */
	bool access_first = e->mode == DAX_DEVDAX;
	struct dcss_device now;
	int rc, changed = 0;

	if (!same_segments(d, &e->nl)) {
		names_join(&e->nl, list, sizeof(list));
		error("%s:%d: device %s exists with other segments than %s; left alone (remove it to re-create)",
		      cfg->file, e->line, d->name, list);
		return -1;
	}
	rc = change(cfg, e, d, access_first, timeout_s);
	if (rc < 0)
		return rc;
	changed += rc;
	/* the second change sees what the first did */
	if (rc > 0 && device_load(d->name, &now)) {
		error("%s:%d: device %s vanished while it was changed",
		      cfg->file, e->line, d->name);
		return -1;
	}
	rc = change(cfg, e, rc > 0 ? &now : d, !access_first, timeout_s);
	if (rc < 0)
		return rc;
	changed += rc;
	if (!changed)
		printf("%s:%d: %s: present (%s, %s)\n", cfg->file, e->line,
		       d->name, access_word(d->shared), mode_word(d->devdax));
	return 0;
}

/*
 * A new device: devdax and exclusive is added fsdax, made exclusive and
 * switched, because a segment the driver loads shared may be read-only
 * (SR, ER), which devdax mode refuses.
 */
static int add_entry(const struct entry *e, int timeout_s, char *msg,
		     size_t len)
{
	bool excl = e->access == ACCESS_EXCLUSIVE;
	int rc;

	if (e->mode != DAX_DEVDAX)
		return add_device(&e->nl, excl, timeout_s, msg, len);
	if (!excl)
		return add_devdax_device(&e->nl, false, timeout_s, msg, len);
	rc = add_device(&e->nl, true, timeout_s, msg, len);
	if (!rc)
		rc = set_dax_mode(e->nl.name[0], true, timeout_s, msg, len);
	return rc;
}

static int apply_entry(const struct config *cfg, const struct entry *e,
		       int timeout_s)
{
	const char *name = e->nl.name[0];
	struct dcss_devdax dd;
	struct dcss_device d;
	char msg[1024], list[1024];

	if (!device_load(name, &d))
		return apply_present(cfg, e, &d, timeout_s);
	if (cfg->dry_run) {
		names_join(&e->nl, list, sizeof(list));
		printf("%s:%d: %s: would add %s (%s, %s)\n", cfg->file,
		       e->line, name, list,
		       access_word(e->access != ACCESS_EXCLUSIVE),
		       mode_word(e->mode == DAX_DEVDAX));
		return 0;
	}
	if (add_entry(e, timeout_s, msg, sizeof(msg))) {
		error("%s:%d: %s", cfg->file, e->line, msg);
		return -1;
	}
	if (device_load(name, &d)) {
		error("%s:%d: device %s vanished right after it was added",
		      cfg->file, e->line, name);
		return -1;
	}
	if (!d.devdax || devdax_find(name, &dd))
		strcpy(dd.chardev, d.dev);
	printf("%s:%d: %s: added as /dev/%s (%s, %s)\n", cfg->file, e->line,
	       name, dd.chardev, access_word(d.shared), mode_word(d.devdax));
	return 0;
}

int cmd_apply(int argc, char **argv)
{
	struct config cfg = { 0 };
	char path[4096], ctl[4096];
	int i, failed = 0, rc, timeout_s = DEFAULT_TIMEOUT_S;
	FILE *f;

	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "timeout", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "nw:h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			cfg.dry_run = true;
			break;
		case 'w':
			if (parse_timeout(optarg, &timeout_s))
				return EXIT_USAGE;
			break;
		case 'h':
			fputs(apply_usage, stdout);
			return EXIT_OK;
		default:
			fputs(apply_usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind > 1) {
		operands_error(argc, argv, 1, apply_usage);
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
	if (cfg.dry_run && cfg.nr &&
	    !dcss_path(ctl, sizeof(ctl), DCSS_CTL_DIR) && !path_exists(ctl))
		printf("would load the dcssdax kernel module\n");
	for (i = 0; i < cfg.nr; i++)
		if (apply_entry(&cfg, &cfg.e[i], timeout_s))
			failed++;
	free(cfg.e);
	return failed ? EXIT_FAILED : EXIT_OK;
}
