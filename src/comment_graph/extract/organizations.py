"""Organizations: the lexicon, names ending in an organization word ("Customers Bank"), and the
other items of a list that already names one ("Customers Bank (5.2%), BankProv (5.1%)")."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..models import Comment, Mention
from ..text import not_after
from . import Extractor, register
from .context import Context
from .names import NOT_SURNAME, covered

NAME = "organizations"
# One to three capitalised words, the first not after a word character or hyphen (not_after: the
# engine scans fastest), then an organization word.
SUFFIX_RE = re.compile(
    "(" + not_after(r"[\w-]", "[A-Z]") + r"[\w&’'.-]*\s+(?:[A-Z][\w&’'.-]*\s+){0,2}(?:Bank|Labs?|Institute|University|Foundation|Inc\.?|"
    r"Corp\.?|Corporation|Company|Fund|Capital|Partners|Association|Society|Council|Agency|"
    r"Commission|College|Trust|Research|Bio|Technologies|Ltd\.?|LLC|"
    # bodies of people and the buildings they work in: "Lowell Observatory", "the Humane League"
    r"Observatory|Museum|Library|Laborator(?:y|ies)|Hospital|Academy|Institution|League|Alliance|Federation))(?![\w])")
LIST_ITEM_RE = re.compile(r"(?:^|[,:;]\s*|\band\s+|\bor\s+)((?:[A-Z][\w&.-]*)(?:\s+[A-Z][\w&.-]*){0,2})"
                          r"(?=\s*(?:\(|,|$|\.|\band\b|\bor\b))")
SENTENCE_RE = re.compile(r".+?(?:[.!?](?=\s|$)|$)", re.DOTALL)


def _mention(c: Comment, s: int, e: int, score: float, key: str | None = None) -> Mention:
    surface = c.text[s:e]
    return Mention.found(comment_id=c.id, kind="organization", surface=surface, start=s, end=e,
                   extractor=NAME, score=score, key=key or surface)


def _list_mates(c: Comment, found: list[Mention], spans: list) -> Iterator[Mention]:
    """In a comma list that contains a known organization, the other capitalised items are organizations too."""
    for sentence in SENTENCE_RE.finditer(c.text) if found else ():
        s0 = sentence.start()
        if not any(s0 <= m.start < sentence.end() for m in found):
            continue
        items = list(LIST_ITEM_RE.finditer(sentence.group()))
        if len(items) < 3:
            continue
        for it in items:
            s, e = s0 + it.start(1), s0 + it.end(1)
            if not covered(spans, s, e):
                spans.append((s, e))
                yield _mention(c, s, e, 0.6)


def find_organizations(c: Comment, ctx: Context) -> Iterator[Mention]:
    spans: list[tuple[int, int]] = []
    found: list[Mention] = []
    for m in ctx.lexicons.find_aliases("organization", c.text):
        spans.append((m.start(), m.end()))
        found.append(_mention(c, m.start(), m.end(), 0.95))
    for m in SUFFIX_RE.finditer(c.text):
        s, e = m.start(1), m.end(1)
        # "Why Most Published Research Findings…": a name opening on a function or question word is a title's start
        if not covered(spans, s, e) and c.text[s:e].split()[0] not in NOT_SURNAME:
            spans.append((s, e))
            found.append(_mention(c, s, e, 0.8))
    yield from found
    yield from _list_mates(c, found, spans)


register(Extractor(NAME, ("organization",), find_organizations))
