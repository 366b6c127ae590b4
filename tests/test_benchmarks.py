"""The benchmark scripts still run. Their figures are printed, not asserted: timings are no tests."""

import re
import subprocess
import sys
from pathlib import Path

from conftest import make_corpus

ROOT = Path(__file__).resolve().parents[1]


def test_extract_ab_compares_a_checkout_with_another(tmp_path):
    # this checkout against itself: the baseline is copied under another name, reads its own data,
    # and both extract every comment of the corpus once
    corpus = make_corpus(30, tmp_path / "c.jsonl")
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "extract_ab.py"), str(ROOT / "src"), str(corpus),
                          "--block", "7"], capture_output=True, text=True, check=True).stdout
    m = re.fullmatch(r"30 comments, extraction, ms of CPU per comment: baseline ([\d.]+), this checkout ([\d.]+), "
                     r"ratio ([\d.]+)\n", out)
    assert m is not None, out
    assert float(m.group(1)) > 0 and float(m.group(2)) > 0
