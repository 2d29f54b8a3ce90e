// SPDX-License-Identifier: GPL-2.0
/*
 * dcssdax - build-time comparison of dax_bus_compat.h with the kernel's
 * own drivers/dax/bus.h, built only where that header is there (Kbuild).
 * The copy is included under other names, then the kernel's header, and
 * every fact the driver relies on must agree: the struct's size, each
 * member's offset and type (a member gone or renamed does not compile),
 * the flag's value and alloc_dax_region()'s type.  Not caught: a new
 * member in the struct's tail padding, which the driver's designated
 * initializer leaves zero.  No code.
 */
#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/stddef.h>

#define dev_dax_data		dcssdax_copy_dev_dax_data
#define alloc_dax_region	dcssdax_copy_alloc_dax_region
#define devm_create_dev_dax	dcssdax_copy_devm_create_dev_dax
#include "dax_bus_compat.h"
#undef dev_dax_data
#undef alloc_dax_region
#undef devm_create_dev_dax

enum { DCSSDAX_COPY_DAX_STATIC = IORESOURCE_DAX_STATIC };
#undef IORESOURCE_DAX_STATIC

#include DCSSDAX_KERNEL_DAX_BUS_H

/* The kernel's struct and the copy, for typeof of their members. */
#define KERNEL_DATA	((struct dev_dax_data *)NULL)
#define COPY_DATA	((struct dcssdax_copy_dev_dax_data *)NULL)

static_assert(sizeof(struct dev_dax_data) ==
	      sizeof(struct dcssdax_copy_dev_dax_data));
static_assert(offsetof(struct dev_dax_data, dax_region) ==
	      offsetof(struct dcssdax_copy_dev_dax_data, dax_region));
static_assert(__same_type(KERNEL_DATA->dax_region, COPY_DATA->dax_region));
static_assert(offsetof(struct dev_dax_data, pgmap) ==
	      offsetof(struct dcssdax_copy_dev_dax_data, pgmap));
static_assert(__same_type(KERNEL_DATA->pgmap, COPY_DATA->pgmap));
static_assert(offsetof(struct dev_dax_data, size) ==
	      offsetof(struct dcssdax_copy_dev_dax_data, size));
static_assert(__same_type(KERNEL_DATA->size, COPY_DATA->size));
static_assert(offsetof(struct dev_dax_data, id) ==
	      offsetof(struct dcssdax_copy_dev_dax_data, id));
static_assert(__same_type(KERNEL_DATA->id, COPY_DATA->id));
static_assert(offsetof(struct dev_dax_data, memmap_on_memory) ==
	      offsetof(struct dcssdax_copy_dev_dax_data, memmap_on_memory));
static_assert(__same_type(KERNEL_DATA->memmap_on_memory,
			  COPY_DATA->memmap_on_memory));
static_assert(IORESOURCE_DAX_STATIC == DCSSDAX_COPY_DAX_STATIC);
static_assert(__same_type(&alloc_dax_region, &dcssdax_copy_alloc_dax_region));
static_assert(__same_type(devm_create_dev_dax(NULL), struct dev_dax *));
