/* args.h: one argument scanner for the small commands (import, stats, report, contacts,
 * enrich): -h/--help to stdout, `--` ends options, an unknown option is an error that names
 * the closest known one. */
#ifndef EXR_CLI_ARGS_H
#define EXR_CLI_ARGS_H

#include <getopt.h>
#include <stdio.h>

typedef struct exr_flag {
    const char *name;  /* "--db", "-o" */
    const char **dest; /* where its argument goes */
} exr_flag;

enum { EXR_ARGS_OK = 0, EXR_ARGS_HELP = 1, EXR_ARGS_ERROR = 2 };

/* Scans argv[start..argc): flags (all take one argument) into their dest, everything else
 * into pos (at most maxpos, more is an error). On HELP the usage text went to stdout, on
 * ERROR a message and the usage went to stderr. */
int exr_args_scan(const char *cmd, int argc, char **argv, int start, const exr_flag *flags, int nflags, const char **pos, int maxpos,
                  int *npos, const char *usage);
/* The known name closest to s (edit distance at most 3), or NULL. */
const char *exr_args_closest(const char *s, const char *const *names, int n);

/* After getopt_long's own message on an unknown long option: the closest known one. */
void exr_args_getopt_hint(const char *cmd, int argc, char **argv, const struct option *opts);

#endif
