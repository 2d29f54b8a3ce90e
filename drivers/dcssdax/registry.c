// SPDX-License-Identifier: GPL-2.0
/*
 * dcssdax - the registry: which devices exist, in which state, with which
 * segments, and how many of the module's objects are still to be
 * released.  The lowest layer of the driver: core.c changes what is
 * here, pgmap.c and the others only ask; nothing here calls up.
 */
#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/range.h>
#include <linux/string.h>
#include <linux/wait.h>

#include "dcssdax.h"

/*
 * dcssdax_lock protects dcssdax_devices, each device's state, shared,
 * save_pending and open_count, and the backends' load counts as dcssdax
 * sees them (a device's segments are loaded and unloaded under it).  It
 * is not held while sysfs files or disks are added or removed: kernfs
 * drains the writers of a file, and del_gendisk() the openers of a disk,
 * and both take it.  A device's segment list and range may be read by
 * whoever holds it and finds the device listed: they are built before
 * the device is listed and freed after it has left the list.
 * dcssdax_pieces_lock (pgmap.c) is taken before it, never inside it.
 */
DEFINE_MUTEX(dcssdax_lock);
static LIST_HEAD(dcssdax_devices);

/*
 * Bumped under dcssdax_lock whenever a device leaves the list or becomes
 * LIVE: module exit, finding only devices that someone else is building,
 * switching or destroying, waits for the next such change.
 */
static unsigned long dcssdax_settle_count;
static DECLARE_WAIT_QUEUE_HEAD(dcssdax_settle_wq);

/* Called with dcssdax_lock held: the device named @name, in any state. */
struct dcssdax_device *dcssdax_find_device(const char *name)
{
	struct dcssdax_device *ddev;

	lockdep_assert_held(&dcssdax_lock);
	list_for_each_entry(ddev, &dcssdax_devices, node)
		if (!strcmp(ddev->name, name))
			return ddev;
	return NULL;
}

/* Called with dcssdax_lock held; devices in every state own segments. */
struct dcssdax_device *dcssdax_find_segment_owner(const char *name)
{
	struct dcssdax_device *ddev;
	struct dcssdax_segment *seg;

	lockdep_assert_held(&dcssdax_lock);
	list_for_each_entry(ddev, &dcssdax_devices, node) {
		list_for_each_entry(seg, &ddev->segments, node) {
			dcssdax_test_point("owner_walk");
			if (!strcmp(seg->name, name))
				return ddev;
		}
	}
	return NULL;
}

/* Called with dcssdax_lock held: the first device that is LIVE. */
struct dcssdax_device *dcssdax_first_live(void)
{
	struct dcssdax_device *ddev;

	lockdep_assert_held(&dcssdax_lock);
	list_for_each_entry(ddev, &dcssdax_devices, node)
		if (ddev->state == DCSSDAX_LIVE)
			return ddev;
	return NULL;
}

/**
 * dcssdax_range_is_segment - is [@start, @end] inside a device's segment?
 * @start: first byte
 * @end: last byte
 * @with_pages: only count devices that have struct pages
 *
 * Called with dcssdax_lock held, by pgmap.c while it decides whether a
 * rounded span may get struct pages.
 *
 * Return: true when a listed device's segment holds the whole range.
 */
bool dcssdax_range_is_segment(unsigned long start, unsigned long end,
			      bool with_pages)
{
	struct dcssdax_device *ddev;
	struct dcssdax_segment *seg;

	lockdep_assert_held(&dcssdax_lock);
	list_for_each_entry(ddev, &dcssdax_devices, node)
		list_for_each_entry(seg, &ddev->segments, node)
			if (seg->start <= start && end <= seg->end &&
			    (!with_pages || ddev->nr_pieces))
				return true;
	return false;
}

/**
 * dcssdax_first_segment_within - the listed segment first in [@start, @end]
 * @start: first byte
 * @end: last byte
 * @out: the segment's range, clipped to [@start, @end]
 *
 * Called with dcssdax_lock held, by pgmap.c to walk the holes of a piece.
 *
 * Return: true when a listed device's segment overlaps [@start, @end];
 * @out is then the one whose clipped range starts lowest.
 */
bool dcssdax_first_segment_within(u64 start, u64 end, struct range *out)
{
	struct dcssdax_device *ddev;
	struct dcssdax_segment *seg;
	bool found = false;

	lockdep_assert_held(&dcssdax_lock);
	list_for_each_entry(ddev, &dcssdax_devices, node) {
		list_for_each_entry(seg, &ddev->segments, node) {
			u64 s = max_t(u64, seg->start, start);
			u64 e = min_t(u64, seg->end, end);

			if (s > e || (found && s >= out->start))
				continue;
			out->start = s;
			out->end = e;
			found = true;
		}
	}
	return found;
}

/* Called with dcssdax_lock held: @ddev, its segments loaded, is ADDING. */
void dcssdax_list_add(struct dcssdax_device *ddev)
{
	lockdep_assert_held(&dcssdax_lock);
	ddev->state = DCSSDAX_ADDING;
	list_add_tail(&ddev->node, &dcssdax_devices);
}

static void dcssdax_settled(void)
{
	dcssdax_settle_count++;
	wake_up_all(&dcssdax_settle_wq);
}

/* Called with dcssdax_lock held. */
void dcssdax_list_del(struct dcssdax_device *ddev)
{
	lockdep_assert_held(&dcssdax_lock);
	list_del_init(&ddev->node);
	dcssdax_settled();
}

/* Called with dcssdax_lock held. */
void dcssdax_set_state(struct dcssdax_device *ddev, enum dcssdax_state state)
{
	lockdep_assert_held(&dcssdax_lock);
	ddev->state = state;
	if (state == DCSSDAX_LIVE)
		dcssdax_settled();
}

/* Called with dcssdax_lock held. */
bool dcssdax_no_devices(void)
{
	lockdep_assert_held(&dcssdax_lock);
	return list_empty(&dcssdax_devices);
}

/* Called with dcssdax_lock held: a mark for dcssdax_settle_wait(). */
unsigned long dcssdax_settle_mark(void)
{
	lockdep_assert_held(&dcssdax_lock);
	return dcssdax_settle_count;
}

/*
 * Called without dcssdax_lock: sleep until a device left the list or
 * became LIVE after dcssdax_settle_mark() gave @mark.
 */
void dcssdax_settle_wait(unsigned long mark)
{
	/* Idle, not hung: the other side may be paused by a test, or slow. */
	wait_event_idle(dcssdax_settle_wq,
			READ_ONCE(dcssdax_settle_count) != mark);
}

/*
 * Release functions of the module's objects (devices and their segments)
 * can run after the driver's last put: a kobject lives as long as anyone
 * holds a reference to it, and CONFIG_DEBUG_KOBJECT_RELEASE delays every
 * release on purpose.  (It is not the children or the gendisk that keep
 * a device: device_del() drops the references they hold on their parent.)
 * So the module counts the objects whose release is still to come, and
 * exit waits for them before the code of those release functions and
 * the ida go away.
 */
static atomic_t dcssdax_unreleased = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(dcssdax_released_wq);

/**
 * dcssdax_release_pending - count an object whose release is to come
 *
 * Its release function must end with dcssdax_released().
 */
void dcssdax_release_pending(void)
{
	atomic_inc(&dcssdax_unreleased);
}

/**
 * dcssdax_released - the last thing a release function of the module does
 */
void dcssdax_released(void)
{
	if (atomic_dec_and_test(&dcssdax_unreleased))
		wake_up(&dcssdax_released_wq);
}

/* Module exit: wait until every counted object has been released. */
void dcssdax_wait_released(void)
{
	wait_event(dcssdax_released_wq, !atomic_read(&dcssdax_unreleased));
}
