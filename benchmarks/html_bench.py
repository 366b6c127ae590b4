#!/usr/bin/env python3
"""Benchmark the HTML page: size, first draw, readable labels, focus, panning, long tasks and search.

    python benchmarks/html_bench.py [--sizes 1000 10000] [--make-corpus ../shared/bench/make_corpus.py] [--search WORD]
    python benchmarks/html_bench.py --html graph.html [other.html ...]   # measure pages already written

Generates corpora with the shared generator, builds each, writes graph.html (or takes the pages
given with --html), opens it in Debian's Chromium through Playwright (no browser download) at
1400x900 and prints one block per page with the figures of issue #22 beside their targets.
Figures, not assertions: run it on the machine you care about. A figure the page cannot give
(its window.commentGraph lacks firstDrawMs, focusEntity or isDimmed) is printed as n/a.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KINDS = ["comment", "person", "organization", "concept", "work"]
VIEWPORT = {"width": 1400, "height": 900}
READY_TIMEOUT_S = 180
WAIT_MS = 10000  # in-page waits for a draw or a search result give up after this

# Registered before the page's own scripts (the context bypasses the page's CSP for it).
LONG_TASKS_INIT = """(() => {
  const tasks = [];
  window.__htmlBench = {tasks: tasks, observer: null, error: null};
  try {
    const obs = new PerformanceObserver((list) => { list.getEntries().forEach((e) => tasks.push([e.startTime, e.duration])); });
    obs.observe({type: "longtask", buffered: true});
    window.__htmlBench.observer = obs;
  } catch (e) { window.__htmlBench.error = String(e); }
})();"""

LONG_TASKS = """() => {
  const b = window.__htmlBench;
  if (!b || !b.observer) return null;
  b.observer.takeRecords().forEach((e) => b.tasks.push([e.startTime, e.duration]));
  return b.tasks;
}"""

PAGE_INFO = """() => {
  const cg = window.commentGraph, d = cg.data || {};
  const ents = Object.keys(d.info || {}).filter((id) => d.info[id].kind !== "comment")
    .map((id) => ({id: id, label: d.info[id].label, kind: d.info[id].kind, comments: d.info[id].comments || 0}))
    .sort((a, b) => b.comments - a.comments);
  return {
    now: performance.now(),
    firstDrawMs: typeof cg.firstDrawMs === "number" ? cg.firstDrawMs : null,
    focusEntity: typeof cg.focusEntity === "function",
    isDimmed: typeof cg.isDimmed === "function",
    nodes: Array.isArray(d.nodes) ? d.nodes.length : null,
    comments: d.summary && typeof d.summary.comments === "number" ? d.summary.comments : null,
    note: typeof d.note === "string" ? d.note : null,
    top: ents.length ? ents[0] : null,
    mid: ents.length ? ents[Math.floor(ents.length / 2)] : null,
  };
}"""

# Labels readable on screen: node inside the canvas, font size x scale >= 11 px, label non-empty, not dimmed.
VIEW_FIGURES = """() => {
  const cg = window.commentGraph, net = cg.network, info = (cg.data && cg.data.info) || {};
  const canvas = (net.canvas && net.canvas.frame && net.canvas.frame.canvas) || document.querySelector("#graph canvas");
  const w = canvas.clientWidth, h = canvas.clientHeight, scale = net.getScale();
  const dimmed = typeof cg.isDimmed === "function" ? (id) => Boolean(cg.isDimmed(id)) : () => false;
  const ids = net.body.data.nodes.getIds(), pos = net.getPositions(ids), inside = new Set();
  const r = {scale: scale, nodes: ids.length, onScreen: 0, dimmed: 0, readable: 0, readableComments: 0, edges: 0, edgesTotal: 0};
  ids.forEach((id) => {
    const node = net.body.nodes[id], p = pos[id];
    if (!node || !p || node.options.hidden) return;
    const at = net.canvasToDOM(p);
    if (at.x < 0 || at.y < 0 || at.x > w || at.y > h) return;
    inside.add(id); r.onScreen++;
    if (dimmed(id)) { r.dimmed++; return; }
    const size = node.options.font && node.options.font.size, label = node.options.label;
    if (typeof size !== "number" || size * scale < 11 || label === undefined || label === null || String(label).trim() === "") return;
    if (info[id] && info[id].kind === "comment") r.readableComments++; else r.readable++;
  });
  net.body.data.edges.getIds().forEach((id) => {
    const e = net.body.edges[id];
    if (!e || e.options.hidden) return;
    r.edgesTotal++;
    if (inside.has(e.fromId) && inside.has(e.toId)) r.edges++;
  });
  return r;
}"""

# Two animation frames after the first draw that follows: the view is on screen.
FRAMES = "new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"
NEXT_DRAW = f"""(net) => new Promise((resolve) => {{
  let done = false;
  net.once("afterDrawing", () => {{ if (!done) {{ done = true; resolve(false); }} }});
  setTimeout(() => {{ if (!done) {{ done = true; resolve(true); }} }}, {WAIT_MS});
}})"""

FOCUS = f"""async (id) => {{
  const cg = window.commentGraph, net = cg.network, nextDraw = {NEXT_DRAW};
  const drawn = nextDraw(net);
  const t0 = performance.now();
  cg.focusEntity(id);
  const timedOut = await drawn;
  await {FRAMES};
  return {{ms: performance.now() - t0, timedOut: timedOut}};
}}"""

PAN = """async (seconds) => {
  const net = window.commentGraph.network, start = net.getViewPosition(), scale = net.getScale();
  let frames = 0, dx = 0;
  const count = () => { frames++; };
  net.on("afterDrawing", count);
  const t0 = performance.now();
  await new Promise((resolve) => {
    function step() {
      if (performance.now() - t0 >= seconds * 1000) { resolve(); return; }
      dx += 6 / scale;  // 6 screen px a frame
      net.moveTo({position: {x: start.x + dx, y: start.y}, scale: scale, animation: false});
      requestAnimationFrame(step);
    }
    requestAnimationFrame(step);
  });
  const elapsed = (performance.now() - t0) / 1000;
  net.off("afterDrawing", count);
  net.moveTo({position: start, scale: scale, animation: false});
  return {fps: frames / elapsed, frames: frames};
}"""

# The result is shown when the page writes a non-empty #matches and the frames after it are drawn
# (a page without #matches: its next draw). The search box is set and an input event sent.
SEARCH = f"""async (word) => {{
  const box = document.getElementById("search"), out = document.getElementById("matches");
  const net = window.commentGraph.network, nextDraw = {NEXT_DRAW};
  let shown;
  if (out) {{
    shown = new Promise((resolve) => {{
      const obs = new MutationObserver(() => {{ if (out.textContent.trim()) {{ obs.disconnect(); resolve(false); }} }});
      obs.observe(out, {{childList: true, characterData: true, subtree: true}});
      setTimeout(() => {{ obs.disconnect(); resolve(true); }}, {WAIT_MS});
    }});
  }} else shown = nextDraw(net);
  const t0 = performance.now();
  box.value = word;
  box.dispatchEvent(new Event("input", {{bubbles: true}}));
  const timedOut = await shown;
  await {FRAMES};
  return {{ms: performance.now() - t0, timedOut: timedOut, text: out ? out.textContent.trim() : ""}};
}}"""

CLEAR_SEARCH = f"""async () => {{
  const box = document.getElementById("search");
  box.value = "";
  box.dispatchEvent(new Event("input", {{bubbles: true}}));
  await {FRAMES};
}}"""


def measure_page(path: Path, chromium: str, word: str, pan_seconds: float = 2.0) -> dict:
    """Open the page once and take every figure; None stands for a figure the page can't give."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    fig: dict = {"errors": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"])
        context = browser.new_context(viewport=VIEWPORT, bypass_csp=True)
        context.add_init_script(LONG_TASKS_INIT)
        page = context.new_page()
        errors = fig["errors"]  # (phase, text) for each page error or console error
        phase = ["open"]
        page.on("pageerror", lambda e: errors.append((phase[0], f"pageerror: {e}")))
        page.on("console", lambda m: m.type == "error" and errors.append((phase[0], f"console: {m.text}")))

        def run(js: str, arg=None):  # an exception the page throws is an error of this phase, and the figure n/a
            try:
                return page.evaluate(js, arg)
            except PlaywrightError as e:
                errors.append((phase[0], f"thrown: {e.message.splitlines()[0]}"))
                return None

        start = time.perf_counter()
        page.goto(path.as_uri(), timeout=READY_TIMEOUT_S * 1000)
        while not page.evaluate("() => Boolean(window.commentGraph && window.commentGraph.ready)"):
            if time.perf_counter() - start > READY_TIMEOUT_S:
                raise RuntimeError(f"{path}: window.commentGraph.ready not true after {READY_TIMEOUT_S} s")
            page.wait_for_timeout(20)
        fig["drawn_s"] = time.perf_counter() - start
        info = page.evaluate(PAGE_INFO)
        fig["info"] = info
        fig["first_draw_ms"] = info["firstDrawMs"]
        fig["open"] = run(VIEW_FIGURES)
        loaded = info["firstDrawMs"] if info["firstDrawMs"] is not None else info["now"]
        marks = [("open", loaded)]  # (phase, performance.now() at its start): long tasks are told by phase

        def enter(name: str) -> None:
            phase[0] = name
            marks.append((name, page.evaluate("() => performance.now()")))

        page.wait_for_timeout(1000)  # what the page does just after its first draw counts under "open"
        fig["focus"] = []
        if info["focusEntity"] and info["top"]:
            enter("focus")
            for ent in [info["top"], info["mid"]]:
                fig["focus"].append({**ent, "r": run(FOCUS, ent["id"]), "view": run(VIEW_FIGURES)})
                if ent is info["top"]:  # pan in the view of the biggest entity
                    enter("pan")
                    fig["pan"] = run(PAN, pan_seconds)
                    fig["pan_view"] = "focused view"
                    enter("focus")
        else:  # no focusEntity: pan the view the page opens on, so the figure still says something
            enter("pan")
            fig["pan"] = run(PAN, pan_seconds)
            fig["pan_view"] = "open view (no focusEntity)"

        enter("search")
        fig["search"] = []
        for kind in [None] + KINDS:
            box = f"#legend input[data-kind={kind}]"
            if kind and not page.query_selector(box):
                fig["search"].append({"kind": kind, "missing": True})
                continue
            before = len(errors)
            if kind:
                page.uncheck(box)
            run(CLEAR_SEARCH)
            r = run(SEARCH, word)
            page.wait_for_timeout(300)  # an error thrown just after the result still counts for this row
            fig["search"].append({"kind": kind, "r": r, "errors": len(errors) - before})
            run(CLEAR_SEARCH)
            if kind:
                page.check(box)
        page.wait_for_timeout(200)
        tasks = page.evaluate(LONG_TASKS)
        browser.close()
    fig["long_tasks"] = None if tasks is None else [
        (start_ms, dur, next(name for name, at in reversed(marks) if at <= start_ms))
        for start_ms, dur in tasks if start_ms >= loaded]
    return fig


def na(value, spec: str = "") -> str:
    return "n/a" if value is None else format(value, spec)


def print_block(title: str, row: dict, fig: dict, word: str) -> None:
    info = fig["info"]
    print(f"\n== {title}")
    print(f"{'comments':>9} {'nodes':>7} {'build s':>8} {'html s':>7} {'MB':>6} {'drawn s':>8}")
    print(f"{na(row.get('comments', info['comments'])):>9} {na(row.get('nodes', info['nodes'])):>7} "
          f"{na(row.get('build_s'), '.1f'):>8} {na(row.get('html_s'), '.1f'):>7} {row['mb']:>6.1f} {fig['drawn_s']:>8.2f}")
    if info["note"]:
        print(f"  page note: {info['note']}")
    lines: list[tuple[str, str, str]] = []

    def add(name: str, value: str, target: str = "") -> None:
        lines.append((name, value, target))

    def view(name: str, v: dict | None) -> None:
        if v is None:
            add(f"{name}: readable entity labels", "n/a", "(the page threw)")
            return
        dim = "" if info["isDimmed"] else " (isDimmed n/a)"
        add(f"{name}: readable entity labels", f"{v['readable']} (+{v['readableComments']} comments)",
            f"of {v['onScreen']} nodes on screen{dim}, scale {v['scale']:.2f}")
        add(f"{name}: edges between visible nodes", str(v["edges"]), f"of {v['edgesTotal']} in the view")

    first = fig["first_draw_ms"]
    add("first draw", "n/a" if first is None else f"{first / 1000:.2f} s",
        "<= 1.5 s (firstDrawMs)" if first is not None else f"<= 1.5 s (no firstDrawMs; ready seen at {info['now'] / 1000:.2f} s)")
    view("at open", fig["open"])
    if not fig["focus"]:
        add("focus time", "n/a", "<= 300 ms (no focusEntity)")
    for f in fig["focus"]:
        r = f["r"]
        value = "n/a" if r is None else f"{r['ms']:.0f} ms" + (" (no draw seen)" if r["timedOut"] else "")
        add(f"focus {f['label']!r} ({f['kind']}, {f['comments']} comments)", value, "<= 300 ms")
        view("  then", f["view"])
    pan = fig["pan"]
    add("panning", "n/a" if pan is None else f"{pan['fps']:.0f} frames/s", f">= 30, {fig['pan_view']}")
    tasks = fig["long_tasks"]
    if tasks is None:
        add("longest task after first draw", "n/a", "<= 200 ms (no longtask observer)")
    else:
        longest = max(tasks, key=lambda t: t[1], default=None)
        add("longest task after first draw", "none" if longest is None else f"{longest[1]:.0f} ms during {longest[2]}", "<= 200 ms")
        for limit in (50, 200):
            over = [t[2] for t in tasks if t[1] > limit]
            by = ", ".join(f"{n} {over.count(n)}" for n in dict.fromkeys(over))
            add(f"long tasks > {limit} ms", f"{len(over)}" + (f" ({by})" if by else ""), "0" if limit == 200 else "")
    for s in fig["search"]:
        name = f"search {word!r}" + (f", {s['kind']} unticked" if s["kind"] else "")
        r = s.get("r")
        if s.get("missing"):
            add(name, "n/a", "no legend checkbox")
        elif r is None:
            add(name, "n/a", f"{s['errors']} error(s)")
        else:
            add(name, "no result shown" if r["timedOut"] else f"{r['ms']:.0f} ms", f"{r['text'] or '-'}; {s['errors']} error(s)")
    width = max(len(n) for n, _, _ in lines)
    for name, value, target in lines:
        print(f"  {name:<{width}}  {value:>18}  {target}".rstrip())
    for ph, text in fig["errors"][:8]:
        print(f"  error during {ph}: {text[:200]}")
    if len(fig["errors"]) > 8:
        print(f"  ... {len(fig['errors']) - 8} more error(s)")
    sys.stdout.flush()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    which = ap.add_mutually_exclusive_group()
    which.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="build a generated corpus of each size")
    which.add_argument("--html", type=Path, nargs="+", metavar="FILE", help="measure these pages; build nothing")
    ap.add_argument("--make-corpus", default=str(Path(__file__).resolve().parents[2] / "shared/bench/make_corpus.py"))
    ap.add_argument("--search", default="reward", metavar="WORD", help="the word typed into the search box (default: reward)")
    args = ap.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("error: needs Debian's chromium (apt-get install chromium)", file=sys.stderr)
        return 1
    print("headless Chromium 1400x900; n/a: the page does not give that figure")

    def report(title: str, row: dict, html: Path) -> None:
        try:
            fig = measure_page(html, chromium, args.search)
        except RuntimeError as e:  # the page never said it was ready: nothing to measure on it
            print(f"\n== {title}\n  {e}", flush=True)
            return
        print_block(title, {**row, "mb": html.stat().st_size / 1e6}, fig, args.search)

    if args.html:
        for html in args.html:
            report(str(html), {}, html)
        return 0
    import comment_graph
    from comment_graph.export.html import write_html

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
            report(f"{n} generated comments", {"comments": n, "nodes": len(kg.comments) + len(kg.entities),
                                                "build_s": t1 - t0, "html_s": t2 - t1}, html)
    return 0


if __name__ == "__main__":
    sys.exit(main())
