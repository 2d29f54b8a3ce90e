// SPDX-License-Identifier: GPL-2.0
/*
 * Segment name lists are checked here, before anything reaches sysfs, so
 * that a typo is a usage error (exit 2) with a precise message instead of
 * the driver's bare EINVAL or ENAMETOOLONG.  The rules are the driver's.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "names.h"

static int name_char_ok(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || strchr("$#@-_", c);
}

static int check_one(const char *s, size_t n, char *out, char *err,
		     size_t len)
{
	size_t i;

	if (n > DCSS_NAME_MAX) {
		snprintf(err, len,
			 "segment name '%.*s' is longer than %d characters",
			 (int)n, s, DCSS_NAME_MAX);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (!s[i] || !name_char_ok(s[i])) {
			snprintf(err, len,
				 "segment name '%.*s' contains '%c'; z/VM names use only A-Z, 0-9, $, #, @, - and _",
				 (int)n, s, isprint((unsigned char)s[i]) ? s[i] : '?');
			return -1;
		}
		out[i] = toupper((unsigned char)s[i]);
	}
	out[n] = '\0';
	return 0;
}

/* Splits "a:b:c" into upper-case names; the driver stores them so too. */
int names_parse(const char *list, struct name_list *nl, char *err, size_t len)
{
	const char *p = list, *colon;
	size_t n;
	int i;

	nl->nr = 0;
	if (!*list) {
		snprintf(err, len, "empty segment name list");
		return -1;
	}
	for (;;) {
		colon = strchr(p, ':');
		n = colon ? (size_t)(colon - p) : strlen(p);
		if (n == 0) {
			snprintf(err, len, "segment list '%s': empty segment name",
				 list);
			return -1;
		}
		if (nl->nr == DCSS_MAX_SEGMENTS) {
			snprintf(err, len,
				 "segment list '%s': more than %d segments",
				 list, DCSS_MAX_SEGMENTS);
			return -1;
		}
		if (check_one(p, n, nl->name[nl->nr], err, len))
			return -1;
		for (i = 0; i < nl->nr; i++) {
			if (!strcmp(nl->name[i], nl->name[nl->nr])) {
				snprintf(err, len,
					 "segment list '%s': %s is listed twice",
					 list, nl->name[i]);
				return -1;
			}
		}
		nl->nr++;
		if (!colon)
			return 0;
		p = colon + 1;
		if (!*p) {
			snprintf(err, len, "segment list '%s': trailing ':'",
				 list);
			return -1;
		}
	}
}

/* A device name: exactly one segment name, no ':'. */
int name_parse(const char *name, char *out, char *err, size_t len)
{
	if (!*name) {
		snprintf(err, len, "empty device name");
		return -1;
	}
	if (strchr(name, ':')) {
		snprintf(err, len,
			 "'%s': a device is named by its first segment only",
			 name);
		return -1;
	}
	return check_one(name, strlen(name), out, err, len);
}

void names_join(const struct name_list *nl, char *buf, size_t len)
{
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < nl->nr && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s", i ? ":" : "",
				nl->name[i]);
}
