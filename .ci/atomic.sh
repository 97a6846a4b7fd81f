#!/usr/bin/env bash
# Atomic output under SIGKILL: kills builds of a 2,000-page site at random moments and checks
# that the output is always exactly the old or the new site (slow, hence not in `cargo test`).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --test it -- --ignored --nocapture atomic::
