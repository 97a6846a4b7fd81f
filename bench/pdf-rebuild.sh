#!/usr/bin/env bash
# What keeping the PDFs costs a rebuild: bench/pdf-rebuild.sh BIN CORPUS [PAIRS]
#
# BIN is a raadsite built with the feature `pdf` (the default: target/release/raadsite);
# CORPUS a site made by ../shared/bench/gen_corpus.py --dialect raad (best on tmpfs). Two copies of
# it are built once, one with [pdf] enabled = true and one with false, then rebuilt with
# `build --force` in PAIRS alternating pairs (default 7): every page rendered again, every
# PDF kept. Prints each pair's CPU time (user + system, from /usr/bin/time) and wall time,
# their ratio on/off, and the medians.
set -euo pipefail
bin=$(realpath "$1"); corpus=$(realpath "$2"); pairs=${3:-7}
work=$(mktemp -d "${TMPDIR:-/dev/shm}/pdf-rebuild.XXXXXX")
trap 'rm -rf "$work"' EXIT
[ -x /usr/bin/time ] || apt-get install -y time >/dev/null
for state in on off; do
  cp -a "$corpus" "$work/$state"
  enabled=$([ "$state" = on ] && echo true || echo false)
  printf '\n[pdf]\nenabled = %s\n' "$enabled" >>"$work/$state/site.toml"
  "$bin" build --root "$work/$state" >/dev/null 2>&1
done
# One forced build: prints "cpu wall" in seconds.
run() {
  /usr/bin/time -f '%U %S %e' -o "$work/time" "$bin" build --force --root "$work/$1" >/dev/null 2>&1
  awk '{ printf "%.2f %.2f\n", $1 + $2, $3 }' "$work/time"
}
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for _ in $(seq "$pairs"); do
  echo "$(run off) $(run on)"
done >"$work/pairs"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$work/pairs" <<'PY'
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1])]
print("pair  off CPU/wall s   on CPU/wall s   ratio CPU/wall")
for i, (oc, ow, nc, nw) in enumerate(rows, 1):
    print(f"{i:4}  {oc:6.2f}/{ow:6.2f}   {nc:6.2f}/{nw:6.2f}   {nc / oc:.3f}/{nw / ow:.3f}")
med = statistics.median
print(f"median: off {med(r[0] for r in rows):.2f} s CPU, on {med(r[2] for r in rows):.2f} s CPU; "
      f"ratio CPU {med(r[2] / r[0] for r in rows):.3f} "
      f"(min {min(r[2] / r[0] for r in rows):.3f}, max {max(r[2] / r[0] for r in rows):.3f}), "
      f"wall {med(r[3] / r[1] for r in rows):.3f}")
PY
