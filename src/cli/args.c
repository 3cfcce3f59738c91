/* args.c: the argument scanner of the small commands. */
#include "args.h"
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
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
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

const char *exr_args_closest(const char *s, const char *const *names, int n)
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

static int fail(const char *cmd, const char *usage, const char *msg, const char *what, const char *hint)
{
    fprintf(stderr, "exray %s: %s%s", cmd, msg, what ? what : "");
    if (hint)
        fprintf(stderr, " (did you mean %s?)", hint);
    fprintf(stderr, "\n%s", usage);
    return EXR_ARGS_ERROR;
}

int exr_args_scan(const char *cmd, int argc, char **argv, int start, const exr_flag *flags, int nflags, const char **pos, int maxpos,
                  int *npos, const char *usage)
{
    int options_done = 0;
    *npos = 0;
    for (int i = start; i < argc; i++) {
        const char *a = argv[i];
        if (!options_done && a[0] == '-' && a[1]) {
            if (!strcmp(a, "--")) {
                options_done = 1;
                continue;
            }
            if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
                fputs(usage, stdout);
                return EXR_ARGS_HELP;
            }
            /* --name=value as well as --name value */
            const char *eq = strchr(a, '=');
            size_t len = eq && a[1] == '-' ? (size_t)(eq - a) : strlen(a);
            int k = -1;
            for (int f = 0; f < nflags; f++)
                if (strlen(flags[f].name) == len && !strncmp(flags[f].name, a, len))
                    k = f;
            if (k < 0) {
                const char *names[32];
                int n = nflags < 32 ? nflags : 32;
                for (int f = 0; f < n; f++)
                    names[f] = flags[f].name;
                char base[64];
                snprintf(base, sizeof base, "%.*s", (int)(len < 63 ? len : 63), a);
                return fail(cmd, usage, "unknown option ", a, exr_args_closest(base, names, n));
            }
            if (eq && a[1] == '-')
                *flags[k].dest = eq + 1;
            else if (i + 1 < argc)
                *flags[k].dest = argv[++i];
            else
                return fail(cmd, usage, "option needs an argument: ", a, NULL);
            continue;
        }
        if (*npos >= maxpos)
            return fail(cmd, usage, maxpos ? "too many arguments at " : "unexpected argument ", a, NULL);
        pos[(*npos)++] = a;
    }
    return EXR_ARGS_OK;
}

void exr_args_getopt_hint(const char *cmd, int argc, char **argv, const struct option *opts)
{
    /* getopt_long has already named the option; after an unknown long option, optind is
     * one past it */
    if (optind < 1 || optind > argc || strncmp(argv[optind - 1], "--", 2) != 0)
        return;
    const char *a = argv[optind - 1] + 2;
    char base[64];
    snprintf(base, sizeof base, "%.*s", (int)strcspn(a, "="), a);
    const char *names[128];
    int n = 0;
    for (; opts[n].name && n < 128; n++)
        names[n] = opts[n].name;
    const char *best = exr_args_closest(base, names, n);
    if (best)
        fprintf(stderr, "exray %s: did you mean --%s?\n", cmd, best);
}
