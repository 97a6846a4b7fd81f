#!/usr/bin/env bash
# Robustness, security and privacy gates that are too slow for `cargo test`: a 50 MB
# Markdown file through the release binary, `check` and the public profile on the example
# site, and a short run of each fuzz target.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== robustness: a 50 MB Markdown file builds and keeps every paragraph (release build)"
cargo build --release --quiet
# One scratch folder for the whole gate, removed however the script ends.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
big="$scratch/big"
mkdir "$big"
cp -r tests/fixtures/basic "$big/site"
count=$(python3 - "$big/site/content/info/groot.md" <<'PY'
import sys
para = ("Het Plan voor de Regio beschrijft de *opgaven* van Twente, met "
        "[een link](../opgaven/01-eerste.md) en `code`.\n\n")
count = 50 * 1024 * 1024 // len(para) + 1
with open(sys.argv[1], "w") as f:
    f.write('+++\ntitle = "Groot"\n+++\n## Begin\n\n' + para * count + "## Einde\n")
print(count)
PY
)
./target/release/raadsite build --root "$big/site" --output "$big/out" >/dev/null
html="$big/out/info/groot/index.html"
found=$(grep -o '<em>opgaven</em>' "$html" | wc -l)
[ "$found" -eq "$count" ] || { echo "50 MB page: $found of $count paragraphs" >&2; exit 1; }
grep -q '<h2 id="einde">Einde</h2>' "$html"
grep -q 'href="../../opgaven/01-eerste/index.html"' "$html"
rm -rf "$big"

if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    echo "== robustness: unreadable files, as an unprivileged user (root reads everything)"
    bin=$(cargo test --test it --no-run 2>&1 | grep -o 'target/[^)]*deps/it-[0-9a-f]*' | tail -1)
    (cd /tmp && setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/tmp \
        "$OLDPWD/$bin" robustness::unreadable robustness::a_symlink robustness::symlinks \
        --test-threads=1)
fi

echo "== check: the example site is clean in both profiles"
cargo run --release -q -- check
cargo run --release -q -- check --profile openbaar
cargo run --release -q -- check --format json --profile openbaar | { ! grep -q .; }

echo "== openbaar: the public example site holds no personal details"
out="$scratch/openbaar"
mkdir "$out"
cargo run --release -q -- build --profile openbaar --output "$out/site"
if grep -rlE "06 - 22 52 72 56|EA Smit" "$out/site"; then
    echo "personal details in the public site" >&2
    exit 1
fi
cargo run --release -q -- build --output "$out/intranet"
grep -rq "EA Smit" "$out/intranet"

echo "== fuzz: ${FUZZ_SECONDS:=30} s per target"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    fuzz=(cargo +nightly fuzz)
else
    # cargo-fuzz needs nightly flags; stable accepts them with RUSTC_BOOTSTRAP.
    export RUSTC_BOOTSTRAP=1
    fuzz=(cargo fuzz)
fi
(
    cd fuzz
    # The import readers start from the committed letters, so that the short run reaches
    # past the PDF and ZIP headers into the text.
    mkdir -p corpus/import_pdf corpus/import_docx
    cp ../tests/fixtures/import/*.pdf corpus/import_pdf/
    cp ../tests/fixtures/import/*.docx corpus/import_docx/
    for target in front_matter markdown site_toml import_pdf import_docx; do
        mkdir -p "corpus/$target"
        "${fuzz[@]}" run -O "$target" "corpus/$target" -- \
            -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=2048 -max_len=65536
    done
)

echo "robustness passed"
