"""Every input format: JSONL, the LessWrong GraphQL export, Hacker News API items, Markdown, HTML.

tests/formats/ holds one short thread written by hand in each format; read in any of
them it must give the same comments, people, works and concepts.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import comment_graph
from comment_graph import InputError
from comment_graph.ingest import detect_format, load
from comment_graph.urls import classify

FORMATS = Path(__file__).parent / "formats"
THREAD = {"thread.jsonl": "jsonl", "thread.lesswrong.json": "lesswrong", "thread.hn.json": "hn",
          "thread.md": "markdown", "thread.html": "html"}


def _view(kg) -> dict:
    """What a reader sees of a build, independent of the ids each format gives its comments."""
    position = {c.id: i for i, c in enumerate(kg.comments)}
    comments = []
    for c in kg.comments:
        linked = sorted({(kg.entities[m.entity_id].kind, kg.entities[m.entity_id].label) for m in kg.mentions_in(c.id)})
        quotes = [re.sub(r"^> ", "", q.text) for q in c.quotes]  # HN quotes by a leading "> "
        comments.append((c.author, position.get(c.parent_id), c.created_at, quotes, linked))
    entities = sorted((e.kind, e.label, e.url or "", tuple(e.accounts)) for e in kg.entities.values())
    return {"comments": comments, "entities": entities}


@pytest.fixture(scope="module")
def views():
    return {name: _view(comment_graph.build(FORMATS / name)) for name in THREAD}


def test_each_format_is_detected():
    for name, fmt in THREAD.items():
        assert load(FORMATS / name).format == fmt, name


@pytest.mark.parametrize("name", [n for n in THREAD if n != "thread.jsonl"])
def test_the_same_thread_in_every_format_gives_the_same_graph(views, name):
    assert views[name] == views["thread.jsonl"]


def test_the_thread_has_what_the_markup_carried(views):
    comments = views["thread.jsonl"]["comments"]
    assert [c[0] for c in comments] == ["Quintin Pope", "Alex Turner", "Rohin Shah"]
    assert [c[1] for c in comments] == [None, 0, 0]
    assert comments[1][3] == ["I think the sharp left turn argument is weaker than it looks."]
    assert ("person", "Quintin Pope") in comments[1][4]  # "@Quintin Pope" is the author of the first comment
    works = {e[1]: e[2] for e in views["thread.jsonl"]["entities"] if e[0] == "work"}
    # /abs/…v3 and /pdf/….pdf are one paper; the generic anchor "arXiv" joins the work named before it
    assert works["goal misgeneralization paper"] == "https://arxiv.org/abs/2105.14111"
    assert any(u.startswith("https://www.lesswrong.com/posts/GNhMPAWcfBCASy8e6") for u in works.values())
    people = {e[1]: e[3] for e in views["thread.jsonl"]["entities"] if e[0] == "person"}
    assert people == {"Alex Turner": ("Alex Turner",), "Quintin Pope": ("Quintin Pope",),
                      "Rohin Shah": ("Rohin Shah",)}


def test_html_scripts_and_page_chrome_stay_out_of_the_text():
    kg = comment_graph.build(FORMATS / "thread.html")
    text = "\n".join(c.text for c in kg.comments)
    assert "alert" not in text and "Reply" not in text and "1 Apr 2023" not in text
    assert [c.id for c in kg.comments] == ["c1", "c2", "c3"]


def test_authors_are_people_in_the_rdf():
    kg = comment_graph.build(FORMATS / "thread.lesswrong.json")
    rows = kg.sparql("""SELECT ?name WHERE { ?c sioc:has_creator ?account . ?account sioc:account_of ?p .
                        ?p a foaf:Person ; foaf:name ?name ; foaf:account ?account }""")
    assert sorted({str(r["name"]) for r in rows}) == ["Alex Turner", "Quintin Pope", "Rohin Shah"]
    urls = kg.sparql("SELECT ?u WHERE { ?c dcterms:references ?w . ?w schema:url ?u }")
    assert "https://arxiv.org/abs/2105.14111" in {str(r["u"]) for r in urls}


def _hn_reply(tmp_path, parent_text: str, reply_text: str):
    """A Hacker News story comment by kestrel_grey and a reply to it by marisol, built."""
    items = [{"id": 1, "type": "comment", "by": "kestrel_grey", "time": 1700000000, "text": parent_text},
             {"id": 2, "type": "comment", "by": "marisol", "parent": 1, "time": 1700000100, "text": reply_text}]
    path = tmp_path / "items.json"
    path.write_text(json.dumps(items))
    return comment_graph.build(path)


def test_a_handle_mention_resolves_to_the_forum_user(tmp_path):
    kg = _hn_reply(tmp_path, "Raft is simpler than Paxos.", "@kestrel_grey Raft still needs a leader election, though.")
    linked = {kg.entities[m.entity_id].label for m in kg.mentions_in("2") if m.kind == "person"}
    assert linked == {"kestrel_grey"}
    assert kg.find_entity("kestrel_grey").accounts == ["kestrel_grey"]


def test_a_bare_handle_is_found_at_the_end_of_a_sentence(tmp_path):
    kg = _hn_reply(tmp_path, "Raft is simpler.", "I side with kestrel_grey. Leader election is the easy part.")
    found = [(m.surface, kg.entities[m.entity_id].label) for m in kg.mentions_in("2") if m.kind == "person"]
    assert found == [("kestrel_grey", "kestrel_grey")]


@pytest.mark.parametrize("url,key,canonical", [
    ("https://arxiv.org/abs/2105.14111v3", "arxiv:2105.14111", "https://arxiv.org/abs/2105.14111"),
    ("http://arxiv.org/pdf/2105.14111.pdf", "arxiv:2105.14111", "https://arxiv.org/abs/2105.14111"),
    ("https://arxiv.org/abs/hep-th/9901001v1", "arxiv:hep-th/9901001", "https://arxiv.org/abs/hep-th/9901001"),
    ("https://doi.org/10.1038/NATURE14539", "doi:10.1038/nature14539", "https://doi.org/10.1038/nature14539"),
    ("https://dl.acm.org/doi/abs/10.1145/3442188.3445922", "doi:10.1145/3442188.3445922",
     "https://doi.org/10.1145/3442188.3445922"),
    ("https://www.alignmentforum.org/posts/AbC123/some-post?utm_source=rss#comments", "lesswrong:post:AbC123",
     "https://www.lesswrong.com/posts/AbC123/some-post"),
    ("https://lesswrong.com/posts/AbC123", "lesswrong:post:AbC123", "https://www.lesswrong.com/posts/AbC123"),
    ("https://forum.effectivealtruism.org/posts/Xy9/title-here", "eaforum:post:Xy9",
     "https://forum.effectivealtruism.org/posts/Xy9/title-here"),
    ("https://youtu.be/dQw4w9WgXcQ", "youtube:dQw4w9WgXcQ", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
    ("https://Example.org/a/post/?utm_medium=x&id=3", "https://example.org/a/post?id=3",
     "https://example.org/a/post?id=3"),
])
def test_link_targets_are_normalised(url, key, canonical):
    target = classify(url)
    assert (target.key, target.url, target.kind) == (key, canonical, "work")


def test_profile_and_comment_links_are_not_works():
    assert classify("https://www.lesswrong.com/users/quintin-pope").kind == "user"
    assert classify("https://news.ycombinator.com/user?id=dang").handle == "dang"
    assert classify("https://www.lesswrong.com/posts/AbC/x?commentId=zz").kind == "comment"


# ---- broken inputs: one clear error naming the place -------------------------------------

def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_bad_json_line_is_named_when_strict_and_skipped_with_a_warning_otherwise(tmp_path):
    path = _write(tmp_path, "c.jsonl", '{"id": "a", "text": "Fine."}\n{"id": "b", "text": "cut off\n'
                                        '{"id": "c", "text": "Also fine."}\n')
    with pytest.raises(InputError, match=r"c\.jsonl:2: invalid JSON"):
        load(path, strict=True)
    loaded = load(path)
    assert [r.id for r in loaded.records] == ["a", "c"]
    assert any("c.jsonl:2" in w for w in loaded.warnings)


def test_a_missing_text_field_names_line_and_field(tmp_path):
    path = _write(tmp_path, "c.jsonl", '{"id": "a", "text": "Fine."}\n{"id": "b", "author": "Ada"}\n')
    with pytest.raises(InputError, match=r"c\.jsonl:2: field 'text': field required"):
        load(path)


def test_a_wrong_type_names_the_field(tmp_path):
    path = _write(tmp_path, "c.jsonl", '{"id": "a", "text": "Fine.", "author": ["Ada"]}\n')
    with pytest.raises(InputError, match=r"c\.jsonl:1: field 'author'"):
        load(path)


def test_a_json_array_error_names_the_line_of_the_record(tmp_path):
    path = _write(tmp_path, "c.json", '[\n {"id": "a", "text": "Fine."},\n {"id": "b", "text": 7}\n]\n')
    with pytest.raises(InputError, match=r"c\.json:3: field 'text'"):
        load(path)


def test_a_lesswrong_record_with_a_wrong_type_names_its_place(tmp_path):
    doc = {"data": {"comments": {"results": [{"_id": "x", "htmlBody": "<p>Hi</p>", "postedAt": "2023-01-01T00:00:00Z"},
                                             {"_id": "y", "htmlBody": 5, "postedAt": "2023-01-01T00:00:00Z"}]}}}
    path = _write(tmp_path, "lw.json", json.dumps(doc))
    with pytest.raises(InputError, match=r"lw\.json: field 'data\.comments\.results\[1\]\.htmlBody'"):
        load(path)


def test_an_hn_item_with_a_wrong_type_names_line_and_field(tmp_path):
    path = _write(tmp_path, "hn.jsonl", '{"id": 1, "by": "a", "type": "comment", "time": 1, "text": "ok"}\n'
                                         '{"id": 2, "by": "b", "type": "comment", "time": "noon", "text": "x"}\n')
    with pytest.raises(InputError, match=r"hn\.jsonl:2: field 'time'"):
        load(path)


def test_unknown_fields_are_kept_with_one_warning(tmp_path):
    path = _write(tmp_path, "c.jsonl", '{"id": "a", "text": "Fine.", "karma": 3}\n{"id": "b", "text": "Ok.", "karma": 1}\n')
    loaded = load(path)
    assert [r.extra for r in loaded.records] == [{"karma": 3}, {"karma": 1}]
    assert loaded.warnings == [f"{path}:1: unknown field(s) kept as metadata: karma (2)"]


def test_a_markdown_file_without_comments_is_an_error(tmp_path):
    with pytest.raises(InputError, match="no comments found in this markdown file"):
        load(_write(tmp_path, "empty.md", "# Title only\n\n---\n"))


def test_spans_outside_the_text_are_refused(tmp_path):
    path = _write(tmp_path, "c.jsonl", '{"id": "a", "text": "short", "links": [{"start": 2, "end": 40, "url": "https://x.org"}]}\n')
    with pytest.raises(InputError, match=r"c\.jsonl:1: .*outside the text"):
        load(path)


def test_content_sniffing_without_a_telling_suffix(tmp_path):
    assert detect_format(Path("x.txt"), "<!DOCTYPE html><html><body><p>Hi</p></body></html>") == "html"
    assert detect_format(Path("x.txt"), "Some words, see [this](https://example.org) for more.") == "markdown"
    assert detect_format(Path("x.txt"), "> quoted\n\nA reply in a flat page.") == "text"
    assert detect_format(Path("dump"), '{"by": "pg", "id": 1, "type": "comment", "time": 1, "text": "x"}\n') == "hn"


# ---- incremental builds ------------------------------------------------------------------

def _without_provenance(path: Path):
    import rdflib
    from rdflib.namespace import PROV, RDF

    g = rdflib.Graph().parse(path)
    activities = set(g.subjects(RDF.type, PROV.Activity))
    out = rdflib.Graph()
    for t in g:
        if t[0] not in activities and t[2] not in activities:
            out.add(t)
    return out


def test_append_equals_building_both_halves_at_once(tmp_path):
    from rdflib.compare import isomorphic

    from conftest import make_corpus

    lines = make_corpus(240, tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text("".join(lines[:120]), encoding="utf-8")
    second.write_text("".join(lines[120:]), encoding="utf-8")
    comment_graph.write(comment_graph.build(first), tmp_path / "inc")
    extracted = []
    grown = comment_graph.build(second, append_to=tmp_path / "inc",
                                progress=lambda stage, done, total: stage == "extract" and extracted.append(total))
    comment_graph.write(grown, tmp_path / "inc")
    comment_graph.write(comment_graph.build([first, second]), tmp_path / "full")
    assert max(extracted) < 240  # the first half was not extracted again (only comments a new name touches)
    assert isomorphic(_without_provenance(tmp_path / "inc" / "graph.ttl"),
                      _without_provenance(tmp_path / "full" / "graph.ttl"))
    assert [c.id for c in grown.comments] == [f"g{i}" for i in range(240)]


def cli(*args: str):
    from click.testing import CliRunner

    from comment_graph.cli import main

    return CliRunner().invoke(main, list(args))


def test_append_keeps_the_comment_iris_and_refuses_a_missing_graph(tmp_path):
    first = tmp_path / "a.jsonl"
    first.write_text('{"id": "a1", "author": "Ada Lovelace", "text": "Reward hacking is a real risk."}\n')
    second = tmp_path / "b.jsonl"
    second.write_text('{"id": "a1", "author": "Ben Okafor", "text": "@Ada Lovelace reward hacking, yes."}\n')
    assert cli("build", str(first), "--out", str(tmp_path / "o")).exit_code == 0
    result = cli("build", str(second), "--out", str(tmp_path / "o"), "--append")
    assert result.exit_code == 0, result.output
    kg = comment_graph.load(tmp_path / "o")
    assert [c.id for c in kg.comments] == ["a1", "a1-2"]  # a clashing new id is made unique; the old one stays
    assert {kg.entities[m.entity_id].label for m in kg.mentions_in("a1-2") if m.kind == "person"} == {"Ada Lovelace"}
    missing = cli("build", str(second), "--out", str(tmp_path / "nothing"), "--append")
    assert missing.exit_code != 0 and "no built graph here" in missing.output


def test_the_html_page_links_each_comment_to_its_author():
    from comment_graph.export.html import page_data

    data = page_data(comment_graph.build(FORMATS / "thread.lesswrong.json"))
    # the page draws a 'wrote' edge from each comment to the person node its `by` names
    authored = {(c["author"], data["info"][c["by"]]["label"]) for c in data["comments"].values() if c["by"]}
    assert authored == {("Quintin Pope", "Quintin Pope"), ("Alex Turner", "Alex Turner"), ("Rohin Shah", "Rohin Shah")}
    assert len(data["comments"]) == 3


def test_turtle_ntriples_and_jsonld_are_one_graph():
    import rdflib
    from rdflib.compare import isomorphic

    from comment_graph.export.rdf import render

    kg = comment_graph.build(FORMATS / "thread.html")
    graphs = [rdflib.Graph().parse(data=render(kg, fmt).decode("utf-8"), format=parser)
              for fmt, parser in (("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"))]
    assert len(graphs[0]) > 300
    assert isomorphic(graphs[0], graphs[1]) and isomorphic(graphs[0], graphs[2])


def test_graph_json_round_trips_to_the_same_bytes(tmp_path):
    from comment_graph.export.state import dump_state

    comment_graph.write(comment_graph.build(FORMATS / "thread.md"), tmp_path)
    assert dump_state(comment_graph.load(tmp_path)) == (tmp_path / "graph.json").read_bytes()


def test_a_page_past_its_comment_limit_carries_a_selection_and_says_so(monkeypatch):
    from comment_graph.export import html

    kg = comment_graph.build(FORMATS / "thread.lesswrong.json")
    monkeypatch.setattr(html, "MAX_PAGE_COMMENTS", 2)
    data = html.page_data(kg)
    assert len(data["comments"]) == 2 and data["note"].startswith("This page holds 2 of the build's 3 comments")
    monkeypatch.setattr(html, "MAX_PAGE_COMMENTS", 3)
    assert html.page_data(kg)["note"] is None


def test_json_lines_are_streamed_not_read_whole(tmp_path, monkeypatch):
    import comment_graph.ingest as ingest

    path = _write(tmp_path, "c.jsonl", "".join(f'{{"id": "c{i}", "text": "Comment {i}."}}\n' for i in range(50)))
    monkeypatch.setattr(ingest, "read_text", lambda p: pytest.fail("a JSONL file was read whole"))
    assert len(load(path).records) == 50


def test_a_bad_byte_in_a_json_line_names_the_line(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_bytes(b'{"id": "a", "text": "ok"}\n{"id": "b", "text": "caf\xe9"}\n')
    with pytest.raises(InputError, match=r"c\.jsonl:2: not valid UTF-8"):
        load(path)
