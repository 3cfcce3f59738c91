/* opts_enrich.c: the options of `exray enrich compile` and `exray enrich lookup`. */
#include "opts.h"

static const exr_opt compile_opts[] = {
    [ECOMPILE_ASN4] = {.lng = "asn4",
                       .arg = "FILE",
                       .help = "ip-location-db asn-ipv4.csv (range start, end, ASN, AS name)",
                       .group = "Options"},
    [ECOMPILE_ASN6] = {.lng = "asn6", .arg = "FILE", .help = "ip-location-db asn-ipv6.csv", .group = "Options"},
    [ECOMPILE_COUNTRY4] = {.lng = "country4",
                           .arg = "FILE",
                           .help = "ip-location-db geo-whois-asn-country-ipv4.csv (range start, end, country)",
                           .group = "Options"},
    [ECOMPILE_COUNTRY6] = {.lng = "country6", .arg = "FILE", .help = "ip-location-db geo-whois-asn-country-ipv6.csv", .group = "Options"},
    [ECOMPILE_OUTPUT] = {.lng = "output", .shrt = 'o', .arg = "FILE", .help = "the compiled lookup file", .group = "Options"},
};

const exr_cmdspec exr_spec_enrich_compile = {
    "enrich compile",
    "[--asn4 FILE] [--asn6 FILE] [--country4 FILE] [--country6 FILE] -o FILE",
    "compile ip-location-db data into one file for offline ASN, AS name and country lookups",
    "Reads ip-location-db's CSV files (npm @ip-location-db/asn and @ip-location-db/geo-whois-asn-country) into one "
    "sorted file that notify --ipdb and enrich lookup map into memory. Malformed lines are counted and skipped.",
    compile_opts,
    ECOMPILE_NOPTS,
    0,
    0,
    "$ exray enrich compile --asn4 asn-ipv4.csv --asn6 asn-ipv6.csv --country4 geo-whois-asn-country-ipv4.csv "
    "--country6 geo-whois-asn-country-ipv6.csv -o ipdb.bin\n"
    "Compile the four files into ipdb.bin.\n",
    "0\tthe file was written\n"
    "2\ta bad option, an input that cannot be read, or an output that cannot be written\n",
};

static const exr_opt lookup_opts[] = {
    [ELOOKUP_IPDB] = {.lng = "ipdb", .arg = "FILE", .help = "a file from enrich compile, or a MaxMind .mmdb", .group = "Options"},
};

const exr_cmdspec exr_spec_enrich_lookup = {
    "enrich lookup",
    "--ipdb FILE ADDRESS...",
    "look addresses up: ASN, AS name and country, tab-separated",
    "Prints one line per ADDRESS: the address, AS<number>, the AS name and the country code ('-' when unknown).",
    lookup_opts,
    ELOOKUP_NOPTS,
    1,
    -1,
    "$ exray enrich lookup --ipdb ipdb.bin 192.0.2.7 2001:db8::1\n"
    "Where two addresses are.\n",
    "0\tevery address was looked up\n"
    "2\ta bad option, a file that does not load, or an argument that is not an address\n",
};
