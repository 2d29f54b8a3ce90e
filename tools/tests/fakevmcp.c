// SPDX-License-Identifier: GPL-2.0
/*
 * LD_PRELOAD shim standing in for the kernel's vmcp driver in dcssctl's
 * host tests, so that dcssctl runs its real /dev/vmcp code (open, the
 * VMCP_SETBUF/GETCODE/GETSIZE ioctls, write, read) with no test hooks:
 *
 *   FAKE_CP=<program>
 *	open() of $DCSSCTL_ROOT/dev/vmcp gives a session; write() of a
 *	command runs "<program> <command>": its stdout is CP's response,
 *	its exit status CP's return code.  It models CP.
 *
 * Without FAKE_CP nothing is intercepted: a missing dev/vmcp is ENOENT,
 * a plain file there fails the ioctls with ENOTTY, as on a real system.
 * The driver's rules are kept: a command of at most 240 bytes, a
 * response cut to the buffer (VMCP_GETSIZE gives its full size), the
 * buffer from 1 byte to 1 MiB.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define VMCP_GETCODE	_IOR(0x10, 1, int)
#define VMCP_SETBUF	_IOW(0x10, 2, int)
#define VMCP_GETSIZE	_IOR(0x10, 3, int)

static int session_fd = -1;
static int bufsize = 4096, resp_code, resp_size;
static char *response;
static size_t resp_pos;

static bool is_vmcp(const char *path)
{
	const char *root = getenv("DCSSCTL_ROOT");
	char want[4096];

	if (!getenv("FAKE_CP"))
		return false;
	snprintf(want, sizeof(want), "%s/dev/vmcp", root ?: "");
	return !strcmp(path, want);
}

static int open_session(void)
{
	static int (*real_open)(const char *, int, ...);

	if (!real_open)
		real_open = (int (*)(const char *, int, ...))
			dlsym(RTLD_NEXT, "open");
	if (session_fd >= 0) {
		errno = EBUSY;	/* one session is all dcssctl needs */
		return -1;
	}
	session_fd = real_open("/dev/null", O_RDWR | O_CLOEXEC);
	bufsize = 4096;
	free(response);
	response = NULL;
	return session_fd;
}

int open(const char *path, int flags, ...)
{
	static int (*real_open)(const char *, int, ...);
	va_list ap;
	mode_t mode;

	if (is_vmcp(path))
		return open_session();
	if (!real_open)
		real_open = (int (*)(const char *, int, ...))
			dlsym(RTLD_NEXT, "open");
	va_start(ap, flags);
	mode = va_arg(ap, mode_t);
	va_end(ap);
	return real_open(path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
	static int (*real_open64)(const char *, int, ...);
	va_list ap;
	mode_t mode;

	if (is_vmcp(path))
		return open_session();
	if (!real_open64)
		real_open64 = (int (*)(const char *, int, ...))
			dlsym(RTLD_NEXT, "open64");
	va_start(ap, flags);
	mode = va_arg(ap, mode_t);
	va_end(ap);
	return real_open64(path, flags, mode);
}

/* Runs the model: "<FAKE_CP> <command>", its stdout the response. */
static int run_cp(const char *cmd)
{
	int pipefd[2], status;
	size_t cap = 65536, len = 0;
	char *buf;
	ssize_t n;
	pid_t pid;

	buf = malloc(cap);
	if (!buf || pipe(pipefd) < 0) {
		free(buf);
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		unsetenv("LD_PRELOAD");
		dup2(pipefd[1], 1);
		close(pipefd[0]);
		close(pipefd[1]);
		execl(getenv("FAKE_CP"), getenv("FAKE_CP"), cmd, (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	while ((n = read(pipefd[0], buf + len, cap - len)) > 0) {
		len += n;
		if (len == cap) {
			char *more = realloc(buf, cap * 2);

			if (!more)
				break;
			buf = more;
			cap *= 2;
		}
	}
	close(pipefd[0]);
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status)) {
		free(buf);
		return -1;
	}
	free(response);
	response = buf;
	resp_size = len;
	resp_code = WEXITSTATUS(status);
	resp_pos = 0;
	return 0;
}

ssize_t write(int fd, const void *buf, size_t count)
{
	static ssize_t (*real_write)(int, const void *, size_t);
	char *cmd;

	if (!real_write)
		real_write = (ssize_t (*)(int, const void *, size_t))
			dlsym(RTLD_NEXT, "write");
	if (fd < 0 || fd != session_fd)
		return real_write(fd, buf, count);
	if (count > 240) {
		errno = EINVAL;
		return -1;
	}
	cmd = strndup(buf, count);
	if (!cmd || run_cp(cmd)) {
		free(cmd);
		errno = ENOMEM;
		return -1;
	}
	free(cmd);
	return count;
}

ssize_t read(int fd, void *buf, size_t count)
{
	static ssize_t (*real_read)(int, void *, size_t);
	size_t size;

	if (!real_read)
		real_read = (ssize_t (*)(int, void *, size_t))
			dlsym(RTLD_NEXT, "read");
	if (fd < 0 || fd != session_fd)
		return real_read(fd, buf, count);
	if (!response)
		return 0;
	size = (size_t)resp_size < (size_t)bufsize ? (size_t)resp_size :
						     (size_t)bufsize;
	if (resp_pos >= size)
		return 0;
	if (count > size - resp_pos)
		count = size - resp_pos;
	memcpy(buf, response + resp_pos, count);
	resp_pos += count;
	return count;
}

int ioctl(int fd, unsigned long req, ...)
{
	static int (*real_ioctl)(int, unsigned long, ...);
	va_list ap;
	int *arg;

	va_start(ap, req);
	arg = va_arg(ap, int *);
	va_end(ap);
	if (!real_ioctl)
		real_ioctl = (int (*)(int, unsigned long, ...))
			dlsym(RTLD_NEXT, "ioctl");
	if (fd < 0 || fd != session_fd)
		return real_ioctl(fd, req, arg);
	switch (req) {
	case VMCP_GETCODE:
		*arg = resp_code;
		return 0;
	case VMCP_GETSIZE:
		*arg = resp_size;
		return 0;
	case VMCP_SETBUF:
		free(response);
		response = NULL;
		if (*arg <= 0 || *arg > (1 << 20)) {
			bufsize = 4096;
			errno = EINVAL;
			return -1;
		}
		bufsize = *arg;
		return 0;
	default:
		errno = ENOTTY;
		return -1;
	}
}

int close(int fd)
{
	static int (*real_close)(int);

	if (!real_close)
		real_close = (int (*)(int))dlsym(RTLD_NEXT, "close");
	if (fd >= 0 && fd == session_fd) {
		session_fd = -1;
		free(response);
		response = NULL;
	}
	return real_close(fd);
}
