#!/usr/bin/env bash
# Builds the example site and renders review screenshots into target/screenshots/ (not in git):
# home, a letter, an opgave and a gemeente page at 390 px and 1280 px, and the letter as
# printed (PNG and PDF). Needs chromium and playwright-core: ../shared/tools/site-check/setup
# installs both.
#   scripts/screenshots.sh [SITE_DIR]     # default: build the example site into public/
set -euo pipefail
cd "$(dirname "$0")/.."
"../shared/tools/site-check/setup" >/dev/null
if [ $# -ge 1 ]; then
  site=$1
else
  cargo run --release --quiet -- build
  site=public
fi
rm -rf target/screenshots
node tests/browser/screenshots.mjs --site "$site" --out target/screenshots
