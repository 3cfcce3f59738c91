#!/bin/sh
# Benchmark: exray hunt on a large web root of real web content, warm cache, best of 3, in
# one run against
#   - yara -r with signature-base's yara/ folder alone (EXR_SIGBASE: a copy kept outside the
#     project, never committed; the rows that need it are skipped when it is absent), the
#     rules given as source as a user runs it, Loki's external variables defined;
#     and the same rules compiled once by yarac (yara -C: its scan alone);
#   - yara -r with exray's built-in rules alone (build/gen/rules.yar, on the raw bytes).
# exray keeps its compiled --rules in its cache (--rules-cache) after the first of the three
# runs; the first run's time (compiling) is printed too.
# The web root (build/bench-web/root) is built from files that ship with the toolchain or
# Debian packages: the Rust documentation rustup installs (std and the book: HTML, JavaScript,
# CSS, fonts; RUSTDOC names another html/ folder) when present, else /usr/share/doc; plus
# /usr/share/fonts, /usr/share/icons and /usr/share/javascript; the shared corpus's web
# shells are placed inside, in Exchange's and IIS's folders.
# Prints wall time, CPU use (user+sys over wall: 2.0 = both cores busy) and the ratios
# yara / exray (>= 1.0: exray as fast or faster), and the shells each tool found.
# usage: bench/hunt-web.sh
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
EXRAY=${EXRAY:-$ROOT/exray}
W=$ROOT/build/bench-web
CORPUS=${EXR_CORPUS:-$ROOT/../shared/corpus}
SB=${EXR_SIGBASE:-}
RUSTDOC=${RUSTDOC:-$(ls -d "$HOME"/.rustup/toolchains/stable-*/share/doc/rust/html 2>/dev/null | head -1)}
WR=$W/root
if [ ! -f "$W/root.done" ]; then
    rm -rf "$W"
    mkdir -p "$WR/inetpub/wwwroot" "$WR/FrontEnd/HttpProxy/owa/auth" "$WR/ClientAccess/ecp"
    if [ -n "$RUSTDOC" ] && [ -d "$RUSTDOC/std" ]; then
        cp -R "$RUSTDOC/std" "$WR/ClientAccess/ecp/std"
        cp -R "$RUSTDOC/book" "$WR/FrontEnd/HttpProxy/owa/book"
        [ -d "$RUSTDOC/static.files" ] && cp -R "$RUSTDOC/static.files" "$WR/inetpub/wwwroot/"
        echo "rustdoc: $RUSTDOC (std, book, static.files)" > "$W/source.txt"
    else
        cp -R /usr/share/doc "$WR/ClientAccess/ecp/doc"
        echo "Debian: /usr/share/doc" > "$W/source.txt"
    fi
    for d in fonts icons javascript; do
        [ -d /usr/share/$d ] && cp -RL /usr/share/$d "$WR/inetpub/wwwroot/$d" 2>/dev/null || true
    done
    echo "Debian: /usr/share/fonts, /usr/share/icons, /usr/share/javascript" >> "$W/source.txt"
    i=0
    if [ -d "$CORPUS/webshells" ]; then
        for f in "$CORPUS"/webshells/*.aspx "$CORPUS"/webshells/*.ashx "$CORPUS"/webshells/*.asmx; do
            [ -f "$f" ] || continue
            i=$((i + 1))
            case $((i % 3)) in
            0) cp "$f" "$WR/FrontEnd/HttpProxy/owa/auth/" ;;
            1) cp "$f" "$WR/inetpub/wwwroot/" ;;
            *) cp "$f" "$WR/ClientAccess/ecp/" ;;
            esac
        done
    fi
    echo "$i" > "$W/shells.txt"
    touch "$W/root.done"
fi
mkdir -p "$W/empty"
size=$(du -sm "$WR" | cut -f1)
files=$(find "$WR" -type f | wc -l)
find "$WR" -type f -exec cat {} + > /dev/null
best() { # runs "$@" 3 times; prints the best wall time and that run's CPU seconds
    b=""
    for i in 1 2 3; do
        /usr/bin/time -f "%e %U %S" -o "$W/time" "$@" > "$W/out" 2>/dev/null || true
        read -r wall u s <<EOF
$(tail -1 "$W/time")
EOF
        cpu=$(python3 -c "print('%.2f' % ($u + $s))")
        if [ -z "$b" ] || python3 -c "import sys; sys.exit(0 if $wall < ${b% *} else 1)"; then b="$wall $cpu"; cp "$W/out" "$W/out.best"; fi
    done
    echo "$b"
}
shells_of() { # distinct shell files in a result (exray JSON Lines or yara's "rule path" lines)
    grep -o '[A-Za-z0-9_]*\.as[hmp]x' "$1" | sort -u | wc -l
}
YDEFS="-d filename= -d filepath= -d extension= -d filetype= -d owner= -d md5="
exb=$(best "$EXRAY" hunt -q -o "$W/out" --webroot "$WR" "$W/empty")
cp "$W/out.best" "$W/exray.jsonl"
ybi=$(best yara -r $YDEFS "$ROOT/build/gen/rules.yar" "$WR")
cp "$W/out.best" "$W/yara-builtin.txt"
exs=""; ysb=""; ysc=""; exfirst=""
if [ -n "$SB" ] && [ -d "$SB" ]; then
    set --
    for f in $(find "$SB" -name '*.yar' -o -name '*.yara' | sort); do set -- "$@" "$(basename "$f" | tr -c 'A-Za-z0-9_\n' _):$f"; done
    ysb=$(best yara -r $YDEFS "$@" "$WR")
    cp "$W/out.best" "$W/yara-sigbase.txt"
    yarac $YDEFS "$@" "$W/sb.yarc" 2>/dev/null
    ysc=$(best yara -C -r $YDEFS "$W/sb.yarc" "$WR")
    rm -rf "$W/cache"
    /usr/bin/time -f "%e" -o "$W/time" "$EXRAY" hunt -q -o /dev/null --rules "$SB" --rules-cache "$W/cache" --webroot "$WR" "$W/empty" 2>/dev/null || true
    exfirst=$(tail -1 "$W/time")
    exs=$(best "$EXRAY" hunt -q -o "$W/out" --rules "$SB" --rules-cache "$W/cache" --webroot "$WR" "$W/empty")
    cp "$W/out.best" "$W/exray-sigbase.jsonl"
else
    echo "skip: EXR_SIGBASE is not set to a signature-base yara/ folder: the signature-base rows are left out"
fi
python3 - "$size" "$files" "$(nproc)" "$(cat "$W/shells.txt")" "$(cat "$W/source.txt" | tr '\n' ';')" "$exb" "$ybi" "$exs" "$ysb" "$ysc" "$exfirst" \
    "$(shells_of "$W/exray.jsonl")" "$(shells_of "$W/yara-builtin.txt")" \
    "$( [ -n "$exs" ] && shells_of "$W/exray-sigbase.jsonl" || echo 0)" "$( [ -n "$ysb" ] && shells_of "$W/yara-sigbase.txt" || echo 0)" <<'PY'
import sys
size, files, cores, shells, src = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5]
row = lambda s: tuple(map(float, s.split())) if s else None
exb, ybi, exs, ysb, ysc = (row(a) for a in sys.argv[6:11])
exfirst = float(sys.argv[11]) if sys.argv[11] else 0
found = dict(zip(("exb", "ybi", "exs", "ysb"), map(int, sys.argv[12:16])))
found["ysc"] = found["ysb"]
print("web root: %d MB, %d files (%s), %d web shells placed; %s cores; best of 3, warm cache" % (size, files, src.strip(";"), shells, cores))
print("%-44s %8s %8s %6s %7s" % ("run", "wall s", "MB/s", "CPU", "shells"))
def line(name, r, k):
    print("%-44s %8.2f %8.0f %6.2f %7d" % (name, r[0], size / r[0], r[1] / r[0], found[k]))
if ysb:
    line("yara -r signature-base", ysb, "ysb")
    line("yara -C -r signature-base (compiled by yarac)", ysc, "ysc")
line("yara -r built-in rules (raw bytes)", ybi, "ybi")
line("exray hunt --webroot (built-in rules)", exb, "exb")
if exs:
    line("exray hunt --rules signature-base --webroot", exs, "exs")
    print("exray's first run, compiling signature-base into its cache: %.2f s" % exfirst)
    print("ratio yara(signature-base) / exray(built-in + signature-base): %.2f (goal >= 1.0)" % (ysb[0] / exs[0]))
    print("ratio yara -C(signature-base, compiled) / exray(built-in + signature-base, cached): %.2f" % (ysc[0] / exs[0]))
print("ratio yara(built-in rules) / exray(built-in rules): %.2f" % (ybi[0] / exb[0]))
PY
