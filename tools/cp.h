/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DCSSCTL_CP_H
#define DCSSCTL_CP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "names.h"

#define CP_MAX_RANGES	64	/* DEFSEG takes at most this many here */
#define CP_PAGE		((uint64_t)4096)

/* One range of a saved segment as QUERY NSS MAP shows it. */
struct cp_range {
	uint64_t start, end;		/* first and last byte */
	char type[3];			/* SW EW SR ER SN EN SC */
};

/* One line group of QUERY NSS MAP: a version (spool file) of a segment. */
struct cp_nss {
	char name[DCSS_NAME_MAX + 1];
	char file[8];			/* CP's spool file id, as shown */
	char cl;			/* A available, S skeleton, P purge pending */
	int users;
	int nr;
	struct cp_range r[CP_MAX_RANGES];
};

struct cp_nss_list {
	int nr;
	struct cp_nss *nss;
};

/* The guest's storage as CP (else Linux) sees it. */
struct cp_storage {
	uint64_t bytes;		/* 0: unknown */
	char source[160];	/* how it was learnt */
};

int cp_command(const char *cmd, int *cprc, char **resp, char *err,
	       size_t len);
int cp_query_nss(const char *name, struct cp_nss_list *list, char *err,
		 size_t len);
void cp_nss_list_free(struct cp_nss_list *list);
const struct cp_nss *cp_nss_current(const struct cp_nss_list *list,
				    const char *name);
void cp_guest_storage(struct cp_storage *st);
bool cp_nss_overlaps(const struct cp_nss *n, uint64_t storage);
struct json_object *cp_nss_to_json(const struct cp_nss *n,
				   const struct cp_storage *st,
				   unsigned int flags);
const char *cp_class_name(char cl);

struct name_list;
void cp_add_hint(const struct name_list *nl, int err, char *buf, size_t len);

/* What CP had of a device's segments before a save (cp-save.c). */
struct cp_save_check {
	bool known;			/* CP could be asked */
	char why[1024];			/* else why not */
	char emulated[DCSS_MAX_SEGMENTS * (DCSS_NAME_MAX + 2)];
	int nr;				/* the segments CP saves */
	struct {
		char name[DCSS_NAME_MAX + 1];
		char file[8];		/* CP's spool file, "" if none */
	} seg[DCSS_MAX_SEGMENTS];
};

void cp_save_before(const char *dev, struct cp_save_check *sc);
int cp_save_after(const char *dev, const struct cp_save_check *sc);
void cp_save_deferred(const char *dev, const struct cp_save_check *sc);

#endif
