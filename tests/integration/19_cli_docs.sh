#!/bin/sh
# One source for every option: the option tables of docs/options.md, `--help`, the man page
# and the bash completion all say what src/cli/opts_*.c says, README and docs/ name no option
# that does not exist,
# and `make install PREFIX=...` / `make uninstall` put and take away the binary, the man page
# and the completion.
. "$(dirname "$0")/lib.sh"
GENDOC="$BUILD/tools/gendoc"
[ -x "$GENDOC" ] || fail "$GENDOC missing (make builds it)"

"$GENDOC" readme > "$WORK/gen.md"
sed -n '/^<!-- options: generated/,/^<!-- options: end -->/p' "$ROOT/docs/options.md" > "$WORK/readme.md"
diff -u "$WORK/gen.md" "$WORK/readme.md" > "$WORK/readme.diff" ||
    fail "docs/options.md's tables differ from src/cli/opts_*.c (run make readme-options): $(head -20 "$WORK/readme.diff")"
ok "docs/options.md's option tables are the tables in src/cli/opts_*.c"

# every --option README mentions is an option of some command (or --help, --version), but
# for the other tools' options it names: nmap's --script/--script-args, zmap's --shards
grep '^| `-' "$WORK/gen.md" | sed 's/^| `\(-[a-zA-Z], \)\?\(--[a-z0-9-]*\).*/\2/' | sort -u > "$WORK/known"
printf '%s\n' --help --version >> "$WORK/known"
cat "$ROOT/README.md" "$ROOT"/docs/*.md "$ROOT/tests/README.md" | grep -o -- '[^a-zA-Z0-9_/-]--[a-z][a-z0-9-]*' | sed 's/^.//' | sort -u > "$WORK/mentioned"
unknown=$(sort -u "$WORK/known" | comm -13 - "$WORK/mentioned" | grep -vx -- '--\(script\|script-args\|shards\)' || true)
[ -z "$unknown" ] || fail "README or docs/ mention options no command has: $unknown"
ok "README and docs/ mention no option that no command has ($(wc -l < "$WORK/mentioned") distinct)"

# --help, the man page and README list the same options per command
man_section() { # command name -> the options of its COMMANDS section
    awk -v c="exray $1" '$0 == ".SS \"" c "\"" {on = 1; next} /^\.S[SH]/ {on = 0} on && /^\\fB/ {print}' "$ROOT/exray.1" |
        sed 's/\\-/-/g' | grep -o '\\fB--[a-z0-9-]*' | sed 's/\\fB//' | sort
}
for c in scan hunt builds vulns import notify cases "contacts import" "contacts optout" "enrich compile" "enrich lookup" stats report "db copy"; do
    # shellcheck disable=SC2086
    "$EXRAY" $c --help | grep -E -o -- '^(  -[a-zA-Z], |      )--[a-z0-9-]+' | grep -o -- '--[a-z0-9-]*' | grep -v '^--help$' | sort > "$WORK/help"
    man_section "$c" > "$WORK/man"
    [ -s "$WORK/help" ] || fail "$c --help lists no option"
    cmp -s "$WORK/help" "$WORK/man" || fail "$c: --help and the man page differ: $(diff "$WORK/help" "$WORK/man" | head -5)"
    # README's rows also name options in their meanings ("needed with --shard"): the first of each row is the option
    awk -v c="#### exray $c" '$0 == c {on = 1; next} /^#### / {on = 0} on && /^\| `/ {print}' "$WORK/readme.md" |
        sed 's/^| `\(-[a-zA-Z], \)\?\(--[a-z0-9-]*\).*/\2/' | sort > "$WORK/readme"
    cmp -s "$WORK/help" "$WORK/readme" || fail "$c: --help and README differ: $(diff "$WORK/help" "$WORK/readme" | head -5)"
done
ok "--help, the man page and docs/options.md list the same options for each of the 14 commands"

if command -v groff >/dev/null 2>&1; then
    groff -man -Tutf8 -ww -z "$ROOT/exray.1" 2> "$WORK/groff.err" || fail "groff: $(cat "$WORK/groff.err")"
    grep -v 'cannot adjust line' "$WORK/groff.err" > "$WORK/groff.warn" || true
    [ ! -s "$WORK/groff.warn" ] || fail "the man page has roff warnings: $(head -5 "$WORK/groff.warn")"
    groff -man -Tascii -P-cbou "$ROOT/exray.1" > "$WORK/man.txt" 2>/dev/null
    for h in NAME SYNOPSIS DESCRIPTION COMMANDS EXAMPLES "EXIT STATUS" ENVIRONMENT FILES "SEE ALSO"; do
        grep -q "^$h" "$WORK/man.txt" || fail "the man page has no $h section"
    done
    grep -q 'zmap(8), yara(1), nmap(1)' "$WORK/man.txt" || fail "SEE ALSO lacks zmap(8), yara(1), nmap(1)"
    grep -q -- '--probe-webshells' "$WORK/man.txt" || fail "rendered man page lacks --probe-webshells"
    ok "the man page renders without roff warnings, with NAME .. SEE ALSO"
else
    fail "groff is missing (scripts/deps.sh installs groff-base)"
fi

# bash completion, generated from the same tables
complete_words() { # words... (the last is being completed) -> COMPREPLY, one a line
    bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _exray; printf "%s\n" "${COMPREPLY[@]}"' _ "$BUILD/exray.bash" "$@"
}
complete_words exray sc | grep -qx scan || fail "completion: 'exray sc' does not give scan"
complete_words exray scan --pro | grep -qx -- --probe-webshells || fail "completion: scan --pro"
complete_words exray scan -F "" | sort | tr '\n' ' ' | grep -qx 'csv intelmq json ' || fail "completion: scan -F gives $(complete_words exray scan -F "")"
complete_words exray enrich l | grep -qx lookup || fail "completion: enrich l"
complete_words exray db copy --f | grep -qx -- --from || fail "completion: db copy --f"
complete_words exray contacts import --so | grep -qx -- --source || fail "completion: contacts import --so"
complete_words exray notify --mail | grep -qx -- --maildir || fail "completion: notify --mail"
[ -z "$(complete_words exray scan --nonexistent-prefix)" ] || fail "completion offered something for an unknown prefix"
ok "bash completion: commands, subcommands, options and --format values"

# make install / uninstall into a private prefix (the build's own binary: no rebuild)
P="$WORK/prefix"
make -s -C "$ROOT" install PREFIX="$P" B="$BUILD" > "$WORK/install.log" 2>&1 || fail "make install: $(tail -5 "$WORK/install.log")"
for f in bin/exray share/man/man1/exray.1 share/bash-completion/completions/exray; do
    [ -s "$P/$f" ] || fail "make install did not install $f"
done
"$P/bin/exray" --version | grep -q '^build table' || fail "the installed exray does not run"
cmp -s "$P/share/man/man1/exray.1" "$ROOT/exray.1" || fail "the installed man page is not exray.1"
make -s -C "$ROOT" uninstall PREFIX="$P" B="$BUILD" > "$WORK/uninstall.log" 2>&1 || fail "make uninstall: $(tail -5 "$WORK/uninstall.log")"
left=$(find "$P" -type f)
[ -z "$left" ] || fail "make uninstall left $left"
ok "make install PREFIX=... installs the binary, the man page and the completion; make uninstall removes them"

# the front end's shape: parse -> validate -> run, each a short function; only src/cli and
# main.c print or exit
sh "$ROOT/scripts/funclen.sh" 80 "$ROOT"/src/*/*.c "$ROOT"/src/main.c > "$WORK/long" || fail "functions in src/ over 80 lines: $(cat "$WORK/long")"
grep -n 'printf\|fputs\|puts(\|putchar\|fwrite(.*std\(out\|err\)\|[^_]exit(\|std\(out\|err\)' "$ROOT"/src/*/*.c |
    grep -v '^[^:]*/src/cli/' | grep -v 'snprintf\|exr_buf_printf' > "$WORK/prints" || true
[ ! -s "$WORK/prints" ] || fail "library code prints or exits: $(head -5 "$WORK/prints")"
ok "no function in src/ is over 80 lines; no code outside src/cli prints or exits"

# test hooks (fault injection, crash points, shortened timeouts) are in the test build only
if "$EXRAY" --version | grep -q "test hooks"; then
    echo "  skip: the release-binary check needs the release build (this is the test build)"
else
    nm "$EXRAY" 2>/dev/null | grep -q 'exr_notify_hook\|exr_notify_test_point\|test_hook' && fail "the release binary has test hook symbols"
    strings "$EXRAY" | grep -q 'EXRAY_TEST_' && fail "the release binary reads EXRAY_TEST_ variables: $(strings "$EXRAY" | grep EXRAY_TEST_ | head -3)"
    ok "the release binary has no test hook (no hook symbol, no EXRAY_TEST_ variable)"
fi

# the house a newcomer enters: a short README linking docs/, a licence, a test guide
n=$(wc -l < "$ROOT/README.md")
[ "$n" -le 200 ] || fail "README.md is $n lines (at most 200: the depth belongs in docs/)"
for f in scan vulnerabilities hunt notify report store formats options benchmarks architecture; do
    [ -s "$ROOT/docs/$f.md" ] || fail "docs/$f.md missing"
    grep -q "](docs/$f.md)" "$ROOT/README.md" || fail "README does not link docs/$f.md"
done
grep -o '](\([^)#]*\))' "$ROOT/README.md" "$ROOT"/docs/*.md | sed 's/^\([^:]*\):](\(.*\))$/\1 \2/' | while read -r from to; do
    case $to in http*) continue ;; esac
    [ -e "$(dirname "$from")/$to" ] || echo "$from links $to"
done > "$WORK/badlinks"
[ ! -s "$WORK/badlinks" ] || fail "links to nothing: $(cat "$WORK/badlinks")"
grep -q "Apache License" "$ROOT/LICENSE" && grep -q "Version 2.0" "$ROOT/LICENSE" || fail "LICENSE is not the Apache License 2.0"
[ -s "$ROOT/NOTICE" ] && [ -s "$ROOT/tests/README.md" ] && [ -s "$ROOT/CONTRIBUTING.md" ] || fail "NOTICE, tests/README.md or CONTRIBUTING.md missing"
ok "README is $n lines and links every docs/ file; every relative link resolves; LICENSE (Apache-2.0), NOTICE, tests/README.md, CONTRIBUTING.md"

# one style: every C file as .clang-format says (make format fixes, make format-check checks)
if command -v clang-format >/dev/null 2>&1; then
    make -s -C "$ROOT" format-check > "$WORK/format.log" 2>&1 || fail "files not as .clang-format says (make format): $(grep -o '^[^:]*:[0-9]*' "$WORK/format.log" | sort -u | head -5)"
    ok "$(tail -1 "$WORK/format.log")"
else
    echo "  skip: clang-format not installed (scripts/deps.sh test installs it)"
fi
