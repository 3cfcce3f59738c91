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
    bool shell = r->nwebshells > 0 && !r->webshell_control_hit;
    bool vuln = false;
    for (int s = 0; s < EXR_NSETS; s++)
        vuln |= exr_result_verdict(r, s) == EXR_V_VULNERABLE;
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
    if (shell) {
        exr_json_str(&j, "classification.taxonomy", "intrusions");
        exr_json_str(&j, "classification.type", "system-compromise");
        exr_json_str(&j, "classification.identifier", "exchange-server-webshell");
    } else if (vuln) {
        exr_json_str(&j, "classification.taxonomy", "vulnerable");
        exr_json_str(&j, "classification.type", "vulnerable-system");
        exr_json_str(&j, "classification.identifier", "vulnerable-exchange-server");
    } else {
        exr_json_str(&j, "classification.taxonomy", "other");
        exr_json_str(&j, "classification.type", "undetermined");
        exr_json_str(&j, "classification.identifier", "exchange-server");
    }
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
    for (int s = 0; !cv && s < EXR_NSETS; s++)
        if (hb && !r->forced[s] && exr_result_verdict(r, s) == EXR_V_VULNERABLE)
            for (int i = 0; i < r->bi.nopen[s]; i++)
                put_lower(&j, r->bi.open[s][i]);
    exr_json_arr_close(&j);
    if (cv) {
        exr_json_int(&j, "extra.kev_open", cv->nkev);
        exr_json_str(&j, "extra.support", cv->support);
    }
    if (shell) {
        exr_json_arr_open(&j, "extra.webshells");
        for (int i = 0; i < r->nwebshells; i++)
            exr_json_str(&j, NULL, r->webshells[i]);
        exr_json_arr_close(&j);
    }
    exr_json_end(&j);
    exr_buf_addc(out, '\n');
}
