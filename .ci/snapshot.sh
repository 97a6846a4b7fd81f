#!/usr/bin/env bash
# Snapshots end to end on a copy of the example site: create two versions (the second with a
# synthetic letter that stays in the temporary copy), verify, diff, publish with `build`,
# export. The WARC must read back with warcio (one response record per file, digests valid);
# archived pages and the unpacked zip, moved to another folder, must open from file:// in
# headless Chromium with no failed or outside request, no script error, no axe-core WCAG 2.1
# A/AA violation and every link leading to a file.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
shared="$repo/../shared"

cargo build --quiet
bin="$repo/target/debug/raadsite"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
site="$tmp/site"
mkdir "$site"
cp -r site.toml content themes "$site"/
if [ -d static ]; then cp -r static "$site"/; fi
rm -rf "$site/snapshots" "$site/public"

echo "== create, verify, diff"
SOURCE_DATE_EPOCH=1778146200 "$bin" snapshot create v1 --note "Eerste versie" --root "$site"
cat >"$site/content/brieven/2026-06-01-ci-brief.md" <<'LETTER'
+++
title = "Synthetische brief voor de CI"
date = 2026-06-01
gemeenten = ["alle"]
+++

Deze brief bestaat alleen in de tijdelijke kopie van de CI.
LETTER
SOURCE_DATE_EPOCH=1780315200 "$bin" snapshot create v2 --note "Met een extra brief" --root "$site"
"$bin" snapshot list --root "$site"
"$bin" snapshot verify --root "$site"
"$bin" snapshot diff v1 v2 --root "$site" | grep '^added:   Synthetische brief voor de CI'

echo "== build with the archive, export"
"$bin" build --root "$site" --output "$tmp/public"
"$bin" snapshot export v2 --format warc --output "$tmp/v2.warc" --root "$site"
"$bin" snapshot export v2 --format warc --profile openbaar --output "$tmp/v2-openbaar.warc" --root "$site"
"$bin" snapshot export v2 --format zip --output "$tmp/v2.zip" --root "$site"

echo "== WARC reads back with warcio"
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install --quiet warcio
"$tmp/venv/bin/warcio" check "$tmp/v2.warc"
"$tmp/venv/bin/warcio" check "$tmp/v2-openbaar.warc"
for rendition in files openbaar; do
warc="$tmp/v2.warc"
if [ "$rendition" = openbaar ]; then warc="$tmp/v2-openbaar.warc"; fi
"$tmp/venv/bin/python" - "$warc" "$site/snapshots/versions/v2.json" "$rendition" <<'PY'
import hashlib, json, sys
from warcio.archiveiterator import ArchiveIterator

manifest = json.load(open(sys.argv[2]))
manifest["files"] = manifest[sys.argv[3]]
base = manifest.get("base_url") or "https://raadsite.invalid/"
expected = {base + f["path"]: f["sha256"] for f in manifest["files"]}
seen = {}
types = []
with open(sys.argv[1], "rb") as stream:
    for record in ArchiveIterator(stream):
        types.append(record.rec_type)
        if record.rec_type != "response":
            continue
        assert record.http_headers.get_statuscode() == "200", record.http_headers
        uri = record.rec_headers.get_header("WARC-Target-URI")
        seen[uri] = hashlib.sha256(record.content_stream().read()).hexdigest()
assert types[0] == "warcinfo", types[:1]
assert types.count("response") == len(manifest["files"]), (types.count("response"), len(manifest["files"]))
assert seen == expected, set(seen) ^ set(expected)
print(f"warcio ({sys.argv[3]}): {types.count('response')} response records == {len(manifest['files'])} files, payloads match the manifest")
PY
done

echo "== archived pages and the zip open from file:// in headless Chromium"
# Moved elsewhere, as on another machine: nothing may depend on where the site was built.
mkdir -p "$tmp/elders/zip"
mv "$tmp/public" "$tmp/elders/public"
(cd "$tmp/elders/zip" && python3 -m zipfile -e "$tmp/v2.zip" .)
nm="${SITE_CHECK_CACHE:-$HOME/.cache/site-check}/node_modules"
if [ ! -d "$nm/playwright-core" ]; then "$shared/tools/site-check/setup"; fi
cat >"$tmp/open.js" <<'JS'
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { pathToFileURL, fileURLToPath } = require('url');
const { chromium } = require('playwright-core');
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const LOCAL = /^(file|data|blob|about):/i;
(async () => {
  const [root, ...pages] = process.argv.slice(2);
  const problems = [];
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'snapshot-ci-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: FLAGS,
  });
  await ctx.route((u) => !LOCAL.test(u.href), (r) => r.abort('blockedbyclient'));
  const page = await ctx.newPage();
  let current = '';
  page.on('request', (r) => { if (!LOCAL.test(r.url())) problems.push(`${current}: request leaves the machine: ${r.url()}`); });
  page.on('requestfailed', (r) => problems.push(`${current}: failed ${r.url()} (${r.failure().errorText})`));
  page.on('pageerror', (e) => problems.push(`${current}: script error ${e.message}`));
  let links = 0;
  for (const rel of pages) {
    current = rel;
    await page.goto(pathToFileURL(path.join(root, rel)).href, { waitUntil: 'load' });
    const title = await page.title();
    if (!title) problems.push(`${rel}: no title`);
    // WCAG 2.1 A/AA with axe-core: the banner and the archive pages are ours.
    await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
    const axe = await page.evaluate(() => window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'],
      preload: { assets: ['media'] },  // not 'cssom': it re-reads stylesheets, which fails over file://
    }));
    for (const v of axe.violations) problems.push(`${rel}: axe ${v.id} (${v.impact}) on ${v.nodes.length} element(s)`);
    if (rel.startsWith('public/archief/v')) {
      const banner = await page.locator('.archiefbanner').innerText();
      if (!/^Dit is de versie van \d+ \S+ \d{4} - bekijk de actuele versie/.test(banner)) {
        problems.push(`${rel}: banner reads "${banner}"`);
      }
    }
    for (const href of await page.$$eval('a[href]', (as) => as.map((a) => a.href))) {
      if (!href.startsWith('file:')) continue;
      links++;
      const file = fileURLToPath(href.split('#')[0]);
      if (!fs.existsSync(file) || !fs.statSync(file).isFile()) problems.push(`${rel}: link to missing ${file}`);
    }
  }
  // Follow the banner of an archived page to the current version.
  current = 'banner link';
  await page.goto(pathToFileURL(path.join(root, pages.find((p) => p.startsWith('public/archief/v')))).href);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('.archiefbanner a')]);
  if (page.url().includes('/archief/')) problems.push(`banner link stays in the archive: ${page.url()}`);
  await ctx.close();
  fs.rmSync(profile, { recursive: true, force: true });
  if (problems.length) {
    console.error(problems.join('\n'));
    process.exit(1);
  }
  console.log(`chromium: ${pages.length} pages opened from file://, ${links} links checked, no failures`);
})().catch((e) => { console.error(e); process.exit(1); });
JS
letter=$(cd "$tmp/elders/public/archief/v1/brieven" && ls -d */ | head -1)
NODE_PATH="$nm" node "$tmp/open.js" "$tmp/elders" \
  public/archief/index.html \
  public/archief/diff-v1-v2/index.html \
  public/archief/v1/index.html \
  "public/archief/v1/brieven/${letter}index.html" \
  public/archief/v2/brieven/ci-brief/index.html \
  public/archief/v2/gemeenten/index.html \
  zip/index.html \
  zip/brieven/ci-brief/index.html

echo "snapshot CI passed"
