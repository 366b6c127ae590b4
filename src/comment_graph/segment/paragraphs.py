"""Paragraphs with offsets: a flat text cut at blank lines (or at every line), `>` quote runs
apart, bullets joined to the paragraph they continue."""

from __future__ import annotations

import re
from dataclasses import dataclass, field


BULLET_RE = re.compile(r"^\s*([•◦▪\-*–]|\d+[.)])\s+")


@dataclass
class Paragraph:
    start: int
    end: int
    text: str
    role: str = "body"  # body | furniture | title | author | bio
    quote: float = 0.0
    quote_reasons: list[str] = field(default_factory=list)
    quote_source: Paragraph | None = None  # the paragraph it repeats word for word, if any
    trailing_space: bool = False
    byline: str | None = None
    byline_below: bool = False  # the byline is a card under its post (Stack Exchange), not over the next one
    display_name: str | None = None  # the name a card prints over its byline's handle ("Tomás Reyes" over "@treyes@…")
    title: str | None = None
    opens_comment: bool = False
    why: str = ""  # why a furniture paragraph is furniture


def paragraph_unit(text: str) -> str:
    """'line' when the page separates its paragraphs by single newlines (GreaterWrong, Mastodon and
    old-thread dumps), 'blank-line' when blank lines separate them."""
    blank_gaps = len(re.findall(r"\n[ \t\u00a0]*\n", text))
    lines = sum(1 for ln in text.split("\n") if ln.strip())
    return "line" if blank_gaps < max(2, lines // 6) else "blank-line"


def split_paragraphs(text: str, mode: str = "auto") -> list[Paragraph]:
    """Paragraphs with offsets: blank-line separated, or one per line when the page uses single newlines."""
    by_line = (paragraph_unit(text) if mode == "auto" else mode) == "line"
    pattern = r"\n" if by_line else r"\n[ \t\u00a0]*\n"
    paras: list[Paragraph] = []
    pos = 0
    for m in list(re.finditer(pattern, text)) + [None]:
        end = m.start() if m else len(text)
        paras += _block(text, pos, end)
        pos = m.end() if m else len(text)
    if by_line:
        paras = _join_bullets(text, paras)
    return paras


def _block(text: str, start: int, end: int) -> list[Paragraph]:
    """One block, split further where `>` quote lines and plain lines alternate."""
    out: list[Paragraph] = []
    run_start, run_quoted = None, None
    pos = start
    for line in text[start:end].split("\n"):
        lstart, lend = pos, pos + len(line)
        pos = lend + 1
        if not line.strip():
            continue
        quoted = line.lstrip().startswith(">")
        if run_start is not None and quoted != run_quoted:
            out.append(_para(text, run_start, prev_end))  # noqa: F821  (set on the line before, in an earlier turn)
            run_start = None
        if run_start is None:
            run_start, run_quoted = lstart, quoted
        prev_end = lend
    if run_start is not None:
        out.append(_para(text, run_start, prev_end))
    return out


def _para(text: str, start: int, end: int) -> Paragraph:
    raw_end = end
    while start < end and text[start] in " \t\u00a0":
        start += 1
    while end > start and text[end - 1] in " \t\u00a0":
        end -= 1
    return Paragraph(start, end, text[start:end], trailing_space=end < raw_end)


def _join_bullets(text: str, paras: list[Paragraph]) -> list[Paragraph]:
    out: list[Paragraph] = []
    for p in paras:
        if out and BULLET_RE.match(p.text) and out[-1].role == "body":
            out[-1] = Paragraph(out[-1].start, p.end, text[out[-1].start:p.end])
        else:
            out.append(p)
    return out
