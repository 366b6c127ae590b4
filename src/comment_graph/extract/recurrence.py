"""How often a phrase occurs in a text: the recurrence test behind term extraction (a phrase used
twice in one comment is a term there, C-value's intuition), counted without a regex scan per phrase."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from ..text import singular


def occurs_twice(text: str, words: list[str]) -> bool:
    """Whether a phrase occurs at least twice in a text, ignoring case, hyphens and a final plural."""
    lowered = [w.lower() for w in words]
    # most phrases occur once: a word that is not even twice a substring settles it without a scan
    # (each word's count taken once per text: the phrases of a comment share their words)
    counts = _substring_counts(text)
    for w in lowered[:-1] + [singular(lowered[-1])]:
        n = counts.get(w)
        if n is None:
            n = counts[w] = _lower(text).count(w)
        if n < 2:
            return False
    return _count(text, tuple(lowered)) >= 2


@lru_cache(maxsize=16)  # keyed by the comment's text: filled as its phrases are checked
def _substring_counts(text: str) -> dict[str, int]:
    return {}


@lru_cache(maxsize=1024)  # keyed by the comment's text: it only ever hits within one comment
def _count(text: str, words: tuple[str, ...]) -> int:
    if any(not PLAIN_WORD_RE.fullmatch(w) for w in words):
        return len(_phrase_re(words).findall(_lower(text)))  # a word with other punctuation: the slow way
    return _word_runs(text).count(words)


PLAIN_WORD_RE = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
RUN_RE = re.compile(r"([^\W_]+)")
SEPARATOR_RE = re.compile(r"[\s-]+")


class _WordRuns:
    """A text's runs of letters and digits, indexed so that a phrase is counted without a regex scan.

    Counts what `_phrase_re` finds: the words in order, separated by spaces or hyphens only, the
    first not preceded by a hyphen or underscore, the last allowed a plural "s"/"es"."""

    def __init__(self, text: str):
        pieces = RUN_RE.split(_lower(text))  # gap, word, gap, word, ..., gap
        self.words = pieces[1::2]
        self.gaps = pieces[0::2]  # gaps[i] precedes words[i]; gaps[i + 1] follows it

    def _positions(self, word: str) -> Iterator[int]:
        i = -1
        try:
            while True:
                i = self.words.index(word, i + 1)  # a scan in C, not a loop here
                yield i
        except ValueError:
            return

    def count(self, words: tuple[str, ...]) -> int:
        tail = singular(words[-1]).split("-")
        parts = [p for w in words[:-1] for p in w.split("-")] + tail[:-1]
        endings = (tail[-1], tail[-1] + "s", tail[-1] + "es")
        if parts:
            starts: Iterable[int] = self._positions(parts[0])
        else:
            starts = sorted(i for e in endings for i in self._positions(e))
        n, found, free_from = len(parts), 0, 0
        words_, gaps = self.words, self.gaps
        for i in starts:
            j = i + n
            if i < free_from or j >= len(words_) or gaps[i][-1:] in ("_", "-") or gaps[j + 1][:1] == "_":
                continue
            if words_[i:j] == parts and words_[j] in endings \
                    and all(g == " " or SEPARATOR_RE.fullmatch(g) for g in gaps[i + 1:j + 1]):
                found += 1
                free_from = j + 1  # matches do not overlap, as with findall
        return found


@lru_cache(maxsize=16)
def _word_runs(text: str) -> _WordRuns:
    return _WordRuns(text)


@lru_cache(maxsize=4096)
def _phrase_re(words: tuple[str, ...]) -> re.Pattern:
    pattern = r"[\s-]+".join(re.escape(w) for w in words[:-1])
    last = re.escape(singular(words[-1]))
    pattern = (pattern + r"[\s-]+" if pattern else "") + last + r"(?:s|es)?\b"
    return re.compile(r"(?<![\w-])" + pattern)


@lru_cache(maxsize=64)
def _lower(text: str) -> str:
    return text.lower().replace("’", "'")
