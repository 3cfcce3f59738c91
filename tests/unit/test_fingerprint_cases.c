/* test_fingerprint_cases.c: replays every each tests/cases/fingerprint case file (see its README)
 * through the HTTP parser and the fingerprint logic, in exray's own request order, and
 * checks the resulting JSON record. Cases that need ../shared/corpus are skipped with a
 * message when the corpus is absent. */
#include "testutil.h"
#include "scan/fingerprint.h"
#include "scan/record.h"
#include <dirent.h>

#define MAXR 8
typedef struct resp_src {
    char path[256];
    exr_buf raw; /* serialized response */
} resp_src;

typedef struct tcase {
    resp_src r[MAXR];
    int nr;
    exr_buf expect;
    exr_buf requests;
    bool skip;
    char why[512];
} tcase;

static const char *corpus_dir(void)
{
    const char *d = getenv("EXR_CORPUS");
    return d ? d : "../shared/corpus";
}

/* Loads a corpus file into out; false if missing. */
static bool load_corpus(const char *rel, exr_buf *out)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", corpus_dir(), rel);
    return exr_read_file(path, 4u << 20, out) == 0;
}

/* The raw response inside "**Response**\n```http\n...\n```" of a nuclei markdown export. */
static bool extract_response(const exr_buf *md, exr_buf *head, exr_buf *body)
{
    const char *p = strstr(md->p, "**Response**");
    if (!p || !(p = strstr(p, "```http\n")))
        return false;
    p += 8;
    const char *end = strstr(p, "\n```");
    if (!end)
        return false;
    const char *sep = strstr(p, "\n\n");
    if (!sep || sep > end)
        sep = end;
    exr_buf_add(head, p, (size_t)(sep - p));
    exr_buf_addc(head, '\n');
    if (sep < end)
        exr_buf_add(body, sep + 2, (size_t)(end - sep - 2));
    return true;
}

/* Serializes head lines (LF) + body: CRLF, Content-Length recomputed, chunked if asked;
 * with close_delimited, no length at all (the body ends where the connection does). */
static void serialize(const exr_buf *head, const exr_buf *body, exr_buf *out, bool close_delimited)
{
    bool chunked = false;
    const char *p = head->p ? head->p : "";
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t l = nl ? (size_t)(nl - p) : strlen(p);
        if (l && p[l - 1] == '\r')
            l--;
        if (l >= 15 && strncasecmp(p, "Content-Length:", 15) == 0) {
            /* recomputed below */
        } else if (l) {
            if (strncasecmp(p, "Transfer-Encoding:", 18) == 0 && strstr(p, "chunked"))
                chunked = true;
            exr_buf_add(out, p, l);
            exr_buf_adds(out, "\r\n");
        }
        p += nl ? (size_t)(nl - p) + 1 : l;
    }
    size_t bl = body->len;
    if (!chunked && !close_delimited)
        exr_buf_printf(out, "Content-Length: %zu\r\n", bl);
    exr_buf_adds(out, "\r\n");
    if (!chunked) {
        exr_buf_add(out, body->p ? body->p : "", bl);
        return;
    }
    for (size_t off = 0; off < bl; off += 1000) {
        size_t k = bl - off < 1000 ? bl - off : 1000;
        exr_buf_printf(out, "%zx\r\n", k);
        exr_buf_add(out, body->p + off, k);
        exr_buf_adds(out, "\r\n");
    }
    exr_buf_adds(out, "0\r\n\r\n");
}

static void load_case(const char *file, tcase *tc)
{
    memset(tc, 0, sizeof *tc);
    exr_buf text;
    exr_buf_init(&text);
    assert_int_equal(exr_read_file(file, 1u << 20, &text), 0);
    int section = 0; /* 1 response, 2 expect, 3 requests */
    exr_buf head, body;
    exr_buf_init(&head);
    exr_buf_init(&body);
    bool in_body = false, close_delimited = false;
    resp_src *cur = NULL;
    char *s = text.p;
    while (s && *s) {
        char *nl = strchr(s, '\n');
        if (nl)
            *nl = 0;
        char *l = s;
        s = nl ? nl + 1 : NULL;
        if (strncmp(l, "== ", 3) == 0) {
            if (cur) {
                serialize(&head, &body, &cur->raw, close_delimited);
                exr_buf_reset(&head);
                exr_buf_reset(&body);
            }
            cur = NULL;
            in_body = false;
            close_delimited = false;
            if (strncmp(l, "== GET ", 7) == 0) {
                assert_true(tc->nr < MAXR);
                cur = &tc->r[tc->nr++];
                snprintf(cur->path, sizeof cur->path, "%s", l + 7);
                section = 1;
            } else if (strcmp(l, "== expect") == 0) {
                section = 2;
            } else if (strcmp(l, "== requests") == 0) {
                section = 3;
            } else {
                fail_msg("%s: unknown section '%s'", file, l);
            }
            continue;
        }
        if (section == 0)
            continue; /* description */
        if (section == 2) {
            if (*l)
                exr_buf_printf(&tc->expect, "%s\n", l);
            continue;
        }
        if (section == 3) {
            exr_buf_adds(&tc->requests, l);
            continue;
        }
        if (strncmp(l, "@corpus-response ", 17) == 0) {
            exr_buf md;
            exr_buf_init(&md);
            if (!load_corpus(l + 17, &md)) {
                tc->skip = true;
                snprintf(tc->why, sizeof tc->why, "corpus file %s/%s not found", corpus_dir(), l + 17);
            } else if (!extract_response(&md, &head, &body)) {
                fail_msg("%s: no HTTP response in %s", file, l + 17);
            }
            exr_buf_free(&md);
            continue;
        }
        if (strcmp(l, "@close") == 0) {
            close_delimited = true;
            continue;
        }
        if (strncmp(l, "@corpus ", 8) == 0) {
            if (!load_corpus(l + 8, &body)) {
                tc->skip = true;
                snprintf(tc->why, sizeof tc->why, "corpus file %s/%s not found", corpus_dir(), l + 8);
            }
            continue;
        }
        if (!in_body) {
            if (*l == 0)
                in_body = true;
            else
                exr_buf_printf(&head, "%s\n", l);
        } else {
            exr_buf_printf(&body, "%s\n", l);
        }
    }
    if (cur)
        serialize(&head, &body, &cur->raw, close_delimited);
    exr_buf_free(&head);
    exr_buf_free(&body);
    exr_buf_free(&text);
}

static void run_case(const char *file, const exr_buildtab *tab, int *ran, int *skipped)
{
    tcase tc;
    load_case(file, &tc);
    if (tc.skip) {
        printf("  SKIP %s: %s\n", file, tc.why);
        (*skipped)++;
        goto done;
    }
    exr_result res;
    memset(&res, 0, sizeof res);
    exr_fp_init(&res.fp);
    exr_buf seq;
    exr_buf_init(&seq);
    static const char notfound[] = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
    for (int guard = 0; guard < 5; guard++) {
        int req = exr_fp_next(&res.fp, tab);
        if (req == EXR_REQ_NONE)
            break;
        const char *path = exr_req_path[req];
        if (seq.len)
            exr_buf_addc(&seq, ' ');
        exr_buf_adds(&seq, path);
        const char *raw = notfound;
        size_t rl = sizeof notfound - 1;
        for (int i = 0; i < tc.nr; i++)
            if (strcmp(tc.r[i].path, path) == 0)
                raw = tc.r[i].raw.p, rl = tc.r[i].raw.len;
        exr_http_resp hr;
        exr_http_init(&hr, false);
        size_t used;
        int rc = exr_http_feed(&hr, raw, rl, &used);
        if (rc == EXR_HTTP_MORE)
            rc = exr_http_eof(&hr);
        if (rc != EXR_HTTP_DONE)
            fail_msg("%s: response to %s does not parse: %s", file, path, hr.error ? hr.error : "incomplete");
        exr_fp_observe(&res.fp, req, &hr);
        exr_http_free(&hr);
    }
    res.status = EXR_STATUS_OK;
    exr_result_finish(&res, tab);
    exr_buf json;
    exr_buf_init(&json);
    exr_result_json(&res, &json);
    char *p = tc.expect.p;
    while (p && *p) {
        char *nl = strchr(p, '\n');
        *nl = 0;
        if (!strstr(json.p, p))
            fail_msg("%s: record lacks %s\n  record: %s", file, p, json.p);
        p = nl + 1;
    }
    if (tc.requests.len && strcmp(tc.requests.p, seq.p) != 0)
        fail_msg("%s: requests were '%s', expected '%s'", file, seq.p, tc.requests.p);
    printf("  ok   %s\n", file);
    (*ran)++;
    exr_buf_free(&json);
    exr_buf_free(&seq);
done:
    for (int i = 0; i < tc.nr; i++)
        exr_buf_free(&tc.r[i].raw);
    exr_buf_free(&tc.expect);
    exr_buf_free(&tc.requests);
}

static int cmpstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_cases(void **st)
{
    (void)st;
    exr_buildtab tab;
    exr_err e;
    assert_int_equal(exr_buildtab_load_default(&tab, &e), 0);
    const char *dir = getenv("EXR_CASES") ? getenv("EXR_CASES") : "tests/cases/fingerprint";
    DIR *d = opendir(dir);
    assert_non_null(d);
    char *names[256];
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) && n < 256) {
        size_t l = strlen(de->d_name);
        if (l > 5 && strcmp(de->d_name + l - 5, ".case") == 0) {
            char path[1024];
            snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
            names[n++] = exr_xstrdup(path);
        }
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof *names, cmpstr);
    int ran = 0, skipped = 0;
    for (int i = 0; i < n; i++) {
        run_case(names[i], &tab, &ran, &skipped);
        free(names[i]);
    }
    printf("  %d fingerprint cases passed, %d skipped\n", ran, skipped);
    assert_true(ran >= 5);
    exr_buildtab_free(&tab);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_cases)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
