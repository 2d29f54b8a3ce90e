// SPDX-License-Identifier: GPL-2.0
/*
 * vmcp COMMAND...: send a CP command through /dev/vmcp (the kernel's
 * vmcp driver, DIAGNOSE X'08') and print CP's response, as s390-tools'
 * vmcp does, for the test guest's initramfs, which has no s390-tools.
 * Exits 0 when CP's return code is 0, 2 with "Error: non-zero CP
 * response for command 'COMMAND': #RC" otherwise, 1 on a system error.
 * A response longer than the buffer (VMCP_GETSIZE > buffer) is read in
 * full with a buffer as large as CP said it needs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define VMCP_GETCODE	_IOR(0x10, 1, int)
#define VMCP_SETBUF	_IOW(0x10, 2, int)
#define VMCP_GETSIZE	_IOR(0x10, 3, int)

static int run(const char *cmd, int bufsize, char **resp, int *size, int *code)
{
	int fd = open("/dev/vmcp", O_RDWR);
	ssize_t n;

	if (fd < 0) {
		perror("vmcp: /dev/vmcp");
		return -1;
	}
	if (ioctl(fd, VMCP_SETBUF, &bufsize) < 0 ||
	    write(fd, cmd, strlen(cmd)) < 0 ||
	    ioctl(fd, VMCP_GETCODE, code) < 0 ||
	    ioctl(fd, VMCP_GETSIZE, size) < 0) {
		perror("vmcp");
		close(fd);
		return -1;
	}
	*resp = calloc(1, bufsize + 1);
	if (!*resp) {
		close(fd);
		return -1;
	}
	n = read(fd, *resp, bufsize);
	close(fd);
	if (n < 0) {
		perror("vmcp: read");
		return -1;
	}
	(*resp)[n] = 0;
	return 0;
}

int main(int argc, char **argv)
{
	char cmd[241] = "", *resp = NULL;
	int i, size = 0, code = 0, bufsize = 4096;

	if (argc < 2) {
		fprintf(stderr, "usage: vmcp COMMAND...\n");
		return 1;
	}
	for (i = 1; i < argc; i++) {
		if (strlen(cmd) + strlen(argv[i]) + 2 > sizeof(cmd)) {
			fprintf(stderr, "vmcp: command too long\n");
			return 1;
		}
		if (i > 1)
			strcat(cmd, " ");
		strcat(cmd, argv[i]);
	}
	if (run(cmd, bufsize, &resp, &size, &code))
		return 1;
	if (size > bufsize) {
		/* CP said how much it had: ask again with room for it */
		free(resp);
		bufsize = (size + 4095) / 4096 * 4096;
		if (run(cmd, bufsize, &resp, &size, &code))
			return 1;
	}
	fputs(resp, stdout);
	if (*resp && resp[strlen(resp) - 1] != '\n')
		putchar('\n');
	free(resp);
	if (code) {
		fprintf(stderr, "Error: non-zero CP response for command '%s': #%d\n",
			cmd, code);
		return 2;
	}
	return 0;
}
