/* intelmq.c: scan records as IntelMQ events (flat JSON, harmonization field names), one
 * line per Exchange server, so IntelMQ's generic JSON parser takes them with no custom
 * code. Non-Exchange hosts are not events. Types follow harmonization.conf: DateTime with
 * +00:00, IPAddress, Integer port, lower-case FQDN, the RSIT taxonomy and type names,
 * and everything exray-specific under extra.*. */
#include "intelmq.h"
#include "../core/json.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

void exr_intelmq_time(time_t t, char *out, size_t n)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, n, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
}

/* IntelMQ's FQDN: lower case, no trailing dot, letters/digits/hyphens/dots only. */
bool exr_intelmq_fqdn(const char *in, char *out, size_t n)
{
    size_t k = 0;
    for (; *in && k + 1 < n; in++) {
        unsigned char c = (unsigned char)*in;
        if (!(isalnum(c) || c == '-' || c == '.' || c == '_'))
            return false;
        out[k++] = (char)tolower(c);
    }
    while (k && out[k - 1] == '.')
        k--;
    out[k] = 0;
    if (!k || strchr(out, '.') == NULL)
        return false;
    for (const char *p = out; *p; p++)
        if (!isdigit((unsigned char)*p) && *p != '.')
            return true; /* not an IP address written as a name */
    return false;
}

static void put_lower(exr_json *j, const char *cve)
{
    char lc[32];
    size_t k = 0;
    for (const char *p = cve; *p && k + 1 < sizeof lc; p++)
        lc[k++] = (char)tolower((unsigned char)*p);
    lc[k] = 0;
    exr_json_str(j, NULL, lc);
}

void exr_result_intelmq(const exr_result *r, exr_buf *out)
{
    if (!r->fp.exchange)
        return;
    char ip[EXR_ADDRSTRLEN], t[40], bv[40], fq[256];
    exr_addr_format(&r->addr, ip, sizeof ip);
    exr_intelmq_time((time_t)(r->time_us / 1000000), t, sizeof t);
    int state = r->x.state;
    bool shell = state == EXR_S_COMPROMISED;
    exr_json j;
    exr_json_begin(&j, out);
    exr_json_str(&j, "feed.name", "exray-scan");
    exr_json_str(&j, "feed.provider", "exray");
    exr_json_str(&j, "time.source", t);
    exr_json_str(&j, "time.observation", t);
    exr_json_str(&j, "source.ip", ip);
    exr_json_int(&j, "source.port", r->port);
    if (r->hostname[0] && exr_intelmq_fqdn(r->hostname, fq, sizeof fq))
        exr_json_str(&j, "source.reverse_dns", fq);
    exr_json_str(&j, "protocol.transport", "tcp");
    exr_json_str(&j, "protocol.application", "https");
    /* the classification is the state's (exposure.h), nothing else */
    static const char *const cls[EXR_NSTATE][3] = {
        [EXR_S_NOT_AFFECTED] = {"other", "other", "exchange-server-not-affected"},
        [EXR_S_PATCHED] = {"other", "other", "exchange-server-patched"},
        [EXR_S_UNDETERMINED] = {"other", "undetermined", "exchange-server"},
        [EXR_S_EOL] = {"vulnerable", "vulnerable-system", "end-of-life-exchange-server"},
        [EXR_S_VULNERABLE] = {"vulnerable", "vulnerable-system", "vulnerable-exchange-server"},
        [EXR_S_COMPROMISED] = {"intrusions", "system-compromise", "exchange-server-webshell"},
    };
    int c = state >= 0 ? state : EXR_S_UNDETERMINED;
    exr_json_str(&j, "classification.taxonomy", cls[c][0]);
    exr_json_str(&j, "classification.type", cls[c][1]);
    exr_json_str(&j, "classification.identifier", cls[c][2]);
    exr_json_str(&j, "extra.state", state >= 0 ? exr_state_names[state] : NULL);
    bool hb = r->fp.have_build;
    if (hb)
        exr_version_format(&r->fp.build, bv, sizeof bv);
    exr_json_str(&j, "extra.build", hb ? bv : NULL);
    exr_json_str(&j, "extra.build_source", hb ? exr_bsrc_name(r->fp.build_source) : NULL);
    exr_json_str(&j, "extra.product", hb ? r->bi.product : NULL);
    exr_json_str(&j, "extra.cu", hb ? r->bi.cu : NULL);
    exr_json_str(&j, "extra.su", hb ? r->bi.su : NULL);
    exr_json_str(&j, "extra.servername", r->fp.servername[0] ? r->fp.servername : NULL);
    for (int s = 0; s < EXR_NSETS; s++) {
        char key[48];
        snprintf(key, sizeof key, "extra.%s", exr_vset_name[s]);
        exr_json_str(&j, key, exr_verdict_name(exr_result_verdict(r, s)));
    }
    /* every CVE still open, the known exploited first, as Shadowserver's tag lists them */
    const exr_cve_verdicts *cv = hb && r->bi.cves.classified ? &r->bi.cves : NULL;
    exr_json_arr_open(&j, "extra.cves");
    for (int i = 0; cv && i < cv->nopen; i++)
        put_lower(&j, cv->open[i]);
    for (int i = 0; i < r->x.nasserted; i++)
        put_lower(&j, r->x.asserted[i]);
    exr_json_arr_close(&j);
    exr_json_int(&j, "extra.kev_open", r->x.nkev);
    if (r->x.support)
        exr_json_str(&j, "extra.support", r->x.support);
    if (shell) {
        exr_json_arr_open(&j, "extra.webshells");
        for (int i = 0; i < r->nwebshells; i++)
            exr_json_str(&j, NULL, r->webshells[i]);
        exr_json_arr_close(&j);
    }
    exr_json_end(&j);
    exr_buf_addc(out, '\n');
}
