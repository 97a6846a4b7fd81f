#!/usr/bin/env bash
# The digest e-mail (raadsite mail) and the single-file pages, read by their real clients
# (run from the repository root, ../shared beside it):
#  1. the mail fixture built in both profiles; digests made in both profiles and for one
#     gemeente, each read by Python's email package (default policy): no defects, a text and
#     an HTML part holding exactly the letters they should, text lines <= 78, every link a
#     page of the built site (.ci/mail_check.py);
#  2. the HTML parts and every single-file letter and opgave opened alone in headless
#     chromium, each copied into an empty folder, every request but the file itself refused
#     and counted: none allowed (tests/browser/alone.mjs);
#  3. site-check --strict (Nu checker, axe, links) on the built site with the single files,
#     and with the HTML part of the digest beside them.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SHARED=$ROOT/../shared

"$SHARED/tools/site-check/setup"
command -v python3 >/dev/null || { sudo -n true 2>/dev/null && S=sudo || S=; $S apt-get install -y -qq python3; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
BASE=https://raad.example.nl/twente/
export SOURCE_DATE_EPOCH=1789470000

# RAADSITE_BIN: a binary built already (e.g. a debug build while working on this script).
BIN=${RAADSITE_BIN:-}
if [ -z "$BIN" ]; then
  cargo build --release --quiet
  BIN=$ROOT/target/release/raadsite
fi
cp -r tests/fixtures/mail "$TMP/site"
# A sender with a name that is not ASCII, and thirty raadsleden: headers folded and encoded.
{
  echo '[mail]'
  echo 'van = "Griffie Hof van Twente – Goor <griffie@hofvantwente.example>"'
  printf 'aan = "'
  for n in $(seq 1 30); do printf 'Raadslid %s <raadslid%s@hofvantwente.example>, ' "$n" "$n"; done
  echo '"'
} >>"$TMP/site/site.toml"

echo "== build the mail fixture in both profiles"
"$BIN" build --root "$TMP/site" --output "$TMP/intranet"
"$BIN" build --root "$TMP/site" --profile openbaar --output "$TMP/openbaar"

echo "== digests, read by Python's email package"
ALLE="Uitvoeringsagenda Twente: stand van zaken"
ALMELO="Brief aan Almelo over één regeling"
HOF="Brief aan Hof van Twente"
UPDATED="Eerder verzonden, later aangevuld"
INTERN="Interne notitie aan de griffiers"
OPGAVE="Voorbeeldopgave Wonen"
NEVER=(--not "Oude brief voor de zomer" --not "Conceptbrief die niet mee mag"
       --not "Voorbeeldopgave zonder wijziging")
"$BIN" mail --root "$TMP/site" --since 2026-09-14 --output "$TMP/intranet.eml"
python3 .ci/mail_check.py "$TMP/intranet.eml" --site "$TMP/intranet" --base "$BASE" \
  --want "$ALLE" --want "$ALMELO" --want "$HOF" --want "$UPDATED" --want "$INTERN" \
  --want "$OPGAVE" "${NEVER[@]}" --html-out "$TMP/digest-intranet.html" --to 30
"$BIN" mail --root "$TMP/site" --since 2026-09-14 --profile openbaar --output "$TMP/openbaar.eml"
python3 .ci/mail_check.py "$TMP/openbaar.eml" --site "$TMP/openbaar" --base "$BASE" \
  --want "$ALLE" --want "$ALMELO" --want "$HOF" --want "$UPDATED" --want "$OPGAVE" \
  --not "$INTERN" --not "INT-9" "${NEVER[@]}" --html-out "$TMP/digest-openbaar.html"
"$BIN" mail --root "$TMP/site" --since 2026-09-14 --profile openbaar --gemeente almelo \
  --output "$TMP/almelo.eml"
python3 .ci/mail_check.py "$TMP/almelo.eml" --site "$TMP/openbaar" --base "$BASE" \
  --want "$ALLE" --want "$ALMELO" --want "$OPGAVE" --not "$HOF" --not "$UPDATED" \
  --not "$INTERN" "${NEVER[@]}" --html-out "$TMP/digest-almelo.html"

echo "== nothing new: no file, exit 0"
"$BIN" mail --root "$TMP/site" --since 2027-01-01 --output "$TMP/leeg.eml"
test ! -e "$TMP/leeg.eml"

echo "== the HTML parts and the single files, each alone in chromium, no request allowed"
mapfile -t SINGLES < <(find "$TMP/intranet" "$TMP/openbaar" -name '*.html' ! -name index.html \
  ! -name 404.html | while read -r f; do
    d=$(basename "$(dirname "$f")"); [ "$(basename "$f")" = "$d.html" ] && echo "$f"; done)
test "${#SINGLES[@]}" -ge 10
node tests/browser/alone.mjs ${MAIL_SHOTS:+--shots "$MAIL_SHOTS"} \
  "$TMP"/digest-*.html "${SINGLES[@]}"

echo "== site-check on the built site with its single files and the digest beside them"
cp "$TMP/digest-intranet.html" "$TMP/intranet/digest.html"
"$SHARED/tools/site-check/site-check" "$TMP/intranet" --strict --base-url "$BASE" --max-pages 100
"$SHARED/tools/site-check/site-check" "$TMP/openbaar" --strict --base-url "$BASE" --max-pages 100

echo "mail gates passed"
