#!/usr/bin/env bash
# Accessibility and real-browser gates (run from the repository root, ../shared beside it):
#  1. site-check --strict (valid HTML, axe WCAG 2.1 AA, links, offline, third parties) on the
#     example site and on a generated 300-page corpus: every figure must be 0;
#  2. the example site served by nginx under a sub-path, walked in headless chromium by
#     clicking through the main navigation, then the same walk over file:// (example site and
#     corpus), each with the keyboard, focus and reflow checks (tests/browser/walk.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SHARED=$ROOT/../shared

"$SHARED/tools/site-check/setup"

. "$ROOT/.ci/nginx-install.sh"

TMP=$(mktemp -d)
NGINX_PID=""
cleanup() {
  if [ -n "$NGINX_PID" ]; then kill "$NGINX_PID" 2>/dev/null || true; wait "$NGINX_PID" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT

echo "== build the example site and a 300-page corpus"
cargo build --release --quiet
target/release/raadsite build
python3 "$SHARED/bench/gen_corpus.py" --pages 300 --out "$TMP/corpus" --dialect raad
# No themes/ in the corpus: it builds with the built-in theme, as a site of one's own does.
target/release/raadsite build --root "$TMP/corpus" --output "$TMP/corpus/public"

echo "== site-check on the example site"
"$SHARED/tools/site-check/site-check" public --strict
echo "== site-check on the corpus"
"$SHARED/tools/site-check/site-check" "$TMP/corpus/public" --strict

echo "== nginx: the example site under a sub-path"
# nginx's workers may run as another user: give them a world-readable copy of the site.
chmod 755 "$TMP"
cp -r public "$TMP/site"
chmod -R a+rX "$TMP/site"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT/raad/twente/"
nginx_serve "$TMP/nginx" "" "" "    listen 127.0.0.1:$PORT;
    location /raad/twente/ {
      alias $TMP/site/;
      index index.html;
    }" "$URL"
# The site root itself must not be served: the site really lives under the sub-path.
test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/index.html")" = 404

echo "== browser walk over http (nginx, sub-path)"
node tests/browser/walk.mjs --start "$URL"
echo "== browser walk over file://"
node tests/browser/walk.mjs --start "file://$ROOT/public/index.html"
echo "== browser walk over file:// on the corpus (reflow with generated content)"
node tests/browser/walk.mjs --start "file://$TMP/corpus/public/index.html"

echo "a11y gates passed"
