/* opts_all.c: every command's table, in the order of the man page. */
#include "opts.h"

const exr_cmdspec *const exr_specs[] = {
    &exr_spec_scan,           &exr_spec_hunt,          &exr_spec_builds, &exr_spec_vulns,           &exr_spec_import,
    &exr_spec_notify,         &exr_spec_cases,         &exr_spec_hosts,  &exr_spec_contacts_import, &exr_spec_contacts_optout,
    &exr_spec_enrich_compile, &exr_spec_enrich_lookup, &exr_spec_stats,  &exr_spec_report,          &exr_spec_db_copy};
const int exr_nspecs = sizeof exr_specs / sizeof exr_specs[0];
