// SPDX-License-Identifier: GPL-2.0
/*
 * What a save did, as CP tells it.  The driver's save goes through
 * extmem's segment_save(), which returns nothing: a DEFSEG or SAVESEG
 * that CP refused shows only in the kernel's log.  So dcssctl asks CP
 * (QUERY NSS NAME seg MAP) before and after: a save that reached CP
 * made a new spool file of class A for the segment.  SN and EN segments
 * are not saved by the driver and are left out; segments of the driver's
 * emulation (emulate=) are not CP's, and their save stays in the guest.
 */
#include <stdio.h>
#include <string.h>

#include "cp.h"
#include "dcssctl.h"
#include "device.h"

static bool saved_type(const char *type)
{
	return strcmp(type, "SN") && strcmp(type, "EN");
}

static int current_file(const char *seg, char *file, char *err, size_t len)
{
	struct cp_nss_list list;
	const struct cp_nss *n;
	int rc;

	file[0] = '\0';
	rc = cp_query_nss(seg, &list, err, len);
	if (rc)
		return rc;
	n = cp_nss_current(&list, seg);
	if (n && n->cl == 'A')
		strcpy(file, n->file);
	cp_nss_list_free(&list);
	return 0;
}

/* Before the save: CP's spool file of each segment the driver saves. */
void cp_save_before(const char *dev, struct cp_save_check *sc)
{
	struct dcss_device d;
	int i;

	memset(sc, 0, sizeof(*sc));
	if (device_load(dev, &d)) {
		snprintf(sc->why, sizeof(sc->why),
			 "its segments could not be read from sysfs");
		return;
	}
	for (i = 0; i < d.nr_segments; i++) {
		if (!saved_type(d.seg[i].type))
			continue;
		if (strcmp(d.seg[i].backend, "extmem")) {
			if (sc->emulated[0])
				strcat(sc->emulated, ", ");
			strcat(sc->emulated, d.seg[i].name);
			continue;
		}
		strcpy(sc->seg[sc->nr].name, d.seg[i].name);
		if (current_file(d.seg[i].name, sc->seg[sc->nr].file, sc->why,
				 sizeof(sc->why)))
			return;
		sc->nr++;
	}
	sc->known = true;
}

/**
 * cp_save_after() - say what CP has after the driver's save
 * Return: EXIT_OK when each segment has a new spool file, or when CP
 * cannot be asked (then saying that the outcome is not known);
 * EXIT_FAILED when CP has no new version of one.
 */
int cp_save_after(const char *dev, const struct cp_save_check *sc)
{
	char file[8], err[1024];
	int i, rc = EXIT_OK;

	if (sc->emulated[0])
		printf("%s: saved by the driver's emulation (emulate=), which "
		       "keeps it in this guest; no CP involved: %s\n", dev,
		       sc->emulated);
	if (!sc->known) {
		printf("%s: the driver took the save, but whether CP saved it "
		       "cannot be known: %s (a failed DEFSEG or SAVESEG shows "
		       "only in the kernel's log: dmesg)\n", dev, sc->why);
		return EXIT_OK;
	}
	if (!sc->nr) {
		if (!sc->emulated[0])
			printf("%s: nothing to save: its segments are SN or "
			       "EN, which the driver does not save\n", dev);
		return EXIT_OK;
	}
	for (i = 0; i < sc->nr; i++) {
		const char *seg = sc->seg[i].name, *was = sc->seg[i].file;

		if (current_file(seg, file, err, sizeof(err))) {
			printf("%s: segment %s: whether CP saved it cannot be "
			       "known: %s\n", dev, seg, err);
			continue;
		}
		if (*file && strcmp(file, was)) {
			printf("%s: segment %s saved: CP's spool file %s%s%s\n",
			       dev, seg, file, *was ? ", was " : "", was);
			continue;
		}
		error("%s: segment %s not saved: CP's spool file is %s as "
		      "before; the kernel's log says what CP answered "
		      "(dmesg: \"Saving a DCSS failed\")", dev, seg,
		      *file ? file : "none");
		rc = EXIT_FAILED;
	}
	return rc;
}

/* The save waits for the last close: what can be known now. */
void cp_save_deferred(const char *dev, const struct cp_save_check *sc)
{
	int i;

	printf("%s: in use; the save will happen when it is last closed\n",
	       dev);
	if (!sc->known) {
		printf("%s: whether CP saves it then cannot be known here: "
		       "%s\n", dev, sc->why);
		return;
	}
	for (i = 0; i < sc->nr; i++)
		printf("%s: segment %s: CP's spool file is %s now; a new one "
		       "after the close means it was saved (dcssctl info %s)\n",
		       dev, sc->seg[i].name,
		       *sc->seg[i].file ? sc->seg[i].file : "none",
		       sc->seg[i].name);
}
