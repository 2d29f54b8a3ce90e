// SPDX-License-Identifier: GPL-2.0
/*
 * ctlfuzz SEED COUNT: run dcssctl (from PATH) COUNT times with seeded
 * hostile command lines against the real driver: every command, mangled
 * commands and options, names that are empty, 8 and 9 characters long,
 * lower case, with trailing or double ':', "(local)", duplicates, lists
 * that are not contiguous or mix types, unknown names, PAGE_SIZE long,
 * non-ASCII bytes, and random configuration files for apply (with NUL
 * bytes); add in both modes (--mode=fsdax|devdax, and mangled modes) and
 * mode with every access and dax mode word.  The device KEEP must exist;
 * ctlfuzz holds it open, so it can be neither removed nor switched.  After each run it checks that
 *   - dcssctl exited 0, 1 or 2 within 60 s (no signal, no hang),
 *   - a failure printed a message on stderr,
 *   - a failure other than apply's changed nothing (devices, nodes,
 *     "(DCSS)" claims); what a success or a partly applied configuration
 *     added is removed again and the state then is the one before.
 * Prints "ctlfuzz: seed=S inputs=N succeeded=A failed=F" and exits 0, or
 * the first violation and exits 1.  Usage errors exit 2.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzz.h"

#define MAXARGS 8
#define ARGLEN 4200
#define CONFIG "/tmp/ctlfuzz.conf"

static const char *const commands[] = {
	"list", "add", "remove", "save", "mode", "apply",
	"ADD", "lis", "", "--bogus", "remove ", "-x",
};

static const char *const options[] = {
	"-x", "--exclusive", "-w", "-w0", "--timeout=1", "--timeout=-1",
	"--timeout=99999", "--timeout=", "-u", "-t", "-v", "--cancel", "-c",
	"--", "-", "--help", "-h", "--version", "--exclusive=1", "-xw",
	"--mode=devdax", "--mode=fsdax", "--mode=", "--mode", "-m", "-mdevdax",
	"--mode=system-ram", "--mode=DEVDAX", "-xmdevdax",
};

/* Segment names and their misuses, around the emulated table. */
static const char *const names[] = {
	"SEG1", "seg1", "SEG2", "SEGA:SEGB", "sega:segb", "SEGA:SEGC",
	"SEG1:ROSEG", "SEG1:SEG1", "SEGA:SEGB:SEGA", "SEG1:", "SEG1::SEG2",
	":SEG1", ":", "::", "SEG1(local)", "(local)", "SEG1(LOCAL)",
	"SEG1(local):SEG2", "ABCDEFGH", "ABCDEFGHI", "NOSUCH", "KEEP", "keep",
	"SCSEG", "ROSEG", "RAMSEG", "NOMEM", "OVL1:OVL2", "PAIR1:PAIR2",
	"BOTHU", "SEG1 SEG2", " SEG1", "SEG1\n", "\n", "", "shared",
	"exclusive", "sideways", "SHARED", "1", "0", "-1", "SÉG1", "\xff\xfe",
	"fsdax", "devdax", "DEVDAX", "devdax\n", "system-ram", "dax",
	"/dev/dcssdax0", "../SEG1", "SEG1/", "%s%n",
};

#define PICK(a) ((a)[below(sizeof(a) / sizeof((a)[0]))])

/* One operand: a table word, a long run, random bytes (no NUL: argv). */
static void make_operand(char *buf)
{
	size_t n, i;

	switch (below(10)) {
	case 0:
		n = 4090 + below(10);	/* PAGE_SIZE and around it */
		memset(buf, 'A' + below(26), n);
		buf[n] = '\0';
		return;
	case 1:
		n = 1 + below(40);
		for (i = 0; i < n; i++)
			buf[i] = (char)(1 + below(255));
		buf[n] = '\0';
		return;
	default:
		snprintf(buf, ARGLEN, "%s", PICK(names));
		if (below(4) == 0)	/* a second part: joins of anything */
			snprintf(buf + strlen(buf), ARGLEN - strlen(buf), ":%s",
				 PICK(names));
		return;
	}
}

/* A configuration file for apply: table lines, garbage, NUL bytes. */
static int make_config(void)
{
	char line[ARGLEN];
	int lines = below(6), i;
	FILE *f = fopen(CONFIG, "w");

	if (!f)
		return -1;
	for (i = 0; i < lines; i++) {
		switch (below(6)) {
		case 0:
			fputs("# comment\n", f);
			break;
		case 1:
			fwrite("SEG1\0SEG2\n", 1, 10, f);
			break;
		default:
			make_operand(line);
			fprintf(f, "%s%s%s\n", line, below(2) ? " " : "",
				below(2) ? PICK(names) : "");
		}
	}
	return fclose(f);
}

/* Runs argv; returns the wait status, stderr's first bytes in @err. */
static int run(char **argv, char *err, size_t size)
{
	int pipefd[2], status, devnull;
	ssize_t n, got = 0;
	char drain[4096];
	pid_t pid;

	if (pipe(pipefd))
		return -1;
	pid = fork();
	if (pid == 0) {
		devnull = open("/dev/null", O_RDWR);
		dup2(devnull, 0);
		dup2(devnull, 1);
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		alarm(60);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(pipefd[1]);
	/* Keep the first bytes, drain the rest so the child never blocks. */
	while ((n = read(pipefd[0], got < (ssize_t)size - 1 ? err + got : drain,
			 got < (ssize_t)size - 1 ? size - 1 - got :
			 sizeof(drain))) > 0)
		if (got < (ssize_t)size - 1)
			got += n;
	close(pipefd[0]);
	err[got] = '\0';
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

/*
 * Removes every device in @now that is not in @before; @now is renewed.
 * Stops at the first that cannot be removed, which the caller then finds
 * left behind.
 */
static void remove_new(const char *before, char *now, size_t size)
{
	char name[64];
	int err;

	while (new_device(before, now, name, sizeof(name))) {
		err = write_file(SYS "/remove", name, strlen(name));
		snapshot(now, size);
		if (err) {
			fprintf(stderr, "ctlfuzz: cannot remove %s: %s\n", name,
				strerror(err));
			return;
		}
	}
}

#define NR_NAMES (sizeof(names) / sizeof(names[0]))
#define NR_FIXED 9

/*
 * The first NR_FIXED * NR_NAMES inputs are not random: every name of the
 * table in every place a command takes one.
 */
static void fixed_input(unsigned long i, char **av)
{
	static char name[ARGLEN];
	const char *cmd = NULL;
	FILE *f;

	snprintf(name, sizeof(name), "%s", names[i % NR_NAMES]);
	av[0] = "dcssctl";
	av[2] = name;
	av[3] = NULL;
	switch (i / NR_NAMES) {
	case 0: cmd = "list"; break;
	case 1: cmd = "add"; break;
	case 2: cmd = "remove"; break;
	case 3: cmd = "save"; break;
	case 4:
		cmd = "mode";
		av[3] = "exclusive";
		av[4] = NULL;
		break;
	case 5:
		cmd = "mode";
		av[2] = "KEEP";
		av[3] = name;
		av[4] = NULL;
		break;
	case 6:
		cmd = "apply";
		av[2] = CONFIG;
		f = fopen(CONFIG, "w");
		if (f) {
			fprintf(f, "%s\n", name);
			fclose(f);
		}
		break;
	case 7:
		cmd = "add";
		av[2] = "--mode=devdax";
		av[3] = name;
		av[4] = NULL;
		break;
	case 8:
		cmd = "mode";
		av[3] = "devdax";
		av[4] = NULL;
		break;
	}
	av[1] = (char *)cmd;
}

/*
 * The other inputs: a command (mostly a real one), then options, names
 * and, for apply, configuration files, in @args.  Returns -1 when the
 * configuration file cannot be written.
 */
static int random_input(char **av, char args[][ARGLEN])
{
	int nargs = 1, j, apply;

	av[0] = "dcssctl";
	snprintf(args[0], ARGLEN, "%s",
		 below(8) ? commands[below(6)] : PICK(commands));
	av[nargs++] = args[0];
	apply = !strcmp(args[0], "apply");
	for (j = 1; j < MAXARGS && below(3); j++) {
		if (below(4) == 0)
			snprintf(args[j], ARGLEN, "%s", PICK(options));
		else if (apply && below(2))
			snprintf(args[j], ARGLEN, "%s",
				 below(4) ? CONFIG : below(2) ? "/" :
				 "/nonexistent");
		else
			make_operand(args[j]);
		av[nargs++] = args[j];
	}
	av[nargs] = NULL;
	return apply ? make_config() : 0;
}

static void print_argv(char **argv)
{
	int i;

	for (i = 0; argv[i]; i++)
		fprintf(stderr, " '%.60s%s'", argv[i],
			strlen(argv[i]) > 60 ? "..." : "");
	fputc('\n', stderr);
}

int main(int argc, char **argv)
{
	static char before[65536], after[65536], err[4096];
	static char args[MAXARGS][ARGLEN];
	unsigned long count, i, ok = 0, failed = 0;
	const unsigned long fixed = NR_FIXED * NR_NAMES;
	char *av[MAXARGS + 2], keepdev[300], blk[64];
	int status, code, keepfd, apply;
	FILE *f;

	if (argc != 3)
		return fprintf(stderr, "usage: ctlfuzz SEED COUNT\n"), 2;
	seed_rng(argv[1]);
	count = strtoul(argv[2], NULL, 0);
	signal(SIGPIPE, SIG_IGN);

	/* Hold KEEP open: remove and mode on it must be refused. */
	f = popen("ls " SYS "/KEEP/block 2>/dev/null", "r");
	if (!f || !fgets(blk, sizeof(blk), f))
		return fprintf(stderr, "ctlfuzz: device KEEP missing\n"), 2;
	pclose(f);
	blk[strcspn(blk, "\n")] = '\0';
	snprintf(keepdev, sizeof(keepdev), "/dev/%s", blk);
	keepfd = open(keepdev, O_RDONLY);
	if (keepfd < 0)
		return perror(keepdev), 2;

	for (i = 0; i < fixed + count; i++) {
		if (i < fixed)
			fixed_input(i, av);
		else if (random_input(av, args))
			return perror(CONFIG), 2;
		apply = !strcmp(av[1], "apply");
		snapshot(before, sizeof(before));
		status = run(av, err, sizeof(err));
		snapshot(after, sizeof(after));
		if (status < 0 || !WIFEXITED(status) ||
		    (code = WEXITSTATUS(status)) > 2) {
			fprintf(stderr, "ctlfuzz: input %lu: dcssctl %s %d:", i,
				status >= 0 && WIFSIGNALED(status) ?
				"killed by signal" : "exit status",
				status < 0 ? -1 : WIFSIGNALED(status) ?
				WTERMSIG(status) : WEXITSTATUS(status));
			print_argv(av);
			return 1;
		}
		if (code) {
			failed++;
			if (!err[0]) {
				fprintf(stderr, "ctlfuzz: input %lu failed silently:", i);
				print_argv(av);
				return 1;
			}
			if (!apply && strcmp(before, after)) {
				fprintf(stderr, "ctlfuzz: input %lu failed (%.200s) but changed state\nbefore: %s\nafter: %s\n",
					i, err, before, after);
				print_argv(av);
				return 1;
			}
		} else {
			ok++;
		}
		remove_new(before, after, sizeof(after));
		if (strcmp(before, after)) {
			fprintf(stderr, "ctlfuzz: input %lu left state behind\nbefore: %s\nafter: %s\n",
				i, before, after);
			print_argv(av);
			return 1;
		}
	}
	close(keepfd);
	printf("ctlfuzz: seed=%s inputs=%lu (%lu fixed) succeeded=%lu failed=%lu\n",
	       argv[1], fixed + count, fixed, ok, failed);
	return 0;
}
