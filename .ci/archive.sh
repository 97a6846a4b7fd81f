#!/usr/bin/env bash
# Archive-grade versions, checked with the tools archivists use, on a copy of the example site
# with a synthetic letter that has a PDF attachment (both stay in the temporary copy):
#  1. signed manifests: the minisign command line tool verifies every manifest; one flipped
#     byte in a manifest fails both minisign and `raadsite snapshot verify`;
#  2. MDTO: every *.mdto.xml of the package (a folder and a zip, both renditions) validates
#     against ../shared/schemas/MDTO-XML1.0.1.xsd with xmllint, and every bestand's omvang and
#     SHA-256 match the file beside it;
#  3. WARC: warcio checks it (request and response records); pywb, from a collection made of
#     the export, answers every archived file with status 200 and its own bytes;
#  4. readers: the current letter page lists its versions and links the changes page, which
#     marks the added sentence with <ins>; site-check finds nothing on any page of the build
#     with its archive;
#  5. search inside an archived copy, in headless Chromium over file:// and over http: each
#     version's search finds what that version holds (and not what only a later one holds),
#     and its results lead to that version's copies.
# Ports: pywb and the http server listen on 127.0.0.1, on $ARCHIVE_CI_PORT and the port after
# it, or on free ports when that is unset.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
schema="$repo/../shared/schemas/MDTO-XML1.0.1.xsd"

need=()
command -v minisign >/dev/null || need+=(minisign)
command -v xmllint >/dev/null || need+=(libxml2-utils)
python3 -c 'import ensurepip' 2>/dev/null || need+=(python3-venv)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

cargo build --quiet
bin="$repo/target/debug/raadsite"
tmp=$(mktemp -d)
wayback_pid=""
http_pid=""
cleanup() {
  for pid in $wayback_pid $http_pid; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
site="$tmp/site"
mkdir "$site" "$tmp/keys"
cp -r site.toml content themes "$site"/
if [ -d static ]; then cp -r static "$site"/; fi
rm -rf "$site/snapshots" "$site/public"

echo "== a key outside the site folder, and the archive settings"
minisign -G -W -f -p "$tmp/keys/raad.pub" -s "$tmp/keys/raad.key" >/dev/null
cat >>"$site/site.toml" <<EOF

[snapshots]
sleutel = "$tmp/keys/raad.key"
archiefvormer = "gm0153"
bewaartermijn = "P20Y"
EOF

echo "== two versions: the second adds a sentence and a letter with a PDF attachment"
SOURCE_DATE_EPOCH=1778146200 "$bin" snapshot create v1 --note "Eerste versie" --root "$site"
letter="$site/content/brieven/2026-05-07-plan-voor-de-regio.md"
printf '\nDeze zin met het woord archiefproef is toegevoegd in de tweede versie.\n' >>"$letter"
mkdir -p "$site/static/bijlagen"
python3 scripts/minimal_pdf.py blank "$site/static/bijlagen/ci-bijlage.pdf"
cat >"$site/content/brieven/2026-06-01-ci-brief.md" <<'LETTER'
+++
title = "Synthetische brief met bijlage"
date = 2026-06-01
kenmerk = "CI-0001"
gemeenten = ["alle"]
opgaven = [1]
bijlagen = [{ titel = "Bijlage bij de synthetische brief", bestand = "bijlagen/ci-bijlage.pdf" }]
+++

Deze brief bestaat alleen in de tijdelijke kopie van de CI.
LETTER
SOURCE_DATE_EPOCH=1780315200 "$bin" snapshot create v2 --note "Met een extra zin" --root "$site"
"$bin" snapshot list --root "$site" | tee "$tmp/list.txt"
test "$(grep -c ' signed ' "$tmp/list.txt")" = 2
"$bin" snapshot verify --root "$site"
"$bin" snapshot verify --root "$site" --public-key "$tmp/keys/raad.pub"

echo "== minisign verifies every manifest; one flipped byte fails both verifiers"
for m in "$site"/snapshots/versions/*.json; do
  minisign -Vq -p "$tmp/keys/raad.pub" -m "$m"
  minisign -Vq -p "$site/snapshots/sleutel.pub" -m "$m"
done
cp -r "$site/snapshots" "$tmp/flipped"
python3 - "$tmp/flipped/versions/v2.json" <<'PY'
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
i = b.index(b'"note": "') + 9
b[i] ^= 0x01
open(p, "wb").write(b)
PY
if minisign -Vq -p "$tmp/keys/raad.pub" -m "$tmp/flipped/versions/v2.json" 2>/dev/null; then
  echo "minisign accepted a manifest with a flipped byte" >&2; exit 1
fi
if "$bin" snapshot verify --root "$site" --store "$tmp/flipped" 2>"$tmp/flipped.err"; then
  echo "snapshot verify accepted a manifest with a flipped byte" >&2; exit 1
fi
grep -q 'v2: versions/v2.json.minisig: the signature does not match' "$tmp/flipped.err"
if grep -rqF "$(sed -n 2p "$tmp/keys/raad.key")" "$site/snapshots"; then
  echo "the secret key reached the store" >&2; exit 1
fi

echo "== MDTO packages validate against the XSD; checksums match the files"
"$bin" snapshot export v2 --format mdto --output "$tmp/mdto" --root "$site"
"$bin" snapshot export v2 --format mdto --profile openbaar --output "$tmp/mdto-openbaar.zip" --root "$site"
mkdir "$tmp/mdto-openbaar"
(cd "$tmp/mdto-openbaar" && python3 -m zipfile -e "$tmp/mdto-openbaar.zip" .)
for pkg in "$tmp/mdto" "$tmp/mdto-openbaar"; do
  find "$pkg" -name '*.mdto.xml' -print0 | xargs -0 xmllint --noout --schema "$schema"
  python3 - "$pkg" <<'PY'
import hashlib, os, sys
import xml.etree.ElementTree as ET
ns = {"m": "https://www.nationaalarchief.nl/mdto"}
root = sys.argv[1]
files = bestanden = objects = 0
for d, _, names in os.walk(root):
    for n in names:
        p = os.path.join(d, n)
        if n.endswith(".bestand.mdto.xml"):
            b = ET.parse(p).getroot().find("m:bestand", ns)
            data = open(p[: -len(".bestand.mdto.xml")], "rb").read()
            assert int(b.find("m:omvang", ns).text) == len(data), p
            assert b.find("m:checksum/m:checksumWaarde", ns).text == hashlib.sha256(data).hexdigest(), p
            assert b.find("m:bestandsformaat/m:begripBegrippenlijst/m:verwijzingNaam", ns).text == "PRONOM-register", p
            bestanden += 1
        elif n.endswith(".mdto.xml"):
            objects += 1
        else:
            assert os.path.exists(p + ".bestand.mdto.xml"), f"{p} has no metadata file"
            files += 1
assert files == bestanden and files > 0, (files, bestanden)
pdf = [os.path.join(d, n) for d, _, ns_ in os.walk(root) for n in ns_ if n == "ci-bijlage.pdf.bestand.mdto.xml"]
assert pdf, "the attachment is not in the package"
print(f"MDTO {os.path.basename(root)}: {objects} informatieobjecten, {bestanden} bestanden, omvang and SHA-256 match")
PY
done

echo "== WARC: warcio, then pywb replays every archived file"
"$bin" snapshot export v2 --format warc --output "$tmp/v2.warc" --root "$site"
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install --quiet 'pywb==2.10.0' 'warcio==1.8.1'
"$tmp/venv/bin/warcio" check "$tmp/v2.warc"
mkdir "$tmp/wb"
(cd "$tmp/wb" && "$tmp/venv/bin/wb-manager" init raad >/dev/null && "$tmp/venv/bin/wb-manager" add raad "$tmp/v2.warc" >/dev/null 2>&1)
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=${ARCHIVE_CI_PORT:-$(free_port)}
(cd "$tmp/wb" && exec "$tmp/venv/bin/wayback" -b 127.0.0.1 -p "$port" >"$tmp/wayback.log" 2>&1) &
wayback_pid=$!
"$tmp/venv/bin/python" - "$tmp/v2.warc" "$port" <<'PY'
import hashlib, sys, time, urllib.request
from warcio.archiveiterator import ArchiveIterator
warc, port = sys.argv[1], sys.argv[2]
expected, types = {}, []
with open(warc, "rb") as s:
    for r in ArchiveIterator(s):
        types.append(r.rec_type)
        if r.rec_type == "response":
            expected[r.rec_headers.get_header("WARC-Target-URI")] = hashlib.sha256(r.content_stream().read()).hexdigest()
assert types.count("request") == types.count("response") > 0, (types.count("request"), types.count("response"))
base = f"http://127.0.0.1:{port}/raad/"
for _ in range(100):
    try:
        urllib.request.urlopen(base, timeout=2); break
    except Exception:
        time.sleep(0.2)
def get(uri):
    with urllib.request.urlopen(f"{base}2026id_/{uri}", timeout=30) as r:
        return r.status, r.read()
pages = 0
for uri, sha in sorted(expected.items()):
    status, body = get(uri)
    assert status == 200, (uri, status)
    assert hashlib.sha256(body).hexdigest() == sha, f"{uri}: pywb replayed other bytes"
    if uri.endswith("index.html"):
        status, body = get(uri[: -len("index.html")])
        assert status == 200 and hashlib.sha256(body).hexdigest() == sha, f"{uri}: folder URL"
        pages += 1
print(f"pywb: {len(expected)} archived files replayed with status 200 and their own bytes ({pages} pages also by folder URL)")
PY

echo "== readers: the letter lists its versions; the changes page marks the sentence with <ins>"
"$bin" build --root "$site" --output "$tmp/public"
page="$tmp/public/brieven/plan-voor-de-regio/index.html"
grep -q 'href="../../archief/v1/brieven/plan-voor-de-regio/index.html"' "$page"
grep -q 'href="../../archief/v2/brieven/plan-voor-de-regio/index.html"' "$page"
changes=$(grep -o 'href="../../archief/diff-v1-v2/[^"]*"' "$page" | head -1 | sed 's/^href="..\/..\///; s/"$//; s/#.*//')
test -n "$changes"
grep -q '<ins>.*Deze zin met het woord archiefproef is toegevoegd in de tweede versie\.' "$tmp/public/$changes"
grep -q 'href="sleutel.pub"' "$tmp/public/archief/index.html"
cmp "$tmp/public/archief/sleutel.pub" "$site/snapshots/sleutel.pub"
for v in v1 v2; do
  minisign -Vq -p "$tmp/public/archief/sleutel.pub" -m "$tmp/public/archief/_manifesten/$v.json"
done
"$repo/../shared/tools/site-check/site-check" "$tmp/public" --strict --max-pages 500

echo "== search inside an archived copy, over file:// and http"
if [ -n "${ARCHIVE_CI_PORT:-}" ]; then http_port=$((ARCHIVE_CI_PORT + 1)); else http_port=$(free_port); fi
python3 -m http.server --bind 127.0.0.1 --directory "$tmp/public" "$http_port" >/dev/null 2>&1 &
http_pid=$!
python3 - "$http_port" <<'PY'
import sys, time, urllib.request
for _ in range(100):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/index.html", timeout=2); break
    except Exception:
        time.sleep(0.1)
PY
nm="${SITE_CHECK_CACHE:-$HOME/.cache/site-check}/node_modules"
cat >"$tmp/search.js" <<'JS'
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { pathToFileURL } = require('url');
const { chromium } = require('playwright-core');
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
(async () => {
  const [root, http] = process.argv.slice(2);
  const problems = [];
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'archive-ci-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: FLAGS,
  });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => problems.push(`script error ${e.message}`));
  // [version, query, results expected]: archiefproef is only in v2.
  const cases = [['v1', 'regio', true], ['v2', 'archiefproef', true], ['v1', 'archiefproef', false]];
  let checked = 0;
  for (const base of [pathToFileURL(root).href + '/', http]) {
    for (const [label, q, expected] of cases) {
      const url = `${base}archief/${label}/zoeken/index.html?q=${q}`;
      await page.goto(url, { waitUntil: 'load' });
      await page.waitForFunction(() => document.getElementById('zoek-status').textContent.trim() !== '');
      const links = await page.$$eval('#zoek-resultaten a', (as) => as.map((a) => a.href));
      if (expected !== links.length > 0) problems.push(`${url}: ${links.length} results`);
      for (const href of links) {
        if (!href.startsWith(`${base}archief/${label}/`)) problems.push(`${url}: result leaves the copy: ${href}`);
      }
      if (links.length) {
        await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('#zoek-resultaten a')]);
        const banner = await page.locator('.archiefbanner').count();
        if (!banner) problems.push(`${url}: the first result is not an archived page: ${page.url()}`);
        checked++;
      }
    }
  }
  await ctx.close();
  fs.rmSync(profile, { recursive: true, force: true });
  if (problems.length) { console.error(problems.join('\n')); process.exit(1); }
  console.log(`chromium: search in archived copies over file:// and http, ${checked} results followed into their copy`);
})().catch((e) => { console.error(e); process.exit(1); });
JS
NODE_PATH="$nm" node "$tmp/search.js" "$tmp/public" "http://127.0.0.1:$http_port/"

echo "archive CI passed"
