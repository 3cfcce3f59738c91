/* main.c: exray's subcommand table; each command lives in src/cli/. */
#include "cli/cli.h"
#include "core/buf.h"
#include <stdio.h>
#include <string.h>

static const exr_command commands[] = {
    {"scan", exr_cmd_scan, "find Exchange/OWA servers, read their build and say which CVEs are open"},
    {"hunt", exr_cmd_hunt, "search a server or its triage copy for traces of exploitation and web shells"},
    {"import", exr_cmd_import, "load Shadowserver scan_exchange CSV reports or exray JSON Lines into the store"},
    {"enrich", exr_cmd_enrich, "compile ip-location-db data for offline ASN/country lookups, or look addresses up"},
    {"notify", exr_cmd_notify, "send one notification per affected organisation, exactly once"},
    {"cases", exr_cmd_cases, "the notification cases: who was told, reminded, escalated to, and what is resolved"},
    {"hosts", exr_cmd_hosts, "every server by its present state: open CVEs, known exploited, support, its case"},
    {"contacts", exr_cmd_contacts, "abuse contacts: 'contacts import' RIR databases (RPSL), 'contacts optout ADDRESS'"},
    {"stats", exr_cmd_stats, "patch rate, compromise and remediation per scan"},
    {"report", exr_cmd_report, "the campaign as one self-contained HTML page (or Markdown, or JSON)"},
    {"builds", exr_cmd_builds, "look up an Exchange build number, or list the build table"},
    {"vulns", exr_cmd_vulns, "list the vulnerability table, check its age, refresh its KEV dates"},
    {"db", exr_cmd_db, "'db copy': move a store between SQLite and PostgreSQL"},
};

static void usage(FILE *f)
{
    fprintf(f,
            "exray %s: find, triage and notify vulnerable and compromised Exchange servers\n\n"
            "usage: exray COMMAND [options]\n\ncommands:\n",
            EXRAY_VERSION);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'exray COMMAND --help' or 'exray help COMMAND' shows a command's options;\n"
               "'exray --version' the build table's date and the libraries' versions.\n");
}

static void out_of_memory(void)
{
    fputs("exray: out of memory\n", stderr);
}

int main(int argc, char **argv)
{
    exr_oom_hook = out_of_memory;
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 || (strcmp(argv[1], "help") == 0 && argc == 2)) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0)
        return exr_cmd_version(argc - 1, argv + 1);
    if (strcmp(argv[1], "help") == 0 && argc >= 3) {
        /* `exray help COMMAND` is `exray COMMAND --help` */
        char help[] = "--help";
        for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
            if (strcmp(argv[2], commands[i].name) == 0) {
                char *args[] = {argv[2], help, NULL};
                return commands[i].run(2, args);
            }
        fprintf(stderr, "exray: unknown command '%s'\n", argv[2]);
        usage(stderr);
        return 2;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "exray: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
