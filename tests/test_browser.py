"""The page in a real browser: Debian's Chromium, driven by Playwright (no browser download).

Skipped only where no Chromium is installed and CI is not set; in CI a missing
browser is a failure.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import build_text
from test_html import HOSTILE

from comment_graph.export.html import write_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).parent / "artifacts"

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


def open_page(browser, path: Path):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors, requests, dialogs = [], [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url) if not r.url.startswith(("file:", "data:", "about:")) else None)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    # poll from outside: the page's Content-Security-Policy forbids the eval wait_for_function uses
    for _ in range(300):
        if page.evaluate("() => Boolean(window.commentGraph && window.commentGraph.ready)"):
            break
        page.wait_for_timeout(100)
    else:
        raise AssertionError("the graph was not drawn within 30 s")
    return page, errors, requests, dialogs


def test_sample_page_draws_offline_and_search_finds_a_concept(browser, sample_kg, tmp_path):
    path = write_html(sample_kg, tmp_path / "graph.html")
    page, errors, requests, dialogs = open_page(browser, path)
    assert errors == [] and requests == [] and dialogs == []
    n = page.evaluate("window.commentGraph.nodes.length")
    assert n == len(sample_kg.comments) + len(sample_kg.entities)
    page.fill("#search", "goal misgeneralization")
    assert "1 match" in page.text_content("#matches")
    assert page.text_content("#detail h2") == "goal misgeneralization"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "sample-graph.png"))
    page.close()


def test_hostile_page_runs_no_injected_script(browser, tmp_path):
    kg = build_text(tmp_path, HOSTILE)
    path = write_html(kg, tmp_path / "graph.html")
    page, errors, requests, dialogs = open_page(browser, path)
    page.evaluate("""() => { const g = window.commentGraph; const id = g.data.nodes[0].id;
                             g.network.selectNodes([id]); g.network.emit('click', {nodes: [id]}); }""")
    page.hover("#graph")
    assert dialogs == [] and requests == []
    assert "<script>" in page.text_content("#detail")  # shown as text, not run
    assert page.evaluate("document.querySelectorAll('#detail img, #detail script, #detail a[href^=javascript]').length") == 0
    page.close()


def test_large_page_opens_on_hubs_and_reveals_comments_on_click(browser, tmp_path, monkeypatch):
    from comment_graph.export import html as page_module

    monkeypatch.setattr(page_module, "PHYSICS_LIMIT", 5)
    monkeypatch.setattr(page_module, "BOUNDED_LIMIT", 5)
    monkeypatch.setattr(page_module, "HUB_COUNT", 3)
    kg = build_text(tmp_path, "I agree with Jacob Cannell on reward shaping and RL.\n\n"
                              "Thanks! RLHF differs from reward shaping, Yann.\n\nSeems fine: gradient descent works.")
    page, errors, requests, dialogs = open_page(browser, write_html(kg, tmp_path / "big.html"))
    visible = page.evaluate("() => window.commentGraph.network.body.data.nodes.getIds().length")
    assert visible == 3 and errors == [] and requests == []
    hub = page.evaluate("() => window.commentGraph.data.initial[0]")
    page.evaluate("""(id) => { const g = window.commentGraph; g.network.selectNodes([id]);
                               g.network.emit('click', {nodes: [id]}); }""", hub)
    assert page.evaluate("() => window.commentGraph.network.body.data.nodes.getIds().length") > 3
    page.close()
