#!/usr/bin/env bash
# Archive scale: a generated site of 10,000 pages has no list page over 200 kB (lists are
# paged, the home page stays small), and its search loads at most 300 kB for a first query
# and 150 kB for each later one, counted in headless Chromium from file:// (every file the
# page requests, the page itself included). The figures at 100,000 pages are in the README
# (bench/run.sh --pages 100000).
set -euo pipefail
cd "$(dirname "$0")/.."
shared=../shared

echo "== scale: build 10,000 generated pages"
cargo build --release
work="$(mktemp -d)"
trap 'rm -rf "$work" "${tmp:-}"' EXIT
python3 "$shared/bench/gen_corpus.py" --pages 10000 --out "$work/site" --dialect raad >/dev/null
# Lists and search at scale: no PDFs (10,000 of them would add minutes of typesetting here;
# their cost is measured with `raadsite build --timings` and bench/compare.py --pdf).
printf '\n[pdf]\nenabled = false\n' >> "$work/site/site.toml"
./target/release/raadsite build --root "$work/site" --output "$work/out" >/dev/null

echo "== scale: no list page over 200 kB"
python3 bench/sizes.py "$work/out" --limit 200000 --check

echo "== scale: bytes a search loads in Chromium"
cache="${SITE_CHECK_CACHE:-$HOME/.cache/site-check}"
if ! command -v chromium >/dev/null; then
  apt-get install -y -qq chromium >/dev/null
fi
if [ -z "${PLAYWRIGHT_CORE:-}" ] && [ ! -d "$cache/node_modules/playwright-core" ]; then
  tmp="$(mktemp -d)"
  npm install --prefix "$tmp" --no-save --no-audit --no-fund playwright-core@1.65.1 >/dev/null
  export PLAYWRIGHT_CORE="$tmp/node_modules/playwright-core"
fi
BENCH_BROWSER=1 BENCH_MAX_FIRST=300000 BENCH_MAX_LATER=150000 \
  node tests/browser/search-bench.mjs "$work/out"
