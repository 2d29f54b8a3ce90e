// SPDX-License-Identifier: GPL-2.0
/*
 * Talking to z/VM's CP through the vmcp driver (/dev/vmcp), as s390-tools'
 * vmcp does: write(2) the command (at most 240 bytes), then VMCP_GETCODE
 * for CP's return code, VMCP_GETSIZE for the response's length, read(2)
 * the response; VMCP_SETBUF first when the default page is too small.
 * The device is under the root prefix ($DCSSCTL_ROOT) like every path
 * dcssctl touches, so the host tests can stand a fake in its place.
 *
 * What CP answers is parsed from the documented layouts (z/VM CP Commands
 * and Utilities Reference, SC24-6268): QUERY NSS ... MAP, QUERY VIRTUAL
 * STORAGE.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cp.h"
#include "device.h"
#include "json.h"
#include "sysfs.h"

/* arch/s390/include/uapi/asm/vmcp.h; the same numbers on every arch */
#define VMCP_GETCODE	_IOR(0x10, 1, int)
#define VMCP_SETBUF	_IOW(0x10, 2, int)
#define VMCP_GETSIZE	_IOR(0x10, 3, int)

#define VMCP_CMD_MAX	240
#define VMCP_BUF_MAX	(1 << 20)	/* the driver's limit: order 8 */

static bool running_on_zvm(void)
{
	char path[4096], line[256];
	bool vm = false;
	FILE *f;

	if (dcss_path(path, sizeof(path), "/proc/sysinfo"))
		return false;
	f = fopen(path, "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "Control Program:") && strstr(line, "z/VM"))
			vm = true;
	fclose(f);
	return vm;
}

/* Why /dev/vmcp could not be used, and what is needed. */
static void vmcp_missing(int err, const char *path, char *buf, size_t len)
{
	if (err == ENOENT && !running_on_zvm())
		snprintf(buf, len, "no %s: this system is not a z/VM guest "
			 "(/proc/sysinfo names no z/VM Control Program), so "
			 "there is no CP to ask", path);
	else if (err == ENOENT || err == ENODEV || err == ENXIO)
		snprintf(buf, len, "no %s: load the vmcp module "
			 "(modprobe vmcp) to reach CP", path);
	else if (err == EPERM || err == EACCES)
		snprintf(buf, len, "%s: %s; talking to CP needs root "
			 "(CAP_SYS_ADMIN)", path, strerror(err));
	else if (err == ENOTTY)
		snprintf(buf, len, "%s is not the vmcp device (its ioctls "
			 "fail: %s)", path, strerror(err));
	else
		snprintf(buf, len, "%s: %s", path, strerror(err));
}

/* CP's refusal, with what the administrator needs to know. */
static void cp_refused(const char *cmd, int cprc, const char *resp,
		       char *buf, size_t len)
{
	char first[200];
	size_t n = strcspn(resp, "\n");
	const char *hint = "";

	if (n >= sizeof(first))
		n = sizeof(first) - 1;
	memcpy(first, resp, n);
	first[n] = '\0';
	/*
	 * CP answers a command the user's privilege classes do not include
	 * as if it did not exist (HCPCMD001E), and an operand they do not
	 * include as invalid (HCP...003E, e.g. QUERY NSS for class G).
	 */
	if (strstr(first, "001E") || strstr(first, "003E"))
		hint = ": CP answers so when this guest's user ID lacks the "
		       "privilege class the command needs (class E for "
		       "DEFSEG, SAVESEG and QUERY NSS; the CP directory's "
		       "CLASS statement, or your site's class for them)";
	snprintf(buf, len, "CP refused '%s' (return code %d): %s%s", cmd,
		 cprc, *first ? first : "(no response)", hint);
}

static int vmcp_run(int fd, const char *cmd, int bufsize, int *cprc,
		    int *size, char **resp)
{
	ssize_t n;

	*resp = NULL;
	if (ioctl(fd, VMCP_SETBUF, &bufsize) < 0)
		return -errno;
	if (write(fd, cmd, strlen(cmd)) < 0)
		return -errno;
	if (ioctl(fd, VMCP_GETCODE, cprc) < 0 ||
	    ioctl(fd, VMCP_GETSIZE, size) < 0)
		return -errno;
	*resp = calloc(1, bufsize + 1);
	if (!*resp)
		return -ENOMEM;
	n = read(fd, *resp, bufsize);
	if (n < 0) {
		free(*resp);
		*resp = NULL;
		return -errno;
	}
	(*resp)[n] = '\0';
	return 0;
}

/**
 * cp_command() - issue a CP command through /dev/vmcp
 * @cmd: the command, at most 240 bytes
 * @cprc: CP's return code
 * @resp: CP's response, NUL-terminated, lines ending in '\n'; free() it
 * @err, @len: on any failure, or when CP's return code is not 0, what
 *	happened and what is needed
 *
 * Return: 0 when CP answered (see @cprc), or -errno when vmcp could not
 * be used (nothing reached CP).
 */
int cp_command(const char *cmd, int *cprc, char **resp, char *err,
	       size_t len)
{
	char path[4096];
	int fd, rc, size = 0, bufsize = 8192;

	*resp = NULL;
	*cprc = -1;
	if (strlen(cmd) > VMCP_CMD_MAX) {
		snprintf(err, len, "CP command too long (%zu bytes, at most "
			 "%d): %s", strlen(cmd), VMCP_CMD_MAX, cmd);
		return -EINVAL;
	}
	rc = dcss_path(path, sizeof(path), "/dev/vmcp");
	if (rc) {
		snprintf(err, len, "/dev/vmcp: %s", strerror(-rc));
		return rc;
	}
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		vmcp_missing(-rc, "/dev/vmcp", err, len);
		return rc;
	}
	rc = vmcp_run(fd, cmd, bufsize, cprc, &size, resp);
	if (!rc && size > bufsize && size <= VMCP_BUF_MAX &&
	    !strncmp(cmd, "QUERY ", 6)) {
		/*
		 * CP said how much it had: a query once more with room for
		 * it.  Only a query: another command would act twice.
		 */
		free(*resp);
		bufsize = (size + 4095) / 4096 * 4096;
		rc = vmcp_run(fd, cmd, bufsize, cprc, &size, resp);
	}
	close(fd);
	if (rc) {
		vmcp_missing(-rc, "/dev/vmcp", err, len);
		return rc;
	}
	if (*cprc)
		cp_refused(cmd, *cprc, *resp, err, len);
	return 0;
}

static int split(char *line, char **tok, int max)
{
	int n = 0;
	char *save = NULL, *t;

	for (t = strtok_r(line, " \t\r", &save); t && n < max;
	     t = strtok_r(NULL, " \t\r", &save))
		tok[n++] = t;
	return n;
}

static bool hex_page(const char *s, uint64_t *page)
{
	char *end;

	errno = 0;
	*page = strtoull(s, &end, 16);
	return !errno && end != s && !*end;
}

static bool seg_type(const char *s)
{
	static const char *const types[] = {
		"SW", "EW", "SR", "ER", "SN", "EN", "SC",
	};
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(s, types[i]))
			return true;
	return false;
}

static bool add_range(struct cp_nss *n, const char *beg, const char *end,
		      const char *type)
{
	uint64_t b, e;

	if (n->nr == CP_MAX_RANGES || !hex_page(beg, &b) ||
	    !hex_page(end, &e) || e < b || !seg_type(type))
		return false;
	n->r[n->nr].start = b * CP_PAGE;
	n->r[n->nr].end = (e + 1) * CP_PAGE - 1;
	strcpy(n->r[n->nr].type, type);
	n->nr++;
	return true;
}

/*
 * QUERY NSS MAP: a heading, then per spool file
 *   FILE FILENAME FILETYPE MINSIZE BEGPAG ENDPAG TYPE CL #USERS PARMREGS VMGROUP
 * and a line "BEGPAG ENDPAG TYPE" per further range.  Named saved
 * systems (FILETYPE NSS) are not segments and are left out.
 */
static int parse_nss_map(char *resp, struct cp_nss_list *list)
{
	char *save = NULL, *line, *tok[16];
	struct cp_nss *cur = NULL, *grown;
	int n;

	for (line = strtok_r(resp, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		n = split(line, tok, 16);
		if (n == 3 && cur) {
			if (!add_range(cur, tok[0], tok[1], tok[2]))
				return -EPROTO;
			continue;
		}
		cur = NULL;
		if (n < 9 || strcmp(tok[2], "DCSS"))
			continue;	/* the heading, an NSS */
		grown = realloc(list->nss, (list->nr + 1) * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		list->nss = grown;
		cur = &list->nss[list->nr++];
		memset(cur, 0, sizeof(*cur));
		if (strlen(tok[0]) >= sizeof(cur->file) ||
		    strlen(tok[1]) > DCSS_NAME_MAX || strlen(tok[7]) != 1 ||
		    !add_range(cur, tok[4], tok[5], tok[6]))
			return -EPROTO;
		strcpy(cur->file, tok[0]);
		strcpy(cur->name, tok[1]);
		cur->cl = tok[7][0];
		cur->users = atoi(tok[8]);
	}
	return 0;
}

/**
 * cp_query_nss() - the saved segments CP has: QUERY NSS [NAME name] MAP
 * @name: one segment, or NULL for all
 * @list: filled; cp_nss_list_free() it
 *
 * Return: 0; -errno with @err saying why (vmcp missing, CP refused, a
 * response dcssctl cannot read).
 */
int cp_query_nss(const char *name, struct cp_nss_list *list, char *err,
		 size_t len)
{
	char cmd[64], *resp;
	int rc, cprc;

	list->nr = 0;
	list->nss = NULL;
	if (name)
		snprintf(cmd, sizeof(cmd), "QUERY NSS NAME %s MAP", name);
	else
		snprintf(cmd, sizeof(cmd), "QUERY NSS MAP");
	rc = cp_command(cmd, &cprc, &resp, err, len);
	if (rc)
		return rc;
	/* CP's "no such file" for one name is not an error here */
	if (cprc && name && strstr(resp, "HCPQNS")) {
		free(resp);
		return 0;
	}
	if (cprc) {
		free(resp);
		return -EACCES;
	}
	rc = parse_nss_map(resp, list);
	free(resp);
	if (rc) {
		snprintf(err, len, "cannot read CP's answer to '%s'%s", cmd,
			 rc == -ENOMEM ? ": out of memory" : "");
		cp_nss_list_free(list);
	}
	return rc;
}

void cp_nss_list_free(struct cp_nss_list *list)
{
	free(list->nss);
	list->nss = NULL;
	list->nr = 0;
}

/* The version a load gets (class A), else a skeleton, else any. */
const struct cp_nss *cp_nss_current(const struct cp_nss_list *list,
				    const char *name)
{
	static const char order[] = "ASP";
	int i, k;

	for (k = 0; order[k]; k++)
		for (i = 0; i < list->nr; i++)
			if (list->nss[i].cl == order[k] &&
			    !strcmp(list->nss[i].name, name))
				return &list->nss[i];
	return NULL;
}

const char *cp_class_name(char cl)
{
	switch (cl) {
	case 'A':
		return "available";
	case 'S':
		return "skeleton";
	case 'P':
		return "purge-pending";
	default:
		return "unknown";
	}
}

static bool parse_size(const char *s, uint64_t *bytes)
{
	char *end;
	uint64_t v, m = 1;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return false;
	switch (toupper((unsigned char)*end)) {
	case 'K':
		m = 1ULL << 10;
		break;
	case 'M':
		m = 1ULL << 20;
		break;
	case 'G':
		m = 1ULL << 30;
		break;
	case 'T':
		m = 1ULL << 40;
		break;
	case 'P':
		m = 1ULL << 50;
		break;
	case '\0':
		break;
	default:
		return false;
	}
	*bytes = v * m;
	return true;
}

/* The end of Linux's highest "System RAM" in /proc/iomem. */
static uint64_t linux_storage(void)
{
	char path[4096], line[256];
	uint64_t a, b, top = 0;
	FILE *f;

	if (dcss_path(path, sizeof(path), "/proc/iomem"))
		return 0;
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (line[0] != ' ' && strstr(line, ": System RAM") &&
		    sscanf(line, "%" SCNx64 "-%" SCNx64, &a, &b) == 2 &&
		    b + 1 > top)
			top = b + 1;
	fclose(f);
	return top;
}

/**
 * cp_guest_storage() - how much storage this guest has
 *
 * CP's QUERY VIRTUAL STORAGE ("STORAGE = 1G ...") when it answers, else
 * the highest System RAM Linux has (which mem= may have made smaller
 * than the guest's storage); st->source says which.
 */
void cp_guest_storage(struct cp_storage *st)
{
	char err[512], *resp, *p;
	int cprc;

	st->bytes = 0;
	if (!cp_command("QUERY VIRTUAL STORAGE", &cprc, &resp, err,
			sizeof(err))) {
		p = strstr(resp, "STORAGE =");
		if (!cprc && p && parse_size(p + 9 + strspn(p + 9, " "),
					     &st->bytes)) {
			snprintf(st->source, sizeof(st->source),
				 "CP: QUERY VIRTUAL STORAGE");
			free(resp);
			return;
		}
		free(resp);
		snprintf(st->source, sizeof(st->source), "Linux: /proc/iomem "
			 "(CP did not answer QUERY VIRTUAL STORAGE)");
	} else {
		snprintf(st->source, sizeof(st->source),
			 "Linux: /proc/iomem (no CP to ask)");
	}
	st->bytes = linux_storage();
	if (!st->bytes)
		snprintf(st->source, sizeof(st->source), "unknown");
}

bool cp_nss_overlaps(const struct cp_nss *n, uint64_t storage)
{
	int i;

	for (i = 0; i < n->nr; i++)
		if (n->r[i].start < storage)
			return true;
	return false;
}

/* Is segment @name loaded in this guest (by anyone: dcssdax, dcssblk)? */
static bool loaded_here(const char *name)
{
	char path[4096], line[256], *colon, *p;
	size_t len = strlen(name);
	bool found = false;
	FILE *f;

	if (dcss_path(path, sizeof(path), "/proc/iomem"))
		return false;
	f = fopen(path, "re");
	if (!f)
		return false;
	/* extmem names its resource "NAME     (DCSS)" */
	while (!found && fgets(line, sizeof(line), f)) {
		colon = strstr(line, " : ");
		if (line[0] == ' ' || !colon)
			continue;
		p = colon + 3;
		if (!strncmp(p, name, len) && p[len] == ' ' &&
		    !strncmp(p + len + strspn(p + len, " "), "(DCSS)", 6))
			found = true;
	}
	fclose(f);
	return found;
}

static void add_str(struct json_object *o, const char *key, const char *val)
{
	json_object_object_add(o, key, json_object_new_string(val));
}

struct json_object *cp_nss_to_json(const struct cp_nss *n,
				   const struct cp_storage *st,
				   unsigned int flags)
{
	struct json_object *o = json_object_new_object(), *arr, *r;
	char types[3 * CP_MAX_RANGES + 1] = "", owner[DCSS_NAME_MAX + 1];
	const struct cp_range *first = &n->r[0], *last = &n->r[n->nr - 1];
	int i;

	add_str(o, "name", n->name);
	add_str(o, "cp_file", n->file);
	json_object_object_add(o, "cp_class",
			       json_object_new_string_len(&n->cl, 1));
	add_str(o, "cp_state", cp_class_name(n->cl));
	json_object_object_add(o, "users", json_object_new_int(n->users));
	json_object_object_add(o, "start", json_addr(first->start, flags));
	json_object_object_add(o, "end", json_addr(last->end, flags));
	json_object_object_add(o, "size",
			       json_size(last->end + 1 - first->start, flags));
	arr = json_object_new_array();
	for (i = 0; i < n->nr; i++) {
		r = json_object_new_object();
		add_str(r, "type", n->r[i].type);
		json_object_object_add(r, "start",
				       json_addr(n->r[i].start, flags));
		json_object_object_add(r, "end", json_addr(n->r[i].end, flags));
		json_object_object_add(r, "size", json_size(n->r[i].end + 1 -
							    n->r[i].start,
							    flags));
		json_object_array_add(arr, r);
		if (i)
			strcat(types, ",");
		strcat(types, n->r[i].type);
	}
	add_str(o, "type", types);
	json_object_object_add(o, "ranges", arr);
	if (st && st->bytes)
		json_object_object_add(o, "overlaps_storage",
				       json_object_new_boolean(
					       cp_nss_overlaps(n, st->bytes)));
	/* what this guest has of it (by name: Linux cannot tell versions) */
	if (n->cl != 'S') {
		json_object_object_add(o, "loaded",
				       json_object_new_boolean(
					       loaded_here(n->name)));
		if (device_find_segment(n->name, owner))
			add_str(o, "device", owner);
	}
	return o;
}

/**
 * cp_add_hint() - what CP says of segments a load of which failed
 * @nl: the segments
 * @err: the driver's errno
 * @buf, @len: the message so far, to which CP's view is appended
 *
 * The driver's ENOENT means CP has no version to load (maybe only a
 * skeleton); EBUSY (extmem: overlaps memory in use), ERANGE, ENOSPC and
 * EIO (CP refused the load) often a segment over this guest's storage.
 * Without vmcp, or when CP does not answer, nothing is added.
 */
void cp_add_hint(const struct name_list *nl, int err, char *buf, size_t len)
{
	char msg[1024], stor[32];
	struct cp_nss_list list;
	const struct cp_nss *n;
	struct cp_storage st = { 0 };
	size_t off;
	int i;

	if (err != ENOENT && err != EBUSY && err != ERANGE &&
	    err != ENOSPC && err != EIO)
		return;
	for (i = 0; i < nl->nr; i++) {
		off = strlen(buf);
		if (off + 1 >= len || cp_query_nss(nl->name[i], &list, msg,
						   sizeof(msg)))
			return;
		n = cp_nss_current(&list, nl->name[i]);
		if (n && n->cl == 'S' && err == ENOENT) {
			snprintf(buf + off, len - off, "; CP has %s only as a "
				 "skeleton (DEFSEG without SAVESEG): SAVESEG "
				 "it from a guest whose storage holds its pages "
				 "(dcssctl define --saveseg)", n->name);
		} else if (n && n->cl == 'A' && err != ENOENT) {
			if (!st.bytes && !st.source[0])
				cp_guest_storage(&st);
			if (st.bytes && cp_nss_overlaps(n, st.bytes)) {
				size_short(st.bytes, stor, sizeof(stor));
				snprintf(buf + off, len - off, "; %s overlaps "
					 "this guest's storage (%s, from %s), "
					 "where CP cannot load it", n->name,
					 stor, st.source);
			}
		}
		cp_nss_list_free(&list);
	}
}
