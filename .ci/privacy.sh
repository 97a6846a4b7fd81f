#!/usr/bin/env bash
# Nothing private on a public web root (issue 18). A copy of the example site gets an internal
# opgave (with a marker sentence) and a letter naming an official with a phone number, all
# three unique to this run, and a letter imported from a PDF (tests/fixtures/import), whose
# original, copied beside it, shows its official's direct number. It is frozen as a snapshot
# (intranet), built into $WWW/raad for the intranet and then with --profile openbaar into the
# same folder, as a council that publishes its public copy where its intranet copy was. Then:
#  1. nginx, with its own configuration, serves $WWW (autoindex on, workers as a user who
#     is not the builder); every URL it answers 200 to is fetched: the autoindex listings and
#     the links in pages, followed, plus every path that exists under $WWW, dot folders
#     included, and the names older versions used (/.raad.prev/, /.raad.stamp);
#  2. the same user reads every file under $WWW it can.
# Fails when any body or file holds the marker, the name or either number (PDFs are read as
# text with pdftotext too), and prints each.
#
#     .ci/privacy.sh [--skip-snapshot]      (or PRIVACY_SKIP_SNAPSHOT=1)
#
# RAADSITE_BIN=path runs another binary instead of building target/release/raadsite.
#
# --skip-snapshot leaves out `snapshot create`, so that the archive (archief/, published
# snapshots) plays no part. Needs root or sudo (apt-get, nginx's user switch, runuser).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

SKIP_SNAPSHOT=${PRIVACY_SKIP_SNAPSHOT:-0}
for arg in "$@"; do
  case "$arg" in
    --skip-snapshot) SKIP_SNAPSHOT=1 ;;
    *) echo "usage: $0 [--skip-snapshot]" >&2; exit 2 ;;
  esac
done

. "$ROOT/.ci/nginx-install.sh"
if ! command -v pdftotext >/dev/null; then
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    poppler-utils >/dev/null
fi
# The web server's user: anyone but the builder.
WEB_USER=www-data
id -u "$WEB_USER" >/dev/null 2>&1 || WEB_USER=nobody
WEB_GROUP=$(id -gn "$WEB_USER")

TMP=$(mktemp -d /tmp/raadsite-privacy.XXXXXX)
NGINX_PID=""
cleanup() {
  if [ -n "$NGINX_PID" ]; then $SUDO kill "$NGINX_PID" 2>/dev/null || true; wait "$NGINX_PID" 2>/dev/null || true; fi
  $SUDO rm -rf "$TMP"
}
trap cleanup EXIT
# The web root and the folders above it may be entered by the web server's user.
chmod 755 "$TMP"
SITE=$TMP/site
WWW=$TMP/www
mkdir -p "$SITE" "$WWW" "$TMP/nginx"
chmod 755 "$WWW"

echo "== a copy of the example site with an internal opgave and a letter naming an official"
cp -r site.toml content themes "$SITE"/
if [ -d static ]; then cp -r static "$SITE"/; fi
rm -rf "$SITE/snapshots" "$SITE/public"
NONCE=$(date +%s%N | tail -c 9)
MARKER="Deze merkzin $NONCE van de privacypoort hoort alleen op het intranet"
OFFICIAL="Q.R. Privacypoort-$NONCE"
PHONE="088 - $NONCE"
cat >"$SITE/content/opgaven/98-privacypoort-intern.md" <<EOF
+++
title = "Interne opgave van de privacypoort"
nummer = 98
zichtbaarheid = "intern"
gemeenten = ["almelo"]
+++

$MARKER.
EOF
cat >"$SITE/content/brieven/2026-09-09-privacypoort.md" <<EOF
+++
title = "Brief van de privacypoort"
date = 2026-09-09
kenmerk = "PP$NONCE"
behandeld_door = "$OFFICIAL"
doorkiesnummer = "$PHONE"
gemeenten = ["alle"]
+++

Een openbare brief met een behandelend ambtenaar.
EOF

if [ -n "${RAADSITE_BIN:-}" ]; then
  # Another binary, such as an older version to see the gate fail.
  BIN=$RAADSITE_BIN
else
  echo "== build (release)"
  cargo build --release --quiet
  BIN=$ROOT/target/release/raadsite
fi
echo "== import a letter from a PDF: its original is copied beside it"
"$BIN" import --root "$SITE" "$ROOT/tests/fixtures/import/testbrief.pdf" >/dev/null
# The imported letter's doorkiesnummer, on its page and in its original.
ORIGINAL_PHONE="0000 - 00 00 00"

if [ "$SKIP_SNAPSHOT" = 1 ]; then
  echo "== snapshot create: skipped"
else
  echo "== snapshot create (an intranet version, frozen before the builds)"
  "$BIN" snapshot create privacypoort --root "$SITE"
fi
echo "== build (intranet), then build --profile openbaar, into $WWW/raad"
"$BIN" build --root "$SITE" --output "$WWW/raad"
# Without this the gate would prove nothing: the intranet site does show all three.
for secret in "$MARKER" "$OFFICIAL" "$PHONE" "$ORIGINAL_PHONE"; do
  if ! grep -rqF -- "$secret" "$WWW/raad"; then
    echo "FAIL: the intranet build does not show \"$secret\"" >&2
    exit 1
  fi
done
"$BIN" build --root "$SITE" --profile openbaar --output "$WWW/raad"

echo "== nginx as $WEB_USER serves $WWW with autoindex"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
nginx_serve "$TMP/nginx" "$SUDO" "user $WEB_USER $WEB_GROUP;" "    absolute_redirect off;
    listen 127.0.0.1:$PORT;
    root $WWW;
    autoindex on;" "http://127.0.0.1:$PORT/"
worker=$(ps -o user= --ppid "$(cat "$TMP/nginx/nginx.pid")" | sort -u | tr '\n' ' ')
echo "nginx workers run as: $worker"
case " $worker " in
  *" root "*|*" $(id -un) "*) echo "FAIL: nginx's workers run as the builder" >&2; exit 1 ;;
esac

# The public copy is served: the letter is there, without its official. The page is read
# whole before grep looks at it: `curl | grep -q` fails under pipefail when grep stops
# reading at the first match while curl is still writing.
letter=$(curl -fsS "http://127.0.0.1:$PORT/raad/brieven/privacypoort/" || true)
if ! grep -q "Brief van de privacypoort" <<<"$letter"; then
  echo "FAIL: nginx does not serve the public letter" >&2
  exit 1
fi

# Every path under the web root, as the builder sees it: nginx is asked for each one too.
(cd "$WWW" && find . -mindepth 1 \( -type d -printf '%P/\n' -o -printf '%P\n' \)) >"$TMP/paths"

echo "== crawl"
leaks=0
python3 - "http://127.0.0.1:$PORT" "$TMP/paths" "$MARKER" "$OFFICIAL" "$PHONE" "$ORIGINAL_PHONE" <<'PY' || leaks=1
import re, subprocess, sys, urllib.error, urllib.parse, urllib.request

base, paths_file, *secrets = sys.argv[1:]
secrets = [s.encode() for s in secrets]
start = ["/", "/raad/", "/.raad.prev/", "/.raad.prev/index.html", "/.raad.stamp",
         "/.raad.raadsite/", "/.raad.raadsite/prev/", "/.raad.raadsite/prev/index.html",
         "/.raad.raadsite/stamp", "/.raad.raadsite/prev/opgaven/", "/.raad.raadsite/prev/brieven/"]
with open(paths_file, encoding="utf-8", errors="surrogateescape") as f:
    start += ["/" + urllib.parse.quote(p.rstrip("\n"), safe="/") for p in f if p.strip()]
link = re.compile(rb'(?:href|src)\s*=\s*"([^"]*)"', re.I)
seen, queue, ok, leaking, refused = set(), list(start), 0, [], {}
while queue:
    url = queue.pop()
    if url in seen:
        continue
    seen.add(url)
    try:
        with urllib.request.urlopen(base + url, timeout=10) as r:
            status, body, kind = r.status, r.read(), r.headers.get("Content-Type", "")
            final = urllib.parse.urlsplit(r.geturl()).path
    except urllib.error.HTTPError as e:
        refused[e.code] = refused.get(e.code, 0) + 1
        continue
    if status != 200:
        refused[status] = refused.get(status, 0) + 1
        continue
    ok += 1
    if body.startswith(b"%PDF"):
        # A PDF's text is compressed: read it as a reader would.
        body += subprocess.run(["pdftotext", "-q", "-", "-"], input=body,
                               capture_output=True).stdout
    hits = [s.decode() for s in secrets if s in body]
    if hits:
        leaking.append(f"{url}  ({', '.join(hits)})")
    if "html" not in kind:
        continue
    for m in link.findall(body):
        target = urllib.parse.urljoin(final, m.decode("utf-8", "replace"))
        parts = urllib.parse.urlsplit(target)
        if parts.scheme or parts.netloc:
            if base.split("//", 1)[1] != parts.netloc:
                continue
        path = parts.path or "/"
        if path.startswith("/"):
            queue.append(path)
others = ", ".join(f"{n} answered {c}" for c, n in sorted(refused.items()))
print(f"URLs answered 200: {ok} (of {len(seen)} requested; {others or 'no others'})")
for l in sorted(leaking):
    print(f"LEAK: {l}")
print(f"leaking URLs: {len(leaking)}")
sys.exit(1 if leaking else 0)
PY

echo "== read as $WEB_USER"
# find reports the folders it may not enter (and fails for them): those are the point.
as_web() { $SUDO runuser -u "$WEB_USER" -- "$@" 2>/dev/null || true; }
readable=$(as_web find "$WWW" -type f -readable | wc -l)
found=$(as_web find "$WWW" -type f -readable -exec grep -lF -e "$MARKER" -e "$OFFICIAL" -e "$PHONE" -e "$ORIGINAL_PHONE" {} +)
while IFS= read -r pdf; do
  [ -n "$pdf" ] || continue
  if as_web pdftotext -q "$pdf" - | grep -qF -e "$OFFICIAL" -e "$PHONE" -e "$ORIGINAL_PHONE"; then
    found+=$'\n'"$pdf"
  fi
done < <(as_web find "$WWW" -type f -readable -name '*.pdf')
found=$(printf '%s\n' "$found" | grep . | sort -u || true)
echo "files $WEB_USER can read: $readable"
if [ -n "$found" ]; then
  leaks=1
  while IFS= read -r f; do echo "LEAK (file): ${f#"$WWW"/}"; done <<<"$found"
fi
echo "leaking files: $(printf '%s' "$found" | grep -c . || true)"

if [ "$leaks" -ne 0 ]; then
  echo "FAIL: a page or field the openbaar profile leaves out can be read on the web root" >&2
  exit 1
fi
echo "privacy gate passed"
