// SPDX-License-Identifier: GPL-2.0
/* dcssctl add: load segments as a new device and wait until it is usable. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cp.h"
#include "daxinfo.h"
#include "dcssctl.h"
#include "device.h"
#include "errors.h"
#include "json.h"
#include "module.h"
#include "names.h"
#include "sysfs.h"
#include "wait.h"

static const char add_usage[] =
"usage: dcssctl add [--exclusive] [--mode=fsdax|devdax] [--timeout=SECONDS] NAME[:NAME...]\n"
"\n"
"Load the segments NAME... (contiguous in storage) as one device named\n"
"after the first, loading the dcssdax module first if needed, wait until\n"
"/dev/dcssdaxN (and with udev /dev/dcssdax/NAME) exists, print it as JSON.\n"
"In devdax mode the device is a dax region with /dev/daxN.0 (device_dax)\n"
"instead of a block device, listed by daxctl too.\n"
"\n"
"  -x, --exclusive      reload the segments exclusive-writable after adding\n"
"  -m, --mode=MODE      fsdax (a block device, the default) or devdax\n"
"  -w, --timeout=SEC    wait at most SEC seconds for the device (default 60)\n"
"  -h, --help           show this help\n";

static int make_exclusive(const char *name, char *err, size_t len)
{
	int rc, waited;

	/* a mode change must find the new device closed by udev's probe */
	for (waited = 0;; waited += 50) {
		rc = set_mode(name, false, err, len);
		if (rc != -EBUSY || waited >= UDEV_PROBE_MS)
			break;
		usleep(50 * 1000);
	}
	if (rc && device_exists(name)) {
		size_t n = strlen(err);

		snprintf(err + n, len - n, " (device %s stays added, shared)",
			 name);
	}
	return rc;
}

/* Tell a missing node (devtmpfs) from a slow or stuck udev. */
static void timeout_msg(const char *name, int timeout_s, char *err, size_t len)
{
	struct dcss_device d;
	char node[4096];

	if (!device_load(name, &d) && d.dev[0] &&
	    !dcss_path(node, sizeof(node), "/dev/%s", d.dev) &&
	    path_exists(node))
		snprintf(err, len,
			 "device %s was added as /dev/%s but udev did not finish with it within %d s",
			 name, d.dev, timeout_s);
	else
		snprintf(err, len,
			 "device %s was added but its device node did not appear within %d s (is devtmpfs mounted on /dev?)",
			 name, timeout_s);
}

/* A segment list as the driver's control files take it: "A:B\n". */
#define CTL_LIST_LEN	(DCSS_MAX_SEGMENTS * (DCSS_NAME_MAX + 1) + 2)

static int load_module(char *err, size_t len)
{
	int rc = module_ensure_loaded();

	if (rc)
		dcss_explain(OP_MODULE, "dcssdax", -rc, err, len);
	return rc;
}

/**
 * write_ctl - write a segment list to one of the driver's control files
 * @file: the file in DCSS_CTL_DIR ("add", "devdax")
 * @list: the list (CTL_LIST_LEN bytes), as names_join() made it; the
 *	write's newline is added and taken off again
 * @path: set to the file's path, for messages
 * @plen: the size of @path
 *
 * Return: 0, or the write's -errno (-ENOENT: no such file).
 */
static int write_ctl(const char *file, char *list, char *path, size_t plen)
{
	size_t n = strlen(list);
	int rc;

	strcpy(list + n, "\n");
	rc = dcss_path(path, plen, DCSS_CTL_DIR "/%s", file);
	if (!rc)
		rc = sysfs_write(path, list);
	list[n] = '\0';
	return rc;
}

int add_device(const struct name_list *nl, bool exclusive, int timeout_s,
	       char *err, size_t len)
{
	char list[CTL_LIST_LEN], path[4096];
	const char *name = nl->name[0];
	struct dev_waiter w;
	bool have_link;
	int rc;

	names_join(nl, list, sizeof(list) - 1);
	rc = load_module(err, len);
	if (rc)
		return rc;
	rc = waiter_start(&w);
	if (rc) {
		snprintf(err, len, "cannot watch for udev events: %s",
			 strerror(-rc));
		return rc;
	}
	rc = write_ctl("add", list, path, sizeof(path));
	if (rc) {
		waiter_stop(&w);
		dcss_explain(OP_ADD, list, -rc, err, len);
		cp_add_hint(nl, -rc, err, len);
		return rc;
	}
	rc = waiter_wait(&w, name, timeout_s * 1000, &have_link);
	waiter_stop(&w);
	if (rc == -ETIMEDOUT) {
		timeout_msg(name, timeout_s, err, len);
		return rc;
	}
	if (rc) {
		snprintf(err, len, "device %s disappeared right after it was added",
			 name);
		return rc;
	}
	if (w.mon && !have_link)
		warn("/dev/dcssdax/%s was not created; is 60-dcssdax.rules installed?",
		     name);
	if (exclusive)
		return make_exclusive(name, err, len);
	return 0;
}

/* What the driver's devdax file refuses beyond what add refuses. */
static bool devdax_explain(const char *list, int errnum, char *err,
			   size_t len)
{
	const char *why = devdax_refusal(errnum, true);

	if (why)
		snprintf(err, len, "segment %s: %s", list, why);
	return why != NULL;
}

/**
 * add_devdax_device - add_device() for devdax mode
 *
 * No block device, so no udev event to wait for: the wait is for the
 * character device libdaxctl reports.
 */
int add_devdax_device(const struct name_list *nl, bool exclusive,
			     int timeout_s, char *err, size_t len)
{
	char list[CTL_LIST_LEN], path[4096];
	struct dcss_devdax dd;
	int rc;

	names_join(nl, list, sizeof(list) - 1);
	rc = load_module(err, len);
	if (rc)
		return rc;
	rc = write_ctl("devdax", list, path, sizeof(path));
	if (rc == -ENOENT) {
		snprintf(err, len,
			 "this dcssdax module has no devdax mode (no %.900s)",
			 path);
		return rc;
	}
	if (rc) {
		if (!devdax_explain(list, -rc, err, len))
			dcss_explain(OP_ADD, list, -rc, err, len);
		cp_add_hint(nl, -rc, err, len);
		return rc;
	}
	rc = devdax_wait(nl->name[0], timeout_s * 1000, &dd, err, len);
	if (rc)
		return rc;
	if (exclusive)
		return make_exclusive(nl->name[0], err, len);
	return 0;
}

int cmd_add(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "exclusive", no_argument, NULL, 'x' },
		{ "mode", required_argument, NULL, 'm' },
		{ "timeout", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, timeout_s = DEFAULT_TIMEOUT_S;
	struct json_object *obj;
	bool exclusive = false, devdax = false;
	struct dcss_device d;
	struct name_list nl;
	char msg[1024];

	while ((c = getopt_long(argc, argv, "xm:w:h", opts, NULL)) != -1) {
		switch (c) {
		case 'x':
			exclusive = true;
			break;
		case 'm':
			if (!strcmp(optarg, "devdax") || !strcmp(optarg, "fsdax")) {
				devdax = !strcmp(optarg, "devdax");
				break;
			}
			error("unknown mode '%s': fsdax or devdax", optarg);
			return EXIT_USAGE;
		case 'w':
			if (parse_timeout(optarg, &timeout_s))
				return EXIT_USAGE;
			break;
		case 'h':
			fputs(add_usage, stdout);
			return EXIT_OK;
		default:
			fputs(add_usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		operands_error(argc, argv, 1, add_usage);
		return EXIT_USAGE;
	}
	if (names_parse(argv[optind], &nl, msg, sizeof(msg))) {
		error("%s", msg);
		return EXIT_USAGE;
	}
	if (devdax ? add_devdax_device(&nl, exclusive, timeout_s, msg,
				       sizeof(msg)) :
		     add_device(&nl, exclusive, timeout_s, msg, sizeof(msg))) {
		error("%s", msg);
		return EXIT_FAILED;
	}
	if (device_load(nl.name[0], &d)) {
		error("device %s was added but has vanished since", nl.name[0]);
		return EXIT_FAILED;
	}
	/* the same object as list's, so that one jq filter reads both */
	obj = device_to_json(&d, 0);
	json_print(stdout, obj);
	json_object_put(obj);
	return EXIT_OK;
}
