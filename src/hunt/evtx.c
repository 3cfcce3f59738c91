/* evtx.c: Windows event log checks through libevtx: CVE-2021-26857 in the Application log
 * and the cmdlet history in MSExchange Management (Set-*VirtualDirectory with script,
 * ProxyShell's export of a mailbox to an .aspx file and its role assignment). A corrupt
 * or truncated file is reported with its name and the records that could be read count. */
#include "../core/buf.h"
#include "hunt.h"
#include "lines.h"
#include "fsro.h"
#include "vfs.h"
#include <libevtx.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <strings.h>

static char *rec_str(libevtx_record_t *rec, int i)
{
    size_t sz = 0;
    if (libevtx_record_get_utf8_string_size(rec, i, &sz, NULL) != 1 || sz == 0 || sz > (1u << 20))
        return NULL;
    char *s = exr_xmalloc(sz + 1);
    if (libevtx_record_get_utf8_string(rec, i, (uint8_t *)s, sz, NULL) != 1) {
        free(s);
        return NULL;
    }
    s[sz] = 0;
    return s;
}

static bool has(const char *s, const char *needle)
{
    return s && exr_memcasestr(s, strlen(s), needle);
}

static void check_record(exr_hunt *h, const char *rel, libevtx_record_t *rec, long recno, exr_buf *ev)
{
    char src[256] = "";
    size_t sz = 0;
    if (libevtx_record_get_utf8_source_name_size(rec, &sz, NULL) == 1 && sz > 0 && sz < sizeof src)
        libevtx_record_get_utf8_source_name(rec, (uint8_t *)src, sz, NULL);
    uint32_t eid = 0;
    uint8_t level = 0;
    uint64_t ft = 0;
    libevtx_record_get_event_identifier(rec, &eid, NULL);
    libevtx_record_get_event_level(rec, &level, NULL);
    int64_t ms = EXR_NO_TIME;
    if (libevtx_record_get_written_time(rec, &ft, NULL) == 1 && ft)
        ms = (int64_t)(ft / 10000) - 11644473600000LL;
    bool um = strcasecmp(src, "MSExchange Unified Messaging") == 0;
    bool cmdlets = strcasecmp(src, "MSExchange CmdletLogs") == 0;
    if (!um && !cmdlets)
        return;
    int n = 0;
    if (libevtx_record_get_number_of_strings(rec, &n, NULL) != 1)
        n = 0;
    if (n > 64)
        n = 64;
    char *s0 = n > 0 ? rec_str(rec, 0) : NULL;
    char *s1 = n > 1 ? rec_str(rec, 1) : NULL;
    exr_buf_reset(ev);
    if (um && level == 2) {
        bool hit = false;
        for (int i = 0; i < n && !hit; i++) {
            char *s = i == 0 ? s0 : i == 1 ? s1 : rec_str(rec, i);
            if (has(s, "System.InvalidCastException")) {
                hit = true;
                exr_buf_printf(ev, "event %u level Error: %.400s", eid, s);
            }
            if (i > 1)
                free(s);
        }
        if (hit)
            exr_hunt_add(&h->out, "cve-2021-26857.um", -1, rel, recno, ms, NULL, 0, ev->p, ev->len);
    }
    if (cmdlets && (eid == 1 || eid == 6) && s0) {
        const char *id = NULL;
        const char *cmd = s0;
        const char *par = s1 ? s1 : "";
        if (exr_like(cmd, strlen(cmd), "Set-*VirtualDirectory") &&
            (has(par, "<script") || has(par, "eval(request") || has(par, "runat") || has(par, "page_load") || has(par, "\"unsafe\"")))
            id = "cve-2021-27065.cmdlet";
        else if ((strcasecmp(cmd, "New-MailboxExportRequest") == 0 || strcasecmp(cmd, "New-ExchangeCertificate") == 0) &&
                 (has(par, ".aspx") || has(par, "\\\\localhost\\") || has(par, "\\\\127.0.0.1\\") || has(par, "\\inetpub\\")))
            id = "cve-2021-31207.mailbox-export";
        else if (strcasecmp(cmd, "New-ManagementRoleAssignment") == 0 && has(par, "Mailbox Import Export"))
            id = "cve-2021-31207.role-assignment";
        if (id) {
            exr_buf_printf(ev, "event %u %s %s: %.500s", eid, eid == 1 ? "succeeded" : "failed", cmd, par);
            exr_hunt_add(&h->out, id, -1, rel, recno, ms, NULL, 0, ev->p, ev->len);
        }
    }
    free(s0);
    free(s1);
}

/* The header names the chunk count; a shorter file was cut (an interrupted copy). */
static void evtx_check_size(exr_hunt *h, const char *full, const char *rel)
{
    int fd = exr_open_ro(full);
    if (fd < 0) {
        exr_hunt_not_examined(&h->out, rel, "cannot open: %s", strerror(errno));
        return;
    }
    unsigned char hdr[128];
    struct stat st;
    if (read(fd, hdr, sizeof hdr) == (ssize_t)sizeof hdr && fstat(fd, &st) == 0 && memcmp(hdr, "ElfFile", 8) == 0) {
        unsigned chunks = hdr[42] | (unsigned)hdr[43] << 8;
        long long want = 4096LL + 65536LL * chunks;
        if ((long long)st.st_size < want)
            exr_hunt_not_examined(&h->out, rel, "truncated: %lld bytes, the header announces %u chunks (%lld bytes)", (long long)st.st_size,
                                  chunks, want);
    }
    close(fd);
}

void exr_hunt_evtx_file(exr_hunt *h, const char *full)
{
    const char *rel = exr_layout_rel(&h->lay, full);
    libevtx_file_t *file = NULL;
    libevtx_error_t *err = NULL;
    if (libevtx_file_initialize(&file, &err) != 1) {
        libevtx_error_free(&err);
        exr_hunt_problem(&h->out, "%s: libevtx: cannot initialise", rel);
        return;
    }
    char native[64];
    if (libevtx_file_open(file, exr_fs_native(full, native, sizeof native), LIBEVTX_OPEN_READ, &err) != 1) {
        char msg[256] = "";
        libevtx_error_sprint(err, msg, sizeof msg);
        libevtx_error_free(&err);
        libevtx_file_free(&file, NULL);
        exr_hunt_not_examined(&h->out, rel, "not a readable EVTX file (%.120s)", msg);
        return;
    }
    int n = 0, bad = 0;
    libevtx_file_get_number_of_records(file, &n, NULL);
    exr_buf ev;
    exr_buf_init(&ev);
    int64_t first = EXR_NO_TIME, last = EXR_NO_TIME;
    for (int pass = 0; pass < 2; pass++) {
        int count = n;
        if (pass == 1 && libevtx_file_get_number_of_recovered_records(file, &count, NULL) != 1)
            count = 0;
        for (int i = 0; i < count; i++) {
            libevtx_record_t *rec = NULL;
            int ok = pass == 0 ? libevtx_file_get_record_by_index(file, i, &rec, &err)
                               : libevtx_file_get_recovered_record_by_index(file, i, &rec, &err);
            if (ok != 1) {
                libevtx_error_free(&err);
                if (pass == 0)
                    bad++; /* recovered (deleted) records are best effort */
                continue;
            }
            uint64_t ft = 0;
            if (libevtx_record_get_written_time(rec, &ft, NULL) == 1 && ft) {
                int64_t ms = (int64_t)(ft / 10000) - 11644473600000LL;
                if (first == EXR_NO_TIME || ms < first)
                    first = ms;
                if (last == EXR_NO_TIME || ms > last)
                    last = ms;
            }
            check_record(h, rel, rec, pass == 0 ? i + 1 : 0, &ev);
            libevtx_record_free(&rec, NULL);
        }
    }
    if (bad)
        exr_hunt_not_examined(&h->out, rel, "%d of %d records unreadable (corrupt or truncated file)", bad, n);
    if (libevtx_file_is_corrupted(file, NULL) == 1)
        exr_hunt_not_examined(&h->out, rel, "libevtx reports the file as corrupted; %d records read", n);
    evtx_check_size(h, full, rel);
    exr_hunt_cover(&h->out, "EventLogs", first, last);
    exr_buf_free(&ev);
    libevtx_file_close(file, NULL);
    libevtx_file_free(&file, NULL);
}
