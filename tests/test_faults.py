"""Faults during a build (issue #24): a failure, a stop or a kill while writing leaves the previous
outputs whole, the Oxigraph store included; the store never answers for a graph it does not hold;
the next build removes what a killed one left; workers die with the build; one build at a time
writes into a folder."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import comment_graph
from comment_graph.cli import main
from comment_graph.errors import ExportError, InputError
from comment_graph.sparql import query

from conftest import make_corpus

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under the folder by its hash (RocksDB's own lock and log files aside: a reader
    may touch those)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != "LOCK" and not p.name.startswith("LOG")}


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def stored(tmp_path):
    """An output folder built from a small page with --store."""
    page = tmp_path / "page.txt"
    page.write_text("Paul Christiano wrote about iterated amplification.\n\n"
                    "I disagree with Paul about debate as an alignment technique.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert cli("build", str(page), "--out", str(out), "--store", "-q").exit_code == 0
    return out


def test_a_rebuild_without_store_takes_the_old_store_away(stored):
    triples = query(stored, COUNT)[0]["n"]
    assert cli("build", "--out", str(stored), "-q").exit_code == 0  # the bundled sample, much larger
    assert not (stored / "store").exists()
    assert query(stored, COUNT)[0]["n"] > triples  # graph.ttl's answer, not the old store's


def test_a_store_older_than_graph_json_is_refused_not_queried(stored):
    (stored / "graph.json").write_bytes((stored / "graph.json").read_bytes() + b" ")  # as a stopped build leaves it
    r = cli("query", str(stored), COUNT)
    assert r.exit_code == 1 and r.output.count("\n") == 1 and "older than graph.json" in r.output
    with pytest.raises(InputError, match="rebuild with --store"):
        query(stored, COUNT)


def test_a_store_copied_with_its_folder_still_answers(stored, tmp_path):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(stored, copy)  # new inodes and times: the stamp's hash decides
    os.utime(copy / "graph.json", (1, 1))
    assert query(copy, COUNT) == query(stored, COUNT)


def test_a_failure_while_loading_the_store_leaves_every_output_as_it_was(stored, monkeypatch):
    import comment_graph.sparql as sparql

    def broken(*args, **kwargs):
        raise ExportError("cannot load the Oxigraph store: disk full")

    before = snapshot(stored)
    monkeypatch.setattr(sparql, "stage_store", broken)
    with pytest.raises(ExportError, match="disk full"):
        comment_graph.write(comment_graph.build(), stored, store=True)
    assert snapshot(stored) == before
    assert temporaries(stored) == []


def test_the_next_build_removes_what_killed_builds_left(stored):
    (stored / ".graph.ttl.k3j9.tmp").write_bytes(b"half a graph")
    (stored / ".store.x81d").mkdir()
    (stored / ".store.x81d" / "000001.sst").write_bytes(b"half a store")
    (stored / ".keep").write_text("the user's own")
    assert cli("build", "--out", str(stored), "--store", "-q").exit_code == 0
    assert temporaries(stored) == [".keep"]


def test_one_build_at_a_time_writes_into_a_folder(stored):
    from comment_graph.export.folder import output_lock

    before = snapshot(stored)
    with output_lock(stored):
        r = cli("build", "--out", str(stored), "--store", "-q")
    assert r.exit_code == 1 and "another build is writing into this folder" in r.output
    assert snapshot(stored) == before


def _start_build(args: list[str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "comment_graph.cli", "build", *args, "-q"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(condition, proc: subprocess.Popen, what: str, timeout: float = 120) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert proc.poll() is None, f"the build ended before {what}: {proc.communicate()}"
        assert time.monotonic() < end, f"no {what} within {timeout} s"
        time.sleep(0.005)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_stop_signal_while_writing_leaves_the_previous_outputs(stored, tmp_path, signum):
    corpus = make_corpus(3000, tmp_path / "c.jsonl")
    before = snapshot(stored)
    proc = _start_build([str(corpus), "--out", str(stored), "--store"])
    _wait_for(lambda: any(n.startswith(".graph.") for n in temporaries(stored)), proc, "temporary output")
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signum, err
    assert err.strip() == f"stopped by {signal.Signals(signum).name}; outputs left as they were"
    assert snapshot(stored) == before
    assert temporaries(stored) == []


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie is dead
    except OSError:
        return False


def _helpers_of(pid: int) -> list[int]:
    found = []
    for child in _children(pid):
        try:
            if b"comment_graph.compute.helpers" in Path(f"/proc/{child}/cmdline").read_bytes():
                found.append(child)
        except OSError:
            continue
    return found


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads children from /proc (Linux)")
def test_a_stop_while_helpers_write_leaves_the_previous_outputs_and_no_helper(stored, tmp_path):
    corpus = make_corpus(3000, tmp_path / "c.jsonl")  # large enough that the write stage starts helpers
    before = snapshot(stored)
    proc = _start_build([str(corpus), "--out", str(stored), "--store", "--jobs", "2"])
    _wait_for(lambda: _helpers_of(proc.pid), proc, "helper processes")
    helpers = _helpers_of(proc.pid)
    time.sleep(0.5)  # into their work: the first ranges or the text matrix
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert snapshot(stored) == before
    assert temporaries(stored) == []  # the ranges helpers wrote, and the texts' file, removed
    assert not any(map(_alive, helpers))


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads children from /proc (Linux)")
def test_workers_die_when_their_build_is_killed(tmp_path):
    corpus = make_corpus(2000, tmp_path / "c.jsonl")
    proc = _start_build([str(corpus), "--out", str(tmp_path / "out"), "--jobs", "2"])
    _wait_for(lambda: len(_children(proc.pid)) >= 2, proc, "worker processes")
    workers = _children(proc.pid)
    proc.kill()
    proc.wait()
    end = time.monotonic() + 10
    while any(map(_alive, workers)) and time.monotonic() < end:
        time.sleep(0.05)
    assert not any(map(_alive, workers))
    # and the next build into the folder finds nothing of the killed one
    assert cli("build", "--out", str(tmp_path / "out"), "-q").exit_code == 0
    assert temporaries(tmp_path / "out") == []


def test_load_store_still_makes_a_store_from_a_file(stored, tmp_path):
    from comment_graph.sparql import load_store

    store = load_store(tmp_path / "elsewhere" / "store", stored / "graph.ttl")
    assert query(store, COUNT) == query(stored, COUNT)
