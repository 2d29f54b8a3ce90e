// SPDX-License-Identifier: GPL-2.0
/*
 * dcssctl - manage dcssdax devices (z/VM DCSS segments as fs-dax block
 * devices) through the driver's sysfs interface.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcssctl.h"
#include "names.h"

#ifndef DCSSCTL_VERSION
#define DCSSCTL_VERSION "unknown"
#endif

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};

static const struct command commands[] = {
	{ "list",   cmd_list,   "show devices as JSON or as a table" },
	{ "add",    cmd_add,    "make a device from one or more segments" },
	{ "remove", cmd_remove, "remove a device and unload its segments" },
	{ "save",   cmd_save,   "save a device's contents back to the segment" },
	{ "mode",   cmd_mode,   "shared or exclusive, fsdax or devdax: switch a device" },
	{ "apply",  cmd_apply,  "add the devices listed in a configuration file" },
	{ "info",   cmd_info,   "what CP knows of a segment (vmcp)" },
	{ "define", cmd_define, "define a segment in CP (DEFSEG, vmcp)" },
	{ "export", cmd_export, "write the devices in the configuration file's format" },
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

void error(const char *fmt, ...)
{
	va_list ap;

	fputs("dcssctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void warn(const char *fmt, ...)
{
	va_list ap;

	fputs("dcssctl: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int parse_timeout(const char *arg, int *timeout_s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < 0 || v > 3600) {
		error("invalid timeout '%s' (seconds, 0-3600)", arg);
		return -1;
	}
	*timeout_s = v;
	return 0;
}

/**
 * parse_wait_options() - the options of apply, mode and remove
 * @argc, @argv: the command's arguments (argv[0] is the command)
 * @help: the command's usage text, for --help and for a bad option
 * @timeout_s: set by --timeout/-w; left as it is without
 *
 * The three take only --timeout (how long to wait for udev) and --help.
 * Return: -1 when the command goes on with its operands at optind;
 * otherwise its exit code: EXIT_OK after --help, EXIT_USAGE for a bad
 * option or timeout (nothing has reached sysfs then).
 */
int parse_wait_options(int argc, char **argv, const char *help,
		       int *timeout_s)
{
	static const struct option opts[] = {
		{ "timeout", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "w:h", opts, NULL)) != -1) {
		switch (c) {
		case 'w':
			if (parse_timeout(optarg, timeout_s))
				return EXIT_USAGE;
			break;
		case 'h':
			fputs(help, stdout);
			return EXIT_OK;
		default:
			fputs(help, stderr);
			return EXIT_USAGE;
		}
	}
	return -1;
}

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: dcssctl [-v|--version] [-h|--help] COMMAND [ARGS]\n\n"
		   "commands:\n");
	for (i = 0; i < NR_COMMANDS; i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "  %-8s %s\n", "help", "show the help of a command");
	fprintf(f, "\n'dcssctl COMMAND --help' describes a command; "
		   "see also dcssctl(8).\n");
}

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static int help(int argc, char **argv)
{
	const struct command *cmd;
	char *args[] = { NULL, "--help", NULL };

	if (argc < 2) {
		usage(stdout);
		return EXIT_OK;
	}
	cmd = find_command(argv[1]);
	if (!cmd) {
		error("unknown command '%s'", argv[1]);
		usage(stderr);
		return EXIT_USAGE;
	}
	args[0] = argv[1];
	return cmd->fn(2, args);
}

/**
 * operands_error() - say what is wrong with a command's operands
 * @argc, @argv: the command's arguments, operands from optind
 * @nr: how many it takes
 * @usage: its usage text, whose first line ends with the operands
 *	("... [OPTIONS] NAME shared|exclusive"), printed after the message
 */
void operands_error(int argc, char **argv, int nr, const char *usage)
{
	const char *line = strchr(usage, '\n'), *ops = usage;
	const char *p;
	int have = argc - optind;
	const char *cmd = strncmp(argv[0], "dcssctl ", 8) ? argv[0] : argv[0] + 8;

	if (!line)
		line = usage + strlen(usage);
	/* the operands: after the last option in [] or the command name */
	for (p = usage; p < line; p++)
		if (*p == ']' && p[1] == ' ')
			ops = p + 2;
	if (ops == usage) {
		ops = strstr(usage, "dcssctl ");
		ops = ops ? strchr(ops + 8, ' ') : NULL;
		ops = ops && ops < line ? ops + 1 : line;
	}
	if (have < nr)
		error("%s: missing %s (expected: %.*s)", cmd,
		      have ? "an operand" : "operands", (int)(line - ops), ops);
	else
		error("%s: unexpected argument '%s' (expected: %.*s)", cmd,
		      argv[optind + nr], (int)(line - ops), ops);
	fputs(usage, stderr);
}

/*
 * The operands of a command that acts on one device, after getopt: @nr of
 * them, the first the device NAME, checked into @name.  Returns EXIT_OK,
 * or EXIT_USAGE after saying why.
 */
int device_operands(int argc, char **argv, int nr, const char *usage,
		    char *name)
{
	char msg[1024];

	if (argc - optind != nr) {
		operands_error(argc, argv, nr, usage);
		return EXIT_USAGE;
	}
	if (name_parse(argv[optind], name, msg, sizeof(msg))) {
		error("%s", msg);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	const struct command *cmd;
	char prog[32];

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	/* -v before a command as ndctl's and s390-tools'; -V as before */
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-v") ||
	    !strcmp(argv[1], "-V")) {
		printf("dcssctl %s\n", DCSSCTL_VERSION);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "help"))
		return help(argc - 1, argv + 1);
	cmd = find_command(argv[1]);
	if (!cmd) {
		error("unknown command '%s'", argv[1]);
		usage(stderr);
		return EXIT_USAGE;
	}
	/*
	 * getopt state starts fresh for the command's own options, and its
	 * messages start "dcssctl COMMAND:" ("dcssctl add: invalid option").
	 */
	optind = 1;
	snprintf(prog, sizeof(prog), "dcssctl %s", cmd->name);
	argv[1] = prog;
	return cmd->fn(argc - 1, argv + 1);
}
