/*
 * s390-cp: a test instrument that plays z/VM's CP for saved segments
 *
 * With "-device s390-cp,dir=DIR[,userid=NAME]" the guest is told
 * it runs on z/VM (STSI 3.2.2) and gets the CP services Linux uses for
 * discontiguous saved segments (DCSS): DIAGNOSE X'08' (CP commands, among
 * them DEFSEG, SAVESEG and QUERY NSS) and DIAGNOSE X'64' (find, load and
 * purge a saved segment).  The segments live in DIR, which several QEMU
 * processes may share; see qemu-cp/README.md in the dcssdax project for
 * what is emulated and what is not.
 *
 * DIR holds, for a segment NAME:
 *   NAME.seg        the saved definition: "origin USERID", "version N",
 *                   one "range FIRSTPAGE LASTPAGE TYPE" line per range
 *                   (page numbers in hex, as DEFSEG takes them)
 *   NAME.vN         the saved content of version N, from the first byte
 *                   of the first range to the last byte of the last one
 *   NAME.vN.live    the pages shared by the guests that hold version N
 *                   in shared mode, a copy of NAME.vN made by the first
 *                   of them and removed after the last
 *   NAME.skel       a definition made by DEFSEG and not yet saved
 *   .users/NAME.N.M.PID  one per QEMU process holding version N in mode M
 *                   (S shared, E exclusive); a process that is gone is
 *                   removed from the list at the next CP call of anyone
 *   .lock           flock()ed around every change
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include <sys/file.h>
#include <dirent.h>
#include "qapi/error.h"
#include "qemu/cutils.h"
#include "qemu/error-report.h"
#include "qemu/main-loop.h"
#include "qemu/queue.h"
#include "qemu/rcu.h"
#include "hw/qdev-core.h"
#include "hw/qdev-properties.h"
#include "qom/object.h"
#include "exec/address-spaces.h"
#include "exec/cputlb.h"
#include "exec/memory.h"
#include "exec/tb-flush.h"
#include "hw/s390x/ebcdic.h"
#include "system/reset.h"
#include "system/system.h"
#include "s390x-internal.h"
#include "cp.h"

OBJECT_DECLARE_SIMPLE_TYPE(S390CPState, S390_CP)

#define CP_MAX_RANGES   16
#define CP_PAGE         ((uint64_t)4096)
#define CP_CMD_MAX      240

/* DIAGNOSE X'64' subcodes (those Linux's extmem issues) */
#define DIAG64_PURGESEG 0x08
#define DIAG64_LOADSHRX 0x20
#define DIAG64_LOADNSRX 0x24
#define DIAG64_SEGEXTX  0x38
#define DIAG64_FINDSEGA 0x0c

/*
 * Return codes.  44 is CP's "segment does not exist", the one Linux tells
 * apart (-ENOENT); the others are this emulation's choice (Linux maps
 * every other one to -EIO) and are listed in the README.
 */
#define RC_NOTEXIST     44
#define RC_STORAGE      11      /* the segment overlaps guest storage */
#define RC_OVERLAP      12      /* it overlaps another loaded segment */
#define RC_HOSTERR      13      /* the host directory failed */
#define RC_UNKNOWN_CMD  1
#define RC_INVALID_OPT  3
#define RC_MISSING_OPD  26
#define RC_NOSTORAGE    9       /* SAVESEG: pages not in storage */

enum { SW, EW, SR, ER, SN, EN, SC };
static const char *const seg_types[] = { "SW", "EW", "SR", "ER", "SN", "EN",
                                         "SC" };

typedef struct CPRange {
    uint64_t start;             /* first byte */
    uint64_t end;               /* last byte */
    int type;
} CPRange;

typedef struct CPSeg {
    char name[9];
    char origin[9];
    unsigned version;
    int nr;
    CPRange r[CP_MAX_RANGES];
} CPSeg;

typedef struct CPLoaded {
    QTAILQ_ENTRY(CPLoaded) next;
    CPSeg seg;
    bool exclusive;
    /*
     * Each range's region has an owner of its own: the flat views that
     * still show a purged region hold its owner (memory_region_ref), so
     * the region lives until the last of them is gone (RCU).
     */
    Object *owner[CP_MAX_RANGES];
    MemoryRegion *mr[CP_MAX_RANGES];
} CPLoaded;

typedef struct CPRoList {
    struct rcu_head rcu;
    int n;
    struct {
        hwaddr start, end;
    } r[];
} CPRoList;

struct S390CPState {
    DeviceState parent_obj;
    char *dir;
    char *userid;
    int lockfd;
    char conmode[5];
    unsigned serial;
    time_t ipl_time;
    QTAILQ_HEAD(, CPLoaded) loaded;
    Notifier exit_notifier;
};

static S390CPState *cp_state;
static CPRoList *cp_ro;

bool s390_cp_active(void)
{
    return cp_state != NULL;
}

bool s390_cp_write_protected(hwaddr abs)
{
    CPRoList *ro;
    int i;

    if (!cp_state) {
        return false;
    }
    RCU_READ_LOCK_GUARD();
    ro = qatomic_rcu_read(&cp_ro);
    for (i = 0; ro && i < ro->n; i++) {
        if (abs >= ro->r[i].start && abs <= ro->r[i].end) {
            return true;
        }
    }
    return false;
}

static bool range_read_only(int type, bool exclusive)
{
    return type == SC || (!exclusive && (type == SR || type == ER));
}

static void cp_update_ro(S390CPState *s)
{
    CPRoList *ro, *old;
    CPLoaded *l;
    int n = 0, i;

    QTAILQ_FOREACH(l, &s->loaded, next) {
        n += l->seg.nr;
    }
    ro = g_malloc0(sizeof(*ro) + n * sizeof(ro->r[0]));
    QTAILQ_FOREACH(l, &s->loaded, next) {
        for (i = 0; i < l->seg.nr; i++) {
            if (range_read_only(l->seg.r[i].type, l->exclusive)) {
                ro->r[ro->n].start = l->seg.r[i].start;
                ro->r[ro->n].end = l->seg.r[i].end;
                ro->n++;
            }
        }
    }
    old = qatomic_rcu_read(&cp_ro);
    qatomic_rcu_set(&cp_ro, ro);
    if (old) {
        g_free_rcu(old, rcu);
    }
}

/* ---- the host directory ---- */

static char *cp_path(S390CPState *s, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

static char *cp_path(S390CPState *s, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *tail = NULL;

    va_start(ap, fmt);
    tail = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    return g_strdup_printf("%s/%s", s->dir, tail);
}

static void cp_lock(S390CPState *s)
{
    while (flock(s->lockfd, LOCK_EX) < 0 && errno == EINTR) {
        continue;
    }
}

static void cp_unlock(S390CPState *s)
{
    flock(s->lockfd, LOCK_UN);
}

static bool valid_name(const char *name)
{
    size_t i, len = strlen(name);

    if (len < 1 || len > 8) {
        return false;
    }
    for (i = 0; i < len; i++) {
        if (!g_ascii_isupper(name[i]) && !g_ascii_isdigit(name[i]) &&
            !strchr("$#@_", name[i])) {
            return false;
        }
    }
    return true;
}

static int type_of(const char *t)
{
    int i;

    for (i = 0; i < ARRAY_SIZE(seg_types); i++) {
        if (!g_ascii_strcasecmp(t, seg_types[i])) {
            return i;
        }
    }
    return -1;
}

static int cmp_range(const void *a, const void *b)
{
    const CPRange *x = a, *y = b;

    return x->start < y->start ? -1 : x->start > y->start;
}

/* Sort the ranges; false if two of them overlap. */
static bool seg_check(CPSeg *seg)
{
    int i;

    qsort(seg->r, seg->nr, sizeof(seg->r[0]), cmp_range);
    for (i = 1; i < seg->nr; i++) {
        if (seg->r[i].start <= seg->r[i - 1].end) {
            return false;
        }
    }
    return seg->nr > 0;
}

static uint64_t seg_span(const CPSeg *seg)
{
    return seg->r[seg->nr - 1].end + 1 - seg->r[0].start;
}

/* Read NAME.seg or NAME.skel; false if there is none (or it is bad). */
static bool seg_read(S390CPState *s, const char *name, const char *suffix,
                     CPSeg *seg)
{
    g_autofree char *path = cp_path(s, "%s.%s", name, suffix);
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    char tname[8];
    unsigned long long a, b;
    int i;

    memset(seg, 0, sizeof(*seg));
    if (!g_file_get_contents(path, &text, NULL, NULL)) {
        return false;
    }
    pstrcpy(seg->name, sizeof(seg->name), name);
    lines = g_strsplit(text, "\n", -1);
    for (i = 0; lines[i]; i++) {
        if (sscanf(lines[i], "version %u", &seg->version) == 1) {
            continue;
        }
        if (sscanf(lines[i], "origin %8s", seg->origin) == 1) {
            continue;
        }
        if (sscanf(lines[i], "range %llx %llx %3s", &a, &b, tname) == 3) {
            if (seg->nr == CP_MAX_RANGES || type_of(tname) < 0 || b < a) {
                return false;
            }
            seg->r[seg->nr].start = a * CP_PAGE;
            seg->r[seg->nr].end = (b + 1) * CP_PAGE - 1;
            seg->r[seg->nr].type = type_of(tname);
            seg->nr++;
        }
    }
    return seg_check(seg);
}

static bool seg_write(S390CPState *s, const CPSeg *seg, const char *suffix)
{
    g_autofree char *path = cp_path(s, "%s.%s", seg->name, suffix);
    g_autoptr(GString) text = g_string_new(NULL);
    int i;

    g_string_append_printf(text, "origin %s\n", seg->origin);
    if (seg->version) {
        g_string_append_printf(text, "version %u\n", seg->version);
    }
    for (i = 0; i < seg->nr; i++) {
        g_string_append_printf(text, "range %" PRIX64 " %" PRIX64 " %s\n",
                               seg->r[i].start / CP_PAGE,
                               seg->r[i].end / CP_PAGE,
                               seg_types[seg->r[i].type]);
    }
    /* g_file_set_contents writes a temporary file and renames it */
    return g_file_set_contents(path, text->str, text->len, NULL);
}

/* A decimal number, or -1 for anything else. */
static long num(const char *str)
{
    unsigned long v;

    if (qemu_strtoul(str, NULL, 10, &v) < 0 || v > LONG_MAX) {
        return -1;
    }
    return v;
}

/*
 * The saved definition is about to change (SAVESEG) or go (PURGE NSS):
 * keep it as NAME.vN.seg for the holders of version N, whom QUERY NSS
 * lists as pending purge until they let go.
 */
static void keep_def(S390CPState *s, const char *name)
{
    g_autofree char *suffix = NULL;
    CPSeg cur;

    if (seg_read(s, name, "seg", &cur)) {
        suffix = g_strdup_printf("v%u.seg", cur.version);
        seg_write(s, &cur, suffix);
    }
}

static bool pid_alive(long pid)
{
    return kill(pid, 0) == 0 || errno != ESRCH;
}

typedef struct Marker {
    char name[9];
    unsigned version;
    char mode;
    long pid;
} Marker;

static bool marker_parse(const char *file, Marker *m)
{
    g_auto(GStrv) f = g_strsplit(file, ".", -1);

    if (g_strv_length(f) != 4 || strlen(f[0]) > 8 || strlen(f[2]) != 1) {
        return false;
    }
    pstrcpy(m->name, sizeof(m->name), f[0]);
    m->version = num(f[1]);
    m->mode = f[2][0];
    m->pid = num(f[3]);
    return m->pid > 0;
}

/*
 * Walk the holders: drop those of processes that are gone (and, with
 * mine, this process's own), and count those of NAME version V in MODE
 * (0: any mode).
 */
static int markers_scan(S390CPState *s, const char *name, unsigned v,
                        char mode, bool mine)
{
    g_autofree char *dpath = cp_path(s, ".users");
    DIR *d = opendir(dpath);
    struct dirent *e;
    Marker m;
    int count = 0;

    if (!d) {
        return 0;
    }
    while ((e = readdir(d))) {
        if (!marker_parse(e->d_name, &m)) {
            continue;
        }
        if (!pid_alive(m.pid) || (mine && m.pid == getpid())) {
            g_autofree char *p = g_strdup_printf("%s/%s", dpath, e->d_name);
            unlink(p);
            continue;
        }
        if (name && !strcmp(m.name, name) && m.version == v &&
            (!mode || m.mode == mode)) {
            count++;
        }
    }
    closedir(d);
    return count;
}

static char *marker_path(S390CPState *s, const CPLoaded *l)
{
    return cp_path(s, ".users/%s.%u.%c.%ld", l->seg.name, l->seg.version,
                   l->exclusive ? 'E' : 'S', (long)getpid());
}

/*
 * Remove what nobody holds any more: old versions, live copies without
 * a shared holder, temporary files of processes that are gone.
 */
static void cp_gc(S390CPState *s)
{
    DIR *d = opendir(s->dir);
    struct dirent *e;

    markers_scan(s, NULL, 0, 0, false);
    if (!d) {
        return;
    }
    while ((e = readdir(d))) {
        g_auto(GStrv) f = g_strsplit(e->d_name, ".", -1);
        int n = g_strv_length(f);
        g_autofree char *p = g_strdup_printf("%s/%s", s->dir, e->d_name);
        CPSeg cur;
        unsigned v;

        if (n >= 3 && !strcmp(f[0], "") && !strcmp(f[1], "tmp")) {
            if (num(f[2]) > 0 && !pid_alive(num(f[2]))) {
                unlink(p);
            }
            continue;
        }
        if ((n != 2 && n != 3) || f[1][0] != 'v' || !valid_name(f[0])) {
            continue;
        }
        v = num(f[1] + 1);
        if (n == 3) {
            g_autofree char *saved = cp_path(s, "%s.%s", f[0], f[1]);

            if ((!strcmp(f[2], "live") &&
                 !markers_scan(s, f[0], v, 'S', false)) ||
                (!strcmp(f[2], "seg") && access(saved, F_OK) < 0)) {
                unlink(p);
            }
            continue;
        }
        if (seg_read(s, f[0], "seg", &cur) && cur.version == v) {
            continue;
        }
        if (!markers_scan(s, f[0], v, 0, false)) {
            g_autofree char *def = cp_path(s, "%s.v%u.seg", f[0], v);

            unlink(p);
            unlink(def);
        }
    }
    closedir(d);
}

/* ---- guest storage ---- */

static bool real_rw(CPUS390XState *env, uint64_t raddr, void *buf,
                    uint64_t len, bool write)
{
    while (len) {
        uint64_t n = MIN(len, CP_PAGE - (raddr & (CP_PAGE - 1)));
        hwaddr abs = mmu_real2abs(env, raddr);
        MemTxResult r;

        r = address_space_rw(&address_space_memory, abs,
                             MEMTXATTRS_UNSPECIFIED, buf, n, write);
        if (r != MEMTX_OK) {
            return false;
        }
        raddr += n;
        buf = (uint8_t *)buf + n;
        len -= n;
    }
    return true;
}

static CPLoaded *find_loaded(S390CPState *s, const char *name)
{
    CPLoaded *l;

    QTAILQ_FOREACH(l, &s->loaded, next) {
        if (!strcmp(l->seg.name, name)) {
            return l;
        }
    }
    return NULL;
}

static void flush_own_tlb(CPUState *cs, run_on_cpu_data data)
{
    tlb_flush(cs);
}

/*
 * After the guest-real map changed.  A TLB belongs to its vCPU's thread:
 * flushing another running vCPU's TLB from here tore its entries (a
 * matching tag with a stale addend; that vCPU crashed QEMU in generated
 * code, -smp 2).  So this vCPU flushes its own now, the others theirs
 * before they run on; until then their old entries point to host memory
 * that RCU keeps (they are inside cpu_exec's read-side section).  With
 * no vCPU thread here (reset, exit) no vCPU runs, and all are flushed.
 */
static void flush_all(void)
{
    CPUState *cs;

    CPU_FOREACH(cs) {
        if (!current_cpu || cs == current_cpu) {
            tlb_flush(cs);
        } else {
            async_run_on_cpu(cs, flush_own_tlb, RUN_ON_CPU_NULL);
        }
    }
    tb_flush(first_cpu);
}

/* BQL held; the lock is not needed (only this process's marker goes). */
static void seg_purge(S390CPState *s, CPLoaded *l)
{
    g_autofree char *mpath = marker_path(s, l);
    int i;

    for (i = 0; i < l->seg.nr; i++) {
        memory_region_del_subregion(get_system_memory(), l->mr[i]);
        object_unref(l->owner[i]);
    }
    unlink(mpath);
    QTAILQ_REMOVE(&s->loaded, l, next);
    g_free(l);
    cp_update_ro(s);
    flush_all();
}

static bool copy_file(int from, int to, uint64_t len)
{
    off_t in = 0, out = 0;

    while (len) {
        ssize_t n = copy_file_range(from, &in, to, &out, len, 0);

        if (n <= 0) {
            return false;
        }
        len -= n;
    }
    return true;
}

/* Open (and for the first shared holder, make) version V's live copy. */
static int open_live(S390CPState *s, const CPSeg *seg, int savedfd)
{
    g_autofree char *live = cp_path(s, "%s.v%u.live", seg->name,
                                    seg->version);
    g_autofree char *tmp = cp_path(s, ".tmp.%ld.live", (long)getpid());
    int fd;

    if (markers_scan(s, seg->name, seg->version, 'S', false)) {
        fd = open(live, O_RDWR);
        if (fd >= 0) {
            return fd;
        }
    }
    fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        return -1;
    }
    if (!copy_file(savedfd, fd, seg_span(seg)) || rename(tmp, live) < 0) {
        close(fd);
        unlink(tmp);
        return -1;
    }
    return fd;
}

/* BQL and the lock held: map SEG's ranges; a CP return code. */
static int seg_map(S390CPState *s, const CPSeg *seg, bool exclusive,
                   CPLoaded **out)
{
    g_autofree char *saved = cp_path(s, "%s.v%u", seg->name, seg->version);
    g_autofree char *mpath = NULL;
    CPLoaded *l, *o;
    int savedfd, livefd = -1, i, rc = 0;
    Error *err = NULL;

    for (i = 0; i < seg->nr; i++) {
        uint64_t a = seg->r[i].start, len = seg->r[i].end + 1 - a;
        MemoryRegionSection sec;

        QTAILQ_FOREACH(o, &s->loaded, next) {
            if (a <= o->seg.r[o->seg.nr - 1].end &&
                seg->r[i].end >= o->seg.r[0].start) {
                return RC_OVERLAP;
            }
        }
        sec = memory_region_find(get_system_memory(), a, len);
        if (sec.mr) {
            memory_region_unref(sec.mr);
            return RC_STORAGE;
        }
    }
    savedfd = open(saved, O_RDWR);
    if (savedfd < 0) {
        return RC_NOTEXIST;
    }
    l = g_new0(CPLoaded, 1);
    l->seg = *seg;
    l->exclusive = exclusive;
    for (i = 0; i < seg->nr; i++) {
        const CPRange *r = &seg->r[i];
        uint64_t len = r->end + 1 - r->start;
        uint64_t off = r->start - seg->r[0].start;
        bool ro = range_read_only(r->type, exclusive);
        bool shared = !exclusive && (r->type == SW || r->type == SR ||
                                     r->type == SN || r->type == SC);
        uint32_t flags = (ro ? RAM_READONLY : 0) | (shared ? RAM_SHARED : 0);
        g_autofree char *mrname = g_strdup_printf("s390-cp-%s-%u-%u",
                                                  seg->name, i, s->serial++);
        Object *owner = object_new(TYPE_CONTAINER);
        MemoryRegion *mr = g_new0(MemoryRegion, 1);
        int fd = -1;
        bool ok;

        if (shared && livefd < 0) {
            livefd = open_live(s, seg, savedfd);
            if (livefd < 0) {
                g_free(mr);
                object_unref(owner);
                rc = RC_HOSTERR;
                break;
            }
        }
        if (r->type == EN || (exclusive && r->type == SN)) {
            ok = memory_region_init_ram_flags_nomigrate(mr, owner, mrname,
                                                        len, 0, &err);
        } else {
            /* the RAM block closes it when it goes */
            fd = dup(shared ? livefd : savedfd);
            ok = fd >= 0 &&
                 memory_region_init_ram_from_fd(mr, owner, mrname, len, flags,
                                                fd, off, &err);
        }
        if (!ok) {
            if (fd >= 0) {
                close(fd);
            }
            if (err) {
                error_report_err(err);
                err = NULL;
            }
            g_free(mr);
            object_unref(owner);
            rc = RC_HOSTERR;
            break;
        }
        OBJECT(mr)->free = g_free;
        l->owner[i] = owner;
        l->mr[i] = mr;
    }
    close(savedfd);
    if (livefd >= 0) {
        close(livefd);
    }
    if (rc) {
        while (--i >= 0) {
            object_unref(l->owner[i]);
        }
        g_free(l);
        return rc;
    }
    for (i = 0; i < seg->nr; i++) {
        memory_region_add_subregion(get_system_memory(), seg->r[i].start,
                                    l->mr[i]);
    }
    QTAILQ_INSERT_TAIL(&s->loaded, l, next);
    mpath = marker_path(s, l);
    g_file_set_contents(mpath, "", 0, NULL);
    cp_update_ro(s);
    flush_all();
    *out = l;
    return 0;
}

/* ---- DIAGNOSE X'64' ---- */

static bool read_name(CPUS390XState *env, uint64_t raddr, char *name)
{
    uint8_t e[8];
    int i;

    if (!real_rw(env, raddr, e, 8, false)) {
        return false;
    }
    ascii_put((uint8_t *)name, (char *)e, 8);
    for (i = 8; i > 0 && name[i - 1] == ' '; i--) {
        continue;
    }
    name[i] = 0;
    return true;
}

static int diag64(S390CPState *s, CPUS390XState *env, uint32_t r1,
                  uint32_t r3, uintptr_t ra)
{
    uint64_t rx = env->regs[r1], sub = env->regs[r3];
    char name[9];
    CPLoaded *l;
    CPSeg seg;
    int rc = 0;

    if (sub != DIAG64_PURGESEG && sub != DIAG64_LOADSHRX &&
        sub != DIAG64_LOADNSRX && sub != DIAG64_SEGEXTX) {
        s390_program_interrupt(env, PGM_SPECIFICATION, ra);
    }
    if (sub == DIAG64_SEGEXTX) {
        uint8_t qin[24], qout[24 + 6 * 16];
        uint32_t outptr;
        int16_t outlen;
        int i, n;

        if (!real_rw(env, rx, qin, sizeof(qin), false)) {
            s390_program_interrupt(env, PGM_ADDRESSING, ra);
        }
        outptr = ldl_be_p(qin + 16);
        outlen = lduw_be_p(qin + 20);
        if (qin[0] != DIAG64_FINDSEGA || outlen < 24) {
            s390_program_interrupt(env, PGM_SPECIFICATION, ra);
        }
        ascii_put((uint8_t *)name, (char *)qin + 8, 8);
        for (i = 8; i > 0 && name[i - 1] == ' '; i--) {
            continue;
        }
        name[i] = 0;
        cp_lock(s);
        cp_gc(s);
        if (!seg_read(s, name, "seg", &seg)) {
            cp_unlock(s);
            env->regs[r3] = RC_NOTEXIST;
            return 2;
        }
        cp_unlock(s);
        n = MIN(seg.nr, MIN(6, (outlen - 24) / 16));
        memset(qout, 0, sizeof(qout));
        stq_be_p(qout, seg.r[0].start);
        stq_be_p(qout + 8, seg.r[seg.nr - 1].end);
        stl_be_p(qout + 16, seg.nr);
        stl_be_p(qout + 20, n);
        for (i = 0; i < n; i++) {
            stq_be_p(qout + 24 + 16 * i, seg.r[i].start | seg.r[i].type);
            stq_be_p(qout + 32 + 16 * i, seg.r[i].end);
        }
        if (!real_rw(env, outptr, qout, 24 + 16 * n, true)) {
            s390_program_interrupt(env, PGM_ADDRESSING, ra);
        }
        return 0;
    }
    if (!read_name(env, rx, name)) {
        s390_program_interrupt(env, PGM_ADDRESSING, ra);
    }
    l = find_loaded(s, name);
    if (sub == DIAG64_PURGESEG) {
        if (l) {
            seg_purge(s, l);
        }
        return 0;
    }
    /* A load of a segment held in the other mode replaces it. */
    if (l && l->exclusive != (sub == DIAG64_LOADNSRX)) {
        seg_purge(s, l);
        l = NULL;
    }
    if (!l) {
        cp_lock(s);
        cp_gc(s);
        if (!seg_read(s, name, "seg", &seg)) {
            rc = RC_NOTEXIST;
        } else {
            rc = seg_map(s, &seg, sub == DIAG64_LOADNSRX, &l);
        }
        cp_unlock(s);
    }
    if (rc) {
        env->regs[r3] = rc;
        return 2;
    }
    env->regs[r1] = l->seg.r[0].start;
    env->regs[r3] = l->seg.r[l->seg.nr - 1].end;
    return 0;
}

/* ---- CP commands (DIAGNOSE X'08') ---- */

static int cmp_name(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmd_query_nss(S390CPState *s, char **arg, GString *out)
{
    g_autofree char *only = NULL;
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    bool map = false;
    DIR *d;
    struct dirent *e;
    guint k;

    for (; *arg; arg++) {
        if (!strcmp(*arg, "MAP")) {
            map = true;
        } else if (!strcmp(*arg, "ALL") || !strcmp(*arg, "DCSS")) {
            continue;
        } else if (!strcmp(*arg, "NAME") && arg[1]) {
            only = g_strdup(*++arg);
        } else {
            g_string_append_printf(out, "HCPQNS003E Invalid option - %s\n",
                                   *arg);
            return RC_INVALID_OPT;
        }
    }
    cp_lock(s);
    cp_gc(s);
    d = opendir(s->dir);
    while (d && (e = readdir(d))) {
        g_auto(GStrv) f = g_strsplit(e->d_name, ".", -1);

        if (g_strv_length(f) == 2 && valid_name(f[0]) &&
            (!strcmp(f[1], "seg") || !strcmp(f[1], "skel") ||
             f[1][0] == 'v') && (!only || !strcmp(only, f[0]))) {
            g_ptr_array_add(names, g_strdup(e->d_name));
        }
    }
    if (d) {
        closedir(d);
    }
    g_ptr_array_sort(names, cmp_name);
    if (map) {
        g_string_append(out, "FILE FILENAME  FILETYPE MINSIZE  BEGPAG ENDPAG "
                        "TYPE CL #USERS PARMREGS VMGROUP\n");
    } else {
        g_string_append(out, "OWNERID  FILE TYPE CL RECS DATE  TIME     "
                        "FILENAME FILETYPE ORIGINID\n");
    }
    for (k = 0; k < names->len; k++) {
        g_auto(GStrv) f = g_strsplit(names->pdata[k], ".", -1);
        g_autofree char *path = cp_path(s, "%s", (char *)names->pdata[k]);
        CPSeg seg, cur;
        char cl;
        uint64_t pages = 0;
        struct stat st;
        struct tm tm;
        int i, users;

        if (!strcmp(f[1], "skel")) {
            if (!seg_read(s, f[0], "skel", &seg)) {
                continue;
            }
            cl = 'S';
        } else if (!strcmp(f[1], "seg")) {
            if (!seg_read(s, f[0], "seg", &seg)) {
                continue;
            }
            cl = 'A';
        } else {
            /* an old version still held: pending purge */
            unsigned v = num(f[1] + 1);
            g_autofree char *suffix = g_strdup_printf("v%u.seg", v);

            if ((seg_read(s, f[0], "seg", &cur) && cur.version == v) ||
                !seg_read(s, f[0], suffix, &seg)) {
                continue;
            }
            seg.version = v;
            cl = 'P';
        }
        users = cl == 'S' ? 0 : markers_scan(s, seg.name, seg.version, 0,
                                              false);
        for (i = 0; i < seg.nr; i++) {
            pages += (seg.r[i].end + 1 - seg.r[i].start) / CP_PAGE;
        }
        if (stat(path, &st) < 0) {
            continue;
        }
        gmtime_r(&st.st_mtime, &tm);
        if (!map) {
            g_string_append_printf(out, "*NSS     %04u DCSS %c  %5" PRIu64
                                   " %02d/%02d %02d:%02d:%02d %-8s DCSS"
                                   "     %s\n",
                                   seg.version % 10000, cl, pages,
                                   tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                                   tm.tm_min, tm.tm_sec, seg.name,
                                   seg.origin);
            continue;
        }
        for (i = 0; i < seg.nr; i++) {
            if (i == 0) {
                g_string_append_printf(out, "%04u %-8s DCSS       N/A    ",
                                       seg.version % 10000, seg.name);
            } else {
                g_string_append(out, "                                 ");
            }
            g_string_append_printf(out, "%05" PRIX64 "  %05" PRIX64 "  %s",
                                   seg.r[i].start / CP_PAGE,
                                   seg.r[i].end / CP_PAGE,
                                   seg_types[seg.r[i].type]);
            if (i == 0) {
                g_string_append_printf(out, "   %c  %05d  N/A      N/A",
                                       cl, users);
            }
            g_string_append_c(out, '\n');
        }
    }
    cp_unlock(s);
    return 0;
}

/* DEFSEG name hexpage1-hexpage2 type ... [LOADNSHR] [RSTD] */
static int cmd_defseg(S390CPState *s, char **arg, GString *out)
{
    CPSeg seg = { };
    unsigned v;

    if (!arg[0] || !arg[1]) {
        g_string_append(out, "HCPNSD026E Operand missing or invalid\n");
        return RC_MISSING_OPD;
    }
    if (!valid_name(arg[0])) {
        g_string_append_printf(out, "HCPNSD003E Invalid option - %s\n",
                               arg[0]);
        return RC_INVALID_OPT;
    }
    pstrcpy(seg.name, sizeof(seg.name), *arg++);
    pstrcpy(seg.origin, sizeof(seg.origin), s->userid);
    for (; *arg; arg++) {
        unsigned long long a, b;
        char sep, junk;
        int t;

        if (!strcmp(*arg, "LOADNSHR") || !strcmp(*arg, "RSTD")) {
            continue;
        }
        t = arg[1] ? type_of(arg[1]) : -1;
        if (sscanf(*arg, "%llx%c%llx%c", &a, &sep, &b, &junk) != 3 ||
            (sep != '-' && sep != '.') || t < 0 || seg.nr == CP_MAX_RANGES) {
            g_string_append_printf(out, "HCPNSD003E Invalid option - %s\n",
                                   *arg);
            return RC_INVALID_OPT;
        }
        if (sep == '.') {
            if (!b) {
                g_string_append_printf(out,
                                       "HCPNSD003E Invalid option - %s\n",
                                       *arg);
                return RC_INVALID_OPT;
            }
            b = a + b - 1;
        }
        if (b < a || b >= (1ULL << 52) / CP_PAGE) {
            g_string_append_printf(out, "HCPNSD003E Invalid option - %s\n",
                                   *arg);
            return RC_INVALID_OPT;
        }
        seg.r[seg.nr].start = a * CP_PAGE;
        seg.r[seg.nr].end = (b + 1) * CP_PAGE - 1;
        seg.r[seg.nr].type = t;
        seg.nr++;
        arg++;
    }
    if (!seg_check(&seg)) {
        g_string_append(out, "HCPNSD026E Operand missing or invalid\n");
        return RC_MISSING_OPD;
    }
    cp_lock(s);
    if (!seg_write(s, &seg, "skel")) {
        cp_unlock(s);
        g_string_append(out, "HCPNSD013E host directory not writable\n");
        return RC_HOSTERR;
    }
    {
        CPSeg cur;

        v = seg_read(s, seg.name, "seg", &cur) ? cur.version + 1 : 1;
    }
    cp_unlock(s);
    g_string_append_printf(out, "HCPNSD440I Saved segment %s was "
                           "successfully defined in fileid %04u.\n",
                           seg.name, v % 10000);
    return 0;
}

/* SAVESEG name: the issuer's storage at the skeleton's pages, as N+1. */
static int cmd_saveseg(S390CPState *s, CPUS390XState *env, char **arg,
                       GString *out)
{
    g_autofree char *tmp = NULL, *dst = NULL;
    g_autofree uint8_t *buf = NULL;
    CPSeg seg, cur;
    int fd, i, rc = 0;

    if (!arg[0]) {
        g_string_append(out, "HCPNSS026E Operand missing or invalid\n");
        return RC_MISSING_OPD;
    }
    cp_lock(s);
    cp_gc(s);
    if (!seg_read(s, arg[0], "skel", &seg)) {
        cp_unlock(s);
        g_string_append_printf(out, "HCPNSS044E DCSS %s does not exist\n",
                               arg[0]);
        return RC_NOTEXIST;
    }
    seg.version = seg_read(s, seg.name, "seg", &cur) ? cur.version + 1 : 1;
    pstrcpy(seg.origin, sizeof(seg.origin), s->userid);
    tmp = cp_path(s, ".tmp.%ld.save", (long)getpid());
    dst = cp_path(s, "%s.v%u", seg.name, seg.version);
    fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || ftruncate(fd, seg_span(&seg)) < 0) {
        rc = RC_HOSTERR;
        goto out;
    }
    buf = g_malloc(1024 * 1024);
    for (i = 0; i < seg.nr && !rc; i++) {
        uint64_t a = seg.r[i].start;

        if (seg.r[i].type == SN || seg.r[i].type == EN) {
            continue;       /* no data saved */
        }
        while (a <= seg.r[i].end) {
            uint64_t n = MIN(1024 * 1024, seg.r[i].end + 1 - a);

            if (!real_rw(env, a, buf, n, false)) {
                rc = RC_NOSTORAGE;
                break;
            }
            if (pwrite(fd, buf, n, a - seg.r[0].start) != n) {
                rc = RC_HOSTERR;
                break;
            }
            a += n;
        }
    }
    if (!rc) {
        keep_def(s, seg.name);
    }
    if (!rc && (fsync(fd) < 0 || rename(tmp, dst) < 0 ||
                !seg_write(s, &seg, "seg"))) {
        rc = RC_HOSTERR;
    }
out:
    if (fd >= 0) {
        close(fd);
    }
    if (rc) {
        unlink(tmp);
    } else {
        g_autofree char *skel = cp_path(s, "%s.skel", seg.name);

        unlink(skel);
        cp_gc(s);
    }
    cp_unlock(s);
    if (rc == RC_NOSTORAGE) {
        g_string_append_printf(out, "HCPNSS009E Saved segment %s: pages not "
                               "in storage\n", seg.name);
    } else if (rc) {
        g_string_append(out, "HCPNSS013E host directory not writable\n");
    } else {
        g_string_append_printf(out, "HCPNSS440I Saved segment %s was "
                               "successfully saved in fileid %04u.\n",
                               seg.name, seg.version % 10000);
    }
    return rc;
}

/* PURGE NSS NAME name: holders keep their version until they let go */
static int cmd_purge(S390CPState *s, char **arg, GString *out)
{
    g_autofree char *seg = NULL, *skel = NULL;
    bool had;

    if (!arg[0] || strcmp(arg[0], "NSS") || !arg[1] ||
        strcmp(arg[1], "NAME") || !arg[2] || arg[3]) {
        g_string_append(out, "HCPPUR026E Operand missing or invalid\n");
        return RC_MISSING_OPD;
    }
    seg = cp_path(s, "%s.seg", arg[2]);
    skel = cp_path(s, "%s.skel", arg[2]);
    cp_lock(s);
    keep_def(s, arg[2]);
    had = !unlink(seg);
    had |= !unlink(skel);
    cp_gc(s);
    cp_unlock(s);
    if (!had) {
        g_string_append_printf(out, "HCPPUR044E DCSS %s does not exist\n",
                               arg[2]);
        return RC_NOTEXIST;
    }
    g_string_append(out, "0001 FILE PURGED\n");
    return 0;
}

static int cp_command(S390CPState *s, CPUS390XState *env, const char *line,
                      GString *out)
{
    g_autofree char *up = g_ascii_strup(line, -1);
    g_auto(GStrv) tok = g_strsplit_set(g_strstrip(up), " ", -1);
    char *t[24] = { };
    char **a;
    int i, n = 0;

    for (i = 0; tok[i] && n < ARRAY_SIZE(t) - 1; i++) {
        if (*tok[i]) {
            t[n++] = tok[i];
        }
    }
    a = t;
    if (a[0] && !strcmp(a[0], "CP")) {
        a++;
    }
    if (!a[0]) {
        return 0;
    }
    if (!strcmp(a[0], "Q") || !strcmp(a[0], "QUERY")) {
        const char *what = a[1] ? a[1] : "";

        if (!strcmp(what, "CPLEVEL")) {
            struct tm tm;

            gmtime_r(&s->ipl_time, &tm);
            g_string_append_printf(out, "z/VM Version 7 Release 3.0, service "
                                   "level 0000 (64-bit)\n"
                                   "Generated by QEMU s390-cp, an emulation "
                                   "of CP for saved segments\n"
                                   "IPL at %02d/%02d/%02d %02d:%02d:%02d "
                                   "UTC\n", tm.tm_mon + 1, tm.tm_mday,
                                   tm.tm_year % 100, tm.tm_hour, tm.tm_min,
                                   tm.tm_sec);
            return 0;
        }
        if (!strcmp(what, "USERID")) {
            g_string_append_printf(out, "%-8s AT QEMUCP\n", s->userid);
            return 0;
        }
        if (!strcmp(what, "CONSOLE")) {
            /* no 3215 device: a subchannel number no device has */
            g_string_append(out, "CONS 0009 ON LDEV L0003   TERM START\n"
                            "     0009 CL T NOCONT NOHOLD COPY 001    "
                            "READY FORM STANDARD\n"
                            "     0009 TO *        DIST OFF\n"
                            "     0009 FLASHC 000 DEST OFF\n"
                            "     0009 3215   NOTERM NOKEEP NOMSG  NONAME\n"
                            "     0009 SUBCHANNEL = FFFF\n");
            return 0;
        }
        if (!strcmp(what, "TERM") || !strcmp(what, "TERMINAL")) {
            g_string_append_printf(out, "LINEND #, LINEDEL OFF, CHARDEL OFF, "
                                   "ESCAPE \", TABCHAR OFF\n"
                                   "LINESIZE 080, ATTN OFF, APL OFF, "
                                   "TEXT OFF, MODE VM, HILIGHT OFF\n"
                                   "CONMODE %s, BREAKIN IMMED, BRKKEY PA1, "
                                   "SCROLL CONT\n", s->conmode);
            return 0;
        }
        if (!strcmp(what, "NSS")) {
            return cmd_query_nss(s, a + 2, out);
        }
        g_string_append_printf(out, "HCPCQU003E Invalid option - %s\n",
                               *what ? what : "(none)");
        return RC_INVALID_OPT;
    }
    if (!strcmp(a[0], "TERM") || !strcmp(a[0], "TERMINAL")) {
        if (a[1] && a[2] && !a[3] && !strcmp(a[1], "CONMODE") &&
            (!strcmp(a[2], "3215") || !strcmp(a[2], "3270"))) {
            pstrcpy(s->conmode, sizeof(s->conmode), a[2]);
            return 0;
        }
        if (a[1] && a[2] && !a[3] && !strcmp(a[1], "AUTOCR") &&
            (!strcmp(a[2], "ON") || !strcmp(a[2], "OFF"))) {
            return 0;
        }
        g_string_append_printf(out, "HCPCFT003E Invalid option - %s\n",
                               a[1] ? a[1] : "(none)");
        return RC_INVALID_OPT;
    }
    if (!strcmp(a[0], "DEFSEG")) {
        return cmd_defseg(s, a + 1, out);
    }
    if (!strcmp(a[0], "SAVESEG")) {
        return cmd_saveseg(s, env, a + 1, out);
    }
    if (!strcmp(a[0], "PURGE")) {
        return cmd_purge(s, a + 1, out);
    }
    g_string_append_printf(out, "HCPCMD001E Unknown CP command: %s\n", a[0]);
    return RC_UNKNOWN_CMD;
}

/*
 * DIAGNOSE X'08': Rx the command's address, Ry its length; with bit
 * X'40000000' of Ry set, Rx+1 and Ry+1 give the response buffer.  Out:
 * Ry the return code, Ry+1 the response length (cc 0) or the number of
 * bytes that did not fit (cc 1).
 */
static int diag8(S390CPState *s, CPUS390XState *env, uint32_t r1,
                 uint32_t r3, uintptr_t ra)
{
    uint64_t ry = env->regs[r3];
    uint32_t len = ry & 0x00ffffff;
    bool response = ry & 0x40000000;
    g_autoptr(GString) out = g_string_new(NULL);
    char cmd[CP_CMD_MAX + 1];
    uint8_t ebc[CP_CMD_MAX];
    int rc, cc = 0;
    size_t i;

    if (len > CP_CMD_MAX || (response && ((r1 & 1) || (r3 & 1)))) {
        s390_program_interrupt(env, PGM_SPECIFICATION, ra);
    }
    if (!real_rw(env, env->regs[r1], ebc, len, false)) {
        s390_program_interrupt(env, PGM_ADDRESSING, ra);
    }
    ascii_put((uint8_t *)cmd, (char *)ebc, len);
    cmd[len] = 0;
    rc = cp_command(s, env, cmd, out);
    if (out->len && out->str[out->len - 1] == '\n') {
        g_string_truncate(out, out->len - 1);
    }
    if (response) {
        uint64_t buf = env->regs[r1 + 1];
        uint32_t blen = env->regs[r3 + 1];
        uint32_t n = MIN(blen, out->len);
        g_autofree uint8_t *e = g_malloc(out->len + 1);

        ebcdic_put(e, out->str, out->len);
        for (i = 0; i < out->len; i++) {
            if (out->str[i] == '\n') {
                e[i] = 0x15;    /* CP separates lines with NL */
            }
        }
        if (!real_rw(env, buf, e, n, true)) {
            s390_program_interrupt(env, PGM_ADDRESSING, ra);
        }
        if (n < out->len) {
            cc = 1;
            env->regs[r3 + 1] = deposit64(env->regs[r3 + 1], 0, 32,
                                          out->len - n);
        } else {
            env->regs[r3 + 1] = deposit64(env->regs[r3 + 1], 0, 32, n);
        }
    } else if (out->len) {
        /* without a buffer CP writes the response to the console */
        error_printf("s390-cp %s: %s\n", s->userid, out->str);
    }
    env->regs[r3] = deposit64(env->regs[r3], 0, 32, rc);
    return cc;
}

int s390_cp_diag(CPUS390XState *env, uint32_t r1, uint32_t r3,
                 uint32_t code, uintptr_t ra)
{
    S390CPState *s = cp_state;
    int cc;

    if (!s || (code != 0x8 && code != 0x64)) {
        return -1;
    }
    bql_lock();
    cc = code == 0x8 ? diag8(s, env, r1, r3, ra) : diag64(s, env, r1, r3, ra);
    bql_unlock();
    return cc;
}

/* ---- the device ---- */

/* A reset or re-IPL purges every segment the guest holds. */
static void cp_reset(void *opaque)
{
    S390CPState *s = opaque;

    while (!QTAILQ_EMPTY(&s->loaded)) {
        seg_purge(s, QTAILQ_FIRST(&s->loaded));
    }
    pstrcpy(s->conmode, sizeof(s->conmode), "3215");
}

static void cp_exit(Notifier *n, void *data)
{
    S390CPState *s = container_of(n, S390CPState, exit_notifier);

    cp_lock(s);
    markers_scan(s, NULL, 0, 0, true);
    cp_gc(s);
    cp_unlock(s);
}

static void cp_realize(DeviceState *dev, Error **errp)
{
    S390CPState *s = S390_CP(dev);
    g_autofree char *users = NULL, *lock = NULL;
    const char *u = s->userid ? s->userid : (qemu_name ? qemu_name : "QEMU");
    g_autofree char *up = g_ascii_strup(u, -1);

    if (cp_state) {
        error_setg(errp, "only one s390-cp device can exist");
        return;
    }
    if (!s->dir) {
        error_setg(errp, "s390-cp needs dir=DIRECTORY");
        return;
    }
    if (!valid_name(up)) {
        error_setg(errp, "s390-cp: userid '%s' is not 1-8 letters or digits",
                   u);
        return;
    }
    g_free(s->userid);
    s->userid = g_steal_pointer(&up);
    users = cp_path(s, ".users");
    if (g_mkdir_with_parents(users, 0755) < 0) {
        error_setg_errno(errp, errno, "s390-cp: cannot make %s", users);
        return;
    }
    lock = cp_path(s, ".lock");
    s->lockfd = open(lock, O_RDWR | O_CREAT, 0644);
    if (s->lockfd < 0) {
        error_setg_errno(errp, errno, "s390-cp: cannot open %s", lock);
        return;
    }
    cp_lock(s);
    cp_gc(s);
    cp_unlock(s);
    pstrcpy(s->conmode, sizeof(s->conmode), "3215");
    s->ipl_time = time(NULL);
    QTAILQ_INIT(&s->loaded);
    qemu_register_reset(cp_reset, s);
    s->exit_notifier.notify = cp_exit;
    qemu_add_exit_notifier(&s->exit_notifier);
    cp_state = s;
}

static const Property cp_properties[] = {
    DEFINE_PROP_STRING("dir", S390CPState, dir),
    DEFINE_PROP_STRING("userid", S390CPState, userid),
};

static void cp_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->realize = cp_realize;
    dc->hotpluggable = false;
    dc->desc = "z/VM's CP for saved segments (DIAGNOSE X'08', X'64'), "
               "segments in the host directory dir= (shared by guests)";
    device_class_set_props(dc, cp_properties);
    set_bit(DEVICE_CATEGORY_MISC, dc->categories);
}

static const TypeInfo cp_info = {
    .name = TYPE_S390_CP,
    .parent = TYPE_DEVICE,
    .instance_size = sizeof(S390CPState),
    .class_init = cp_class_init,
};

static void cp_register_types(void)
{
    type_register_static(&cp_info);
}

type_init(cp_register_types)
