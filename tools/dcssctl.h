/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DCSSCTL_H
#define DCSSCTL_H

#include <stdbool.h>
#include <stddef.h>

/* Exit codes, documented in dcssctl(8). */
#define EXIT_OK		0
#define EXIT_FAILED	1	/* the operation failed */
#define EXIT_USAGE	2	/* bad arguments; nothing reached sysfs */

#define DEFAULT_TIMEOUT_S	60
#define DEFAULT_CONFIG		"/etc/dcssdax.conf"

int cmd_list(int argc, char **argv);
int cmd_add(int argc, char **argv);
int cmd_remove(int argc, char **argv);
int cmd_save(int argc, char **argv);
int cmd_mode(int argc, char **argv);
int cmd_apply(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_define(int argc, char **argv);
int cmd_list_cp(int argc, char **argv);
int cmd_export(int argc, char **argv);

/* Shared between add and apply. */
struct name_list;
int add_device(const struct name_list *nl, bool exclusive, int timeout_s,
	       char *err, size_t len);
int add_devdax_device(const struct name_list *nl, bool exclusive,
		      int timeout_s, char *err, size_t len);
int set_mode(const char *name, bool shared, char *err, size_t len);
int set_dax_mode(const char *name, bool devdax, int timeout_s, char *err,
		 size_t len);

void error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void operands_error(int argc, char **argv, int nr, const char *usage);
int device_operands(int argc, char **argv, int nr, const char *usage,
		    char *name);
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int parse_timeout(const char *arg, int *timeout_s);
int parse_wait_options(int argc, char **argv, const char *help,
		       int *timeout_s);

#endif
