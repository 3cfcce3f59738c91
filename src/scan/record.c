/* record.c: see record.h. */
#include "record.h"
#include "../core/csv.h"
#include "../core/json.h"
#include "../core/timefmt.h"
#include <stdio.h>
#include <string.h>

void exr_result_finish(exr_result *r, const exr_buildtab *tab)
{
    exr_result_finish_memo(r, tab, NULL);
}

void exr_result_finish_memo(exr_result *r, const exr_buildtab *tab, exr_build_memo *memo)
{
    memset(&r->bi, 0, sizeof r->bi);
    bool hb = r->fp.exchange && r->fp.have_build;
    if (hb)
        exr_build_classify_memo(tab, memo, &r->fp.build, &r->bi);
    /* a feed's CVE of a campaign makes that campaign's view vulnerable too */
    const char *asserted[EXR_MAX_ASSERTED];
    for (int i = 0; i < r->nasserted; i++) {
        asserted[i] = r->asserted[i];
        for (int s = 0; s < EXR_NSETS; s++)
            for (int k = 0; exr_vset_cves[s][k]; k++)
                if (strcmp(exr_vset_cves[s][k], r->asserted[i]) == 0)
                    r->forced[s] = EXR_V_VULNERABLE;
    }
    char day[EXR_TSTAMP_LEN] = "";
    if (r->time_us > 0)
        exr_time_stamp(r->time_us, day, sizeof day);
    day[10] = 0;
    exr_observed o = {.answered = r->status == EXR_STATUS_OK || r->fp.exchange,
                      .exchange = r->fp.exchange,
                      .bi = hb ? &r->bi : NULL,
                      .shell = r->nwebshells > 0 && !r->webshell_control_hit,
                      .asserted = asserted,
                      .nasserted = r->nasserted,
                      .day = day[0] ? day : NULL};
    exr_exposure_of(tab, &o, &r->x);
}

int exr_result_verdict(const exr_result *r, int set)
{
    if (!r->fp.exchange)
        return EXR_V_NULL;
    if (r->forced[set])
        return r->forced[set];
    if (!r->fp.have_build)
        return EXR_V_UNDETERMINED;
    return r->bi.verdict[set];
}

/* "proxylogon" + "_open": written for every record, where snprintf cost more than the rest */
static void set_key(char *key, size_t n, const char *set, const char *suffix)
{
    size_t a = strlen(set), b = strlen(suffix);
    if (a + b >= n)
        a = b = 0;
    memcpy(key, set, a);
    memcpy(key + a, suffix, b + 1);
}

/* every CVE of the vulnerability table, by the build (cv NULL: nothing to say per CVE), and
 * the feed's asserted ones (open, never undetermined) */
static void cve_fields(exr_json *j, const exr_cve_verdicts *cv, const exr_exposure *x)
{
    if (!cv && !x->nasserted) {
        exr_json_null(j, "open_cves");
    } else {
        exr_json_arr_open(j, "open_cves");
        for (int i = 0; cv && i < cv->nopen; i++)
            exr_json_str(j, NULL, cv->open[i]);
        for (int i = 0; i < x->nasserted; i++)
            exr_json_str(j, NULL, x->asserted[i]);
        exr_json_arr_close(j);
    }
    if (!cv) {
        exr_json_null(j, "undetermined_cves");
    } else {
        exr_json_arr_open(j, "undetermined_cves");
        for (int i = 0; i < cv->nundet; i++) {
            bool asserted = false;
            for (int k = 0; k < x->nasserted && !asserted; k++)
                asserted = strcmp(x->asserted[k], cv->undetermined[i]) == 0;
            if (!asserted)
                exr_json_str(j, NULL, cv->undetermined[i]);
        }
        exr_json_arr_close(j);
    }
    if (cv || x->nasserted)
        exr_json_int(j, "kev_open", x->nkev);
    else
        exr_json_null(j, "kev_open");
    if (cv && x->support) { /* as the state was judged: on the observation's day (or --as-of) */
        exr_json_obj_open(j, "support");
        exr_json_str(j, "state", x->support);
        exr_json_str(j, "since", x->support_since);
        exr_json_bool(j, "esu_evidence", x->esu_evidence);
        exr_json_str(j, "as_of", x->support_day);
        exr_json_obj_close(j);
    } else {
        exr_json_null(j, "support");
    }
}

/* "tls": the certificate's subject, names, issuer and expiry, or null without TLS. */
static void tls_field(exr_json *j, const exr_tlsinfo *tls)
{
    if (!tls->present) {
        exr_json_null(j, "tls");
        return;
    }
    exr_json_obj_open(j, "tls");
    exr_json_str(j, "version", tls->version);
    exr_json_str(j, "subject", tls->subject);
    exr_json_arr_open(j, "sans");
    const char *p = tls->sans;
    while (*p) {
        const char *c = strchr(p, ',');
        size_t l = c ? (size_t)(c - p) : strlen(p);
        exr_json_strn(j, NULL, p, l);
        p += l;
        if (*p == ',')
            p++;
    }
    exr_json_arr_close(j);
    exr_json_str(j, "issuer", tls->issuer);
    exr_json_str(j, "not_after", tls->not_after[0] ? tls->not_after : NULL);
    exr_json_obj_close(j);
}

void exr_result_json(const exr_result *r, exr_buf *out)
{
    char ip[EXR_ADDRSTRLEN], t[32], bv[40];
    exr_addr_format(&r->addr, ip, sizeof ip);
    exr_time_stamp(r->time_us, t, sizeof t);
    exr_json j;
    exr_json_begin(&j, out);
    exr_json_str(&j, "ip", ip);
    exr_json_int(&j, "port", r->port);
    exr_json_str(&j, "hostname", r->hostname[0] ? r->hostname : NULL);
    exr_json_str(&j, "time", t);
    exr_json_str(&j, "status", exr_status_name[r->status]);
    exr_json_bool(&j, "exchange", r->fp.exchange);
    bool hb = r->fp.exchange && r->fp.have_build;
    if (hb)
        exr_version_format(&r->fp.build, bv, sizeof bv);
    exr_json_str(&j, "build", hb ? bv : NULL);
    exr_json_str(&j, "build_source", hb ? exr_bsrc_name(r->fp.build_source) : NULL);
    exr_json_str(&j, "product", hb ? r->bi.product : NULL);
    exr_json_str(&j, "cu", hb ? r->bi.cu : NULL);
    exr_json_str(&j, "su", hb ? r->bi.su : NULL);
    exr_json_str(&j, "servername", r->fp.servername[0] ? r->fp.servername : NULL);
    exr_json_str(&j, "state", r->x.state >= 0 ? exr_state_names[r->x.state] : NULL);
    exr_json_str(&j, "state_reason", r->x.state >= 0 ? r->x.why : NULL);
    for (int s = 0; s < EXR_NSETS; s++)
        exr_json_str(&j, exr_vset_name[s], exr_verdict_name(exr_result_verdict(r, s)));
    /* per set: which of its CVEs remain (a list when vulnerable, [] when patched, else
     * null) and why the verdict is what it is */
    bool classified = r->fp.exchange && r->fp.have_build;
    for (int s = 0; s < EXR_NSETS; s++) {
        char key[40];
        set_key(key, sizeof key, exr_vset_name[s], "_open");
        if (!classified || r->forced[s] || r->bi.nopen[s] < 0) {
            exr_json_null(&j, key);
        } else {
            exr_json_arr_open(&j, key);
            for (int i = 0; i < r->bi.nopen[s]; i++)
                exr_json_str(&j, NULL, r->bi.open[s][i]);
            exr_json_arr_close(&j);
        }
    }
    for (int s = 0; s < EXR_NSETS; s++) {
        char key[40];
        set_key(key, sizeof key, exr_vset_name[s], "_reason");
        const char *why = !r->fp.exchange     ? NULL
                          : r->forced[s]      ? "asserted by the imported report"
                          : !r->fp.have_build ? "no build could be read"
                                              : r->bi.why[s];
        exr_json_str(&j, key, why);
    }
    cve_fields(&j, classified && r->bi.cves.classified ? &r->bi.cves : NULL, &r->x);
    tls_field(&j, &r->tls);
    if (r->webshell_probe) {
        exr_json_obj_open(&j, "webshells");
        exr_json_bool(&j, "probed", true);
        exr_json_bool(&j, "catch_all", r->webshell_control_hit);
        exr_json_arr_open(&j, "found");
        for (int i = 0; i < r->nwebshells; i++)
            exr_json_str(&j, NULL, r->webshells[i]);
        exr_json_arr_close(&j);
        exr_json_obj_close(&j);
    }
    exr_json_end(&j);
    exr_buf_addc(out, '\n');
}

void exr_result_csv_header(exr_buf *out)
{
    exr_buf_adds(
        out, "timestamp,severity,ip,protocol,port,hostname,tag,asn,geo,region,city,naics,hostname_source,sector,version,servername,url\n");
}

/* Sanitises a value for one CSV cell: no control characters survive. */
static void put_clean(exr_buf *out, const char *s, int first)
{
    char tmp[512];
    size_t k = 0;
    for (; s && *s && k + 1 < sizeof tmp; s++)
        tmp[k++] = ((unsigned char)*s < 0x20 || *s == 0x7f) ? ' ' : *s;
    tmp[k] = 0;
    exr_csv_put(out, tmp, first);
}

/* appends ";cve-..." (lower case) unless the tag has it already */
static size_t tag_add(char *buf, size_t k, size_t n, const char *cve)
{
    char low[32];
    size_t l = 0;
    for (const char *p = cve; *p && l + 1 < sizeof low; p++)
        low[l++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    low[l] = 0;
    for (const char *f = strstr(buf, low); f; f = strstr(f + 1, low))
        if (f[-1] == ';' && (f[l] == ';' || !f[l]))
            return k;
    if (k + l + 2 >= n)
        return k;
    buf[k++] = ';';
    memcpy(buf + k, low, l + 1);
    return k + l;
}

const char *exr_shadow_tag(int state, const char *const *cves, int ncves, const char (*asserted)[24], int nasserted, int nkev, char *buf,
                           size_t n, const char **sev)
{
    *sev = state == EXR_S_COMPROMISED || (state == EXR_S_VULNERABLE && nkev > 0) ? "critical"
           : state == EXR_S_VULNERABLE                                           ? "high"
           : state == EXR_S_EOL                                                  ? "medium"
           : state == EXR_S_UNDETERMINED                                         ? "low"
                                                                                 : "info";
    if (state < 0)
        return "";
    if (state == EXR_S_COMPROMISED)
        return "exchange;webshell";
    if (ncves + nasserted == 0)
        return "exchange";
    /* as Shadowserver does, the tag lists the CVE identifiers (lower case) that remain open,
     * so IntelMQ's Shadowserver parser extracts them */
    size_t k = (size_t)snprintf(buf, n, "exchange");
    for (int i = 0; i < ncves; i++)
        k = tag_add(buf, k, n, cves[i]);
    for (int i = 0; i < nasserted; i++)
        k = tag_add(buf, k, n, asserted[i]);
    return buf;
}

void exr_result_csv(const exr_result *r, exr_buf *out)
{
    char ip[EXR_ADDRSTRLEN], t[32], bv[40] = "", port[8], url[400];
    exr_addr_format(&r->addr, ip, sizeof ip);
    exr_time_shadow((time_t)(r->time_us / 1000000), t, sizeof t);
    snprintf(port, sizeof port, "%u", r->port);
    bool shell = r->nwebshells > 0 && !r->webshell_control_hit;
    char tagbuf[(EXR_MAX_CVES + EXR_MAX_ASSERTED) * 18];
    const char *sev;
    const exr_cve_verdicts *cv = r->fp.exchange && r->fp.have_build && r->bi.cves.classified ? &r->bi.cves : NULL;
    int state = r->fp.exchange ? r->x.state : -1;
    const char *tag = exr_shadow_tag(state, cv ? cv->open : NULL, cv ? cv->nopen : 0, (const char(*)[24])r->x.asserted, r->x.nasserted,
                                     r->x.nkev, tagbuf, sizeof tagbuf, &sev);
    if (r->fp.exchange && r->fp.have_build)
        exr_version_format(&r->fp.build, bv, sizeof bv);
    url[0] = 0;
    if (shell)
        snprintf(url, sizeof url, "%s", r->webshells[0]);
    exr_csv_put(out, t, 1);
    exr_csv_put(out, sev, 0);
    exr_csv_put(out, ip, 0);
    exr_csv_put(out, "tcp", 0);
    exr_csv_put(out, port, 0);
    put_clean(out, r->hostname, 0);
    exr_csv_put(out, tag, 0);
    exr_csv_put(out, "", 0); /* asn: filled by enrichment (notify) */
    exr_csv_put(out, "", 0); /* geo */
    exr_csv_put(out, "", 0); /* region */
    exr_csv_put(out, "", 0); /* city */
    exr_csv_put(out, "", 0); /* naics */
    exr_csv_put(out, r->hostname[0] ? "target" : "", 0);
    exr_csv_put(out, "", 0); /* sector */
    exr_csv_put(out, bv, 0);
    put_clean(out, r->fp.servername, 0);
    put_clean(out, url, 0);
    exr_buf_addc(out, '\n');
}
