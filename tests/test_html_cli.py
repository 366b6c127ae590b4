"""`comment-graph html`: reads a build's folder or an input, and never writes over another build's page."""

from __future__ import annotations

import networkx as nx
import pytest
from click.testing import CliRunner

from comment_graph.cli import main

PAGE = ("I agree with Yann LeCun that reward shaping is underrated.\n\n"
        "Thanks for the link to the post by Paul Christiano on RLHF.\n")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def one_error_line(r, words: str) -> None:
    assert r.exit_code == 1, r.output
    assert r.output.startswith("error: ") and len(r.output.splitlines()) == 1, r.output
    assert words in r.output, r.output


@pytest.fixture
def built(tmp_path, write_page):
    """An output folder of a build of PAGE."""
    out = tmp_path / "built"
    r = run("build", write_page(PAGE), "--out", out, "-q")
    assert r.exit_code == 0, r.output
    return out


def test_html_on_a_built_folder_rewrites_its_own_page(built):
    (built / "graph.html").write_text("stale", encoding="utf-8")
    r = run("html", built)
    assert r.exit_code == 0, r.output
    assert r.output == f"Wrote {built / 'graph.html'} (2 comments, 5 entities)\n"
    assert "reward shaping is underrated" in (built / "graph.html").read_text(encoding="utf-8")


def test_around_on_a_built_folder_writes_its_own_file_and_leaves_graph_html(built):
    before = (built / "graph.html").read_bytes()
    r = run("html", built, "--around", "yann lecun", "--depth", "1")
    assert r.exit_code == 0, r.output
    page = built / "around-person-yann-lecun-d1.html"
    assert r.output.startswith(f"Wrote {page} (1 comment, ") and r.output.endswith(", around Yann LeCun)\n")
    html = page.read_text(encoding="utf-8")
    assert "Around Yann LeCun, depth 1" in html and "reward shaping is underrated" in html
    assert "Paul Christiano on RLHF" not in html  # only the part around him
    assert (built / "graph.html").read_bytes() == before


def test_an_input_never_touches_output_graph_html(tmp_path, monkeypatch, write_page):
    monkeypatch.chdir(tmp_path)
    other = write_page("Quintin Pope wrote about shard theory.\n\nI disagree with Quintin.\n", "other.txt")
    assert run("build", other, "-q").exit_code == 0  # the user's own build into output/, of another page
    before = (tmp_path / "output" / "graph.html").read_bytes()
    for name in ("page.txt", "graph.txt"):  # an input named graph.* too
        source = write_page(PAGE, name)
        assert run("html", source).exit_code == 0
        assert run("html", source, "--around", "Paul Christiano").exit_code == 0
    assert (tmp_path / "output" / "graph.html").read_bytes() == before
    made = {p.name for p in (tmp_path / "output").glob("*.html")}
    assert made == {"graph.html", "page.html", "page-around-person-paul-christiano-d2.html",
                    "graph-input.html", "graph-input-around-person-paul-christiano-d2.html"}


def test_out_and_graphml_are_honoured_for_a_folder_and_an_input(tmp_path, built):
    for source in (built, built.parent / "page.txt"):
        page, graphml = tmp_path / "mine" / f"{source.name}.html", tmp_path / f"{source.name}.graphml"
        r = run("html", source, "--around", "Yann LeCun", "--out", page, "--graphml", graphml)
        assert r.exit_code == 0, r.output
        assert f"Wrote {page} (" in r.output and f"Wrote {graphml}\n" in r.output
        assert "Around Yann LeCun, depth 2" in page.read_text(encoding="utf-8")
        assert "Yann LeCun" in {d.get("label") for _, d in nx.read_graphml(graphml).nodes(data=True)}
    assert sorted(p.name for p in built.iterdir()) == ["graph.html", "graph.json", "graph.ttl", "index.sqlite"]


def test_an_unknown_around_name_is_one_line_and_writes_nothing(built):
    before = sorted(built.iterdir())
    one_error_line(run("html", built, "--around", "Nobody Atall"), "no entity called 'Nobody Atall'")
    assert sorted(built.iterdir()) == before


def test_a_folder_without_graph_json_is_one_line(tmp_path):
    (tmp_path / "empty").mkdir()
    one_error_line(run("html", tmp_path / "empty"), "no built graph here")
    assert list((tmp_path / "empty").iterdir()) == []


def test_a_missing_source_is_one_line(tmp_path):
    one_error_line(run("html", tmp_path / "no-such.txt"), "no such file")


def test_a_folder_a_build_is_writing_into_is_left_alone(built):
    from comment_graph.export.folder import output_lock

    before = (built / "graph.html").read_bytes()
    with output_lock(built):  # as a build running now holds it
        one_error_line(run("html", built), "another build is writing into this folder")
        assert run("html", built, "--around", "Yann LeCun").exit_code == 0  # not the build's page: no wait
    assert (built / "graph.html").read_bytes() == before
