// SPDX-License-Identifier: GPL-2.0
/*
 * dcssdax - emulated segment backend.
 *
 * QEMU cannot execute DIAG 0x64, so tests and machines without z/VM get a
 * segment table from the "emulate" module parameter.  Each entry names a
 * range of physical memory that the kernel does not manage: RAM taken away
 * with memmap= on x86, storage above mem= on s390 (which is how a DCSS looks
 * to a z/VM guest).  The backend keeps extmem's rules: load counts, access
 * mode conflicts, overlaps, SC never exclusive, and a range is claimed in
 * /proc/iomem as "NAME (DCSS)" while loaded.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/security.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/string_helpers.h>
#include <linux/efi.h>
#ifdef CONFIG_S390
#include <asm/sclp.h>
#endif

#include "dcssdax.h"

#define EMUL_MAX_SEGMENTS	64

/**
 * struct emul_segment - one entry of the emulated segment table
 * @name: upper-case name
 * @type: enum dcssdax_seg_type
 * @start: physical address of the first byte
 * @size: bytes
 * @refs: loads not yet unloaded, as extmem's ref_count: one per device
 *	and one per other user (the test build's "hold")
 * @mode: DCSSDAX_SHARED or DCSSDAX_EXCLUSIVE while loaded
 * @res: the "NAME (DCSS)" claim in /proc/iomem while loaded
 * @res_name: its name
 */
struct emul_segment {
	char name[DCSSDAX_NAME_LEN + 1];
	int type;
	unsigned long start;
	unsigned long size;
	unsigned int refs;
	int mode;
	struct resource *res;
	char res_name[DCSSDAX_NAME_LEN + sizeof(" (DCSS)")];
};

/*
 * The table is written once at module init, before any device exists,
 * and freed at exit after the last: its entries' names, types and ranges
 * are read without a lock.  emul_lock protects @refs, @mode and @res of
 * every entry, as extmem's dcss_lock does for its segment list.  @res is
 * NULL while loaded when the device took over the claim (devdax.c).
 */
static struct emul_segment *emul_table;
static int emul_count;
static DEFINE_MUTEX(emul_lock);

static struct emul_segment *emul_find(const char *name)
{
	int i;

	for (i = 0; i < emul_count; i++)
		if (!strcmp(emul_table[i].name, name))
			return &emul_table[i];
	return NULL;
}

bool dcssdax_emul_knows(const char *name)
{
	return !!emul_find(name);
}

static int parse_type(const char *s)
{
	int t;

	for (t = 0; t < DCSSDAX_SEG_NR_TYPES; t++)
		if (!strcasecmp(s, dcssdax_type_name(t)))
			return t;
	return -EINVAL;
}

/* NAME:TYPE:START:SIZE, START and SIZE with memparse() suffixes. */
static int parse_entry(char *entry, struct emul_segment *seg)
{
	char *name, *type, *start, *size, *end;
	int i;

	name = strsep(&entry, ":");
	type = strsep(&entry, ":");
	start = strsep(&entry, ":");
	size = entry;
	if (!type || !start || !size || strchr(size, ':'))
		return -EINVAL;
	if (!*name || strlen(name) > DCSSDAX_NAME_LEN)
		return -EINVAL;
	for (i = 0; name[i]; i++) {
		if (!isalnum(name[i]) && !strchr("$#@_-", name[i]))
			return -EINVAL;
		seg->name[i] = toupper(name[i]);
	}
	seg->name[i] = '\0';
	seg->type = parse_type(type);
	if (seg->type < 0)
		return -EINVAL;
	seg->start = memparse(start, &end);
	if (end == start || *end)
		return -EINVAL;
	seg->size = memparse(size, &end);
	if (end == size || *end)
		return -EINVAL;
	if (!seg->size || !PAGE_ALIGNED(seg->start) ||
	    !PAGE_ALIGNED(seg->size) || seg->start + seg->size < seg->start)
		return -EINVAL;
	return 0;
}

/**
 * dcssdax_emul_init - read the emulated segment table
 * @table: the "emulate" module parameter
 *
 * The whole table is refused if one entry is malformed or a name is
 * defined twice: a half-read table would make names silently fall
 * through to extmem.  Overlapping entries are allowed, as in z/VM; they
 * just cannot be loaded at the same time.
 *
 * Return: 0 or -EINVAL / -ENOMEM.
 */
int dcssdax_emul_init(const char *table)
{
	char *copy, *cursor, *entry;
	int rc = 0;

	if (!*table)
		return 0;
	if (security_locked_down(LOCKDOWN_DEV_MEM)) {
		pr_err("emulate: refused: the kernel is locked down, and emulated segments give access to physical memory as /dev/mem does\n");
		return -EPERM;
	}
	emul_table = kcalloc(EMUL_MAX_SEGMENTS, sizeof(*emul_table),
			     GFP_KERNEL);
	copy = kstrdup(table, GFP_KERNEL);
	if (!emul_table || !copy) {
		rc = -ENOMEM;
		goto out;
	}
	cursor = strim(copy);
	while ((entry = strsep(&cursor, ",")) != NULL) {
		struct emul_segment *seg = &emul_table[emul_count];

		if (emul_count == EMUL_MAX_SEGMENTS) {
			pr_err("emulate: more than %d segments\n",
			       EMUL_MAX_SEGMENTS);
			rc = -EINVAL;
			goto out;
		}
		if (parse_entry(entry, seg)) {
			pr_err("emulate: entry %d is not NAME:TYPE:START:SIZE with a page aligned range\n",
			       emul_count + 1);
			rc = -EINVAL;
			goto out;
		}
		if (emul_find(seg->name)) {
			pr_err("emulate: segment %s defined twice\n",
			       seg->name);
			rc = -EINVAL;
			goto out;
		}
		emul_count++;
		pr_info("emulated DCSS %s type %s at %#lx size %lu\n",
			seg->name, dcssdax_type_name(seg->type), seg->start,
			seg->size);
	}
out:
	kfree(copy);
	if (rc)
		dcssdax_emul_exit();
	return rc;
}

/* Called with emul_lock held: drop the busy claim if it is still ours. */
static void emul_release(struct emul_segment *seg)
{
	if (seg->res)
		release_mem_region(seg->start, seg->size);
	seg->res = NULL;
}

/*
 * Under emul_lock: the test build's debugfs files may still look.  The
 * devices are gone, but a load of the test build's "hold" may be left:
 * its claim, named by the table, goes with it.
 */
void dcssdax_emul_exit(void)
{
	int i;

	mutex_lock(&emul_lock);
	for (i = 0; i < emul_count; i++) {
		struct emul_segment *seg = &emul_table[i];

		if (!seg->res)
			continue;
		pr_info("DCSS %s is still loaded by another user and goes with the module\n",
			seg->name);
		emul_release(seg);
	}
	kfree(emul_table);
	emul_table = NULL;
	emul_count = 0;
	mutex_unlock(&emul_lock);
}

#ifdef CONFIG_S390
/*
 * Storage above mem= is not in /proc/iomem, and memremap_pages() accepts
 * any range: the first access to storage the guest does not have is an
 * addressing exception.  SCLP knows how much storage there is.
 */
static bool emul_storage_ok(unsigned long start, unsigned long end)
{
	return end < sclp.rnmax * sclp.rzm;
}

#define EMUL_STORAGE_ERROR "ends beyond the guest's storage"

/*
 * s390 has no generic way to map storage the kernel does not manage: its
 * ioremap() is for PCI.  Only memremap_pages() (arch_add_memory) maps it,
 * so a segment whose struct pages cannot be set up cannot be used.
 */
static void *emul_map(unsigned long start, unsigned long size)
{
	pr_err("storage at %#lx cannot be mapped without struct pages\n",
	       start);
	return ERR_PTR(-EOPNOTSUPP);
}

static void emul_unmap(void *addr)
{
}
#else
/*
 * Only memory the firmware described and the kernel was told to leave
 * alone (memmap=nn$ss reserved or memmap=nn!ss legacy pmem) is accepted:
 * anything else may not exist or may belong to the firmware.
 */
static bool emul_storage_ok(unsigned long start, unsigned long end)
{
	unsigned long size = end - start + 1;

	return region_intersects(start, size, IORESOURCE_MEM,
				 IORES_DESC_RESERVED) == REGION_INTERSECTS ||
	       region_intersects(start, size, IORESOURCE_MEM,
				 IORES_DESC_PERSISTENT_MEMORY_LEGACY) ==
	       REGION_INTERSECTS;
}

#define EMUL_STORAGE_ERROR "is not inside memory reserved with memmap="

static void *emul_map(unsigned long start, unsigned long size)
{
	return memremap(start, size, MEMREMAP_WB);
}

static void emul_unmap(void *addr)
{
	memunmap(addr);
}
#endif

/*
 * Memory the firmware describes for its own use may be reserved and
 * unclaimed, yet is no place for a segment: ACPI tables and NVS in
 * /proc/iomem, EFI runtime, ACPI and reserved memory in the EFI memory
 * map.  (A plain e820 "reserved" range of a BIOS without EFI cannot be
 * told from memmap=nn$ss by a module; lockdown is what protects there.)
 */
static const char *emul_firmware_range(unsigned long start, unsigned long size)
{
	unsigned long addr;

	if (region_intersects(start, size, IORESOURCE_MEM,
			      IORES_DESC_ACPI_TABLES) != REGION_DISJOINT)
		return "ACPI tables";
	if (region_intersects(start, size, IORESOURCE_MEM,
			      IORES_DESC_ACPI_NV_STORAGE) != REGION_DISJOINT)
		return "ACPI NVS";
	if (!IS_ENABLED(CONFIG_EFI) || !efi_enabled(EFI_MEMMAP))
		return NULL;
	for (addr = start; addr < start + size; addr += PAGE_SIZE) {
		efi_memory_desc_t md;

		if (efi_mem_desc_lookup(addr, &md))
			continue;
		if (md.attribute & EFI_MEMORY_RUNTIME)
			return "EFI runtime memory";
		if (md.type == EFI_ACPI_RECLAIM_MEMORY ||
		    md.type == EFI_ACPI_MEMORY_NVS ||
		    md.type == EFI_RESERVED_TYPE)
			return "EFI firmware memory";
		/* Skip to the end of this descriptor. */
		addr = max(addr, (unsigned long)(md.phys_addr +
				  (md.num_pages << EFI_PAGE_SHIFT)) - PAGE_SIZE);
	}
	return NULL;
}

/* The checks extmem and z/VM make before a range becomes a segment. */
static int emul_claim(struct emul_segment *seg)
{
	const char *firmware;
	int i;

	if (security_locked_down(LOCKDOWN_DEV_MEM)) {
		pr_err("emulated DCSS %s refused: the kernel is locked down\n",
		       seg->name);
		return -EPERM;
	}

	for (i = 0; i < emul_count; i++) {
		struct emul_segment *other = &emul_table[i];

		if (other == seg || !other->refs)
			continue;
		if (seg->start < other->start + other->size &&
		    other->start < seg->start + seg->size) {
			pr_err("emulated DCSS %s overlaps loaded DCSS %s\n",
			       seg->name, other->name);
			return -EBUSY;
		}
	}
	if (region_intersects(seg->start, seg->size, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_DISJOINT) {
		pr_err("emulated DCSS %s overlaps System RAM\n", seg->name);
		return -EBUSY;
	}
	firmware = emul_firmware_range(seg->start, seg->size);
	if (firmware) {
		pr_err("emulated DCSS %s overlaps %s\n", seg->name, firmware);
		return -EPERM;
	}
	if (!emul_storage_ok(seg->start, seg->start + seg->size - 1)) {
		pr_err("emulated DCSS %s " EMUL_STORAGE_ERROR "\n", seg->name);
		return -ERANGE;
	}
	snprintf(seg->res_name, sizeof(seg->res_name), "%s (DCSS)", seg->name);
	seg->res = request_mem_region(seg->start, seg->size, seg->res_name);
	if (!seg->res) {
		pr_err("emulated DCSS %s: memory %#lx-%#lx is in use\n",
		       seg->name, seg->start, seg->start + seg->size - 1);
		return -EBUSY;
	}
	return 0;
}

static int emul_load(char *name, int mode, unsigned long *start,
		     unsigned long *end)
{
	struct emul_segment *seg;
	int rc;

	mutex_lock(&emul_lock);
	seg = emul_find(name);
	if (!seg) {
		rc = -ENOENT;
		goto out;
	}
	if (seg->refs) {
		if (seg->mode != mode) {
			rc = -EPERM;
			goto out;
		}
		seg->refs++;
		goto loaded;
	}
	if (mode == DCSSDAX_EXCLUSIVE && seg->type == DCSSDAX_SEG_SC) {
		pr_err("emulated DCSS %s is of type SC and cannot be loaded exclusive\n",
		       name);
		rc = -EPERM;
		goto out;
	}
	rc = emul_claim(seg);
	if (rc)
		goto out;
	seg->refs = 1;
	seg->mode = mode;
	pr_info("emulated DCSS %s of range %#lx to %#lx and type %s loaded %s\n",
		name, seg->start, seg->start + seg->size - 1,
		dcssdax_type_name(seg->type),
		mode == DCSSDAX_SHARED ? "in shared access mode" :
					 "as exclusive-writable");
loaded:
	*start = seg->start;
	*end = seg->start + seg->size - 1;
	rc = seg->type;
out:
	mutex_unlock(&emul_lock);
	return rc;
}

static void emul_unload(char *name)
{
	struct emul_segment *seg;

	mutex_lock(&emul_lock);
	seg = emul_find(name);
	if (seg && seg->refs && --seg->refs == 0)
		emul_release(seg);
	mutex_unlock(&emul_lock);
}

/*
 * For devdax mode (devdax.c): the busy claim has done its job, proving
 * that nobody else uses the memory, and the device claims its whole span
 * in its place.
 */
static int emul_drop_claim(char *name)
{
	struct emul_segment *seg;
	int rc = 0;

	mutex_lock(&emul_lock);
	seg = emul_find(name);
	if (seg && seg->refs)
		emul_release(seg);
	else
		rc = -EINVAL;
	mutex_unlock(&emul_lock);
	return rc;
}

/* After devdax mode (devdax.c): the busy claim of a loaded segment. */
static int emul_retake_claim(char *name)
{
	struct emul_segment *seg;
	int rc = 0;

	mutex_lock(&emul_lock);
	seg = emul_find(name);
	if (!seg || !seg->refs) {
		rc = -EINVAL;
	} else if (!seg->res) {
		seg->res = request_mem_region(seg->start, seg->size,
					      seg->res_name);
		if (!seg->res)
			rc = -EBUSY;
	}
	mutex_unlock(&emul_lock);
	return rc;
}

static int emul_query(char *name)
{
	struct emul_segment *seg = emul_find(name);

	return seg ? seg->type : -ENOENT;
}

/* What extmem does when z/VM fails a reload: the segment is gone. */
static void emul_purge(struct emul_segment *seg)
{
	pr_err("emulated DCSS %s: reload failed, segment purged\n", seg->name);
	seg->refs = 0;
	emul_release(seg);
}

/*
 * The contract of segment_modify_shared() in arch/s390/mm/extmem.c,
 * check for check: -EINVAL when not loaded, 0 when already in @mode,
 * -EAGAIN (nothing changed) when loaded more than once; then z/VM
 * purges and reloads it, and every failure from there on leaves it
 * purged: extmem's -EBUSY (its claim overlaps memory in use), -EIO or
 * -ENOENT from the DIAG.  CP refuses to load an SC segment
 * exclusive-writable, which extmem reports as -EIO.  The test point
 * "emul_modify_shared" makes the reload fail with any errno: -EAGAIN
 * stands for the in-use answer and changes nothing, any other purges.
 */
static int emul_modify_shared(char *name, int mode)
{
	struct emul_segment *seg;
	int rc;

	mutex_lock(&emul_lock);
	seg = emul_find(name);
	if (!seg || !seg->refs) {
		rc = -EINVAL;
	} else if (seg->mode == mode) {
		rc = 0;
	} else if (seg->refs != 1) {
		rc = -EAGAIN;
	} else {
		rc = dcssdax_test_point("emul_modify_shared");
		if (!rc && mode == DCSSDAX_EXCLUSIVE &&
		    seg->type == DCSSDAX_SEG_SC)
			rc = -EIO;
		if (!rc)
			seg->mode = mode;
		else if (rc != -EAGAIN)
			emul_purge(seg);
	}
	mutex_unlock(&emul_lock);
	return rc;
}

/* The memory is the segment's only copy, so saving keeps it as it is. */
static void emul_save(char *name)
{
	pr_info("emulated DCSS %s saved\n", name);
}

/**
 * dcssdax_emul_hold - load or unload a segment as another user would
 * @name: segment name, any case
 * @mode: DCSSDAX_SHARED or DCSSDAX_EXCLUSIVE to load, -1 to unload
 *
 * For tests of what z/VM does when a segment is in use by someone else in
 * the guest (dcssblk, monreader): another reference in @mode.
 *
 * Return: 0 or the errno of the load.
 */
int dcssdax_emul_hold(const char *name, int mode)
{
	char upper[DCSSDAX_NAME_LEN + 1];
	unsigned long start, end;
	int rc;

	if (strlen(name) > DCSSDAX_NAME_LEN)
		return -EINVAL;
	string_upper(upper, name);
	mutex_lock(&emul_lock);
	rc = emul_find(upper) ? 0 : -ENOENT;
	mutex_unlock(&emul_lock);
	if (rc)
		return rc;
	if (mode < 0) {
		emul_unload(upper);
		return 0;
	}
	rc = emul_load(upper, mode, &start, &end);
	return rc < 0 ? rc : 0;
}

/* One line per entry: name, type, range, load count and mode. */
void dcssdax_emul_show(struct seq_file *m)
{
	int i;

	mutex_lock(&emul_lock);
	for (i = 0; i < emul_count; i++) {
		struct emul_segment *seg = &emul_table[i];

		seq_printf(m, "%s %s %#lx %#lx %u %s\n", seg->name,
			   dcssdax_type_name(seg->type), seg->start, seg->size,
			   seg->refs, !seg->refs ? "-" :
			   seg->mode == DCSSDAX_SHARED ? "shared" : "exclusive");
	}
	mutex_unlock(&emul_lock);
}

const struct dcssdax_backend dcssdax_emul_backend = {
	.name		= "emulated",
	.load		= emul_load,
	.unload		= emul_unload,
	.query		= emul_query,
	.modify_shared	= emul_modify_shared,
	.save		= emul_save,
	.map		= emul_map,
	.unmap		= emul_unmap,
	.span_ok	= emul_storage_ok,
	.drop_claim	= emul_drop_claim,
	.retake_claim	= emul_retake_claim,
	.pgmap_maps	= IS_ENABLED(CONFIG_S390),
};
