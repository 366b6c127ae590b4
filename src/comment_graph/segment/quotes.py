"""Tell a paragraph quoted from someone else from the author's own words.

Evidence that holds across sites: a `>` prefix; a lower-case fragment with no
sentence end (a pasted excerpt); straight quotation marks on a page whose
author types curly ones; an ellipsis marking an elided excerpt; the page
author named in the third person; and what follows reacting to it (a
parenthetical addressed to "you", a reply opener, or a word of it put in
quotation marks).
"""

from __future__ import annotations

import re
from typing import Protocol


class _Para(Protocol):
    text: str


REACTION_RE = re.compile(r"^\((?=[^)]*\byou)", re.IGNORECASE)
REPLY_RE = re.compile(
    r"^(i (just )?want to (flag|note|push back)|i agree|i disagree|i find|i think|i[’']m not sure|"
    r"seems|this seems|yes|no,|agreed|i don[’']t think|hmm|strong(ly)? (dis)?agree|i was)",
    re.IGNORECASE,
)
QUOTED_WORD_RE = re.compile(r"[“\"]([^”\"]{2,40})[”\"]")
WHOLLY_QUOTED_RE = re.compile(r"^[“\"][^“”\"]{8,}[”\"]$", re.DOTALL)
# The next paragraph judges this one: "I think this is about half right", "Honestly, I don't think…"
EVALUATION_RE = re.compile(
    r"^(i think (this|that)|this is|that[’']?s|that is|honestly|agreed|fair|true|not sure|i disagree|i agree|"
    r"partly|sort of|kind of|depends|yes|no\b|strong(ly)? (dis)?agree|i[’']m not sure (this|that))",
    re.IGNORECASE)


def _typography(text: str) -> tuple[int, int]:
    straight = text.count('"')
    curly = sum(text.count(c) for c in "“”’‘")
    return straight, curly


def quote_features(run: list[_Para], i: int, page_author: str | None) -> tuple[float, list[str]]:
    """A score in [0, 1+] that paragraph `run[i]` quotes someone else, and the reasons."""
    p = run[i].text.strip()
    nxt = run[i + 1].text.strip() if i + 1 < len(run) else ""
    score, why = 0.0, []

    def add(w: float, reason: str) -> None:
        nonlocal score
        score += w
        why.append(reason)

    if p.startswith(">"):
        add(1.0, "starts with >")
    if WHOLLY_QUOTED_RE.match(p):
        add(0.8, "the whole paragraph is in quotation marks")
    if i == 0 and nxt and EVALUATION_RE.match(nxt) and getattr(run[i], "opens_comment", False):
        add(0.5, "opens a reply and the next paragraph judges it")
    if p[:1].islower() and not p.endswith(tuple(".!?)")):
        add(0.7, "lower-case fragment without a sentence end")
    straight, curly = _typography(p)
    if straight and not curly and _page_is_curly(run):
        add(0.5, "straight quotation marks on a curly-quote page")
    if "…" in p[1:-1] or "[...]" in p or "[…]" in p:
        add(0.3, "ellipsis marks an excerpt")
    if page_author and page_author.split()[-1] in p:
        add(0.6, "names the page author in the third person")
    if REACTION_RE.match(nxt):
        add(0.4, "next paragraph reacts to it")
    elif REPLY_RE.match(nxt):
        add(0.2, "next paragraph opens a reply")
    if any(w.lower() in p.lower() for w in QUOTED_WORD_RE.findall(nxt[:200])):
        add(0.25, "next paragraph quotes its words")
    if getattr(run[i], "trailing_space", False):
        add(0.3, "trailing space left by a block quote")
    return round(score, 3), why


_LAST_RUN: list = [None, False, 0]  # quote_features is asked about every paragraph of one run in turn


def _page_is_curly(run: list[_Para]) -> bool:
    """Whether the run's typography is curly; counted once per run, not once per paragraph
    (that made segmentation quadratic in the length of a page)."""
    if _LAST_RUN[0] is not run or _LAST_RUN[2] != len(run):
        straight = curly = 0
        for para in run:
            s, c = _typography(para.text)
            straight, curly = straight + s, curly + c
        _LAST_RUN[:] = [run, curly > 2 * straight, len(run)]
    return _LAST_RUN[1]
