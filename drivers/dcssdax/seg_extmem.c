// SPDX-License-Identifier: GPL-2.0
/*
 * dcssdax - extmem backend: real DCSS under z/VM through DIAG 0x64.
 *
 * segment_load() maps the segment into the kernel's identity mapping
 * (vmem_add_mapping) before it returns, so the block path can use __va();
 * memremap_pages() maps and unmaps the same mapping (see core.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <asm/extmem.h>
#include <asm/machine.h>

#include "dcssdax.h"

static const int type_from_extmem[] = {
	[SEG_TYPE_SW] = DCSSDAX_SEG_SW, [SEG_TYPE_EW] = DCSSDAX_SEG_EW,
	[SEG_TYPE_SR] = DCSSDAX_SEG_SR, [SEG_TYPE_ER] = DCSSDAX_SEG_ER,
	[SEG_TYPE_SN] = DCSSDAX_SEG_SN, [SEG_TYPE_EN] = DCSSDAX_SEG_EN,
	[SEG_TYPE_SC] = DCSSDAX_SEG_SC, [SEG_TYPE_EWEN] = DCSSDAX_SEG_EWEN,
};

static int extmem_mode(int mode)
{
	return mode == DCSSDAX_EXCLUSIVE ? SEGMENT_EXCLUSIVE : SEGMENT_SHARED;
}

static int extmem_load(char *name, int mode, unsigned long *start,
		       unsigned long *end)
{
	int rc;

	/* Off z/VM extmem can only fail; say so as the emulated side does. */
	if (!machine_is_vm()) {
		pr_err("DCSS %s is not emulated and cannot be loaded without z/VM\n",
		       name);
		return -ENODEV;
	}
	rc = segment_load(name, extmem_mode(mode), start, end);
	if (rc < 0) {
		segment_warning(rc, name);
		return rc;
	}
	if (rc >= ARRAY_SIZE(type_from_extmem)) {
		segment_unload(name);
		return -EOPNOTSUPP;
	}
	return type_from_extmem[rc];
}

static int extmem_query(char *name)
{
	int rc;

	if (!machine_is_vm())
		return -ENODEV;
	rc = segment_type(name);
	if (rc < 0)
		return rc;
	return rc < ARRAY_SIZE(type_from_extmem) ? type_from_extmem[rc] :
						   -EOPNOTSUPP;
}

static int extmem_modify_shared(char *name, int mode)
{
	return segment_modify_shared(name, extmem_mode(mode));
}

static void *extmem_map(unsigned long start, unsigned long size)
{
	return __va(start);
}

static void extmem_unmap(void *addr)
{
}

/*
 * Next to a segment there is either another segment or nothing: z/VM puts
 * segments outside the guest's storage, which is System RAM and refused
 * before this is asked.  Mapping absent storage is harmless as long as it
 * is not accessed, and it never is.
 */
static bool extmem_span_ok(unsigned long start, unsigned long end)
{
	return true;
}

const struct dcssdax_backend dcssdax_extmem_backend = {
	.name		= "extmem",
	.load		= extmem_load,
	.unload		= segment_unload,
	.query		= extmem_query,
	.modify_shared	= extmem_modify_shared,
	.save		= segment_save,
	.map		= extmem_map,
	.unmap		= extmem_unmap,
	.span_ok	= extmem_span_ok,
	.pgmap_maps	= true,
};
