// SPDX-License-Identifier: GPL-2.0
/*
 * dcssdax - struct pages for segment memory.
 *
 * memremap_pages() works in whole subsections (2 MiB) while z/VM defines
 * segments in 4 KiB pages.  A device therefore gets struct pages for its
 * span rounded out to subsections, in up to three pieces: the partial
 * subsection at its start, the whole subsections in between and the
 * partial subsection at its end.  A partial subsection may hold the end of
 * one device and the start of the next, and the pages of a subsection can
 * belong to one dev_pagemap only, so pieces are kept in a list, shared and
 * counted: a piece is unmapped when its last device goes, which may be
 * long after the device that mapped it.
 *
 * Pages in a piece but outside every device are never handed out and never
 * touched; on z/VM there may be no storage behind them at all.
 *
 * When the rounded span is not safe to map the device keeps working
 * without DAX on a plain kernel mapping from its backend.
 *
 * A piece owns what it maps.  On s390 its removal unmaps the whole piece
 * (arch_remove_memory()), whatever extmem's load counts say, so nobody
 * else may load a segment into it: the piece's holes, the bytes of the
 * rounding that no listed device's segment holds, are claimed busy in
 * iomem ("DCSS rounding (dcssdax)") for the piece's lifetime, and
 * extmem's request_resource() (and the emulated backend's) refuse an
 * overlapping segment with -EBUSY.  dcssdax's own loads need the holes
 * open: they are released around every load and unload of a device's
 * segments (dcssdax_holes_open(), dcssdax_holes_close()) and claimed
 * again from the registry; a segment_load() of another user that runs
 * exactly then can still take a hole, which the reclaim then reports.
 * A segment someone else has loaded before us (the same name, loaded
 * shared by dcssblk) gets no struct pages at all (segment.c).
 *
 * So every listed device whose segments lie in a piece holds it, from
 * the moment it is listed with its segments loaded: until its own pieces
 * are settled it holds the neighbours' it lies in as @pinned
 * (dcssdax_pieces_pin()).  Without that, the neighbours could all go
 * between its load and its dcssdax_pgmap_setup(), the last of them
 * unmapping the device's bytes in the shared subsection with the piece,
 * and the device, finding a departing neighbour still listed without
 * struct pages, would fall back to its backend's mapping, which on s390
 * is the identity mapping just removed.  The only listed device that
 * lies in a piece without holding it is one that has put its pieces
 * and unloads its segments next.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ioport.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/slab.h>

#include "dcssdax.h"

/* A subsection holds at most this many holes between segments. */
#define DCSSDAX_MAX_HOLES	8

/**
 * struct dcssdax_pages - a dev_pagemap over whole subsections
 * @node: entry in dcssdax_pieces
 * @pgmap: the pagemap; its range is the piece
 * @users: devices using or pinning the piece
 * @holes: busy claims of the bytes no listed segment holds
 * @nr_holes: their number
 * @mapped: memremap_pages() succeeded; false only inside the
 *	dcssdax_pgmap_setup() that makes the piece
 */
struct dcssdax_pages {
	struct list_head node;
	struct dev_pagemap pgmap;
	unsigned int users;
	bool mapped;
	struct resource *holes[DCSSDAX_MAX_HOLES];
	int nr_holes;
};

static LIST_HEAD(dcssdax_pieces);
/*
 * Held across a device's whole pgmap setup and teardown and between
 * dcssdax_holes_open() and dcssdax_holes_close(): protects the piece
 * list, each piece's users and holes, and every device's pieces,
 * nr_pieces, pinned and nr_pinned, so that one device's decision (share
 * a piece, map a new one, fall back) sees the others' settled.  Taken
 * before dcssdax_lock (outside_ok(), holes_claim()), never inside it.
 */
static DEFINE_MUTEX(dcssdax_pieces_lock);

static const struct dcssdax_backend *
first_backend(const struct dcssdax_device *ddev)
{
	return list_first_entry(&ddev->segments, struct dcssdax_segment,
				node)->backend;
}

/*
 * Called with dcssdax_pieces_lock held: is [start, end] one of our own
 * pieces' hole claims?  A device that shares the piece takes it over.
 */
static bool is_hole(resource_size_t start, resource_size_t end)
{
	struct dcssdax_pages *p;
	int i;

	list_for_each_entry(p, &dcssdax_pieces, node)
		for (i = 0; i < p->nr_holes; i++)
			if (p->holes[i]->start == start &&
			    p->holes[i]->end == end)
				return true;
	return false;
}

/* The device's span rounded out to whole subsections. */
static void rounded_span(const struct dcssdax_device *ddev, u64 *first,
			 u64 *last)
{
	*first = ALIGN_DOWN(ddev->start, SUBSECTION_SIZE);
	*last = ALIGN(ddev->end + 1, SUBSECTION_SIZE) - 1;
}

#define reason(ddev, ...) \
	snprintf((ddev)->dax_reason, sizeof((ddev)->dax_reason), __VA_ARGS__)

struct busy_walk {
	struct dcssdax_device *ddev;
	bool in_piece;
};

/*
 * Busy iomem inside a rounded span must be a segment of another device;
 * where memremap_pages() owns the identity mapping (s390), that device
 * must have struct pages too, so that the piece over both is shared and
 * removing one cannot unmap the other's bytes.  When a piece over the
 * span exists already, the device shares it rather than mapping one:
 * every listed device in it holds it or is on its way out (see the top
 * of this file), so sharing it unmaps nothing of anyone's that would
 * have stayed.  Called with dcssdax_lock held.
 */
static int busy_is_segment(struct resource *res, void *arg)
{
	struct busy_walk *walk = arg;

	if (is_hole(res->start, res->end))
		return 0;
	return dcssdax_range_is_segment(res->start, res->end,
					first_backend(walk->ddev)->pgmap_maps &&
					!walk->in_piece) ?
	       0 : -EBUSY;
}

/* Called with dcssdax_pieces_lock held: is [start, end] in a piece? */
static bool in_piece(unsigned long start, unsigned long end)
{
	struct dcssdax_pages *p;

	list_for_each_entry(p, &dcssdax_pieces, node)
		if (p->pgmap.range.start <= start && end <= p->pgmap.range.end)
			return true;
	return false;
}

/*
 * May [start, end] (inclusive), outside the device, get struct pages?
 * It must not be RAM, nor claimed by anyone but dcssdax, and the backend
 * must agree that there is nothing there that a mapping could disturb.
 * memremap_pages() would WARN rather than fail quietly on RAM, so this is
 * decided here.
 */
static bool outside_ok(struct dcssdax_device *ddev, unsigned long start,
		       unsigned long end)
{
	struct busy_walk walk = { .ddev = ddev };
	int rc;

	if (start > end)
		return true;
	if (region_intersects(start, end - start + 1, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_DISJOINT) {
		reason(ddev, "2 MiB rounding covers System RAM at %#lx-%#lx",
		       start, end);
		return false;
	}
	walk.in_piece = in_piece(start, end);
	/* The walk returns what the callback did, or -EINVAL for no match. */
	mutex_lock(&dcssdax_lock);
	rc = walk_iomem_res_desc(IORES_DESC_NONE,
				 IORESOURCE_MEM | IORESOURCE_BUSY, start, end,
				 &walk, busy_is_segment);
	mutex_unlock(&dcssdax_lock);
	if (rc == -EBUSY) {
		reason(ddev, "2 MiB rounding covers memory in use at %#lx-%#lx",
		       start, end);
		return false;
	}
	if (!first_backend(ddev)->span_ok(start, end)) {
		reason(ddev, "2 MiB rounding covers memory outside the segment area at %#lx-%#lx",
		       start, end);
		return false;
	}
	return true;
}

static const char dcssdax_hole_name[] = "DCSS rounding (dcssdax)";

/* Called with dcssdax_pieces_lock held. */
static void holes_release(struct dcssdax_pages *p)
{
	while (p->nr_holes) {
		struct resource *res = p->holes[--p->nr_holes];

		release_mem_region(res->start, resource_size(res));
	}
}

/*
 * Called with dcssdax_pieces_lock held: claim [@start, @end] busy.
 * Return: false when someone else holds memory there.
 */
static bool hole_claim(struct dcssdax_pages *p, u64 start, u64 end)
{
	struct resource *res;

	if (p->nr_holes == DCSSDAX_MAX_HOLES) {
		pr_err("more than %d holes in the struct pages at %#llx: %#llx-%#llx is not claimed\n",
		       DCSSDAX_MAX_HOLES, p->pgmap.range.start, start, end);
		return true;
	}
	/*
	 * request_mem_region() nests in a non-busy parent, as x86's
	 * "Reserved" memmap= range, and fails on anything busy.
	 */
	res = dcssdax_test_point("hole_claim") ? NULL :
		request_mem_region(start, end - start + 1, dcssdax_hole_name);
	if (!res)
		return false;
	p->holes[p->nr_holes++] = res;
	return true;
}

/*
 * Called with dcssdax_pieces_lock held: claim the bytes of the piece
 * that no listed device's segment holds.
 * Return: true, or false with @taken set to the first of them that
 * someone else holds (the others are claimed).
 */
static bool holes_claim(struct dcssdax_pages *p, struct range *taken)
{
	u64 next = p->pgmap.range.start, end = p->pgmap.range.end;
	bool all = true;
	struct range seg;
	u64 last;

	mutex_lock(&dcssdax_lock);
	while (next <= end) {
		if (!dcssdax_first_segment_within(next, end, &seg))
			seg.start = end + 1;
		if (seg.start > next) {
			last = seg.start - 1;
			if (!hole_claim(p, next, last) && all) {
				*taken = (struct range){ next, last };
				all = false;
			}
		}
		if (seg.start > end || seg.end >= end)
			break;
		next = seg.end + 1;
	}
	mutex_unlock(&dcssdax_lock);
	return all;
}

/**
 * dcssdax_holes_open - let dcssdax load or unload segments in the holes
 *
 * Releases the hole claims of every piece and holds dcssdax_pieces_lock
 * until dcssdax_holes_close(), which claims the holes again as the
 * registry then has them.  Taken before dcssdax_lock.
 */
void dcssdax_holes_open(void)
{
	struct dcssdax_pages *p;

	mutex_lock(&dcssdax_pieces_lock);
	list_for_each_entry(p, &dcssdax_pieces, node)
		holes_release(p);
}

/**
 * dcssdax_holes_close - claim the holes again after dcssdax_holes_open()
 */
void dcssdax_holes_close(void)
{
	struct dcssdax_pages *p;
	struct range taken;

	list_for_each_entry(p, &dcssdax_pieces, node)
		if (!holes_claim(p, &taken))
			pr_err("memory %#llx-%#llx inside the struct pages at %#llx-%#llx is in use by someone else: it goes when they go\n",
			       taken.start, taken.end, p->pgmap.range.start,
			       p->pgmap.range.end);
	mutex_unlock(&dcssdax_pieces_lock);
}

/* Called with dcssdax_pieces_lock held. */
static struct dcssdax_pages *piece_find(u64 start, u64 end, bool *conflict)
{
	struct dcssdax_pages *p;

	*conflict = false;
	list_for_each_entry(p, &dcssdax_pieces, node) {
		if (p->pgmap.range.start == start && p->pgmap.range.end == end)
			return p;
		if (p->pgmap.range.start <= end && start <= p->pgmap.range.end)
			*conflict = true;
	}
	return NULL;
}

/*
 * Called with dcssdax_pieces_lock held: share the piece over [@start,
 * @end], or make one with its holes claimed and nothing mapped yet
 * (piece_map()).  The holes are claimed first: a segment that another
 * user of the guest loaded into the rounding since outside_ok() looked
 * must not end up under the piece, whose removal would unmap it.
 */
static struct dcssdax_pages *piece_get(struct dcssdax_device *ddev, u64 start,
				       u64 end)
{
	struct dev_pagemap *foreign;
	struct dcssdax_pages *p;
	struct range taken;
	bool conflict;

	p = piece_find(start, end, &conflict);
	if (p) {
		p->users++;
		return p;
	}
	if (conflict) {
		reason(ddev, "subsections %#llx-%#llx partly mapped by another device",
		       start, end);
		return NULL;
	}
	/* Another driver's pagemap, e.g. pmem: memremap_pages() would WARN. */
	foreign = get_dev_pagemap(PHYS_PFN(start));
	if (!foreign)
		foreign = get_dev_pagemap(PHYS_PFN(end));
	if (foreign) {
		put_dev_pagemap(foreign);
		reason(ddev, "%#llx-%#llx already has struct pages", start, end);
		return NULL;
	}
	p = kzalloc_obj(*p);
	if (!p)
		return NULL;
	p->pgmap.type = MEMORY_DEVICE_FS_DAX;
	p->pgmap.range.start = start;
	p->pgmap.range.end = end;
	p->pgmap.nr_range = 1;
	p->pgmap.owner = &dcssdax_pieces;
	if (!holes_claim(p, &taken)) {
		reason(ddev, "2 MiB rounding covers memory in use at %#llx-%#llx",
		       taken.start, taken.end);
		holes_release(p);
		kfree(p);
		return NULL;
	}
	p->users = 1;
	list_add(&p->node, &dcssdax_pieces);
	return p;
}

/* Called with dcssdax_pieces_lock held: give a new piece its pages. */
static int piece_map(struct dcssdax_device *ddev, struct dcssdax_pages *p)
{
	void *addr;

	addr = ERR_PTR(dcssdax_test_point("memremap_pages"));
	if (!IS_ERR(addr))
		addr = memremap_pages(&p->pgmap, dev_to_node(&ddev->dev));
	if (IS_ERR(addr)) {
		reason(ddev, "memremap_pages %#llx-%#llx failed: %pe",
		       p->pgmap.range.start, p->pgmap.range.end, addr);
		return PTR_ERR(addr);
	}
	p->mapped = true;
	return 0;
}

/* Called with dcssdax_pieces_lock held. */
static void piece_put(struct dcssdax_pages *p)
{
	if (--p->users)
		return;
	list_del(&p->node);
	/* Waits for page references; only the departing device had any. */
	if (p->mapped) {
		dcssdax_test_point("piece_unmap");
		memunmap_pages(&p->pgmap);
	}
	/* Only now: a segment loaded into a hole would go with the piece. */
	holes_release(p);
	kfree(p);
}

/* Called with dcssdax_pieces_lock held. */
static void pieces_put(struct dcssdax_device *ddev)
{
	while (ddev->nr_pieces)
		piece_put(ddev->pieces[--ddev->nr_pieces]);
}

/* Called with dcssdax_pieces_lock held. */
static void pins_put(struct dcssdax_device *ddev)
{
	while (ddev->nr_pinned)
		piece_put(ddev->pinned[--ddev->nr_pinned]);
}

/**
 * dcssdax_pieces_pin - hold the neighbours' pieces the device lies in
 * @ddev: the device, just listed with its segments loaded
 *
 * Called between dcssdax_holes_open() and dcssdax_holes_close(), so that
 * no piece goes between the load and the pin.  The pins are dropped
 * once the device's own pieces are settled (dcssdax_pgmap_setup()), or
 * by dcssdax_pgmap_teardown() when the build stops before that.
 */
void dcssdax_pieces_pin(struct dcssdax_device *ddev)
{
	struct dcssdax_pages *p;
	u64 first, last;

	lockdep_assert_held(&dcssdax_pieces_lock);
	rounded_span(ddev, &first, &last);
	/*
	 * Segments do not overlap, so a piece over the device's span is
	 * one partial subsection at its start or at its end: two at most.
	 */
	list_for_each_entry(p, &dcssdax_pieces, node) {
		if (p->pgmap.range.end < first || last < p->pgmap.range.start)
			continue;
		if (ddev->nr_pinned == ARRAY_SIZE(ddev->pinned))
			break;
		p->users++;
		ddev->pinned[ddev->nr_pinned++] = p;
	}
}

/* Called with dcssdax_pieces_lock held: does a piece cover the device? */
static bool covered_by_piece(struct dcssdax_device *ddev)
{
	bool overlap;

	return piece_find(ddev->start, ddev->end, &overlap) || overlap;
}

/*
 * Split the rounded span into head, middle and tail pieces and get them.
 * Called with dcssdax_pieces_lock held; *@failed is set when
 * memremap_pages() failed, or a piece this call mapped was unmapped
 * again: either way s390's identity mapping of the piece is gone.
 */
static bool pieces_get(struct dcssdax_device *ddev, bool *failed)
{
	u64 mid_first = ALIGN(ddev->start, SUBSECTION_SIZE);
	u64 mid_last = ALIGN_DOWN(ddev->end + 1, SUBSECTION_SIZE) - 1;
	u64 first, last, ranges[3][2];
	bool made = false;
	int nr = 0, i;

	rounded_span(ddev, &first, &last);

	if (last - first + 1 == SUBSECTION_SIZE) {
		ranges[nr][0] = first;
		ranges[nr++][1] = last;
	} else {
		if (first != mid_first) {
			ranges[nr][0] = first;
			ranges[nr++][1] = first + SUBSECTION_SIZE - 1;
		}
		if (mid_first < mid_last) {
			ranges[nr][0] = mid_first;
			ranges[nr++][1] = mid_last;
		}
		if (last != mid_last) {
			ranges[nr][0] = last - SUBSECTION_SIZE + 1;
			ranges[nr++][1] = last;
		}
	}

	/* Every hole is claimed before any piece is mapped. */
	for (i = 0; i < nr; i++) {
		struct dcssdax_pages *p;

		p = piece_get(ddev, ranges[i][0], ranges[i][1]);
		if (!p)
			goto unwind;
		ddev->pieces[ddev->nr_pieces++] = p;
	}
	for (i = 0; i < ddev->nr_pieces; i++) {
		if (ddev->pieces[i]->mapped)
			continue;
		if (piece_map(ddev, ddev->pieces[i])) {
			*failed = true;
			goto unwind;
		}
		made = true;
	}
	return true;
unwind:
	if (!ddev->dax_reason[0])
		reason(ddev, "out of memory for struct pages");
	pieces_put(ddev);
	if (made)
		*failed = true;
	return false;
}

/*
 * What the struct pages of the device's pieces cost in the vmemmap,
 * rounding included; a subsection shared by two devices counts for both.
 */
static unsigned long memmap_bytes(const struct dcssdax_device *ddev)
{
	unsigned long pages = 0;
	int i;

	for (i = 0; i < ddev->nr_pieces; i++)
		pages += PHYS_PFN(range_len(&ddev->pieces[i]->pgmap.range));
	return pages * sizeof(struct page);
}

static bool pgmap_possible(struct dcssdax_device *ddev)
{
	struct dcssdax_segment *seg;
	u64 first, last;

	if (!IS_ENABLED(CONFIG_ZONE_DEVICE) || !IS_ENABLED(CONFIG_FS_DAX)) {
		reason(ddev, "kernel built without ZONE_DEVICE or FS_DAX");
		return false;
	}
	/* Removing its struct pages would unmap it under the other user. */
	list_for_each_entry(seg, &ddev->segments, node) {
		if (seg->loaded_elsewhere) {
			reason(ddev, "DCSS %s is also loaded by another user of this guest",
			       seg->name);
			return false;
		}
	}
	rounded_span(ddev, &first, &last);
	return outside_ok(ddev, first, ddev->start - 1) &&
	       outside_ok(ddev, ddev->end + 1, last);
}

/**
 * dcssdax_pgmap_setup - map the device's memory
 * @ddev: device with its segments loaded
 *
 * Gives the device struct pages (MEMORY_DEVICE_FS_DAX) when it can; the
 * reason it cannot is kept in @ddev->dax_reason and the device falls back
 * to the backend's mapping, serving block I/O without DAX.
 *
 * Return: 0, or a negative errno when the memory cannot be mapped at all.
 */
int dcssdax_pgmap_setup(struct dcssdax_device *ddev)
{
	const struct dcssdax_backend *backend = first_backend(ddev);
	bool failed = false, paged = false;
	void *addr;
	int rc = 0;

	mutex_lock(&dcssdax_pieces_lock);
	if (pgmap_possible(ddev)) {
		/* Where another user's load may come between check and claim. */
		dcssdax_test_point("pgmap:checked");
		paged = pieces_get(ddev, &failed);
	}
	if (paged) {
		/* memremap_pages() put the pieces in the linear mapping. */
		ddev->kaddr = __va(ddev->start);
		WRITE_ONCE(ddev->memmap_bytes, memmap_bytes(ddev));
		goto out;
	}
	pr_info("%s: DAX disabled: %s\n", ddev->name, ddev->dax_reason);
	/*
	 * On s390 a failed memremap_pages() has removed the identity mapping
	 * of the whole piece, the segment's included, and removing a piece
	 * another device shares a subsection with would remove ours: the
	 * backend's mapping could not be trusted either way.
	 */
	if (backend->pgmap_maps && failed) {
		pr_err("%s: the failed memremap_pages() unmapped the segment, it cannot be used\n",
		       ddev->name);
		rc = -EIO;
		goto out;
	}
	if (backend->pgmap_maps && covered_by_piece(ddev)) {
		pr_err("%s: shares a 2 MiB subsection with another device's struct pages and has none itself; its mapping would go with them\n",
		       ddev->name);
		rc = -EBUSY;
		goto out;
	}
	addr = backend->map(ddev->start, dcssdax_size(ddev));
	if (IS_ERR_OR_NULL(addr))
		rc = addr ? PTR_ERR(addr) : -ENOMEM;
	else
		ddev->kaddr = addr;
out:
	/* Settled: the device holds what it shares as its own pieces. */
	pins_put(ddev);
	mutex_unlock(&dcssdax_pieces_lock);
	return rc;
}

/**
 * dcssdax_pgmap_teardown - undo dcssdax_pgmap_setup()
 * @ddev: the device, with nothing left using its memory
 *
 * Also drops the pins of a build that stopped before
 * dcssdax_pgmap_setup().
 */
void dcssdax_pgmap_teardown(struct dcssdax_device *ddev)
{
	mutex_lock(&dcssdax_pieces_lock);
	pins_put(ddev);
	if (ddev->nr_pieces)
		pieces_put(ddev);
	else if (ddev->kaddr)
		first_backend(ddev)->unmap(ddev->kaddr);
	ddev->kaddr = NULL;
	mutex_unlock(&dcssdax_pieces_lock);
}

/**
 * dcssdax_pages_busy - does anyone still hold a page of the device?
 * @ddev: the device, closed
 *
 * Since Linux 6.15 memunmap_pages() waits for pgmap->ref only, which
 * fs-dax folio references do not hold: a pipe holding vmspliced DAX pages,
 * or a GUP user, keeps a folio reference after munmap, and a filesystem
 * that does not wait for them at evict (fs/ext2; xfs at umount, seen on
 * 7.3) lets umount return meanwhile.  Freeing the struct pages then would
 * leave those references pointing into freed memory.  No new reference
 * can appear on a closed device, so the answer stays true once false.
 *
 * Return: the first referenced pfn, or 0 when none is.
 */
unsigned long dcssdax_pages_busy(const struct dcssdax_device *ddev)
{
	unsigned long pfn;

	if (!ddev->nr_pieces)
		return 0;
	for (pfn = PHYS_PFN(ddev->start); pfn <= PHYS_PFN(ddev->end); pfn++) {
		struct folio *folio = page_folio(pfn_to_page(pfn));

		if (folio_ref_count(folio))
			return pfn;
		if (!(pfn % 4096))
			cond_resched();
	}
	return 0;
}
