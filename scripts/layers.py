#!/usr/bin/env python3
"""The layers of raadsite's modules: imports between top-level modules run one way only.

Reads every `crate::...` path in src/ (also inside `use crate::{a, b::c}` groups), builds
the graph of top-level modules (`render/cache.rs` counts as `render`; names that lib.rs
defines or re-exports count as `lib`, and lib.rs's own `module::` paths are its edges),
and checks it against LAYERS below, lowest first: a module may import from its own layer
or a lower one, never a higher one, and no import cycle may exist (not even inside a
layer). A new top-level module must be given a layer here; ARCHITECTURE.md shows the same
table.

    scripts/layers.py          check
    scripts/layers.py --graph  print every module's imports
"""

import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"

LAYERS = [
    # Leaves: used everywhere, import only each other.
    ("leaves", "diagnostics dates slug links mime json sanitize digest escape paths paging profile "
               "artifact progress "
               "tomlspan tomlerr fsutil forward"),
    ("config", "config"),
    ("content", "glossary content"),
    ("site", "site"),
    ("views and Markdown", "markdown views"),
    ("generators and output", "feeds metadata search output onefile pdf"),
    ("render and the snapshot store", "render snapshot"),
    ("orchestrator", "pipeline"),
    ("around the build", "stamp freeze serve init new import fuzzing mail"),
    ("library root and command line", "lib snapshot_cli"),
]


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
    layer = {m: i for i, (_, mods) in enumerate(LAYERS) for m in mods.split()}
    if "--graph" in sys.argv:
        for m in sorted(edges, key=lambda m: (layer.get(m, -1), m)):
            print(f"{m} -> {' '.join(sorted(edges[m]))}")
        return 0
    problems = []
    for m in sorted(top_modules() | {"lib"}):
        if m not in layer:
            problems.append(f"{m}: not in any layer of scripts/layers.py")
    for a in sorted(edges):
        for b in sorted(edges[a]):
            if a in layer and b in layer and layer[b] > layer[a]:
                problems.append(
                    f"{a} -> {b}: {LAYERS[layer[a]][0]} imports from {LAYERS[layer[b]][0]}, "
                    "a higher layer"
                )
    for comp in components(edges):
        problems.append(f"import cycle among: {', '.join(sorted(comp))}")
    for p in problems:
        print(p)
    n = sum(len(v) for v in edges.values())
    print(f"{len(layer)} modules in {len(LAYERS)} layers, {n} imports, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
