// SPDX-License-Identifier: GPL-2.0
/*
 * udevsock PATH: stand in for a running udevd in the host tests, a
 * SOCK_SEQPACKET socket listening at PATH (udevd's control socket) until
 * killed.  udevsock --stale PATH: the socket a udevd that exited left
 * behind: bound, not listening (connect gets ECONNREFUSED), then exit.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int stale = argc == 3 && !strcmp(argv[1], "--stale");
	const char *path = argv[argc - 1];
	int fd;

	if (argc != 2 + stale || strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "usage: udevsock [--stale] PATH\n");
		return 2;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    (!stale && listen(fd, 8))) {
		perror(path);
		return 1;
	}
	if (stale)
		return 0;
	/* Ready: the caller waits for this line before going on. */
	printf("listening\n");
	fflush(stdout);
	for (;;)
		pause();
}
