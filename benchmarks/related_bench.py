#!/usr/bin/env python3
"""Benchmark related(): build a generated corpus, then time queries and print median and p95.

    python benchmarks/related_bench.py [--comments 100000] [--queries 200]

Figures, not assertions. The corpus comes from ../shared/bench/make_corpus.py.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import comment_graph


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--comments", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--make-corpus", default=str(Path(__file__).resolve().parents[2] / "shared/bench/make_corpus.py"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "c.jsonl"
        with corpus.open("w") as f:
            subprocess.run([sys.executable, args.make_corpus, "--comments", str(args.comments)], stdout=f, check=True)
        t0 = time.perf_counter()
        kg = comment_graph.build(corpus)
        t1 = time.perf_counter()
        kg.related(kg.comments[0].id)  # builds the index once
        t2 = time.perf_counter()
        rng = random.Random(7)
        times = []
        for c in rng.sample(kg.comments, min(args.queries, len(kg.comments))):
            s = time.perf_counter()
            kg.related(c.id, k=5)
            times.append((time.perf_counter() - s) * 1000)
    times.sort()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"comments {args.comments}  build {t1 - t0:.1f} s  index {t2 - t1:.1f} s  "
          f"related() median {statistics.median(times):.1f} ms  p95 {times[int(0.95 * len(times)) - 1]:.1f} ms  "
          f"peak RSS {rss:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
