/* opts_hunt.c: the options of `exray hunt`. */
#include "opts.h"

#define O "Output"
#define R "Rules and builds"
#define L "Locations (default: found under ROOT)"

static const exr_opt opts[] = {
    [HUNT_OUTPUT] = {"output", 'o', "FILE", NULL, "the findings as JSON Lines",
                     "One object a finding: root, check, cve, severity, path, line, time, client_ip, evidence.", O, NULL, 0},
    [HUNT_FORMAT] = {"format", 'F', "FMT", "json", "json (the finding records) or intelmq (IntelMQ events)", NULL, O, "json intelmq", 0},
    [HUNT_TIMELINE] = {"timeline", 0, "FILE", NULL, "the findings as a Timesketch CSV, sorted by time",
                       "Columns datetime,timestamp_desc,message,root,check,cve,severity,path,line,client_ip,evidence.", O, NULL, 0},
    [HUNT_THREADS] = {"threads", 'j', "N", "the number of cores", "worker threads", NULL, O, NULL, 0},
    [HUNT_RULES] = {"rules", 0, "PATH", NULL, "extra YARA rules: a file, or a folder of .yar/.yara searched recursively",
                    "Each file is its own namespace; Loki's external variables filename, filepath, extension, filetype, owner "
                    "and md5 are defined per scanned file. A file that does not compile is reported with its file and line and "
                    "left out.",
                    R, NULL, EXR_OPT_REPEAT},
    [HUNT_RULES_STRICT] = {"rules-strict", 0, NULL, NULL, "a rule file that does not compile is an error (exit 2)", NULL, R, NULL, 0},
    [HUNT_RULES_CACHE] = {"rules-cache", 0, "DIR", "$XDG_CACHE_HOME/exray, else ~/.cache/exray",
                          "where the compiled --rules are kept between hunts ('off': compile every time)",
                          "The key is the SHA-256 of exray's and libyara's versions and every rule file's path and content: an "
                          "edited file compiles afresh. Only a folder of the user's own with mode 0700 is used, and only files "
                          "0600 in it; a set with files left out is not kept, so its warnings show each time.",
                          R, NULL, 0},
    [HUNT_BUILDS] = {"builds", 0, "FILE", "the built-in table", "Exchange build table for the build history", NULL, R, NULL, 0},
    [HUNT_INSTALL] = {"install", 0, "DIR", NULL, "the Exchange install folder", NULL, L, NULL, 0},
    [HUNT_HTTPPROXY] = {"httpproxy", 0, "DIR", NULL, "the Logging/HttpProxy folder", NULL, L, NULL, 0},
    [HUNT_ECP_SERVER] = {"ecp-server", 0, "DIR", NULL, "the Logging/ECP/Server folder", NULL, L, NULL, 0},
    [HUNT_OAB_LOG] = {"oab-log", 0, "DIR", NULL, "the Logging/OABGeneratorLog folder", NULL, L, NULL, 0},
    [HUNT_IIS] = {"iis", 0, "DIR", NULL, "an IIS log folder such as W3SVC1", NULL, L, NULL, EXR_OPT_REPEAT},
    [HUNT_WEBROOT] = {"webroot", 0, "DIR", NULL, "a folder whose every file is scanned for web shells", NULL, L, NULL, EXR_OPT_REPEAT},
    [HUNT_EVTX] = {"evtx", 0, "DIR", NULL, "the folder of Application.evtx and MSExchange Management.evtx", NULL, L, NULL, 0},
    [HUNT_PROGRAMDATA] = {"programdata", 0, "DIR", NULL, "the ProgramData folder (staged archives, dropped pages)", NULL, L, NULL, 0},
    [HUNT_TEMP] = {"temp", 0, "DIR", NULL, "the Windows/Temp folder (credential dumps)", NULL, L, NULL, 0},
    [HUNT_QUIET] = {"quiet", 'q', NULL, NULL, "no summary on standard output", NULL, O, NULL, 0},
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
