#!/usr/bin/env bash
# `raadsite serve` in a real browser: headless Chromium opens a letter, the Markdown is
# edited, the open tab reloads by itself and shows the new text; broken content shows the
# error overlay over the last good page, and fixing it reloads again.
set -euo pipefail
cd "$(dirname "$0")/.."
../shared/tools/site-check/setup >/dev/null
export NODE_PATH="${SITE_CHECK_CACHE:-$HOME/.cache/site-check}/node_modules"

cargo build --quiet
work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work" "$work.log"; }
trap cleanup EXIT
cp -r site.toml content themes "$work"/
[ -d static ] && cp -r static "$work"/

target/debug/raadsite serve --root "$work" --port 0 >"$work.log" 2>&1 &
server=$!
for _ in $(seq 100); do
    grep -q '^Serving' "$work.log" 2>/dev/null && break
    sleep 0.1
done
url=$(sed -n 's#^Serving the site at \(http://[^ ]*\) .*#\1#p' "$work.log")
[ -n "$url" ] || { cat "$work.log"; exit 1; }

SITE="$work" URL="$url" node - <<'JS'
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });
  const page = await browser.newPage();
  const file = path.join(process.env.SITE, 'content/brieven/2026-05-07-plan-voor-de-regio.md');
  const original = fs.readFileSync(file, 'utf8');
  await page.goto(process.env.URL + 'brieven/plan-voor-de-regio/');
  const h1 = () => page.locator('h1').first().textContent();
  if (!(await h1()).includes('Plan voor de Regio')) throw new Error('unexpected page: ' + await h1());

  // Edit: the open tab reloads itself.
  // Counted when the tab navigates, not when a page has loaded: with PDFs on, a second
  // reload (the PDF typeset) can replace the first page before its load event.
  let loads = 0;
  page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) loads++; });
  fs.writeFileSync(file, original.replace(/^title = ".*"$/m, 'title = "Bewerkt in de browsertest"'));
  await page.waitForFunction(() => document.querySelector('h1').textContent.includes('Bewerkt in de browsertest'),
    null, { timeout: 20000 });
  if (loads < 1) throw new Error('the page changed without a reload');

  // Broken front matter: an overlay names the problem; the last good page stays.
  fs.writeFileSync(file, original.replace('+++\n\nGeachte', 'kenmrk = "x"\n+++\n\nGeachte'));
  const overlay = page.locator('#raadsite-fout');
  await overlay.waitFor({ state: 'visible', timeout: 20000 });
  const text = await overlay.textContent();
  if (!text.includes('kenmrk') || !text.includes('2026-05-07-plan-voor-de-regio.md'))
    throw new Error('overlay lacks the error: ' + text);
  if (!(await h1()).includes('Bewerkt in de browsertest')) throw new Error('last good page not kept');

  // Fixed: reload, no overlay, original title.
  fs.writeFileSync(file, original);
  await page.waitForFunction(() => !document.getElementById('raadsite-fout') &&
    document.querySelector('h1').textContent.includes('Plan voor de Regio'), null, { timeout: 20000 });
  await browser.close();
  console.log('serve: the tab reloaded after an edit, showed the error overlay and recovered');
})().catch((e) => { console.error(e); process.exit(1); });
JS
