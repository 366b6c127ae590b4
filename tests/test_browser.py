"""The page in a real browser: Debian's Chromium, driven by Playwright (no browser download).

Skipped only where no Chromium is installed and CI is not set; in CI a missing
browser is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import build_text, make_corpus
from test_html import HOSTILE

import comment_graph
from comment_graph.export.html import write_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).parent / "artifacts"
SHARED_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "bench" / "make_corpus.py"
LONG_TASKS = ("window.__longTasks = []; new PerformanceObserver((list) => { for (const t of list.getEntries()) "
              "window.__longTasks.push([t.startTime, t.duration]); }).observe({type: 'longtask', buffered: true});")

if not CHROMIUM:
    if os.environ.get("CI"):
        raise RuntimeError("CI needs Debian's chromium for the browser tests (.ci/run installs it)")
    pytest.skip("no chromium on this machine", allow_module_level=True)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run", "--disable-sync"])
        yield b
        b.close()


def open_page(browser, path: Path, *, loaded: bool = True):
    """The page at 1400x900, once drawn (and, with `loaded`, once every comment is read)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)  # CSP: for the observer only
    context.add_init_script(LONG_TASKS)
    page = context.new_page()
    errors, requests, dialogs = [], [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url) if not r.url.startswith(("file:", "data:", "about:")) else None)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    # poll from outside: the page's Content-Security-Policy forbids the eval wait_for_function uses
    flag = "loaded" if loaded else "ready"
    for _ in range(600):
        if page.evaluate(f"() => Boolean(window.commentGraph && window.commentGraph.{flag})"):
            break
        page.wait_for_timeout(100)
    else:
        raise AssertionError(f"the page was not {flag} within 60 s")
    return page, errors, requests, dialogs


READABLE_LABELS = """() => {  // entity labels drawn at 11 px or more, inside the canvas, not dimmed
  const g = window.commentGraph, net = g.network, scale = net.getScale(), box = document.querySelector('#graph canvas');
  return net.body.data.nodes.getIds().filter((id) => {
    const node = net.body.nodes[id], info = g.data.info[id];
    if (!node || !info || info.kind === 'comment' || !node.options.label || g.isDimmed(id)) return false;
    const at = net.canvasToDOM(net.getPositions([id])[id]);
    return node.options.font.size * scale >= 11 && at.x >= 0 && at.y >= 0 && at.x <= box.clientWidth && at.y <= box.clientHeight;
  }).length; }"""
DRAWN_EDGES = """() => { const net = window.commentGraph.network, here = new Set(net.body.data.nodes.getIds());
  return net.body.data.edges.get().filter((e) => here.has(e.from) && here.has(e.to)).length; }"""


def search(page, words: str) -> str:
    page.fill("#search", words)
    page.press("#search", "Enter")
    return page.text_content("#matches")


def panel_rows(page) -> list[dict]:
    return page.evaluate("""() => Array.from(document.querySelectorAll('#detail li.row')).map((row) => ({
        text: row.textContent, marks: Array.from(row.querySelectorAll('mark')).map((m) => m.textContent)}))""")


def spellings(kg, label: str) -> set[str]:
    entity = next(e for e in kg.entities.values() if e.label == label)
    return {m.surface.lower() for m in kg.mentions if m.entity_id == entity.id}



def test_sample_page_draws_offline_and_search_finds_a_concept_with_its_evidence(browser, sample_kg, tmp_path):
    path = write_html(sample_kg, tmp_path / "graph.html")
    page, errors, requests, dialogs = open_page(browser, path)
    assert errors == [] and requests == [] and dialogs == []
    n = page.evaluate("window.commentGraph.nodes.length")
    assert n == len(sample_kg.comments) + len(sample_kg.entities)
    assert search(page, "goal misgeneralization").startswith("1 entity · ")
    assert page.text_content("#detail h2") == "goal misgeneralization"
    rows, words = panel_rows(page), spellings(sample_kg, "goal misgeneralization")
    assert rows and all(r["marks"] and {m.lower() for m in r["marks"]} <= words for r in rows)
    assert "goal misgeneralization" in page.text_content("#trail")
    assert "Most mentioned people" in page.text_content("#overview")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "sample-graph.png"))
    page.close()


THREAD = [  # an author who writes and is also named by others
    {"id": "a", "author": "Paul Christiano", "post_title": "On RLHF", "created_at": "2024-03-01T10:00:00Z",
     "text": "I think reward modeling from human feedback is fine for now."},
    {"id": "b", "author": "Ada Lovelace", "post_title": "On RLHF", "created_at": "2024-03-02T10:00:00Z",
     "text": "I disagree with Paul Christiano about reward modeling. Interpretability comes first."},
    {"id": "c", "author": "Paul Christiano", "post_title": "On RLHF", "created_at": "2024-03-03T10:00:00Z",
     "text": "Thanks Ada Lovelace, interpretability matters, but reward modeling scales."},
]


def test_comments_are_named_by_author_and_first_words_and_an_author_wrote_apart(browser, tmp_path):
    (tmp_path / "t.jsonl").write_text("".join(json.dumps(r) + "\n" for r in THREAD), encoding="utf-8")
    kg = comment_graph.build(tmp_path / "t.jsonl")
    page, errors, _, _ = open_page(browser, write_html(kg, tmp_path / "graph.html"))
    labels = page.evaluate("""() => { const g = window.commentGraph;
        return g.nodes.get().filter((n) => g.data.info[n.id].kind === 'comment').map((n) => n.label); }""")
    assert sorted(labels) == ["Ada Lovelace: I disagree with Paul Christiano…", "Paul Christiano: I think reward modeling from…",
                              "Paul Christiano: Thanks Ada Lovelace, interpretability…"]
    paul = next(e for e in kg.entities.values() if e.label == "Paul Christiano")
    node = page.evaluate("(id) => Object.keys(window.commentGraph.data.info).find((k) => window.commentGraph.data.info[k].id === id)",
                         paul.id)
    page.evaluate("(id) => window.commentGraph.focusEntity(id)", node)
    headings = page.evaluate("() => Array.from(document.querySelectorAll('#detail h3')).map((h) => h.textContent)")
    assert headings[:2] == ["Wrote 2 comments", "Named in 1 comment"]
    rows = panel_rows(page)
    assert rows[2]["marks"] == ["Paul Christiano"] and "by Ada Lovelace · On RLHF · 2024-03-02" in rows[2]["text"]
    drawn = "() => [...new Set(window.commentGraph.network.body.data.edges.get().map((e) => e.kind))].sort()"
    assert page.evaluate(drawn) == ["mentions", "wrote"]  # two kinds of edge, each in its own legend style
    page.uncheck("#legend input[data-kind=comment]")
    assert page.evaluate(drawn) == ["co"] and errors == []  # comments hidden: who is named with whom
    page.close()


def test_hiding_comments_keeps_the_links_between_entities_and_search_never_throws(browser, sample_kg, tmp_path):
    page, errors, _, _ = open_page(browser, write_html(sample_kg, tmp_path / "graph.html"))
    visible_edges = "() => window.commentGraph.network.body.data.edges.getIds().length"
    page.uncheck("#legend input[data-kind=comment]")
    assert page.evaluate(DRAWN_EDGES) > 0 and page.evaluate(visible_edges) > 0  # named-together links remain
    for kind in ("person", "organization", "concept", "work"):
        page.uncheck(f"#legend input[data-kind={kind}]")
        assert "entit" in search(page, "reward")
    page.check("#legend input[data-kind=concept]")
    search(page, "reward shaping")
    assert errors == []
    page.close()


def test_hostile_page_runs_no_injected_script(browser, tmp_path):
    kg = build_text(tmp_path, HOSTILE)
    path = write_html(kg, tmp_path / "graph.html")
    page, errors, requests, dialogs = open_page(browser, path)
    page.evaluate("""() => { const g = window.commentGraph; const id = g.data.nodes[0].id;
                             g.network.selectNodes([id]); g.network.emit('click', {nodes: [id]}); }""")
    page.hover("#graph")
    search(page, "script")
    assert dialogs == [] and requests == [] and errors == []
    assert "<script>" in page.text_content("#detail")  # shown as text, not run
    assert page.evaluate("document.querySelectorAll('#detail img, #detail script, #detail a[href^=javascript]').length") == 0
    page.close()


def test_search_marks_the_words_found_and_a_row_opens_a_mention_inside_a_longer_one(browser, tmp_path):
    from comment_graph.models import Mention

    kg = build_text(tmp_path, "İstanbul talk on reward shaping, with Yann LeCun.")
    outer = next(m for m in kg.mentions if m.surface.lower() == "reward shaping")
    person = next(e for e in kg.entities.values() if e.kind == "person")
    # an extractor may find a name inside a longer one: the comment panel marks the longer
    kg.mentions.append(Mention(outer.comment_id, "person", "shaping", start=outer.start + 7, end=outer.end,
                               extractor="test", entity_id=person.id))
    page, errors, _, _ = open_page(browser, write_html(kg, tmp_path / "graph.html"))
    assert search(page, "talk on") == "0 entities · 1 comment"
    assert panel_rows(page)[0]["marks"] == ["talk on"]  # lower-casing "İ" changes the length; the mark does not slip
    page.evaluate("(at) => window.commentGraph.showComment(window.commentGraph.data.nodes[0].id, at)", outer.start + 8)
    assert page.evaluate("Array.from(document.querySelectorAll('#detail mark.flash')).map((m) => m.textContent)") == [
        "reward shaping"]
    assert page.evaluate("document.querySelectorAll('#labels option').length") == len(kg.entities) and errors == []
    page.close()


def test_map_page_opens_on_entities_and_brings_comments_on_demand(browser, tmp_path, monkeypatch):
    from comment_graph.export import html as page_module

    monkeypatch.setattr(page_module, "PHYSICS_LIMIT", 5)
    monkeypatch.setattr(page_module, "BOUNDED_LIMIT", 5)
    monkeypatch.setattr(page_module, "MAP_SIZE", 3)
    kg = build_text(tmp_path, "I agree with Jacob Cannell on reward shaping and RL.\n\n"
                              "Thanks! RLHF differs from reward shaping, Yann.\n\nSeems fine: gradient descent works.")
    page, errors, requests, dialogs = open_page(browser, write_html(kg, tmp_path / "big.html"))
    on_canvas = "() => window.commentGraph.nodes.get().map((n) => window.commentGraph.data.info[n.id].kind)"
    assert len(page.evaluate(on_canvas)) == 3 and "comment" not in page.evaluate(on_canvas)
    hub = page.evaluate("() => window.commentGraph.data.initial[0]")
    page.evaluate("""(id) => { const g = window.commentGraph; g.network.selectNodes([id]);
                               g.network.emit('click', {nodes: [id]}); }""", hub)
    page.click("#detail button")  # show its comments on the map
    assert "comment" in page.evaluate(on_canvas) and errors == [] and requests == []
    page.click("#trail a >> nth=0")  # back to the map
    assert len(page.evaluate(on_canvas)) == 3
    others = page.evaluate("""() => { const g = window.commentGraph, map = new Set(g.data.initial);
        return Object.keys(g.data.info).filter((id) => g.data.info[id].kind !== 'comment' && !map.has(id)); }""")
    for node in others + [hub]:  # focus and return, bring entities back: a node looks dimmed exactly when it is
        page.evaluate("(id) => window.commentGraph.focusEntity(id)", node)
        looks = page.evaluate("""() => { const g = window.commentGraph;
            return g.nodes.get().every((n) => g.isDimmed(n.id) === (n.color === 'rgba(190,196,204,0.25)')); }""")
        assert looks, node
    page.click("#trail a >> nth=0")
    assert page.evaluate("() => window.commentGraph.nodes.get().every((n) => !window.commentGraph.isDimmed(n.id))")
    for node in others:  # typing a name puts its entity back on the map, undimmed
        page.fill("#search", page.evaluate("(id) => window.commentGraph.data.info[id].label.slice(0, -1)", node))
        page.wait_for_timeout(300)
        assert page.evaluate("(id) => window.commentGraph.nodes.get(id) !== null && !window.commentGraph.isDimmed(id)", node)
    assert errors == []
    page.close()


@pytest.fixture(scope="module")
def page_of_10000(tmp_path_factory):
    """The page of 10,000 generated comments (the shared generator where it is, else ours)."""
    folder = tmp_path_factory.mktemp("large")
    corpus = folder / "c.jsonl"
    if SHARED_CORPUS.exists():
        with corpus.open("w") as f:
            subprocess.run([sys.executable, str(SHARED_CORPUS), "--comments", "10000"], stdout=f, check=True)
    else:
        make_corpus(10_000, corpus)
    kg = comment_graph.build(corpus, jobs=2)
    return kg, write_html(kg, folder / "graph.html")


def test_10000_comments_open_on_a_readable_map_and_an_entity_shows_its_evidence(browser, page_of_10000):
    kg, path = page_of_10000
    page, errors, requests, _ = open_page(browser, path)
    opened = page.evaluate("() => window.commentGraph.firstDrawMs")
    readable, drawn = page.evaluate(READABLE_LABELS), page.evaluate(DRAWN_EDGES)
    assert readable >= 40 and drawn >= 40, (readable, drawn)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "map-10000-open.png"))

    top = max(kg.entities.values(), key=lambda e: (e.comment_count, e.id))
    node = page.evaluate("(id) => window.commentGraph.data.initial.find((n) => window.commentGraph.data.info[n].id === id)", top.id)
    at = page.evaluate("""(id) => { const net = window.commentGraph.network;
        const box = document.querySelector('#graph canvas').getBoundingClientRect();
        const p = net.canvasToDOM(net.getPositions([id])[id]); return [box.left + p.x, box.top + p.y]; }""", node)
    page.mouse.click(*at)  # a click on the entity itself, as a reader would
    assert page.text_content("#detail h2") == top.label and top.label in page.text_content("#trail")
    assert page.evaluate("() => Object.keys(window.commentGraph.data.info).filter((id) => window.commentGraph.isDimmed(id)).length") > 0
    rows, words = panel_rows(page), spellings(kg, top.label)
    assert len(rows) == 50 and all(r["marks"] and {m.lower() for m in r["marks"]} <= words for r in rows)
    page.screenshot(path=str(ARTIFACTS / "map-10000-focus.png"))
    page.click("#detail li.row >> nth=0")  # the row opens its comment at the mention
    assert page.evaluate("document.querySelectorAll('#detail mark.flash').length") == 1

    for kind in ("comment", "person", "organization", "concept", "work"):  # any legend state
        page.uncheck(f"#legend input[data-kind={kind}]")
        assert search(page, "reward").endswith("comments")
    assert errors == [] and requests == []
    tasks = [d for start, d in page.evaluate("window.__longTasks") if start > opened]
    (ARTIFACTS / "map-10000.json").write_text(json.dumps(
        {"first_draw_ms": round(opened), "readable_labels": readable, "edges": drawn,
         "long_tasks_after_draw_ms": [round(d) for d in tasks]}, indent=1), encoding="utf-8")
    # a guard against a page that blocks for seconds (the 2-4 s clicks), not a speed target:
    # benchmarks/html_bench.py measures the 200 ms one
    assert max(tasks, default=0) < 1000, tasks
    page.close()
