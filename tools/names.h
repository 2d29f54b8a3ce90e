/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DCSSCTL_NAMES_H
#define DCSSCTL_NAMES_H

#include <stddef.h>

#define DCSS_NAME_MAX		8	/* z/VM segment names */
#define DCSS_MAX_SEGMENTS	64	/* the driver's limit per device */

struct name_list {
	int nr;
	char name[DCSS_MAX_SEGMENTS][DCSS_NAME_MAX + 1];
};

int names_parse(const char *list, struct name_list *nl, char *err, size_t len);
int name_parse(const char *name, char *out, char *err, size_t len);
void names_join(const struct name_list *nl, char *buf, size_t len);

#endif
