#!/usr/bin/env bash
# `raadsite import` against letters made anew with the real programs that write them: the
# DOCX fixtures from python-docx, their PDFs from LibreOffice (Writer, headless) and the
# web-page letter printed to PDF by Chromium, plus the broken ones (a truncated PDF, an
# encrypted one by qpdf, a scan without text, a DOCX that is no zip). Each good letter is
# imported into a new site (`raadsite init`), compared with the example letter made by hand
# from the seed (fields; every word of the body), checked and built; each broken one must
# fail with an error naming it and leave the site as it was. `cargo test` covers the
# committed copies of these files; this gate shows that what today's LibreOffice and
# Chromium write imports too.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_install() {
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null \
        || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
             apt-get install -y -qq --no-install-recommends "$@" >/dev/null; }
}
command -v soffice >/dev/null || apt_install libreoffice-writer-nogui fonts-dejavu-core
command -v chromium >/dev/null || apt_install chromium
command -v qpdf >/dev/null || apt_install qpdf
# Debian's package serves Debian's python3 only; where `python3` is another one (pyenv,
# say), pip installs it for that one.
python3 -c 'import docx' 2>/dev/null || apt_install python3-docx || true
python3 -c 'import docx' 2>/dev/null || python3 -m pip install --quiet python-docx

cargo build --release -q
bin="$PWD/target/release/raadsite"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== import: fixtures made anew (python-docx, LibreOffice, Chromium, qpdf)"
tests/fixtures/import/make.sh "$work/fx"

check_letter() { # FILE LETTER.md: fields and words against the example letter
    python3 - "$1" "$2" content/brieven/2026-05-07-plan-voor-de-regio.md \
        tests/fixtures/import/seed.txt <<'PY'
import re, sys, tomllib
source, letter, example, seed = sys.argv[1:]

def split(path):
    text = open(path, encoding="utf-8").read()
    front, body = text[4:].split("\n+++\n", 1)
    return tomllib.loads(front), body

def words(md):
    out = []
    for line in md.splitlines():
        line = re.sub(r"^\s*(#+ |- |1\. )", "", line)
        if line.startswith("| ---"):
            continue
        out += line.replace("*", "").replace("|", " ").replace("\\", " ").split()
    return out

got, body = split(letter)
want, want_body = split(example)
one = lambda v: " ".join(str(v).split())
problems = []
if "testbrief" in source:
    expect = {"kenmerk": "0012/2026/TEST", "uw_kenmerk": "UB-000/7", "date": "2026-06-12",
              "uw_brief_van": "2026-04-03", "behandeld_door": "T. Tester"}
    for key, value in expect.items():
        if str(got.get(key)) != value:
            problems.append(f"{key}: {got.get(key)!r}, expected {value!r}")
    for needle in ["Noord-Nederland", "beleids- en investeringslogica", "het derde punt."]:
        if needle not in body:
            problems.append(f"body lacks {needle!r}")
    if "Pagina" in body:
        problems.append("a page number is left in the body")
else:
    for key in ["title", "date", "kenmerk", "behandeld_door", "doorkiesnummer", "aan",
                "ondertekening", "gemeenten"]:
        if one(got.get(key)) != one(want.get(key)):
            problems.append(f"{key}: {got.get(key)!r}, expected {want.get(key)!r}")
    text = open(seed, encoding="utf-8").read()
    text = text[text.index("Geachte colleges,"):text.index("Met vriendelijke groet,") + 23]
    text = text.replace("DATUM\n7 mei 2026\n\nONS KENMERK\n2600013167\n\nPAGINA\n3 / 3\n", "")
    if words(body) != words(text):
        a, b = words(body), words(text)
        i = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        problems.append(f"body words differ at word {i}: {a[i:i+8]} vs {b[i:i+8]}")
if problems:
    sys.exit(f"{source}:\n  " + "\n  ".join(problems))
print(f"  {source}: fields and {len(words(body))} words as expected")
PY
}

n=0
for f in seed-tabel.docx seed-tabel.pdf seed-kolommen.pdf testbrief.docx testbrief.pdf; do
    n=$((n + 1))
    site="$work/site$n"
    "$bin" init "$site" >/dev/null
    out=$("$bin" import --root "$site" "$work/fx/$f")
    letter=$(printf '%s\n' "$out" | sed -n 's/^  wrote //p')
    test -f "$letter" || { echo "$f: no letter written"; echo "$out"; exit 1; }
    check_letter "$f" "$letter"
    "$bin" check --root "$site"
    "$bin" build --root "$site" >/dev/null
    grep -rqs "$(basename "${letter%.md}" | cut -c12-30)" "$site/public/brieven/" \
        || { echo "$f: the imported letter is not in the built site"; exit 1; }
done

echo "== import: broken files get an error naming them, nothing is written"
site="$work/broken"
"$bin" init "$site" >/dev/null
before=$(find "$site" | sort)
for f in afgebroken.pdf versleuteld.pdf scan.pdf geen-zip.docx; do
    if "$bin" import --root "$site" "$work/fx/$f" 2>"$work/err"; then
        echo "$f: imported, but it is broken"; exit 1
    fi
    grep -q "$f" "$work/err" || { echo "$f: the error does not name the file"; cat "$work/err"; exit 1; }
    if grep -q panicked "$work/err"; then cat "$work/err"; exit 1; fi
    echo "  $f: $(head -1 "$work/err")"
done
[ "$before" = "$(find "$site" | sort)" ] || { echo "a failed import wrote files"; exit 1; }

echo "import passed"
