"""Read input files: detect the format, decode the bytes, return text or records.

`load()` says which format it chose, so callers (and users) can see it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..models import InputRecord
from .decode import read_text
from .jsonl import parse_jsonl

FORMATS = ("text", "jsonl")


@dataclass
class Loaded:
    """One input file, read: either flat text (to segment) or records (already comments)."""

    path: str
    format: str
    text: str | None = None
    records: list[InputRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def detect_format(path: Path, text: str) -> str:
    """Guess the format from the name, then from the first non-blank line."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".json":
        return "jsonl"
    first = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    if first.startswith("{"):
        try:
            json.loads(first)
            return "jsonl"
        except ValueError:
            pass
    return "text"


def _check_lengths(text: str, path: str, max_chars: int) -> None:
    """Refuse a line longer than any comment could be (a 50 MB minified blob, say), naming it."""
    if len(text) <= max_chars:
        return
    for n, line in enumerate(text.split("\n"), start=1):
        if len(line) > max_chars:
            raise InputError(f"line is {len(line):,} characters long; the limit is {max_chars:,} "
                             "(BuildConfig.max_comment_chars)", path=path, line=n)


def load(path: str | Path, fmt: str = "auto", *, strict: bool = False, max_chars: int = 1_000_000) -> Loaded:
    """Read one input file in the given format (`auto` detects it)."""
    p = Path(path)
    text = read_text(p)
    _check_lengths(text, str(p), max_chars)
    chosen = detect_format(p, text) if fmt == "auto" else fmt
    if chosen not in FORMATS:
        raise InputError(f"unknown format '{chosen}'; choose one of: auto, {', '.join(FORMATS)}", path=str(p))
    if chosen == "jsonl":
        records, warnings = parse_jsonl(text, str(p), strict=strict)
        return Loaded(str(p), chosen, records=records, warnings=warnings)
    if not text.strip():
        raise InputError("the file holds no text", path=str(p))
    return Loaded(str(p), chosen, text=text)
