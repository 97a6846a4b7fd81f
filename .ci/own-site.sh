#!/usr/bin/env bash
# A griffie's own site from the installed binary (issue 18): `cargo install` into a folder of
# its own, the binary copied away from the repository, and from an empty folder `init`,
# `new brief`, `new opgave`, `build` (intranet and openbaar). Both builds must pass
# site-check --strict with every count 0. Then `theme export` and a build from the exported
# files must give byte-identical output.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SHARED=$ROOT/../shared
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

"$SHARED/tools/site-check/setup"

echo "== cargo install --path . (into a folder of its own)"
cargo install --quiet --locked --path . --root "$TMP/install" --target-dir target
mkdir "$TMP/elders"
cp "$TMP/install/bin/raadsite" "$TMP/elders/raadsite"
bin="$TMP/elders/raadsite"

echo "== init, new brief, new opgave, build, from an empty folder"
mkdir "$TMP/leeg"
cd "$TMP/leeg"
"$bin" init mijn-site
cd mijn-site
test ! -e themes
"$bin" new brief "Eerste brief aan de raad"
"$bin" new opgave 1 "Voorbeeldopgave"
"$bin" build
"$bin" build --profile openbaar --output openbaar
grep -q 'Eerste brief aan de raad' public/brieven/index.html

echo "== site-check on the new site (intranet and openbaar)"
"$SHARED/tools/site-check/site-check" public --strict
"$SHARED/tools/site-check/site-check" openbaar --strict

echo "== theme export: the exported files build the same site"
"$bin" theme export
test -f themes/raad/templates/base.html
"$bin" build --output exported
diff -r public exported
echo "own-site gate passed"
