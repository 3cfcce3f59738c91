/* hunt_fuzz_util.h: runs one hunt file processor on fuzzer bytes written to a private
 * temporary file (the processors read files, as they do on a triage copy). */
#ifndef EXR_HUNT_FUZZ_UTIL_H
#define EXR_HUNT_FUZZ_UTIL_H
#include "hunt/hunt.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *fuzz_tmpfile(const uint8_t *data, size_t size)
{
    static char path[64];
    if (!path[0])
        snprintf(path, sizeof path, "/tmp/exray-fuzz-%d.log", (int)getpid());
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    fwrite(data, 1, size, f);
    fclose(f);
    return path;
}

static void fuzz_hunt_init(exr_hunt *h)
{
    memset(h, 0, sizeof *h);
    snprintf(h->lay.root, sizeof h->lay.root, "/tmp");
    snprintf(h->lay.install_win, sizeof h->lay.install_win, "\\Program Files\\Microsoft\\Exchange Server\\V15");
    exr_hunt_out_init(&h->out, "/tmp");
}

static void fuzz_hunt_done(exr_hunt *h)
{
    exr_buf b;
    exr_buf_init(&b);
    exr_hunt_sort(&h->out);
    for (size_t i = 0; i < h->out.nf; i++) {
        exr_finding_json(&h->out, &h->out.f[i], &b);
        if (h->out.f[i].time_ms != EXR_NO_TIME)
            exr_finding_timeline(&h->out, &h->out.f[i], &b);
    }
    exr_buf_free(&b);
    exr_hunt_out_free(&h->out);
}
#endif
