/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DCSSCTL_LIST_TABLE_H
#define DCSSCTL_LIST_TABLE_H

#include <stddef.h>
#include <stdio.h>

#include "device.h"

/* lsblk's output options, by the same letters. */
#define TABLE_NOHEADINGS	(1u << 0)	/* -n */
#define TABLE_RAW		(1u << 1)	/* -r */
#define TABLE_JSON		(1u << 2)	/* -J */
#define TABLE_BYTES		(1u << 3)	/* -b */

struct list_table;

struct list_table *list_table_new(const char *columns, unsigned int flags,
				  size_t width, char *err, size_t len);
int list_table_add(struct list_table *t, const struct dcss_device *d);
int list_table_print(struct list_table *t);
void list_table_free(struct list_table *t);
void list_table_columns_help(FILE *f);

#endif
