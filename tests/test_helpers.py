"""The write stage's helper processes (compute.helpers): fresh interpreters, not forks, that run
what they are sent in order, report failures as the same errors, and end with their build."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import comment_graph
from comment_graph.compute.helpers import Helpers
from comment_graph.errors import ExportError

pytestmark = pytest.mark.skipif(os.name != "posix", reason="helpers receive their socket as an inherited descriptor")


def _numbered(part, start, own, *, shared):
    """A task as the engines run them: what it was given, so the test sees it arrived whole."""
    return start, list(part), own, shared


def test_a_helper_is_a_new_interpreter_that_runs_calls_in_turn():
    with Helpers(1) as helpers:
        pid = helpers.submit(os.getpid).result(timeout=60)
        assert pid != os.getpid()
        if Path("/proc/self/cmdline").exists():  # not forked from this process: a command line of its own
            assert b"comment_graph.compute.helpers" in Path(f"/proc/{pid}/cmdline").read_bytes()
        assert helpers.submit(sorted, [3, 1, 2], reverse=True).result(timeout=60) == [3, 2, 1]
        big = os.urandom(9 << 20)  # larger than a socket's buffer: crosses in several sends
        assert helpers.submit(bytes, big).result(timeout=60) == big


def test_partitions_come_back_in_order_with_their_own_data():
    comments = [f"c{i}" for i in range(23)]
    bounds = [(0, 5), (5, 6), (6, 17), (17, 23)]
    with Helpers(2) as helpers:
        got = list(helpers.map(_numbered, comments, bounds, "shared", own=["a", "b", "c", "d"]))
    assert got == [(b, (a, comments[a:b], own, "shared")) for (a, b), own in zip(bounds, "abcd")]


def test_a_failure_in_a_helper_is_raised_here_as_the_same_error():
    with Helpers(1) as helpers:
        with pytest.raises(ValueError, match="invalid literal for int"):
            helpers.submit(int, "not a number").result(timeout=60)
        assert helpers.submit(int, "42").result(timeout=60) == 42  # and the helper goes on


def test_a_helper_that_dies_fails_its_calls_with_a_clear_error():
    with Helpers(1) as helpers:
        with pytest.raises(ExportError, match=r"helper process of the build ended \(exit code 3\).*--jobs 1"):
            helpers.submit(os._exit, 3).result(timeout=60)
        with pytest.raises(ExportError, match="exit code 3"):
            helpers.submit(os.getpid).result(timeout=60)


def test_a_script_without_a_main_guard_is_not_run_again_by_its_helpers(tmp_path):
    """multiprocessing's spawn would import the caller's script in the child: a script calling
    build() at its top level, unguarded, would build twice."""
    runs = tmp_path / "runs"
    script = tmp_path / "script.py"
    script.write_text(textwrap.dedent(f"""
        import os
        from comment_graph.compute.helpers import Helpers
        with open({str(runs)!r}, "a") as f:
            f.write("ran\\n")
        with Helpers(1) as helpers:
            assert helpers.submit(os.getpid).result(timeout=60) != os.getpid()
    """))
    subprocess.run([sys.executable, str(script)], check=True, timeout=120)
    assert runs.read_text() == "ran\n"


def test_helpers_write_the_same_bytes_as_one_process(tmp_path, monkeypatch):
    import comment_graph.export.folder as folder

    kg = comment_graph.build(jobs=2)
    monkeypatch.setattr(folder, "HELPERS_MIN", 0)  # the sample is far below the size that starts helpers
    helped = comment_graph.write(kg, tmp_path / "helped", ("ttl", "nt"))
    monkeypatch.setattr(folder, "HELPERS_MIN", 10**9)
    alone = comment_graph.write(kg, tmp_path / "alone", ("ttl", "nt"))
    assert {k: p.read_bytes() for k, p in helped.items() if p.is_file()} == \
        {k: p.read_bytes() for k, p in alone.items() if p.is_file()}
    assert sorted(p.name for p in (tmp_path / "helped").iterdir()) == sorted(p.name for p in (tmp_path / "alone").iterdir())


def test_the_index_makes_the_text_matrix_itself_where_the_helper_could_not(tmp_path, monkeypatch):
    import comment_graph.export.folder as folder
    import comment_graph.related as related

    kg = comment_graph.build(jobs=2)
    expected = comment_graph.write(kg, tmp_path / "alone", ())["index"].read_bytes()

    def unreadable(comments, path):
        Path(path).write_text("not JSON\n")

    monkeypatch.setattr(folder, "HELPERS_MIN", 0)
    monkeypatch.setattr(related, "write_own_texts", unreadable)
    written = comment_graph.write(kg, tmp_path / "helped", ())
    assert written["index"].read_bytes() == expected
    assert not [p for p in (tmp_path / "helped").iterdir() if p.name.startswith(".")]  # the texts' file is gone


def test_a_helper_makes_the_text_matrix_so_this_process_does_not(tmp_path, monkeypatch):
    import comment_graph.export.folder as folder
    import comment_graph.related as related

    kg = comment_graph.build(jobs=2)
    expected = comment_graph.write(kg, tmp_path / "alone", ())["index"].read_bytes()

    def not_here(comments):
        raise AssertionError("the build's process made the TF-IDF matrix itself")

    monkeypatch.setattr(folder, "HELPERS_MIN", 0)
    monkeypatch.setattr(related, "text_matrix", not_here)
    assert comment_graph.write(kg, tmp_path / "helped", ())["index"].read_bytes() == expected


def test_texts_that_cannot_be_read_are_an_error_not_an_empty_matrix(tmp_path):
    from comment_graph.related import text_matrix_from_file

    (tmp_path / "texts").write_text('"reward models"\n"cut sh\n')
    with pytest.raises(RuntimeError, match="cannot read the comments' texts"):
        text_matrix_from_file(str(tmp_path / "texts"))
    (tmp_path / "texts").write_text('"the"\n"of and"\n')  # stop words only: a column of nothing, as before
    assert text_matrix_from_file(str(tmp_path / "texts")).shape == (2, 1)


def test_where_no_helper_can_start_this_process_writes_everything(tmp_path, monkeypatch):
    import comment_graph.export.folder as folder

    kg = comment_graph.build(jobs=2)
    alone = comment_graph.write(kg, tmp_path / "alone", ("ttl",))
    monkeypatch.setattr(folder, "HELPERS_MIN", 0)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-such-python"))  # an embedded or frozen Python
    with pytest.raises(ExportError, match="cannot start a helper process"):
        Helpers(1)
    written = comment_graph.write(kg, tmp_path / "written", ("ttl",))
    assert {k: p.read_bytes() for k, p in written.items() if p.is_file()} == \
        {k: p.read_bytes() for k, p in alone.items() if p.is_file()}


@pytest.mark.parametrize("helpers_from", [0, 10**9])
def test_the_write_reports_each_step_once_and_ends_complete(tmp_path, monkeypatch, helpers_from):
    import comment_graph.export.folder as folder

    kg = comment_graph.build(jobs=2)
    monkeypatch.setattr(folder, "HELPERS_MIN", helpers_from)
    calls = []
    comment_graph.write(kg, tmp_path / "out", ("ttl", "nt"), store=True, progress=lambda *a: calls.append(a))
    total = calls[0][2]
    assert {stage for stage, _, _ in calls} == {"write"} and {t for _, _, t in calls} == {total}
    assert [done for _, done, _ in calls] == list(range(total + 1))  # 0, each file or piece, the store


@pytest.fixture
def temporaries(tmp_path, monkeypatch) -> Path:
    """The system's temporary folder, for this test alone: where the build's helper keeps its files."""
    import tempfile

    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_the_build_has_a_helper_make_the_text_matrix_while_it_resolves(tmp_path, monkeypatch, temporaries):
    import comment_graph.compute.helpers as helpers_module
    import comment_graph.related as related

    expected = comment_graph.write(comment_graph.build(jobs=1), tmp_path / "alone", ())["index"].read_bytes()

    def not_here(comments):
        raise AssertionError("the build's process made the TF-IDF matrix itself")

    monkeypatch.setattr(helpers_module, "HELPERS_MIN", 0)  # the sample is far below the size that starts one
    monkeypatch.setattr(related, "text_matrix", not_here)
    kg = comment_graph.build(jobs=2)
    assert kg.text_prefetched
    copied = pickle.loads(pickle.dumps(kg))  # a pickle holds the matrix, not the helper making it
    assert comment_graph.write(kg, tmp_path / "helped", ())["index"].read_bytes() == expected
    assert not kg.text_prefetched and not list(temporaries.iterdir())  # taken once; its texts and matrix gone
    assert comment_graph.write(copied, tmp_path / "copied", ())["index"].read_bytes() == expected


def test_a_made_text_matrix_leaves_nothing_in_the_temporary_folder(monkeypatch, temporaries):
    """Once the helper has made the matrix, its file is held open and unlinked: a build killed
    before it takes the matrix (SIGKILL, the OOM killer) leaves nothing behind."""
    import time

    import comment_graph.compute.helpers as helpers_module

    monkeypatch.setattr(helpers_module, "HELPERS_MIN", 0)
    kg = comment_graph.build(jobs=2)
    pending = kg.__dict__["_text_matrix"]
    assert pending.future.result() == len(kg.comments)
    deadline = time.monotonic() + 30  # the future's callbacks run just after its waiters wake
    while list(temporaries.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not list(temporaries.iterdir())
    assert pending.result().shape[0] == len(kg.comments)


def _my_helpers() -> set[int]:
    """The helper processes this process started and that still run."""
    found = set()
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            stat = (proc / "stat").read_text().rpartition(")")[2].split()
            if int(stat[1]) == os.getpid() and stat[0] != "Z" and \
                    b"comment_graph.compute.helpers" in (proc / "cmdline").read_bytes():
                found.add(int(proc.name))
        except (OSError, IndexError, ValueError):
            continue
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc")
def test_a_text_matrix_never_taken_goes_with_its_graph(monkeypatch, temporaries):
    import gc
    import time

    import comment_graph.compute.helpers as helpers_module

    helpers_before = _my_helpers()
    monkeypatch.setattr(helpers_module, "HELPERS_MIN", 0)
    kg = comment_graph.build(jobs=2)
    del kg
    gc.collect()
    assert not list(temporaries.iterdir())
    deadline = time.monotonic() + 30
    while (_my_helpers() - helpers_before) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _my_helpers() - helpers_before


def test_a_process_forked_from_the_build_does_not_wait_for_its_helper(monkeypatch, temporaries):
    """The helper's answer arrives on a thread of the build's process, which a fork does not copy:
    a forked index writer (a Dask build's) waited for ever. It makes the matrix itself instead."""
    import signal

    import comment_graph.compute.helpers as helpers_module

    monkeypatch.setattr(helpers_module, "HELPERS_MIN", 0)
    kg = comment_graph.build(jobs=2)
    pending = kg.__dict__["_text_matrix"]
    pid = os.fork()
    if pid == 0:  # the child: a hang ends in SIGALRM, a failure in exit code 1
        code = 1
        try:
            signal.alarm(60)
            code = 0 if pending.result() is None else 1
        finally:
            os._exit(code)
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
    assert pending.result().shape[0] == len(kg.comments)  # the build's process still takes the matrix


def test_a_graph_settles_its_text_matrix_before_writers_fork(monkeypatch):
    import comment_graph.compute.helpers as helpers_module

    monkeypatch.setattr(helpers_module, "HELPERS_MIN", 0)
    kg = comment_graph.build(jobs=2)
    kg.settle_text()
    pending = kg.__dict__["_text_matrix"]
    pid = os.fork()
    if pid == 0:
        os._exit(0 if pending.result() is not None and pending.result().shape[0] == len(kg.comments) else 1)
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0


def test_a_text_matrix_with_the_wrong_rows_is_made_again_here(tmp_path, monkeypatch):
    import comment_graph.compute.helpers as helpers_module
    import comment_graph.related as related

    expected = comment_graph.write(comment_graph.build(jobs=1), tmp_path / "alone", ())["index"].read_bytes()
    monkeypatch.setattr(helpers_module, "HELPERS_MIN", 0)
    real = related.write_own_texts
    monkeypatch.setattr(related, "write_own_texts", lambda comments, path: real(comments[:-1], path))
    kg = comment_graph.build(jobs=2)
    assert kg.text_prefetched
    assert comment_graph.write(kg, tmp_path / "again", ())["index"].read_bytes() == expected
