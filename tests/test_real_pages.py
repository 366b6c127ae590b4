"""Floors on the real pages beside the project (`../shared/eval/real`): twelve pages of other
authors and sites, scored by the shared scripts exactly as the maintainers score them. The floors
are the numbers reached when they were set; a change that loses ground fails here.

Both scripts build every page through the CLI; they run side by side (about a minute and a half
on two cores). Without the shared folder (a checkout on its own) the test is skipped, saying so.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
REAL = EVAL / "real"
CLI = Path(sys.executable).parent / "comment-graph"

# End to end (score_folder.py): segmentation, quotes and extraction together.
FOLDER_FLOORS = {
    "segmentation_exact_f1": 0.943,
    "boundary_f1": 0.957,
    "quotes_f1": 0.97,
    "people_f1": 1.0,
    "works_f1": 1.0,
    # 0.8 until 7 December: phrases a sentence opens ("Wholesomeness, clarity…") and activity compounds
    # ("sane-itizing") compete for the fifteen subjects of one long comment, and two gold terms lost;
    # 0.779 -> 0.789 when a hyphenated compound before "step", "process", "effort" became the topic;
    # 0.789 -> 0.8 (8 December) when an everyday word stopped standing for a vocabulary term the page
    # never names ("civilized debate" is no "AI safety via debate")
    "concepts_recall": 0.8,
}
# duplicates: four gold concepts list a narrower or sibling term among their aliases ("benchmark" for
# "benchmark score", "rabbit hunt" for "stag hunt"), which the graph keeps as concepts of their own
FOLDER_CEILINGS = {"chrome_leaked": 0, "duplicates": 2, "concepts_junk": 0.05}
# Extraction alone, the gold comments given (score_entities.py).
ENTITY_FLOORS = {"people_f1": 1.0, "works_f1": 1.0, "concepts_recall": 0.8}

pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason=f"no real pages to score at {REAL}")


@pytest.fixture(scope="module")
def scores() -> tuple[dict, dict]:
    run = [sys.executable]
    folder = subprocess.Popen(run + [str(EVAL / "score_folder.py"), str(REAL), "--cli", str(CLI), "--json"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    entities = subprocess.Popen(run + [str(EVAL / "score_entities.py"), str(REAL), "--cli", str(CLI)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    (f_out, f_err), (e_out, e_err) = folder.communicate(timeout=900), entities.communicate(timeout=900)
    assert folder.returncode == 0, f_err[-2000:]
    assert entities.returncode == 0, e_err[-2000:]
    return json.loads(f_out), _totals(e_out)


def _totals(printed: str) -> dict[str, float]:
    """score_entities.py prints its totals as `total  key value  key [tp, fp, fn] ...`."""
    line = next(ln for ln in printed.splitlines() if ln.startswith("total"))
    return {k: float(v) for k, v in re.findall(r"(\w+) (\d+(?:\.\d+)?)(?=\s|$)", line)}


def test_end_to_end_scores_hold(scores):
    folder, _ = scores
    low = {k: (folder[k], floor) for k, floor in FOLDER_FLOORS.items() if folder[k] < floor}
    high = {k: (folder[k], ceiling) for k, ceiling in FOLDER_CEILINGS.items() if folder[k] > ceiling}
    assert not low and not high, f"below floor: {low}; above ceiling: {high}; all: {folder}"


def test_extraction_scores_hold_with_the_comments_given(scores):
    _, entities = scores
    low = {k: (entities[k], floor) for k, floor in ENTITY_FLOORS.items() if entities[k] < floor}
    assert not low, f"below floor: {low}; all: {entities}"


def test_every_fact_keeps_its_evidence(scores):
    folder, _ = scores
    assert folder["evidence_rate"] == 1.0
