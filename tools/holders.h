/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DCSSCTL_HOLDERS_H
#define DCSSCTL_HOLDERS_H

#include <stddef.h>

#include "device.h"

int device_holders(const struct dcss_device *d, char *buf, size_t len);

#endif
