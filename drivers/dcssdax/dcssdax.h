/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dcssdax - block driver with fs-dax for z/VM discontiguous saved segments
 *
 * Private header shared by the driver's files.
 */
#ifndef _DCSSDAX_H
#define _DCSSDAX_H

#include <linux/device.h>
#include <linux/list.h>
#include <linux/memremap.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/types.h>

/* Typed allocation arrived in Linux 7.0; 6.17 to 6.19 are targets too. */
#ifndef kzalloc_obj
#define kzalloc_obj(obj)	kzalloc(sizeof(obj), GFP_KERNEL)
#endif

#define DCSSDAX_NAME		"dcssdax"
#define DCSSDAX_NAME_LEN	8	/* z/VM segment names: 1..8 chars */

/*
 * Segment types and access modes, numbered as in <asm/extmem.h>; the
 * extmem backend translates them explicitly all the same.
 */
enum dcssdax_seg_type {
	DCSSDAX_SEG_SW,		/* shared, writable */
	DCSSDAX_SEG_EW,		/* exclusive, writable */
	DCSSDAX_SEG_SR,		/* shared, read-only */
	DCSSDAX_SEG_ER,		/* exclusive, read-only */
	DCSSDAX_SEG_SN,		/* shared, no data saved */
	DCSSDAX_SEG_EN,		/* exclusive, no data saved */
	DCSSDAX_SEG_SC,		/* shared, CP-writable only */
	DCSSDAX_SEG_EWEN,	/* exclusive writable, no data saved */
	DCSSDAX_SEG_NR_TYPES,
};

#define DCSSDAX_SHARED		0
#define DCSSDAX_EXCLUSIVE	1

/* Bit set in the exclusive types, as SEGMENT_EXCLUSIVE in extmem. */
#define DCSSDAX_SEG_EXCL_BIT	1

/**
 * struct dcssdax_backend - where segments come from
 * @name: shown in sysfs ("extmem" or "emulated")
 * @load: load @name in @mode (DCSSDAX_SHARED/EXCLUSIVE); on success return
 *	the segment type and set *@start and *@end (address of the last
 *	byte); on failure return the extmem errno.  Loading a loaded name in
 *	the same mode takes another reference.
 * @unload: drop one reference taken by @load.
 * @query: the type of segment @name without loading it, or an errno.
 * @modify_shared: reload a segment loaded once in the other mode.
 * @save: make the segment's current content its saved content.
 * @map: kernel mapping of a loaded segment range for the block path when
 *	there is no dev_pagemap (NULL or ERR_PTR on failure).
 * @unmap: undo @map.
 * @span_ok: may memory in [@start, @end] (inclusive), next to a segment
 *	but in none, get struct pages?  It is mapped but never accessed.
 * @drop_claim: release the busy iomem claim of loaded segment @name, so
 *	that the device can claim its span (devdax.c); @unload then
 *	releases no claim.  NULL when the backend cannot.
 * @retake_claim: claim loaded segment @name busy again after @drop_claim.
 * @pgmap_maps: memremap_pages() maps and unmaps the identity mapping the
 *	backend's segments are accessed through (s390's arch_add_memory()
 *	and arch_remove_memory() do), so a failed memremap_pages() or a
 *	piece's removal can take a segment's mapping away.
 *
 * Both backends follow the contract of arch/s390/mm/extmem.c.
 */
struct dcssdax_backend {
	const char *name;
	int (*load)(char *name, int mode, unsigned long *start,
		    unsigned long *end);
	void (*unload)(char *name);
	int (*query)(char *name);
	int (*modify_shared)(char *name, int mode);
	void (*save)(char *name);
	void *(*map)(unsigned long start, unsigned long size);
	void (*unmap)(void *addr);
	bool (*span_ok)(unsigned long start, unsigned long end);
	int (*drop_claim)(char *name);
	int (*retake_claim)(char *name);
	bool pgmap_maps;
};

/**
 * struct dcssdax_segment - one loaded segment of a device
 * @node: entry in dcssdax_device.segments, in the order given to "add"
 * @dev: /sys/devices/dcssdax/<dev>/<name>, a child of the device
 * @name: upper-case segment name
 * @start: physical address of the first byte
 * @end: physical address of the last byte
 * @type: enum dcssdax_seg_type
 * @backend: the backend that loaded it
 * @loaded: true while @backend holds a reference for this device
 * @claim_dropped: its busy iomem claim was handed to the devdax device
 *	(devdax.c) and not yet taken back
 * @loaded_elsewhere: another user of the guest had it loaded before us
 *	(the same range was claimed busy in iomem before the load), so it
 *	must not get struct pages that we would remove (pgmap.c)
 */
struct dcssdax_segment {
	struct list_head node;
	struct device dev;
	char name[DCSSDAX_NAME_LEN + 1];
	unsigned long start;
	unsigned long end;
	int type;
	const struct dcssdax_backend *backend;
	bool loaded;
	bool claim_dropped;
	bool loaded_elsewhere;
};

struct dcssdax_pages;
struct dev_dax;

enum dcssdax_state {
	DCSSDAX_ADDING,		/* on the list, being built: owns its segments */
	DCSSDAX_LIVE,		/* usable */
	DCSSDAX_SWITCHING,	/* fsdax <-> devdax teardown: no opens or changes */
	DCSSDAX_DYING,		/* being torn down: no new opens or changes */
};

/**
 * struct dcssdax_device - one block device over contiguous segments
 * @dev: /sys/devices/dcssdax/<name>, parent of the gendisk
 * @node: entry in the global device list
 * @name: name of the first segment, names the device
 * @segments: list of struct dcssdax_segment
 * @start: physical address of the first byte
 * @end: physical address of the last byte
 * @index: N of /dev/dcssdaxN
 * @state: DCSSDAX_ADDING, DCSSDAX_LIVE, DCSSDAX_SWITCHING or DCSSDAX_DYING
 * @shared: segments loaded shared (else exclusive-writable)
 * @save_pending: save when the device is last closed
 * @open_count: openers of the block device
 * @kaddr: kernel mapping of @start used by the bio and DAX paths
 * @pieces: the shared dev_pagemaps giving the device struct pages
 * @nr_pieces: their number, 0 when DAX is off
 * @pinned: neighbours' pieces its segments lie in, held from its listing
 *	until its own pieces are settled (pgmap.c)
 * @nr_pinned: their number
 * @memmap_bytes: what their struct pages cost, set once when mapped
 * @dax_reason: why DAX is off, empty when on
 * @disk: the gendisk
 * @disk_added: device_add_disk() succeeded
 * @dax_dev: the dax_device when DAX is on
 * @devdax: device-dax mode: a dax region and /dev/daxN.0, no disk
 * @devdax_id: N of the dax region, -1 when there is none
 * @devdax_align: the dev_dax's alignment
 * @devdax_pdev: parent of the dax region, bound to devdax.c's driver
 * @devdax_dev: the region's dev_dax, while @devdax_pdev is bound
 * @devdax_probe_rc: why the region could not be created
 * @devdax_res: the non-busy claim of the span that device_dax nests in
 * @devdax_pinned: holds a reference on the module (devdax.c)
 *
 * @state, @shared, @save_pending and @open_count are protected by
 * dcssdax_lock (registry.c) (sysfs reads of @shared and @save_pending are lockless
 * snapshots).  @segments is built before the device is on the device list
 * and freed after it has left it: whoever holds dcssdax_lock and finds
 * the device there may walk it.  Everything else is set up before the
 * device is visible (sysfs, the disk) and torn down after it is not,
 * in dcssdax_destroy(); sysfs files read only plain values of it.
 */
struct dcssdax_device {
	struct device dev;
	struct list_head node;
	char name[DCSSDAX_NAME_LEN + 1];
	struct list_head segments;
	unsigned long start;
	unsigned long end;
	int index;
	enum dcssdax_state state;
	bool shared;
	bool save_pending;
	unsigned int open_count;
	void *kaddr;
	struct dcssdax_pages *pieces[3];
	int nr_pieces;
	struct dcssdax_pages *pinned[2];
	int nr_pinned;
	unsigned long memmap_bytes;
	char dax_reason[96];
	struct gendisk *disk;
	bool disk_added;
	struct dax_device *dax_dev;
	bool devdax;
	int devdax_id;
	unsigned int devdax_align;
	struct platform_device *devdax_pdev;
	struct dev_dax *devdax_dev;
	int devdax_probe_rc;
	struct resource *devdax_res;
	bool devdax_pinned;
};

static inline struct dcssdax_device *to_dcssdax(struct device *dev)
{
	return container_of(dev, struct dcssdax_device, dev);
}

static inline unsigned long dcssdax_size(const struct dcssdax_device *ddev)
{
	return ddev->end - ddev->start + 1;
}

/* registry.c: the bottom layer, calls nothing above it */
extern struct mutex dcssdax_lock;
struct dcssdax_device *dcssdax_find_device(const char *name);
struct dcssdax_device *dcssdax_find_segment_owner(const char *name);
struct dcssdax_device *dcssdax_first_live(void);
bool dcssdax_range_is_segment(unsigned long start, unsigned long end,
			      bool with_pages);
struct range;
bool dcssdax_first_segment_within(u64 start, u64 end, struct range *out);
void dcssdax_list_add(struct dcssdax_device *ddev);
void dcssdax_list_del(struct dcssdax_device *ddev);
void dcssdax_set_state(struct dcssdax_device *ddev, enum dcssdax_state state);
bool dcssdax_no_devices(void);
unsigned long dcssdax_settle_mark(void);
void dcssdax_settle_wait(unsigned long mark);
void dcssdax_release_pending(void);
void dcssdax_released(void);
void dcssdax_wait_released(void);

/* segment.c */
const char *dcssdax_type_name(int type);
bool dcssdax_type_readonly(int type);
bool dcssdax_readonly(const struct dcssdax_device *ddev);
int dcssdax_parse_names(const char *buf, size_t count,
			char names[][DCSSDAX_NAME_LEN + 1], int max);
struct dcssdax_segment *dcssdax_segment_load(const char *name, int mode);
int dcssdax_segment_type(const char *name);
void dcssdax_segment_unload(struct dcssdax_segment *seg);
void dcssdax_segment_free(struct dcssdax_segment *seg);
int dcssdax_segments_check(struct list_head *segments, int nr);
int dcssdax_segments_sysfs_add(struct dcssdax_device *ddev);
void dcssdax_segments_sysfs_del(struct dcssdax_device *ddev);
void dcssdax_segments_save(struct dcssdax_device *ddev);

/* seg_emul.c: only with CONFIG_DCSSDAX_EMULATE */
struct seq_file;
#ifdef CONFIG_DCSSDAX_EMULATE
int dcssdax_emul_init(const char *table);
void dcssdax_emul_exit(void);
bool dcssdax_emul_knows(const char *name);
int dcssdax_emul_hold(const char *name, int mode);
void dcssdax_emul_show(struct seq_file *m);
extern const struct dcssdax_backend dcssdax_emul_backend;
#else
static inline int dcssdax_emul_init(const char *table)
{
	if (!*table)
		return 0;
	pr_err("emulate: this dcssdax is built without CONFIG_DCSSDAX_EMULATE\n");
	return -EINVAL;
}

static inline void dcssdax_emul_exit(void)
{
}

static inline bool dcssdax_emul_knows(const char *name)
{
	return false;
}
#endif

/* testpoint.c: only in test builds (CONFIG_DCSSDAX_TEST) */
#ifdef CONFIG_DCSSDAX_TEST
int dcssdax_test_point(const char *name);
void dcssdax_test_init(const char *pause);
void dcssdax_test_exit(void);
#else
static inline int dcssdax_test_point(const char *name)
{
	return 0;
}

static inline void dcssdax_test_init(const char *pause)
{
}

static inline void dcssdax_test_exit(void)
{
}
#endif

/* seg_extmem.c */
#ifdef CONFIG_S390
extern const struct dcssdax_backend dcssdax_extmem_backend;
#endif

/* pgmap.c */
int dcssdax_pgmap_setup(struct dcssdax_device *ddev);
void dcssdax_holes_open(void);
void dcssdax_holes_close(void);
void dcssdax_pieces_pin(struct dcssdax_device *ddev);
void dcssdax_pgmap_teardown(struct dcssdax_device *ddev);
unsigned long dcssdax_pages_busy(const struct dcssdax_device *ddev);

/* dax.c */
int dcssdax_dax_setup(struct dcssdax_device *ddev);
void dcssdax_dax_teardown(struct dcssdax_device *ddev);

/* devdax.c */
struct platform_device;
int dcssdax_devdax_init(void);
void dcssdax_devdax_exit(void);
int dcssdax_devdax_setup(struct dcssdax_device *ddev);
void dcssdax_devdax_teardown(struct dcssdax_device *ddev);
int dcssdax_devdax_unclaimed(struct dcssdax_device *ddev);
unsigned long dcssdax_devdax_busy(const struct dcssdax_device *ddev);
int dcssdax_devdax_possible(struct dcssdax_device *ddev);

/* blk.c */
extern const struct block_device_operations dcssdax_fops;

/* sysfs.c */
extern const struct attribute_group dcssdax_facts_group;

#endif /* _DCSSDAX_H */
