#!/usr/bin/env bash
# Feeds, sitemap, metadata, glossary and redirect pages of the example site, checked with
# outside tools: xmllint for well-formed Atom, the sitemaps.org XSD (shipped in the npm
# package "sitemap") for sitemap.xml, Python's json module for the JSON files, and
# ../shared/tools/site-check (Nu Html Checker + axe-core) for the HTML, redirects included.
# No Atom validator installs offline (none on Debian, PyPI or npm); the Atom rules of
# RFC 4287 are checked by the Rust tests in tests/it/feeds.rs.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v xmllint >/dev/null; then
    apt-get install -y --no-install-recommends libxml2-utils >/dev/null \
        || { apt-get update -qq && apt-get install -y --no-install-recommends libxml2-utils >/dev/null; }
fi
tools="${RAADSITE_CI_CACHE:-$HOME/.cache/raadsite-ci}"
xsd="$tools/node_modules/sitemap/schema/sitemap.xsd"
if [ ! -f "$xsd" ]; then
    mkdir -p "$tools"
    npm install --prefix "$tools" --no-save --no-audit --no-fund --ignore-scripts sitemap@9.0.1 >/dev/null
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r site.toml content themes "$work"/
[ -d static ] && cp -r static "$work"/
# The example site as it is published: with a base_url, and with one renamed letter.
sed -i 's|^# base_url = |base_url = |' "$work/site.toml"
grep -q '^base_url = "https://' "$work/site.toml"
sed -i '0,/^date = /s|^date = .*|&\naliases = ["brieven/oude-naam/", "oud/plan.html"]|' \
    "$work/content/brieven/2026-05-07-plan-voor-de-regio.md"
cargo run --release --quiet -- build --root "$work" --output "$work/public"
out="$work/public"

echo "== Atom feeds: well-formed"
feeds=$(cd "$out" && find . -name atom.xml | sort)
[ -n "$feeds" ] || { echo "no feeds built"; exit 1; }
for f in $feeds; do xmllint --noout "$out/$f"; echo "ok $f"; done
grep -q '<entry>' "$out/brieven/atom.xml"

echo "== sitemap.xml against the sitemaps.org schema"
xmllint --noout --schema "$xsd" "$out/sitemap.xml"
grep -q '^Sitemap: https://.*sitemap.xml$' "$out/robots.txt"

echo "== metadata: JSON, listed in index.json"
python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
index = json.load(open(os.path.join(out, "index.json")))
listed = set()
for part in index["delen"]:
    docs = json.load(open(os.path.join(out, part["pad"])))["documenten"]
    assert len(docs) == part["documenten"], part["pad"]
    listed |= {d["metadata"] for d in docs}
found = set()
for dirpath, _, files in os.walk(out):
    if "metadata.json" in files:
        rel = os.path.relpath(os.path.join(dirpath, "metadata.json"), out)
        found.add(rel)
        m = json.load(open(os.path.join(out, rel)))
        assert m["permalink"].startswith(index["base_url"]), rel
assert listed == found, (listed ^ found)
print(f"ok {len(found)} metadata.json files, all in index.json")
PY

echo "== redirect pages"
grep -q 'http-equiv="refresh" content="0; url=../../brieven/plan-voor-de-regio/index.html"' \
    "$out/brieven/oude-naam/index.html"
grep -q 'content="0; url=../brieven/plan-voor-de-regio/index.html"' "$out/oud/plan.html"

echo "== HTML and accessibility of every page (redirects and glossary included)"
# Redirect pages leave for their target at once, so the browser cannot audit them and their
# navigation disturbs the other tabs: they are checked as they are with the Nu Html Checker,
# and audited by axe in a copy without the refresh. The example site has fewer than 60
# pages, so every page is opened in the browser.
../shared/tools/site-check/setup >/dev/null
vnu="${SITE_CHECK_CACHE:-$HOME/.cache/site-check}/node_modules/vnu-jar/build/dist/vnu.jar"
java -jar "$vnu" --errors-only "$out/brieven/oude-naam/index.html" "$out/oud/plan.html"
echo "ok redirect pages are valid HTML"
sed -i '/http-equiv="refresh"/d' "$out/brieven/oude-naam/index.html" "$out/oud/plan.html"
../shared/tools/site-check/site-check "$out" --max-pages 60 --strict

echo "feeds: all checks passed"
