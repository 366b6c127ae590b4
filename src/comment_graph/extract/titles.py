"""Works named by typography and description rather than by a Title Case run alone.

Each scan serves one class of comment text:
  * a quoted title right after a possessive: Paul's 'Clarifying “AI alignment”' (nested quotes kept);
  * a quoted title a link is said to be for: the link he gives for "Relevant agents are optimized";
  * a title with a subtitle: Star Trek: The Next Generation (both sides Title Case, mid-line);
  * a publication by venue: "a paper in Nature", its creator when the sentence says who published it;
and the creator after a quoted title ("“On Priors” by Jane Doe").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..models import Comment, Mention
from ..text import concept_key, not_after
from .context import Context
from .names import covered

CAP = r"[A-Z][\w]*(?:[-‐][\w]+)*"
SMALL = r"(?:to|of|the|a|an|in|on|for|and|with|from|at)"
CLOSE = {"'": "'", "‘": "’", "“": "”", '"': '"'}
# (the opening capitals of these two written with not_after, not after a look-behind: the engine
# skips to capitals in C instead of trying every position of the text)
POSSESSIVE_QUOTED_RE = re.compile("(" + not_after(r"[\w’']", "[A-Z]") + r"[a-z]+(?:\s[A-Z][a-z]+)?)[’']s\s+(['‘“\"])")
LINK_FOR_QUOTED_RE = re.compile(r"\blink(?:s|ed)?\b(?:\s+[\w’']+){0,5}?\s+(?:for|to|titled|called)\s+([“\"])")
SUBTITLE_RE = re.compile("(" + not_after(r"[\w’'-]", "[A-Z]") + CAP[5:] + rf"(?:\s{CAP}){{0,4}}):"
                         rf"\s((?:The\s|A\s)?{CAP}(?:\s(?:{SMALL}\s)*{CAP}){{1,6}})(?![\w’'])")
# a venue, then what a date adds to it ("in Nature in January")
MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
VENUE_NOUNS = ("paper", "article", "study", "preprint", "letter", "report")
VENUE_RE = re.compile(rf"\b(?:a|an|the|their|his|her)\s+(?:{'|'.join(VENUE_NOUNS)})\s+"
                      r"(?:published\s+)?in\s+((?:the\s)?[A-Z][\w&-]*(?:\s[A-Z][\w&-]*){0,3})")
PUBLISHER_BEFORE_RE = re.compile(r"([A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\s+(?:and\s+(?:colleagues|coauthors|co-authors)|"
                                 r"et\s+al\.?)?\s*(?:published|released|posted|wrote|put out)\s+$")
BY_AFTER_RE = re.compile(r"\s+by\s+([A-Z][a-z]+(?:\s[A-Z][a-z]+){1,2})")


def _work(c: Comment, s: int, e: int, title: str, score: float, creator: str | None = None,
          how: str = "") -> Mention:
    attrs = {"title": title}
    if creator:
        attrs["creator"] = creator
    if how:
        attrs["named_by"] = how
    return Mention.found(comment_id=c.id, kind="work", surface=c.text[s:e], start=s, end=e, extractor="works",
                         score=score, key=concept_key(title), attrs=attrs)


def _quoted_from(text: str, open_at: int) -> tuple[int, int] | None:
    """The span inside the quotation that opens at `open_at`, closed by its own mark followed by no
    letter (an apostrophe inside "don't" does not close 'a title'); None when unclosed on its line."""
    close = CLOSE[text[open_at]]
    i = open_at + 1
    while True:
        j = text.find(close, i)
        if j < 0 or "\n" in text[open_at:j] or j - open_at > 160:
            return None
        if not text[j + 1:j + 2].isalpha():
            return (open_at + 1, j) if j - open_at > 4 else None
        i = j + 1


def _creator_after(text: str, end: int) -> str | None:
    m = BY_AFTER_RE.match(text, end + 1)
    return m.group(1) if m else None


def _possessive_quoted(c: Comment, spans: list) -> Iterator[Mention]:
    for m in POSSESSIVE_QUOTED_RE.finditer(c.text):
        inner = _quoted_from(c.text, m.start(2))
        if inner and not covered(spans, *inner) and c.text[inner[0]].isupper():
            spans.append(inner)
            yield _work(c, *inner, c.text[inner[0]:inner[1]], 0.8, creator=m.group(1))


def _link_for_quoted(c: Comment, spans: list) -> Iterator[Mention]:
    for m in LINK_FOR_QUOTED_RE.finditer(c.text) if "link" in c.text else ():
        inner = _quoted_from(c.text, m.start(1))
        if inner and not covered(spans, *inner) and c.text[inner[0]].isupper():
            spans.append(inner)
            yield _work(c, *inner, c.text[inner[0]:inner[1]], 0.75, creator=_creator_after(c.text, inner[1]))


def _subtitled(c: Comment, ctx: Context, spans: list) -> Iterator[Mention]:
    """'Title: Subtitle', both Title Case, not at a line's start (where "Name: description" lists are)."""
    for m in SUBTITLE_RE.finditer(c.text) if ": " in c.text else ():
        s, e = m.span()
        line_start = c.text.rfind("\n", 0, s) + 1
        if not c.text[line_start:s].strip(" >-*•") or covered(spans, s, e):
            continue
        head = m.group(1).split()
        if head[0] in ctx.lexicons.first_names and len(head) == 2:
            continue  # "… Ada Lovelace: The Poet": a person introduced, not a title
        if len(m.group(2).split()[-1]) == 1 and c.text[e:e + 1] == ".":
            continue  # "a report from Science News: The Vera C. Rubin Observatory released…": cut at an initial, a
            # name goes on, so the colon opens a sentence (what a story quotes), not a subtitle
        spans.append((s, e))
        yield _work(c, s, e, m.group(), 0.7)


def _venues(c: Comment, spans: list) -> Iterator[Mention]:
    """'a paper in Nature': a work known by where it appeared; its creator when the sentence says who
    published it ("Okafor and colleagues published a paper in Nature")."""
    t = c.text  # every match holds " in " and one of the VENUE_NOUNS: a text lacking them is not scanned
    for m in VENUE_RE.finditer(t) if " in " in t and any(noun in t for noun in VENUE_NOUNS) else ():
        venue = m.group(1)
        if venue.split()[-1] in MONTHS or venue in MONTHS:
            continue
        s, e = m.span()
        if covered(spans, s, e):
            continue
        before = PUBLISHER_BEFORE_RE.search(c.text, max(0, s - 80), s)
        spans.append((s, e))
        yield _work(c, s, e, m.group(), 0.7, creator=before.group(1) if before else None, how="description")


def find_titled(c: Comment, ctx: Context, spans: list) -> Iterator[Mention]:
    """Works this module's scans find, claiming their spans in `spans` (shared with works.py)."""
    yield from _possessive_quoted(c, spans)
    yield from _link_for_quoted(c, spans)
    yield from _subtitled(c, ctx, spans)
    yield from _venues(c, spans)


def is_date(words: list[str]) -> bool:
    """'Nature in January', 'Paris on Monday', 'BeauHD on Monday June': capitalised words joined by a
    date (a weekday, a month or both), not a title."""
    i = len(words)
    while i > 0 and words[i - 1] in MONTHS:
        i -= 1
    return i < len(words) and i >= 2 and words[i - 1] in {"in", "on", "of", "since", "until"}
