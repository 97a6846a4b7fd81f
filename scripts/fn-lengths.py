#!/usr/bin/env python3
"""Functions in src/ longer than a limit, held to a ratchet.

A function's length is the number of lines from its `fn` line to its closing brace, doc
comments excluded. Comments, string literals (raw ones too) and character literals are
skipped when braces are matched, so a `{` in a format string does not count. Functions
longer than LIMIT must be listed in .ci/long-functions.txt with the reason they stay long;
the check fails when another one appears, and asks for the list to be shortened when a
listed function got shorter than the limit or is gone.

    scripts/fn-lengths.py            check against the list
    scripts/fn-lengths.py --all N    print every function of N lines or more
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
KNOWN = ROOT / ".ci" / "long-functions.txt"
LIMIT = 80


def code_mask(text):
    """`text` with comments, strings and character literals replaced by spaces (newlines
    kept), so that the braces left are the code's."""
    out = list(text)
    i, n = 0, len(text)

    def blank(a, b):
        for k in range(a, b):
            if out[k] != "\n":
                out[k] = " "

    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            blank(i, j)
            i = j
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            blank(i, j)
            i = j
        elif m := re.compile(r'b?r(#*)"').match(text, i):
            if i and (text[i - 1].isalnum() or text[i - 1] == "_"):
                i += 1
                continue
            end = '"' + m.group(1)
            j = text.find(end, m.end())
            j = n if j < 0 else j + len(end)
            blank(i, j)
            i = j
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            blank(i, j + 1)
            i = j + 1
        elif c == "'":
            # A character literal ('x', '\n', '\u{..}', '{') or a lifetime ('a).
            m = re.compile(r"'(\\(u\{[0-9a-fA-F]+\}|x[0-9a-fA-F]{2}|.)|[^\\'])'").match(text, i)
            if m:
                blank(i, m.end())
                i = m.end()
            else:
                i += 1
        else:
            i += 1
    return "".join(out)


FN = re.compile(r"\bfn\s+(\w+)")


def functions(path):
    """(name, first line, length) of every function with a body in `path`."""
    code = code_mask(path.read_text())
    line_of = [0]
    for k, ch in enumerate(code):
        if ch == "\n":
            line_of.append(k + 1)

    def line(pos):
        lo, hi = 0, len(line_of) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if line_of[mid] <= pos:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1

    found = []
    for m in FN.finditer(code):
        j = m.end()
        # The body starts at the first `{` outside the signature's brackets; a `;` first
        # means a declaration without a body.
        depth = 0
        while j < len(code):
            ch = code[j]
            if ch in "(<[":
                depth += 1
            elif ch in ")>]":
                depth -= 1
            elif ch == ";" and depth <= 0:
                j = -1
                break
            elif ch == "{" and depth <= 0:
                break
            j += 1
        if j < 0 or j >= len(code):
            continue
        depth, k = 0, j
        while k < len(code):
            if code[k] == "{":
                depth += 1
            elif code[k] == "}":
                depth -= 1
                if depth == 0:
                    break
            k += 1
        first, last = line(m.start()), line(k)
        found.append((m.group(1), first, last - first + 1))
    return found


def long_functions(limit):
    rows = []
    for path in sorted(SRC.rglob("*.rs")):
        rel = path.relative_to(ROOT).as_posix()
        for name, first, length in functions(path):
            if length >= limit:
                rows.append((rel, name, first, length))
    return rows


def known():
    """Listed functions: `path name` per line, with a reason after ` -- `."""
    if not KNOWN.exists():
        return set()
    entries = set()
    for raw in KNOWN.read_text().splitlines():
        line = raw.split(" -- ")[0].strip()
        if line and not line.startswith("#"):
            path, name = line.split()
            entries.add((path, name))
    return entries


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--all":
        for rel, name, first, length in sorted(long_functions(int(sys.argv[2])), key=lambda r: -r[3]):
            print(f"{length:4} {rel}:{first} {name}")
        return 0
    over = long_functions(LIMIT + 1)
    listed = known()
    new = [r for r in over if (r[0], r[1]) not in listed]
    gone = listed - {(r[0], r[1]) for r in over}
    for rel, name, first, length in over:
        mark = "" if (rel, name) in listed else "  (not listed)"
        print(f"{length:4} {rel}:{first} {name}{mark}")
    print(f"{len(over)} functions over {LIMIT} lines ({len(listed)} listed)")
    if gone:
        print(f"no longer over {LIMIT} lines, remove from {KNOWN.relative_to(ROOT)}:")
        for rel, name in sorted(gone):
            print(f"  {rel} {name}")
    if new:
        print(f"split these, or list them in {KNOWN.relative_to(ROOT)} with the reason")
    return 1 if new or gone else 0


if __name__ == "__main__":
    sys.exit(main())
