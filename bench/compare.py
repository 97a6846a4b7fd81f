#!/usr/bin/env python3
"""Build-speed comparison of raadsite against Hugo and Zola on the same documents.

Generates corpora with ../shared/bench/gen_corpus.py (raad, zola and hugo dialects of the
same documents), builds each with every available tool in alternating order, and prints the
median wall time, CPU time (user + system) and peak memory (/usr/bin/time -v), and raadsite's
ratio against each peer. Then, on the disk (not tmpfs): a full build against a rebuild without
changes, and the time from editing one letter to `raadsite serve` serving the new page.

    bench/compare.py [--pages 1000,10000] [--runs 5] [--smoke] [--baseline OLD-RAADSITE]
                     [--peers zola,hugo] [--tmpfs-only]

After each full-build comparison, raadsite's output is described by kind of file, with its
largest HTML pages (bench/sizes.py). --peers names the peers to run (at 100,000 pages Hugo
takes long; `--peers zola`), --tmpfs-only leaves out the runs on disk and under `serve`.
Corpora and outputs go to /dev/shm/raadsite-bench, or BENCH_SHM.

--baseline measures an earlier raadsite binary in the same run, alternating with this one,
for before/after figures within one machine state. An older raadsite may need the theme on
disk: with --baseline the raad corpora carry a copy of themes/, which both binaries read.

Tools: raadsite from target/release (built if missing), or the binary RAADSITE names (--pdf
needs one with the feature `pdf`, as the default build has); `hugo` and `zola` from PATH or
the HUGO / ZOLA environment variables; a missing peer is reported and skipped.

With --pdf the serve benchmark also times the edit to the page linking its new PDF: the
page is served first saying "PDF wordt gemaakt", and again when a second build has typeset
the PDF.
"""

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GEN = REPO.parent / "shared" / "bench" / "gen_corpus.py"
SHM = Path(os.environ.get("BENCH_SHM", "/dev/shm/raadsite-bench"))
DISK = Path(os.environ.get("BENCH_DISK", "/var/tmp/raadsite-bench"))
# Set by --baseline: the raad corpora carry a copy of the repository's themes/.
THEME_COPY = False
# Set by --pdf: raadsite makes its PDF/A renditions too (the peers make none, so by default
# the raad corpora say `[pdf] enabled = false` and every tool does the same work).
PDF = False
RAAD = ("raadsite", "raadsite-before")


def corpus(pages, dialect, base):
    out = base / f"{dialect}-{pages}"
    if not (out / "content").is_dir():
        if out.exists():
            shutil.rmtree(out)
        subprocess.run(
            [sys.executable, str(GEN), "--pages", str(pages), "--out", str(out),
             "--dialect", dialect],
            check=True, stdout=subprocess.DEVNULL)
    # The raad corpus builds with the theme built into raadsite. A themes/ folder that an
    # earlier version of this script copied in would override it, perhaps with old files;
    # a baseline binary from before the built-in theme gets a fresh copy.
    if dialect == "raad" and (out / "themes").exists():
        shutil.rmtree(out / "themes")
    if dialect == "raad" and THEME_COPY:
        shutil.copytree(REPO / "themes", out / "themes")
    if dialect == "raad":
        pdf_setting(out / "site.toml")
    return out


def pdf_setting(toml):
    """Writes --pdf's choice into a raad corpus's site.toml as its last table."""
    text = toml.read_text()
    text = text.split("\n[pdf]\n")[0].rstrip("\n") + "\n"
    toml.write_text(text + f"\n[pdf]\nenabled = {'true' if PDF else 'false'}\n")


def tools(peers):
    found = {}
    if os.environ.get("RAADSITE"):
        found["raadsite"] = os.environ["RAADSITE"]
    else:
        exe = REPO / "target" / "release" / "raadsite"
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
        found["raadsite"] = str(exe)
    for name in peers:
        path = os.environ.get(name.upper()) or shutil.which(name)
        if path:
            found[name] = path
        else:
            print(f"note: {name} not found; skipped (set {name.upper()}=path)")
    return found


def command(tool, exe, src, out):
    if tool in RAAD:
        return [exe, "build", "--root", str(src), "--output", str(out)]
    if tool == "hugo":
        return [exe, "--source", str(src), "--destination", str(out), "--quiet"]
    return [exe, "--root", str(src), "build", "--output-dir", str(out), "--force"]


def clear(out):
    """Removes an output folder and raadsite's private work folder beside it (the back buffer
    and the build stamp), and what older versions kept there instead."""
    for p in [out, out.parent / f".{out.name}.raadsite", out.parent / f".{out.name}.prev"]:
        if p.exists():
            shutil.rmtree(p)
    (out.parent / f".{out.name}.stamp").unlink(missing_ok=True)


def timed(cmd):
    """Runs cmd under /usr/bin/time -v: (wall s, cpu s, peak MiB)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        start = time.perf_counter()
        r = subprocess.run(["/usr/bin/time", "-v", "-o", t.name] + cmd,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - start
        if r.returncode != 0:
            raise SystemExit(f"failed: {' '.join(cmd)}\n{r.stderr[-2000:]}")
        text = t.read()
    num = lambda key: float(re.search(rf"{key}: ([\d.]+)", text).group(1))
    cpu = num(r"User time \(seconds\)") + num(r"System time \(seconds\)")
    return wall, cpu, num(r"Maximum resident set size \(kbytes\)") / 1024


def median_runs(samples):
    return tuple(statistics.median(s[i] for s in samples) for i in range(3))


def spread(samples, i):
    vals = sorted(s[i] for s in samples)
    return f"{vals[0]:.2f}-{vals[-1]:.2f}"


def compare(pages, runs, found):
    print(f"\n== full build, {pages} pages, output on tmpfs, median of {runs} alternating runs")
    srcs = {t: corpus(pages, "raad" if t in RAAD else t, SHM) for t in found}
    outs = {t: SHM / f"out-{t}-{pages}" for t in found}
    samples = {t: [] for t in found}
    for _ in range(runs):
        for t, exe in found.items():
            clear(outs[t])
            samples[t].append(timed(command(t, exe, srcs[t], outs[t])))
    med = {t: median_runs(s) for t, s in samples.items()}
    print(f"{'tool':10} {'wall s':>8} {'cpu s':>8} {'peak MiB':>9}   wall range   cpu range")
    for t in found:
        w, c, m = med[t]
        print(f"{t:10} {w:8.2f} {c:8.2f} {m:9.0f}   {spread(samples[t], 0):11}  "
              f"{spread(samples[t], 1)}")
    for peer in [t for t in found if t != "raadsite"]:
        r = [med["raadsite"][i] / med[peer][i] for i in range(3)]
        print(f"raadsite / {peer}: wall {r[0]:.2f}x  cpu {r[1]:.2f}x  memory {r[2]:.2f}x")
    peers = [t for t in found if t not in RAAD]
    if peers:
        fast_w = min(med[p][0] for p in peers)
        fast_c = min(med[p][1] for p in peers)
        small_m = min(med[p][2] for p in peers)
        r = med["raadsite"]
        print(f"against the best peer (target 0.25x): wall {r[0] / fast_w:.2f}x, "
              f"cpu {r[1] / fast_c:.2f}x, memory {r[2] / small_m:.2f}x")
    # What the last raadsite run wrote, by kind of file.
    subprocess.run([sys.executable, str(REPO / "bench" / "sizes.py"), str(outs["raadsite"])],
                   check=True)


def disk_rebuild(pages, runs, exe, name="raadsite"):
    print(f"\n== {name} on disk ({DISK}), {pages} pages: full build vs rebuild without changes")
    src = corpus(pages, "raad", SHM)
    out = DISK / f"out-{pages}"
    DISK.mkdir(parents=True, exist_ok=True)
    # raadsite trusts no input modified in the last 2 s (it could change again unseen within
    # one timestamp tick) and then builds in full; a corpus generated just now must age.
    time.sleep(2.1)
    full, again, forced = [], [], []
    for _ in range(runs):
        clear(out)
        full.append(timed(command("raadsite", exe, src, out)))
        again.append(timed(command("raadsite", exe, src, out)))
        # Renders and compares everything, writes nothing (the first fills the back buffer).
        forced.append(timed(command("raadsite", exe, src, out) + ["--force"]))
    f, a, r = median_runs(full), median_runs(again), median_runs(forced)
    print(f"full build       wall {f[0]:.2f} s  cpu {f[1]:.2f} s  ({spread(full, 0)})")
    print(f"no-change build  wall {a[0]:.2f} s  cpu {a[1]:.2f} s  ({spread(again, 0)})")
    print(f"forced no-change wall {r[0]:.2f} s  cpu {r[1]:.2f} s  ({spread(forced, 0)})")
    print(f"no-change / full: {a[0] / f[0]:.2f}x wall (target at most 0.2x); "
          f"forced: {r[0] / f[0]:.2f}x")


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.read().decode()


def serve_latency(pages, runs, exe, name="raadsite"):
    print(f"\n== {name} serve on disk, {pages} pages: edit one letter -> new page served")
    src = DISK / f"serve-{pages}"
    if src.exists():
        shutil.rmtree(src)
    shutil.copytree(corpus(pages, "raad", SHM), src)
    letters = sorted((src / "content" / "brieven").glob("2*.md"))
    # The newest letter, so that the first page of the (paged) letter list shows it.
    letter = letters[-1]
    slug = re.sub(r"^\d{4}-\d{2}-\d{2}-", "", letter.stem)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([exe, "serve", "--root", str(src), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    try:
        for line in proc.stdout:
            if line.startswith("Serving"):
                break
        # Every line after, as it comes (an edit with PDFs makes two builds).
        threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True).start()
        base = f"http://127.0.0.1:{port}"
        page = f"{base}/brieven/{slug}/"
        original = letter.read_text()
        title = re.search(r'^title = "(.*)"$', original, re.M).group(1)
        fetch(page)

        def as_browser(token):
            # What an open tab does: its live-reload request returns when a build is done,
            # then it loads the page again. With PDFs, it then waits for the page to link
            # the new PDF too (the second build's reload).
            generation = int(re.search(r"var g\s*=\s*(\d+)", fetch(page)).group(1))
            start = time.perf_counter()
            letter.write_text(original.replace(f'title = "{title}"', f'title = "{token}"', 1))
            served = None
            while True:
                state = json.loads(fetch(f"{base}/__raadsite/wacht?sinds={generation}"))
                generation = state["generatie"]
                body = fetch(page) if state["fout"] is None else ""
                if token in body and served is None:
                    served = time.perf_counter() - start
                if served is not None and (not PDF or "Download als PDF" in body):
                    with_pdf.append(time.perf_counter() - start)
                    return served

        def polling(token):
            # Asking for the page every 2 ms: the requests compete with the build for the CPU.
            start = time.perf_counter()
            letter.write_text(original.replace(f'title = "{title}"', f'title = "{token}"', 1))
            while token not in fetch(page):
                time.sleep(0.002)
            return time.perf_counter() - start

        lat = {as_browser: [], polling: []}
        with_pdf = []
        for i in range(2 * runs):
            how = as_browser if i % 2 == 0 else polling
            token = f"Herzien {i} {time.time_ns()}"
            lat[how].append(how(token))
            assert token in fetch(f"{base}/brieven/"), "the list was not updated"
            time.sleep(0.3)
        letter.write_text(original)
        for how, label in [(as_browser, "reloaded tab, as a browser"),
                           (polling, "polling every 2 ms")]:
            ms = [x * 1000 for x in lat[how]]
            print(f"edit to served ({label}): median {statistics.median(ms):.0f} ms "
                  f"(range {min(ms):.0f}-{max(ms):.0f} ms, target under 200 ms)")
        if PDF and with_pdf:
            ms = [x * 1000 for x in with_pdf]
            print(f"edit to the page linking its new PDF (reloaded tab): median "
                  f"{statistics.median(ms):.0f} ms (range {min(ms):.0f}-{max(ms):.0f} ms)")
        time.sleep(0.5)
        built = [re.search(r"\((\d+) files changed\) in (\d+) ms", l) for l in lines]
        built = [(int(m.group(1)), int(m.group(2))) for m in built if m]
        if built:
            print(f"builds after the edits (files written, ms since the change): {built}")
    finally:
        proc.kill()
        proc.wait()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", default="1000,10000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--smoke", action="store_true", help="200 pages, one run: checks the script")
    ap.add_argument("--baseline", metavar="EXE", help="an earlier raadsite, measured alongside")
    ap.add_argument("--peers", default="zola,hugo", help="peers to run, comma-separated")
    ap.add_argument("--tmpfs-only", action="store_true", help="no runs on disk or under serve")
    ap.add_argument("--pdf", action="store_true",
                    help="raadsite makes its PDFs too (the peers make none)")
    a = ap.parse_args()
    global PDF
    PDF = a.pdf
    sizes = [200] if a.smoke else [int(p) for p in a.pages.split(",")]
    runs = 1 if a.smoke else a.runs
    found = tools([p for p in a.peers.split(",") if p])
    if a.baseline:
        global THEME_COPY
        THEME_COPY = True
        found = {"raadsite-before": str(Path(a.baseline).resolve()), **found}
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f} at start")
    for n in sizes:
        compare(n, runs, found)
    raad = [] if a.tmpfs_only else [t for t in RAAD[::-1] if t in found]
    for t in raad:
        disk_rebuild(sizes[-1], runs, found[t], t)
    for t in raad:
        serve_latency(sizes[-1], runs, found[t], t)
    print(f"\nload {os.getloadavg()[0]:.1f} at the end (2 cores: above 2 means the figures are noisy)")


if __name__ == "__main__":
    main()
