/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DCSSCTL_JSON_H
#define DCSSCTL_JSON_H

#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

#include "device.h"

#define JSON_HUMAN	(1u << 0)	/* sizes and addresses as strings */
#define JSON_VERBOSE	(1u << 1)	/* add devno and sysfs path */

void size_human(uint64_t bytes, char *buf, size_t len);
void size_short(uint64_t bytes, char *buf, size_t len);
struct json_object *json_size(uint64_t bytes, unsigned int flags);
struct json_object *json_addr(uint64_t addr, unsigned int flags);
struct json_object *device_to_json(const struct dcss_device *d,
				   unsigned int flags);
void json_print(FILE *f, struct json_object *obj);

#endif
