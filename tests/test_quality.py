"""Quality guard: held-out pages of other sites and topics (tests/quality/), scored with the
project's own scorer. Floors sit a little under the measured figures, so a change that makes
extraction worse fails CI. Run `python -m tests.quality` for the full table."""

from __future__ import annotations

import json
from pathlib import Path
from statistics import mean

import pytest

import comment_graph
from quality.score import score

PAGES = sorted(p.name.removesuffix(".gold.json") for p in (Path(__file__).parent / "quality").glob("*.gold.json"))
FLOORS = {"exact_f1": 0.85, "boundary_f1": 0.9, "quotes_f1": 0.85, "people_f1": 0.85, "works_f1": 0.7,
          "concept_recall": 0.55}


@pytest.fixture(scope="module")
def scores():
    folder = Path(__file__).parent / "quality"
    out = {}
    for page in PAGES:
        gold = json.loads((folder / f"{page}.gold.json").read_text(encoding="utf-8"))
        text = (folder / f"{page}.txt").read_text(encoding="utf-8")
        out[page] = score(comment_graph.build(folder / f"{page}.txt"), gold, text)
    return out


def test_there_are_pages_to_score():
    assert len(PAGES) >= 4


@pytest.mark.parametrize("metric", sorted(FLOORS))
def test_mean_over_pages_stays_above_floor(scores, metric):
    value = mean(getattr(s, metric) for s in scores.values())
    assert value >= FLOORS[metric], f"{metric} fell to {value:.3f} (floor {FLOORS[metric]})"


def test_no_page_furniture_leaks_into_comments(scores):
    assert {p: s.chrome_leaked for p, s in scores.items()} == {p: 0 for p in scores}
