"""Property tests: any text builds, every evidence span holds, exports parse back isomorphic."""

from __future__ import annotations

import tempfile
from pathlib import Path

import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic

import comment_graph
from comment_graph import InputError
from comment_graph.export.rdf import render

WORDS = st.sampled_from(["I agree", "Yann", "LeCun’s", "reward shaping", "RL", "(RPE)", "@Quintin Pope", "“Title",
                         "Case”", "the CoinRun paper", ">", "\n\n", "\n", "é", "🤖", "\u202e", "\"", "\\", "<b>", "’s"])
TEXT = st.one_of(st.text(min_size=1, max_size=300),
                 st.lists(st.one_of(WORDS, st.text(max_size=12)), min_size=1, max_size=40).map(" ".join))
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def build(text: str):
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "page.txt"
        p.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            return comment_graph.build(p)
        except InputError:
            return None  # empty, whitespace-only or NUL input, or text with no comment in it: refused with a clear error


@SETTINGS
@given(TEXT)
def test_any_text_builds_and_every_span_holds(text):
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        return  # lone surrogates cannot be written as UTF-8
    kg = build(text)
    if kg is None:
        return
    by_id = {c.id: c.text for c in kg.comments}
    for m in kg.mentions:
        assert by_id[m.comment_id][m.start:m.end] == m.surface


@SETTINGS
@given(TEXT)
def test_exports_parse_back_isomorphic(text):
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        return
    kg = build(text)
    if kg is None:
        return
    g = kg.to_rdf()
    for fmt, parser in (("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")):
        back = rdflib.Graph().parse(data=render(kg, fmt).decode("utf-8"), format=parser)
        assert isomorphic(back, g)


SPACED_WORDS = st.lists(st.sampled_from(["the", "The", "a", "an", "our", "those", "gemma", "scope-like", "-", " ", "  ",
                                         "\n", "x" * 90, "İ", "K", ",", "’", "Smith"]), max_size=60).map("".join)


@settings(max_examples=500, deadline=None)
@given(SPACED_WORDS, st.integers(min_value=0, max_value=400))
def test_determiner_search_in_a_window_agrees_with_the_whole_text(text, end):
    from comment_graph.extract.people import DETERMINER_BEFORE_RE, _determiner_before

    end = min(end, len(text))
    assert _determiner_before(text, end) == bool(DETERMINER_BEFORE_RE.search(text[:end]))


SPANS = st.lists(st.tuples(st.integers(0, 60), st.integers(1, 20)).map(lambda p: (p[0], p[0] + p[1])), max_size=12)


@settings(max_examples=300, deadline=None)
@given(SPANS, SPANS)
def test_the_byte_mask_of_claimed_characters_agrees_with_scanning_the_spans(claimed, asked):
    from comment_graph.extract.names import Taken, covered

    taken = Taken(100)
    for span in claimed:
        taken.append(span)
    copy = taken.copy()
    copy.append((90, 95))
    for s, e in asked:
        assert taken.covers(s, e) == covered(claimed, s, e)
        assert copy.covers(s, e) == covered(claimed + [(90, 95)], s, e)


@settings(max_examples=500, deadline=None)
@given(st.one_of(TEXT, st.text(alphabet="aZ_9-'’.&/+@# \n", max_size=60)))
def test_tokens_are_those_of_the_character_by_character_patterns(text):
    """The token patterns match runs of word characters at once; the tokens must be those of
    the plain patterns they replaced."""
    import re

    from comment_graph.extract.vocabulary import FINE_TOKEN_RE
    from comment_graph.text import TOKEN_RE

    plain = re.compile(r"[@#]?[^\W_](?:[\w]|[-'’.&/+](?=[^\W_]))*|\S")
    plain_fine = re.compile(r"[^\W_](?:\w|['’.&+](?=[^\W_]))*")
    assert [m.span() for m in TOKEN_RE.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert [m.span() for m in FINE_TOKEN_RE.finditer(text)] == [m.span() for m in plain_fine.finditer(text)]


@settings(max_examples=500, deadline=None)
@given(st.one_of(TEXT, st.text(alphabet="aZ_9-'’.&/+@# \n", max_size=60)))
def test_token_columns_are_the_matches_of_the_pattern(text):
    """Tokens come from one split and a running sum of lengths; they must be the pattern's matches."""
    from comment_graph.extract.vocabulary import FINE_TOKEN_RE
    from comment_graph.text import TOKEN_RE, token_columns, tokens

    for pattern in (TOKEN_RE, FINE_TOKEN_RE):
        words, starts, ends = token_columns(text, pattern)
        assert list(zip(words, starts, ends)) == [(m.group(), m.start(), m.end()) for m in pattern.finditer(text)]
    assert tokens(text) == [(m.group(), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


def test_token_columns_refuse_a_pattern_with_groups():
    import re

    import pytest

    from comment_graph.text import token_columns

    with pytest.raises(ValueError):
        token_columns("a b", re.compile(r"(a)|b"))


NAME_WORDS = st.sampled_from(["The", "the", "by", "By", "Geoffrey", "Miller", "Miller’s", "Ann's", "post", "paper",
                              "et al", "and", "&", "Bank", "Acme", "Inc.", "Research", "explainer", "Towards",
                              "of", "CoinRun", "RabbitMQ", "Yann", "LeCun", "Eliezer", "OpenAI", "Anthropic",
                              "kestrel_grey", "marisol", "@", "-", "#", "’", "'", "x", "9", "_", ".", ",", "é", "Éa"])
NAME_TEXT = st.lists(st.tuples(NAME_WORDS, st.sampled_from([" ", "", "-", "\n", ". "])), min_size=1, max_size=30).map(
    lambda parts: "".join(w + sep for w, sep in parts))


def _scan_patterns():
    """Every scan written with text.not_after (directly or through a trie)."""
    from comment_graph import api
    from comment_graph.config import BuildConfig
    from comment_graph.extract import organizations, person_cues, proper_terms, works
    from comment_graph.extract.context import Context
    from comment_graph.extract.names import EPITHET_NAME_RE, FULL_NAME_RE

    lex = api._lexicons(BuildConfig())
    ctx = Context(lex, authors={"kestrel_grey", "marisol_fi", "Quintin Pope", "ann.b"})
    return [FULL_NAME_RE, EPITHET_NAME_RE, *(cue for cue, _, _ in person_cues.SURNAME_CUES), organizations.SUFFIX_RE,
            works.POSSESSIVE_WORK_RE, works.THE_X_WORK_RE, works.AUTHOR_WORK_RE, works.TITLE_RUN_RE,
            works.POSSESSIVE_TITLE_RE, proper_terms.PROPER_RE, lex.alias_pattern("person"),
            lex.alias_pattern("organization"), ctx.author_form_pattern]


def _look_behind_first(pattern):
    """The pattern as it reads without not_after: `X(?<!B(?s:.))` written back as `(?<!B)X`."""
    import re

    source = re.sub(r"(\[[^\]]*\]|\\.|[^\\()\[\]|?*+{}])\(\?<!(.*?)\(\?s:\.\)\)", r"(?<!\2)\1", pattern.pattern)
    assert "(?s:.)" not in source
    return re.compile(source, pattern.flags)


@settings(max_examples=300, deadline=None)
@given(st.one_of(NAME_TEXT, TEXT))
def test_scans_written_with_not_after_match_as_their_look_behind_forms(text):
    """Moving a pattern's look-behind behind its first character (so the engine skips in C) must
    not change a single match, at the start of a text or anywhere else."""
    for pattern in _scan_patterns():
        assert "(?s:.)" in pattern.pattern  # written with not_after
        plain = _look_behind_first(pattern)
        assert [(m.span(), m.groups()) for m in pattern.finditer(text)] == \
            [(m.span(), m.groups()) for m in plain.finditer(text)], pattern.pattern[:80]


def test_not_after_reads_the_character_before_the_class():
    import re

    from comment_graph.text import not_after

    led = re.compile(not_after(r"[\w@]", "[A-Z]") + "[a-z]+")
    assert [m.group() for m in led.finditer("Ann met @Bob and xCal, Dee-Eve")] == ["Ann", "Dee", "Eve"]


JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-2**63, 2**63 - 1), st.text(),
              st.floats(allow_nan=False, allow_infinity=False), st.floats(0, 1).map(lambda x: round(x, 3))),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.tuples(inner, inner),
                            st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=20)


@settings(max_examples=500, deadline=None)
@given(JSON_VALUES)
def test_graph_json_encoding_is_the_standard_librarys(value):
    """graph.json is encoded with orjson for speed; it must read back as what json.dumps writes,
    in the same bytes (compact, keys sorted, non-ASCII and control characters as json writes
    them) except for floats json spells with an exponent (orjson: 0.00006103515625, json:
    6.103515625e-05). A build's scores and weights have three places and never need one."""
    import json

    from comment_graph.export.state import _decoded, _dumps, _encoded

    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in repr(value)):
        return  # lone surrogates: neither writes them as UTF-8
    assert _decoded(_encoded(value)) == json.loads(_dumps(value)) == _decoded(_dumps(value).encode("utf-8"))
    if "e" not in "".join(repr(x) for x in _floats(value)):
        assert _encoded(value) == _dumps(value).encode("utf-8")


def _floats(value):
    if isinstance(value, float):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _floats(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _floats(v)


def test_graph_json_values_orjson_refuses_are_written_by_json():
    from comment_graph.export.state import _decoded, _encoded

    huge = {"extra": {"id": 2**70, "ok": [1.5, "é"]}}
    assert _encoded(huge) == b'{"extra":{"id":1180591620717411303424,"ok":[1.5,"\xc3\xa9"]}}'
    assert _decoded(_encoded(huge)) == huge


ALIAS_TEXT = st.lists(st.tuples(st.sampled_from(["colah", "Colah", "van Hasselt", "Hasselt", "Hado van Hasselt", "80k",
                                                 "80,000 Hours", "a16z", "the Fed", "OpenAI", "Anthropic", "Yann",
                                                 "LeCun", "Yann LeCun", "sama", "Sam", "xcolah", "s", "e", "_"]),
                                st.sampled_from([" ", "", "-", "\n", "’s ", ". "])), min_size=1, max_size=20).map(
    lambda parts: "".join(w + sep for w, sep in parts))


@settings(max_examples=300, deadline=None)
@given(st.one_of(ALIAS_TEXT, NAME_TEXT, TEXT))
def test_alias_scans_find_what_the_regex_of_all_aliases_finds(text):
    """Texts without the few aliases that open in lower case are scanned with the capitalised ones
    only; the matches must be those of the regex of all aliases, with or without those few."""
    from comment_graph import api
    from comment_graph.config import BuildConfig

    lex = api._lexicons(BuildConfig())
    for kind in ("person", "organization"):
        assert [(m.span(), m.group()) for m in lex.find_aliases(kind, text)] == \
            [(m.span(), m.group()) for m in lex.alias_pattern(kind).finditer(text)]


def _vocabulary():
    from comment_graph import api
    from comment_graph.config import BuildConfig

    return api._lexicons(BuildConfig())


KEYS = sorted(_vocabulary().key_words())
# runs of words made of whole keys, keys cut short and other words: where keys start, nest and end
KEY_RUNS = st.lists(st.one_of(st.sampled_from(KEYS), st.sampled_from(KEYS).map(lambda k: k[:-1]),
                              st.sampled_from([("the",), ("of",), ("x",)])), min_size=1, max_size=6).map(
    lambda keys: [w for key in keys for w in key]).filter(bool)


@settings(max_examples=300, deadline=None)
@given(KEY_RUNS, st.data())
def test_key_lengths_walk_the_trie_as_the_prefix_sets_say(words, data):
    """The vocabulary scan walks a trie of key words; the key lengths it finds at a position must be
    those the sets of key prefixes and keys give (growing while a prefix exists, at most six words)."""
    from comment_graph.extract.vocabulary import _key_lengths

    lex = _vocabulary()
    i = data.draw(st.integers(0, len(words) - 1))
    longest = 0
    for n in range(1, min(6, len(words) - i) + 1):
        if tuple(words[i:i + n]) not in lex.key_prefixes():
            break
        longest = n
    expected = [n for n in range(longest, 0, -1) if tuple(words[i:i + n]) in lex.key_words()]
    assert _key_lengths(lex.key_trie(), words, i) == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["a", "a-2", "a-3", "b", "b-2", "a-2-2"]), max_size=30))
def test_unique_ids_are_distinct_and_keep_every_first_use(ids):
    from comment_graph.text import unique_ids

    out = unique_ids(ids)
    assert len(out) == len(ids) and len(set(out)) == len(out)
    firsts = {i: n for n, i in reversed(list(enumerate(ids)))}
    assert all(out[n] == i for i, n in firsts.items())  # the first use of an id keeps it
    assert all(new == old or new.startswith(old + "-") for old, new in zip(ids, out))


@settings(max_examples=500, deadline=None)
@given(st.one_of(TEXT, st.text(alphabet="aZ_9-'’.&/+@# \n²½é\u0301", max_size=60)))
def test_fine_tokens_read_from_the_tokens_are_the_fine_patterns_matches(text):
    """The vocabulary reads the parts of hyphen compounds from the comment's tokens instead of a
    second scan: they must be exactly what FINE_TOKEN_RE finds."""
    from comment_graph.extract.vocabulary import FINE_TOKEN_RE, fine_columns
    from comment_graph.text import token_columns

    assert fine_columns(*token_columns(text)) == token_columns(text, FINE_TOKEN_RE)


GREETING_TEXT = st.lists(st.tuples(st.sampled_from(["Hi", "hi", "Hey", "Hello", "Thanks", "Thank you", "cc", "Dear", "Bob",
                                                    "bob", "Alice", "Al Bo", "x", "(", ".", "!", "?", ",", ":"]),
                                   st.sampled_from(["", " ", "  ", "\n", "\t", ", ", "\u00a0"])),
                         min_size=1, max_size=12).map(lambda parts: "".join(w + sep for w, sep in parts))


@settings(max_examples=500, deadline=None)
@given(st.one_of(GREETING_TEXT, TEXT))
def test_addresses_are_the_address_patterns_matches(text):
    """The address cue is searched from its openings (the text's start tried once): the names it
    finds must be those ADDRESS_RE finds at every position."""
    from comment_graph.extract.person_cues import ADDRESS_RE, _addresses

    assert [m.span(1) for m in _addresses(text)] == [m.span(1) for m in ADDRESS_RE.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(st.one_of(NAME_TEXT, TEXT))
def test_surname_cues_tried_at_apostrophes_find_what_a_scan_finds(text):
    """Rests of the surname cues that open on an apostrophe are tried only where one stands: a
    cue is skipped exactly when a search of the whole text would find no rest either."""
    from comment_graph.extract.person_cues import APOSTROPHE_RE, OPEN_ON_APOSTROPHE

    assert len(OPEN_ON_APOSTROPHE) == 3
    at = [m.start() for m in APOSTROPHE_RE.finditer(text)]
    for rest in OPEN_ON_APOSTROPHE:
        assert any(rest.match(text, i) for i in at) == (rest.search(text) is not None)
