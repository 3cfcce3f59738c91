/* files.c: file checks. Web-reachable and staging folders are scanned with libyara (the
 * rules in data/rules plus --rules), every file is hashed against the published campaign
 * samples, and published web-shell names count only with time evidence (several are
 * also OWA's own file names). LSASS dumps and archives are recognised by their magic. */
#include "../core/buf.h"
#include "hunt.h"
#include "fsro.h"
#include "lines.h"
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <yara.h>

extern const unsigned char exr_data_webshell_rules[];
extern const size_t exr_data_webshell_rules_len;
extern const unsigned char exr_data_ioc_sha256[];
extern const size_t exr_data_ioc_sha256_len;

#define SCAN_MAX (16u << 20)
/* 2020-12-01 .. 2021-12-31: the campaign's web shells were written in this window */
#define WINDOW_FROM 1606780800LL
#define WINDOW_TO 1640995199LL

typedef struct compile_ctx {
    exr_err *e;
    int errors;
} compile_ctx;

static void compiler_cb(int level, const char *file, int line, const YR_RULE *rule, const char *msg, void *user)
{
    (void)rule;
    compile_ctx *c = user;
    if (level == YARA_ERROR_LEVEL_ERROR) {
        if (!c->errors)
            exr_seterr(c->e, EXR_EINVAL, "%s:%d: %s", file ? file : "rules", line, msg);
        c->errors++;
    }
}

static int add_rule_file(YR_COMPILER *comp, const char *path, compile_ctx *cc)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return exr_seterr(cc->e, EXR_EIO, "%s: %s", path, strerror(errno));
    yr_compiler_add_file(comp, f, NULL, path);
    fclose(f);
    return cc->errors ? -1 : 0;
}

int exr_hunt_rules_load(const exr_hunt_opts *o, void **out, exr_err *e)
{
    *out = NULL;
    if (yr_initialize() != ERROR_SUCCESS)
        return exr_seterr(e, EXR_EIO, "libyara: cannot initialise");
    YR_COMPILER *comp = NULL;
    if (yr_compiler_create(&comp) != ERROR_SUCCESS)
        return exr_seterr(e, EXR_ENOMEM, "libyara: cannot create a compiler");
    compile_ctx cc = {e, 0};
    yr_compiler_set_callback(comp, compiler_cb, &cc);
    char *text = exr_xstrndup((const char *)exr_data_webshell_rules, exr_data_webshell_rules_len);
    yr_compiler_add_string(comp, text, "exray");
    free(text);
    int rc = cc.errors ? -1 : 0;
    for (int i = 0; rc == 0 && i < o->nrule_paths; i++) {
        const char *p = o->rule_paths[i];
        DIR *d = opendir(p);
        if (!d) {
            rc = add_rule_file(comp, p, &cc);
            continue;
        }
        struct dirent *de;
        while (rc == 0 && (de = readdir(d))) {
            size_t l = strlen(de->d_name);
            if ((l > 4 && strcasecmp(de->d_name + l - 4, ".yar") == 0) || (l > 5 && strcasecmp(de->d_name + l - 5, ".yara") == 0)) {
                char full[4096];
                snprintf(full, sizeof full, "%s/%s", p, de->d_name);
                rc = add_rule_file(comp, full, &cc);
            }
        }
        closedir(d);
    }
    YR_RULES *rules = NULL;
    if (rc == 0 && yr_compiler_get_rules(comp, &rules) != ERROR_SUCCESS)
        rc = exr_seterr(e, EXR_ENOMEM, "libyara: cannot build the rules");
    yr_compiler_destroy(comp);
    *out = rules;
    return rc;
}

void exr_hunt_rules_free(void *rules)
{
    if (rules)
        yr_rules_destroy(rules);
    yr_finalize();
}

typedef struct match_ctx {
    exr_buf names;
    int n;
} match_ctx;

static int yara_cb(YR_SCAN_CONTEXT *ctx, int message, void *data, void *user)
{
    (void)ctx;
    if (message == CALLBACK_MSG_RULE_MATCHING) {
        YR_RULE *r = data;
        match_ctx *m = user;
        if (m->n < 8) {
            if (m->names.len)
                exr_buf_adds(&m->names, ", ");
            exr_buf_adds(&m->names, r->identifier);
            YR_META *meta;
            yr_rule_metas_foreach(r, meta)
            {
                if (strcmp(meta->identifier, "family") == 0 && meta->type == META_TYPE_STRING) {
                    exr_buf_printf(&m->names, " (%s)", meta->string);
                    break;
                }
            }
        }
        m->n++;
    }
    return CALLBACK_CONTINUE;
}

static bool sha_known(const char *hex)
{
    const char *p = (const char *)exr_data_ioc_sha256;
    size_t n = exr_data_ioc_sha256_len;
    const char *hit = p;
    while ((hit = exr_memcasestr(hit, n - (size_t)(hit - p), hex)) != NULL) {
        if ((hit == p || hit[-1] == '\n') && (hit + 64 == p + n || hit[64] == '\n' || hit[64] == '\r'))
            return true;
        hit++;
    }
    return false;
}

static const char *const published_names[] = {
    "8Lw7tAhF9i1pJnRo.aspx", "OutlookZH.aspx", "authhead.aspx", "bob.aspx", "one1.aspx", "errorPage.aspx", "errorPages.aspx",
    "fatal-erro.aspx", "log.aspx", "logg.aspx", "logout.aspx", "one.aspx", "shel.aspx", "shel2.aspx", "shel90.aspx", "a.aspx",
    "default.aspx", "google.log", "shell.aspx", "Server.aspx", "aspnet_client.aspx", "aspnet_iisstart.aspx", "aspnet_pages.aspx",
    "aspnet_www.aspx", "default1.aspx", "errorcheck.aspx", "iispage.aspx", "s.aspx", "session.aspx",
    "xclkmcfldfi948398430fdjkfdkj.aspx", "xx.aspx", "discover.aspx", "HttpProxy.aspx", "OutlookEN.aspx", "supp0rt.aspx",
    "services.aspx", "RedirSuiteServerProxy.aspx"};

/* Published names, and the signature-base path patterns: any .aspx in aspnet_client
 * (Exchange puts none there), and .aspx files in owa/auth/Current or owa/auth/VERSION. */
static bool published_path(const char *rel, const char *name)
{
    for (size_t i = 0; i < sizeof published_names / sizeof published_names[0]; i++)
        if (strcasecmp(name, published_names[i]) == 0)
            return true;
    size_t nl = strlen(name);
    bool aspx = nl > 5 && strcasecmp(name + nl - 5, ".aspx") == 0;
    if (!aspx)
        return false;
    if (exr_memcasestr(rel, strlen(rel), "/aspnet_client/"))
        return true;
    const char *a = exr_memcasestr(rel, strlen(rel), "/owa/auth/");
    if (a) {
        const char *sub = a + 10;
        const char *slash = strchr(sub, '/');
        if (slash && (strncasecmp(sub, "Current/", 8) == 0 || (isdigit((unsigned char)sub[0]) && slash - sub >= 6)))
            return true;
    }
    return false;
}

void exr_hunt_web_file(exr_hunt *h, const char *full, const char *name, long long size, long long mtime_s, bool all_types)
{
    const char *rel = exr_layout_rel(&h->lay, full);
    if (!all_types) {
        static const char *const ext[] = {".aspx", ".asmx", ".asax", ".ashx", ".asp", ".config", ".cshtml", ".php", ".jsp",
                                          ".cfm", ".shtml", ".dll", ".txt"};
        size_t nl = strlen(name);
        bool ok = false;
        for (size_t i = 0; i < sizeof ext / sizeof ext[0] && !ok; i++) {
            size_t el = strlen(ext[i]);
            ok = nl > el && strcasecmp(name + nl - el, ext[i]) == 0;
        }
        if (!ok)
            return;
    }
    if (size > (long long)SCAN_MAX) {
        exr_hunt_problem(&h->out, "%s: %lld bytes, larger than the %u MiB scan limit; not scanned", rel, size, SCAN_MAX >> 20);
        return;
    }
    int fd = exr_open_ro(full);
    if (fd < 0) {
        exr_hunt_problem(&h->out, "%s: cannot read: %s", rel, strerror(errno));
        return;
    }
    unsigned char *buf = exr_xmalloc((size_t)size + 1);
    size_t got = 0;
    while (got < (size_t)size) {
        ssize_t n = read(fd, buf + got, (size_t)size - got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    __atomic_add_fetch(&h->bytes_read, (long)got, __ATOMIC_RELAXED);
    int64_t ms = mtime_s * 1000;
    /* SHA-256 */
    unsigned char md[32];
    unsigned int mdl = 0;
    EVP_Digest(buf, got, md, &mdl, EVP_sha256(), NULL);
    char hex[65];
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    bool hashed = sha_known(hex);
    if (hashed) {
        char ev[128];
        snprintf(ev, sizeof ev, "sha256=%s", hex);
        exr_hunt_add(&h->out, "webshell.hash", -1, rel, 0, ms, NULL, 0, ev, strlen(ev));
    }
    match_ctx m;
    exr_buf_init(&m.names);
    m.n = 0;
    int yr = h->rules ? yr_rules_scan_mem(h->rules, buf, got, SCAN_FLAGS_FAST_MODE, yara_cb, &m, 10) : ERROR_SUCCESS;
    if (yr != ERROR_SUCCESS)
        exr_hunt_problem(&h->out, "%s: YARA scan failed (error %d)", rel, yr);
    if (m.n) {
        exr_buf_printf(&m.names, "; sha256=%s", hex);
        exr_hunt_add(&h->out, "webshell.yara", -1, rel, 0, ms, NULL, 0, m.names.p, m.names.len);
    } else if (!hashed && published_path(rel, name) && mtime_s >= WINDOW_FROM && mtime_s <= WINDOW_TO) {
        char ev[160];
        snprintf(ev, sizeof ev, "published web-shell name, modified during the campaign; sha256=%s", hex);
        exr_hunt_add(&h->out, "webshell.name", -1, rel, 0, ms, NULL, 0, ev, strlen(ev));
    }
    exr_buf_free(&m.names);
    free(buf);
}

static bool read_magic(const char *full, unsigned char *m, size_t n)
{
    int fd = exr_open_ro(full);
    if (fd < 0)
        return false;
    ssize_t r = read(fd, m, n);
    close(fd);
    return r == (ssize_t)n;
}

void exr_hunt_dump_file(exr_hunt *h, const char *full, const char *name, long long mtime_s)
{
    size_t nl = strlen(name);
    if (nl < 9 || strncasecmp(name, "lsass", 5) != 0 || strcasecmp(name + nl - 4, ".dmp") != 0)
        return;
    unsigned char m[4];
    if (!read_magic(full, m, 4) || memcmp(m, "MDMP", 4) != 0)
        return;
    const char *ev = "minidump (MDMP) named lsass*.dmp";
    exr_hunt_add(&h->out, "file.lsass-dump", -1, exr_layout_rel(&h->lay, full), 0, mtime_s * 1000, NULL, 0, ev, strlen(ev));
}

void exr_hunt_archive_file(exr_hunt *h, const char *full, const char *name, long long mtime_s)
{
    size_t nl = strlen(name);
    const char *kind = NULL;
    unsigned char m[6];
    if (nl > 4 && strcasecmp(name + nl - 4, ".zip") == 0)
        kind = "zip";
    else if (nl > 3 && strcasecmp(name + nl - 3, ".7z") == 0)
        kind = "7z";
    else if (nl > 4 && strcasecmp(name + nl - 4, ".rar") == 0)
        kind = "rar";
    if (!kind || !read_magic(full, m, 6))
        return;
    bool ok = (kind[0] == 'z' && memcmp(m, "PK\x03\x04", 4) == 0) || (kind[0] == '7' && memcmp(m, "7z\xbc\xaf\x27\x1c", 6) == 0) ||
              (kind[0] == 'r' && memcmp(m, "Rar!\x1a\x07", 6) == 0);
    if (!ok)
        return;
    char ev[64];
    snprintf(ev, sizeof ev, "%s archive (magic checked)", kind);
    exr_hunt_add(&h->out, "file.archive", -1, exr_layout_rel(&h->lay, full), 0, mtime_s * 1000, NULL, 0, ev, strlen(ev));
}
