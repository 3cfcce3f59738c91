/* opts.c: getopt_long parsing and --help, both built from a command's option table. */
#include "opts.h"
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return 99;
    size_t row[64];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *exr_opts_closest(const char *s, const char *const *names, int n)
{
    const char *best = NULL;
    size_t bd = 4;
    for (int i = 0; i < n; i++) {
        size_t d = edit_distance(s, names[i]);
        if (d < bd) {
            bd = d;
            best = names[i];
        }
    }
    return best;
}

int exr_opts_fail(const exr_cmdspec *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "exray %s: ", s->name);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return EXR_PARSE_ERROR;
}

/* Unknown option: name it, and the closest long option, then where the help is. */
static int unknown(const exr_cmdspec *s, const char *given)
{
    char base[64];
    const char *g = given + strspn(given, "-");
    snprintf(base, sizeof base, "%.*s", (int)strcspn(g, "="), g);
    const char *names[EXR_MAXOPTS + 1];
    for (int i = 0; i < s->nopts; i++)
        names[i] = s->opts[i].lng;
    names[s->nopts] = "help";
    const char *best = strlen(base) > 1 ? exr_opts_closest(base, names, s->nopts + 1) : NULL;
    fprintf(stderr, "exray %s: unknown option %.*s", s->name, (int)strcspn(given, "="), given);
    if (best)
        fprintf(stderr, " (did you mean --%s?)", best);
    fprintf(stderr, "\n'exray %s --help' lists the options\n", s->name);
    return EXR_PARSE_ERROR;
}

static void build_getopt(const exr_cmdspec *s, struct option *lo, char *so)
{
    char *q = so;
    *q++ = ':'; /* report a missing argument as ':' */
    for (int i = 0; i < s->nopts; i++) {
        const exr_opt *o = &s->opts[i];
        lo[i] = (struct option){o->lng, o->arg ? required_argument : no_argument, NULL, 1000 + i};
        if (o->shrt) {
            *q++ = (char)o->shrt;
            if (o->arg)
                *q++ = ':';
        }
    }
    lo[s->nopts] = (struct option){"help", no_argument, NULL, 'h'};
    lo[s->nopts + 1] = (struct option){NULL, 0, NULL, 0};
    *q++ = 'h';
    *q = 0;
}

static int short_to_id(const exr_cmdspec *s, int c)
{
    for (int i = 0; i < s->nopts; i++)
        if (s->opts[i].shrt == c)
            return i;
    return -1;
}

static int positional_count(const exr_cmdspec *s, const exr_parsed *p)
{
    if (p->npos < s->min_pos) {
        const char *syn = s->synopsis;
        return exr_opts_fail(s, "missing argument: usage: exray %s %.*s", s->name, (int)strcspn(syn, "\n"), syn);
    }
    if (s->max_pos >= 0 && p->npos > s->max_pos)
        return exr_opts_fail(s, "unexpected argument %s", p->pos[s->max_pos]);
    return EXR_PARSE_OK;
}

int exr_opts_parse(const exr_cmdspec *s, int argc, char **argv, exr_parsed *p)
{
    struct option lo[EXR_MAXOPTS + 2];
    char so[3 * EXR_MAXOPTS + 4];
    memset(p, 0, sizeof *p);
    build_getopt(s, lo, so);
    opterr = 0;
    optind = 0; /* glibc: start over, whatever an earlier parse left */
    int c;
    while ((c = getopt_long(argc, argv, so, lo, NULL)) != -1) {
        if (c == 'h') {
            exr_opts_help(s, stdout);
            return EXR_PARSE_HELP;
        }
        if (c == ':')
            return exr_opts_fail(s, "option %s needs an argument (%s)", argv[optind - 1],
                                 optopt >= 1000 ? s->opts[optopt - 1000].arg : s->opts[short_to_id(s, optopt)].arg);
        if (c == '?') {
            if (optopt >= 1000)
                return exr_opts_fail(s, "option --%s takes no argument", s->opts[optopt - 1000].lng);
            if (optopt && optopt < 1000) {
                char so1[3] = {'-', (char)optopt, 0};
                return unknown(s, so1);
            }
            return unknown(s, argv[optind - 1]);
        }
        int id = c >= 1000 ? c - 1000 : short_to_id(s, c);
        const char *v = s->opts[id].arg ? optarg : "";
        p->val[id] = v;
        p->count[id]++;
        if (p->nall == EXR_MAXVALS)
            return exr_opts_fail(s, "more than %d options", EXR_MAXVALS);
        p->all[p->nall].id = id;
        p->all[p->nall++].v = v;
    }
    p->pos = argv + optind;
    p->npos = argc - optind;
    return positional_count(s, p);
}

int exr_opts_values(const exr_parsed *p, int id, const char **out, int max)
{
    int n = 0;
    for (int i = 0; i < p->nall && n < max; i++)
        if (p->all[i].id == id)
            out[n++] = p->all[i].v;
    return n;
}

bool exr_opts_has(const exr_parsed *p, int id)
{
    return p->val[id] != NULL;
}

int exr_opt_long(const exr_cmdspec *s, int id, const char *v, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (errno || end == v || *end || x < lo || x > hi) {
        exr_opts_fail(s, "--%s: '%s' is not a whole number in %ld..%ld", s->opts[id].lng, v, lo, hi);
        return -1;
    }
    *out = x;
    return 0;
}

int exr_opt_double(const exr_cmdspec *s, int id, const char *v, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (errno || end == v || *end || !(x >= lo && x <= hi)) {
        exr_opts_fail(s, "--%s: '%s' is not a number in %g..%g", s->opts[id].lng, v, lo, hi);
        return -1;
    }
    *out = x;
    return 0;
}

/* The value given, else the table's default: the one place each default is written. */
int exr_opt_long_or_default(const exr_cmdspec *s, const exr_parsed *p, int id, long lo, long hi, long *out)
{
    const char *v = p->val[id] ? p->val[id] : s->opts[id].def;
    return v ? exr_opt_long(s, id, v, lo, hi, out) : 0;
}

int exr_opt_double_or_default(const exr_cmdspec *s, const exr_parsed *p, int id, double lo, double hi, double *out)
{
    const char *v = p->val[id] ? p->val[id] : s->opts[id].def;
    return v ? exr_opt_double(s, id, v, lo, hi, out) : 0;
}

int exr_opt_choice(const exr_cmdspec *s, int id, const char *v)
{
    const char *c = s->opts[id].choices;
    size_t n = strlen(v);
    for (int k = 0; c && *c; k++) {
        size_t w = strcspn(c, " ");
        if (w == n && strncmp(c, v, n) == 0)
            return k;
        c += w + (c[w] == ' ');
    }
    exr_opts_fail(s, "--%s: '%s' is not one of: %s", s->opts[id].lng, v, s->opts[id].choices ? s->opts[id].choices : "");
    return -1;
}

/* Writes text indented by `ind`, wrapped at 79 columns; the first line starts at column `col`. */
static void wrap(FILE *f, const char *t, int col, int ind)
{
    bool space = false;
    while (*t) {
        size_t w = strcspn(t, " \n");
        if (col > ind && col + (int)w + space >= 79) {
            fprintf(f, "\n%*s", ind, "");
            col = ind;
        } else if (space) {
            fputc(' ', f);
            col++;
        }
        fwrite(t, 1, w, f);
        col += (int)w;
        t += w;
        space = false;
        if (*t == '\n') {
            fprintf(f, "\n%*s", ind, "");
            col = ind;
            t++;
        } else if (*t == ' ') {
            while (*t == ' ')
                t++;
            space = true;
        }
    }
    fputc('\n', f);
}

static void help_option(const exr_opt *o, FILE *f)
{
    char head[80];
    int n = o->shrt ? snprintf(head, sizeof head, "  -%c, --%s", o->shrt, o->lng) : snprintf(head, sizeof head, "      --%s", o->lng);
    if (o->arg)
        snprintf(head + n, sizeof head - (size_t)n, " %s", o->arg);
    fputs(head, f);
    int col = (int)strlen(head);
    if (col >= 27) {
        fprintf(f, "\n%27s", "");
        col = 27;
    } else {
        fprintf(f, "%*s", 27 - col, "");
        col = 27;
    }
    char line[600];
    if (o->def)
        snprintf(line, sizeof line, "%s (default: %s)%s", o->help, o->def, o->flags & EXR_OPT_REPEAT ? "; repeatable" : "");
    else
        snprintf(line, sizeof line, "%s%s", o->help, o->flags & EXR_OPT_REPEAT ? " (repeatable)" : "");
    wrap(f, line, col, 27);
}

int exr_opts_dispatch(const char *cmd, const exr_subcmd *subs, int n, int argc, char **argv)
{
    for (int i = 0; argc >= 2 && i < n; i++)
        if (strcmp(argv[1], subs[i].name) == 0)
            return subs[i].run(argc - 1, argv + 1);
    bool help = argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"));
    FILE *f = help ? stdout : stderr;
    if (!help) {
        fprintf(f, "exray %s: give", cmd);
        for (int i = 0; i < n; i++)
            fprintf(f, "%s%s", i ? " or " : " ", subs[i].name);
        fputc('\n', f);
    }
    for (int i = 0; i < n; i++) {
        if (i)
            fputc('\n', f);
        exr_opts_help(subs[i].spec, f);
    }
    return help ? 0 : 2;
}

void exr_opts_help(const exr_cmdspec *s, FILE *f)
{
    const char *syn = s->synopsis;
    for (int first = 1; *syn; first = 0) {
        size_t w = strcspn(syn, "\n");
        fprintf(f, "%s exray %s %.*s\n", first ? "usage:" : "      ", s->name, (int)w, syn);
        syn += w + (syn[w] == '\n');
    }
    fputc('\n', f);
    const char *d = s->description;
    while (*d) {
        const char *end = strstr(d, "\n\n");
        size_t len = end ? (size_t)(end - d) : strlen(d);
        char para[2048];
        snprintf(para, sizeof para, "%.*s", (int)len, d);
        wrap(f, para, 0, 0);
        fputc('\n', f);
        d += len + (end ? 2 : 0);
    }
    const char *group = NULL;
    for (int i = 0; i < s->nopts; i++) {
        if (!group || strcmp(group, s->opts[i].group) != 0) {
            group = s->opts[i].group;
            fprintf(f, "%s%s:\n", i ? "\n" : "", group);
        }
        help_option(&s->opts[i], f);
    }
    fprintf(f, "%s  -h, --help               this text\n\nExit status:\n", s->nopts ? "" : "Options:\n");
    for (const char *e = s->exit_status; *e;) {
        size_t w = strcspn(e, "\n");
        const char *tab = memchr(e, '\t', w);
        char text[512];
        if (tab) {
            snprintf(text, sizeof text, "%.*s", (int)(e + w - tab - 1), tab + 1);
            fprintf(f, "  %-3.*s", (int)(tab - e), e);
            wrap(f, text, 5, 5);
        }
        e += w + (e[w] == '\n');
    }
}
