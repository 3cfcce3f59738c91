#!/bin/sh
# Installs every Debian package exray needs to build, test, demo and benchmark.
# Idempotent: checks with dpkg first and prints nothing when all is present.
set -eu
PKGS="build-essential pkg-config libssl-dev openssl libsqlite3-dev sqlite3 libcmocka-dev
nginx-light nmap clang libclang-rt-14-dev python3 procps psmisc
libyara-dev yara libarchive-dev libevtx-dev libbfio-dev libevtx-utils
libcurl4-openssl-dev libmaxminddb-dev postfix sasl2-bin libsasl2-modules libsasl2-modules-db chromium"
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
        if (cd "$t" && npm pack --silent "@ip-location-db/$name" >/dev/null 2>&1); then
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
    (cd "$ROOT/build/node" && npm install --silent --no-audit --no-fund playwright-core@1 >/dev/null 2>&1) ||
        echo "deps: npm install playwright-core failed" >&2
}
if [ -z "$missing" ]; then fetch_ipdb; fetch_node; exit 0; fi
echo "deps: installing$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
# Postfix is only the tests' loopback SMTP server: no system configuration, no service.
echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections 2>/dev/null || true
$SUDO apt-get update -qq >/dev/null
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
# The nginx package may start a system service; exray's tests run their own.
if command -v systemctl >/dev/null 2>&1; then $SUDO systemctl disable --now nginx >/dev/null 2>&1 || true; fi
pkill -x nginx 2>/dev/null || true
if command -v systemctl >/dev/null 2>&1; then $SUDO systemctl disable --now postfix >/dev/null 2>&1 || true; fi
fetch_ipdb
fetch_node
exit 0
