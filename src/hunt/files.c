/* files.c: file checks. Web-reachable and staging folders are scanned with libyara (the
 * rules in data/rules plus --rules), every file is hashed against the published campaign
 * samples, and published web-shell names count only with time evidence (several are
 * also OWA's own file names). LSASS dumps and archives are recognised by their magic. */
#include "../core/buf.h"
#include "hunt.h"
#include "fsro.h"
#include "lines.h"
#include "minidump.h"
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include "normalize.h"
#include "rulecache.h"
#include <openssl/evp.h>
#include <pwd.h>
#include <sys/stat.h>
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

/* Files are read in windows of WIN bytes that overlap by OVERLAP, so memory stays bounded
 * whatever a file's size, and any stretch of code up to OVERLAP bytes long lies wholly in
 * one window: a shell padded to gigabytes is found at its start or its end. */
#define WIN (8u << 20)
#define OVERLAP (256u << 10)
#define YARA_TIMEOUT_S 20

/* The test build (EXRAY_TEST_HOOKS) lets a test shorten it, to see a timeout reported. */
static int yara_timeout(void)
{
#ifdef EXRAY_TEST_HOOKS
    const char *t = getenv("EXRAY_TEST_YARA_TIMEOUT");
    if (t && atoi(t) > 0)
        return atoi(t);
#endif
    return YARA_TIMEOUT_S;
}
/* 2020-12-01 .. 2021-12-31: the campaign's web shells were written in this window */
#define WINDOW_FROM 1606780800LL
#define WINDOW_TO 1640995199LL

struct exr_hunt_rules {
    YR_RULES *builtin; /* data/rules, run on the normalised view */
    YR_RULES *ext;     /* --rules, run on the bytes as they are, with Loki's external variables */
    bool ext_md5;      /* some --rules file names the md5 variable: worth a second read of big files */
};

/* Each worker thread keeps one scanner for the --rules: libyara's scanner allocates and
 * clears per-rule state on creation, which cost more than the scan itself on small files. */
static __thread YR_SCANNER *tls_scanner;
static __thread const YR_RULES *tls_scanner_rules;
/* and the owner name of the last uid it looked up (files of a tree share a few owners) */
static __thread long tls_uid = -1;
static __thread char tls_owner[64];

void exr_hunt_thread_end(void)
{
    if (tls_scanner)
        yr_scanner_destroy(tls_scanner);
    tls_scanner = NULL;
    tls_scanner_rules = NULL;
    tls_uid = -1;
}

static YR_SCANNER *thread_scanner(YR_RULES *rules)
{
    if (tls_scanner && tls_scanner_rules == rules)
        return tls_scanner;
    exr_hunt_thread_end();
    if (yr_scanner_create(rules, &tls_scanner) != ERROR_SUCCESS) {
        tls_scanner = NULL;
        return NULL;
    }
    tls_scanner_rules = rules;
    yr_scanner_set_timeout(tls_scanner, yara_timeout());
    yr_scanner_set_flags(tls_scanner, SCAN_FLAGS_FAST_MODE);
    return tls_scanner;
}

static const char *owner_of(uid_t uid)
{
    if (tls_uid == (long)uid)
        return tls_owner;
    struct passwd pw, *pp = NULL;
    char pwbuf[1024];
    if (getpwuid_r(uid, &pw, pwbuf, sizeof pwbuf, &pp) == 0 && pp)
        snprintf(tls_owner, sizeof tls_owner, "%s", pp->pw_name);
    else
        snprintf(tls_owner, sizeof tls_owner, "%u", (unsigned)uid);
    tls_uid = (long)uid;
    return tls_owner;
}

typedef struct compile_ctx {
    char first[600]; /* first error of the current attempt */
    char file[4096]; /* the file it is in */
    int errors;
    char **bad; /* files that failed (their own error), as given to the compiler */
    int nbad;
} compile_ctx;

static void compiler_cb(int level, const char *file, int line, const YR_RULE *rule, const char *msg, void *user)
{
    (void)rule;
    compile_ctx *c = user;
    if (level != YARA_ERROR_LEVEL_ERROR)
        return;
    if (!c->errors) {
        snprintf(c->first, sizeof c->first, "%s:%d: %s", file ? file : "rules", line, msg);
        snprintf(c->file, sizeof c->file, "%s", file ? file : "");
    }
    c->errors++;
}

/* Loki and THOR define these per scanned file; rules such as signature-base's use them. */
static const char *const ext_vars[] = {"filename", "filepath", "extension", "filetype", "owner", "md5"};
#define N_EXT_VARS 6

static YR_COMPILER *new_compiler(compile_ctx *cc)
{
    YR_COMPILER *comp = NULL;
    if (yr_compiler_create(&comp) != ERROR_SUCCESS)
        return NULL;
    yr_compiler_set_callback(comp, compiler_cb, cc);
    for (int i = 0; i < N_EXT_VARS; i++)
        yr_compiler_define_string_variable(comp, ext_vars[i], "");
    return comp;
}

/* Adds one file under its own namespace (so equal rule names in two files do not clash). */
static int add_file(YR_COMPILER *comp, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    const char *ns = strrchr(path, '/');
    yr_compiler_add_file(comp, f, ns ? ns + 1 : path, path);
    fclose(f);
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every .yar/.yara file under p (recursively, sorted), or p itself. */
static void collect_rule_files(const char *p, char ***files, int *n, int *cap)
{
    DIR *d = opendir(p);
    if (!d) {
        if (*n == *cap)
            *files = exr_xrealloc(*files, (size_t)(*cap = *cap ? *cap * 2 : 64) * sizeof **files);
        (*files)[(*n)++] = exr_xstrdup(p);
        return;
    }
    char **sub = NULL;
    int ns = 0, cs = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        char full[4096];
        snprintf(full, sizeof full, "%s/%s", p, de->d_name);
        struct stat st;
        if (stat(full, &st) != 0)
            continue;
        size_t l = strlen(de->d_name);
        bool rule = (l > 4 && strcasecmp(de->d_name + l - 4, ".yar") == 0) || (l > 5 && strcasecmp(de->d_name + l - 5, ".yara") == 0);
        if (S_ISDIR(st.st_mode) || (S_ISREG(st.st_mode) && rule)) {
            if (ns == cs)
                sub = exr_xrealloc(sub, (size_t)(cs = cs ? cs * 2 : 64) * sizeof *sub);
            sub[ns++] = exr_xstrdup(full);
        }
    }
    closedir(d);
    if (ns)
        qsort(sub, (size_t)ns, sizeof *sub, cmp_str);
    for (int i = 0; i < ns; i++) {
        struct stat st;
        if (stat(sub[i], &st) == 0 && S_ISDIR(st.st_mode))
            collect_rule_files(sub[i], files, n, cap);
        else {
            if (*n == *cap)
                *files = exr_xrealloc(*files, (size_t)(*cap = *cap ? *cap * 2 : 64) * sizeof **files);
            (*files)[(*n)++] = exr_xstrdup(sub[i]);
        }
        free(sub[i]);
    }
    free(sub);
}

/* Compiles the given files together. A file that does not compile is found by compiling
 * each alone, reported with its file:line, and left out; the rest compile together.
 * *clean: every file went in. */
static YR_RULES *compile_external(char **files, int n, const exr_hunt_opts *o, bool *clean, exr_err *e)
{
    bool *skip = exr_xmalloc((size_t)n + 1);
    memset(skip, 0, (size_t)n + 1);
    YR_RULES *rules = NULL;
    for (int round = 0; round < 16 && !rules; round++) {
        compile_ctx cc = {{0}, {0}, 0, NULL, 0};
        YR_COMPILER *comp = new_compiler(&cc);
        if (!comp)
            break;
        int added = 0;
        for (int i = 0; i < n && !cc.errors; i++) { /* libyara takes nothing more after an error */
            if (skip[i])
                continue;
            if (add_file(comp, files[i]) != 0) {
                skip[i] = true;
                *clean = false;
                if (o->rule_warn)
                    o->rule_warn(o->rule_warn_ctx, files[i], strerror(errno));
                if (o->rules_strict) {
                    exr_seterr(e, EXR_EIO, "%s: %s", files[i], strerror(errno));
                    yr_compiler_destroy(comp);
                    free(skip);
                    return NULL;
                }
                continue;
            }
            added++;
        }
        if (!cc.errors) {
            if (added && yr_compiler_get_rules(comp, &rules) != ERROR_SUCCESS)
                exr_seterr(e, EXR_ENOMEM, "libyara: cannot build the rules");
            yr_compiler_destroy(comp);
            break;
        }
        yr_compiler_destroy(comp);
        if (o->rules_strict) {
            exr_seterr(e, EXR_EINVAL, "%s", cc.first);
            break;
        }
        /* the file the error is in is left out and the rest compiled again; after a few
         * rounds (errors that only show in combination), each file is tried alone */
        int culprit = -1;
        for (int i = 0; i < n && culprit < 0; i++)
            if (!skip[i] && strcmp(files[i], cc.file) == 0)
                culprit = i;
        *clean = false;
        if (culprit >= 0 && round < 14) {
            skip[culprit] = true;
            if (o->rule_warn)
                o->rule_warn(o->rule_warn_ctx, files[culprit], cc.first);
            continue;
        }
        for (int i = 0; i < n; i++) {
            if (skip[i])
                continue;
            compile_ctx one = {{0}, {0}, 0, NULL, 0};
            YR_COMPILER *c1 = new_compiler(&one);
            if (!c1)
                continue;
            add_file(c1, files[i]);
            if (one.errors) {
                skip[i] = true;
                if (o->rule_warn)
                    o->rule_warn(o->rule_warn_ctx, files[i], one.first);
            }
            yr_compiler_destroy(c1);
        }
    }
    free(skip);
    return rules;
}

/* The compiled --rules from the cache when their files are unchanged, else compiled (and
 * cached when every file compiled: a set with files left out is compiled again each time,
 * so its warnings are printed each time). */
static YR_RULES *load_external(char **files, int n, const exr_hunt_opts *o, bool *uses_md5, exr_err *e)
{
    char key[65];
    bool read = exr_rulecache_key(files, n, key, uses_md5) == 0;
    if (!read)
        *uses_md5 = true; /* not known: define it */
    bool keyed = read && o->rules_cache && o->rules_cache[0];
    YR_RULES *r = keyed ? exr_rulecache_load(o->rules_cache, key) : NULL;
    if (r)
        return r;
    bool clean = true;
    r = compile_external(files, n, o, &clean, e);
    if (r && clean && keyed)
        exr_rulecache_save(o->rules_cache, key, r);
    return r;
}

int exr_hunt_rules_load(const exr_hunt_opts *o, void **out, exr_err *e)
{
    *out = NULL;
    if (yr_initialize() != ERROR_SUCCESS)
        return exr_seterr(e, EXR_EIO, "libyara: cannot initialise");
    struct exr_hunt_rules *r = exr_xmalloc(sizeof *r);
    memset(r, 0, sizeof *r);
    *out = r;
    compile_ctx cc = {{0}, {0}, 0, NULL, 0};
    YR_COMPILER *comp = new_compiler(&cc);
    if (!comp)
        return exr_seterr(e, EXR_ENOMEM, "libyara: cannot create a compiler");
    char *text = exr_xstrndup((const char *)exr_data_webshell_rules, exr_data_webshell_rules_len);
    yr_compiler_add_string(comp, text, "exray");
    free(text);
    if (cc.errors || yr_compiler_get_rules(comp, &r->builtin) != ERROR_SUCCESS) {
        yr_compiler_destroy(comp);
        return exr_seterr(e, EXR_EINVAL, "built-in rules: %s", cc.first);
    }
    yr_compiler_destroy(comp);
    if (!o->nrule_paths)
        return 0;
    char **files = NULL;
    int n = 0, cap = 0;
    int rc = 0;
    for (int i = 0; i < o->nrule_paths && rc == 0; i++) {
        struct stat st;
        if (stat(o->rule_paths[i], &st) != 0)
            rc = exr_seterr(e, EXR_EIO, "--rules %s: %s", o->rule_paths[i], strerror(errno));
        else
            collect_rule_files(o->rule_paths[i], &files, &n, &cap);
    }
    if (rc)
        ;
    else if (!n)
        rc = exr_seterr(e, EXR_EINVAL, "--rules: no .yar or .yara file found");
    else {
        e->code = 0;
        r->ext = load_external(files, n, o, &r->ext_md5, e);
        if (e->code)
            rc = -1;
    }
    for (int i = 0; i < n; i++)
        free(files[i]);
    free(files);
    return rc;
}

void exr_hunt_rules_free(void *rules)
{
    exr_hunt_thread_end();
    struct exr_hunt_rules *r = rules;
    if (r) {
        if (r->builtin)
            yr_rules_destroy(r->builtin);
        if (r->ext)
            yr_rules_destroy(r->ext);
        free(r);
    }
    yr_finalize();
}

/* Matches of one file, collected over its windows; a rule counts once. */
typedef struct match_ctx {
    const char *names[16];
    int n;
    bool external;
    exr_rule_meta ext[8];
    int next;
} match_ctx;

static const char *meta_str(const YR_RULE *r, const char *id)
{
    const YR_META *meta;
    yr_rule_metas_foreach(r, meta)
    {
        if (strcmp(meta->identifier, id) == 0 && meta->type == META_TYPE_STRING)
            return meta->string;
    }
    return NULL;
}

static long meta_score(const YR_RULE *r)
{
    const YR_META *meta;
    yr_rule_metas_foreach(r, meta)
    {
        if (strcmp(meta->identifier, "score") == 0) {
            if (meta->type == META_TYPE_INTEGER)
                return (long)meta->integer;
            if (meta->type == META_TYPE_STRING)
                return strtol(meta->string, NULL, 10);
        }
    }
    return -1;
}

static int yara_cb(YR_SCAN_CONTEXT *ctx, int message, void *data, void *user)
{
    (void)ctx;
    if (message != CALLBACK_MSG_RULE_MATCHING)
        return CALLBACK_CONTINUE;
    YR_RULE *r = data;
    match_ctx *m = user;
    if (!m->external) {
        for (int i = 0; i < m->n; i++)
            if (strcmp(m->names[i], r->identifier) == 0)
                return CALLBACK_CONTINUE;
        if (m->n < 16)
            m->names[m->n++] = r->identifier;
        return CALLBACK_CONTINUE;
    }
    for (int i = 0; i < m->next; i++)
        if (strcmp(m->ext[i].name, r->identifier) == 0 && strcmp(m->ext[i].file, r->ns->name) == 0)
            return CALLBACK_CONTINUE;
    if (m->next < 8) {
        exr_rule_meta *x = &m->ext[m->next++];
        x->name = (char *)r->identifier;
        x->file = (char *)r->ns->name;
        x->description = (char *)meta_str(r, "description");
        x->author = (char *)meta_str(r, "author");
        x->reference = (char *)meta_str(r, "reference");
        x->score = meta_score(r);
    }
    return CALLBACK_CONTINUE;
}

int exr_hunt_rules_match(const struct exr_hunt_rules *r, const unsigned char *buf, size_t n, const char **names, int max)
{
    unsigned char *norm = exr_xmalloc(exr_norm_cap(n));
    size_t nl = exr_normalize(buf, n, norm);
    match_ctx m;
    memset(&m, 0, sizeof m);
    int yr = yr_rules_scan_mem(r->builtin, norm, nl, SCAN_FLAGS_FAST_MODE, yara_cb, &m, yara_timeout());
    free(norm);
    if (yr != ERROR_SUCCESS)
        return -1;
    for (int i = 0; i < m.n && i < max; i++)
        names[i] = m.names[i];
    return m.n;
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

static const char *const published_names[] = {"8Lw7tAhF9i1pJnRo.aspx",
                                              "OutlookZH.aspx",
                                              "authhead.aspx",
                                              "bob.aspx",
                                              "one1.aspx",
                                              "errorPage.aspx",
                                              "errorPages.aspx",
                                              "fatal-erro.aspx",
                                              "log.aspx",
                                              "logg.aspx",
                                              "logout.aspx",
                                              "one.aspx",
                                              "shel.aspx",
                                              "shel2.aspx",
                                              "shel90.aspx",
                                              "a.aspx",
                                              "default.aspx",
                                              "google.log",
                                              "shell.aspx",
                                              "Server.aspx",
                                              "aspnet_client.aspx",
                                              "aspnet_iisstart.aspx",
                                              "aspnet_pages.aspx",
                                              "aspnet_www.aspx",
                                              "default1.aspx",
                                              "errorcheck.aspx",
                                              "iispage.aspx",
                                              "s.aspx",
                                              "session.aspx",
                                              "xclkmcfldfi948398430fdjkfdkj.aspx",
                                              "xx.aspx",
                                              "discover.aspx",
                                              "HttpProxy.aspx",
                                              "OutlookEN.aspx",
                                              "supp0rt.aspx",
                                              "services.aspx",
                                              "RedirSuiteServerProxy.aspx"};

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

static const char *const aspnet_ext[] = {".aspx",   ".ashx", ".asmx",   ".asax", ".ascx", ".soap", ".svc", ".master", ".cshtml",
                                         ".vbhtml", ".rem",  ".config", ".asp",  ".asa",  ".cer",  ".cdx", ".cs",     ".vb"};

bool exr_hunt_aspnet_name(const char *name)
{
    size_t nl = strlen(name);
    for (size_t i = 0; i < sizeof aspnet_ext / sizeof aspnet_ext[0]; i++) {
        size_t el = strlen(aspnet_ext[i]);
        if (nl > el && strcasecmp(name + nl - el, aspnet_ext[i]) == 0)
            return true;
    }
    return false;
}

/* Loki's names for the types its rules test ("filetype == ..."), from the first bytes. */
static const char *file_type(const unsigned char *p, size_t n)
{
    static const struct {
        const char *magic;
        size_t len;
        const char *name;
    } t[] = {{"MZ", 2, "EXE"},
             {"PK\x03\x04", 4, "ZIP"},
             {"GIF8", 4, "GIF"},
             {"\xFF\xD8\xFF", 3, "JPEG"},
             {"\x89PNG", 4, "PNG"},
             {"%PDF", 4, "PDF"},
             {"MDMP", 4, "MDMP"},
             {"Rar!", 4, "RAR"},
             {"7z\xBC\xAF", 4, "7ZIP"},
             {"!BDN", 4, "PST"},
             {"\x7F"
              "ELF",
              4, "ELF"},
             {"\xD0\xCF\x11\xE0", 4, "OLE"}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (n >= t[i].len && memcmp(p, t[i].magic, t[i].len) == 0)
            return t[i].name;
    return "UNKNOWN";
}

/* Where IIS serves Exchange's pages or the campaign's favourite folder: a published name
 * there is worth a medium finding; under an ordinary site only a low one. */
static bool exchange_location(const exr_hunt *h, const char *full, const char *rel)
{
    size_t rl = strlen(rel);
    if (exr_memcasestr(rel, rl, "aspnet_client/") || exr_memcasestr(rel, rl, "FrontEnd/HttpProxy/") ||
        exr_memcasestr(rel, rl, "ClientAccess/"))
        return true;
    size_t il = strlen(h->lay.install);
    return il && strncmp(full, h->lay.install, il) == 0 && full[il] == '/';
}

/* The path as Windows would show it ("C:\inetpub\wwwroot\x.aspx") for rules that test it. */
static void windows_path(const exr_hunt *h, const char *full, char *out, size_t n)
{
    size_t sl = strlen(h->lay.sys);
    const char *rest = full;
    size_t k = 0;
    if (strncmp(full, h->lay.sys, sl) == 0 && full[sl] == '/') {
        rest = full + sl + 1;
        k = (size_t)snprintf(out, n, "C:\\");
    } else {
        rest = exr_layout_rel(&h->lay, full);
    }
    char dec[4096];
    if (h->lay.pct) { /* a Velociraptor collection: the name as it was on the server */
        exr_pct_decode(rest, dec, sizeof dec);
        rest = dec;
    }
    for (; *rest && k + 1 < n; rest++)
        out[k++] = *rest == '/' ? '\\' : *rest;
    out[k] = 0;
}

static void hex_of(const unsigned char *md, unsigned len, char *out)
{
    for (unsigned i = 0; i < len; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* read() until the buffer is full or the file ends; -1 on a read error */
static ssize_t read_full(int fd, unsigned char *p, size_t want)
{
    size_t got = 0;
    while (got < want) {
        ssize_t k = read(fd, p + got, want - got);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (k == 0)
            break;
        got += (size_t)k;
    }
    return (ssize_t)got;
}

static bool md5_file(int fd, unsigned char *buf, size_t cap, char *hex)
{
    if (lseek(fd, 0, SEEK_SET) != 0)
        return false;
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    EVP_DigestInit_ex(c, EVP_md5(), NULL);
    ssize_t k;
    while ((k = read_full(fd, buf, cap)) > 0)
        EVP_DigestUpdate(c, buf, (size_t)k);
    unsigned char md[16];
    unsigned int l = 0;
    EVP_DigestFinal_ex(c, md, &l);
    EVP_MD_CTX_free(c);
    hex_of(md, 16, hex);
    return k == 0 && lseek(fd, 0, SEEK_SET) == 0;
}

static int sev_of_score(long score)
{
    if (score < 0)
        score = 70; /* Loki's default for a rule without a score */
    return score >= 100  ? EXR_SEV_CRITICAL
           : score >= 75 ? EXR_SEV_HIGH
           : score >= 60 ? EXR_SEV_MEDIUM
           : score >= 40 ? EXR_SEV_LOW
                         : EXR_SEV_INFO;
}

typedef struct scan_file {
    exr_hunt *h;
    const char *full, *name, *rel;
    YR_SCANNER *ext;
    match_ctx mb, me;
    EVP_MD_CTX *sha;
    unsigned char *raw, *norm;
    size_t cap; /* of raw: the file's size when it fits in one window, else WIN */
    long long total;
    bool incomplete;
} scan_file;

/* The thread's --rules scanner, its variables set for this file. md5 is defined only when a
 * rule tests it (whole: the file is in first[]; else md5_file reads it once more). */
static bool open_ext_scanner(scan_file *s, int fd, const struct stat *st, const unsigned char *first, size_t firstlen, bool whole)
{
    struct exr_hunt_rules *r = s->h->rules;
    s->ext = thread_scanner(r->ext);
    if (!s->ext)
        return false;
    char md5[33] = "", wpath[4096];
    if (r->ext_md5 && whole) {
        unsigned char md[16];
        unsigned int l = 0;
        EVP_Digest(first, firstlen, md, &l, EVP_md5(), NULL);
        hex_of(md, 16, md5);
    } else if (r->ext_md5 && !md5_file(fd, s->raw, s->cap, md5)) {
        return false;
    }
    windows_path(s->h, s->full, wpath, sizeof wpath);
    const char *owner = owner_of(st->st_uid);
    const char *dot = strrchr(s->name, '.');
    char ext[32] = "";
    if (dot && strlen(dot) < sizeof ext)
        for (size_t i = 0; dot[i]; i++)
            ext[i] = (char)tolower((unsigned char)dot[i]);
    yr_scanner_define_string_variable(s->ext, "filename", s->name);
    yr_scanner_define_string_variable(s->ext, "filepath", wpath);
    yr_scanner_define_string_variable(s->ext, "extension", ext);
    yr_scanner_define_string_variable(s->ext, "filetype", file_type(first, firstlen));
    yr_scanner_define_string_variable(s->ext, "owner", owner);
    yr_scanner_define_string_variable(s->ext, "md5", md5);
    yr_scanner_set_callback(s->ext, yara_cb, &s->me);
    return true;
}

static void scan_window(scan_file *s, size_t len, long long off)
{
    struct exr_hunt_rules *r = s->h->rules;
    size_t nl = exr_normalize(s->raw, len, s->norm);
    int yr = yr_rules_scan_mem(r->builtin, s->norm, nl, SCAN_FLAGS_FAST_MODE, yara_cb, &s->mb, yara_timeout());
    if (yr == ERROR_SUCCESS && s->ext)
        yr = yr_scanner_scan_mem(s->ext, s->raw, len);
    if (yr != ERROR_SUCCESS) {
        exr_hunt_not_examined(&s->h->out, s->rel, "YARA %s in the %lld-byte window at offset %lld",
                              yr == ERROR_SCAN_TIMEOUT ? "timed out" : "failed", (long long)len, off);
        s->incomplete = true;
    }
}

static void report_file(scan_file *s, long long mtime_s, const char *shahex, bool hashed)
{
    exr_hunt *h = s->h;
    int64_t ms = mtime_s * 1000;
    if (s->mb.n) {
        exr_buf ev;
        exr_buf_init(&ev);
        for (int i = 0; i < s->mb.n; i++)
            exr_buf_printf(&ev, "%s%s", i ? ", " : "", s->mb.names[i]);
        exr_buf_printf(&ev, "; sha256=%s", shahex);
        exr_hunt_add(&h->out, "webshell.yara", -1, s->rel, 0, ms, NULL, 0, ev.p, ev.len);
        exr_buf_free(&ev);
    }
    for (int i = 0; i < s->me.next; i++) {
        const exr_rule_meta *m = &s->me.ext[i];
        char ev[900];
        snprintf(ev, sizeof ev, "rule %s (%s): %s; author %s; score %ld; sha256=%s", m->name, m->file,
                 m->description ? m->description : "-", m->author ? m->author : "-", m->score < 0 ? 70 : m->score, shahex);
        exr_hunt_add_rule(&h->out, "webshell.yara-external", sev_of_score(m->score), s->rel, ms, ev, strlen(ev), m);
    }
    if (!s->mb.n && !hashed && published_path(s->rel, s->name) && mtime_s >= WINDOW_FROM && mtime_s <= WINDOW_TO) {
        bool exch = exchange_location(h, s->full, s->rel);
        char ev[240];
        snprintf(ev, sizeof ev, "published web-shell name, modified during the campaign, %s; sha256=%s",
                 exch ? "in an Exchange or aspnet_client folder" : "under an ordinary site (no content evidence)", shahex);
        exr_hunt_add(&h->out, "webshell.name", exch ? EXR_SEV_MEDIUM : EXR_SEV_LOW, s->rel, 0, ms, NULL, 0, ev, strlen(ev));
    }
}

/* Reads the next window after the keep bytes carried over: *len bytes in all, *eof when the
 * file ended. A buffer sized to a small file grows to a full window if the file grew. */
static int read_window(scan_file *s, int fd, size_t keep, size_t *len, bool *eof)
{
    ssize_t got = read_full(fd, s->raw + keep, s->cap - keep);
    if (got >= 0 && (size_t)got == s->cap - keep && s->cap < WIN) {
        size_t had = keep + (size_t)got;
        s->raw = exr_xrealloc(s->raw, WIN);
        free(s->norm);
        s->norm = exr_xmalloc(exr_norm_cap(WIN));
        s->cap = WIN;
        ssize_t more = read_full(fd, s->raw + had, WIN - had);
        got = more < 0 ? more : got + more;
    }
    if (got < 0)
        return -1;
    *len = keep + (size_t)got;
    *eof = (size_t)got < s->cap - keep;
    return 0;
}

static void finish_file(scan_file *s, const struct stat *st, long long mtime_s)
{
    exr_hunt *h = s->h;
    __atomic_add_fetch(&h->bytes_read, (long)s->total, __ATOMIC_RELAXED);
    if (!s->incomplete && s->total < (long long)st->st_size)
        exr_hunt_not_examined(&h->out, s->rel, "the file shrank while it was read (%lld of %lld bytes)", s->total, (long long)st->st_size);
    unsigned char md[32];
    unsigned int mdl = 0;
    EVP_DigestFinal_ex(s->sha, md, &mdl);
    EVP_MD_CTX_free(s->sha);
    char hex[65];
    hex_of(md, 32, hex);
    bool hashed = sha_known(hex);
    if (hashed) {
        char ev[128];
        snprintf(ev, sizeof ev, "sha256=%s", hex);
        exr_hunt_add(&h->out, "webshell.hash", -1, s->rel, 0, mtime_s * 1000, NULL, 0, ev, strlen(ev));
    }
    report_file(s, mtime_s, hex, hashed);
    free(s->raw);
    free(s->norm);
}

void exr_hunt_web_file(exr_hunt *h, const char *full, const char *name, long long mtime_s)
{
    scan_file s;
    memset(&s, 0, sizeof s);
    s.h = h;
    s.full = full;
    s.name = name;
    s.rel = exr_layout_rel(&h->lay, full);
    s.me.external = true;
    int fd = exr_open_ro(full);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        exr_hunt_not_examined(&h->out, s.rel, "cannot open: %s", strerror(errno));
        if (fd >= 0)
            close(fd);
        return;
    }
    /* a small file gets buffers of its own size: most of a web root is small files */
    s.cap = st.st_size >= 0 && (unsigned long long)st.st_size < WIN ? (size_t)st.st_size + 1 : WIN;
    s.raw = exr_xmalloc(s.cap);
    s.norm = exr_xmalloc(exr_norm_cap(s.cap));
    s.sha = EVP_MD_CTX_new();
    EVP_DigestInit_ex(s.sha, EVP_sha256(), NULL);
    struct exr_hunt_rules *r = h->rules;
    size_t keep = 0, len = 0;
    long long off = 0;
    bool first = true, eof = false;
    for (;;) {
        if (read_window(&s, fd, keep, &len, &eof) != 0) {
            exr_hunt_not_examined(&h->out, s.rel, "read error after %lld bytes: %s", s.total, strerror(errno));
            s.incomplete = true;
            break;
        }
        EVP_DigestUpdate(s.sha, s.raw + keep, len - keep);
        s.total += (long long)(len - keep);
        if (first && r->ext && !open_ext_scanner(&s, fd, &st, s.raw, len, eof)) {
            exr_hunt_not_examined(&h->out, s.rel, "cannot prepare the --rules scan (%s)", strerror(errno));
            s.incomplete = true;
            break;
        }
        if (first && !eof && r->ext && r->ext_md5) {
            /* md5_file re-read the file: start the window loop again from its beginning */
            first = false;
            s.total = 0;
            EVP_DigestInit_ex(s.sha, EVP_sha256(), NULL);
            keep = 0;
            continue;
        }
        first = false;
        if (len || off == 0)
            scan_window(&s, len, off);
        if (eof || s.incomplete)
            break;
        memmove(s.raw, s.raw + len - OVERLAP, OVERLAP);
        keep = OVERLAP;
        off += (long long)(len - OVERLAP);
    }
    close(fd);
    finish_file(&s, &st, mtime_s);
}

/* Reads n bytes at off of the file *ctx: 0 when all were read, 1 when it ends first, -1 on
 * an error (errno); the minidump reader's exr_md_read. */
static int pread_all(void *ctx, void *buf, size_t n, uint64_t off)
{
    int fd = *(int *)ctx;
    size_t got = 0;
    while (got < n) {
        ssize_t r = pread(fd, (char *)buf + got, n - got, (off_t)(off + got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            return 1;
        got += (size_t)r;
    }
    return 0;
}

/* The first n bytes of a file; false with errno 0 when it is shorter. */
static bool read_magic(const char *full, unsigned char *m, size_t n)
{
    int fd = exr_open_ro(full);
    if (fd < 0)
        return false;
    int r = pread_all(&fd, m, n, 0);
    int err = r < 0 ? errno : 0;
    close(fd);
    errno = err;
    return r == 0;
}

/* An LSASS dump under C:\root or Windows\Temp: a minidump named lsass*.dmp (Test-ProxyLogon's
 * check), or any minidump whose process, its first module, is lsass.exe, whatever its name. */
void exr_hunt_dump_file(exr_hunt *h, const char *full, const char *name, long long mtime_s)
{
    size_t nl = strlen(name);
    bool named = nl >= 9 && strncasecmp(name, "lsass", 5) == 0 && strcasecmp(name + nl - 4, ".dmp") == 0;
    char proc[512] = "";
    int fd = exr_open_ro(full), r = -1;
    if (fd >= 0) {
        r = exr_minidump_process(pread_all, &fd, proc, sizeof proc);
        int err = errno;
        close(fd);
        errno = err;
    }
    if (r < 0) {
        exr_hunt_not_examined(&h->out, exr_layout_rel(&h->lay, full), "could not be read to tell whether it is an LSASS dump: %s",
                              strerror(errno));
        return;
    }
    char ev[700];
    if (r == 1 && exr_minidump_is_lsass(proc))
        snprintf(ev, sizeof ev, "minidump (MDMP) of the process %s", proc);
    else if (r == 1 && named)
        snprintf(ev, sizeof ev, "minidump (MDMP) named lsass*.dmp");
    else
        return;
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
    if (!kind)
        return;
    if (!read_magic(full, m, 6)) {
        if (errno) /* a file shorter than the magic is simply not an archive */
            exr_hunt_not_examined(&h->out, exr_layout_rel(&h->lay, full), "archive name but unreadable: %s", strerror(errno));
        return;
    }
    bool ok = (kind[0] == 'z' && memcmp(m, "PK\x03\x04", 4) == 0) || (kind[0] == '7' && memcmp(m, "7z\xbc\xaf\x27\x1c", 6) == 0) ||
              (kind[0] == 'r' && memcmp(m, "Rar!\x1a\x07", 6) == 0);
    if (!ok)
        return;
    char ev[64];
    snprintf(ev, sizeof ev, "%s archive (magic checked)", kind);
    exr_hunt_add(&h->out, "file.archive", -1, exr_layout_rel(&h->lay, full), 0, mtime_s * 1000, NULL, 0, ev, strlen(ev));
}
