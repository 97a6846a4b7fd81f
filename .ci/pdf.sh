#!/usr/bin/env bash
# The PDF/A renditions (issue 20), read with qpdf and poppler as a council information
# system, a printer and an archivist would:
#  1. qpdf --check on every PDF of the example site;
#  2. pdffonts: every font embedded (and only the bundled Noto Sans);
#  3. pdfinfo: tagged, A4 (595.276 x 841.89 pts), title and author, and the PDF/A-2 and
#     PDF/UA-1 parts in the XMP metadata, with the kenmerk;
#  4. pdfinfo -struct-text: headings, lists and tables tagged (a fixture letter has all);
#  5. pdftotext: the seed letter's text, with "geïnformeerd" and its typos as written;
#  6. a second build (and one with RAYON_NUM_THREADS=1 against 2) gives byte-identical PDFs;
#  7. an openbaar build: no "EA Smit" and no doorkiesnummer in the PDFs' text, metadata or
#     decompressed objects (qpdf --qdf), and no PDF of an internal page;
#  8. [pdf] enabled = false: no PDFs and no links to them.
#
#     .ci/pdf.sh            builds target/release/raadsite (PDFs are in the default build)
#                           and checks that; RAADSITE_BIN=path checks another binary built
#                           with the feature `pdf`.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  apt-get install -y --no-install-recommends "$2" >/dev/null 2>&1 \
    || { apt-get update -qq && apt-get install -y --no-install-recommends "$2" >/dev/null; }
}
need qpdf qpdf
need pdfinfo poppler-utils

if [ -z "${RAADSITE_BIN:-}" ]; then
  cargo build --release --quiet
  RAADSITE_BIN=$ROOT/target/release/raadsite
fi
BIN=$RAADSITE_BIN

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
fail() { echo "pdf: FAIL: $*" >&2; exit 1; }

# The example site, with a fixture letter that has headings, lists, a table and a footnote.
SITE=$WORK/site
mkdir -p "$SITE"
cp -r "$ROOT/site.toml" "$ROOT/content" "$SITE/"
cat > "$SITE/content/brieven/2026-06-01-structuur.md" <<'EOF'
+++
title = "Structuur: koppen, lijsten en tabellen"
date = 2026-06-01
kenmerk = "STRUCT-1"
afzender = "Voorzitter BOSS"
gemeenten = ["alle"]
tags = ["proef"]
+++

Geachte colleges,

## Een kop

- eerste punt
- tweede punt

1. genummerd
2. nog een

| Gemeente | Inwoners |
|---|--:|
| Almelo | 73.000 |
| Borne | 24.000 |

Tekst met een voetnoot[^1] en tekens die als geschreven moeten staan:

- #hekje
- $dollar
- \*ster\*
- \_laag\_
- @apenstaart
- \<punthaak>
- \backslash
- regio's
- = geen kop

[^1]: De voetnoot.
EOF

"$BIN" build --root "$SITE" >/dev/null
OUT=$SITE/public
mapfile -t PDFS < <(find "$OUT" -name '*.pdf' -not -path '*/archief/*' | sort)
[ "${#PDFS[@]}" -ge 2 ] || fail "expected PDFs in $OUT, found ${#PDFS[@]}"
LETTER=$OUT/brieven/plan-voor-de-regio/2026-05-07-plan-voor-de-regio.pdf
STRUCT=$OUT/brieven/structuur/2026-06-01-structuur.pdf
[ -f "$LETTER" ] || fail "no PDF of the seed letter at $LETTER"
[ -f "$STRUCT" ] || fail "no PDF of the fixture letter"
grep -q 'Download als PDF' "$OUT/brieven/plan-voor-de-regio/index.html" || fail "the page does not link its PDF"
grep -q '2026-05-07-plan-voor-de-regio.pdf' "$OUT/brieven/plan-voor-de-regio/metadata.json" || fail "metadata.json does not list the PDF"
for page in "$OUT"/opgaven/*/index.html; do
  ls "$(dirname "$page")"/opgave-*.pdf >/dev/null 2>&1 || fail "no PDF beside $page"
done

echo "== qpdf --check, pdffonts, pdfinfo"
for f in "${PDFS[@]}"; do
  qpdf --check "$f" >/dev/null || fail "qpdf --check $f"
  fonts=$(pdffonts "$f" 2>/dev/null | tail -n +3)
  [ -n "$fonts" ] || fail "no fonts in $f"
  echo "$fonts" | awk '{ if ($(NF-4) != "yes") bad=1 } END { exit bad }' || fail "a font not embedded in $f: $fonts"
  grep -qv NotoSans <<<"$fonts" && fail "a font other than Noto Sans in $f: $fonts"
  # (poppler 22-25 warns "Suspects object is wrong type" about /MarkInfo /Suspects false.)
  info=$(pdfinfo "$f" 2>/dev/null)
  grep -q '^Tagged: *yes' <<<"$info" || fail "not tagged: $f"
  grep -Eq '^Page size: *595.2(76|8) x 841.89 pts \(A4\)' <<<"$info" || fail "not A4: $f"
  grep -q '^Title: *.' <<<"$info" || fail "no title: $f"
  meta=$(pdfinfo -meta "$f" 2>/dev/null)
  grep -q '<pdfaid:part>2</pdfaid:part>' <<<"$meta" || fail "no PDF/A-2 part in the XMP of $f"
  grep -Eq '<pdfaid:conformance>[AU]</pdfaid:conformance>' <<<"$meta" || fail "no PDF/A conformance in the XMP of $f"
  grep -q '<pdfuaid:part>1</pdfuaid:part>' <<<"$meta" || fail "no PDF/UA-1 part in the XMP of $f"
done
info=$(pdfinfo "$LETTER" 2>/dev/null)
meta=$(pdfinfo -meta "$LETTER" 2>/dev/null)
grep -q '^Title: *Plan voor de Regio (Nationaal Programma Vitale Regio.s)' <<<"$info" || fail "the seed letter's title"
grep -q '^Author: *Voorzitter BOSS' <<<"$info" || fail "the seed letter's author"
grep -q '2600013167' <<<"$meta" || fail "the kenmerk is not in the XMP"
grep -q '<rdf:li>nl-NL</rdf:li>' <<<"$meta" || fail "the language is not nl-NL"

echo "== pdfinfo -struct-text: headings, lists, tables"
st=$(pdfinfo -struct-text "$STRUCT" 2>/dev/null)
for tag in H1 L LI LBody Table TR TH TD; do
  grep -Eq "^ *$tag( |:|$)" <<<"$st" || fail "no $tag in the structure tree of the fixture letter"
done
st=$(pdfinfo -struct-text "$LETTER" 2>/dev/null)
grep -Eq '^ *H1 "Elke Regio Telt"' <<<"$st" || fail "the seed letter's headings are not tagged"

echo "== pdftotext: the seed letter as written"
txt=$(pdftotext -enc UTF-8 "$LETTER" -)
for phrase in "geïnformeerd" "verschraving" "schaa sprong" "Geachte colleges," "(R.W. Bleker)" \
    "Vitale Regio's)" "2600013167" "ONS KENMERK" \
    "BEHANDELD DOOR" "EA Smit" "06 - 22 52 72 56" "PAGINA" "Elke regio Telt"; do
  grep -qF "$phrase" <<<"$txt" || fail "pdftotext of the seed letter lacks \"$phrase\""
done
stxt=$(pdftotext -enc UTF-8 "$STRUCT" -)
for phrase in '#hekje' '$dollar' '*ster*' '_laag_' '@apenstaart' '<punthaak>' '\backslash' "regio's" '= geen kop' 'De voetnoot.'; do
  grep -qF -- "$phrase" <<<"$stxt" || fail "the fixture letter does not print \"$phrase\" as written"
done

echo "== byte-identical: a second build, and one thread against two"
sums() { (cd "$1" && find . -name '*.pdf' -not -path './archief/*' | sort | xargs sha256sum); }
sums "$OUT" > "$WORK/a"
for n in 1 2; do
  rm -rf "$WORK/o$n"
  RAYON_NUM_THREADS=$n "$BIN" build --root "$SITE" --output "$WORK/o$n" >/dev/null
  sums "$WORK/o$n" > "$WORK/b$n"
  cmp -s "$WORK/a" "$WORK/b$n" || { diff "$WORK/a" "$WORK/b$n" >&2; fail "PDFs differ with RAYON_NUM_THREADS=$n"; }
done

echo "== openbaar: no personal fields in text, metadata or objects"
rm -rf "$WORK/pub"
"$BIN" build --root "$SITE" --profile openbaar --output "$WORK/pub" >/dev/null
mapfile -t PUB < <(find "$WORK/pub" -name '*.pdf' -not -path '*/archief/*' | sort)
[ "${#PUB[@]}" -ge 2 ] || fail "no PDFs in the openbaar build"
for f in "${PUB[@]}"; do
  qpdf --qdf --object-streams=disable "$f" "$WORK/qdf.pdf"
  for secret in "EA Smit" "06 - 22 52 72 56" "22 52 72 56"; do
    all="$(pdftotext -enc UTF-8 "$f" -) $(pdfinfo -meta "$f" 2>/dev/null) $(pdfinfo "$f" 2>/dev/null) $(strings "$WORK/qdf.pdf")"
    if grep -qF "$secret" <<<"$all"; then
      fail "\"$secret\" in the openbaar PDF $f"
    fi
  done
done
ptxt=$(pdftotext -enc UTF-8 "$WORK/pub/brieven/plan-voor-de-regio/2026-05-07-plan-voor-de-regio.pdf" -)
grep -q geïnformeerd <<<"$ptxt" || fail "the openbaar PDF of the seed letter lacks its text"

echo "== [pdf] enabled = false"
printf '\n[pdf]\nenabled = false\n' >> "$SITE/site.toml"
rm -rf "$WORK/off"
"$BIN" build --root "$SITE" --output "$WORK/off" >/dev/null
[ -z "$(find "$WORK/off" -name '*.pdf' -not -path '*/archief/*')" ] || fail "PDFs made with [pdf] enabled = false"
grep -rq 'Download als PDF' "$WORK/off" && fail "a page links a PDF with [pdf] enabled = false"

echo "pdf: all checks passed (${#PDFS[@]} PDFs)"
