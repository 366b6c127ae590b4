"""Split a flat page dump into comments, drop page furniture, and find quoted passages.

A scraped page keeps no markup: comments follow each other separated only by
blank lines (or single newlines). Boundaries are scored from evidence that does
not depend on any one page: discourse openers and continuation markers, a
preceding colon or quote, sign-offs, lexical cohesion between neighbouring
paragraphs (TextTiling-style) and quote-then-reply patterns. Every gap's score
and features are kept as `Boundary` records so a user can see why.

The package's parts: `paragraphs.py` (paragraphs with offsets), `furniture.py` (page furniture,
bylines and titles, line by line and among paragraphs), `quotes.py` (quoted passages),
`boundaries.py` (the gap scores); this module chains them into `segment_text`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from ..models import Boundary, Comment, Quote
from ..text import digest, unique_ids
from .boundaries import SIGNATURE_RE, _group
from .engines import Layout, layout_for, mark_tag_lines
from .furniture import POST_TITLE_OVER_META, classify_furniture, is_delimited
from .paragraphs import Paragraph, paragraph_unit, split_paragraphs
from .profile import mark_header, profile_owner
from .quotes import find_repeats, quote_features

__all__ = ["Paragraph", "Segmentation", "segment_text", "split_paragraphs"]


@dataclass
class Segmentation:
    """What the segmenter made of one flat text."""

    comments: list[Comment]
    boundaries: list[Boundary]
    page_author: str | None = None
    page_titles: list[str] = field(default_factory=list)
    furniture: list[str] = field(default_factory=list)
    engine: str = "generic"
    unit: str = "blank-line"


def segment_text(text: str, source: str = "", *, strategy: str = "auto",
                 page_author: str | None = None,
                 progress: Callable[[str, int, int], None] | None = None) -> Segmentation:
    """Find the comments of a flat text. `strategy='paragraph'` makes each paragraph a comment.
    `progress("segment", done, total)` is told how many characters of the text are done."""
    if progress:
        progress("segment", 0, len(text))
    layout, votes = layout_for(text)
    unit = paragraph_unit(text)
    paras = _unglue_bylines(text, split_paragraphs(text, unit), layout)
    classify_furniture(paras, layout)
    mark_tag_lines(paras, layout)
    found_author = profile_owner(paras)
    mark_header(paras, layout)
    author = page_author or found_author
    body_runs = _runs(paras)
    delimited = is_delimited(paras)
    for run in body_runs:
        run[0].opens_comment = delimited and len(run) > 1  # furniture above it starts a comment here
        for i, p in enumerate(run):
            p.quote, p.quote_reasons = quote_features(run, i, author)
    _mark_repeats([p for run in body_runs for p in run])
    boundaries = [_page_record(paras, layout, votes, unit)] if paras else []
    groups: list[tuple[list[Paragraph], dict]] = []
    # where bylines or title lines separate the comments, only strong evidence splits a run further
    threshold = 1.0 if delimited and strategy == "auto" else 0.0
    position = {id(p): i for i, p in enumerate(paras)}
    # pages scraped one line per paragraph (GreaterWrong, fediverse, AF dumps) lose what marked their
    # comments apart, and merged comments are how they fail: there a gap with no evidence either way
    # (a tie) opens a comment; on blank-line pages a tie keeps the paragraph with the one before
    prior = {"line unit: a tie opens a comment": 0.0} if unit == "line" else None
    for meta, run in _runs_in_context(paras):
        groups += [(g, meta) for g in _group(run, author, strategy, boundaries, position, threshold, prior)]
        if progress:
            progress("segment", run[-1].end, len(text))
    groups = _without_signatures(groups)
    comments = [_comment(text, g, i, source, meta) for i, (g, meta) in enumerate(groups)]
    _dedupe_ids(comments)
    _link_quote_sources(groups, comments)
    boundaries += [_furniture_record(i, p) for i, p in enumerate(paras) if p.role != "body"]
    boundaries.sort(key=lambda b: b.paragraph)
    furniture = [p.text for p in paras if p.role != "body"]
    titles = [p.title for p in paras if p.title and p.title != author]  # the owner's name heads, titles nothing
    if progress:
        progress("segment", len(text), len(text))
    return Segmentation(comments, boundaries, author, titles, furniture, layout.name, unit)


SIGNATURE = "signature: the closing lines its author's posts repeat word for word"


def _without_signatures(groups: list[tuple[list[Paragraph], dict]]) -> list[tuple[list[Paragraph], dict]]:
    """Forum signatures (phpBB, vBulletin, mailing-list archives): a last paragraph that ends two or
    more of one author's comments word for word is their signature, not part of what they wrote."""
    closing = Counter((meta.get("author"), ' '.join(g[-1].text.split())) for g, meta in groups if len(g) > 1 and meta.get("author"))
    out = []
    for g, meta in groups:
        if len(g) > 1 and closing[meta.get("author"), ' '.join(g[-1].text.split())] >= 2:
            g[-1].role, g[-1].why, g[-1].quote = "furniture", SIGNATURE, 0.0
            g = g[:-1]
        out.append((g, meta))
    return out


def _page_record(paras: list[Paragraph], layout: Layout, votes: int, unit: str) -> Boundary:
    """The verdict before the first paragraph, which also says how the page was read: its engine
    (and how many lines named it) and its paragraph unit."""
    return Boundary(paragraph=0, score=1.0, is_boundary=True, preview=paras[0].text[:60],
                    features={f"page: engine {layout.name} ({votes} lines)": 1.0, f"page: paragraph unit {unit}": 1.0})


def _furniture_record(i: int, p: Paragraph) -> Boundary:
    """A furniture paragraph ends whatever comment came before it; the record says why it is furniture."""
    return Boundary(paragraph=i, score=1.0, is_boundary=True, preview=p.text[:60],
                    features={f"furniture ({p.role}): {p.why or p.role}": 1.0})


def _unglue_bylines(text: str, paras: list[Paragraph], layout: Layout) -> list[Paragraph]:
    """Split a byline its engine glued to the comment's first sentence ('jdoe 2 hours ago | parentI think…')."""
    out: list[Paragraph] = []
    for p in paras:
        found = layout.glued_byline(p.text)
        if found is None or not p.text[found[0]:].strip():
            out.append(p)
            continue
        cut = p.start + found[0]
        rest = cut + len(text[cut:p.end]) - len(text[cut:p.end].lstrip())
        out += [Paragraph(p.start, cut, text[p.start:cut]), Paragraph(rest, p.end, text[rest:p.end])]
    return out


def _mark_repeats(body: list[Paragraph]) -> None:
    """A paragraph repeating an earlier passage word for word quotes it, marked or not."""
    for i, j in find_repeats([p.text for p in body]).items():
        body[i].quote += 1.0
        body[i].quote_reasons.append("repeats word for word a passage earlier on the page")
        body[i].quote_source = body[j]


def _link_quote_sources(groups: list[tuple[list[Paragraph], dict]], comments: list[Comment]) -> None:
    """Each quote that repeats another comment's words names that comment."""
    owner = {id(p): c.id for (group, _), c in zip(groups, comments) for p in group}
    for (group, _), c in zip(groups, comments):
        sources = [owner.get(id(p.quote_source)) for p in group if p.quote >= 0.5]
        for q, src in zip(c.quotes, sources):
            if src and src != c.id:
                q.source_id = src


def _runs(paras: list[Paragraph]) -> list[list[Paragraph]]:
    return [run for _, run in _runs_in_context(paras)]


def _runs_in_context(paras: list[Paragraph]) -> list[tuple[dict, list[Paragraph]]]:
    """Maximal runs of body paragraphs, each with the post title and byline just above it (if any)."""
    runs: list[tuple[dict, list[Paragraph]]] = []
    meta: dict = {}
    current: list[Paragraph] = []
    for p in paras:
        if p.role == "body":
            current.append(p)
            continue
        if current:
            runs.append((meta, current))
            current, meta = [], {}
        if p.byline_below:  # the card under a post names the post's author, not the next one's
            if runs and not runs[-1][0].get("author"):
                runs[-1] = ({**runs[-1][0], "author": p.byline}, runs[-1][1])
            continue
        if p.title:
            meta = {**meta, "title": p.title, "over_meta": p.why == POST_TITLE_OVER_META}
        if p.byline:
            meta = {**meta, "author": p.byline}
            if p.display_name:
                meta["author_name"] = p.display_name
    if current:
        runs.append((meta, current))
    if runs and paras[0].role == "author" and not runs[0][0].get("over_meta"):
        # a title in a profile header (a nav word, a sequence name) is not the first comment's post;
        # one right over the comment's karma line is
        runs[0] = ({k: v for k, v in runs[0][0].items() if k != "title"}, runs[0][1])
    return runs


def _comment(text: str, group: list[Paragraph], index: int, source: str, meta: dict) -> Comment:
    start, end = group[0].start, group[-1].end
    body = text[start:end]
    quotes = [Quote(start=p.start - start, end=p.end - start, text=p.text, score=min(1.0, p.quote),
                    reasons=p.quote_reasons) for p in group if p.quote >= 0.5]
    return Comment(id="c-" + digest(body, 10), text=body, index=index, source=source,
                   post_title=meta.get("title"), author=meta.get("author") or _signed_by(body), quotes=quotes,
                   extra={"author_name": meta["author_name"]} if meta.get("author_name") else {})


def _signed_by(body: str) -> str | None:
    """Who signs a comment at its end, where no byline above it names its author: Stack Exchange
    comments ("… – jdoe Jan 4, 2021 at 3:02"), wiki talk pages, guestbook entries."""
    m = SIGNATURE_RE.search(body, max(0, len(body) - 120))
    return m.group("name").strip() if m else None


def _dedupe_ids(comments: list[Comment]) -> None:
    """The same text twice keeps one id each: the second gets '-2', and so on."""
    for c, new in zip(comments, unique_ids([c.id for c in comments])):
        c.id = new
