"""Scale benchmark: build generated corpora of several sizes and print throughput, memory and output sizes.

    python benchmarks/run.py                       # 1,000 and 10,000 comments, JSONL and flat text
    python benchmarks/run.py --sizes 100000 --formats jsonl --jobs 2
    python benchmarks/run.py --sizes 10000 --formats jsonl --engine both   # local and Dask, outputs compared

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
extraction, and "read" what no stage reports (loading the input and the lexicons). "index MB"
is index.sqlite, which `--queries` times the four index-backed commands on, each in a new process.

`--engine dask` builds on a local Dask cluster of `--jobs` worker processes (at least two), started by
the build's process before the clock starts (its start-up is printed apart) and passed to the build
as its scheduler, as a real cluster would be; the workers are that process's children, so "all MB"
counts them. The scheduler's task stream gives each partition's compute time on its worker: the
per-partition rates (comments per second per worker core) that docs/scale.md extrapolates from.
`--engine both` builds each corpus with both engines and compares every output file byte for byte.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
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
path, out, jobs, engine = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
run, tasks, cluster_s = {"jobs": jobs}, [], 0.0
if engine == "dask":
    import logging, distributed
    t_cluster = time.perf_counter()
    cluster = distributed.LocalCluster(n_workers=max(2, jobs), threads_per_worker=1, processes=True, host="127.0.0.1",
                                       dashboard_address=None, silence_logs=logging.ERROR)
    client = distributed.Client(cluster)
    cluster_s = time.perf_counter() - t_cluster
    run.update(engine="dask", scheduler=cluster.scheduler_address)
    stream = distributed.get_task_stream(client=client)
    stream.__enter__()
t_start = time.perf_counter()
kg = comment_graph.build(path, progress=progress, **run)
t_built = time.perf_counter()
rss_build = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
stages["read"] = t_built - t_start - sum(stages.values())
written = comment_graph.write(kg, out)  # on the cluster too: the graph names its scheduler
stages["write"] = time.perf_counter() - t_built
if engine == "dask":
    stream.__exit__(None, None, None)
    for t in stream.data:  # each partition's compute time on its worker (the RDF's ranges too)
        seconds = sum(s["stop"] - s["start"] for s in t["startstops"] if s["action"] == "compute")
        tasks.append((str(t["key"]).lstrip("_").split("-")[0], seconds))  # "_extract_part-<uuid>"
    # stopped first, so that the workers' peak RSS is among the children's
    client.close()
    cluster.close()
rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({"comments": len(kg.comments), "stages": stages, "total": time.perf_counter() - t_start,
                  "import": t_start - t0, "rss_mb": rss / 1024, "rss_build_mb": rss_build / 1024,
                  "cluster": cluster_s, "tasks": tasks,
                  "outputs": {k: p.stat().st_size for k, p in written.items() if p.is_file()}}))
"""


def make_corpus(maker: Path, n: int, fmt: str, folder: Path) -> Path:
    path = folder / f"corpus-{n}.{'jsonl' if fmt == 'jsonl' else 'txt'}"
    if not path.exists():
        with path.open("wb") as f:
            subprocess.run([sys.executable, str(maker), "--comments", str(n), "--format", fmt], stdout=f, check=True)
    return path


def tree_pss_mb(root: int) -> tuple[float, int]:
    """Memory a process and all its descendants hold together: the sum of their PSS (a page shared
    by k processes, as forked workers share the parent's pages copy-on-write, counts 1/k in each),
    and how many processes that is (a local Dask cluster's nannies spawn its workers as children
    of the build's process; they are counted here)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    total, todo, seen = 0.0, [root], 0
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith("Pss:")) / 1024
                seen += 1
        except (OSError, StopIteration):
            continue
    return total, seen


PSS_INTERVAL = 2.0


def run_build(path: Path, out: Path, jobs: int, engine: str = "local") -> dict:
    """Build in a fresh process; besides the figures it reports itself, the peak of the memory it
    and its worker processes held together (sampled every two seconds: the kernel takes about
    30 ms to sum the PSS of a 2 GB process, so sampling every half second took some 7% of this
    2-core machine from the build being timed)."""
    with tempfile.TemporaryFile("w+") as out_f, tempfile.TemporaryFile("w+") as err_f:
        proc = subprocess.Popen([sys.executable, "-c", CHILD, str(path), str(out), str(jobs), engine], stdout=out_f,
                                stderr=err_f, text=True)
        peak, most = 0.0, 0
        while proc.poll() is None:
            mb, n = tree_pss_mb(proc.pid) if Path("/proc").is_dir() else (float("nan"), 0)
            peak, most = max(peak, mb), max(most, n)
            time.sleep(PSS_INTERVAL)
        out_f.seek(0)
        err_f.seek(0)
        if proc.returncode:
            raise SystemExit(f"build of {path} failed:\n{err_f.read()[-2000:]}")
        result = json.loads(out_f.read().strip().splitlines()[-1])
    result["tree_mb"], result["processes"] = peak, most
    return result


def partition_rates(r: dict, n: int) -> str:
    """The Dask build's tasks by pass: partitions, compute seconds on the workers, comments per
    second per worker core (every pass sees every comment once)."""
    passes: dict[str, list[float]] = {}
    for name, seconds in r["tasks"]:
        passes.setdefault(name, []).append(seconds)
    parts = [f"{name}: {len(t)} partitions of ~{n // len(t):,}, {sum(t):.1f} s on workers, "
             f"{n / sum(t):,.0f} comments/s a core ({n / len(t) / statistics.median(t):,.0f} in the median partition; "
             f"partitions {min(t):.2f}-{max(t):.2f} s)"
             for name, t in sorted(passes.items()) if sum(t) > 0]
    return f"{'':>16} cluster start {r['cluster']:.1f} s; at most {r['processes']} processes in 'all MB'; " + "; ".join(parts)


def compare_outputs(a: Path, b: Path) -> str:
    """Whether two output folders hold the same files, byte for byte."""
    import filecmp

    names = sorted(p.name for p in a.iterdir() if p.is_file())
    same = sorted(p.name for p in b.iterdir() if p.is_file()) == names and \
        all(filecmp.cmp(a / name, b / name, shallow=False) for name in names)
    return f"{'':>16} {a.name} and {b.name}: {'identical' if same else 'DIFFERENT'} ({', '.join(names)})"


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


COLD_RUNS = 5


def cold_questions(out: Path) -> list[list[str]]:
    """The four index-backed commands, on names the build holds: the most mentioned person, the most
    mentioned concept (its first 20 comments: it is in tens of thousands), a mid-ranked concept
    (all its comments), and a comment in the middle."""
    import sqlite3

    con = sqlite3.connect(out / "index.sqlite")
    ranked = {kind: [label for (label,) in con.execute(
        "SELECT e.label FROM mentions m JOIN entities e ON e.pos = m.entity WHERE e.kind = ? "
        "GROUP BY m.entity ORDER BY count(*) DESC, e.pos LIMIT 50", (kind,))] for kind in ("person", "concept")}
    n = con.execute("SELECT count(*) FROM comments").fetchone()[0]
    con.close()
    person, concept = ranked["person"][0], ranked["concept"][0]
    return [["related", f"#{n // 2}"], ["related", "#1", "-k", "20"], ["comments-about", concept, "-k", "20"],
            ["comments-about", ranked["concept"][-1]], ["comments-mentioning", person, "-k", "20"],
            ["near", person], ["near", concept]]


def time_cold_commands(out: Path) -> None:
    """Each command in a new process (Python start-up and imports included), COLD_RUNS times: the
    first run may read the index from disk, the others from the page cache."""
    print(f"cold commands on {out} (index.sqlite {(out / 'index.sqlite').stat().st_size / 1e6:.0f} MB, "
          f"graph.json {(out / 'graph.json').stat().st_size / 1e6:.0f} MB), {COLD_RUNS} runs each:")
    for args in cold_questions(out):
        command = [args[0], str(out), *args[1:]]
        times, rows = [], 0
        for _ in range(COLD_RUNS):
            start = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "comment_graph.cli", *command], capture_output=True, text=True)
            times.append(time.perf_counter() - start)
            if done.returncode or done.stderr:
                raise SystemExit(f"{' '.join(command)} failed: {done.stderr.strip()}")
            rows = max(0, done.stdout.count("\n") - 2)  # a table: a header line and a line of dashes
        first, times = times[0], sorted(times)
        print(f"  {' '.join(args):60.60} {rows:7,} rows  first {first:.2f} s  median {times[len(times) // 2]:.2f} s  "
              f"max {times[-1]:.2f} s", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated corpus sizes")
    ap.add_argument("--formats", default="jsonl,text", help="jsonl, text or both")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--engine", choices=["local", "dask", "both"], default="local",
                    help="build locally, on a local Dask cluster of --jobs workers, or both (outputs compared)")
    ap.add_argument("--yake-sample", type=int, default=2000, help="comments YAKE runs over (per size, at most)")
    ap.add_argument("--make-corpus", type=Path, default=DEFAULT_MAKER)
    ap.add_argument("--work", type=Path, default=None, help="folder for corpora and outputs (default: a temp dir)")
    ap.add_argument("--queries", action="store_true",
                    help="also time related/comments-about/comments-mentioning/near on the largest build's index, "
                         "each in a new process, and load that build into an Oxigraph store to time the named queries")
    args = ap.parse_args()
    if not args.make_corpus.exists():
        raise SystemExit(f"corpus generator not found: {args.make_corpus} (pass --make-corpus PATH)")
    work = args.work or Path(tempfile.mkdtemp(prefix="cg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; work dir {work}")
    header = (f"{'corpus':>16} {'MB':>7} {'comments/s':>10} {'MB/s':>6} {'total s':>8} {'read':>6} {'segment':>8} {'survey':>7} {'extract':>8} "
              f"{'resolve':>8} {'write':>7} {'RSS MB':>7} {'(build)':>9} {'all MB':>7} {'ttl MB':>7} {'html MB':>8} {'json MB':>8} "
              f"{'index MB':>9} "
              f"{'YAKE c/s':>9} {'ratio':>6}")
    print(header)
    results = {}
    engines = ["local", "dask"] if args.engine == "both" else [args.engine]
    for fmt in args.formats.split(","):
        for n in (int(s) for s in args.sizes.split(",")):
            corpus = make_corpus(args.make_corpus, n, fmt, work)
            mb = corpus.stat().st_size / 1e6
            jsonl = make_corpus(args.make_corpus, n, "jsonl", work)
            yk = yake_rate(texts_of(jsonl, min(n, args.yake_sample)))
            for engine in engines:
                r = run_build(corpus, work / f"out-{fmt}-{n}-{engine}", args.jobs, engine)
                rate = r["comments"] / r["total"]
                s, o = r["stages"], r["outputs"]
                label = f"{fmt} {n:,}" + (f" {engine}" if len(engines) > 1 or engine != "local" else "")
                print(f"{label:>16} {mb:7.1f} {rate:10.0f} {mb / r['total']:6.2f} {r['total']:8.1f} "
                      f"{s.get('read', 0):6.1f} {s.get('segment', 0):8.1f} {s.get('survey', 0):7.1f} "
                      f"{s.get('extract', 0):8.1f} {s.get('resolve', 0):8.1f} {s['write']:7.1f} "
                      f"{r['rss_mb']:7.0f} {r['rss_build_mb']:9.0f} {r['tree_mb']:7.0f} {o.get('ttl', 0) / 1e6:7.1f} "
                      f"{o.get('html', 0) / 1e6:8.1f} "
                      f"{o.get('state', 0) / 1e6:8.1f} {o.get('index', 0) / 1e6:9.1f} {yk:9.0f} {rate / yk:6.2f}", flush=True)
                if engine == "dask":
                    print(partition_rates(r, n), flush=True)
                results[(fmt, n, engine)] = r["total"]
            if len(engines) > 1:
                print(compare_outputs(*(work / f"out-{fmt}-{n}-{e}" for e in engines)), flush=True)
    if args.queries:
        fmt = args.formats.split(",")[0]
        largest = max(n for f, n, _ in results if f == fmt)
        time_cold_commands(work / f"out-{fmt}-{largest}-{engines[0]}")
        time_queries(work / f"out-{fmt}-{largest}-{engines[0]}" / "graph.ttl", work / f"store-{fmt}-{largest}")
    for fmt in args.formats.split(","):
        for engine in engines:
            sizes = sorted(n for f, n, e in results if f == fmt and e == engine)
            for a, b in zip(sizes, sizes[1:]):
                print(f"growth {fmt} {engine} {a:,} -> {b:,}: {results[(fmt, b, engine)] / results[(fmt, a, engine)]:.1f}x "
                      f"time for {b / a:.0f}x comments")


if __name__ == "__main__":
    main()
