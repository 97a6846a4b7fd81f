#!/usr/bin/env bash
# Installs the peers and runs the comparison: bench/run.sh [compare.py options, e.g. --smoke].
# Hugo comes from the Debian package; Zola is built from source when a checkout is given in
# ZOLA_SRC (its code is never part of this repository), or taken from PATH / ZOLA.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v hugo >/dev/null || [ ! -x /usr/bin/time ]; then
    apt-get install -y hugo time >/dev/null
fi
if [ -z "${ZOLA:-}" ] && ! command -v zola >/dev/null && [ -n "${ZOLA_SRC:-}" ]; then
    (cd "$ZOLA_SRC" && cargo build --release --locked --quiet)
    export ZOLA="$ZOLA_SRC/target/release/zola"
fi
exec python3 bench/compare.py "$@"
