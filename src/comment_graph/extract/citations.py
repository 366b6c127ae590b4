"""Author citations: a paper referred to by the names of its authors rather than by its title.

Each form serves one class of comment text:
  * "Bills et al.", "the Okafor et al. comparison", "Ngata et al. (2021)": a lead author then "et al.";
  * "Card and Krueger found", "Moreau and Lindqvist (2019)": two or more surnames coordinated, then a
    year in brackets or a verb of finding;
  * "in Cengiz, Dube, Lindner and Zipperer": three or more surnames listed, rare words all.
Both the works extractor (the citation is a work, its creator the lead author) and the people
extractor (each surname is a person) read what `citations` returns.
"""

from __future__ import annotations

import re

from ..lexicon import zipf
from ..text import not_after
from .context import Context
from .names import NOT_SURNAME

SURNAME = r"[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:-[A-Z][a-z]+)?"
ET_AL_RE = re.compile(rf"(?<![\w’'-])(?:(?:[Tt]he)\s+)?({SURNAME})\s+et\s+al\b\.?(?:\s+\(\d{{4}}[a-z]?\))?")
# a noun right after "the X et al." heads the phrase: "the Okafor et al. comparison"
HEAD_NOUN_RE = re.compile(r"\s+([a-z][a-z-]+)\b")
LIST_RE = re.compile("(" + not_after(r"[\w’'-]", "[A-Z]") + rf"{SURNAME[5:]}(?:,\s+{SURNAME})*,?\s+(?:and|&)\s+{SURNAME})"
                     r"(?![\w’'-])"
                     r"(\s*\(\d{4}[a-z]?\))?")
FINDING_AFTER_RE = re.compile(r"\s+(?:found|find|finds|showed|shown|show|shows|argued|argue|argues|estimated|"
                              r"estimate|estimates|reported|report|documented|document|demonstrated|concluded)\b")
NAME_IN_LIST_RE = re.compile(SURNAME)


def _surname_like(word: str, ctx: Context) -> bool:
    lex = ctx.lexicons
    return (word not in NOT_SURNAME and word not in lex.organizations and word not in lex.acronyms
            and word.lower() not in lex.concepts)


_LAST: list = [None, None, []]  # the text, the lexicons (all of the context read here) and the citations of the last call


def citations(text: str, ctx: Context) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """(start, end, [(start, end) of each author surname]) for each author citation in `text`.

    The works and the people extractors both ask, one after the other, about the same comment:
    the second asks with the same text and lexicons and gets the list the first got (a new list
    of the same tuples: the lists of names inside are read, never changed). The lexicons are all
    of the context the answer depends on, and keeping them, not the context, keeps no corpus alive."""
    if _LAST[1] is ctx.lexicons and _LAST[0] == text:
        return list(_LAST[2])
    out = _citations(text, ctx)
    _LAST[:] = [text, ctx.lexicons, out]
    return list(out)


def _citations(text: str, ctx: Context) -> list[tuple[int, int, list[tuple[int, int]]]]:
    out: list[tuple[int, int, list[tuple[int, int]]]] = []
    if "et al" in text:
        for m in ET_AL_RE.finditer(text):
            if not _surname_like(m.group(1), ctx):
                continue
            s, e = m.start(), m.end()
            if text[s:s + 4].lower() == "the ":
                s = m.start(1)
                head = HEAD_NOUN_RE.match(text, e)
                if head and text[e - 1] != ")":
                    e = head.end()
            out.append((s, e, [m.span(1)]))
    if " and " not in text and "&" not in text:
        return out
    for m in LIST_RE.finditer(text):
        names = [(n.start() + m.start(1), n.end() + m.start(1)) for n in NAME_IN_LIST_RE.finditer(m.group(1))]
        words = [text[s:e] for s, e in names]
        if not all(_surname_like(w, ctx) for w in words) or any(w in ctx.lexicons.first_names for w in words):
            continue  # "Alice and Bob found": people by first name, no citation
        if not any(zipf(w.lower()) < 3.5 for w in words):
            continue  # "Salt and Pepper": common words
        cued = m.group(2) or FINDING_AFTER_RE.match(text, m.end(1))
        if not cued and not (len(words) >= 3 and all(zipf(w.lower()) < 3.5 for w in words)):
            continue
        if any(s < e2 and s2 < m.end(1) for s2, e2, _ in out for s in (m.start(1),)):
            continue
        out.append((m.start(1), m.end(2) if m.group(2) else m.end(1), names))
    return out
