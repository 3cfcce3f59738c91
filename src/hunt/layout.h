/* layout.h: where things are on a server's system drive: the live C:\ mounted on Linux,
 * or a triage copy (KAPE "C/...", Velociraptor "C%3A/...", or a plain copy). Every
 * location is found case-insensitively and can be overridden by a flag. */
#ifndef EXR_LAYOUT_H
#define EXR_LAYOUT_H
#include "../core/err.h"
#include <stdbool.h>

#define EXR_LAY_MAXDIRS 32
#define EXR_PATHMAX 4096

typedef struct exr_layout_overrides {
    const char *install, *httpproxy, *ecpserver, *oablog, *evtx, *programdata, *temp;
    const char *iis[EXR_LAY_MAXDIRS];
    int niis;
    const char *web[EXR_LAY_MAXDIRS];
    int nweb;
} exr_layout_overrides;

typedef struct exr_layout {
    char root[EXR_PATHMAX]; /* as given, without trailing '/' */
    char sys[EXR_PATHMAX];  /* the system drive inside root */
    char install[EXR_PATHMAX];
    char install_win[1024]; /* "\Program Files\Microsoft\Exchange Server\V15" (no drive) */
    char httpproxy[EXR_PATHMAX], ecpserver[EXR_PATHMAX], oablog[EXR_PATHMAX];
    char evtx[EXR_PATHMAX], programdata[EXR_PATHMAX], wintemp[EXR_PATHMAX], rootdir[EXR_PATHMAX];
    char *iis[EXR_LAY_MAXDIRS];
    int niis;
    char *web[EXR_LAY_MAXDIRS]; /* every file is scanned */
    int nweb;
    char *webscript[EXR_LAY_MAXDIRS]; /* only script/config extensions are scanned */
    int nwebscript;
    bool pct; /* a Velociraptor collection: names carry %XX escapes (C%3A, Program%20Files) */
} exr_layout;

int exr_layout_discover(exr_layout *l, const char *root, const exr_layout_overrides *ov, exr_err *e);
void exr_layout_free(exr_layout *l);
/* Path of full relative to the root, '/'-separated (points into full or a static ""). */
const char *exr_layout_rel(const exr_layout *l, const char *full);

#endif
