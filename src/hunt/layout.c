/* layout.c: see layout.h. */
#include "layout.h"
#include "../core/buf.h"
#include "fsro.h"
#include "vfs.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const sys_markers[] = {"Windows", "Program Files", "inetpub", "ProgramData"};

static int looks_like_sys(const char *dir)
{
    int hits = 0;
    char tmp[EXR_PATHMAX];
    for (int i = 0; i < 4; i++)
        hits += exr_resolve_ci(dir, sys_markers[i], tmp, sizeof tmp);
    return hits;
}

/* Breadth-first, depth <= 3: the first directory that looks like a system drive. */
static int find_sys(const char *root, char *out, size_t n)
{
    if (looks_like_sys(root)) {
        snprintf(out, n, "%s", root);
        return 1;
    }
    char *queue[512];
    int depth[512];
    int qh = 0, qt = 0;
    queue[qt] = exr_xstrdup(root);
    depth[qt++] = 0;
    int found = 0;
    while (qh < qt && !found) {
        char *d = queue[qh];
        int dp = depth[qh++];
        exr_fs_dir *dd = exr_fs_opendir(d);
        if (dd) {
            const char *dn;
            while (!found && (dn = exr_fs_readdir(dd))) {
                if (dn[0] == '.')
                    continue;
                char full[EXR_PATHMAX];
                int k = snprintf(full, sizeof full, "%s/%s", d, dn);
                struct stat st;
                if (k <= 0 || (size_t)k >= sizeof full || exr_fs_lstat(full, &st) != 0 || !S_ISDIR(st.st_mode))
                    continue;
                if (looks_like_sys(full) >= 1) {
                    snprintf(out, n, "%s", full);
                    found = 1;
                } else if (dp + 1 < 3 && qt < 512) {
                    queue[qt] = exr_xstrdup(full);
                    depth[qt++] = dp + 1;
                }
            }
            exr_fs_closedir(dd);
        }
    }
    for (int i = 0; i < qt; i++)
        free(queue[i]);
    return found;
}

/* Searches for a Logging/HttpProxy folder when the install is not where it usually is. */
static int find_install_by_logs(const char *dir, int depth, char *out, size_t n)
{
    char tmp[EXR_PATHMAX];
    if (exr_resolve_ci(dir, "Logging/HttpProxy", tmp, sizeof tmp)) {
        snprintf(out, n, "%s", dir);
        return 1;
    }
    if (depth >= 5)
        return 0;
    exr_fs_dir *d = exr_fs_opendir(dir);
    if (!d)
        return 0;
    const char *dn;
    int found = 0;
    while (!found && (dn = exr_fs_readdir(d))) {
        if (dn[0] == '.' || exr_name_eq(dn, "Windows") || exr_name_eq(dn, "Users"))
            continue;
        char full[EXR_PATHMAX];
        int k = snprintf(full, sizeof full, "%s/%s", dir, dn);
        struct stat st;
        if (k <= 0 || (size_t)k >= sizeof full || exr_fs_lstat(full, &st) != 0 || !S_ISDIR(st.st_mode))
            continue;
        found = find_install_by_logs(full, depth + 1, out, n);
    }
    exr_fs_closedir(d);
    return found;
}

static void add_dir(char **arr, int *n, const char *p)
{
    if (*n < EXR_LAY_MAXDIRS)
        arr[(*n)++] = exr_xstrdup(p);
}

static void set_or_find(char *dst, const char *override, const char *base, const char *rel)
{
    dst[0] = 0;
    if (override) {
        snprintf(dst, EXR_PATHMAX, "%s", override);
        return;
    }
    if (base[0])
        exr_resolve_ci(base, rel, dst, EXR_PATHMAX);
}

/* The install path as Windows writes it ("\\Program Files\\..."), for the OAB check; a
 * Velociraptor collection's escapes undone. */
static void windows_install_path(exr_layout *l)
{
    snprintf(l->install_win, sizeof l->install_win, "\\Program Files\\Microsoft\\Exchange Server\\V15");
    if (l->install[0] && strncmp(l->install, l->sys, strlen(l->sys)) == 0 && l->install[strlen(l->sys)] == '/') {
        size_t k = 0;
        char dec[EXR_PATHMAX];
        const char *from = l->install + strlen(l->sys);
        if (l->pct) { /* "Program%20Files" in the collection is "Program Files" on the server */
            exr_pct_decode(from, dec, sizeof dec);
            from = dec;
        }
        for (const char *p = from; *p && k + 1 < sizeof l->install_win; p++)
            l->install_win[k++] = *p == '/' ? '\\' : *p;
        l->install_win[k] = 0;
    }
}

int exr_layout_discover(exr_layout *l, const char *root, const exr_layout_overrides *ov, exr_err *e)
{
    memset(l, 0, sizeof *l);
    struct stat st;
    if (exr_fs_lstat(root, &st) != 0 || !S_ISDIR(st.st_mode))
        return exr_seterr(e, EXR_EIO, "%s: not a readable directory", root);
    snprintf(l->root, sizeof l->root, "%s", root);
    size_t rl = strlen(l->root);
    while (rl > 1 && l->root[rl - 1] == '/')
        l->root[--rl] = 0;
    if (!find_sys(l->root, l->sys, sizeof l->sys))
        snprintf(l->sys, sizeof l->sys, "%s", l->root); /* a partial copy: look for logs anyway */
    const char *drive = strrchr(l->sys, '/');
    l->pct = drive && strcasestr(drive, "%3A") != NULL;
    if (ov->install)
        snprintf(l->install, sizeof l->install, "%s", ov->install);
    else if (!exr_resolve_ci(l->sys, "Program Files/Microsoft/Exchange Server/V15", l->install, sizeof l->install) &&
             !find_install_by_logs(l->root, 0, l->install, sizeof l->install))
        l->install[0] = 0;
    windows_install_path(l);
    set_or_find(l->httpproxy, ov->httpproxy, l->install, "Logging/HttpProxy");
    set_or_find(l->ecpserver, ov->ecpserver, l->install, "Logging/ECP/Server");
    set_or_find(l->oablog, ov->oablog, l->install, "Logging/OABGeneratorLog");
    set_or_find(l->evtx, ov->evtx, l->sys, "Windows/System32/winevt/Logs");
    set_or_find(l->programdata, ov->programdata, l->sys, "ProgramData");
    set_or_find(l->wintemp, ov->temp, l->sys, "Windows/Temp");
    set_or_find(l->rootdir, NULL, l->sys, "root");
    if (ov->niis) {
        for (int i = 0; i < ov->niis; i++)
            add_dir(l->iis, &l->niis, ov->iis[i]);
    } else {
        char logs[EXR_PATHMAX];
        if (exr_resolve_ci(l->sys, "inetpub/logs/LogFiles", logs, sizeof logs)) {
            char **d;
            int n = exr_list_dirs(logs, "W3SVC", &d);
            for (int i = 0; i < n; i++) {
                add_dir(l->iis, &l->niis, d[i]);
                free(d[i]);
            }
            free(d);
        }
    }
    char tmp[EXR_PATHMAX];
    if (ov->nweb) {
        for (int i = 0; i < ov->nweb; i++)
            add_dir(l->web, &l->nweb, ov->web[i]);
    } else {
        if (exr_resolve_ci(l->sys, "inetpub/wwwroot", tmp, sizeof tmp))
            add_dir(l->web, &l->nweb, tmp);
        /* the whole front end: the 2021 shells sat in owa/auth, ecp/auth and OAB, later ones anywhere IIS serves */
        static const char *const inst_web[] = {"FrontEnd/HttpProxy", "ClientAccess/OAB"};
        for (int i = 0; i < 2; i++)
            if (l->install[0] && exr_resolve_ci(l->install, inst_web[i], tmp, sizeof tmp))
                add_dir(l->web, &l->nweb, tmp);
        static const char *const inst_script[] = {"ClientAccess/Owa", "ClientAccess/ecp"};
        for (int i = 0; i < 2; i++)
            if (l->install[0] && exr_resolve_ci(l->install, inst_script[i], tmp, sizeof tmp))
                add_dir(l->webscript, &l->nwebscript, tmp);
        /* compiled pages: Temporary ASP.NET Files of every framework version */
        char fw[EXR_PATHMAX];
        static const char *const fws[] = {"Windows/Microsoft.NET/Framework64", "Windows/Microsoft.NET/Framework"};
        for (int k = 0; k < 2; k++) {
            if (!exr_resolve_ci(l->sys, fws[k], fw, sizeof fw))
                continue;
            char **d;
            int n = exr_list_dirs(fw, "v", &d);
            for (int i = 0; i < n; i++) {
                if (exr_resolve_ci(d[i], "Temporary ASP.NET Files", tmp, sizeof tmp))
                    add_dir(l->webscript, &l->nwebscript, tmp);
                free(d[i]);
            }
            free(d);
        }
    }
    return 0;
}

void exr_layout_free(exr_layout *l)
{
    for (int i = 0; i < l->niis; i++)
        free(l->iis[i]);
    for (int i = 0; i < l->nweb; i++)
        free(l->web[i]);
    for (int i = 0; i < l->nwebscript; i++)
        free(l->webscript[i]);
    l->niis = l->nweb = l->nwebscript = 0;
}

const char *exr_layout_rel(const exr_layout *l, const char *full)
{
    size_t n = strlen(l->root);
    if (strncmp(full, l->root, n) == 0 && full[n] == '/')
        return full + n + 1;
    return full;
}
