#!/usr/bin/env python3
"""Reads a digest e-mail of `raadsite mail` with Python's email package (default policy) and
checks it as a mail program would see it.

    mail_check.py FILE.eml --site OUTPUT_DIR --base URL [--want TITLE]... [--not TITLE]...
                  [--html-out FILE]

Fails (exit 1) on any defect the parser reports, on a part that is missing or of the wrong
type, on a line of the text part over 78 characters, on a wanted title missing from either
part or an unwanted one present, on a link in either part that is not under URL or does not
lead to a page of the built site in OUTPUT_DIR, and on anything in the HTML part a mail
program would fetch or run. Writes the HTML part to --html-out for the browser check.
"""

import argparse
import email
import email.policy
import html.parser
import os
import re
import sys
from urllib.parse import unquote, urlsplit


class Links(html.parser.HTMLParser):
    """Collects href/src values and the tags used."""

    def __init__(self):
        super().__init__()
        self.hrefs, self.srcs, self.tags = [], [], set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for k, v in attrs:
            if k == "href":
                self.hrefs.append(v)
            if k in ("src", "srcset", "background", "poster"):
                self.srcs.append(v)


def fail(msg):
    print(f"mail_check: {msg}", file=sys.stderr)
    sys.exit(1)


def page_exists(site, base, url):
    if not url.startswith(base):
        return False
    rel = unquote(urlsplit(url[len(base):]).path)
    path = os.path.join(site, rel)
    if rel == "" or rel.endswith("/"):
        path = os.path.join(path, "index.html")
    return os.path.isfile(path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("eml")
    ap.add_argument("--site", required=True)
    ap.add_argument("--base", required=True)
    ap.add_argument("--want", action="append", default=[])
    ap.add_argument("--not", dest="unwanted", action="append", default=[])
    ap.add_argument("--html-out")
    ap.add_argument("--to", type=int, help="the number of addresses To: must hold")
    a = ap.parse_args()

    with open(a.eml, "rb") as f:
        raw = f.read()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    if msg.defects:
        fail(f"message defects: {msg.defects}")
    for line in raw.split(b"\r\n"):
        if len(line) > 78 or b"\n" in line:
            fail(f"raw line over 78 characters or without CRLF: {line[:90]!r}")
    if msg.get_content_type() != "multipart/alternative":
        fail(f"content type {msg.get_content_type()}")
    if msg["X-Unsent"] != "1":
        fail("no X-Unsent: 1")
    for h in ("Date", "Subject", "Message-ID", "MIME-Version"):
        if msg[h] is None:
            fail(f"no {h} header")
    if a.to is not None:
        to = msg["To"].addresses if msg["To"] else ()
        if len(to) != a.to or any("@" not in str(x) for x in to):
            fail(f"To: holds {len(to)} addresses, not {a.to}: {to}")
        if msg["From"] is None or len(msg["From"].addresses) != 1:
            fail(f"From: {msg['From']!r}")
    parts = list(msg.iter_parts())
    types = [p.get_content_type() for p in parts]
    if types != ["text/plain", "text/html"]:
        fail(f"parts {types}")
    for p in parts:
        if p.defects:
            fail(f"{p.get_content_type()} defects: {p.defects}")
        if p.get_content_charset() != "utf-8":
            fail(f"{p.get_content_type()} charset {p.get_content_charset()}")
    text, body = parts[0].get_content(), parts[1].get_content()

    for n, line in enumerate(text.splitlines(), 1):
        if len(line) > 78:
            fail(f"text part line {n} has {len(line)} characters: {line!r}")
    for t in a.want:
        if t not in text:
            fail(f"text part lacks {t!r}")
        if t not in html_text(body):
            fail(f"HTML part lacks {t!r}")
    for t in a.unwanted:
        if t in text or t in html_text(body):
            fail(f"{t!r} should not be in the digest")

    links = Links()
    links.feed(body)
    for tag in ("script", "link", "img", "style", "iframe", "object", "form"):
        if tag in links.tags:
            fail(f"HTML part has <{tag}>")
    if links.srcs:
        fail(f"HTML part fetches {links.srcs}")
    text_links = re.findall(r"https?://\S+", text)
    for url in links.hrefs + text_links:
        if not page_exists(a.site, a.base, url):
            fail(f"link {url} does not lead to a page of the site")
    if a.html_out:
        with open(a.html_out, "w", encoding="utf-8") as f:
            f.write(body)
    print(
        f"mail_check: {a.eml}: no defects; subject {msg['Subject']!r}; "
        f"{len(text.splitlines())} text lines (longest {max(map(len, text.splitlines()))}); "
        f"{len(body.encode())} bytes of HTML; {len(links.hrefs)} + {len(text_links)} links ok"
    )


def html_text(body):
    """The HTML part's text with tags removed and entities decoded."""
    import html as h

    return h.unescape(re.sub(r"<[^>]+>", "", body))


if __name__ == "__main__":
    main()
