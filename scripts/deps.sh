#!/bin/sh
# Installs every Debian package exray needs to build, test, demo and benchmark.
# Idempotent: checks with dpkg first and prints nothing when all is present.
set -eu
PKGS="build-essential pkg-config libssl-dev openssl libsqlite3-dev sqlite3 libcmocka-dev
nginx-light nmap clang libclang-rt-14-dev python3 procps psmisc
libyara-dev yara libevtx-dev libbfio-dev libevtx-utils
libcurl4-openssl-dev libmaxminddb-dev postfix"
missing=""
for p in $PKGS; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
[ -z "$missing" ] && exit 0
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
exit 0
