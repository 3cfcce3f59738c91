/* opts_hunt.c: the options of `exray hunt`. */
#include "opts.h"

#define O "Output"
#define R "Rules and builds"
#define L "Locations (default: found under ROOT)"

static const exr_opt opts[] = {
    [HUNT_OUTPUT] = {.lng = "output",
                     .shrt = 'o',
                     .arg = "FILE",
                     .help = "the findings as JSON Lines",
                     .man = "One object a finding: root, check, cve, severity, path, line, time, client_ip, evidence.",
                     .group = O},
    [HUNT_FORMAT] = {.lng = "format",
                     .shrt = 'F',
                     .arg = "FMT",
                     .def = "json",
                     .help = "json (the finding records) or intelmq (IntelMQ events)",
                     .group = O,
                     .choices = "json intelmq"},
    [HUNT_TIMELINE] = {.lng = "timeline",
                       .arg = "FILE",
                       .help = "the findings as a Timesketch CSV, sorted by time",
                       .man = "Columns datetime,timestamp_desc,message,root,check,cve,severity,path,line,client_ip,evidence.",
                       .group = O},
    [HUNT_THREADS] = {.lng = "threads", .shrt = 'j', .arg = "N", .def = "the number of cores", .help = "worker threads", .group = O},
    [HUNT_RULES] = {.lng = "rules",
                    .arg = "PATH",
                    .help = "extra YARA rules: a file, or a folder of .yar/.yara searched recursively",
                    .man = "Each file is its own namespace; Loki's external variables filename, filepath, extension, filetype, owner "
                           "and md5 are defined per scanned file. A file that does not compile is reported with its file and line and "
                           "left out.",
                    .group = R,
                    .flags = EXR_OPT_REPEAT},
    [HUNT_RULES_STRICT] = {.lng = "rules-strict", .help = "a rule file that does not compile is an error (exit 2)", .group = R},
    [HUNT_RULES_CACHE] = {.lng = "rules-cache",
                          .arg = "DIR",
                          .def = "$XDG_CACHE_HOME/exray, else ~/.cache/exray",
                          .help = "where the compiled --rules are kept between hunts ('off': compile every time)",
                          .man = "The key is the SHA-256 of exray's and libyara's versions and every rule file's path and content: an "
                                 "edited file compiles afresh. Only a folder of the user's own with mode 0700 is used, and only files "
                                 "0600 in it; a set with files left out is not kept, so its warnings show each time.",
                          .group = R},
    [HUNT_BUILDS] =
        {.lng = "builds", .arg = "FILE", .def = "the built-in table", .help = "Exchange build table for the build history", .group = R},
    [HUNT_INSTALL] = {.lng = "install", .arg = "DIR", .help = "the Exchange install folder", .group = L},
    [HUNT_HTTPPROXY] = {.lng = "httpproxy", .arg = "DIR", .help = "the Logging/HttpProxy folder", .group = L},
    [HUNT_ECP_SERVER] = {.lng = "ecp-server", .arg = "DIR", .help = "the Logging/ECP/Server folder", .group = L},
    [HUNT_OAB_LOG] = {.lng = "oab-log", .arg = "DIR", .help = "the Logging/OABGeneratorLog folder", .group = L},
    [HUNT_IIS] = {.lng = "iis", .arg = "DIR", .help = "an IIS log folder such as W3SVC1", .group = L, .flags = EXR_OPT_REPEAT},
    [HUNT_WEBROOT] = {.lng = "webroot",
                      .arg = "DIR",
                      .help = "a folder whose every file is scanned for web shells",
                      .group = L,
                      .flags = EXR_OPT_REPEAT},
    [HUNT_EVTX] = {.lng = "evtx", .arg = "DIR", .help = "the folder of Application.evtx and MSExchange Management.evtx", .group = L},
    [HUNT_PROGRAMDATA] = {.lng = "programdata",
                          .arg = "DIR",
                          .help = "the ProgramData folder (staged archives, dropped pages)",
                          .group = L},
    [HUNT_TEMP] = {.lng = "temp", .arg = "DIR", .help = "the Windows/Temp folder (credential dumps)", .group = L},
    [HUNT_QUIET] = {.lng = "quiet", .shrt = 'q', .help = "no summary on standard output", .group = O},
};

const exr_cmdspec exr_spec_hunt = {
    "hunt",
    "[options] ROOT...",
    "search a server or its triage copy for traces of exploitation and web shells",
    "Looks for the traces of ProxyLogon, ProxyShell and ProxyNotShell in the Exchange and IIS logs and event logs, "
    "for web shells in every file of the web roots, and for credential dumps and staged archives; prints a summary "
    "per CVE in the manner of Test-ProxyLogon, the evidence, the log coverage and the build history.\n\n"
    "ROOT: a server's system drive: the live C:\\ (mounted), a KAPE (C/...) or Velociraptor (C%3A/...) triage copy, "
    "a plain copy, or a collection archive (Velociraptor offline collector or KAPE ZIP, tar), read in place and never "
    "extracted. Nothing under ROOT is ever written. A file in scope that cannot be examined fully is a "
    "hunt.not-examined finding, never silently skipped.",
    opts,
    HUNT_NOPTS,
    1,
    -1,
    "$ exray hunt /mnt/c\n"
    "Hunt a server's mounted system drive; the summary goes to standard output.\n"
    "$ exray hunt -o findings.jsonl --timeline timeline.csv Collection-EXCH01.zip\n"
    "Hunt a Velociraptor collection without extracting it; findings and a Timesketch timeline.\n"
    "$ exray hunt --rules signature-base/yara /mnt/c\n"
    "Add a community rule set, loaded as it is.\n",
    "0\tevery file in scope was fully examined and nothing at medium or above was found\n"
    "1\tindicators at medium or above, or something in scope could not be examined (hunt.not-examined)\n"
    "2\terror: bad option, unusable ROOT (the other ROOTs are still hunted), rules that do not load\n",
};
