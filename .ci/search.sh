#!/usr/bin/env bash
# Search and forwarding kit in a real browser: builds the example site, opens it from disk
# (file://) in headless Chromium and types into the search box, copies a link, checks the
# mailto link; then site-check proves the pages (search page included) valid and accessible.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=../shared

echo "== search: build the example site"
cargo build --release
./target/release/raadsite build
test -f public/zoeken/index.html
test -f public/zoeken/index.js

echo "== search: site-check (valid HTML, axe, links, offline)"
# Sets up chromium, vnu, axe-core and playwright-core itself when missing.
"$shared/tools/site-check/site-check" public/ --strict

echo "== search: a generated site with enough pages for paging and filters"
big="$(mktemp -d)"
trap 'rm -rf "$big" "${tmp:-}"' EXIT
python3 "$shared/bench/gen_corpus.py" --pages 300 --out "$big" --dialect raad
# No themes/: the corpus builds with the built-in theme.
./target/release/raadsite build --root "$big"

echo "== search: browser test"
cache="${SITE_CHECK_CACHE:-$HOME/.cache/site-check}"
if [ -z "${PLAYWRIGHT_CORE:-}" ] && [ ! -d "$cache/node_modules/playwright-core" ]; then
  tmp="$(mktemp -d)"
  npm install --prefix "$tmp" --no-save --no-audit --no-fund playwright-core@1.65.1
  export PLAYWRIGHT_CORE="$tmp/node_modules/playwright-core"
fi
node tests/browser/search.mjs public "$big/public"
