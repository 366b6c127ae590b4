"""index.sqlite: written with every build, the same bytes for the same input, and answering
related / comments-about / comments-mentioning / near exactly as the graph in memory does (same
ids, order, scores, reasons and evidence), on the sample, real pages and a 2,000-comment corpus."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import comment_graph
import comment_graph.cli as cli_module
from comment_graph.cli import main
from comment_graph.errors import GraphIndexError
from comment_graph.index import INDEX_FILE
from comment_graph.index.read import open_index

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REAL = SHARED / "eval" / "real"
MAKE_CORPUS = SHARED / "bench" / "make_corpus.py"
REAL_PAGES = ("evhub-lw.txt", "brienne-lw.txt", "benito-af.txt")
FORMATS = ("table", "csv", "json")


def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def build(out: Path, *inputs, jobs: int = 1) -> Path:
    r = cli("build", *inputs, "--out", out, "--jobs", jobs, "-q")
    assert r.exit_code == 0, r.output
    return out


def without_index(folder: Path, tmp: Path) -> Path:
    """The same build with no index: the CLI then answers from graph.json."""
    copy = tmp / f"{folder.name}-no-index"
    shutil.copytree(folder, copy)
    (copy / INDEX_FILE).unlink()
    return copy


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory):
    return build(tmp_path_factory.mktemp("sample") / "out")


@pytest.fixture(scope="module")
def corpus_out(tmp_path_factory):
    if not MAKE_CORPUS.is_file():
        pytest.skip(f"no corpus maker at {MAKE_CORPUS}")
    folder = tmp_path_factory.mktemp("corpus")
    corpus = folder / "c2k.jsonl"
    with corpus.open("w") as f:
        subprocess.run([sys.executable, str(MAKE_CORPUS), "--comments", "2000", "--format", "jsonl"], stdout=f,
                       check=True)
    return build(folder / "out", corpus, jobs=2)


@pytest.fixture(scope="module")
def real_out(tmp_path_factory):
    pages = [REAL / p for p in REAL_PAGES if (REAL / p).is_file()]
    if not pages:
        pytest.skip(f"no real pages at {REAL}")
    return build(tmp_path_factory.mktemp("real") / "out", *pages)


def questions(kg, n_comments: int, n_entities: int) -> list[tuple[str, tuple]]:
    """Several comments and entities spread over the graph, asked in the ways users ask (id, label,
    label in other case, '#N'), plus names that find nothing."""
    comments = kg.comments[::max(1, len(kg.comments) // n_comments)]
    entities = sorted(kg.entities.values(), key=lambda e: (-e.comment_count, e.id))
    picked = entities[:n_entities // 2] + entities[n_entities // 2::max(1, len(entities) // n_entities)]
    asked = [("related", (c.id, 5)) for c in comments] + [("related", ("#2", 50)), ("related", ("no-such", 5))]
    for e in picked:
        asked += [("comments_mentioning", (e.label,)), ("comments_mentioning", (e.id,)),
                  ("near", (e.label.upper(), 10)), ("near", (e.id, 1000))]
        asked.append(("comments_mentioning", (e.label, 2)))
        if e.kind == "concept":
            asked += [("comments_about", (e.label,)), ("comments_about", (e.label, 3))]
    return asked + [("comments_about", ("no such concept",)), ("near", ("nobody at all", 10))]


def answer(source, method: str, args: tuple):
    try:
        return getattr(source, method)(*args)
    except comment_graph.CommentGraphError as e:
        return f"{type(e).__name__}: {e}"


def assert_same_answers(folder: Path, n_comments: int, n_entities: int) -> int:
    kg = comment_graph.load(folder)
    index = open_index(folder)
    assert index is not None
    asked = questions(kg, n_comments, n_entities)
    found = 0
    for method, args in asked:
        expected = answer(kg, method, args)
        assert answer(index, method, args) == expected, (method, args)
        found += isinstance(expected, list) and len(expected) > 0
    assert found > len(asked) // 2  # most questions have answers: the comparison is not of empty lists
    return len(asked)


COMMANDS = {"related": "related", "comments_about": "comments-about", "comments_mentioning": "comments-mentioning",
            "near": "near"}


def assert_same_cli_output(folder: Path, tmp_path: Path, monkeypatch, n_comments: int, n_entities: int) -> None:
    """Every command, every --format, on the folder (index) and on its copy without one (graph.json,
    loaded once here, as the CLI loads it on every call)."""
    plain = without_index(folder, tmp_path)
    kg = comment_graph.load(plain)
    monkeypatch.setattr(cli_module, "_graph", lambda source: kg)
    for method, args in questions(kg, n_comments, n_entities):
        argv = [COMMANDS[method], args[0]] + (["-k", args[1]] if len(args) > 1 else [])
        for fmt in FORMATS:
            fast, slow = cli(argv[0], folder, *argv[1:], "--format", fmt), cli(argv[0], plain, *argv[1:], "--format", fmt)
            assert (fast.exit_code, fast.stdout) == (slow.exit_code, slow.stdout), (argv, fmt)
            assert fast.stderr == ("" if fast.exit_code == 0 else slow.stderr.splitlines()[-1] + "\n")


def test_every_build_writes_the_index_with_its_outputs(sample_out):
    assert (sample_out / INDEX_FILE).is_file()
    assert not [p.name for p in sample_out.iterdir() if p.name.startswith(".")]


def test_the_sample_answers_as_in_memory(sample_out):
    assert assert_same_answers(sample_out, 10, 200) > 100


def test_the_sample_prints_as_from_graph_json(sample_out, tmp_path, monkeypatch):
    assert_same_cli_output(sample_out, tmp_path, monkeypatch, 4, 6)


def test_real_pages_answer_as_in_memory(real_out, tmp_path, monkeypatch):
    assert assert_same_answers(real_out, 40, 80) > 100
    assert_same_cli_output(real_out, tmp_path, monkeypatch, 2, 3)


def test_a_large_corpus_answers_as_in_memory(corpus_out, tmp_path, monkeypatch):
    assert assert_same_answers(corpus_out, 30, 30) > 100
    assert_same_cli_output(corpus_out, tmp_path, monkeypatch, 2, 2)


def test_the_same_input_gives_the_same_index_bytes(corpus_out, tmp_path):
    """Two builds in two folders, one process against two: identical files."""
    corpus = corpus_out.parent / "c2k.jsonl"
    again = build(tmp_path / "again", corpus, jobs=1)
    assert (again / INDEX_FILE).read_bytes() == (corpus_out / INDEX_FILE).read_bytes()
    twice = build(tmp_path / "twice", comment_graph.sample_path())
    once = build(tmp_path / "once", comment_graph.sample_path())
    assert (twice / INDEX_FILE).read_bytes() == (once / INDEX_FILE).read_bytes()


def test_an_appended_build_keeps_its_index_in_step(tmp_path, write_page):
    from tests.conftest import make_corpus

    first, second = make_corpus(60, tmp_path / "a.jsonl"), tmp_path / "b.jsonl"
    second.write_text("\n".join(line.replace('"g', '"h') for line in make_corpus(30, tmp_path / "x.jsonl")
                                .read_text().splitlines()[:30]) + "\n")
    out = build(tmp_path / "out", first)
    r = cli("build", "--append", second, "--out", out, "-q")
    assert r.exit_code == 0, r.output
    assert len(comment_graph.load(out).comments) == 90
    assert assert_same_answers(out, 20, 30) > 20


def damage(folder: Path, how: str) -> None:
    path = folder / INDEX_FILE
    if how == "version":
        with sqlite3.connect(path) as con:
            con.execute("UPDATE meta SET value = '0' WHERE key = 'version'")
    elif how == "garbage":
        path.write_bytes(b"not a database at all" * 100)
    elif how == "stale":  # a later build by a version that writes no index replaced graph.json
        (folder / "graph.json").write_bytes((folder / "graph.json").read_bytes().replace(b'"version":3', b'"version":3 '))


@pytest.mark.parametrize("how, problem", [("version", "another version"), ("garbage", "unreadable index"),
                                          ("stale", "does not belong to the graph.json")])
def test_an_index_that_is_not_this_builds_is_refused_and_graph_json_answers(sample_out, tmp_path, how, problem):
    folder = tmp_path / "out"
    shutil.copytree(sample_out, folder)
    expected = cli("near", sample_out, "AI alignment").stdout
    damage(folder, how)
    with pytest.raises(GraphIndexError, match=problem):
        open_index(folder)
    r = cli("near", folder, "AI alignment")
    assert r.exit_code == 0 and r.stdout == expected
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("warning: ") and problem in r.stderr


def test_an_old_folder_without_index_answers_from_graph_json_with_a_hint(sample_out, tmp_path):
    plain = without_index(sample_out, tmp_path)
    r = cli("comments-about", plain, "AI alignment")
    assert r.exit_code == 0 and r.stdout == cli("comments-about", sample_out, "AI alignment").stdout
    assert r.stderr.startswith("note: ") and "rebuild" in r.stderr


def test_a_failed_index_write_leaves_the_folder_as_it_was(sample_out, tmp_path, monkeypatch):
    import comment_graph.index.write as writer

    folder = tmp_path / "out"
    shutil.copytree(sample_out, folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}

    def broken(kg, path):
        path.write_bytes(b"half an index")
        raise comment_graph.ExportError("disk full")

    monkeypatch.setattr(writer, "write_index", broken)
    with pytest.raises(comment_graph.ExportError, match="disk full"):
        comment_graph.write(comment_graph.build(comment_graph.sample_path(), max_concepts_per_comment=2), folder)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


COLD = """
import sys
from comment_graph.cli import main
try:
    main([sys.argv[1], sys.argv[2], sys.argv[3]])
except SystemExit:
    pass
heavy = sorted(m for m in ("scipy", "sklearn", "rdflib", "networkx", "pyvis", "pyoxigraph", "orjson")
               if m in sys.modules)
print("HEAVY", heavy)
"""


@pytest.mark.parametrize("command, arg", [("related", "#1"), ("comments-about", "AI alignment"),
                                          ("comments-mentioning", "Steven Byrnes"), ("near", "AI alignment")])
def test_the_index_answers_without_loading_the_graph_or_heavy_libraries(sample_out, command, arg):
    r = subprocess.run([sys.executable, "-c", COLD, command, str(sample_out), arg], capture_output=True, text=True)
    assert r.stdout.splitlines()[-1] == "HEAVY []", r.stdout + r.stderr
    assert len(r.stdout.splitlines()) > 3


def test_an_index_missing_a_table_is_one_line_error_not_a_traceback(sample_out, tmp_path):
    folder = tmp_path / "out"
    shutil.copytree(sample_out, folder)
    with sqlite3.connect(folder / INDEX_FILE) as con:
        con.execute("DROP TABLE positions")
    r = cli("comments-about", folder, "AI alignment")
    assert r.exit_code == 1 and r.stderr.count("\n") == 1
    assert r.stderr.startswith("error: ") and "index cannot answer" in r.stderr and "rebuild" in r.stderr
