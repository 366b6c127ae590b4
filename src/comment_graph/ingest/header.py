"""Bylines heading a comment in Markdown or HTML exports: '**Ada Lovelace** · 2024-03-01 · 12 karma',
'by Ada Lovelace', 'ada_l 3 hours ago'."""

from __future__ import annotations

import re

from ..segment.furniture import HANDLE_RE, byline, is_meta_line, looks_like_name


def _name_like(s: str) -> bool:
    return looks_like_name(s) or bool(HANDLE_RE.match(s))

ISO_DATE_RE = re.compile(r"\b(\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)\b")
BY_RE = re.compile(r"^(?:(?:comment|reply|posted|written)\s+)?by\s+@?([\w.' -]{2,40}?)\s*$", re.IGNORECASE)


def parse_byline(line: str, *, strong: bool = False) -> dict[str, str] | None:
    """{'author': ..., 'date': ...} if the line is a byline, else None.

    `strong` says the line opened with bold text, which names the author."""
    line = line.strip()
    if not line or len(line) > 160:
        return None
    date = ISO_DATE_RE.search(line)
    fields = {"date": date.group(1)} if date else {}
    head = re.split(r"\s+[·•|—–]\s+|\s+-\s+", line, maxsplit=1)[0].strip()
    if strong and head and not head.endswith((".", "?", "!")):
        return {"author": head.lstrip("@"), **fields}
    m = BY_RE.match(head) or BY_RE.match(line)
    if m:
        return {"author": m.group(1).strip(), **fields}
    rest = line[len(head):].strip(" ·•|—–-")
    if rest and _name_like(head) and (ISO_DATE_RE.fullmatch(rest) or is_meta_line(rest)):
        return {"author": head.lstrip("@"), **fields}  # 'Ada Lovelace · 2024-03-01 · 12 points'
    name = byline(line)
    return {"author": name, **fields} if name else None
