/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright(c) 2016 - 2018 Intel Corporation. All rights reserved.
 *
 * dcssdax - what the driver needs of the dax bus's private header.
 *
 * The declarations below are copied from drivers/dax/bus.h of Linux
 * 6.17 to 7.3 (whose copyright is above): the header is not installed
 * with a kernel's headers, yet alloc_dax_region() and
 * devm_create_dev_dax() are exported for region drivers such as dax_pmem
 * and dax_hmem.  Only the parts used here are copied; struct dev_dax_data
 * must be the kernel's, as devm_create_dev_dax() reads it.
 *
 * Guarded at build time: where the kernel's own drivers/dax/bus.h is
 * there (in tree, or KDIR a source tree), dax_bus_check.c compares this
 * copy with it and the build fails on any difference it can see; where
 * only the installed headers are (DKMS on a distribution kernel), nothing
 * in them shows the struct, so Kbuild refuses kernels other than those
 * whose bus.h was compared (dkms.conf's BUILD_EXCLUSIVE_KERNEL says the
 * same, so DKMS skips them).  To add a kernel: build against its source,
 * then widen both.
 */
#ifndef _DCSSDAX_DAX_BUS_COMPAT_H
#define _DCSSDAX_DAX_BUS_COMPAT_H

#include <linux/bits.h>
#include <linux/range.h>
#include <linux/types.h>

struct dev_dax;
struct dev_pagemap;
struct dax_region;
struct device;

/* The region's one device has a fixed size and the driver's pagemap. */
#define IORESOURCE_DAX_STATIC	BIT(0)

struct dax_region *alloc_dax_region(struct device *parent, int region_id,
				    struct range *range, int target_node,
				    unsigned int align, unsigned long flags);

struct dev_dax_data {
	struct dax_region *dax_region;
	struct dev_pagemap *pgmap;
	resource_size_t size;
	int id;
	bool memmap_on_memory;
};

struct dev_dax *devm_create_dev_dax(struct dev_dax_data *data);
void kill_dev_dax(struct dev_dax *dev_dax);

#endif /* _DCSSDAX_DAX_BUS_COMPAT_H */
