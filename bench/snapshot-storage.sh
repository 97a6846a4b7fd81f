#!/usr/bin/env bash
# Storage cost of snapshots: 20 snapshots of the example site, with one synthetic letter added
# before each, in a temporary copy (the letters never enter the repository). Prints the size of
# the content-addressed store against one snapshot and against 20 plain copies of the site.
#   bench/snapshot-storage.sh                  # the example site
#   CORPUS_PAGES=500 bench/snapshot-storage.sh # a synthetic site (../shared/bench/gen_corpus.py)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-20}
cargo build --quiet
bin="$PWD/target/debug/raadsite"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -n "${CORPUS_PAGES:-}" ]; then
  python3 ../shared/bench/gen_corpus.py --pages "$CORPUS_PAGES" --out "$tmp" --dialect raad >/dev/null
  rm -rf "$tmp/themes"
  cp -r themes "$tmp"/
  echo "site: synthetic corpus of $CORPUS_PAGES pages"
else
  cp -r site.toml content themes "$tmp"/
  if [ -d static ]; then cp -r static "$tmp"/; fi
  echo "site: the example site"
fi
rm -rf "$tmp/snapshots"
mkdir -p "$tmp/content/brieven"

bytes() { find "$1" -type f -printf '%s\n' | awk '{s+=$1} END {print s+0}'; }
blocks() { du -sk "$1" | cut -f1; }

epoch=1778146200 # 2026-05-07T09:30:00Z
for i in $(seq 1 "$N"); do
  day=$(date -u -d "@$((epoch + i * 86400))" +%F)
  cat >"$tmp/content/brieven/$day-meetbrief-$i.md" <<LETTER
+++
title = "Meetbrief $i"
date = $day
kenmerk = "MEET-$i"
gemeenten = ["alle"]
+++

Dit is een synthetische brief, alleen gemaakt om de opslag van snapshots te meten.

## Aanleiding

$(for p in 1 2 3 4 5 6; do printf 'Alinea %s van meetbrief %s. De tekst is verzonnen en heeft geen betekenis; hij geeft de brief een gewone lengte van een paar kilobyte zodat de meting eerlijk is.\n\n' "$p" "$i"; done)
LETTER
  SOURCE_DATE_EPOCH=$((epoch + i * 86400)) "$bin" snapshot create "meting-$i" \
    --note "meting met $i extra brieven" --root "$tmp" >/dev/null
  if [ "$i" = 1 ]; then
    one=$(bytes "$tmp/snapshots")
    one_k=$(blocks "$tmp/snapshots")
  fi
done

store=$(bytes "$tmp/snapshots")
store_k=$(blocks "$tmp/snapshots")
objects=$(find "$tmp/snapshots/objects" -type f | wc -l)
files=$(python3 -c '
import json, pathlib, sys
ms = [json.loads(p.read_text()) for p in pathlib.Path(sys.argv[1]).glob("*.json")]
print(sum(len(m["files"]) for m in ms), sum(f["size"] for m in ms for f in m["files"]))
' "$tmp/snapshots/versions")
read -r plain_files plain <<<"$files"
# 20 plain copies: each snapshot's files as separate files (what copying folders costs).
plain_k=$(python3 -c '
import json, pathlib, sys
ms = [json.loads(p.read_text()) for p in pathlib.Path(sys.argv[1]).glob("*.json")]
print(sum(-(-f["size"] // 4096) * 4 for m in ms for f in m["files"]))
' "$tmp/snapshots/versions")

"$bin" snapshot verify --root "$tmp" >/dev/null
# Publishing all versions with the site (debug build: an indication, not a figure).
"$bin" build --root "$tmp" --output "$tmp/public"
printf 'snapshots:                %d (files in them: %d, distinct objects stored: %d)\n' "$N" "$plain_files" "$objects"
printf 'one snapshot (store):     %8d bytes  %6d KiB on disk\n' "$one" "$one_k"
printf '%d snapshots (store):     %8d bytes  %6d KiB on disk  (%.2f x one snapshot)\n' "$N" "$store" "$store_k" "$(echo "$store / $one" | bc -l)"
printf '%d plain copies:          %8d bytes  %6d KiB on disk (4 KiB blocks, estimated)\n' "$N" "$plain" "$plain_k"
printf 'store / plain copies:     %.1f %% of the bytes\n' "$(echo "100 * $store / $plain" | bc -l)"
