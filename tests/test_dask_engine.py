"""The Dask engine (`build --engine dask`): every output file byte for byte the local build's, on
the bundled sample, the real pages beside the project and a generated corpus, on a local cluster
of two worker processes; and the one-line errors when Dask is missing or the options disagree.

One cluster serves the module's builds through `scheduler=` (the path a real cluster takes); the
sample is built through the command line without `--scheduler`, which starts and stops a cluster
of its own."""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import comment_graph
from comment_graph.cli import main
from comment_graph.errors import ConfigError, ExportError

from conftest import make_corpus

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "real"
HAVE_DASK = importlib.util.find_spec("distributed") is not None
needs_dask = pytest.mark.skipif(not HAVE_DASK, reason="Dask is not installed (pip install 'comment-graph[dask]')")
RDF = ("ttl", "nt")


@pytest.fixture(scope="module")
def scheduler():
    """A local cluster of two single-threaded worker processes, for the module."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, silence_logs=40) as cluster:
        yield cluster.scheduler_address


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _same_outputs(tmp_path: Path, sources, scheduler: str, **options) -> dict[str, bytes]:
    """Build `sources` locally and on the cluster; every output file must be the same bytes."""
    local = comment_graph.build(sources, **options)
    comment_graph.write(local, tmp_path / "local", rdf=RDF)
    on_dask = comment_graph.build(sources, engine="dask", scheduler=scheduler, **options)
    comment_graph.write(on_dask, tmp_path / "dask", rdf=RDF)
    a, b = _files(tmp_path / "local"), _files(tmp_path / "dask")
    assert sorted(a) == sorted(b) == ["graph.html", "graph.json", "graph.nt", "graph.ttl", "index.sqlite"]
    for name in a:
        assert a[name] == b[name], f"{name} differs between the local and the Dask build"
    return a


@needs_dask
def test_sample_through_the_cli_on_a_cluster_of_its_own(tmp_path, monkeypatch):
    from comment_graph.compute import dask_engine

    started, real_init = [], dask_engine.DaskEngine.__init__

    def counted(self, *args, **kwargs):
        started.append(args)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(dask_engine.DaskEngine, "__init__", counted)
    runner = CliRunner()
    local = runner.invoke(main, ["build", "--out", str(tmp_path / "local"), "--rdf", "ttl,nt,jsonld", "-q"])
    dask = runner.invoke(main, ["build", "--engine", "dask", "--out", str(tmp_path / "dask"), "--rdf", "ttl,nt,jsonld",
                                "-q"])
    assert local.exit_code == 0 and dask.exit_code == 0, dask.output
    a, b = _files(tmp_path / "local"), _files(tmp_path / "dask")
    assert len(a) == 6 and a == b  # graph.json, index.sqlite, graph.html and three RDF files
    assert len(started) == 1  # the write used the build's cluster, not a second one


@needs_dask
@pytest.mark.skipif(not REAL.is_dir(), reason=f"no real pages at {REAL}")
@pytest.mark.parametrize("page", ["barnett-eaf", "hn-trilemma", "gw-weidai-shortform"])
def test_real_pages(tmp_path, scheduler, page):
    files = _same_outputs(tmp_path, REAL / f"{page}.txt", scheduler)
    assert b"sioc:Post" in files["graph.ttl"]  # a page with comments, not an empty graph


@needs_dask
@pytest.mark.skipif(not REAL.is_dir(), reason=f"no real pages at {REAL}")
def test_every_real_page_in_one_build(tmp_path, scheduler):
    _same_outputs(tmp_path, sorted(REAL.glob("*.txt")), scheduler)


@needs_dask
def test_generated_corpus_in_many_partitions(tmp_path, scheduler, monkeypatch):
    # JSONL records: quotes found by the survey on the workers must reach the extraction pass
    # with jobs=2 the client's own writers are forked while the ranges arrive on a thread, and
    # the index writer among them takes the TF-IDF matrix a helper made while the build resolved
    import comment_graph.compute.helpers as helpers_module

    distributed = pytest.importorskip("distributed")
    monkeypatch.setattr(helpers_module, "HELPERS_MIN", 0)
    corpus = make_corpus(1500, tmp_path / "corpus.jsonl")
    with distributed.Client(scheduler) as client, distributed.get_task_stream(client=client) as stream:
        files = _same_outputs(tmp_path, corpus, scheduler, jobs=2)
    assert files["graph.json"].count(b'"id":"g') >= 1500
    ranges = [t for t in stream.data if str(t["key"]).startswith("_range_part")]
    assert len(ranges) >= 8  # the RDF's ranges of comments were written by the workers, in many tasks


def _tasks_left(client) -> int:
    for _ in range(50):  # released asynchronously
        left = client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks))
        if not left:
            break
        time.sleep(0.1)
    return left


@needs_dask
@pytest.mark.parametrize("where", ["worker", "client"])
def test_a_failed_write_on_the_cluster_leaves_the_old_outputs(tmp_path, scheduler, monkeypatch, where):
    distributed = pytest.importorskip("distributed")
    from comment_graph.export.rdf import remote

    kg = comment_graph.build(engine="dask", scheduler=scheduler)
    comment_graph.write(kg, tmp_path, rdf=RDF)
    before = _files(tmp_path)
    if where == "worker":  # a range the workers cannot write: its task fails there
        monkeypatch.setattr(remote, "_own", lambda links, a, b: (None, {}))
        failure = TypeError
    else:  # the page fails on the client while ranges are on their way: they are given up
        def broken(kg):
            raise ExportError("no page")

        monkeypatch.setattr("comment_graph.export.html.render_html", broken)
        failure = ExportError
    with pytest.raises(failure):
        comment_graph.write(kg, tmp_path, rdf=RDF)
    assert _files(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(before)  # no temporaries left
    with distributed.Client(scheduler) as client:
        assert _tasks_left(client) == 0


@needs_dask
def test_append_on_the_cluster_equals_the_local_append(tmp_path, scheduler):
    first, more = make_corpus(300, tmp_path / "a.jsonl"), tmp_path / "b.jsonl"
    make_corpus(500, tmp_path / "all.jsonl")
    more.write_text("".join((tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines(True)[300:]), encoding="utf-8")
    for name, run in (("local", {}), ("dask", {"engine": "dask", "scheduler": scheduler})):
        comment_graph.write(comment_graph.build(first), tmp_path / name)
        comment_graph.write(comment_graph.build(more, append_to=tmp_path / name, **run), tmp_path / name)
    assert _files(tmp_path / "local") == _files(tmp_path / "dask")


def test_missing_dask_is_one_line_naming_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` raises ImportError
    with pytest.raises(ConfigError, match=r"install comment-graph\[dask\]"):
        comment_graph.build(engine="dask")


def test_a_scheduler_needs_the_dask_engine():
    with pytest.raises(ConfigError, match="scheduler: a scheduler is only used by the dask engine"):
        comment_graph.build(scheduler="tcp://127.0.0.1:8786")


@needs_dask
def test_an_unreachable_scheduler_is_one_line(monkeypatch):
    monkeypatch.setattr("comment_graph.compute.dask_engine.CONNECT_TIMEOUT", "1s")
    r = CliRunner().invoke(main, ["build", "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9", "-q"])
    assert r.exit_code == 1
    assert r.output.startswith("error: cannot reach the Dask scheduler at tcp://127.0.0.1:9:")
    assert len(r.output.strip().splitlines()) == 1
