// SPDX-License-Identifier: GPL-2.0
/*
 * dcssdax - block I/O: a memcpy to or from the segment per bio segment.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/highmem.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "dcssdax.h"

static blk_status_t dcssdax_do_bvecs(struct dcssdax_device *ddev,
				     struct bio *bio)
{
	bool write = op_is_write(bio_op(bio));
	struct bvec_iter iter;
	struct bio_vec bvec;

	bio_for_each_segment(bvec, bio, iter) {
		void *mem = ddev->kaddr + (iter.bi_sector << SECTOR_SHIFT);
		void *buf = bvec_kmap_local(&bvec);

		if (write)
			memcpy(mem, buf, bvec.bv_len);
		else
			memcpy(buf, mem, bvec.bv_len);
		kunmap_local(buf);
	}
	return BLK_STS_OK;
}

/* Gigabytes at a time must not hold the CPU: zero 1 MiB, then yield. */
static void dcssdax_zero(void *mem, u64 len)
{
	while (len) {
		u64 chunk = min_t(u64, len, SZ_1M);

		memset(mem, 0, chunk);
		mem += chunk;
		len -= chunk;
		cond_resched();
	}
}

static void dcssdax_submit_bio(struct bio *bio)
{
	struct dcssdax_device *ddev = bio->bi_bdev->bd_disk->private_data;
	u64 offset = (u64)bio->bi_iter.bi_sector << SECTOR_SHIFT;
	blk_status_t status = BLK_STS_OK;

	switch (bio_op(bio)) {
	case REQ_OP_READ:
	case REQ_OP_WRITE:
	case REQ_OP_WRITE_ZEROES:
		break;
	case REQ_OP_FLUSH:
		/* Stores to segment memory are visible at once. */
		goto done;
	default:
		status = BLK_STS_NOTSUPP;
		goto done;
	}
	if (offset + bio->bi_iter.bi_size > dcssdax_size(ddev)) {
		status = BLK_STS_IOERR;
		goto done;
	}
	if (op_is_write(bio_op(bio)) && dcssdax_readonly(ddev)) {
		pr_warn_ratelimited("Writing to %s failed because it is a read-only device\n",
				    ddev->name);
		status = BLK_STS_IOERR;
		goto done;
	}
	if (bio_op(bio) == REQ_OP_WRITE_ZEROES)
		dcssdax_zero(ddev->kaddr + offset, bio->bi_iter.bi_size);
	else
		status = dcssdax_do_bvecs(ddev, bio);
done:
	bio->bi_status = status;
	bio_endio(bio);
}

static int dcssdax_open(struct gendisk *disk, blk_mode_t mode)
{
	struct dcssdax_device *ddev = disk->private_data;
	int rc = 0;

	mutex_lock(&dcssdax_lock);
	if (ddev->state == DCSSDAX_DYING)
		rc = -ENXIO;
	else if (ddev->state == DCSSDAX_SWITCHING)
		rc = -EBUSY;
	else
		ddev->open_count++;
	mutex_unlock(&dcssdax_lock);
	return rc;
}

/* A save requested while the device was busy happens on last close. */
static void dcssdax_release(struct gendisk *disk)
{
	struct dcssdax_device *ddev = disk->private_data;

	mutex_lock(&dcssdax_lock);
	if (--ddev->open_count == 0 && ddev->save_pending) {
		pr_info("Device %s has become idle and is being saved now\n",
			ddev->name);
		dcssdax_segments_save(ddev);
		ddev->save_pending = false;
	}
	mutex_unlock(&dcssdax_lock);
}

const struct block_device_operations dcssdax_fops = {
	.owner		= THIS_MODULE,
	.submit_bio	= dcssdax_submit_bio,
	.open		= dcssdax_open,
	.release	= dcssdax_release,
};
