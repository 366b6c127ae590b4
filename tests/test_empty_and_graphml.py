"""Issue #24: a build whose inputs hold no comments is refused in one line and leaves the
previous outputs, unless --allow-empty; and GraphML is valid XML whatever the text."""

from __future__ import annotations

import hashlib
import json
import shutil
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
import rdflib
from click.testing import CliRunner

import comment_graph
from comment_graph.cli import main
from comment_graph.errors import InputError
from comment_graph.export.nx import write_graphml
from comment_graph.export.rdf import V

PAGE = ("I agree with Yann LeCun that reward shaping is underrated.\n\n"
        "Thanks for the link to “The Bitter Lesson”, it changed my mind.\n")

# inputs a reader accepts but in which the segmenter finds no comment
NOTHING = {
    "furniture.txt": "Log in\n\nReply\nShare\n\n12 points\n\nLoad More\n\n3 hours ago\n",
    "scripts.html": "<html><head><script>var a = 1;</script></head>"
                    "<body><script>document.write('hi')</script><noscript></noscript></body></html>",
    "blank.html": "<html><body><p> &nbsp; </p>\n<div>\n\n\t</div><p>&#x2003;</p></body></html>",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """An output folder of a good build, to be kept by the builds that fail."""
    folder = tmp_path_factory.mktemp("built")
    (folder / "page.txt").write_text(PAGE, encoding="utf-8")
    r = CliRunner().invoke(main, ["build", str(folder / "page.txt"), "--out", str(folder / "out"), "-q"])
    assert r.exit_code == 0, r.output
    return folder / "out"


@pytest.fixture
def previous(built, tmp_path):
    """A copy of the good build's folder, for one test to try to overwrite."""
    return shutil.copytree(built, tmp_path / "out")


def _nothing(tmp_path, name: str):
    path = tmp_path / name
    path.write_text(NOTHING[name], encoding="utf-8")
    return path


def _files(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _refused_in_one_line(*args: str) -> str:
    r = CliRunner().invoke(main, list(args))
    lines = r.stderr.splitlines()
    assert (r.exit_code, r.stdout) == (1, "") and len(lines) == 1 and lines[0].startswith("error: "), r.output
    return lines[0]


# ---- a build that finds no comments ------------------------------------------------------

@pytest.mark.parametrize("name", sorted(NOTHING))
def test_no_comments_is_one_error_line_and_the_previous_outputs_stay(tmp_path, previous, name):
    before = _files(previous)
    path = _nothing(tmp_path, name)
    line = _refused_in_one_line("build", str(path), "--out", str(previous), "--rdf", "ttl,nt")
    assert line == (f"error: {path}: no comments found, only page furniture, markup or blank text; "
                    "--allow-empty builds an empty graph anyway")
    assert _files(previous) == before


def test_the_error_names_every_input(tmp_path, previous):
    paths = [str(_nothing(tmp_path, name)) for name in sorted(NOTHING)]
    line = _refused_in_one_line("build", *paths, "--out", str(previous))
    assert line.startswith(f"error: {', '.join(paths)}: no comments found")


@pytest.mark.parametrize("name", sorted(NOTHING))
def test_the_api_raises_the_input_error(tmp_path, name):
    path = _nothing(tmp_path, name)
    with pytest.raises(InputError, match="no comments found") as e:
        comment_graph.build(path)
    assert e.value.path == str(path)


@pytest.mark.parametrize("name", sorted(NOTHING))
def test_allow_empty_builds_an_empty_graph_whose_files_are_valid(tmp_path, name):
    out, path = tmp_path / "out", _nothing(tmp_path, name)
    r = CliRunner().invoke(main, ["build", str(path), "--out", str(out), "--allow-empty", "--rdf", "ttl,nt,jsonld"])
    assert r.exit_code == 0 and "Found 0 comments" in r.stdout, r.output
    for file, parser in (("graph.ttl", "turtle"), ("graph.nt", "nt"), ("graph.jsonld", "json-ld")):
        rdf = rdflib.Graph().parse(out / file, format=parser)
        assert not set(rdf.subjects(rdflib.RDF.type, V.Post)), file
    assert comment_graph.load(out).comments == []
    assert "</html>" in (out / "graph.html").read_text(encoding="utf-8")
    assert comment_graph.build(path, allow_empty=True).comments == []


# inputs that hold no comment at all: the reader says which, and names the option
NO_TEXT = {"empty.txt": (b"", "the file is empty"), "blank.txt": (b" \n\t\n  ", "the file holds no text"),
           "blank.md": (b"\n  \n", "the file holds no text"), "blank.jsonl": (b"\n\n", "no comment records found"),
           "empty.json": (b"[]", "no comment records found")}


@pytest.mark.parametrize("name", sorted(NO_TEXT))
def test_an_input_with_no_text_is_refused_naming_allow_empty(tmp_path, previous, name):
    before = _files(previous)
    path = tmp_path / name
    path.write_bytes(NO_TEXT[name][0])
    line = _refused_in_one_line("build", str(path), "--out", str(previous))
    assert line == f"error: {path}: {NO_TEXT[name][1]}; --allow-empty reads it as holding no comments"
    assert _files(previous) == before


@pytest.mark.parametrize("name", sorted(NO_TEXT))
def test_allow_empty_reads_an_input_with_no_text_as_no_comments(tmp_path, name):
    path, out = tmp_path / name, tmp_path / "out"
    path.write_bytes(NO_TEXT[name][0])
    r = CliRunner().invoke(main, ["build", str(path), "--out", str(out), "--allow-empty", "-q"])
    assert r.exit_code == 0, r.output
    built = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    assert comment_graph.load(out).comments == []
    assert [i["sha256"] for i in built["inputs"]] == [hashlib.sha256(NO_TEXT[name][0]).hexdigest()]


def test_allow_empty_keeps_the_comments_of_the_other_inputs(tmp_path):
    blank, page = tmp_path / "blank.txt", tmp_path / "page.txt"
    blank.write_text("\n\n", encoding="utf-8")
    page.write_text(PAGE, encoding="utf-8")
    assert len(comment_graph.build([blank, page], allow_empty=True).comments) == 2


def test_append_of_nothing_new_is_refused_and_keeps_the_outputs(tmp_path, previous):
    before = _files(previous)
    path = _nothing(tmp_path, "furniture.txt")
    line = _refused_in_one_line("build", "--append", str(path), "--out", str(previous))
    assert line == (f"error: {path}: no new comments found, only page furniture, markup or blank text; "
                    "--allow-empty appends anyway")
    assert _files(previous) == before
    with pytest.raises(InputError, match="no new comments found"):
        comment_graph.build(path, append_to=previous)


def test_append_of_nothing_new_with_allow_empty_keeps_the_comments(tmp_path, previous):
    old = comment_graph.load(previous).comments
    path = _nothing(tmp_path, "scripts.html")
    assert [c.id for c in comment_graph.build(path, append_to=previous, allow_empty=True).comments] == [c.id for c in old]
    r = CliRunner().invoke(main, ["build", "--append", "--allow-empty", str(path), "--out", str(previous), "-q"])
    assert r.exit_code == 0, r.output
    assert [c.id for c in comment_graph.load(previous).comments] == [c.id for c in old]


# ---- GraphML whatever the text -----------------------------------------------------------

# characters XML 1.0 cannot hold; the surrogates cannot come through a reader (it replaces them)
CONTROL = {"bell": "\x07", "NUL": "\x00", "escape": "\x1b", "U+FFFE": "\ufffe", "U+FFFF": "\uffff"}
SURROGATES = {"lone high surrogate": "\ud800", "lone low surrogate": "\udfff"}


def _graphml_nodes(path) -> dict:
    ET.parse(path)  # the file is XML at all
    return dict(nx.read_graphml(path).nodes(data=True))


@pytest.mark.parametrize("case", sorted(CONTROL))
def test_graphml_from_the_command_line_parses_whatever_the_text(tmp_path, case):
    ch = CONTROL[case]
    records = [{"id": f"a{ch}", "author": f"Ann{ch}Lee", "post_title": f"On{ch}RL",
                "text": f"I agree with Yann LeCun{ch} on reward shaping.\tKept: ☃ \ufffd 🤖."},
               {"id": "a\x01", "parent_id": f"a{ch}", "text": "Thanks for the link."}]
    page = tmp_path / "page.jsonl"
    page.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    graphml = tmp_path / "g.graphml"
    r = CliRunner().invoke(main, ["html", str(page), "--out", str(tmp_path / "page.html"), "--graphml", str(graphml)])
    assert r.exit_code == 0, r.output
    nodes = _graphml_nodes(graphml)
    first = nodes["a\ufffd"]
    assert first["text"] == "I agree with Yann LeCun\ufffd on reward shaping.\tKept: ☃ \ufffd 🤖."
    assert first["author"] == "Ann\ufffdLee"
    # two ids that differ only in replaced characters stay two nodes, and the reply still links them
    assert nodes["a\ufffd-2"]["text"] == "Thanks for the link."
    assert ("a\ufffd-2", "a\ufffd") in nx.read_graphml(graphml).edges()


@pytest.mark.parametrize("case", sorted(CONTROL | SURROGATES))
def test_graphml_of_any_comment_text_parses(tmp_path, case):
    ch = (CONTROL | SURROGATES)[case]
    page = tmp_path / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    kg = comment_graph.build(page)
    kg.comments[0].text, kg.comments[0].author = f"Yann LeCun{ch} said so", f"Ann{ch}"
    write_graphml(kg, tmp_path / "g.graphml")
    node = _graphml_nodes(tmp_path / "g.graphml")[kg.comments[0].id]
    assert (node["text"], node["label"], node["author"]) == ("Yann LeCun\ufffd said so",) * 2 + ("Ann\ufffd",)
