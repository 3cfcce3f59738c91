/* template.h: notification templates. The first line is "Subject: ...", the rest the
 * body; ${name} is replaced, $$ is a dollar. Every variable is checked when a template is
 * loaded, so an unknown one stops the run before anything is sent. */
#ifndef EXR_TEMPLATE_H
#define EXR_TEMPLATE_H
#include "../core/buf.h"
#include "../core/err.h"

typedef struct exr_template {
    char name[32];
    char *subject;
    char *body;
} exr_template;

typedef struct exr_tvar {
    const char *name;
    const char *value;
} exr_tvar;

extern const char *const exr_template_vars[];
int exr_template_parse(exr_template *t, const char *name, const char *text, size_t len, exr_err *e);
void exr_template_free(exr_template *t);
/* Renders src with vars into out; unknown names cannot occur after parse. */
void exr_template_render(const char *src, const exr_tvar *vars, int nvars, exr_buf *out);

#endif
