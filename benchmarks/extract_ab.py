#!/usr/bin/env python3
"""Extraction CPU of this checkout against another one's, in one process, blocks alternated.

    python benchmarks/extract_ab.py BASELINE_SRC CORPUS [--block 1000] [--survey]

BASELINE_SRC is the `src` folder of another checkout (e.g. a `git worktree` of an older commit).
Its package is copied under another name, so both versions run in this process: each builds its
own context of the whole corpus (survey included), then they extract the same comments in turn,
a block of `--block` comments each, and each one's CPU time is summed over its blocks. Every
comment is extracted once by each (caches cold at the start, as in a build) and the mentions
are kept, as a build keeps them. `--survey` times the survey's name hooks the same way instead.

Why not two runs one after the other: on a shared two-core VM the same code measured minutes
apart differs by 10-20%, more than the effects to be measured. Alternating blocks spreads any
drift over both. Blocks should be long (1,000 comments, a second or two): switching code every
few comments evicts each one's caches for the other and makes both slower, which narrows the
ratio. Figures, not assertions.
"""

from __future__ import annotations

import argparse
import importlib
import shutil
import sys
import tempfile
import time
from pathlib import Path

BASELINE = "cg_baseline"


def _copy_baseline(src: Path, into: Path) -> None:
    """The baseline's package under another name, reading its own data files (its code names
    its package in `importlib.resources` calls)."""
    target = into / BASELINE
    shutil.copytree(src / "comment_graph", target)
    for py in target.rglob("*.py"):
        code = py.read_text(encoding="utf-8")
        fixed = code.replace('"comment_graph.data"', f'"{BASELINE}.data"').replace(
            '"comment_graph.export"', f'"{BASELINE}.export"')
        if fixed != code:
            py.write_text(fixed, encoding="utf-8")


def _prepared(package: str, corpus: str, survey: bool):
    """(comments, a function extracting one comment) for one package, after its own survey."""
    api = importlib.import_module(f"{package}.api")
    extract = importlib.import_module(f"{package}.extract")
    got = {}

    def capture(comments, config, ctx, *rest):
        got["comments"], got["names"], got["ctx"] = comments, config.extractors, ctx
        raise _Captured

    api._extract_all = capture
    try:
        api.build(corpus, jobs=1)
    except _Captured:
        pass
    names, ctx = got["names"], got["ctx"]
    if survey:
        hooks = extract.surveys()
        return got["comments"], lambda c: [f for hook in hooks for f in hook(c.text, ctx)]
    return got["comments"], lambda c: extract.run_extractors(c, names, ctx)


class _Captured(Exception):
    pass


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("baseline_src", type=Path, help="the src folder of the checkout to compare with")
    ap.add_argument("corpus", help="a corpus file (e.g. from ../shared/bench/make_corpus.py)")
    ap.add_argument("--block", type=int, default=1000, help="comments per turn (default 1000)")
    ap.add_argument("--survey", action="store_true", help="time the survey's name hooks, not extraction")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        _copy_baseline(args.baseline_src, Path(tmp))
        sys.path.insert(0, tmp)
        runs = {name: _prepared(name, args.corpus, args.survey) for name in (BASELINE, "comment_graph")}
        seconds = dict.fromkeys(runs, 0.0)
        kept: dict[str, list] = {name: [] for name in runs}
        n = len(runs["comment_graph"][0])
        for turn, start in enumerate(range(0, n, args.block)):
            order = list(runs) if turn % 2 == 0 else list(runs)[::-1]  # neither always goes first
            for name in order:
                comments, extract = runs[name]
                t0 = time.process_time()
                for c in comments[start:start + args.block]:
                    kept[name] += extract(c)
                seconds[name] += time.process_time() - t0
    base, this = (1000 * seconds[k] / n for k in (BASELINE, "comment_graph"))
    what = "survey name hooks" if args.survey else "extraction"
    print(f"{n} comments, {what}, ms of CPU per comment: baseline {base:.3f}, this checkout {this:.3f}, "
          f"ratio {this / base:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
