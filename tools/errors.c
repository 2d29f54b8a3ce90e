// SPDX-License-Identifier: GPL-2.0
/*
 * The driver answers with a bare errno; a z/VM administrator needs to know
 * which segment, and what to do.  The meaning of each errno per operation
 * is the contract in Documentation/ABI/testing/sysfs-devices-dcssdax.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "daxinfo.h"
#include "device.h"
#include "errors.h"
#include "holders.h"
#include "mounts.h"
#include "sysfs.h"

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

/* EBUSY: say what holds the device, since that is what must be undone. */
static void explain_busy(const char *name, const char *doing, char *buf,
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
		/* the driver's other EBUSY: pages pinned past munmap */
		snprintf(buf, len,
			 "device %s is open by another process (or a pipe or page pin still references its pages); close it before %s",
			 name, doing);
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
		explain_busy(name, "changing its mode", buf, len);
		return;
	case EAGAIN:
		snprintf(buf, len,
			 "device %s: a segment is in use by another guest in the other mode; the mode was not changed",
			 name);
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
		explain_busy(name, "changing its mode", buf, len);
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
		snprintf(buf, len, "no device %s", what);
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
