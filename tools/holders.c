// SPDX-License-Identifier: GPL-2.0
/*
 * Who holds a device open, for the message of an EBUSY that is not a
 * mount: devices stacked on it (its holders/ in sysfs: dm, md) and
 * processes with a file descriptor on it (/proc/PID/fd, as fuser finds
 * them).  Without root most processes' fds cannot be read, so finding
 * nobody does not mean nobody has it open.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "holders.h"
#include "sysfs.h"

#define MAX_NAMED	8	/* the message names this many holders */

struct holders {
	char *buf;
	size_t len, off;
	int nr;
};

static void holders_add(struct holders *h, const char *fmt, const char *a,
			const char *b)
{
	if (h->nr++ >= MAX_NAMED || h->off >= h->len)
		return;
	h->off += snprintf(h->buf + h->off, h->len - h->off, "%s",
			   h->nr > 1 ? ", " : "");
	if (h->off < h->len)
		h->off += snprintf(h->buf + h->off, h->len - h->off, fmt, a, b);
}

static void stacked_devices(const struct dcss_device *d, struct holders *h)
{
	char path[4096];
	struct dirent *de;
	DIR *dir;

	if (dcss_path(path, sizeof(path), DCSS_CTL_DIR "/%s/block/%s/holders",
		      d->name, d->dev))
		return;
	dir = opendir(path);
	if (!dir)
		return;
	while ((de = readdir(dir)))
		if (de->d_name[0] != '.')
			holders_add(h, "device %s%s", de->d_name, "");
	closedir(dir);
}

/*
 * An fd's link names the node as the process opened it, resolved:
 * /dev/dcssdaxN for /dev/dcssdax/NAME too.  The paths are the running
 * system's, never under the root prefix (as in mountinfo); a node that
 * stat() shows as the device counts too (another mount namespace).
 */
static bool fd_is_device(const char *fd, const struct dcss_device *d,
			 const char *node)
{
	char target[4096];
	struct stat st;
	ssize_t n;

	n = readlink(fd, target, sizeof(target) - 1);
	if (n < 0)
		return false;
	target[n] = '\0';
	if (!strcmp(target, node))
		return true;
	return d->devno && !dcss_root()[0] && !stat(fd, &st) &&
	       S_ISBLK(st.st_mode) && st.st_rdev == d->devno;
}

static bool process_has_device(const char *pid, const struct dcss_device *d,
			       const char *node)
{
	char path[4096], fd[4096 + 256];
	struct dirent *de;
	bool found = false;
	DIR *dir;

	if (dcss_path(path, sizeof(path), "/proc/%s/fd", pid))
		return false;
	dir = opendir(path);
	if (!dir)
		return false;
	while (!found && (de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(fd, sizeof(fd), "%s/%s", path, de->d_name);
		found = fd_is_device(fd, d, node);
	}
	closedir(dir);
	return found;
}

static void processes(const struct dcss_device *d, struct holders *h)
{
	char path[4096], node[64], comm[64];
	struct dirent *de;
	char self[32];
	DIR *dir;

	snprintf(node, sizeof(node), "/dev/%s", d->dev);
	snprintf(self, sizeof(self), "%d", (int)getpid());
	if (dcss_path(path, sizeof(path), "/proc"))
		return;
	dir = opendir(path);
	if (!dir)
		return;
	while ((de = readdir(dir))) {
		if (!isdigit((unsigned char)de->d_name[0]) ||
		    !strcmp(de->d_name, self) ||
		    !process_has_device(de->d_name, d, node))
			continue;
		comm[0] = '\0';
		if (!dcss_path(path, sizeof(path), "/proc/%s/comm",
			       de->d_name))
			sysfs_read(path, comm, sizeof(comm));
		holders_add(h, "process %s (%s)", de->d_name,
			    comm[0] ? comm : "?");
	}
	closedir(dir);
}

/*
 * "process 1234 (dd), device dm-0" into @buf.
 * Return: the number of holders found.
 */
int device_holders(const struct dcss_device *d, char *buf, size_t len)
{
	struct holders h = { .buf = buf, .len = len };

	buf[0] = '\0';
	if (!d->dev[0])
		return 0;
	stacked_devices(d, &h);
	processes(d, &h);
	if (h.nr > MAX_NAMED && h.off < len)
		snprintf(buf + h.off, len - h.off, " and %d more",
			 h.nr - MAX_NAMED);
	return h.nr;
}
