// SPDX-License-Identifier: GPL-2.0
/*
 * LD_PRELOAD shim standing in for the kernel in dcssctl's host tests, so
 * that dcssctl itself carries no test hooks.  A plain file cannot fail a
 * write with an errno the way a sysfs attribute does; this makes it:
 *
 *   FAKE_ERRNO_PATH=<file> FAKE_ERRNO=<EBUSY|16>
 *	write() on that file fails with that errno.
 *   FAKE_KERNEL=<program>
 *	write() on a file under $DCSSCTL_ROOT/sys/ runs
 *	"<program> <path> <data>" instead of writing; its exit status is the
 *	errno to fail with (0: success).  It models the driver.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const struct { const char *name; int err; } errnos[] = {
	{ "EPERM", EPERM }, { "ENOENT", ENOENT }, { "EIO", EIO },
	{ "EAGAIN", EAGAIN }, { "ENOMEM", ENOMEM }, { "EACCES", EACCES },
	{ "EBUSY", EBUSY }, { "EEXIST", EEXIST }, { "ENODEV", ENODEV },
	{ "EINVAL", EINVAL }, { "ERANGE", ERANGE },
	{ "ENAMETOOLONG", ENAMETOOLONG }, { "ENOSYS", ENOSYS },
	{ "EOPNOTSUPP", EOPNOTSUPP },
};

static int parse_errno(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (!strcmp(errnos[i].name, s))
			return errnos[i].err;
	return atoi(s);
}

static int fd_path(int fd, char *path, size_t len)
{
	char link[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, len - 1);
	if (n < 0)
		return -1;
	path[n] = '\0';
	return 0;
}

static int run_kernel(const char *prog, const char *path, const void *buf,
		      size_t count)
{
	char *data = strndup(buf, count);
	int status;
	pid_t pid;

	if (!data)
		return ENOMEM;
	pid = fork();
	if (pid == 0) {
		/* the model writes files itself; it must not recurse */
		unsetenv("LD_PRELOAD");
		execl(prog, prog, path, data, (char *)NULL);
		_exit(127);
	}
	free(data);
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return EIO;
	return WEXITSTATUS(status);
}

ssize_t write(int fd, const void *buf, size_t count)
{
	static ssize_t (*real_write)(int, const void *, size_t);
	const char *fail = getenv("FAKE_ERRNO_PATH");
	const char *kernel = getenv("FAKE_KERNEL");
	const char *root = getenv("DCSSCTL_ROOT");
	char path[4096], sys[4096];
	int err;

	if (!real_write)
		real_write = (ssize_t (*)(int, const void *, size_t))
			dlsym(RTLD_NEXT, "write");
	if (fd <= 2 || fd_path(fd, path, sizeof(path)))
		return real_write(fd, buf, count);
	if (fail && !strcmp(path, fail)) {
		errno = parse_errno(getenv("FAKE_ERRNO") ?: "EIO");
		return -1;
	}
	snprintf(sys, sizeof(sys), "%s/sys/", root ?: "");
	if (kernel && !strncmp(path, sys, strlen(sys))) {
		err = run_kernel(kernel, path, buf, count);
		if (err) {
			errno = err;
			return -1;
		}
		return count;
	}
	return real_write(fd, buf, count);
}
