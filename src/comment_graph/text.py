"""Small text utilities shared by the stages: tokens with offsets, content words, normalisation."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from importlib import resources
from itertools import accumulate

# A token: a word with inner hyphens/apostrophes/dots (e.g. "model-based", "Yann’s", "e.g."),
# a number, or a single other non-space character.
# (Runs of word characters are matched by `\w*`, not character by character: the same tokens, a
# third faster.)
WORD_TOKEN = r"[@#]?[^\W_]\w*(?:[-'’.&/+](?=[^\W_])\w*)*"
TOKEN_RE = re.compile(WORD_TOKEN + r"|\S", re.UNICODE)
# The word tokens of TOKEN_RE alone: where a word cannot start, `\S` takes one character and the
# scan goes on at the next, just as a search does; so these are the same words, without the
# punctuation tokens that content words would drop anyway.
WORD_TOKEN_RE = re.compile(WORD_TOKEN, re.UNICODE)
APOSTROPHES = "'’"


def not_after(before: str, first: str) -> str:
    """Regex source: the character class `first` where the character before it is not of the class
    `before` (or there is none): what `(?<!before)first` says, written `first(?<!before.)`.

    A pattern that opens with a character class (or a branch of literals) lets the engine skip in
    C to the places where that class matches; one that opens with a look-behind is tried at every
    position of the text. Name scans written this way run two to three times faster."""
    return f"{first}(?<!{before}(?s:.))"


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Split text into (token, start, end) with offsets into `text`."""
    return list(zip(*token_columns(text)))


def token_columns(text: str, pattern: re.Pattern = TOKEN_RE) -> tuple[list[str], list[int], list[int]]:
    """The matches of `pattern` (one without groups) in `text`: their strings, starts and ends.

    One split of the text and a running sum of the pieces' lengths, both in C: reading each
    match's group and offsets from Python cost more than the matching itself."""
    pieces = _splitter(pattern).split(text)  # gap, token, gap, token, ..., gap
    bounds = list(accumulate(map(len, pieces)))  # each piece's end: a token's start, its end, the next start...
    return pieces[1::2], bounds[0:-1:2], bounds[1::2]


@lru_cache(maxsize=8)
def _splitter(pattern: re.Pattern) -> re.Pattern:
    if pattern.groups:
        raise ValueError(f"a token pattern has no groups: {pattern.pattern!r}")
    return re.compile(f"({pattern.pattern})", pattern.flags)


@lru_cache(maxsize=1 << 18)
def fold(s: str) -> str:
    """Compare-friendly form: NFKC, curly apostrophes straight, lower case, single spaces."""
    s = unicodedata.normalize("NFKC", s).replace("’", "'").lower()
    return " ".join(s.split())


@lru_cache(maxsize=1 << 16)
def singular(word: str) -> str:
    """A cautious singular for a lower-case English word ("circuits" -> "circuit")."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    if word.endswith("iases"):
        return word[:-2]  # "biases", "aliases"
    if word.endswith(("ss", "us", "is", "ous", "ics", "ias")):
        return word  # "bias", "alias" are singular: so "inductive bias" and "inductive biases" share a key
    if word.endswith("s"):
        return word[:-1]
    return word


SEPARATORS_RE = re.compile(r"[-_/‐–]+")
PUNCTUATION_RE = re.compile(r"[^\w\s']")


@lru_cache(maxsize=1 << 18)
def concept_key(phrase: str) -> str:
    """The merge key of a term: case, hyphens/spaces and a final plural folded away."""
    s = fold(phrase)
    s = SEPARATORS_RE.sub(" ", s)
    s = PUNCTUATION_RE.sub("", s)
    words = s.split()
    if not words:
        return ""
    words[-1] = singular(words[-1])
    return " ".join(words)


def slug(s: str, limit: int = 60) -> str:
    """A readable, IRI-safe slug; non-ASCII text falls back to a short hash."""
    ascii_ = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    out = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")[:limit].strip("-")
    return out or "x" + digest(s, 8)


def digest(s: str, n: int = 12) -> str:
    return hashlib.sha256(s.encode("utf-8")).hexdigest()[:n]


@lru_cache(maxsize=None)
def data_lines(name: str) -> frozenset[str]:
    """A shipped word list (one entry a line, '#' comments) as a set."""
    text = resources.files("comment_graph.data").joinpath(name).read_text(encoding="utf-8")
    return frozenset(ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#"))


def stopwords() -> frozenset[str]:
    return data_lines("stopwords.txt")


def content_words(text: str) -> list[str]:
    """Lower-case, singular content words (for cohesion and similarity)."""
    return list(_content_words(text))


@lru_cache(maxsize=4096)
def _content_words(text: str) -> tuple[str, ...]:
    """Cached: the segmenter asks about each paragraph on both sides of a gap."""
    return tuple(w for w in map(_content_word, WORD_TOKEN_RE.findall(text)) if w)


@lru_cache(maxsize=1 << 17)
def _content_word(token: str) -> str:
    """A token's content-word form, or "" for a stop word, a number or a short word."""
    w = fold(token).strip("'")
    return singular(w) if len(w) > 2 and w[0].isalpha() and w not in stopwords() else ""


def unique_ids(ids: list[str]) -> list[str]:
    """The same ids, a repeat suffixed '-2', '-3', … with a suffix no other id has or will have."""
    taken = set(ids)
    used: set[str] = set()
    next_suffix: dict[str, int] = {}  # where the search for an id's next free suffix resumes: a page of
    out = []                          # 200,000 equal one-word comments must not search from 2 each time
    for i in ids:
        new = i
        if new in used:
            n = next_suffix.get(i, 2)
            while f"{i}-{n}" in used or f"{i}-{n}" in taken:
                n += 1
            new, next_suffix[i] = f"{i}-{n}", n + 1
        used.add(new)
        out.append(new)
    return out
