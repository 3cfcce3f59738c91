/* checks.c: see checks.h. */
#include "checks.h"
#include <string.h>

#define NEXT_COMPROMISE                                                                                                                    \
    "Assume compromise: isolate the server, preserve the logs and disk, reset credentials used on it, look for web shells and "            \
    "persistence, then rebuild or clean and patch."
#define NEXT_PROBE "No action needed for this row alone; it shows the server was probed."

const exr_check exr_checks[] = {
    {"cve-2021-26855.httpproxy", "CVE-2021-26855", EXR_SEV_HIGH,
     "HttpProxy row with AnchorMailbox ServerInfo~*/* (Test-ProxyLogon's condition): the server-side request forgery of ProxyLogon was "
     "sent",
     NEXT_COMPROMISE},
    {"cve-2021-26855.httpproxy-excluded", "CVE-2021-26855", EXR_SEV_INFO,
     "ServerInfo~ row that Test-ProxyLogon drops (autodiscover-only target or ServerInfo~localhost): a failed attempt or a scanner probe",
     NEXT_PROBE},
    {"cve-2021-26855.backendcookie", "CVE-2021-26855", EXR_SEV_HIGH,
     "HttpProxy row with BackEndCookie Server~*/*~*: the cookie variant of the ProxyLogon request forgery, which Test-ProxyLogon does not "
     "check",
     NEXT_COMPROMISE},
    {"cve-2021-27065.httpproxy-resetvdir", "CVE-2021-27065", EXR_SEV_HIGH,
     "ECP request ServerInfo~*/*Reset*VirtualDirectory# answered 200: a virtual directory was reset to write a file (arbitrary file write)",
     NEXT_COMPROMISE},
    {"cve-2021-27065.ecp-server", "CVE-2021-27065", EXR_SEV_HIGH,
     "ECP Server log: Set-*VirtualDirectory with script markup in a URL value, the first step of the OAB web-shell write", NEXT_COMPROMISE},
    {"cve-2021-27065.cmdlet", "CVE-2021-27065", EXR_SEV_HIGH,
     "MSExchange Management event: Set-*VirtualDirectory with script in its parameters", NEXT_COMPROMISE},
    {"cve-2021-31207.mailbox-export", "CVE-2021-31207", EXR_SEV_HIGH,
     "MSExchange Management event: New-MailboxExportRequest or New-ExchangeCertificate writing to an .aspx path or an admin share "
     "(ProxyShell web-shell drop)",
     NEXT_COMPROMISE},
    {"cve-2021-31207.role-assignment", "CVE-2021-31207", EXR_SEV_MEDIUM,
     "MSExchange Management event: New-ManagementRoleAssignment of 'Mailbox Import Export', which ProxyShell grants itself before "
     "exporting a shell",
     "Check who ran it and whether it was planned; if not, treat as compromise."},
    {"cve-2021-26858.oab", "CVE-2021-26858", EXR_SEV_HIGH,
     "OABGeneratorLog: a download was written outside <install>\\ClientAccess\\OAB (arbitrary file write)", NEXT_COMPROMISE},
    {"cve-2021-26857.um", "CVE-2021-26857", EXR_SEV_HIGH,
     "Application event log: MSExchange Unified Messaging error with System.InvalidCastException (UM deserialisation exploit)",
     NEXT_COMPROMISE},
    {"iis.proxylogon-post", "CVE-2021-26855", EXR_SEV_HIGH,
     "IIS: POST to /owa/auth/Current/themes/resources/*, the ProxyLogon exploitation request", NEXT_COMPROMISE},
    {"iis.ecp-js", "CVE-2021-26855", EXR_SEV_HIGH, "IIS: request to /ecp/<1-3 characters>.js, the ProxyLogon entry point (y.js, x.js, ...)",
     NEXT_COMPROMISE},
    {"iis.attacker-ua", NULL, EXR_SEV_MEDIUM,
     "IIS: a user agent seen in the 2021 Exchange attacks (ExchangeServicesClient/0.0.0.0, python-requests, antSword, ...)",
     "Look at everything this client address did."},
    {"iis.webshell-access", NULL, EXR_SEV_HIGH,
     "IIS: 200 for an .aspx under aspnet_client, owa/auth or ecp/auth that is not one of Exchange's own pages: web-shell use",
     NEXT_COMPROMISE},
    {"cve-2021-34473.iis", "CVE-2021-34473", EXR_SEV_HIGH,
     "IIS: ProxyShell autodiscover.json request reaching /powershell, /mapi/nspi or /EWS with success", NEXT_COMPROMISE},
    {"cve-2021-34473.iis-failed", "CVE-2021-34473", EXR_SEV_LOW,
     "IIS: ProxyShell autodiscover.json request that failed (401/403/404): an attempt", NEXT_PROBE},
    {"cve-2022-41040.iis", "CVE-2022-41040", EXR_SEV_HIGH, "IIS: ProxyNotShell autodiscover.json ... powershell request answered 200",
     NEXT_COMPROMISE},
    {"cve-2022-41040.iis-failed", "CVE-2022-41040", EXR_SEV_LOW,
     "IIS: ProxyNotShell autodiscover.json ... powershell request that failed: an attempt", NEXT_PROBE},
    {"webshell.yara", NULL, EXR_SEV_CRITICAL, "A file in a web-reachable or staging folder matches a web-shell rule",
     "Preserve the file (hash it), find when it was written and how (logs around its time), remove it, and treat the server as "
     "compromised."},
    {"webshell.hash", NULL, EXR_SEV_CRITICAL, "A file's SHA-256 is one of the published 2021 campaign samples",
     "Preserve the file, remove it, and treat the server as compromised."},
    {"webshell.yara-external", NULL, EXR_SEV_HIGH,
     "A file in a web-reachable or staging folder matches a rule loaded with --rules (severity from the rule's score)",
     "Read the rule's description and reference; if the rule is about web shells, treat the file as one."},
    {"webshell.name", NULL, EXR_SEV_MEDIUM,
     "A file with a published 2021 web-shell name, written during the exploitation period (its content matched no rule); "
     "medium in an Exchange or aspnet_client folder, low under an ordinary site",
     "Open the file and compare it with Exchange's own copy; if it is not Exchange's, treat it as a web shell."},
    {"file.lsass-dump", NULL, EXR_SEV_HIGH,
     "An LSASS memory dump (minidump, found by its name or by the process it holds) in C:\\root or Windows\\Temp: credential theft",
     "Reset every credential that was used on this server, including service and machine accounts."},
    {"file.archive", NULL, EXR_SEV_LOW,
     "A .zip/.7z/.rar archive in ProgramData (medium when other indicators were found): possible data staging",
     "Open it and check whether it holds exported mailboxes or dumps."},
    {"build.patched-after-compromise", NULL, EXR_SEV_INFO,
     "A build fixing ProxyLogon first served requests after the first exploitation trace: patching did not remove what was planted",
     "Keep hunting: web shells and accounts created before the patch survive it."},
    {"hunt.not-examined", NULL, EXR_SEV_MEDIUM,
     "A file or folder in scope could not be examined (unreadable, vanished, a link, or over a hard limit): the verdict is incomplete",
     "Examine it by hand or fix the copy (permissions, a complete collection) and hunt again; nothing can be said about it."},
    {"coverage.window-missed", NULL, EXR_SEV_INFO,
     "This log folder starts after 2021-03-03: the main exploitation window is not covered, so 'nothing found' there means less",
     "Look for older copies of these logs (backups, SIEM)."},
};
const int exr_ncheck = (int)(sizeof exr_checks / sizeof exr_checks[0]);

const exr_check *exr_check_find(const char *id)
{
    for (int i = 0; i < exr_ncheck; i++)
        if (strcmp(exr_checks[i].id, id) == 0)
            return &exr_checks[i];
    return NULL;
}

const char *exr_sev_name(int s)
{
    static const char *n[] = {"info", "low", "medium", "high", "critical"};
    return s >= 0 && s <= 4 ? n[s] : "info";
}
