"""Bad input and hostile text through the CLI: one clear line, a non-zero exit, the previous
output left as it was; and every export parses back whatever the text."""

from __future__ import annotations

import json

import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic

import comment_graph
from comment_graph.cli import main
from comment_graph.errors import ExportError
from comment_graph.export.rdf import render

from conftest import build_text

GOOD = "I agree that reward shaping helps. Thanks for the link!\n"


def _bad_inputs(tmp):
    """name -> (file contents as bytes, or a callable making the path), expected message part."""
    rec = {"id": "a", "text": "fine"}
    return {
        "missing file": (None, "no such file"),
        "directory": ("dir", "is a directory"),
        "empty file": (b"", "the file is empty"),
        "whitespace only": (b" \n\t\n  ", "holds no text"),
        "binary data": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data, not text: NUL byte at offset 8"),
        "invalid utf-8": (b"caf\xe9 au lait", "bad byte at offset 3"),
        "nul byte in text": (b"hello\x00world", "NUL byte at offset 5"),
        "latin-1 in jsonl": (b'{"text": "caf\xe9"}\n', "bad byte at offset"),
        "50 MB single line": (b"x" * 50_000_001, "line is 50,000,001 characters long"),
        "json array of numbers": (b"[1, 2, 3]", "expected a JSON object"),
        "json not records": (b'{"nope": 1}\n', "field 'text'"),
        "jsonl wrong type": (json.dumps({"id": "a", "text": ["x"]}).encode(), "field 'text'"),
        "jsonl bad date": (json.dumps({"text": "x", "created_at": "soon"}).encode(), "field 'created_at'"),
        "jsonl duplicate ids": ((json.dumps(rec) + "\n" + json.dumps(rec)).encode(), "duplicate comment id 'a'"),
        "jsonl bool id": (json.dumps({"id": True, "text": "x"}).encode(), "field 'id'"),
        "jsonl null text": (json.dumps({"id": "a", "text": None}).encode(), "field 'text'"),
        "jsonl only blank lines": (b"\n\n\n", "no comment records found"),
        "truncated json array": (b'[{"text": "a"}, {"text": ', "invalid JSON"),
        "jsonl strict bad line": ((json.dumps(rec) + "\n{oops\n").encode(), ":2: invalid JSON"),
        "unknown format override": (GOOD.encode(), "Invalid value for '--input-format'"),
    }


CASES = sorted(_bad_inputs(None))


@pytest.mark.parametrize("case", CASES)
def test_bad_input_fails_cleanly_and_keeps_previous_output(case, tmp_path):
    out = tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(main, ["build", "--out", str(out), "-q"]).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    content, message = _bad_inputs(tmp_path)[case]
    suffix = ".jsonl" if "json" in case else ".txt"
    path = tmp_path / f"input{suffix}"
    if content == "dir":
        path = tmp_path
    elif content is not None:
        path.write_bytes(content)
    args = ["build", str(path), "--out", str(out)]
    if "strict" in case:
        args.append("--strict")
    if case == "unknown format override":
        args += ["--input-format", "xml"]
    r = runner.invoke(main, args)
    assert r.exit_code == 1, r.output
    assert message in r.output, r.output
    assert len(r.output.strip().splitlines()) == 1 and r.output.startswith("error: "), r.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_malformed_line_is_skipped_and_counted_without_strict(tmp_path):
    p = tmp_path / "c.jsonl"
    p.write_text('{"text": "I agree."}\n{oops\n{"text": "Thanks!"}\n', encoding="utf-8")
    r = CliRunner().invoke(main, ["build", str(p), "--out", str(tmp_path / "o")])
    assert r.exit_code == 0 and "skipped a line that is not valid JSON" in r.output


def test_lone_cr_line_ends(tmp_path):
    p = tmp_path / "mac.txt"
    p.write_bytes(b"I agree with the plan.\r\rThanks for writing it up!\r")
    kg = comment_graph.build(p)
    assert len(kg.comments) == 2


HOSTILE = ('I agree with "Bob \\" O\'Brien" <script>alert(1)</script> \\n """ triple """ and '
           '<http://evil> > < names, tab\there, RTL \u202e mark, emoji 🤖, control \x07 char.\n\n'
           'Thanks, Zoë Ångström! @"><img src=x onerror=alert(2)> wrote "A Title With \\"Quotes\\""')


@pytest.mark.parametrize("fmt, parser", [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_hostile_text_round_trips_in_every_rdf_format(tmp_path, fmt, parser):
    p = tmp_path / "h.txt"
    p.write_text(HOSTILE, encoding="utf-8")
    kg = comment_graph.build(p)
    back = rdflib.Graph().parse(data=render(kg, fmt).decode("utf-8"), format=parser)
    assert isomorphic(back, kg.to_rdf())


def test_all_outputs_are_byte_identical_across_builds(tmp_path):
    a = tmp_path / "a"
    b = tmp_path / "b"
    for out in (a, b):
        r = CliRunner().invoke(main, ["build", "--out", str(out), "--rdf", "ttl,nt,jsonld", "-q"])
        assert r.exit_code == 0, r.output
    assert sorted(p.name for p in a.iterdir()) == ["graph.html", "graph.json", "graph.jsonld", "graph.nt", "graph.ttl",
                                                 "index.sqlite"]
    for f in a.iterdir():
        assert f.read_bytes() == (b / f.name).read_bytes(), f.name


def test_context_file_is_current():
    from pathlib import Path

    from comment_graph.export.rdf.jsonld import context

    shipped = json.loads((Path(__file__).parent.parent / "schemas" / "context.jsonld").read_text())
    assert shipped == {"@context": context()}


def test_very_long_names_and_titles_make_short_safe_iris(tmp_path):
    long_name = "Bartholomew " + "Xylo" * 150
    p = tmp_path / "long.txt"
    p.write_text(f"I agree with {long_name} on this. Thanks! See “{'Very Long Title ' * 40}Here”.", encoding="utf-8")
    kg = comment_graph.build(p)
    g = kg.to_rdf()
    assert all(len(str(s)) < 200 for s in g.subjects())
    back = rdflib.Graph().parse(data=render(kg, "ttl").decode("utf-8"), format="turtle")
    assert isomorphic(back, g)


def test_repeated_ids_across_files_stay_unique(tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text('{"id": "x", "text": "I agree."}\n{"id": "x-2", "text": "Thanks!"}\n', encoding="utf-8")
    b.write_text('{"id": "x", "text": "Seems fine."}\n', encoding="utf-8")
    kg = comment_graph.build([a, b])
    ids = [c.id for c in kg.comments]
    assert len(set(ids)) == 3 and ids[:2] == ["x", "x-2"]


def test_a_comment_id_equal_to_an_entity_id_breaks_nothing(tmp_path):
    from comment_graph.export.html import page_data

    p = tmp_path / "c.jsonl"
    p.write_text('{"id": "person/geoffrey-hinton", "text": "Geoffrey Hinton works on deep learning."}\n',
                 encoding="utf-8")
    kg = comment_graph.build(p)
    data = page_data(kg)
    assert len({n["id"] for n in data["nodes"]}) == len(data["nodes"]) == len(data["info"]) + len(data["comments"])
    assert not set(data["info"]) & set(data["comments"])
    assert kg.to_networkx().number_of_nodes() == len(kg.comments) + len(kg.entities)


def test_highlight_offsets_count_utf16_units_like_javascript():
    from comment_graph.export.html import utf16

    text = "😀😀 Yann LeCun"
    assert text[3:7] == "Yann" and utf16(text, 3) == 5 and utf16(text, 7) == 9


def test_blank_page_author_and_lone_surrogates_are_clean_errors_or_ignored(tmp_path):
    p = tmp_path / "t.txt"
    p.write_text("I agree with Yann LeCun.", encoding="utf-8")
    assert comment_graph.build(p, page_author="  ").page_author is None
    j = tmp_path / "s.jsonl"
    j.write_text('{"text": "Yann \\ud83d said"}\n', encoding="utf-8")
    with pytest.raises(comment_graph.InputError, match="lone UTF-16 surrogate"):
        comment_graph.build(j)


def test_a_one_line_title_case_comment_mid_page_is_kept():
    from comment_graph.segment import segment_text

    page = ("I agree that the benchmark leaks test data into training.\n\n"
            "Great Answer From Geoffrey Hinton\n\n"
            "Thanks for the link! The second table settles it for me.\n")
    assert any("Great Answer" in c.text for c in segment_text(page).comments)


def test_bound_values_never_become_query_syntax(tmp_path):
    from comment_graph.sparql import query

    r = CliRunner().invoke(main, ["build", "--out", str(tmp_path), "--store", "-q"])
    assert r.exit_code == 0
    q = 'SELECT ?c (CONCAT("{", ?name) AS ?z) WHERE { ?c sioc:content ?name }'
    evil = ", '') AS ?w) WHERE { ?c sioc:content ?z } #"
    for source in (tmp_path / "store", tmp_path / "graph.ttl"):
        assert query(source, q, {"name": evil}) == []


def test_interrupt_while_writing_leaves_previous_outputs_and_no_temp_files(tmp_path, monkeypatch):
    import comment_graph.export as export

    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["build", "--out", str(out), "-q"]).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real_stage, calls = export._stage, []

    def interrupted(tmp, write):
        calls.append(tmp)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real_stage(tmp, write)

    monkeypatch.setattr(export, "_stage", interrupted)
    p = tmp_path / "new.txt"
    p.write_text("I agree with a different comment entirely. Thanks!", encoding="utf-8")
    r = CliRunner().invoke(main, ["build", str(p), "--out", str(out)])
    assert r.exit_code == 130 and "interrupted" in r.output
    assert {q.name: q.read_bytes() for q in out.iterdir()} == before


def test_a_writer_failing_in_its_own_process_leaves_previous_outputs(tmp_path, monkeypatch):
    import comment_graph.export.rdf.writers as rdf

    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["build", "--out", str(out), "-q"]).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken(f, **section):
        raise ExportError("the Turtle writer broke")

    monkeypatch.setitem(rdf.SECTION_WRITERS, "ttl", broken)  # every piece of the Turtle, in whichever process
    p = tmp_path / "new.txt"
    p.write_text("I agree with a different comment entirely. Thanks!", encoding="utf-8")
    r = CliRunner().invoke(main, ["build", str(p), "--out", str(out), "--jobs", "2", "-q"])
    assert r.exit_code != 0 and "the Turtle writer broke" in r.output
    assert {q.name: q.read_bytes() for q in out.iterdir()} == before


def test_mentions_share_equal_attrs_which_cannot_be_changed_in_place():
    import pickle

    from comment_graph.models import Mention

    a, b = (Mention(comment_id=c, kind="concept", surface="reward", start=0, end=6, extractor="concepts",
                    attrs={"source": "noun phrase"}) for c in ("1", "2"))
    assert a.attrs is b.attrs  # one object for millions of equal attrs
    with pytest.raises(TypeError):
        a.attrs["source"] = "vocabulary"
    a.attrs = {**a.attrs, "source": "vocabulary"}  # replacing is how attrs change
    assert b.attrs == {"source": "noun phrase"}
    assert pickle.loads(pickle.dumps(b)).attrs == {"source": "noun phrase"}
    travelled = Mention.from_row(pickle.loads(pickle.dumps(b.as_row())))
    assert travelled == b and travelled.attrs is b.attrs


def _pid_writer(started, fail_where=None, parent=None):
    import os
    import time

    def write(f, n):
        (started / str(n)).write_text(str(os.getpid()))
        time.sleep(0.2)  # long enough that every process takes writers
        if fail_where and (os.getpid() == parent) == (fail_where == "parent"):
            raise ExportError(f"writer {n} broke in the {fail_where}")
        f.write(b"x" * n)
    return write


def test_writers_are_shared_by_the_processes_and_joined_in_order(tmp_path):
    import functools
    import os

    from comment_graph.export import write_all_atomic

    started = tmp_path / "started"
    started.mkdir()
    write = _pid_writer(started)
    files = {f"f{n}": (tmp_path / f"f{n}", functools.partial(write, n=n)) for n in range(1, 5)}
    files["joined"] = (tmp_path / "joined", [functools.partial(write, n=n) for n in range(5, 9)])
    out = write_all_atomic(files, jobs=2)
    assert [out[k].read_bytes() for k in files] == [b"x" * n for n in range(1, 5)] + [b"x" * sum(range(5, 9))]
    writers = {p.read_text() for p in started.iterdir()}
    assert str(os.getpid()) in writers and len(writers) == 2  # both processes wrote
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*files, "started"])  # no pieces left


@pytest.mark.parametrize("where", ["child", "parent"])
def test_a_writer_failing_anywhere_is_raised_and_stops_the_rest(tmp_path, where):
    import functools
    import os

    from comment_graph.export import write_all_atomic

    started = tmp_path / "started"
    started.mkdir()
    write = _pid_writer(started, fail_where=where, parent=os.getpid())
    files = {f"f{n}": (tmp_path / f"f{n}", functools.partial(write, n=n)) for n in range(20)}
    with pytest.raises(ExportError, match=f"broke in the {where}"):
        write_all_atomic(files, jobs=2)
    assert len(list(started.iterdir())) < 8  # no more writers were handed out after the failure
    assert [p.name for p in tmp_path.iterdir()] == ["started"]  # and no file was left


@pytest.mark.parametrize("kernel", ["copies", "refuses", "copies nothing", "stops halfway"])
def test_pieces_are_joined_whole_whatever_the_kernel_does(tmp_path, monkeypatch, kernel):
    import functools
    import os

    from comment_graph.export import write_all_atomic

    real = os.copy_file_range

    def copy_file_range(src, dst, count, *args):
        if kernel == "refuses":
            raise OSError(38, "Function not implemented")
        if kernel == "copies nothing":
            return 0
        if kernel == "stops halfway":
            return real(src, dst, count // 2) if os.lseek(src, 0, os.SEEK_CUR) == 0 else 0
        return real(src, dst, count, *args)

    monkeypatch.setattr(os, "copy_file_range", copy_file_range)
    chunks = [bytes([65 + n]) * (1000 + n) for n in range(4)]
    out = write_all_atomic({"f": (tmp_path / "f", [functools.partial(_write, data=c) for c in chunks])})
    assert out["f"].read_bytes() == b"".join(chunks)
    assert [p.name for p in tmp_path.iterdir()] == ["f"]


def _write(f, data):
    f.write(data)


@pytest.mark.parametrize("broken, complaint", [
    (dict(start=0, end=4, surface="nope"), "returned span 0:4"),
    (dict(start=0, end=4, surface="Some", kind="organization"), "returned kind 'organization'"),
    (dict(start=0, end=4, surface="Some", score=1.5), "returned score 1.5"),
])
def test_an_extractor_breaking_the_contract_is_named(tmp_path, monkeypatch, broken, complaint):
    """Built-in extractors skip pydantic's per-field checks (Mention.found); run_extractors checks
    every mention's span, kind and score, whoever made it."""
    from comment_graph import extract
    from comment_graph.errors import ExtractorError
    from comment_graph.models import Mention

    def find(c, ctx):
        fields = dict(kind="concept", score=0.5) | broken
        yield Mention.found(comment_id=c.id, extractor="careless", **fields)

    monkeypatch.setitem(extract._REGISTRY, "careless", extract.Extractor("careless", ("concept",), find))
    with pytest.raises(ExtractorError, match=complaint) as err:
        build_text(tmp_path, "Some text about reward models.", extractors=["careless"])
    assert "careless" in str(err.value)


def test_an_extractor_declaring_an_unknown_kind_is_refused():
    from comment_graph import extract
    from comment_graph.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown kind"):
        extract.register(extract.Extractor("odd", ("gadget",), lambda c, ctx: iter(())))
    assert "odd" not in extract.available_extractors()


def test_a_build_leaves_nothing_frozen_out_of_garbage_collection(tmp_path):
    """Builds freeze what finished stages made (gc.freeze) and pause automatic collection; they
    must unfreeze it and restore collection as it was, even on failure."""
    import gc

    kg = build_text(tmp_path, GOOD * 3)
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    comment_graph.write(kg, tmp_path / "out")
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    with pytest.raises(Exception):
        comment_graph.build(tmp_path / "missing.txt")
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    gc.disable()  # a caller that turned collection off keeps it off
    try:
        build_text(tmp_path, GOOD * 3)
        assert not gc.isenabled()
    finally:
        gc.enable()
    gc.freeze()  # and what a caller froze stays frozen
    try:
        frozen = gc.get_freeze_count()
        build_text(tmp_path, GOOD * 3)
        assert gc.get_freeze_count() >= frozen and gc.isenabled()
    finally:
        gc.unfreeze()


def test_builds_in_threads_leave_collection_as_it_was(tmp_path):
    """Blocks opened and closed by several threads at once still restore collection at the end."""
    import gc
    import threading

    from comment_graph.runtime import shared_heap

    def hold():
        for _ in range(200):
            with shared_heap():
                pass

    threads = [threading.Thread(target=hold) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert gc.isenabled() and gc.get_freeze_count() == 0
    build_text(tmp_path, GOOD * 3)
    assert gc.isenabled()
