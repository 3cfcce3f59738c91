/* json.c: the report's figures as one JSON object, from the same rdata as the HTML page and
 * the Markdown: current (today's states), over_time (per scan: the scan's hosts by state and
 * every known host by its latest state then), the funnel, the open CVEs and the campaigns. */
#include "render.h"
#include "../core/json.h"
#include <string.h>

static void states_obj(exr_json *j, const char *key, const long *st)
{
    exr_json_obj_open(j, key);
    for (int i = EXR_NSTATE - 1; i >= 0; i--)
        exr_json_int(j, exr_state_names[i], st[i]);
    exr_json_obj_close(j);
}

static void over_time(exr_json *j, const rdata *d)
{
    exr_json_arr_open(j, "over_time");
    for (size_t i = 0; i < d->nscans; i++) {
        const rscan *r = &d->scans[i];
        exr_json_obj_open(j, NULL);
        exr_json_int(j, "scan", r->id);
        exr_json_str(j, "date", r->started);
        exr_json_int(j, "exchange", r->exch);
        states_obj(j, "states", r->states);
        exr_json_int(j, "kev_open", r->kev_hosts);
        exr_json_int(j, "known", r->known);
        states_obj(j, "known_states", r->over);
        exr_json_obj_open(j, "campaigns");
        static const char *const names[EXR_NSETS] = {"proxylogon", "proxyshell", "proxynotshell"};
        for (int k = 0; k < EXR_NSETS; k++) {
            exr_json_obj_open(j, names[k]);
            exr_json_int(j, "vulnerable", r->vuln[k]);
            exr_json_int(j, "patched", r->patched[k]);
            exr_json_int(j, "undetermined", r->undet[k]);
            exr_json_obj_close(j);
        }
        exr_json_obj_close(j);
        exr_json_obj_close(j);
    }
    exr_json_arr_close(j);
}

static void funnel(exr_json *j, const rdata *d)
{
    exr_json_obj_open(j, "funnel");
    exr_json_int(j, "notified", d->notified);
    exr_json_int(j, "reminded", d->reminded);
    exr_json_int(j, "escalated", d->escalated);
    exr_json_int(j, "resolved", d->remediated);
    exr_json_int(j, "resolved_after_first_notice", d->resolved_after[0]);
    exr_json_int(j, "resolved_after_reminder", d->resolved_after[1]);
    exr_json_int(j, "resolved_after_escalation", d->resolved_after[2]);
    exr_json_int(j, "fixed_before_notice", d->notified_patched);
    exr_json_int(j, "still_open", d->notified_open);
    if (d->median_days >= 0)
        exr_json_double(j, "median_days", d->median_days);
    else
        exr_json_null(j, "median_days");
    exr_json_obj_close(j);
}

void exr_report_json(const rdata *d, exr_buf *out)
{
    exr_json j;
    exr_json_begin(&j, out);
    exr_json_int(&j, "scans", (long long)d->nscans);
    exr_json_str(&j, "last_scan", d->nscans ? d->scans[d->nscans - 1].started : NULL);
    exr_json_obj_open(&j, "current");
    exr_json_int(&j, "hosts", d->hosts);
    states_obj(&j, "states", d->now);
    exr_json_int(&j, "kev_open", d->now_kev);
    exr_json_obj_close(&j);
    over_time(&j, d);
    funnel(&j, d);
    exr_json_arr_open(&j, "open_cves");
    for (size_t i = 0; i < d->ncves; i++) {
        exr_json_obj_open(&j, NULL);
        exr_json_str(&j, "cve", d->cves[i].cve);
        exr_json_int(&j, "hosts", d->cves[i].open);
        exr_json_str(&j, "kev", d->cves[i].row->kev[0] ? d->cves[i].row->kev : NULL);
        exr_json_obj_close(&j);
    }
    exr_json_arr_close(&j);
    exr_json_str(&j, "incomplete", d->missing[0] ? d->missing : NULL);
    exr_json_end(&j);
    exr_buf_addc(out, '\n');
}
