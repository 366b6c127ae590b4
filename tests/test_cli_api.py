"""The CLI and the Python API, end to end on the sample."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

import comment_graph
from comment_graph.cli import main


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_build_writes_outputs_and_prints_summary(tmp_path):
    r = run("build", "--out", str(tmp_path))
    assert r.exit_code == 0, r.output
    assert (tmp_path / "graph.ttl").exists() and (tmp_path / "graph.html").exists()
    assert "comments" in r.output and "top persons" in r.output and "graph.html" in r.output


def test_query_formats(tmp_path):
    assert run("build", "--out", str(tmp_path), "-q").exit_code == 0
    q = "SELECT ?n WHERE { ?p a foaf:Person ; foaf:name ?n } ORDER BY ?n"
    table = run("query", str(tmp_path / "graph.ttl"), q)
    assert table.exit_code == 0 and "Yann LeCun" in table.output
    as_json = json.loads(run("query", str(tmp_path), q, "--format", "json").output)
    assert {"n": "Yann LeCun"} in as_json
    as_csv = run("query", str(tmp_path / "graph.ttl"), q, "--format", "csv").output.splitlines()
    assert as_csv[0] == "n"


def test_related_command(sample_kg):
    cid = sample_kg.comments[0].id
    r = run("related", str(comment_graph.sample_path()), cid, "-k", "3", "--format", "json")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    assert rows and all(row["comment_id"] != cid for row in rows)


@pytest.mark.parametrize("args, message", [
    (("build", "/no/such/file.txt"), "no such file"),
    (("query", "/no/such.ttl", "SELECT * {}"), "no such graph file"),
    (("related", "/no/such/file.txt", "x"), "no such file"),
    (("related", "-", "x"), "<stdin>: the file is empty"),  # '-' is standard input, here empty
])
def test_errors_are_one_line(args, message, tmp_path):
    r = run(*args)
    assert r.exit_code == 1 and r.output.startswith("error: ") and len(r.output.splitlines()) == 1, r.output
    assert message in r.output


def test_bad_sparql_is_one_line(tmp_path):
    run("build", "--out", str(tmp_path), "-q")
    r = run("query", str(tmp_path), "SELECT WHERE {")
    assert r.exit_code == 1 and r.output.startswith("error: SPARQL failed")


def test_console_script_is_installed():
    """The `comment-graph` command pip installed (beside this Python, or on PATH) runs and lists its commands."""
    beside = Path(sys.executable).parent / "comment-graph"
    exe = str(beside) if beside.exists() else shutil.which("comment-graph")
    assert exe, "the comment-graph console script is not installed"
    out = subprocess.run([exe, "--help"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    listed = [n for n, c in main.commands.items() if not c.hidden]
    assert out.stdout.startswith("Usage: comment-graph") and all(f"  {n} " in out.stdout for n in listed)


def test_api_surface(sample_kg):
    kg = sample_kg
    assert kg.comments and all(c.id and c.text for c in kg.comments)
    g = kg.to_networkx()
    assert isinstance(g, nx.MultiDiGraph)
    kinds = {d["kind"] for _, d in g.nodes(data=True)}
    assert {"comment", "person", "concept", "work"} <= kinds
    res = kg.related(kg.comments[1].id, k=5)
    assert all(r.comment_id != kg.comments[1].id for r in res)
    assert [r.score for r in res] == sorted((r.score for r in res), reverse=True)
    assert all(r.reasons for r in res)


def test_unknown_extractor_lists_choices():
    with pytest.raises(comment_graph.ConfigError, match="available: concepts, links, organizations, people, works"):
        comment_graph.build(extractors=["peeple"])


def test_schemas_are_current():
    from pathlib import Path

    from comment_graph.schemas import schema_texts

    folder = Path(__file__).parent.parent / "schemas"
    for name, text in schema_texts().items():
        assert (folder / name).read_text(encoding="utf-8") == text, f"{name} is stale: python -m comment_graph.schemas"


def test_built_output_loads_without_rebuilding(tmp_path, sample_kg):
    assert run("build", "--out", str(tmp_path), "-q").exit_code == 0
    kg = comment_graph.load(tmp_path)
    assert [c.id for c in kg.comments] == [c.id for c in sample_kg.comments]
    cid = sample_kg.comments[4].id
    assert [r.comment_id for r in kg.related(cid)] == [r.comment_id for r in sample_kg.related(cid)]
    r = run("related", str(tmp_path), "#5", "--format", "json")
    assert r.exit_code == 0 and json.loads(r.output)[0]["comment_id"] == sample_kg.related(cid)[0].comment_id


def test_companion_queries_return_evidence(tmp_path, sample_kg):
    about = sample_kg.comments_about("goal misgeneralization")
    assert len(about) == 2 and all(h.evidence and "misgeneralization" in h.evidence[0].snippet for h in about)
    near = sample_kg.near("Jacob Cannell")
    assert {"Geoffrey Miller", "Jacob Steinhardt"} <= {h.label for h in near}
    assert all(h.evidence for h in near)
    assert run("build", "--out", str(tmp_path), "-q").exit_code == 0
    for cmd in (["about", str(tmp_path), "reward"], ["mentions", str(tmp_path), "Yann"],
                ["near", str(tmp_path), "reinforcement learning"]):
        r = run(*cmd, "--format", "json")
        assert r.exit_code == 0 and json.loads(r.output), cmd
    r = run("about", str(tmp_path), "no such concept at all")
    assert r.exit_code == 1 and "no concept called" in r.output


def test_damaged_state_file_is_one_clear_error(tmp_path):
    (tmp_path / "graph.json").write_text('{"format": "comment-graph", "version": 3, "comments": [{}]}')
    r = run("related", str(tmp_path), "#1")
    assert r.exit_code == 1 and "graph.json is damaged" in r.output


def test_parallel_extraction_gives_the_same_graph(tmp_path):
    from conftest import make_corpus

    corpus = make_corpus(600, tmp_path / "c.jsonl")
    a = run("build", str(corpus), "--out", str(tmp_path / "a"), "-q")
    b = run("build", str(corpus), "--out", str(tmp_path / "b"), "-q", "--jobs", "2")
    assert a.exit_code == b.exit_code == 0
    for name in ("graph.ttl", "graph.json", "graph.html"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_the_progress_bar_shows_rate_and_finishes_its_line(capsys):
    from comment_graph.cli import _ProgressBar

    bar = _ProgressBar()
    bar.started -= bar.DELAY  # as if the build had been running for a while
    for done in (0, 500, 1000):
        bar.last = 0.0
        bar("extract", done, 1000)
    err = capsys.readouterr().err
    assert "extract  [###############---------------] 500/1,000" in err
    assert err.endswith("\n") and "1,000/1,000" in err


def test_short_builds_show_no_progress(capsys):
    from comment_graph.cli import _ProgressBar

    _ProgressBar()("extract", 10, 10)
    assert capsys.readouterr().err == ""


def test_a_bad_option_is_one_line_naming_it():
    with pytest.raises(comment_graph.ConfigError, match=r"^base_iri: base_iri must be an absolute IRI"):
        comment_graph.build(base_iri="https://example.org/a b/")
    with pytest.raises(comment_graph.ConfigError, match=r"^max_concepts_per_comment: Input should be greater"):
        comment_graph.build(max_concepts_per_comment=0)


def test_progress_covers_segmentation_and_the_survey_not_only_extraction():
    seen: dict[str, list[tuple[int, int]]] = {}
    kg = comment_graph.build(progress=lambda stage, done, total: seen.setdefault(stage, []).append((done, total)))
    segment = seen["segment"]
    assert segment[0] == (0, segment[-1][1]) and segment[-1][0] == segment[-1][1] > 10_000  # characters of the page
    assert [d for d, _ in segment] == sorted(d for d, _ in segment)
    assert seen["survey"][-1] == (len(kg.comments), len(kg.comments))
    assert list(seen)[:2] == ["segment", "survey"]


def test_resolution_reports_each_of_its_steps_in_turn():
    """Some 20 s on one core at 100,000 comments: a bar that moved only at its end looked stuck."""
    from comment_graph.resolve import RESOLVE_STEPS

    seen: list[tuple[int, int]] = []
    comment_graph.build(progress=lambda stage, done, total: stage == "resolve" and seen.append((done, total)))
    assert seen == [(done, RESOLVE_STEPS) for done in range(RESOLVE_STEPS + 1)] and RESOLVE_STEPS > 2
