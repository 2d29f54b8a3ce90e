// SPDX-License-Identifier: GPL-2.0
/*
 * The driver answers with a bare errno; a z/VM administrator needs to know
 * which segment, and what to do.  The meaning of each errno per operation
 * is the contract in Documentation/ABI/testing/sysfs-devices-dcssdax.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "daxinfo.h"
#include "device.h"
#include "errors.h"
#include "holders.h"
#include "mounts.h"
#include "sysfs.h"

/**
 * no_device - the message for a NAME that is no device
 * @name: the device name asked for
 *
 * Says why when dcssctl can tell: the module is not loaded (then no
 * device exists), or @name is a later segment of a device, which is
 * named by its first.
 */
void no_device(const char *name, char *buf, size_t len)
{
	char path[4096], owner[DCSS_NAME_MAX + 1];

	if (!dcss_path(path, sizeof(path), DCSS_CTL_DIR) && !path_exists(path))
		snprintf(buf, len,
			 "no device %s: the dcssdax module is not loaded (dcssctl add and dcssctl apply load it)",
			 name);
	else if (device_find_segment(name, owner))
		snprintf(buf, len,
			 "no device %s: segment %s is part of device %s, which is named by its first segment",
			 name, name, owner);
	else
		snprintf(buf, len, "no device %s", name);
}

/*
 * The kernel log since kmsg_mark(): the driver names there the segment
 * that another user of the guest holds.  -1: not marked, or no
 * /dev/kmsg to read (not root, or CONFIG_PRINTK off).
 */
static int kmsg_fd = -1;

void kmsg_mark(void)
{
	char path[4096];

	if (kmsg_fd >= 0)
		close(kmsg_fd);
	kmsg_fd = -1;
	if (dcss_path(path, sizeof(path), "/dev/kmsg"))
		return;
	kmsg_fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (kmsg_fd >= 0 && lseek(kmsg_fd, 0, SEEK_END) < 0) {
		close(kmsg_fd);
		kmsg_fd = -1;
	}
}

/*
 * The segment named by the last message since the mark that contains
 * @what and @dev: "DCSS <SEG> ..." as the driver writes it.  /dev/kmsg
 * gives one record per read ("PRI,SEQ,TS,FLAGS;TEXT\n"), a regular file
 * (the tests' root) all of it: lines either way.
 */
static bool kmsg_segment(const char *what, const char *dev, char *seg)
{
	char buf[8192 + 1], *line, *next, *text, *p;
	size_t have = 0;
	bool found = false;
	ssize_t n;

	if (kmsg_fd < 0)
		return false;
	for (;;) {
		n = read(kmsg_fd, buf + have, sizeof(buf) - 1 - have);
		if (n < 0 && errno == EPIPE)	/* overwritten: go on */
			continue;
		if (n <= 0)
			break;
		have += n;
		buf[have] = '\0';
		for (line = buf; (next = strchr(line, '\n')); line = next + 1) {
			*next = '\0';
			text = strchr(line, ';');
			text = text && line[0] != ' ' ? text + 1 : line;
			if (!strstr(text, what) || !strstr(text, dev))
				continue;
			p = strstr(text, "DCSS ");
			if (p && sscanf(p + 5, "%8[^ ]", seg) == 1)
				found = true;
		}
		/* a partial line waits for the next read */
		have = strlen(line);
		memmove(buf, line, have);
		if (have == sizeof(buf) - 1)
			have = 0;
	}
	return found;
}

/*
 * A segment of device @d that dcssblk (the other block driver for DCSS)
 * has loaded too: its devices' seglist files.  @blk gets the dcssblk
 * device's name.
 */
static bool dcssblk_holds(const struct dcss_device *d, char *seg, char *blk)
{
	char path[4096], list[DCSS_MAX_SEGMENTS * (DCSS_NAME_MAX + 1) + 1];
	char *tok, *save;
	struct dirent *de;
	bool found = false;
	DIR *dir;
	int i;

	if (dcss_path(path, sizeof(path), "/sys/devices/dcssblk"))
		return false;
	dir = opendir(path);
	if (!dir)
		return false;
	while (!found && (de = readdir(dir))) {
		if (de->d_name[0] == '.' || strlen(de->d_name) > DCSS_NAME_MAX ||
		    dcss_path(path, sizeof(path),
			      "/sys/devices/dcssblk/%s/seglist", de->d_name) ||
		    sysfs_read(path, list, sizeof(list)))
			continue;
		save = NULL;
		for (tok = strtok_r(list, "\n", &save); tok && !found;
		     tok = strtok_r(NULL, "\n", &save))
			for (i = 0; i < d->nr_segments; i++)
				if (!strcmp(tok, d->seg[i].name)) {
					strcpy(seg, tok);
					strcpy(blk, de->d_name);
					found = true;
					break;
				}
	}
	closedir(dir);
	return found;
}

/* Names of the module's "emulate" table, NAME:TYPE:START:SIZE,... */
static bool is_emulated(const char *seg)
{
	char path[4096], table[4096], *tok, *save = NULL, *colon;

	if (dcss_path(path, sizeof(path),
		      "/sys/module/dcssdax/parameters/emulate") ||
	    sysfs_read(path, table, sizeof(table)))
		return false;
	for (tok = strtok_r(table, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		colon = strchr(tok, ':');
		if (colon)
			*colon = '\0';
		if (!strcasecmp(tok, seg))
			return true;
	}
	return false;
}

/*
 * The driver cannot say which segment of a list failed.  Narrow it down
 * to the names that can fail that way: only extmem (z/VM) can lack a
 * segment, and only a name outside the emulation table gives ENODEV
 * (ENOSYS from extmem itself).
 */
static void culprits(const struct name_list *nl, bool want_extmem,
		     char *buf, size_t len)
{
	int i, n = 0, pick[DCSS_MAX_SEGMENTS];
	size_t off;

	for (i = 0; i < nl->nr; i++)
		if (!want_extmem || !is_emulated(nl->name[i]))
			pick[n++] = i;
	if (n == 0)
		for (i = 0; i < nl->nr; i++)
			pick[n++] = i;
	off = snprintf(buf, len, n == 1 ? "segment " : "one of the segments ");
	for (i = 0; i < n && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s", i ? ", " : "",
				nl->name[pick[i]]);
}

static void explain_add(const char *what, int err, char *buf, size_t len)
{
	char who[DCSS_MAX_SEGMENTS * (DCSS_NAME_MAX + 2) + 32];
	char owner[DCSS_NAME_MAX + 1];
	struct name_list nl;
	char dummy[128];
	int i;

	if (names_parse(what, &nl, dummy, sizeof(dummy))) {
		snprintf(buf, len, "segment list '%s': invalid (%s)", what,
			 dummy);
		return;
	}
	culprits(&nl, err == ENOENT || err == ENOSYS || err == ENODEV, who,
		 sizeof(who));
	switch (err) {
	case ENODEV:	/* dcssdax: not emulated, and no z/VM to ask */
	case ENOSYS:	/* extmem's own answer off z/VM */
		snprintf(buf, len,
			 "%s: not running under z/VM and no emulated segment of that name",
			 who);
		return;
	case ENOENT:
		snprintf(buf, len, "%s: no such DCSS defined in z/VM", who);
		return;
	case EPERM:
		snprintf(buf, len,
			 "%s: already loaded by this system in the other access mode (shared vs. exclusive), e.g. by dcssblk or a program; unload it there first",
			 who);
		return;
	case EBUSY:
		snprintf(buf, len,
			 "%s: overlaps a segment already loaded or memory in use by this guest",
			 who);
		return;
	case EEXIST:
		for (i = 0; i < nl.nr; i++) {
			if (device_find_segment(nl.name[i], owner)) {
				snprintf(buf, len,
					 "segment %s: already part of device %s",
					 nl.name[i], owner);
				return;
			}
		}
		snprintf(buf, len, "%s: already part of a dcssdax device", who);
		return;
	case EINVAL:
		if (nl.nr > 1)
			snprintf(buf, len,
				 "segments %s cannot form one device: each must start right after the previous one ends, and types may only be mixed among exclusive-writable types other than ER",
				 what);
		else
			snprintf(buf, len,
				 "segment %s: rejected by the driver as invalid",
				 what);
		return;
	case ENAMETOOLONG:
		snprintf(buf, len,
			 "segment list '%s': a name is empty or longer than 8 characters",
			 what);
		return;
	case ENOMEM:
		snprintf(buf, len,
			 "%s: not enough memory to map the segment (guest storage or kernel memory)",
			 who);
		return;
	case EIO:
		snprintf(buf, len,
			 "%s: z/VM reported an error loading the segment (see the kernel log)",
			 who);
		return;
	case EOPNOTSUPP:
		snprintf(buf, len,
			 "%s: a multi-part segment, which Linux cannot use",
			 who);
		return;
	case ERANGE:
		snprintf(buf, len,
			 "%s: lies beyond the address range this kernel can map",
			 who);
		return;
	}
	snprintf(buf, len, "adding %s failed: %s", what, strerror(err));
}

/* EBUSY: who holds the device open, if anyone can be seen to. */
static bool busy_opener(const char *name, const char *doing, char *buf,
			size_t len)
{
	struct dcss_device d;
	char who[1024];

	if (device_load(name, &d))
		d.dev[0] = '\0';
	if (d.dev[0] && mounts_targets(&d, who, sizeof(who)))
		snprintf(buf, len,
			 "device %s is mounted on %s; unmount it before %s",
			 name, who, doing);
	else if (d.dev[0] && device_holders(&d, who, sizeof(who)))
		snprintf(buf, len, "device %s is open by %s; close it before %s",
			 name, who, doing);
	else
		return false;
	return true;
}

/* EBUSY: say what holds the device, since that is what must be undone. */
static void explain_busy(const char *name, const char *doing, char *buf,
			 size_t len)
{
	if (!busy_opener(name, doing, buf, len))
		/* the driver's other EBUSY: pages pinned past munmap */
		snprintf(buf, len,
			 "device %s is open by another process (or a pipe or page pin still references its pages); close it before %s",
			 name, doing);
}

/*
 * EBUSY from <NAME>/shared (the driver's answer for z/VM's EAGAIN too):
 * the device is open, or a segment is also loaded by another user of
 * this guest (dcssblk, monreader, a program), and z/VM reloads a
 * segment in the other mode only while the guest has it loaded once
 * (Documentation/ABI/testing/sysfs-devices-dcssdax).  The kernel log of
 * this write names the segment; dcssblk's seglist files name its
 * device.
 */
static void explain_mode_busy(const char *name, bool excl, char *buf,
			      size_t len)
{
	char seg[DCSS_NAME_MAX + 1], blk[DCSS_NAME_MAX + 1], what[64];
	const char *to = excl ? "exclusive" : "shared";
	struct dcss_device d;
	bool have = !device_load(name, &d);

	snprintf(what, sizeof(what), "device %s keeps", name);
	if (have && dcssblk_holds(&d, seg, blk)) {
		snprintf(buf, len,
			 "device %s: segment %s is also loaded by dcssblk device %s of this guest, so z/VM cannot reload it %s; remove it there first (echo %s > /sys/devices/dcssblk/remove); the mode was not changed",
			 name, seg, blk, to, blk);
		return;
	}
	if (kmsg_segment("is in use by another user of this guest", what,
			 seg)) {
		snprintf(buf, len,
			 "device %s: segment %s is also loaded by another user of this guest (dcssblk, monreader or a program), so z/VM cannot reload it %s; unload it there first; the mode was not changed",
			 name, seg, to);
		return;
	}
	if (busy_opener(name, "changing its mode", buf, len))
		return;
	snprintf(buf, len,
		 "device %s is busy, but no mount or process holding it was found: a process had it open for a moment (such as udev's probe), a page of it is still pinned, or a segment is also loaded by another user of this guest (dcssblk, monreader or a program), which keeps z/VM from reloading it %s (the kernel log says so); the mode was not changed",
		 name, to);
}

/*
 * A mode switch that failed: the driver removes a device whose segments
 * it could not reload (@step says which), else the device is as it was.
 */
static void explain_switch_failed(const char *name, const char *step,
				  const char *mode, int err, char *buf,
				  size_t len)
{
	if (!device_exists(name))
		snprintf(buf, len,
			 "device %s: %s failed (%s); the driver removed the device",
			 name, step, strerror(err));
	else
		snprintf(buf, len, "device %s: changing to %s mode failed: %s",
			 name, mode, strerror(err));
}

static void explain_mode(const char *name, bool excl, int err, char *buf,
			 size_t len)
{
	struct dcss_device d;
	int i;

	switch (err) {
	case EBUSY:
	case EAGAIN:	/* the driver says EBUSY; z/VM's own answer */
		explain_mode_busy(name, excl, buf, len);
		return;
	case EINVAL:
		if (excl && !device_load(name, &d))
			for (i = 0; i < d.nr_segments; i++)
				if (!strcmp(d.seg[i].type, "SC")) {
					snprintf(buf, len,
						 "device %s: segment %s is of type SC (shared, CP-writable) and cannot be loaded exclusive",
						 name, d.seg[i].name);
					return;
				}
		snprintf(buf, len, "device %s: the driver rejected the mode %s",
			 name, excl ? "exclusive" : "shared");
		return;
	}
	explain_switch_failed(name, excl ? "reloading its segments exclusive" :
			      "reloading its segments shared",
			      excl ? "exclusive" : "shared", err, buf, len);
}

/**
 * devdax_refusal - why the driver refuses devdax mode, for its own errnos
 * @err: errno from the devdax file (@adding) or from writing devdax to
 *	<NAME>/mode
 * @adding: a new device, not a switch of an existing one
 *
 * Return: the sentence, or NULL for an errno that is not devdax's own.
 */
const char *devdax_refusal(int err, bool adding)
{
	switch (err) {
	case EROFS:
		return adding ?
			"a read-only segment cannot be a devdax device (device_dax cannot refuse writable mappings); add it in fsdax mode" :
			"it is read-only (an SR, ER or SC segment loaded shared) and device_dax cannot refuse writable mappings; make it exclusive first or keep it in fsdax mode";
	case EINVAL:
		return adding ?
			"devdax mode needs segments starting and ending on 2 MiB boundaries, or the names are invalid (see dmesg)" :
			"devdax mode needs segments starting and ending on 2 MiB boundaries";
	case EOPNOTSUPP:
		return "devdax mode is not possible here: a kernel without CONFIG_DEV_DAX, or z/VM segments, whose claim the driver cannot hand to device_dax yet";
	}
	return NULL;
}

/*
 * EBUSY from writing devdax to <NAME>/mode: the device is open, or a
 * segment is also loaded by another user of this guest, whose claim and
 * mapping device_dax cannot take over (the driver logs it, and the
 * device's dax_reason says so when the other user was first).
 */
static void explain_devdax_busy(const char *name, char *buf, size_t len)
{
	char seg[DCSS_NAME_MAX + 1], what[64];
	struct dcss_device d;
	bool have = !device_load(name, &d);
	const char *r;

	snprintf(what, sizeof(what), "%s: DCSS", name);
	if (kmsg_segment("is also loaded by another user of this guest", what,
			 seg) ||
	    (have && (r = strstr(d.dax_reason, "DCSS ")) &&
	     strstr(r, "also loaded by another user") &&
	     sscanf(r + 5, "%8[^ ]", seg) == 1)) {
		snprintf(buf, len,
			 "device %s: segment %s is also loaded by another user of this guest (dcssblk, monreader or a program), and a devdax device cannot share it; unload it there first, then remove and add the device; the mode was not changed",
			 name, seg);
		return;
	}
	explain_busy(name, "changing its mode", buf, len);
}

static void explain_dax_mode(const char *name, bool devdax, int err,
			     char *buf, size_t len)
{
	const char *why = devdax ? devdax_refusal(err, false) : NULL;
	struct dcss_devdax dd;

	if (why) {
		snprintf(buf, len, "device %s: %s", name, why);
		return;
	}
	if (err == EBUSY && !devdax) {
		/* in devdax mode: no block device to be open, a mapping */
		if (devdax_find(name, &dd) || !dd.chardev[0])
			snprintf(dd.chardev, sizeof(dd.chardev), "dax");
		snprintf(buf, len,
			 "device %s is mapped through /dev/%s (or a page of it is still pinned); unmap it before changing its mode",
			 name, dd.chardev);
		return;
	}
	if (err == EBUSY) {
		explain_devdax_busy(name, buf, len);
		return;
	}
	explain_switch_failed(name, devdax ? "switching to devdax mode" :
			      "switching to fsdax mode",
			      devdax ? "devdax" : "fsdax", err, buf, len);
}

void dcss_explain(enum dcss_op op, const char *what, int err, char *buf,
		  size_t len)
{
	/* Only opening the file fails so; the driver never returns them. */
	if (err == EACCES) {
		snprintf(buf, len,
			 "permission denied on the dcssdax control files; run dcssctl as root");
		return;
	}
	if (op != OP_ADD && op != OP_MODULE &&
	    (err == ENODEV || (err == ENOENT && !device_exists(what)))) {
		no_device(what, buf, len);
		return;
	}
	switch (op) {
	case OP_ADD:
		explain_add(what, err, buf, len);
		return;
	case OP_REMOVE:
		if (err == EBUSY)
			explain_busy(what, "removing it", buf, len);
		else if (err == ENAMETOOLONG)
			snprintf(buf, len, "'%s' is not a valid device name",
				 what);
		else
			snprintf(buf, len, "removing device %s failed: %s",
				 what, strerror(err));
		return;
	case OP_SHARED:
	case OP_EXCLUSIVE:
		explain_mode(what, op == OP_EXCLUSIVE, err, buf, len);
		return;
	case OP_FSDAX:
	case OP_DEVDAX:
		explain_dax_mode(what, op == OP_DEVDAX, err, buf, len);
		return;
	case OP_SAVE:
	case OP_CANCEL:
		if (err == EINVAL)
			snprintf(buf, len,
				 "device %s: the driver rejected the %s request",
				 what, op == OP_SAVE ? "save" : "cancel-save");
		else
			snprintf(buf, len, "device %s: %s failed: %s", what,
				 op == OP_SAVE ? "save" : "cancelling the save",
				 strerror(err));
		return;
	case OP_MODULE:
		if (err == ENOENT)
			snprintf(buf, len,
				 "the dcssdax kernel module is not installed for this kernel (modprobe finds no dcssdax)");
		else if (err == EPERM)
			snprintf(buf, len,
				 "not permitted to load the dcssdax kernel module; run dcssctl as root");
		else
			snprintf(buf, len,
				 "cannot load the dcssdax kernel module: %s",
				 strerror(err));
		return;
	}
	snprintf(buf, len, "%s: %s", what, strerror(err));
}
