"""Markdown comment files: comments separated by `---` rules or headings, `>` quotes, `[text](url)` links.

Each comment becomes plain text as a reader sees it (markers removed, soft-wrapped
lines joined, list items kept as "- item" lines) with its quote and link spans as
offsets into that text. A comment may open with header lines: `key: value` pairs
(author, date, title, url, id, parent) or a byline such as `**Ada Lovelace** · 2024-03-01`.
When a file uses two heading levels, the top level names the post the following
comments belong to and the lower level heads each comment.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..models import InputRecord, Link, Span
from .header import parse_byline

RULE_RE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
HEADING_RE = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
FENCE_RE = re.compile(r"^ {0,3}(```|~~~)")
QUOTE_RE = re.compile(r"^ {0,3}>[ ]?")
QUOTES_RE = re.compile(r"^(?: {0,3}>[ ]?)+")
# Quotes nested deeper than this are one passage: each level is a call, and a hostile comment
# may open thousands ('> > > > ...'); a reader sees no difference past a few levels anyway.
MAX_QUOTE_DEPTH = 32
ITEM_RE = re.compile(r"^\s{0,8}([-*+]|\d{1,3}[.)])[ \t]+")
REFDEF_RE = re.compile(r"^ {0,3}\[([^\]]+)\]:[ \t]*<?(\S+?)>?(?:[ \t]+[\"'(].*[\"')])?[ \t]*$")
FIELD_RE = re.compile(r"^(author|by|user|date|posted|created|title|post|post_title|url|link|id|parent|parent_id|"
                      r"in reply to)[ \t]*:[ \t]*(.+)$", re.IGNORECASE)
INLINE_RE = re.compile(
    r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]*)(?:\s+\"[^\"]*\")?\)"
    r"|\[(?P<text>(?:[^\[\]]|\[[^\]]*\])+)\](?:\((?P<url><[^>]*>|[^)\s]*)(?:\s+\"[^\"]*\")?\)|\[(?P<ref>[^\]]*)\])"
    r"|<(?P<auto>https?://[^>\s]+)>"
    r"|(?P<tick>`+)(?P<code>.+?)(?P=tick)"
    r"|\*\*(?P<b1>\S(?:.*?\S)?)\*\*|(?<!\w)__(?P<b2>\S(?:.*?\S)?)__(?!\w)"
    r"|(?<![\w*])\*(?P<i1>[^\s*](?:[^*]*?[^\s*])?)\*(?![\w*])|(?<![\w_])_(?P<i2>[^\s_](?:[^_]*?[^\s_])?)_(?![\w_])"
    r"|~~(?P<del>.+?)~~"
    r"|\\(?P<esc>[\\`*_{}\[\]()#+\-.!>|~])")


def inline(s: str, refs: dict[str, str], base: int = 0) -> tuple[str, list[Link]]:
    """Markdown inline markup removed from `s`; links as spans offset by `base`."""
    out: list[str] = []
    links: list[Link] = []
    pos = length = 0
    for m in INLINE_RE.finditer(s):
        out.append(s[pos:m.start()])
        length += m.start() - pos
        pos = m.end()
        g = m.groupdict()
        if g["text"] is not None:
            url = (g["url"] or "").strip("<>") if g["url"] is not None else refs.get((g["ref"] or g["text"]).lower())
            if url is None:
                inner, inner_links = f"[{g['text']}]", []
            else:
                inner, inner_links = inline(g["text"], refs, base + length)
                if url.startswith(("http://", "https://")):
                    links.append(Link(start=base + length, end=base + length + len(inner), url=url))
            links += inner_links
        elif g["auto"] is not None:
            inner = g["auto"]
            links.append(Link(start=base + length, end=base + length + len(inner), url=inner))
        elif g["code"] is not None or g["esc"] is not None or g["alt"] is not None:
            inner = g["code"] if g["code"] is not None else g["esc"] if g["esc"] is not None else g["alt"]
        else:
            body = next(g[k] for k in ("b1", "b2", "i1", "i2", "del") if g[k] is not None)
            inner, inner_links = inline(body, refs, base + length)
            links += inner_links
        out.append(inner)
        length += len(inner)
    out.append(s[pos:])
    return "".join(out), links


def _blocks(lines: list[str]) -> Iterator[tuple[str, list[str]]]:
    """(kind, lines) for each paragraph-level block: 'p', 'quote', 'item', 'code'."""
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
        elif FENCE_RE.match(line):
            fence = FENCE_RE.match(line).group(1)
            j = i + 1
            while j < len(lines) and not lines[j].strip().startswith(fence):
                j += 1
            yield "code", lines[i + 1:j]
            i = j + 1
        elif QUOTE_RE.match(line):
            j = i
            while j < len(lines) and QUOTE_RE.match(lines[j]):
                j += 1
            yield "quote", [QUOTE_RE.sub("", ln, count=1) for ln in lines[i:j]]
            i = j
        elif ITEM_RE.match(line):
            yield "item", [line]
            i += 1
        else:
            j = i + 1
            while j < len(lines) and lines[j].strip() and not (QUOTE_RE.match(lines[j]) or ITEM_RE.match(lines[j])
                                                               or FENCE_RE.match(lines[j])):
                j += 1
            yield "p", lines[i:j]
            i = j


class _Text:
    def __init__(self, refs: dict[str, str]) -> None:
        self.refs, self.text, self.quotes, self.links = refs, "", [], []

    def add(self, block: str, sep: str) -> tuple[int, int]:
        if self.text:
            self.text += sep
        start = len(self.text)
        plain, links = inline(block, self.refs, start)
        self.text += plain
        self.links += links
        return start, len(self.text)

    def add_code(self, lines: list[str]) -> None:
        if self.text:
            self.text += "\n\n"
        self.text += "\n".join(lines)


def markdown_to_text(source: str, refs: dict[str, str] | None = None, depth: int = 0
                     ) -> tuple[str, list[Span], list[Link]]:
    """Plain text of one comment's Markdown, with its quote spans and link spans (`depth`: how
    many quotes the source sits in)."""
    lines = source.split("\n")
    refs = dict(refs or {})
    refs.update({m.group(1).lower(): m.group(2) for ln in lines if (m := REFDEF_RE.match(ln))})
    lines = [ln for ln in lines if not REFDEF_RE.match(ln)]
    out = _Text(refs)
    prev = None
    for kind, block in _blocks(lines):
        if kind == "code":
            out.add_code(block)
        elif kind == "quote":
            if depth + 1 >= MAX_QUOTE_DEPTH:
                block = [QUOTES_RE.sub("", ln, count=1) for ln in block]  # the deeper quotes: their words only
            inner, inner_quotes, inner_links = markdown_to_text("\n".join(block), refs, depth + 1)
            sep = "\n\n" if out.text else ""
            start = len(out.text) + len(sep)
            out.text += sep + inner
            out.links += [ln.model_copy(update={"start": ln.start + start, "end": ln.end + start})
                          for ln in inner_links]
            if inner:
                out.quotes.append(Span(start=start, end=start + len(inner)))
        elif kind == "item":
            marker = ITEM_RE.match(block[0])
            bullet = "- " if marker.group(1) in "-*+" else marker.group(1) + " "
            out.add(bullet + block[0][marker.end():].strip(), "\n" if prev == "item" else "\n\n")
        else:
            out.add(" ".join(ln.strip() for ln in block), "\n\n")
        prev = kind
    return out.text, out.quotes, out.links


def _header(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """Header fields at the top of a comment block, and the lines after them."""
    fields: dict[str, str] = {}
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    while i < len(lines) and (m := FIELD_RE.match(lines[i].strip())):
        fields[m.group(1).lower()] = m.group(2).strip()
        i += 1
    if not fields and i < len(lines):
        byline = parse_byline(inline(lines[i].strip(), {})[0], strong=lines[i].lstrip().startswith(("**", "__")))
        if byline:
            fields, i = byline, i + 1
    return fields, lines[i:]


def _record_fields(fields: dict[str, str]) -> dict[str, str]:
    names = {"by": "author", "user": "author", "date": "created_at", "posted": "created_at", "created": "created_at",
             "title": "post_title", "post": "post_title", "link": "url", "parent": "parent_id",
             "in reply to": "parent_id"}
    return {names.get(k, k): v for k, v in fields.items()}


def split_markdown(text: str) -> Iterator[tuple[int, dict[str, str], list[str]]]:
    """(first line number, header fields, body lines) for each comment of a Markdown file."""
    lines = text.split("\n")
    if lines and lines[0].strip() == "---" and "---" in (ln.strip() for ln in lines[1:]):
        end = next(i for i, ln in enumerate(lines[1:], 1) if ln.strip() == "---")
        lines = [""] * (end + 1) + lines[end + 1:]   # YAML front matter: page metadata, not a comment
    levels = sorted({len(m.group(1)) for ln in lines if (m := HEADING_RE.match(ln))})
    post_level = levels[0] if len(levels) > 1 else None
    post: dict[str, str] = {}
    heading: dict[str, str] = {}
    start, body = 1, []
    in_fence = False

    def flush():
        fields, rest = _header(body)
        if any(ln.strip() for ln in rest):
            yield start, {**post, **heading, **_record_fields(fields)}, rest

    for n, line in enumerate(lines, start=1):
        if FENCE_RE.match(line):
            in_fence = not in_fence
        h = None if in_fence else HEADING_RE.match(line)
        if not in_fence and (RULE_RE.match(line) or h):
            yield from flush()
            start, body, heading = n + 1, [], {}
            if h and post_level is not None and len(h.group(1)) == post_level:
                post = {"post_title": inline(h.group(2), {})[0]}
            elif h:
                heading = _heading_fields(inline(h.group(2), {})[0])
            continue
        body.append(line)
    yield from flush()


def _heading_fields(text: str) -> dict[str, str]:
    byline = parse_byline(text, strong=False)
    if byline:
        return _record_fields(byline)
    return {"post_title": re.sub(r"^(?:Re|RE)\s*:\s*", "", text)}


def parse_markdown(text: str, path: str, warnings: list[str] | None = None) -> list[InputRecord]:
    from .records import scraped_record

    records = []
    for line, fields, body in split_markdown(text):
        plain, quotes, links = markdown_to_text("\n".join(body))
        if plain.strip():
            records.append(scraped_record({**fields, "text": plain, "quotes": quotes, "links": links}, path, line,
                                          f"comment at line {line}", [] if warnings is None else warnings))
    return records
