#!/usr/bin/env python3
"""Import cycles between raadsite's top-level modules, held to a ratchet.

Reads every `crate::...` path in src/ (also inside `use crate::{a, b::c}` groups), builds
the graph of top-level modules (`render/cache.rs` counts as `render`; names that lib.rs
defines or re-exports count as `lib`, and lib.rs's own `module::` paths are its edges), and
finds its strongly connected components. An
edge inside a component is part of a cycle. The known cyclic edges are listed in
.ci/module-cycles.txt; the check fails when a new one appears, and asks for the list to
be shortened when one has gone, so that cycles can only disappear.

    scripts/module-cycles.py            check against the list
    scripts/module-cycles.py --write    rewrite the list from the code
"""

import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
KNOWN = ROOT / ".ci" / "module-cycles.txt"


def top_modules():
    mods = set()
    for p in SRC.iterdir():
        if p.suffix == ".rs" and p.stem not in ("lib", "main"):
            mods.add(p.stem)
        elif p.is_dir():
            mods.add(p.name)
    return mods


def module_of(path):
    rel = path.relative_to(SRC)
    name = rel.parts[0]
    return Path(name).stem if len(rel.parts) == 1 else name


def crate_paths(text):
    """The first segment of every crate:: path, group imports included."""
    text = re.sub(r"//[^\n]*", "", text)
    names = []
    for m in re.finditer(r"crate::(\{[^}]*(?:\{[^}]*\}[^}]*)*\}|\w+)", text):
        body = m.group(1)
        if body.startswith("{"):
            depth, item = 0, ""
            for ch in body[1:-1] + ",":
                if ch == "{":
                    depth += 1
                elif ch == "}":
                    depth -= 1
                if ch == "," and depth == 0:
                    names.append(item.strip().split("::")[0])
                    item = ""
                else:
                    item += ch
        else:
            names.append(body)
    return [n for n in names if n]


def graph():
    mods = top_modules()
    edges = defaultdict(set)
    for path in SRC.rglob("*.rs"):
        src = module_of(path)
        if src == "main":
            continue
        text = path.read_text()
        if src == "lib":
            # The crate root names its modules without `crate::`.
            code = re.sub(r"//[^\n]*", "", text)
            edges["lib"] |= {m for m in mods if re.search(rf"\b{m}::", code)}
        for name in crate_paths(text):
            dst = name if name in mods else "lib"
            if dst != src:
                edges[src].add(dst)
    return edges


def components(edges):
    """Tarjan's strongly connected components."""
    index, low, stack, on, out = {}, {}, [], set(), []
    nodes = set(edges) | {d for ds in edges.values() for d in ds}

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on.discard(w)
                comp.add(w)
                if w == v:
                    break
            out.append(comp)

    sys.setrecursionlimit(10000)
    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return [c for c in out if len(c) > 1]


def main():
    edges = graph()
    comps = components(edges)
    cyclic = sorted(
        f"{a} -> {b}"
        for comp in comps
        for a in comp
        for b in edges.get(a, ())
        if b in comp
    )
    if "--write" in sys.argv:
        KNOWN.write_text(
            "# Import edges between top-level modules that lie on a cycle; written by\n"
            "# scripts/module-cycles.py --write. This list may only shrink.\n"
            + "".join(f"{e}\n" for e in cyclic)
        )
        print(f"wrote {len(cyclic)} cyclic edges to {KNOWN.relative_to(ROOT)}")
        return 0
    known = {
        line.strip()
        for line in KNOWN.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    new = [e for e in cyclic if e not in known]
    gone = sorted(known - set(cyclic))
    for comp in comps:
        print(f"cycle among: {', '.join(sorted(comp))}")
    print(f"{len(cyclic)} import edges lie on cycles ({len(known)} known)")
    if new:
        print("new import edges on a cycle (make the arrow run one way):")
        for e in new:
            print(f"  {e}")
    if gone:
        print("no longer on a cycle, remove from .ci/module-cycles.txt (--write):")
        for e in gone:
            print(f"  {e}")
    return 1 if new or gone else 0


if __name__ == "__main__":
    sys.exit(main())
