#!/bin/sh
# Installs the Debian packages exray needs.
#   deps.sh demo   building and `make demo` (nginx is the demo's emulated fleet, PostgreSQL its
#                  several-machines part)
#   deps.sh [test] also what the tests and benchmarks need (Postfix, Chromium, nmap, yara, clang,
#   clang-format)
# Idempotent: checks with dpkg first and prints nothing when all is present. It never stops,
# disables or kills a service: packages are installed with services kept from starting.
set -eu
what=${1:-test}
PKGS="build-essential pkg-config libssl-dev openssl libsqlite3-dev sqlite3
libyara-dev libarchive-dev libevtx-dev libbfio-dev libcurl4-openssl-dev libmaxminddb-dev libpq-dev
nginx-light python3 procps postgresql"
if [ "$what" != demo ]; then
    PKGS="$PKGS libcmocka-dev nmap clang clang-format libclang-rt-14-dev psmisc yara libevtx-utils
postfix sasl2-bin libsasl2-modules libsasl2-modules-db chromium groff-base man-db time"
fi
missing=""
for p in $PKGS; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# ip-location-db (npm registry): IP -> ASN, AS name (CC BY 4.0: RouteViews, DB-IP) and
# country (CC0), for exray notify's offline enrichment; fetched once into build/ipdb.
fetch_ipdb() {
    d="$ROOT/build/ipdb"
    [ -f "$d/asn/asn-ipv4.csv" ] && [ -f "$d/country/geo-whois-asn-country-ipv4.csv" ] && [ -f "$d/country-mmdb/geo-whois-asn-country.mmdb" ] && return 0
    command -v npm >/dev/null 2>&1 || { echo "deps: npm missing; ip-location-db data not fetched" >&2; return 0; }
    mkdir -p "$d"
    for pkg in asn:asn country:geo-whois-asn-country country-mmdb:geo-whois-asn-country-mmdb; do
        sub=${pkg%%:*} name=${pkg#*:}
        [ -d "$d/$sub" ] && continue
        t=$(mktemp -d)
        # --prefer-offline: a package npm has fetched once (its cache) needs no network again,
        # so a fresh clone on a machine that ran deps.sh before tests offline
        if (cd "$t" && npm pack --silent --prefer-offline "@ip-location-db/$name" >/dev/null 2>&1); then
            tar xzf "$t"/*.tgz -C "$t" && mv "$t/package" "$d/$sub"
        else
            echo "deps: npm pack @ip-location-db/$name failed; enrichment data missing" >&2
        fi
        rm -rf "$t"
    done
}
# playwright-core (npm registry) drives Debian's Chromium in the report's browser test
fetch_node() {
    [ -d "$ROOT/build/node/node_modules/playwright-core" ] && return 0
    command -v npm >/dev/null 2>&1 || { echo "deps: npm missing; playwright-core not installed" >&2; return 0; }
    mkdir -p "$ROOT/build/node"
    (cd "$ROOT/build/node" && npm install --silent --prefer-offline --no-audit --no-fund playwright-core@1 >/dev/null 2>&1) ||
        echo "deps: npm install playwright-core failed" >&2
}
fetch_data() {
    fetch_ipdb
    [ "$what" = demo ] || fetch_node
}
if [ -z "$missing" ]; then fetch_data; exit 0; fi
echo "deps: installing$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
# Postfix is only the tests' loopback SMTP server: no system configuration, no service.
echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections 2>/dev/null || true
# The packages' own services (nginx, Postfix) are not started: exray's tests and demo run
# private instances on loopback. Debian's policy-rc.d (exit 101: "action forbidden") holds
# them back during the install only, and only when the machine has no policy of its own;
# a service the machine already runs is never touched.
policy=/usr/sbin/policy-rc.d
ours=""
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# written by exray scripts/deps.sh for the duration of one apt-get install\nexit 101\n' | $SUDO tee "$policy" >/dev/null
    $SUDO chmod 755 "$policy"
    ours=1
fi
drop_policy() { [ -z "$ours" ] || $SUDO rm -f "$policy"; }
trap drop_policy EXIT INT TERM
$SUDO apt-get update -qq >/dev/null
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
drop_policy
ours=""
fetch_data
exit 0
