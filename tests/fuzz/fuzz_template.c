/* fuzz_template.c: the template parser and renderer, and the MIME writer on hostile text. */
#include "notify/mime.h"
#include "notify/template.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    exr_template t;
    exr_err e;
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = 0;
    if (exr_template_parse(&t, "fuzz", text, size, &e) == 0) {
        exr_tvar vars[] = {{"ticket", "20210303-00000001"}, {"org", text}, {"hosts", "a\r\nb"}, {"host_count", "2"}};
        exr_buf subj, body, msg;
        exr_buf_init(&subj);
        exr_buf_init(&body);
        exr_buf_init(&msg);
        exr_template_render(t.subject, vars, 4, &subj);
        exr_template_render(t.body, vars, 4, &body);
        exr_mail m = {"a@b.example", text, "c@d.example", subj.p ? subj.p : "", body.p ? body.p : "", "20210303-00000001",
                      "x.csv", text, size, 0};
        exr_mime_build(&m, &msg);
        /* no byte of the input may end a header line early: every CRLF in the header block
         * must be followed by a header name or folding space */
        char *end = strstr(msg.p, "\r\n\r\n");
        for (char *p = msg.p; end && p < end; p++)
            if (p[0] == '\r' && p[1] == '\n' && p + 2 < end && p[2] != ' ' && !strchr("FTSDMAXC", p[2]))
                __builtin_trap();
        exr_buf_free(&subj);
        exr_buf_free(&body);
        exr_buf_free(&msg);
        exr_template_free(&t);
    }
    free(text);
    return 0;
}
