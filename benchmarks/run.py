"""Scale benchmark: build generated corpora of several sizes and print throughput, memory and output sizes.

    python benchmarks/run.py                       # 1,000 and 10,000 comments, JSONL and flat text
    python benchmarks/run.py --sizes 100000 --formats jsonl --jobs 2

Needs the bench extra: `pip install -e ".[bench]"` (YAKE).

Corpora come from ../shared/bench/make_corpus.py (or --make-corpus PATH). Each build runs in
a fresh process that reports its own stage times and peak RSS: "RSS MB" is the largest of
any one process (the build's or a worker's), "(build)" the build process's when the graph is
built, and "all MB" the peak of what the build and its workers held together (their PSS
summed every two seconds: pages shared copy-on-write count once). In the same run, YAKE
keyword extraction alone (the well-known peer) runs over the same comments' text, and
the ratio of comments per second is printed: above 1 means the whole pipeline is faster
per comment than YAKE's keywords alone.

Stage columns come from the build's progress reports: "segment" is the splitting of a flat
text into comments (0 for JSONL), "survey" the corpus-wide pass that finds full names before
extraction, and "read" what no stage reports (loading the input and the lexicons).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MAKER = ROOT.parent / "shared" / "bench" / "make_corpus.py"

CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
import comment_graph
stages, marks = {}, {}
def progress(stage, done, total):
    marks.setdefault(stage, time.perf_counter())
    if done >= total:
        stages[stage] = time.perf_counter() - marks[stage]
path, out, jobs = sys.argv[1], sys.argv[2], int(sys.argv[3])
t_start = time.perf_counter()
kg = comment_graph.build(path, jobs=jobs, progress=progress)
t_built = time.perf_counter()
rss_build = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
stages["read"] = t_built - t_start - sum(stages.values())
written = comment_graph.write(kg, out)
stages["write"] = time.perf_counter() - t_built
rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({"comments": len(kg.comments), "stages": stages, "total": time.perf_counter() - t_start,
                  "import": t_start - t0, "rss_mb": rss / 1024, "rss_build_mb": rss_build / 1024,
                  "outputs": {k: p.stat().st_size for k, p in written.items() if p.is_file()}}))
"""


def make_corpus(maker: Path, n: int, fmt: str, folder: Path) -> Path:
    path = folder / f"corpus-{n}.{'jsonl' if fmt == 'jsonl' else 'txt'}"
    if not path.exists():
        with path.open("wb") as f:
            subprocess.run([sys.executable, str(maker), "--comments", str(n), "--format", fmt], stdout=f, check=True)
    return path


def tree_pss_mb(root: int) -> float:
    """Memory a process and all its descendants hold together: the sum of their PSS (a page shared
    by k processes, as forked workers share the parent's pages copy-on-write, counts 1/k in each)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith("Pss:")) / 1024
        except (OSError, StopIteration):
            continue
    return total


PSS_INTERVAL = 2.0


def run_build(path: Path, out: Path, jobs: int) -> dict:
    """Build in a fresh process; besides the figures it reports itself, the peak of the memory it
    and its worker processes held together (sampled every two seconds: the kernel takes about
    30 ms to sum the PSS of a 2 GB process, so sampling every half second took some 7% of this
    2-core machine from the build being timed)."""
    with tempfile.TemporaryFile("w+") as out_f, tempfile.TemporaryFile("w+") as err_f:
        proc = subprocess.Popen([sys.executable, "-c", CHILD, str(path), str(out), str(jobs)], stdout=out_f,
                                stderr=err_f, text=True)
        peak = 0.0
        while proc.poll() is None:
            peak = max(peak, tree_pss_mb(proc.pid) if Path("/proc").is_dir() else float("nan"))
            time.sleep(PSS_INTERVAL)
        out_f.seek(0)
        err_f.seek(0)
        if proc.returncode:
            raise SystemExit(f"build of {path} failed:\n{err_f.read()[-2000:]}")
        result = json.loads(out_f.read().strip().splitlines()[-1])
    result["tree_mb"] = peak
    return result


def yake_rate(texts: list[str]) -> float:
    """Comments per second of YAKE keyword extraction (n-grams up to 3, top 10) alone."""
    import yake

    kw = yake.KeywordExtractor(lan="en", n=3, top=10)
    start = time.perf_counter()
    for t in texts:
        kw.extract_keywords(t)
    return len(texts) / (time.perf_counter() - start)


def texts_of(path: Path, limit: int) -> list[str]:
    out = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            out.append(json.loads(line)["text"])
            if len(out) >= limit:
                break
    return out


def time_queries(ttl: Path, store: Path) -> None:
    """Bulk-load a build's Turtle into an Oxigraph store and time every named query on it."""
    import shutil

    from comment_graph.sparql import load_store, named_queries, query

    shutil.rmtree(store, ignore_errors=True)
    start = time.perf_counter()
    load_store(store, ttl)
    print(f"oxigraph bulk load of {ttl} ({ttl.stat().st_size / 1e6:.0f} MB): {time.perf_counter() - start:.1f} s")
    bindings = {"mentioned-with": {"name": "Yann LeCun"}, "comments-about": {"label": "reward"}}
    for name in named_queries():
        times = []
        for _ in range(2):  # the first run reads the store from disk, the second from the page cache
            start = time.perf_counter()
            rows = query(store, name, bindings.get(name, {}))
            times.append(time.perf_counter() - start)
        print(f"  query {name:22} {len(rows):7,} rows {times[0]:7.2f} s (again: {times[1]:.2f} s)", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated corpus sizes")
    ap.add_argument("--formats", default="jsonl,text", help="jsonl, text or both")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--yake-sample", type=int, default=2000, help="comments YAKE runs over (per size, at most)")
    ap.add_argument("--make-corpus", type=Path, default=DEFAULT_MAKER)
    ap.add_argument("--work", type=Path, default=None, help="folder for corpora and outputs (default: a temp dir)")
    ap.add_argument("--queries", action="store_true",
                    help="also load the largest JSONL build into an Oxigraph store and time the named queries")
    args = ap.parse_args()
    if not args.make_corpus.exists():
        raise SystemExit(f"corpus generator not found: {args.make_corpus} (pass --make-corpus PATH)")
    work = args.work or Path(tempfile.mkdtemp(prefix="cg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; work dir {work}")
    header = (f"{'corpus':>16} {'MB':>7} {'comments/s':>10} {'MB/s':>6} {'total s':>8} {'read':>6} {'segment':>8} {'survey':>7} {'extract':>8} "
              f"{'resolve':>8} {'write':>7} {'RSS MB':>7} {'(build)':>9} {'all MB':>7} {'ttl MB':>7} {'html MB':>8} {'json MB':>8} "
              f"{'YAKE c/s':>9} {'ratio':>6}")
    print(header)
    results = {}
    for fmt in args.formats.split(","):
        for n in (int(s) for s in args.sizes.split(",")):
            corpus = make_corpus(args.make_corpus, n, fmt, work)
            r = run_build(corpus, work / f"out-{fmt}-{n}", args.jobs)
            mb = corpus.stat().st_size / 1e6
            jsonl = make_corpus(args.make_corpus, n, "jsonl", work)
            yk = yake_rate(texts_of(jsonl, min(n, args.yake_sample)))
            rate = r["comments"] / r["total"]
            s, o = r["stages"], r["outputs"]
            print(f"{fmt + ' ' + format(n, ','):>16} {mb:7.1f} {rate:10.0f} {mb / r['total']:6.2f} {r['total']:8.1f} "
                  f"{s.get('read', 0):6.1f} {s.get('segment', 0):8.1f} {s.get('survey', 0):7.1f} "
                  f"{s.get('extract', 0):8.1f} {s.get('resolve', 0):8.1f} {s['write']:7.1f} "
                  f"{r['rss_mb']:7.0f} {r['rss_build_mb']:9.0f} {r['tree_mb']:7.0f} {o.get('ttl', 0) / 1e6:7.1f} {o.get('html', 0) / 1e6:8.1f} "
                  f"{o.get('state', 0) / 1e6:8.1f} {yk:9.0f} {rate / yk:6.2f}", flush=True)
            results[(fmt, n)] = r["total"]
    if args.queries:
        largest = max(n for f, n in results if f == args.formats.split(",")[0])
        fmt = args.formats.split(",")[0]
        time_queries(work / f"out-{fmt}-{largest}" / "graph.ttl", work / f"store-{fmt}-{largest}")
    for fmt in args.formats.split(","):
        sizes = sorted(n for f, n in results if f == fmt)
        for a, b in zip(sizes, sizes[1:]):
            print(f"growth {fmt} {a:,} -> {b:,}: {results[(fmt, b)] / results[(fmt, a)]:.1f}x time for "
                  f"{b / a:.0f}x comments")


if __name__ == "__main__":
    main()
