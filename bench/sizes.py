#!/usr/bin/env python3
"""The size of a built site by kind of file, and its largest HTML pages.

    bench/sizes.py OUTPUT-FOLDER [--limit 200000] [--check]

Kinds: the content pages (letters, opgaven, other pages), the list pages (section lists and
their later pages, tags, gemeenten, the home page), the search index by part, the metadata
(every metadata.json; index.json with its parts under index/), the single-file renditions,
feeds and the rest. Then the number of HTML pages over
--limit bytes with the largest ones, and the largest list page: a list page over the limit
is a list that does not scale.
"""

import argparse
import os
import sys
from pathlib import Path

LIST_NAMES = ("index.html",)


def kind(rel, content_pages):
    parts = rel.split("/")
    if rel.startswith("zoeken/"):
        return "search " + (parts[1] if len(parts) > 2 else "page and start (index.js)")
    if rel.endswith("metadata.json"):
        return "metadata (json)"
    if rel == "index.json" or (rel.startswith("index/") and rel.endswith(".json")):
        return "metadata index (index.json, index/)"
    if is_single_file(rel):
        return "single files (html)"
    if rel.endswith(".xml") or rel == "robots.txt":
        return "feeds, sitemap"
    if rel.endswith(".html"):
        if rel in content_pages:
            return "content pages (html)"
        return "list and fixed pages (html)"
    return "other (css, js, attachments)"


def is_single_file(rel):
    """The single-file rendition of a letter or opgave: `brieven/x/x.html`."""
    parts = rel.split("/")
    return len(parts) >= 2 and parts[-1] == parts[-2] + ".html"


def content_pages(out):
    """Pages of letters, opgaven and other pages: `<section>/<slug>/index.html` beside a
    metadata.json, or any `<section>/<slug>/index.html` outside the generated lists."""
    pages = set()
    for meta in out.glob("*/*/metadata.json"):
        pages.add(str(meta.parent.relative_to(out) / "index.html"))
    for page in out.glob("*/*/index.html"):
        rel = str(page.relative_to(out))
        if rel.split("/")[0] not in ("gemeenten", "tags", "zoeken", "archief", "toegankelijkheid", "begrippen"):
            pages.add(rel)
    return pages


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--limit", type=int, default=200_000)
    ap.add_argument("--check", action="store_true",
                    help="exit 1 when a list page (or the home page) is over --limit")
    a = ap.parse_args()
    out = Path(a.out)
    if not out.is_dir():
        sys.exit(f"{out} is not a folder")
    pages = content_pages(out)
    sizes, counts, html = {}, {}, []
    for root, _, files in os.walk(out):
        for f in files:
            p = Path(root) / f
            rel = str(p.relative_to(out))
            n = p.stat().st_size
            k = kind(rel, pages)
            sizes[k] = sizes.get(k, 0) + n
            counts[k] = counts.get(k, 0) + 1
            if rel.endswith(".html"):
                # A single file is a rendition of its page, not a list.
                html.append((n, rel, rel in pages or is_single_file(rel)))
    total = sum(sizes.values())
    print(f"output {out}: {sum(counts.values())} files, {total / 1e6:.1f} MB")
    for k in sorted(sizes, key=sizes.get, reverse=True):
        print(f"  {k:34} {counts[k]:8} files {sizes[k] / 1e6:10.1f} MB")
    html.sort(reverse=True)
    over = [h for h in html if h[0] > a.limit]
    lists = [h for h in html if not h[2]]
    print(f"HTML pages over {a.limit // 1000} kB: {len(over)} "
          f"({sum(1 for h in over if not h[2])} of them list pages)")
    for n, rel, _ in over[:5]:
        print(f"  {n / 1e3:8.0f} kB  {rel}")
    if lists:
        n, rel, _ = lists[0]
        print(f"largest list page: {rel}, {n / 1e3:.0f} kB; home page "
              f"{(out / 'index.html').stat().st_size / 1e3:.0f} kB")
        if a.check and n > a.limit:
            sys.exit(f"list page {rel} is {n} bytes, over {a.limit}")


if __name__ == "__main__":
    main()
