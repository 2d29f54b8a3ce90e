// SPDX-License-Identifier: GPL-2.0
/*
 * dcssdax - extmem backend: real DCSS under z/VM through DIAG 0x64.
 *
 * segment_load() maps the segment into the kernel's identity mapping
 * (vmem_add_mapping) before it returns, so the block path can use __va().
 */
#include <linux/build_bug.h>
#include <linux/mm.h>
#include <asm/extmem.h>

#include "dcssdax.h"

static_assert(DCSSDAX_SEG_SW == SEG_TYPE_SW && DCSSDAX_SEG_EW == SEG_TYPE_EW &&
	      DCSSDAX_SEG_SR == SEG_TYPE_SR && DCSSDAX_SEG_ER == SEG_TYPE_ER &&
	      DCSSDAX_SEG_SN == SEG_TYPE_SN && DCSSDAX_SEG_EN == SEG_TYPE_EN &&
	      DCSSDAX_SEG_SC == SEG_TYPE_SC &&
	      DCSSDAX_SEG_EWEN == SEG_TYPE_EWEN);
static_assert(DCSSDAX_SHARED == SEGMENT_SHARED &&
	      DCSSDAX_EXCLUSIVE == SEGMENT_EXCLUSIVE);

static int extmem_load(char *name, int mode, unsigned long *start,
		       unsigned long *end)
{
	int rc = segment_load(name, mode, start, end);

	if (rc < 0)
		segment_warning(rc, name);
	return rc;
}

static void *extmem_map(unsigned long start, unsigned long size)
{
	return __va(start);
}

static void extmem_unmap(void *addr)
{
}

const struct dcssdax_backend dcssdax_extmem_backend = {
	.name		= "extmem",
	.load		= extmem_load,
	.unload		= segment_unload,
	.modify_shared	= segment_modify_shared,
	.save		= segment_save,
	.map		= extmem_map,
	.unmap		= extmem_unmap,
};
