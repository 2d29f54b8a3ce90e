// SPDX-License-Identifier: GPL-2.0
/*
 * dcssctl info NAME and dcssctl list --cp: what CP knows of saved
 * segments (QUERY NSS ... MAP through /dev/vmcp), beside what this guest
 * has of them.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cp.h"
#include "dcssctl.h"
#include "json.h"
#include "names.h"

static const char info_usage[] =
"usage: dcssctl info [-u] NAME\n"
"\n"
"Show what CP knows of saved segment NAME (QUERY NSS NAME NAME MAP through\n"
"/dev/vmcp) as JSON: its spool file and class, its ranges and types,\n"
"whether it overlaps this guest's storage (QUERY VIRTUAL STORAGE; a\n"
"segment that does cannot be loaded here), and whether this guest has it\n"
"loaded and which dcssdax device holds it.  Warnings on stderr say what\n"
"stands in the way of a load.  QUERY NSS needs privilege class E.\n"
"\n"
"  -u, --human    sizes as \"64.00 MiB (67.11 MB)\", addresses as hex\n"
"  -h, --help     show this help\n";

static const char list_cp_usage[] =
"usage: dcssctl list --cp [-u] [NAME...]\n"
"\n"
"Show the saved segments CP has defined (QUERY NSS MAP through\n"
"/dev/vmcp), all or the NAMEs given, as a JSON array, one entry per\n"
"segment (the version a load gets; older versions under \"versions\"),\n"
"with whether this guest has it loaded and which dcssdax device holds\n"
"it.  QUERY NSS needs privilege class E.\n"
"\n"
"  -u, --human    sizes as \"64.00 MiB (67.11 MB)\", addresses as hex\n"
"  -h, --help     show this help\n";

/* The current version of @name, its other versions under "versions". */
static struct json_object *segment_json(const struct cp_nss_list *list,
					const struct cp_nss *cur,
					const struct cp_storage *st,
					unsigned int flags)
{
	struct json_object *o = cp_nss_to_json(cur, st, flags), *arr, *v;
	const struct cp_nss *n;
	int i, others = 0;

	arr = json_object_new_array();
	for (i = 0; i < list->nr; i++) {
		n = &list->nss[i];
		if (n == cur || strcmp(n->name, cur->name))
			continue;
		v = json_object_new_object();
		json_object_object_add(v, "cp_file",
				       json_object_new_string(n->file));
		json_object_object_add(v, "cp_class",
				       json_object_new_string_len(&n->cl, 1));
		json_object_object_add(v, "cp_state", json_object_new_string(
					       cp_class_name(n->cl)));
		json_object_object_add(v, "users",
				       json_object_new_int(n->users));
		json_object_array_add(arr, v);
		others++;
	}
	if (others)
		json_object_object_add(o, "versions", arr);
	else
		json_object_put(arr);
	return o;
}

static int parse_human(int argc, char **argv, const char *usage,
		       unsigned int *flags)
{
	static const struct option opts[] = {
		{ "human", no_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "uh", opts, NULL)) != -1) {
		switch (c) {
		case 'u':
			*flags |= JSON_HUMAN;
			break;
		case 'h':
			fputs(usage, stdout);
			return EXIT_OK;
		default:
			fputs(usage, stderr);
			return EXIT_USAGE;
		}
	}
	return -1;
}

int cmd_info(int argc, char **argv)
{
	char name[DCSS_NAME_MAX + 1], err[1024], stor[32];
	struct cp_nss_list list;
	const struct cp_nss *cur;
	struct json_object *o;
	struct cp_storage st;
	unsigned int flags = 0;
	int rc;

	rc = parse_human(argc, argv, info_usage, &flags);
	if (rc >= 0)
		return rc;
	rc = device_operands(argc, argv, 1, info_usage, name);
	if (rc != EXIT_OK)
		return rc;
	if (cp_query_nss(name, &list, err, sizeof(err))) {
		error("%s", err);
		return EXIT_FAILED;
	}
	cur = cp_nss_current(&list, name);
	if (!cur) {
		error("CP has no saved segment %s (QUERY NSS NAME %s MAP "
		      "lists none); DEFSEG and SAVESEG make one (dcssctl "
		      "define)", name, name);
		cp_nss_list_free(&list);
		return EXIT_FAILED;
	}
	cp_guest_storage(&st);
	o = segment_json(&list, cur, &st, flags);
	if (st.bytes) {
		json_object_object_add(o, "guest_storage",
				       json_size(st.bytes, flags));
		json_object_object_add(o, "guest_storage_source",
				       json_object_new_string(st.source));
	}
	json_print(stdout, o);
	json_object_put(o);

	if (cur->cl == 'S')
		warn("%s is a skeleton (DEFSEG without SAVESEG): nothing can "
		     "load it until it is saved (SAVESEG %s from a guest whose "
		     "storage holds its pages)", name, name);
	else if (cur->cl == 'P')
		warn("%s was purged (PURGE NSS); its users keep it until they "
		     "let go, and nothing new can load it", name);
	if (st.bytes && cur->cl != 'P' && cp_nss_overlaps(cur, st.bytes)) {
		size_short(st.bytes, stor, sizeof(stor));
		warn("%s overlaps this guest's storage (%s, from %s): CP "
		     "will not load it here; define it above the storage, or "
		     "give the guest less storage (DEFINE STORAGE, the "
		     "directory's STORAGE statement)", name, stor, st.source);
	}
	cp_nss_list_free(&list);
	return EXIT_OK;
}

/* dcssctl list --cp [-u] [NAME...]: argv[0] is "list", --cp removed. */
int cmd_list_cp(int argc, char **argv)
{
	char name[DCSS_NAME_MAX + 1], err[1024];
	struct cp_nss_list list;
	const struct cp_nss *cur;
	struct json_object *arr;
	struct cp_storage st;
	unsigned int flags = 0;
	int rc, i, j, shown = 0;

	rc = parse_human(argc, argv, list_cp_usage, &flags);
	if (rc >= 0)
		return rc;
	for (i = optind; i < argc; i++) {
		if (name_parse(argv[i], name, err, sizeof(err))) {
			error("%s", err);
			return EXIT_USAGE;
		}
	}
	if (cp_query_nss(NULL, &list, err, sizeof(err))) {
		error("%s", err);
		return EXIT_FAILED;
	}
	cp_guest_storage(&st);
	rc = EXIT_OK;
	arr = json_object_new_array();
	for (i = 0; i < list.nr; i++) {
		cur = &list.nss[i];
		/* one entry per name, at its current version */
		if (cur != cp_nss_current(&list, cur->name))
			continue;
		if (optind < argc) {
			for (j = optind; j < argc; j++) {
				name_parse(argv[j], name, err, sizeof(err));
				if (!strcmp(name, cur->name))
					break;
			}
			if (j == argc)
				continue;
		}
		json_object_array_add(arr, segment_json(&list, cur, &st,
							flags));
		shown++;
	}
	for (j = optind; j < argc; j++) {
		name_parse(argv[j], name, err, sizeof(err));
		if (!cp_nss_current(&list, name)) {
			error("CP has no saved segment %s", name);
			rc = EXIT_FAILED;
		}
	}
	if (shown)
		json_print(stdout, arr);
	json_object_put(arr);
	cp_nss_list_free(&list);
	return rc;
}
