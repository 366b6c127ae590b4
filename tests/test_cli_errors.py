"""Every error the command line can meet is one `error: …` line and exit code 1, and the Python
API raises the same error from the library's tree (issue #24)."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

import comment_graph
from comment_graph.cli import main
from comment_graph.errors import InputError


def fails_in_one_line(*args: str) -> str:
    """Run the command; it must exit 1 with exactly one line, `error: …`. Returns that line."""
    r = CliRunner().invoke(main, list(args))
    lines = r.output.strip().splitlines()
    assert r.exit_code == 1 and len(lines) == 1 and lines[0].startswith("error: "), (r.exit_code, r.output)
    return lines[0]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("built")
    assert CliRunner().invoke(main, ["build", "--out", str(out), "-q"]).exit_code == 0
    return out


def _without(doc: dict, *keys: str) -> dict:
    return {k: v for k, v in doc.items() if k not in keys}


STATES = {  # what graph.json holds -> the words the error says
    "a list": (lambda doc: [], "is not a comment-graph build"),
    "a string": (lambda doc: "hello", "is not a comment-graph build"),
    "an empty object": (lambda doc: {}, "is not a comment-graph build"),
    "only the version": (lambda doc: {"format": "comment-graph", "version": 3}, "config: Field required"),
    "no entities": (lambda doc: _without(doc, "entities"), "entities: Field required"),
    "entities a string": (lambda doc: {**doc, "entities": "x"}, "entities: Input should be a valid list"),
    "inputs of numbers": (lambda doc: {**doc, "inputs": [5]}, "inputs.0: Input should be a valid dictionary"),
    "a short subject row": (lambda doc: {**doc, "subjects": [["c"]]}, "subjects.0.1: Field required"),
    "a negative index": (lambda doc: {**doc, "resolved": [[-1, "x"]]}, "-1 is not an index of raw_mentions"),
    "no mentions": (lambda doc: _without(doc, "mentions", "resolved"), "needs 'mentions', or 'raw_mentions'"),
}


@pytest.mark.parametrize("case", sorted(STATES))
@pytest.mark.parametrize("command", ["related", "comments-about", "near", "build --append"])
def test_a_graph_json_of_another_shape_is_one_line(built, tmp_path, case, command):
    make, words = STATES[case]
    (tmp_path / "graph.json").write_text(json.dumps(make(json.loads((built / "graph.json").read_text()))))
    args = (["build", "--append", "--out", str(tmp_path), str(comment_graph.sample_path())]
            if command == "build --append" else [command, str(tmp_path), "x"])
    assert words in fails_in_one_line(*args)


def test_load_raises_the_same_input_error(tmp_path):
    (tmp_path / "graph.json").write_text("[]")
    with pytest.raises(InputError, match="graph.json: is not a comment-graph build"):
        comment_graph.load(tmp_path)


BASES = ["urn:x:", "urn:x", "tag:example.org,2024:", "http:", "https://ex.org/id", "https://ex.org/id#",
         "https://ex.org/a?b=", "https://ex.org/a/../b/", "https://ex.org/ü/", "HTTP://EX.ORG:8080/x/"]


@pytest.fixture(scope="module")
def small_page(tmp_path_factory):
    page = tmp_path_factory.mktemp("page") / "page.txt"
    page.write_text("I agree with Yann LeCun on reward shaping.\n\nThanks! See “The Bitter Lesson” and "
                    "https://example.org/post for more.\n", encoding="utf-8")
    return page


@pytest.mark.parametrize("base", BASES)
def test_every_accepted_base_iri_gives_rdf_that_parses_back(small_page, base):
    import pyoxigraph
    import rdflib
    from rdflib.compare import isomorphic

    from comment_graph.export.rdf import render

    kg = comment_graph.build(small_page, base_iri=base)
    graphs, counts = [], set()
    for fmt, parser, media in [("ttl", "turtle", "text/turtle"), ("nt", "nt", "application/n-triples"),
                               ("jsonld", "json-ld", "application/ld+json")]:
        data = render(kg, fmt)
        graphs.append(rdflib.Graph().parse(data=data.decode("utf-8"), format=parser))
        store = pyoxigraph.Store()
        store.load(data, format=pyoxigraph.RdfFormat.from_media_type(media))
        counts.add(len(store))
    assert counts == {len(graphs[0])} and all(isomorphic(graphs[0], g) for g in graphs[1:])
    assert any(str(s).startswith(kg.config.base_iri) for s in graphs[0].subjects())


@pytest.mark.parametrize("base, problem", [("urn:x y", "Invalid IRI code point ' '"), ("example.org/id", "No scheme"),
                                           ("", "No scheme"), ("https://ex.org/a#b#", "Invalid IRI code point '#'"),
                                           ("https://ex.org/<x>/", "Invalid IRI code point '<'")])
def test_a_base_iri_that_is_no_absolute_iri_is_refused_in_one_line(small_page, base, problem):
    line = fails_in_one_line("build", str(small_page), "--base-iri", base, "--out", str(small_page.parent / "o"))
    assert line.startswith("error: base_iri: base_iri must be an absolute IRI") and problem in line
    with pytest.raises(comment_graph.ConfigError, match=problem):
        comment_graph.build(small_page, base_iri=base)


PEOPLE = {  # a people file -> the words of its one-line error
    "a directory": (None, "people: cannot read it: Is a directory"),
    "an object, not an array": ({"name": "Ada"}, "expected a JSON array of entries"),
    "a number entry": ([5], "entry 1: must be an object"),
    "no name": ([{"nom": "Ada"}], "entry 1: name: Field required"),
    "an empty name": ([{"name": ""}], "entry 1 (''): name: must not be empty"),
    "a blank alias": ([{"name": "Ada"}, {"name": "Bo", "aliases": ["B", " "]}], "entry 2 ('Bo'): aliases.1: must not be empty"),
    "aliases a string": ([{"name": "Ada Lovelace", "aliases": "abc"}], "aliases: must be a list of names: [\"abc\"]"),
    "a number same_as": ([{"name": "Ada", "same_as": 5}], "same_as: must be an IRI or a list of IRIs"),
    "a same_as with a space": ([{"name": "Ada", "same_as": "https://x.org/a b"}],
                               "same_as.0: 'https://x.org/a b' is not an absolute IRI"),
    "a relative same_as": ([{"name": "Ada", "same_as": ["Q42"]}], "same_as.0: 'Q42' is not an absolute IRI"),
    "a misspelt key": ([{"name": "Ada", "alias": ["A"]}], "entry 1 ('Ada'): alias: Extra inputs are not permitted"),
}


@pytest.mark.parametrize("case", sorted(PEOPLE))
def test_a_bad_people_file_names_file_entry_and_field(small_page, tmp_path, case):
    content, words = PEOPLE[case]
    people = tmp_path / "people"
    if content is None:
        people.mkdir()
    else:
        people.write_text(json.dumps(content), encoding="utf-8")
    line = fails_in_one_line("build", str(small_page), "--people", str(people), "--out", str(tmp_path / "o"))
    assert line.startswith(f"error: {people}: ") and words in line, line
    with pytest.raises(comment_graph.ConfigError, match=re.escape(words)):
        comment_graph.build(small_page, people_files=[people])


def test_the_documented_people_shapes_still_load(small_page, tmp_path):
    people = tmp_path / "people.json"
    people.write_text(json.dumps([{"name": "Ada Lovelace", "aliases": ["Countess"], "same_as": "https://w.org/Q7259"},
                                  {"name": "Bo Ek", "aliases": None, "same_as": ["https://w.org/1", "urn:x:2"]},
                                  {"name": "Cy Tan"}]), encoding="utf-8")
    from comment_graph.lexicon import load_lexicons

    lex = load_lexicons([people])
    assert lex.people["Countess"].same_as == ["https://w.org/Q7259"]
    assert lex.people["Bo Ek"].same_as == ["https://w.org/1", "urn:x:2"] and lex.people["Cy Tan"].aliases == []


@pytest.mark.parametrize("content, words", [
    (b"not turtle {\n", "not a valid Turtle vocabulary: line 1: expected directive or statement"),
    (b'@prefix x: <http://a/> .\nx:a x:b "open .\n', "line 2: newline found in string literal"),
])
def test_a_bad_vocabulary_is_one_line(small_page, tmp_path, content, words):
    vocab = tmp_path / "v.ttl"
    vocab.write_bytes(content)
    assert words in fails_in_one_line("build", str(small_page), "--vocab", str(vocab), "--out", str(tmp_path / "o"))


@pytest.mark.parametrize("args, words", [
    (["build", "--jobs", "0"], "Invalid value for '--jobs' / '-j': 0 is not in the range 1<=x<=64 "
                               "(see 'main build --help')"),
    (["build", "--nope"], "No such option '--nope'"),
    (["related"], "Missing argument 'SOURCE' (see 'main related --help')"),
    (["query", "--list", "--format", "xml"], "Invalid value for '--format': 'xml' is not one of 'table', 'csv', 'json'"),
    (["query", "top-people", ".", "--bind", "noequals"], "Invalid value for --bind: 'noequals' is not NAME=VALUE"),
    (["query", "."], "give SOURCE and a query (text or name), or --list"),
    (["build", "--append"], "--append needs the INPUTS to add"),
    (["nosuchcommand"], "No such command 'nosuchcommand'"),
])
def test_a_usage_error_is_one_line_and_exit_1(args, words):
    assert words in fails_in_one_line(*args)


@pytest.mark.parametrize("args, first", [(["--help"], "Usage: "), (["build", "-h"], "Usage: "), ([], "Usage: "),
                                         (["--version"], "main, version ")])
def test_help_and_version_still_exit_0(args, first):
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0 and r.output.startswith(first), r.output


def test_a_usage_error_from_the_real_command_goes_to_stderr_alone():
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "comment_graph.cli", "build", "--jobs", "0"], capture_output=True, text=True)
    assert (r.returncode, r.stdout) == (1, "")
    assert r.stderr.splitlines() == ["error: Invalid value for '--jobs' / '-j': 0 is not in the range 1<=x<=64 "
                                     "(see 'python -m comment_graph.cli build --help')"]


@pytest.mark.parametrize("args, words", [
    (["--endpoint", "notaurl"], "endpoint 'notaurl' is not a URL to push to (needs http:// or https:// and a host)"),
    (["--endpoint", "http://x:abc/"], "endpoint 'http://x:abc/' is not a URL to push to (Port could not be cast"),
    (["--endpoint", "http://127.0.0.1:9/s", "--graph", "a b"], "graph 'a b' is not an absolute IRI"),
])
def test_push_to_a_malformed_url_is_one_line(built, args, words):
    assert words in fails_in_one_line("push", str(built), *args)



def test_a_graph_file_that_does_not_parse_says_where_and_why(tmp_path):
    ttl = tmp_path / "g.ttl"
    ttl.write_text("@prefix x: <http://a/> .\nx:a x:b x:c .\nx:d x:e\n", encoding="utf-8")
    assert fails_in_one_line("query", str(ttl), "SELECT * {}") == \
        f"error: {ttl}: cannot parse as turtle: line 3: objectList expected"
