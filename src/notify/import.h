/* import.h: loads other sources' observations into the store: Shadowserver scan_exchange
 * CSV reports (2021 layout with sic, current layout with severity/hostname_source) and
 * exray scan JSON Lines. Each file becomes one scan. Bad lines are counted and reported
 * with file and line; the import goes on. */
#ifndef EXR_IMPORT_H
#define EXR_IMPORT_H
#include "../core/err.h"
#include "../exchange/builds.h"
#include "../store/store.h"

typedef void (*exr_import_report)(void *ctx, const char *msg);

typedef struct exr_import_stats {
    long rows, imported, bad;
    long shaped;            /* rows shaped as a report row (a CSV row under the header, a JSON record with ip and time) */
    long long duplicate_of; /* the scan an identical file was imported as (nothing done), or 0 */
} exr_import_stats;

/* Imports one file, read whole into text (emptied first; the caller keeps it from file to
 * file, as the kernel zeroes every page of fresh memory: a seventh of an import's time). */
int exr_import_file(exr_store *s, const exr_buildtab *tab, const char *path, exr_buf *text, exr_import_report rep, void *ctx,
                    exr_import_stats *st, exr_err *e);
/* The same on a buffer (fuzzing, tests); name is used in messages. A text already imported
 * (the same bytes: its SHA-256 is the scan's targets digest) is not stored again; a text
 * with no line shaped as a report row (a JSON schema, a stray file) is an error (EXR_EINVAL),
 * and leaves nothing behind; report rows whose values are all bad import nothing, named by line. */
int exr_import_text(exr_store *s, const exr_buildtab *tab, const char *name, const char *text, size_t len, exr_import_report rep, void *ctx,
                    exr_import_stats *st, exr_err *e);

#endif
