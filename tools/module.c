// SPDX-License-Identifier: GPL-2.0
/*
 * Load dcssdax through libkmod, as modprobe would (dependencies,
 * modprobe.d options such as "emulate=").  Under a root prefix, the
 * module tree and modprobe.d come from the prefix too.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include <libkmod.h>

#include "module.h"
#include "sysfs.h"

static struct kmod_ctx *new_ctx(void)
{
	static char dir[4096], c1[4096], c2[4096], c3[4096];
	static const char *configs[] = { c1, c2, c3, NULL };
	struct utsname u;

	if (!*dcss_root())
		return kmod_new(NULL, NULL);
	if (uname(&u) ||
	    dcss_path(dir, sizeof(dir), "/lib/modules/%s", u.release) ||
	    dcss_path(c1, sizeof(c1), "/etc/modprobe.d") ||
	    dcss_path(c2, sizeof(c2), "/run/modprobe.d") ||
	    dcss_path(c3, sizeof(c3), "/lib/modprobe.d"))
		return NULL;
	return kmod_new(dir, configs);
}

/* Return: 0 when the control directory exists afterwards, else -errno. */
int module_ensure_loaded(void)
{
	struct kmod_list *list = NULL, *l;
	struct kmod_ctx *ctx;
	char ctl[4096];
	int rc;

	if (dcss_path(ctl, sizeof(ctl), DCSS_CTL_DIR))
		return -ENAMETOOLONG;
	if (path_exists(ctl))
		return 0;
	ctx = new_ctx();
	if (!ctx)
		return -ENOMEM;
	rc = kmod_module_new_from_lookup(ctx, "dcssdax", &list);
	if (!rc && !list)
		rc = -ENOENT;
	kmod_list_foreach(l, list) {
		struct kmod_module *mod = kmod_module_get_module(l);

		if (!rc)
			rc = kmod_module_probe_insert_module(mod, 0, NULL,
							     NULL, NULL, NULL);
		kmod_module_unref(mod);
		/* the first match is the module itself */
		break;
	}
	kmod_module_unref_list(list);
	kmod_unref(ctx);
	if (rc > 0)		/* blacklisted or similar: no errno */
		rc = -EPERM;
	if (rc)
		return rc;
	/* the driver registers the control device from module init */
	return path_exists(ctl) ? 0 : -ENODEV;
}
