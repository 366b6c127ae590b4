"""Hostile inputs (issue #24): a bad link, value, nesting or name in one comment never ends a
build with an unexpected exception. It is kept (as text, or cleaned) with a warning naming the
comment, or refused with one `error:` line naming the file, exit code 1."""

from __future__ import annotations

import json

import pytest
import rdflib
from click.testing import CliRunner

from comment_graph.cli import main
from comment_graph.urls import classify

OK = "I agree with the point about reward models."


def _build(*args: str, out=None):
    return CliRunner().invoke(main, ["build", *args, "--out", str(out), "--rdf", "ttl,nt,jsonld"])


def _refused(result, message: str) -> None:
    """One `error:` line, exit code 1: the user's input, not a bug."""
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], result.output


def _graphs_parse(out) -> None:
    for name, parser in (("graph.ttl", "turtle"), ("graph.nt", "nt"), ("graph.jsonld", "json-ld")):
        assert len(rdflib.Graph().parse(out / name, format=parser)) > 0, name


# ---- 1. a malformed link -----------------------------------------------------------------

BAD_URLS = ["http://[::1", "http://[zz]/", "http://\uff03x/"]


def _link_inputs(url: str) -> dict[str, str]:
    """The same malformed URL in every way an input can give a link."""
    record = {"id": "r1", "text": f"{OK} See this paper.", "links": [{"start": 48, "end": 58, "url": url}]}
    lw = {"_id": "lw1", "htmlBody": f'<p>{OK} See <a href="{url}">this paper</a>.</p>', "pageUrl": url}
    return {"page.txt": f"{OK} See {url} for the details.\n\nThanks for writing it.\n",
            "text.jsonl": json.dumps({"text": f"{OK} See {url} now."}) + "\n",
            "links.jsonl": json.dumps(record) + "\n" + json.dumps({"text": "Thanks for it."}) + "\n",
            "page.md": f"# Post\n\n{OK} See [this paper]({url}) now.\n",
            "page.html": f'<p>{OK} See <a href="{url}">this paper</a> now.</p>',
            "lw.json": json.dumps([lw]),
            "hn.json": json.dumps([{"by": "ann", "id": 7, "type": "comment",
                                    "text": f'{OK} <a href="{url}">this paper</a>'}])}


@pytest.mark.parametrize("name", sorted(_link_inputs("")))
@pytest.mark.parametrize("url", BAD_URLS)
def test_a_malformed_link_in_any_format_is_kept_as_text_with_a_warning(tmp_path, url, name):
    (tmp_path / name).write_text(_link_inputs(url)[name], encoding="utf-8")
    r = _build(str(tmp_path / name), out=tmp_path / "o")
    assert r.exit_code == 0, r.output
    if name != "page.txt" and name != "text.jsonl":  # a bare URL in the text is text already
        assert "malformed link" in r.output and "kept as plain text" in r.output, r.output
    if name == "links.jsonl":
        assert "links.jsonl: comment 'r1': malformed link" in r.output
    _graphs_parse(tmp_path / "o")


def test_classify_never_raises_on_a_malformed_url():
    for url in BAD_URLS:
        assert classify(url) is None
    assert classify("http://a:99999/").url.startswith("http://a:99999")  # a bad port is never asked for: kept


def test_hostile_urls_still_give_rdf_that_parses(tmp_path):
    urls = ["http://a:99999/", "https://%", "http://x.org/a b", "http://x.org/\x01\x7f", 'http://x.org/"q"',
            "http://x.org/<script>", "http://x.org/{}|^`\\", "https://x.org/" + "a" * 20_000, "https://e.org/%zz%",
            "http://x.org/\u202e\ufeff", "https://doi.org/10.1/<>\" x", "https://www.lesswrong.com/users/a%20b>"]
    p = tmp_path / "u.jsonl"
    p.write_text("".join(json.dumps({"id": f"u{i}", "text": f"See this paper on reward models {i}.",
                                     "links": [{"start": 4, "end": 14, "url": u}]}) + "\n"
                         for i, u in enumerate(urls)), encoding="utf-8")
    r = _build(str(p), out=tmp_path / "o")
    assert r.exit_code == 0, r.output
    _graphs_parse(tmp_path / "o")


# ---- 2. JSON nested deep ------------------------------------------------------------------

def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [1_000, 5_000, 100_000])
def test_a_deeply_nested_jsonl_line_is_skipped_with_a_warning(tmp_path, depth):
    p = tmp_path / "deep.jsonl"
    p.write_text(json.dumps({"text": OK}) + "\n" + f'{{"text": "Thanks.", "x": {_nested(depth)}}}\n'
                 + json.dumps({"text": "Thanks for it."}) + "\n", encoding="utf-8")
    r = _build(str(p), out=tmp_path / "o")
    assert r.exit_code == 0, r.output
    assert "deep.jsonl:2: skipped a line (nested deeper than 200 levels)" in r.output
    _refused(_build(str(p), "--strict", out=tmp_path / "o"), "deep.jsonl:2: invalid JSON: nested deeper than 200 levels")


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_a_deeply_nested_json_document_is_one_clear_error(tmp_path, depth):
    array, doc = tmp_path / "deep.json", tmp_path / "one.json"
    array.write_text(f'[{{"text": "{OK}"}},\n {{"text": "Thanks.", "x": {_nested(depth)}}}]', encoding="utf-8")
    doc.write_text(f'{{"text": "{OK}",\n "x": {_nested(depth)}}}', encoding="utf-8")
    _refused(_build(str(array), out=tmp_path / "o"), "deep.json:2: invalid JSON: nested deeper than 200 levels")
    _refused(_build(str(doc), out=tmp_path / "o"), "one.json:2: invalid JSON: nested deeper than 200 levels")


def test_a_nested_extra_field_within_the_limit_is_kept_and_written(tmp_path):
    import comment_graph

    deep = json.loads("[" * 199 + "1" + "]" * 199)  # the record itself is the 200th level
    p = tmp_path / "keep.jsonl"
    p.write_text(json.dumps({"id": "a", "text": OK, "x": deep, "y": {"k": deep[0]}}) + "\n", encoding="utf-8")
    r = _build(str(p), out=tmp_path / "o")
    assert r.exit_code == 0, r.output
    _graphs_parse(tmp_path / "o")
    assert comment_graph.load(tmp_path / "o").comments[0].extra["x"] == deep


# ---- 4. lone surrogates -------------------------------------------------------------------

def test_lone_surrogates_outside_the_text_are_replaced_with_a_warning(tmp_path):
    p = tmp_path / "s.jsonl"
    p.write_text('{"id": "a\\ud800", "text": "I agree.", "author": "Ann\\udc00", "post_title": "T\\ud800",'
                 ' "url": "https://x.org/\\ud800", "x": {"k\\udc00": ["\\ud800"]}, "z\\ud800": 1}\n'
                 '{"text": "Thanks.", "links": [{"start": 0, "end": 6, "url": "https://x.org/\\udfff"}]}\n',
                 encoding="utf-8")
    r = _build(str(p), out=tmp_path / "o")
    assert r.exit_code == 0, r.output
    assert "s.jsonl:1: lone UTF-16 surrogate in author, id, post_title, url, x, z\ufffd replaced by U+FFFD" in r.output
    assert "s.jsonl:2: lone UTF-16 surrogate in links replaced by U+FFFD" in r.output
    _graphs_parse(tmp_path / "o")
    state = (tmp_path / "o" / "graph.json").read_text(encoding="utf-8")
    assert "Ann\ufffd" in state and '"k\ufffd":["\ufffd"]' in state


def test_lone_surrogates_in_forum_exports_are_replaced(tmp_path):
    lw = tmp_path / "lw.json"
    lw.write_text('[{"_id": "c1", "htmlBody": "<p>I agree <a href=\\"https://x.org/\\ud800\\">here</a>.</p>",'
                  ' "user": {"displayName": "Ann\\ud800"}, "post": {"title": "T\\udc00"}}]', encoding="utf-8")
    hn = tmp_path / "hn.json"
    hn.write_text('[{"by": "ann", "id": 1, "type": "story", "title": "Story \\ud800", "time": 1},'
                  ' {"by": "bo\\ud800", "id": 2, "parent": 1, "type": "comment", "text": "I agree.", "time": 2}]',
                  encoding="utf-8")
    for p in (lw, hn):
        r = _build(str(p), out=tmp_path / p.stem)
        assert r.exit_code == 0 and "replaced by U+FFFD" in r.output, r.output
        _graphs_parse(tmp_path / p.stem)


def test_a_lone_surrogate_in_the_text_stays_an_error(tmp_path):
    p = tmp_path / "t.jsonl"
    p.write_text('{"text": "Yann \\ud83d said"}\n{"text": "Thanks."}\n', encoding="utf-8")
    _refused(_build(str(p), out=tmp_path / "o"), "t.jsonl:1: field 'text': text holds a lone UTF-16 surrogate")


# ---- 5. a broken first line of JSON Lines -------------------------------------------------

@pytest.mark.parametrize("name", ["c.jsonl", "c.ndjson", "c.json", "c"])
def test_a_broken_first_jsonl_line_is_skipped_like_any_other(tmp_path, name):
    p = tmp_path / name
    p.write_text("{oops\n" + json.dumps({"text": OK}) + "\n" + json.dumps({"text": "Thanks."}) + "\n",
                 encoding="utf-8")
    r = _build(str(p), out=tmp_path / "o")
    assert r.exit_code == 0, r.output
    assert f"{name}:1: skipped a line that is not valid JSON" in r.output and "Found 2 comments" in r.output
    _refused(_build(str(p), "--strict", out=tmp_path / "o"), f"{name}:1: invalid JSON")


def test_a_broken_first_line_still_lets_the_forum_shape_be_seen(tmp_path):
    p = tmp_path / "hn.jsonl"
    p.write_text('{"by": "ann", "id": 1\n' + json.dumps({"by": "bo", "id": 2, "text": OK, "type": "comment"}) + "\n"
                 + json.dumps({"by": "cy", "id": 3, "text": "Thanks.", "type": "comment"}) + "\n", encoding="utf-8")
    r = _build(str(p), out=tmp_path / "o")
    assert r.exit_code == 0 and "(hn)" in r.output, r.output


def test_a_jsonl_file_whose_every_line_is_broken_is_an_error(tmp_path):
    p = tmp_path / "bad.jsonl"
    p.write_text("{oops\n{nope\n", encoding="utf-8")
    _refused(_build(str(p), out=tmp_path / "o"), "bad.jsonl:1: invalid JSON")


# ---- 3. HTML nested deep ------------------------------------------------------------------

@pytest.mark.parametrize("depth", [600, 5_000])
def test_deeply_nested_html_builds(tmp_path, depth):
    p = tmp_path / "deep.html"
    p.write_text("<div>" * depth + f"<p>{OK}</p>" + "</div>" * depth, encoding="utf-8")
    r = _build(str(p), out=tmp_path / "o")
    assert r.exit_code == 0 and "Found 1 comments" in r.output, r.output
    _graphs_parse(tmp_path / "o")


def test_a_hundred_thousand_nested_divs_build_in_seconds(tmp_path):
    import time

    import comment_graph

    p = tmp_path / "deep.html"
    p.write_text("<div>" * 100_000 + f"<p>{OK}</p>" + "</div>" * 100_000, encoding="utf-8")
    began = time.perf_counter()
    kg = comment_graph.build(p)
    assert time.perf_counter() - began < 20  # was 196 s before failing; about 4 s on a laptop
    assert [c.text for c in kg.comments] == [OK]


def test_deeply_nested_comments_quotes_and_links_keep_their_structure():
    from comment_graph.ingest.html import html_comments, html_to_text, parse_html

    n = 3_000
    page = "".join(f'<div class="comment" id="c{i}"><div class="comment-body"><p>Reply {i}.</p></div>'
                   for i in range(n)) + "</div>" * n
    found = html_comments(parse_html(page))
    assert len(found) == n and found[-1]["parent_id"] == f"c{n - 2}" and found[-1]["text"] == f"Reply {n - 1}."
    text, quotes, links = html_to_text("<blockquote>" * n + OK + "</blockquote>" * n
                                       + '<span><a href="https://x.org/">' * n + "here" + "</a></span>" * n)
    assert [(q.start, q.end) for q in quotes] == [(0, len(OK))]  # a quote inside a quote is one passage
    assert len(links) == n and {text[ln.start:ln.end] for ln in links} == {"here"}


def test_markdown_quotes_nested_thousands_deep_are_one_passage(tmp_path):
    p = tmp_path / "deep.md"
    p.write_text("# Post\n\n" + "> " * 5_000 + OK + "\n\nThanks for it.\n", encoding="utf-8")
    r = _build(str(p), out=tmp_path / "o")
    assert r.exit_code == 0 and "Found 1 comments" in r.output, r.output
    from comment_graph.ingest.markdown import markdown_to_text

    assert markdown_to_text("> " * 5_000 + OK) == (OK, [markdown_to_text("> " + OK)[1][0]], [])


# ---- 6. a pipe is an input ----------------------------------------------------------------

PAGE = f"{OK}\n\nThanks for writing this up, Yann LeCun.\n"
RECORDS = json.dumps({"id": "a", "text": OK}) + "\n" + json.dumps({"id": "b", "text": "Thanks."}) + "\n"


@pytest.mark.parametrize("content, fmt", [(PAGE, "text"), (RECORDS, "jsonl"), (f"<p>{OK}</p>", "html")],
                         ids=["text", "jsonl", "html"])
def test_a_dash_reads_standard_input_and_detects_its_format(tmp_path, content, fmt):
    r = CliRunner().invoke(main, ["build", "-", "--out", str(tmp_path / "o")], input=content.encode())
    assert r.exit_code == 0, r.output
    assert f"Read stdin ({fmt})" in r.output


def test_an_empty_standard_input_is_one_clear_error(tmp_path):
    _refused(CliRunner().invoke(main, ["build", "-", "--out", str(tmp_path / "o")], input=b""),
             "<stdin>: the file is empty")


def test_a_pipe_named_by_path_is_read_once_and_hashed_as_read(tmp_path):
    import hashlib
    import os

    import comment_graph

    read, write = os.pipe()  # what the shell's <(cat page.txt) gives: /dev/fd/N
    os.write(write, RECORDS.encode())
    os.close(write)
    try:
        kg = comment_graph.build(f"/dev/fd/{read}")
    finally:
        os.close(read)
    assert [c.id for c in kg.comments] == ["a", "b"]
    assert (kg.inputs[0].path, kg.inputs[0].sha256) == ("pipe", hashlib.sha256(RECORDS.encode()).hexdigest())


def _fifo_build(tmp_path, content: bytes):
    import os
    import signal
    import threading

    fifo = tmp_path / "page.jsonl"
    os.mkfifo(fifo)

    def feed():
        with open(fifo, "wb") as f:
            f.write(content)

    threading.Thread(target=feed, daemon=True).start()

    def hung(*_):
        raise TimeoutError("the FIFO was opened a second time")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(10)
    try:
        return _build(str(fifo), out=tmp_path / "o")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_fifo_is_read_once(tmp_path):
    r = _fifo_build(tmp_path, RECORDS.encode())
    assert r.exit_code == 0 and "Read page.jsonl (jsonl)" in r.output, r.output


def test_an_empty_fifo_is_one_clear_error(tmp_path):
    _refused(_fifo_build(tmp_path, b""), "page.jsonl: the file is empty")


def test_dev_stdin_is_read_once(tmp_path):
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-c", "from comment_graph.cli import main; main()", "build", "/dev/stdin",
                          "--out", str(tmp_path / "o")], input=PAGE.encode(), capture_output=True, timeout=60)
    assert run.returncode == 0 and b"Read stdin (text)" in run.stdout, run.stdout + run.stderr


# ---- 7. outputs name inputs by file name and hash, not by path ----------------------------

def test_the_same_input_in_two_folders_gives_the_same_bytes(tmp_path, monkeypatch):
    for folder in ("a/x", "b/y/z"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "page.txt").write_text(PAGE, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "a")
    assert _build("x/page.txt", out=tmp_path / "out-a").exit_code == 0  # a relative path, and an absolute one
    assert _build(str(tmp_path / "b/y/z/page.txt"), out=tmp_path / "out-b").exit_code == 0
    for f in sorted((tmp_path / "out-a").iterdir()):
        data = f.read_bytes()
        assert data == (tmp_path / "out-b" / f.name).read_bytes(), f.name
        assert str(tmp_path).encode() not in data and b"/x/" not in data, f.name


def test_the_bundled_sample_names_no_install_path(tmp_path, sample_kg):
    import comment_graph

    comment_graph.write(sample_kg, tmp_path / "o", rdf=("ttl", "nt", "jsonld"))
    install = str(comment_graph.sample_path().parent).encode()
    for f in (tmp_path / "o").iterdir():
        assert install not in f.read_bytes(), f.name
    assert sample_kg.summary().inputs == ["byrnes_profile.txt"]
    assert {c.source for c in sample_kg.comments} == {"byrnes_profile.txt"}


def test_two_inputs_with_one_name_stay_distinct_and_round_trip(tmp_path):
    import comment_graph

    for folder, text in (("a", PAGE), ("b", "A different page about RLHF entirely.\n")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "page.txt").write_text(text, encoding="utf-8")
    kg = comment_graph.build([tmp_path / "a/page.txt", tmp_path / "b/page.txt"])
    assert [i.path for i in kg.inputs] == ["page.txt", "page.txt"] and kg.inputs[0].sha256 != kg.inputs[1].sha256
    comment_graph.write(kg, tmp_path / "o")
    ttl = (tmp_path / "o" / "graph.ttl").read_text(encoding="utf-8")
    assert all(f"urn:sha256:{i.sha256}" in ttl for i in kg.inputs)
    back = comment_graph.load(tmp_path / "o")
    assert back.inputs == kg.inputs
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "more.txt").write_text("One more comment on reward models.\n", encoding="utf-8")
    grown = comment_graph.build(tmp_path / "c" / "more.txt", append_to=tmp_path / "o")
    assert [i.path for i in grown.inputs] == ["page.txt", "page.txt", "more.txt"]


# ---- 8. other values that ended in an unexpected exception ---------------------------------

@pytest.mark.parametrize("key, stamp", [("time", 99_999_999_999_999_999), ("time", -99_999_999_999_999),
                                        ("created_at_i", 1e20)])
def test_a_timestamp_no_calendar_holds_is_one_clear_error(tmp_path, key, stamp):
    p = tmp_path / "hn.json"
    p.write_text(json.dumps([{"by": "ann", "id": 1, "text": OK, "type": "comment", key: stamp}]), encoding="utf-8")
    _refused(_build(str(p), out=tmp_path / "o"), "hn.json:1: field 'created_at'")


@pytest.mark.parametrize("name, page", [
    ("page.html", f'<article><time datetime="2024-13-45">then</time><p>{OK}</p></article>'),
    ("page.md", f"# Post\n\n---\n\nauthor: Ada\ndate: 2024-02-30\n\n{OK}\n"),
])
def test_a_scraped_date_no_calendar_holds_is_dropped_with_a_warning(tmp_path, name, page):
    (tmp_path / name).write_text(page, encoding="utf-8")
    r = _build(str(tmp_path / name), out=tmp_path / "o")
    assert r.exit_code == 0 and "Found 1 comments" in r.output, r.output
    assert "dropped the date '2024-" in r.output


def test_a_number_too_long_to_convert_is_named(tmp_path):
    p = tmp_path / "n.jsonl"
    p.write_text(json.dumps({"text": OK}) + "\n" + '{"text": "Thanks.", "n": ' + "9" * 5_000 + "}\n", encoding="utf-8")
    r = _build(str(p), out=tmp_path / "o")
    assert r.exit_code == 0 and "n.jsonl:2: skipped a line (a number has more than 4,300 digits)" in r.output


def test_an_endless_binary_stream_is_refused_at_once(tmp_path):
    _refused(_build("/dev/zero", out=tmp_path / "o"), "/dev/zero: binary data, not text: NUL byte at offset 0")
