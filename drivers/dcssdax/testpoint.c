// SPDX-License-Identifier: GPL-2.0
/*
 * dcssdax - test points (CONFIG_DCSSDAX_TEST only): named places in the
 * lifecycle where a test can make the next pass fail with an errno, or
 * stop the task that gets there until the test lets it go on.  Races and
 * error paths are then forced in a chosen order rather than hoped for.
 *
 * /sys/kernel/debug/dcssdax/
 *   fail     write "POINT ERRNO [NTH]": the NTH pass (default 1) returns
 *            -ERRNO; read: what is armed
 *   pause    write "POINT": the next task to pass POINT waits there;
 *            read: a line "POINT armed" or "POINT waiting" per point
 *   resume   write "POINT": the task waiting there goes on
 *   hits     read: how often each point was passed since load
 *   emulated the emulated segment table with load counts and modes
 *   hold     write "NAME shared|exclusive" to load an emulated segment as
 *            another user of the guest would (as dcssblk or monreader
 *            beside dcssdax), "-NAME" to drop that load
 *   pin      write "PFN" to take a reference on that page, "-PFN" to drop
 *            it, as a pipe or a GUP user would hold a DAX page
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/errno.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "dcssdax.h"

#define TP_NAME_LEN	32
#define TP_MAX_FAIL	8
#define TP_MAX_HITS	48
#define TP_MAX_PINS	16
#define TP_MAX_PAUSE	4
/* A test that forgets to resume must not hang the guest for ever. */
#define TP_PAUSE_LIMIT	(120 * HZ)

struct tp_fail {
	char name[TP_NAME_LEN];
	int err;
	unsigned int nth;
};

struct tp_pause {
	char name[TP_NAME_LEN];
	bool waiting;
	struct completion resumed;
};

struct tp_hit {
	char name[TP_NAME_LEN];
	unsigned long count;
};

/*
 * Protects every table below; nothing sleeps under it.  A paused task
 * sleeps on its slot's completion with the lock dropped; the slot stays
 * taken (name set) until that task has gone on.
 */
static DEFINE_SPINLOCK(tp_lock);
static struct tp_fail tp_fails[TP_MAX_FAIL];
static struct tp_hit tp_hits[TP_MAX_HITS];
static struct tp_pause tp_pauses[TP_MAX_PAUSE];
static struct page *tp_pins[TP_MAX_PINS];
static struct dentry *tp_dir;

static void tp_count(const char *name)
{
	int i;

	for (i = 0; i < TP_MAX_HITS; i++) {
		if (!tp_hits[i].name[0])
			strscpy(tp_hits[i].name, name);
		if (!strcmp(tp_hits[i].name, name)) {
			tp_hits[i].count++;
			return;
		}
	}
}

/**
 * dcssdax_test_point - a named place a test can make fail or stop
 * @name: the point's name, unique in the driver
 *
 * Return: 0, or the negative errno the test armed for this pass.
 */
int dcssdax_test_point(const char *name)
{
	struct tp_pause *pause = NULL;
	int i, err = 0;

	spin_lock(&tp_lock);
	tp_count(name);
	for (i = 0; i < TP_MAX_FAIL; i++) {
		struct tp_fail *f = &tp_fails[i];

		if (!f->name[0] || strcmp(f->name, name) || --f->nth)
			continue;
		err = f->err;
		f->name[0] = '\0';
		break;
	}
	for (i = 0; i < TP_MAX_PAUSE; i++) {
		if (!tp_pauses[i].waiting && !strcmp(tp_pauses[i].name, name)) {
			pause = &tp_pauses[i];
			pause->waiting = true;
			reinit_completion(&pause->resumed);
			break;
		}
	}
	spin_unlock(&tp_lock);

	if (pause) {
		pr_info("test point %s: paused\n", name);
		/* Killable: a paused task is not a hung task. */
		if (wait_for_completion_killable_timeout(&pause->resumed,
							 TP_PAUSE_LIMIT) <= 0)
			pr_err("test point %s: not resumed in time (or killed), going on\n",
			       name);
		spin_lock(&tp_lock);
		pause->waiting = false;
		pause->name[0] = '\0';
		spin_unlock(&tp_lock);
		pr_info("test point %s: resumed\n", name);
	}
	if (err)
		pr_info("test point %s: failing with %d\n", name, err);
	return err;
}

/* Copy a short write from user space as a NUL-terminated, trimmed line. */
static ssize_t tp_read_line(char *line, size_t size, const char __user *ubuf,
			    size_t count)
{
	if (!count || count >= size)
		return -EINVAL;
	if (copy_from_user(line, ubuf, count))
		return -EFAULT;
	line[count] = '\0';
	strim(line);
	return count;
}

static ssize_t fail_write(struct file *file, const char __user *ubuf,
			  size_t count, loff_t *ppos)
{
	char line[TP_NAME_LEN + 32], name[TP_NAME_LEN];
	unsigned int nth = 1;
	int err, n, i;
	ssize_t rc;

	rc = tp_read_line(line, sizeof(line), ubuf, count);
	if (rc < 0)
		return rc;
	n = sscanf(line, "%31s %d %u", name, &err, &nth);
	if (n < 2 || err <= 0 || err >= MAX_ERRNO || !nth)
		return -EINVAL;
	spin_lock(&tp_lock);
	for (i = 0; i < TP_MAX_FAIL && tp_fails[i].name[0]; i++)
		;
	if (i < TP_MAX_FAIL) {
		strscpy(tp_fails[i].name, name);
		tp_fails[i].err = -err;
		tp_fails[i].nth = nth;
	}
	spin_unlock(&tp_lock);
	return i < TP_MAX_FAIL ? count : -ENOSPC;
}

static int fail_show(struct seq_file *m, void *v)
{
	int i;

	spin_lock(&tp_lock);
	for (i = 0; i < TP_MAX_FAIL; i++)
		if (tp_fails[i].name[0])
			seq_printf(m, "%s %d %u\n", tp_fails[i].name,
				   -tp_fails[i].err, tp_fails[i].nth);
	spin_unlock(&tp_lock);
	return 0;
}

DEFINE_SHOW_STORE_ATTRIBUTE(fail);

static ssize_t pause_write(struct file *file, const char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	char line[TP_NAME_LEN];
	ssize_t rc;
	int i;

	rc = tp_read_line(line, sizeof(line), ubuf, count);
	if (rc < 0)
		return rc;
	spin_lock(&tp_lock);
	for (i = 0; i < TP_MAX_PAUSE && tp_pauses[i].name[0]; i++)
		;
	if (i < TP_MAX_PAUSE)
		strscpy(tp_pauses[i].name, line);
	spin_unlock(&tp_lock);
	return i < TP_MAX_PAUSE ? count : -ENOSPC;
}

static int pause_show(struct seq_file *m, void *v)
{
	int i;

	spin_lock(&tp_lock);
	for (i = 0; i < TP_MAX_PAUSE; i++)
		if (tp_pauses[i].name[0])
			seq_printf(m, "%s %s\n", tp_pauses[i].name,
				   tp_pauses[i].waiting ? "waiting" : "armed");
	spin_unlock(&tp_lock);
	return 0;
}

DEFINE_SHOW_STORE_ATTRIBUTE(pause);

static ssize_t resume_write(struct file *file, const char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	char line[TP_NAME_LEN];
	ssize_t rc;
	int i;

	rc = tp_read_line(line, sizeof(line), ubuf, count);
	if (rc < 0)
		return rc;
	spin_lock(&tp_lock);
	for (i = 0; i < TP_MAX_PAUSE; i++)
		if (tp_pauses[i].waiting && !strcmp(tp_pauses[i].name, line))
			break;
	if (i < TP_MAX_PAUSE)
		complete(&tp_pauses[i].resumed);
	spin_unlock(&tp_lock);
	return i < TP_MAX_PAUSE ? count : -ENOENT;
}

static const struct file_operations resume_fops = {
	.write		= resume_write,
};

static int hits_show(struct seq_file *m, void *v)
{
	int i;

	spin_lock(&tp_lock);
	for (i = 0; i < TP_MAX_HITS && tp_hits[i].name[0]; i++)
		seq_printf(m, "%s %lu\n", tp_hits[i].name, tp_hits[i].count);
	spin_unlock(&tp_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hits);

static ssize_t hold_write(struct file *file, const char __user *ubuf,
			  size_t count, loff_t *ppos)
{
	char line[32], name[DCSSDAX_NAME_LEN + 2], mode[16];
	ssize_t rc;
	int err;

	rc = tp_read_line(line, sizeof(line), ubuf, count);
	if (rc < 0)
		return rc;
	if (line[0] == '-') {
		err = dcssdax_emul_hold(line + 1, -1);
	} else {
		if (sscanf(line, "%9s %15s", name, mode) != 2)
			return -EINVAL;
		if (!strcmp(mode, "shared"))
			err = dcssdax_emul_hold(name, DCSSDAX_SHARED);
		else if (!strcmp(mode, "exclusive"))
			err = dcssdax_emul_hold(name, DCSSDAX_EXCLUSIVE);
		else
			err = -EINVAL;
	}
	return err ? err : count;
}

static const struct file_operations hold_fops = {
	.write		= hold_write,
};

static int emulated_show(struct seq_file *m, void *v)
{
	dcssdax_emul_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(emulated);

static ssize_t pin_write(struct file *file, const char __user *ubuf,
			 size_t count, loff_t *ppos)
{
	struct page *page;
	unsigned long pfn;
	bool drop = false;
	char line[32];
	ssize_t rc;
	int i;

	rc = tp_read_line(line, sizeof(line), ubuf, count);
	if (rc < 0)
		return rc;
	if (line[0] == '-')
		drop = true;
	if (kstrtoul(line + drop, 0, &pfn) || !pfn_valid(pfn))
		return -EINVAL;
	page = pfn_to_page(pfn);
	if (!drop && !is_zone_device_page(page))
		return -EINVAL;
	spin_lock(&tp_lock);
	for (i = 0; i < TP_MAX_PINS; i++)
		if (drop ? tp_pins[i] == page : !tp_pins[i])
			break;
	if (i < TP_MAX_PINS)
		tp_pins[i] = drop ? NULL : page;
	spin_unlock(&tp_lock);
	if (i == TP_MAX_PINS)
		return drop ? -ENOENT : -ENOSPC;
	/* A free fs-dax folio has no references; get_page() wants one. */
	if (drop)
		put_page(page);
	else
		folio_ref_inc(page_folio(page));
	return count;
}

static const struct file_operations pin_fops = {
	.write		= pin_write,
};

/**
 * dcssdax_test_init - create the debugfs files, arm the pause points named
 * @pause: comma-separated points to arm before anything runs (the module
 *	parameter test_pause), so that module init itself can be stopped
 */
void dcssdax_test_init(const char *pause)
{
	char *copy, *cursor, *name;
	int i = 0;

	for (i = 0; i < TP_MAX_PAUSE; i++)
		init_completion(&tp_pauses[i].resumed);
	copy = kstrdup(pause, GFP_KERNEL);
	cursor = copy;
	i = 0;
	while (cursor && (name = strsep(&cursor, ",")) && i < TP_MAX_PAUSE)
		if (*name)
			strscpy(tp_pauses[i++].name, name);
	kfree(copy);
	tp_dir = debugfs_create_dir(DCSSDAX_NAME, NULL);
	debugfs_create_file("fail", 0600, tp_dir, NULL, &fail_fops);
	debugfs_create_file("pause", 0600, tp_dir, NULL, &pause_fops);
	debugfs_create_file("resume", 0200, tp_dir, NULL, &resume_fops);
	debugfs_create_file("hits", 0400, tp_dir, NULL, &hits_fops);
	debugfs_create_file("hold", 0200, tp_dir, NULL, &hold_fops);
	debugfs_create_file("emulated", 0400, tp_dir, NULL, &emulated_fops);
	debugfs_create_file("pin", 0200, tp_dir, NULL, &pin_fops);
	pr_info("test build: fault and pause points in debugfs\n");
}

void dcssdax_test_exit(void)
{
	int i;

	debugfs_remove_recursive(tp_dir);
	for (i = 0; i < TP_MAX_PAUSE; i++)
		complete_all(&tp_pauses[i].resumed);
}
