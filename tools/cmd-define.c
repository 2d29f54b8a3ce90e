// SPDX-License-Identifier: GPL-2.0
/*
 * dcssctl define: DEFSEG through /dev/vmcp, in CP's own syntax (z/VM CP
 * Commands and Utilities Reference: DEFSEG dcssname hexpage1-hexpage2
 * type [hexpage1.hexpagecount type ...] [LOADNSHR] [RSTD]), checked here
 * first so that a typo is a usage error and not a CP message.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cp.h"
#include "dcssctl.h"
#include "json.h"
#include "names.h"

static const char define_usage[] =
"usage: dcssctl define [-s] [--loadnshr] [--rstd] NAME RANGE TYPE [RANGE TYPE...]\n"
"\n"
"Define saved segment NAME in CP (DEFSEG, privilege class E) through\n"
"/dev/vmcp.  RANGE is in pages of 4 KiB, in hex, as DEFSEG takes it:\n"
"FIRST-LAST (50000-507FF) or FIRST.COUNT (50000.800); TYPE is SW, EW,\n"
"SR, ER, SN, EN or SC.  DEFSEG makes a skeleton: nothing can load it\n"
"until SAVESEG saves the pages from a guest whose storage holds them.\n"
"A segment another guest is to load lies above that guest's storage.\n"
"\n"
"  -s, --saveseg  then SAVESEG NAME from this guest's storage (its pages\n"
"                 must be within this guest's storage and not in use by\n"
"                 Linux: boot it with mem= below the segment)\n"
"      --loadnshr DEFSEG's LOADNSHR (exclusive loads of a shared type)\n"
"      --rstd     DEFSEG's RSTD (restricted: NAMESAVE in the directory)\n"
"  -h, --help     show this help\n"
"\n"
"Then, from a guest whose storage ends below the segment:\n"
"dcssctl add -x NAME, mkfs and fill it, dcssctl save NAME.\n";

/* CP's response, a line at a time, each with the segment's name */
static void print_cp(const char *name, const char *resp)
{
	size_t n;

	while (*resp) {
		n = strcspn(resp, "\n");
		printf("%s: CP: %.*s\n", name, (int)n, resp);
		resp += n + (resp[n] == '\n');
	}
}

static const char *const types[] = { "SW", "EW", "SR", "ER", "SN", "EN",
				     "SC" };

static int parse_type(const char *s, char *out)
{
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcasecmp(s, types[i])) {
			strcpy(out, types[i]);
			return 0;
		}
	return -1;
}

static int parse_hex(const char *s, size_t n, uint64_t *v)
{
	char buf[32], *end;

	if (!n || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (!isxdigit((unsigned char)buf[0]))
		return -1;
	errno = 0;
	*v = strtoull(buf, &end, 16);
	return errno || *end ? -1 : 0;
}

/* FIRST-LAST or FIRST.COUNT, pages in hex, into a byte range */
static int parse_range(const char *s, struct cp_range *r)
{
	size_t n = strcspn(s, "-.");
	uint64_t a, b;

	if (!s[n] || parse_hex(s, n, &a) ||
	    parse_hex(s + n + 1, strlen(s + n + 1), &b))
		return -1;
	if (s[n] == '.') {
		if (!b)
			return -1;
		b = a + b - 1;
	}
	/* DEFSEG's pages are below 2^52 bytes */
	if (b < a || b >= (1ULL << 52) / CP_PAGE)
		return -1;
	r->start = a * CP_PAGE;
	r->end = (b + 1) * CP_PAGE - 1;
	return 0;
}

int cmd_define(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "saveseg", no_argument, NULL, 's' },
		{ "loadnshr", no_argument, NULL, 'L' },
		{ "rstd", no_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char name[DCSS_NAME_MAX + 1], err[1024], cmd[256], *resp, stor[32];
	struct cp_range r[CP_MAX_RANGES];
	bool saveseg = false, loadnshr = false, rstd = false, outside = false;
	struct cp_storage st;
	int c, i, nr, cprc;
	size_t off;

	while ((c = getopt_long(argc, argv, "sh", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			saveseg = true;
			break;
		case 'L':
			loadnshr = true;
			break;
		case 'R':
			rstd = true;
			break;
		case 'h':
			fputs(define_usage, stdout);
			return EXIT_OK;
		default:
			fputs(define_usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind < 3 || (argc - optind) % 2 == 0) {
		fputs(define_usage, stderr);
		return EXIT_USAGE;
	}
	if (name_parse(argv[optind], name, err, sizeof(err))) {
		error("%s", err);
		return EXIT_USAGE;
	}
	nr = (argc - optind - 1) / 2;
	if (nr > CP_MAX_RANGES) {
		error("%d ranges; at most %d", nr, CP_MAX_RANGES);
		return EXIT_USAGE;
	}
	off = snprintf(cmd, sizeof(cmd), "DEFSEG %s", name);
	for (i = 0; i < nr; i++) {
		const char *rs = argv[optind + 1 + 2 * i];
		const char *ts = argv[optind + 2 + 2 * i];

		if (parse_range(rs, &r[i])) {
			error("range '%s': not FIRST-LAST or FIRST.COUNT in hex "
			      "pages (e.g. 50000-507FF)", rs);
			return EXIT_USAGE;
		}
		if (parse_type(ts, r[i].type)) {
			error("type '%s' of range %s: not SW, EW, SR, ER, SN, "
			      "EN or SC", ts, rs);
			return EXIT_USAGE;
		}
		if (i && r[i].start <= r[i - 1].end) {
			error("range %s overlaps or precedes the one before it; "
			      "list the ranges in ascending order", rs);
			return EXIT_USAGE;
		}
		off += snprintf(cmd + off, sizeof(cmd) - off, " %" PRIX64
				"-%" PRIX64 " %s", r[i].start / CP_PAGE,
				r[i].end / CP_PAGE, r[i].type);
		if (off >= sizeof(cmd))
			break;
	}
	if (loadnshr && off < sizeof(cmd))
		off += snprintf(cmd + off, sizeof(cmd) - off, " LOADNSHR");
	if (rstd && off < sizeof(cmd))
		off += snprintf(cmd + off, sizeof(cmd) - off, " RSTD");
	if (off > 240) {
		error("the DEFSEG command would be %zu characters; CP takes "
		      "240 through vmcp: fewer ranges", off);
		return EXIT_USAGE;
	}

	if (cp_command(cmd, &cprc, &resp, err, sizeof(err)) || cprc) {
		error("%s", err);
		free(resp);
		return EXIT_FAILED;
	}
	print_cp(name, resp);
	free(resp);

	cp_guest_storage(&st);
	for (i = 0; i < nr; i++)
		if (st.bytes && r[i].end >= st.bytes)
			outside = true;
	if (st.bytes)
		size_short(st.bytes, stor, sizeof(stor));
	if (!saveseg) {
		printf("%s: a skeleton until SAVESEG %s saves its pages from a "
		       "guest whose storage holds them\n", name, name);
		if (outside)
			printf("%s: this guest's storage (%s, from %s) ends "
			       "below it\n", name, stor, st.source);
		return EXIT_OK;
	}
	/* CP knows better than Linux's view (mem=): let it answer */
	snprintf(cmd, sizeof(cmd), "SAVESEG %s", name);
	if (cp_command(cmd, &cprc, &resp, err, sizeof(err)) || cprc) {
		error("%s", err);
		if (outside)
			error("SAVESEG saves pages of this guest's storage, and "
			      "%s lies above it (%s, from %s)", name, stor,
			      st.source);
		free(resp);
		return EXIT_FAILED;
	}
	print_cp(name, resp);
	free(resp);
	return EXIT_OK;
}
