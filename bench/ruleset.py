#!/usr/bin/env python3
"""Writes a rule set the size and shape of signature-base's yara/ folder (about 700 files,
5,000 rules; ASCII+wide text strings, hex strings with jumps, regular expressions,
filesize and header conditions) for bench/hunt.sh when no signature-base copy is given.
The strings are cut at random from the shared corpus files, so the rules look like
signature-base's sample-derived rules without copying any of its rules.
usage: ruleset.py CORPUS OUTDIR [RULES]"""
import os, random, sys

corpus, out = sys.argv[1], sys.argv[2]
nrules = int(sys.argv[3]) if len(sys.argv) > 3 else 5000
random.seed(20211)
blobs = []
for r, _, fs in os.walk(corpus):
    for f in fs:
        b = open(os.path.join(r, f), "rb").read()
        if len(b) > 200:
            blobs.append(b)
if not blobs:
    sys.exit("ruleset: no corpus files under %s" % corpus)

def text_string():
    b = random.choice(blobs)
    for _ in range(50):
        i = random.randrange(0, len(b) - 40)
        s = b[i:i + random.randint(8, 32)]
        if all(32 <= c < 127 and c not in (34, 92) for c in s):
            return s.decode()
    return "exray%08x" % random.getrandbits(32)

def hex_string():
    b = random.choice(blobs)
    i = random.randrange(0, len(b) - 24)
    h = " ".join("%02X" % c for c in b[i:i + 6])
    t = " ".join("%02X" % c for c in b[i + 10:i + 16])
    return "{ %s [2-6] %s }" % (h, t)

def regex():
    w = text_string()
    w = "".join(c if c.isalnum() else "." for c in w[:10])
    return "/%s[a-z0-9_]{1,20}\\(/" % w

os.makedirs(out, exist_ok=True)
per_file = 7
for k in range(0, nrules, per_file):
    with open(os.path.join(out, "gen_%04d.yar" % (k // per_file)), "w") as f:
        for j in range(k, min(k + per_file, nrules)):
            ss = []
            for n in range(random.randint(3, 8)):
                kind = random.random()
                if kind < 0.65:
                    mods = random.choice(["ascii", "ascii wide", "fullword ascii", "wide", "ascii nocase"])
                    ss.append('$s%d = "%s" %s' % (n, text_string(), mods))
                elif kind < 0.9:
                    ss.append("$h%d = %s" % (n, hex_string()))
                else:
                    ss.append("$r%d = %s" % (n, regex()))
            cond = random.choice(["2 of them", "1 of them", "filesize < 300KB and 2 of them",
                                  "uint16(0) == 0x5a4d and filesize < 2000KB and 1 of them", "all of them",
                                  "filesize < 100KB and 1 of them"])
            f.write('rule GEN_%05d {\n  meta:\n    description = "generated benchmark rule %d"\n    author = "exray bench"\n'
                    '    score = %d\n  strings:\n    %s\n  condition:\n    %s\n}\n\n'
                    % (j, j, random.choice([50, 60, 70, 75, 80, 90, 100]), "\n    ".join(ss), cond))
print("ruleset: %d rules in %d files under %s" % (nrules, (nrules + per_file - 1) // per_file, out))
