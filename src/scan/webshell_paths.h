/* webshell_paths.h: web-shell paths published for the 2021 Exchange campaign, requested
 * only with --probe-webshells and only after a control request for a random name. */
#ifndef EXR_WEBSHELL_PATHS_H
#define EXR_WEBSHELL_PATHS_H
#include <stddef.h>

extern const char *const exr_webshell_paths[];
extern const size_t exr_webshell_npaths;

#endif
