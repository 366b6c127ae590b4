"""Inputs: JSON Lines records and the errors bad files give."""

from __future__ import annotations

import json

import pytest

import comment_graph
from comment_graph import InputError

RECORDS = [
    {"id": "a1", "author": "Dana Okafor", "text": "I agree that reward hacking is the main risk of RLHF.",
     "post_title": "Notes on RLHF", "post_url": "https://example.org/p/1", "url": "https://example.org/c/a1",
     "parent_id": None, "created_at": "2024-03-01T12:00:00Z"},
    {"id": "a2", "author": "Omar Haddad", "text": "Reward hacking shows up in every RLHF run I have seen, Dana.",
     "post_title": "Notes on RLHF", "post_url": "https://example.org/p/1", "url": "https://example.org/c/a2",
     "parent_id": "a1", "created_at": "2024-03-01T13:00:00Z"},
    {"id": 3, "text": "Index funds beat stock picking after fees."},
]


def write_jsonl(tmp_path, rows, name="c.jsonl"):
    p = tmp_path / name
    p.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return p


def test_jsonl_records_keep_ids_authors_threads_and_dates(tmp_path):
    kg = comment_graph.build(write_jsonl(tmp_path, RECORDS))
    assert [c.id for c in kg.comments] == ["a1", "a2", "3"]
    assert kg.inputs[0].format == "jsonl"
    rows = kg.sparql("""SELECT ?c ?parent ?who ?when WHERE { ?c sioc:reply_of ?parent ; sioc:has_creator ?acc ;
                        dcterms:created ?when . ?acc sioc:name ?who }""")
    assert len(rows) == 1 and rows[0]["who"] == "Omar Haddad" and rows[0]["parent"].endswith("/comment/a1")
    assert kg.related("a1", k=1)[0].comment_id == "a2"


def test_unknown_fields_warn_and_are_kept(tmp_path):
    kg = comment_graph.build(write_jsonl(tmp_path, [{**RECORDS[0], "score": 7}]))
    assert kg.comments[0].extra == {"score": 7}
    assert any("unknown field" in w for w in kg.warnings)


def test_malformed_line_is_skipped_with_a_warning(tmp_path):
    kg = comment_graph.build(write_jsonl(tmp_path, [RECORDS[0], "{not json", RECORDS[1]]))
    assert len(kg.comments) == 2
    assert any(":2: skipped" in w for w in kg.warnings)


@pytest.mark.parametrize("rows, message", [
    ([RECORDS[0], {**RECORDS[1], "id": "a1"}], "c.jsonl:2: field 'id': duplicate comment id 'a1'"),
    ([{"id": "x", "text": 5}], "c.jsonl:1: field 'text'"),
    ([{"id": "x"}], "c.jsonl:1: field 'text'"),
    ([{"text": "fine", "created_at": "yesterday"}], "c.jsonl:1: field 'created_at'"),
    (["[1, 2]"], "c.jsonl:1: expected a JSON object, got int"),
])
def test_bad_records_name_the_place(tmp_path, rows, message):
    with pytest.raises(InputError, match=message.replace("[", r"\[").replace("(", r"\(")):
        comment_graph.build(write_jsonl(tmp_path, rows))


def test_bad_files(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.txt"
    blank.write_text("  \n\n \t\n")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("caf\u00e9 ok".encode("latin-1"))
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"abc\x00def")
    cases = [(tmp_path / "missing.txt", "no such file"), (tmp_path, "is a directory"), (empty, "empty"),
             (blank, "no text"), (latin, "bad byte at offset 3"), (binary, "NUL byte at offset 3")]
    for path, message in cases:
        with pytest.raises(InputError, match=message):
            comment_graph.build(path)


def test_utf16_with_bom_is_read(tmp_path):
    p = tmp_path / "u16.txt"
    p.write_bytes("I agree that gradient descent finds it. Thanks!".encode("utf-16"))
    kg = comment_graph.build(p)
    assert kg.comments[0].text.startswith("I agree")


def test_format_override(tmp_path):
    p = write_jsonl(tmp_path, RECORDS[:1], name="records.txt")
    assert comment_graph.build(p).inputs[0].format == "jsonl"  # detected from the first line
    kg = comment_graph.build(p, input_format="text")
    assert kg.inputs[0].format == "text" and kg.comments[0].text.startswith("{")
