"""Read input files: detect the format, decode the bytes, return text or records.

Formats: `text` (a flat page, to segment), `jsonl` (the project's records, also as a
JSON array), `lesswrong` (LessWrong / Alignment Forum / EA Forum GraphQL export),
`hn` (Hacker News API items), `markdown` and `html`. `load()` says which format it
chose, so callers (and users) can see it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..choices import INPUT_FORMATS as FORMATS
from ..errors import InputError, NoCommentsError
from ..models import InputRecord, Link, Span
from .decode import Source, iter_lines, read_head, read_text
from .forums import HN_BASE, hn_expand, hn_shape, lesswrong_shape, looks_like_hn, looks_like_lesswrong
from .jsonl import iter_objects, parse_objects, plain_shape
from .values import loads

JSON_FORMATS = ("jsonl", "lesswrong", "hn")
SUFFIXES = {".jsonl": "json", ".ndjson": "json", ".json": "json", ".md": "markdown", ".markdown": "markdown",
            ".html": "html", ".htm": "html", ".xhtml": "html"}
HTML_SNIFF_RE = re.compile(r"^\s*(<!doctype html|<html|<body|<div|<article|<p>|<table)", re.IGNORECASE)
MD_LINK_RE = re.compile(r"\]\(https?://")


@dataclass
class Loaded:
    """One input file, read: either flat text (to segment) or records (already comments).

    A flat text converted from HTML keeps the markup's quote and link spans (offsets into `text`).
    `path` is the input as given, for messages; outputs name it by `name` and `sha256` only."""

    path: str
    format: str
    text: str | None = None
    records: list[InputRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    quotes: list[Span] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    name: str = ""
    sha256: str = ""


def _first_object(text: str, path: str) -> Any:
    """The first record of a JSON input (decoding no more of it than needed), or None."""
    try:
        for line, obj in iter_objects(io.StringIO(text), path, False, [], json_lines=_is_json_lines(text, path)):
            return obj[1] if line is None else obj
    except InputError:
        return None
    return None


def _json_shape(text: str, path: str) -> str:
    obj = _first_object(text, path)
    if isinstance(obj, dict) and looks_like_lesswrong(obj):
        return "lesswrong"
    if isinstance(obj, dict) and looks_like_hn(obj):
        return "hn"
    return "jsonl"


def detect_format(path: Path, text: str) -> str:
    """Guess the format from the file name, then from the content."""
    by_suffix = SUFFIXES.get(path.suffix.lower())
    if by_suffix == "json":
        return _json_shape(text, str(path))
    if by_suffix:
        return by_suffix
    head = text.lstrip()[:1]
    if head in "{[" and head:
        shape = _json_shape(text, str(path))
        if shape != "jsonl" or _first_object(text, str(path)) is not None:
            return shape
    if HTML_SNIFF_RE.match(text):
        return "html"
    if MD_LINK_RE.search(text):
        return "markdown"  # a flat scrape has lost its link targets; `[text](https://...)` is Markdown
    return "text"


def _check_lengths(text: str, path: str, max_chars: int) -> None:
    """Refuse a line longer than any comment could be (a 50 MB minified blob, say), naming it."""
    if len(text) <= max_chars:
        return
    for n, line in enumerate(text.split("\n"), start=1):
        if len(line) > max_chars:
            raise InputError(f"line is {len(line):,} characters long; the limit is {max_chars:,} "
                             "(BuildConfig.max_comment_chars)", path=path, line=n)


def _json_records(lines: Iterable[str], path: str, fmt: str, strict: bool, json_lines: bool = False
                  ) -> tuple[list[InputRecord], list[str]]:
    shape = {"jsonl": plain_shape, "lesswrong": lesswrong_shape, "hn": hn_shape}[fmt]
    stories: dict[str, InputRecord] = {}
    if fmt == "hn":
        def shape(obj, path, line, _shape=hn_shape):  # noqa: F811  (stories are posts: remember them)
            fields, used = _shape(obj, path, line)
            if obj.get("type") in ("story", "poll", "job") and obj.get("id") is not None:
                stories[str(obj["id"])] = InputRecord(text="", post_title=obj.get("title"),
                                                      post_url=f"{HN_BASE}item?id={obj['id']}")
            return fields, used
    records: list[InputRecord] = []
    warnings: list[str] = []
    for item in parse_objects(lines, path, shape, strict=strict, expand=hn_expand if fmt == "hn" else None,
                              json_lines=json_lines):
        (warnings if isinstance(item, str) else records).append(item)
    if fmt == "hn":
        _hn_threads(records, stories)
    return records, warnings


def _hn_threads(records: list[InputRecord], stories: dict[str, InputRecord]) -> None:
    """Firebase items know only their parent: a reply takes its thread's story from above, and a
    top-level comment replies to the story, which is a post here, not a comment."""
    by_id = {r.id: r for r in records if r.id}
    for r in records:
        seen, up = set(), r
        while up.parent_id in by_id and up.parent_id not in seen and not up.post_title:
            seen.add(up.parent_id)
            up = by_id[up.parent_id]
        story = stories.get(up.parent_id or "") or (up if up.post_title else None)
        if story and not r.post_title:
            r.post_title, r.post_url = story.post_title, story.post_url
        if r.parent_id in stories and r.parent_id not in by_id:
            r.parent_id = None


def _markup_records(text: str, path: str, fmt: str) -> Loaded:
    from .html import hr_sections, html_comments, node_to_text, parse_html
    from .markdown import parse_markdown
    from .records import scraped_record

    warnings: list[str] = []
    if fmt == "markdown":
        return Loaded(path, fmt, records=parse_markdown(text, path, warnings), warnings=warnings)
    root = parse_html(text)
    found = html_comments(root)
    if found:
        records = [scraped_record(f, path, None, f"comment #{i}", warnings) for i, f in enumerate(found, start=1)]
        return Loaded(path, fmt, records=records, warnings=warnings)
    sections = hr_sections(root)
    if sections:
        records = []
        for i, s in enumerate(sections, start=1):
            body, quotes, links = node_to_text(s)
            records.append(scraped_record(_strip_byline(body, quotes, links), path, None, f"section #{i}", warnings))
        return Loaded(path, fmt, records=records, warnings=warnings)
    body, quotes, links = node_to_text(root)
    return Loaded(path, fmt, text=body, quotes=quotes, links=links)


def _strip_byline(text: str, quotes: list[Span], links: list[Link]) -> dict[str, Any]:
    """A section opening with a byline paragraph ('Ada Lovelace · 2024-03-01'): the byline becomes fields."""
    from .header import parse_byline

    first, sep, rest = text.partition("\n\n")
    fields = parse_byline(first) if sep else None
    if not fields or not rest.strip():
        return {"text": text, "quotes": quotes, "links": links}
    cut = len(first) + len(sep)
    shift = [(s.model_copy(update={"start": s.start - cut, "end": s.end - cut})) for s in quotes + links
             if s.start >= cut]
    out = {"text": rest, "quotes": [s for s in shift if isinstance(s, Span)],
           "links": [s for s in shift if isinstance(s, Link)], "author": fields["author"]}
    if "date" in fields:
        out["created_at"] = fields["date"]
    return out


def _is_json_lines(head: str, name: str) -> bool:
    """JSON Lines, which can be read line by line: two complete lines, the first a JSON object.
    A broken first line is a malformed line like any other, skipped with a warning unless --strict,
    when the file's name says JSON Lines and another line is an object, or most lines are objects
    (a pretty-printed JSON document has few lines that are)."""
    lines = [ln for ln in head.split("\n")[:-1] if ln.strip()][:100]
    if len(lines) < 2:
        return False
    if _is_object(lines[0]):
        return True
    objects = [_is_object(ln) for ln in lines[1:]]
    if Path(name).suffix.lower() in (".jsonl", ".ndjson"):
        return any(objects)
    return 2 * sum(objects) >= len(lines)


def _is_object(line: str) -> bool:
    if not line.lstrip().startswith("{"):
        return False
    try:
        return isinstance(loads(line), dict)
    except ValueError:
        return False


def _check_links(loaded: Loaded) -> Loaded:
    """Every link the reader kept, checked once whatever the format (see without_malformed_links)."""
    from .records import record_name, without_malformed_links

    for i, rec in enumerate(loaded.records, start=1):
        if rec.links:
            rec.links = without_malformed_links(rec.links, loaded.path, record_name(rec, i), loaded.warnings)
    loaded.links = without_malformed_links(loaded.links, loaded.path, "the page", loaded.warnings)
    return loaded


def load(path: str | Path, fmt: str = "auto", *, strict: bool = False, max_chars: int = 1_000_000,
         allow_empty: bool = False) -> Loaded:
    """Read one input in the given format (`auto` detects it): a file, or `-` for standard input.

    Every input is read once (a pipe or FIFO cannot be read twice); JSON Lines are decoded line
    by line, never read whole; other formats are read whole. An input that holds no comment at
    all (empty, blank, no records) raises NoCommentsError, unless `allow_empty` reads it as none."""
    src = Source(path)
    try:
        loaded = _check_links(_read(src, fmt, strict, max_chars))
    except NoCommentsError:
        if not allow_empty:
            raise
        # a script building whatever a scrape saved asked for this; the bytes were all read, so
        # the hash below is theirs
        chosen = detect_format(Path(src.given), read_head(src)) if fmt == "auto" else fmt
        loaded = Loaded(str(src.given), chosen, records=[])
    loaded.name, loaded.sha256 = src.name, src.sha256  # the hash of every byte read, now all are
    return loaded


def _read(src: Source, fmt: str, strict: bool, max_chars: int) -> Loaded:
    p = Path(src.given)
    head = read_head(src)
    chosen = detect_format(p, head) if fmt == "auto" else fmt
    if chosen not in FORMATS:
        raise InputError(f"unknown format '{chosen}'; choose one of: auto, {', '.join(FORMATS)}", path=str(p))
    if chosen in JSON_FORMATS and _is_json_lines(head, p.name):
        records, warnings = _json_records(iter_lines(src, max_chars), str(p), chosen, strict, json_lines=True)
        return Loaded(str(p), chosen, records=records, warnings=warnings)
    text = read_text(src)
    if fmt == "auto" and len(text) > len(head):
        chosen = detect_format(p, text)  # a JSON document longer than the head: look at all of it
    if chosen != "html":  # one HTML line may hold a whole page
        _check_lengths(text, str(p), max_chars)
    if chosen in JSON_FORMATS:
        records, warnings = _json_records(io.StringIO(text), str(p), chosen, strict)
        return Loaded(str(p), chosen, records=records, warnings=warnings)
    if not text.strip():
        raise NoCommentsError("the file holds no text", path=str(p))
    if chosen in ("markdown", "html"):
        loaded = _markup_records(text, str(p), chosen)
        if loaded.text is None and not loaded.records:
            raise NoCommentsError(f"no comments found in this {chosen} file", path=str(p))
        for r in loaded.records:
            if len(r.text) > max_chars:
                raise InputError(f"a comment is {len(r.text):,} characters long; the limit is {max_chars:,} "
                                 "(BuildConfig.max_comment_chars)", path=str(p))
        return loaded
    return Loaded(str(p), chosen, text=text)


__all__ = ["FORMATS", "Loaded", "detect_format", "load"]
