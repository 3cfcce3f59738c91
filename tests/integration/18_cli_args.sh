#!/bin/sh
# Every command: --help on stdout with exit 0 (and `exray help COMMAND` the same); an unknown
# option is an error naming it and the closest known one (exit 2), never taken as a file
# name; `--` ends options; --version names the build table date and the libraries.
. "$(dirname "$0")/lib.sh"
for c in scan hunt notify import stats report builds enrich contacts db; do
    "$EXRAY" "$c" --help > "$WORK/h.out" 2>"$WORK/h.err" || fail "$c --help exited $?"
    grep -q "usage\|Usage" "$WORK/h.out" || fail "$c --help: no usage on stdout"
    [ ! -s "$WORK/h.err" ] || fail "$c --help wrote to stderr"
    "$EXRAY" help "$c" > "$WORK/h2.out" 2>/dev/null || fail "help $c exited $?"
    cmp -s "$WORK/h.out" "$WORK/h2.out" || fail "'exray help $c' differs from '$c --help'"
done
ok "--help of every command on stdout, exit 0; 'exray help COMMAND' the same"
for case in "--bd --db|import --bd $WORK/x.db f.csv" "--dbb --db|stats --dbb $WORK/x.db" "--hnt --hunt|report --db $WORK/x.db --hnt f" \
            "--dv --db|contacts optout --dv $WORK/x.db a@b.example" "--asn44 --asn4|enrich compile --asn44 a -o $WORK/o"; do
    bad=${case%% *} hint=${case%%|*}; hint=${hint#* } args=${case#*|}
    # shellcheck disable=SC2086
    set +e; "$EXRAY" $args >/dev/null 2>"$WORK/e.err"; rc=$?; set -e
    [ $rc -eq 2 ] || fail "'$args': exit $rc"
    grep -q -- "unknown option $bad (did you mean $hint?)" "$WORK/e.err" || fail "'$args': $(head -1 "$WORK/e.err")"
done
[ ! -e "$WORK/x.db" ] && [ ! -e f.csv ] || fail "a mistyped option created a store"
ok "an unknown option is an error naming it and the closest known option (import, stats, report, contacts, enrich)"
printf '"timestamp","ip","port","hostname","tag","asn","geo","region","city","naics","sic","sector","version","servername","url"\n' > "$WORK/-odd.csv"
printf '"2021-03-09 08:00:00","203.0.113.9",443,"mail.example.nl","exchange",64496,"NL",,,,,,"15.1.2176.2","EX01",\n' >> "$WORK/-odd.csv"
(cd "$WORK" && "$EXRAY" import --db d.db -- -odd.csv 2>"$WORK/i.err") || fail "import -- -odd.csv: $(cat "$WORK/i.err")"
grep -q "1 imported" "$WORK/i.err" || fail "-- did not end the options: $(cat "$WORK/i.err")"
set +e; "$EXRAY" stats --db "$WORK/d.db" extra >/dev/null 2>"$WORK/s.err"; rc=$?; set -e
[ $rc -eq 2 ] && grep -q "unexpected argument extra" "$WORK/s.err" || fail "stats took a stray argument (exit $rc)"
ok "'--' ends options (a report named -odd.csv imports); a stray argument is an error"
"$EXRAY" --version > "$WORK/v.out"
for lib in "build table: [0-9]* builds, checked 20[0-9][0-9]-" "OpenSSL [0-9]" "SQLite 3\." "libyara [0-9]" "libevtx [0-9]" "libcurl [0-9]"; do
    grep -q "^$lib" "$WORK/v.out" || fail "--version lacks '$lib': $(cat "$WORK/v.out")"
done
ok "--version: build table date and OpenSSL, SQLite, libyara, libevtx, libcurl versions"
for case in "rescan|scan --rescna" "maildir|notify --maildr x" "webroot|hunt --webrot x"; do
    hint=${case%%|*} args=${case#*|}
    # shellcheck disable=SC2086
    set +e; "$EXRAY" $args >/dev/null 2>"$WORK/e.err"; rc=$?; set -e
    [ $rc -eq 2 ] && grep -q "did you mean --$hint?" "$WORK/e.err" || fail "'$args': exit $rc, $(cat "$WORK/e.err")"
done
ok "scan, notify and hunt: an unknown long option gets the closest known one"
