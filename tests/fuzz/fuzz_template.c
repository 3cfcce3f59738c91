/* fuzz_template.c: the template parser and renderer, and the MIME writer on hostile text. */
#include "notify/mime.h"
#include "notify/template.h"
#include <stdbool.h>
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
        exr_mail m = {
            "a@b.example", text, "c@d.example", subj.p ? subj.p : "", body.p ? body.p : "", "20210303-00000001", "x.csv", text, size, 0,
            text,          text}; /* a hostile notice kind and refs (a tampered store) too */
        exr_mime_build(&m, &msg);
        /* no byte of the input may start a header line of its own: every line of the header
         * block is a folded continuation or one of the headers exray writes, by full name */
        static const char *const names[] = {
            "From:",           "To:",          "Subject:",    "Date:",         "Message-ID:",  "Auto-Submitted:", "X-exray-Ticket:",
            "X-exray-Notice:", "In-Reply-To:", "References:", "MIME-Version:", "Content-Type:"};
        char *end = strstr(msg.p, "\r\n\r\n");
        if (!end)
            __builtin_trap();
        for (char *p = msg.p; p < end; p++) {
            bool line_start = p == msg.p || (p - msg.p >= 2 && p[-2] == '\r' && p[-1] == '\n');
            if (!line_start || p[0] == ' ' || p[0] == '\t')
                continue;
            bool known = false;
            for (size_t k = 0; k < sizeof names / sizeof names[0] && !known; k++)
                known = strncmp(p, names[k], strlen(names[k])) == 0;
            if (!known)
                __builtin_trap();
        }
        /* and no bare CR or LF inside the header block */
        for (char *p = msg.p; p < end; p++)
            if ((p[0] == '\r' && p[1] != '\n') || (p[0] == '\n' && (p == msg.p || p[-1] != '\r')))
                __builtin_trap();
        exr_buf_free(&subj);
        exr_buf_free(&body);
        exr_buf_free(&msg);
        exr_template_free(&t);
    }
    free(text);
    return 0;
}
