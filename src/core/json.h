/* json.h: a minimal JSON writer for JSON Lines records. Strings from the network are
 * hostile: every byte is escaped, invalid UTF-8 becomes U+FFFD, so a record is always one
 * valid line whatever a server sent. */
#ifndef EXR_JSON_H
#define EXR_JSON_H
#include "buf.h"
#include <stdbool.h>
#include <stdint.h>

typedef struct exr_json {
    exr_buf *out;
    int depth;
    bool need_comma[16];
} exr_json;

void exr_json_begin(exr_json *j, exr_buf *out); /* opens the top-level object */
void exr_json_end(exr_json *j);                 /* closes it */
void exr_json_key(exr_json *j, const char *key);
void exr_json_str(exr_json *j, const char *key, const char *val); /* NULL -> null */
void exr_json_strn(exr_json *j, const char *key, const char *val, size_t n);
void exr_json_int(exr_json *j, const char *key, int64_t v);
void exr_json_double(exr_json *j, const char *key, double v); /* %.6g; NaN and infinities as null */
void exr_json_bool(exr_json *j, const char *key, bool v);
void exr_json_null(exr_json *j, const char *key);
void exr_json_obj_open(exr_json *j, const char *key);
void exr_json_obj_close(exr_json *j);
void exr_json_arr_open(exr_json *j, const char *key);
void exr_json_arr_close(exr_json *j);
/* Appends s as a quoted, escaped JSON string. */
void exr_json_quote(exr_buf *out, const char *s, size_t n);

#endif
