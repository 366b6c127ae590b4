#!/usr/bin/env python3
"""Benchmark the HTML page: file size and time until drawn and interactive in headless Chromium.

    python benchmarks/html_bench.py [--sizes 1000 10000] [--make-corpus ../shared/bench/make_corpus.py]

Generates corpora with the shared generator, builds each, writes graph.html, opens it in
Debian's Chromium through Playwright (no browser download) and prints one row per size.
Figures, not assertions: run it on the machine you care about.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import comment_graph
from comment_graph.export.html import write_html


def page_times(path: Path, chromium: str) -> tuple[float, float]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        start = time.perf_counter()
        page.goto(path.as_uri())
        while not page.evaluate("() => Boolean(window.commentGraph && window.commentGraph.ready)"):
            page.wait_for_timeout(20)
        drawn = time.perf_counter() - start
        page.fill("#search", "reward")  # interactive: a search answers
        page.wait_for_timeout(1)
        interactive = time.perf_counter() - start
        browser.close()
    return drawn, interactive


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--make-corpus", default=str(Path(__file__).resolve().parents[2] / "shared/bench/make_corpus.py"))
    args = ap.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("error: needs Debian's chromium (apt-get install chromium)", file=sys.stderr)
        return 1
    print(f"{'comments':>9} {'nodes':>7} {'build s':>8} {'html s':>7} {'MB':>6} {'drawn s':>8} {'interactive s':>14}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            corpus = Path(tmp) / f"c{n}.jsonl"
            with corpus.open("w") as f:
                subprocess.run([sys.executable, args.make_corpus, "--comments", str(n)], stdout=f, check=True)
            t0 = time.perf_counter()
            kg = comment_graph.build(corpus)
            t1 = time.perf_counter()
            html = write_html(kg, Path(tmp) / f"g{n}.html")
            t2 = time.perf_counter()
            drawn, interactive = page_times(html, chromium)
            nodes = len(kg.comments) + len(kg.entities)
            print(f"{n:>9} {nodes:>7} {t1 - t0:>8.1f} {t2 - t1:>7.1f} {html.stat().st_size / 1e6:>6.1f} "
                  f"{drawn:>8.2f} {interactive:>14.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
