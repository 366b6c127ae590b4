"""JSON inputs: JSON Lines, a JSON array, or one JSON document wrapping a list of records.

Each object passes through a *shape*, a function that maps its fields onto the
InputRecord fields: the project's own JSONL fields, the LessWrong / Alignment
Forum / EA Forum GraphQL export, or the Hacker News API item (see forums.py).
Errors name the file, the line (or record number) and the field.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..errors import InputError, NoCommentsError
from ..models import InputRecord
from .records import KNOWN_FIELDS, make_record
from .values import (TEXT_KEYS, TOO_DEEP, clean_record, deep_line, has_surrogate, holds_surrogate_escape, loads,
                     raw_decode)

WRAPPER_KEYS = ("results", "comments", "items", "hits", "records", "data")

# A shape maps one JSON object to (record fields, fields it used); the rest become metadata.
Shape = Callable[[dict[str, Any], str, int | None], tuple[dict[str, Any], set[str]]]


def plain_shape(obj: dict[str, Any], path: str, line: int | None) -> tuple[dict[str, Any], set[str]]:
    """The project's JSONL record: the fields of InputRecord, by name."""
    return {k: v for k, v in obj.items() if k in KNOWN_FIELDS}, set(obj) & KNOWN_FIELDS


def _records_in(doc: Any, where: str = "") -> tuple[list[Any], str] | None:
    """The list of records inside a wrapper document, e.g. GraphQL's {"data": {"comments": {"results": [...]}}}."""
    if isinstance(doc, list):
        return doc, where
    if not isinstance(doc, dict):
        return None
    for key in WRAPPER_KEYS:
        if key in doc:
            found = _records_in(doc[key], f"{where}.{key}" if where else key)
            if found:
                return found
    if len(doc) == 1:  # {"data": {"someQueryName": ...}}
        (key, value), = doc.items()
        return _records_in(value, f"{where}.{key}" if where else key)
    return None


def _array_items(text: str, path: str, warnings: list[str]) -> Iterator[tuple[int, Any]]:
    """(line, element) for each element of a top-level JSON array, decoded one at a time."""
    pos = text.index("[") + 1
    line = 1 + text.count("\n", 0, pos)
    ws = re.compile(r"[\s,]*")
    while True:
        nxt = ws.match(text, pos).end()
        line += text.count("\n", pos, nxt)
        if nxt >= len(text):
            raise InputError("invalid JSON: the array is never closed", path=path, line=line)
        if text[nxt] == "]":
            return
        try:
            obj, end = raw_decode(text, nxt)
        except ValueError as e:
            raise InputError(f"invalid JSON: {e.args[0].split(':')[0]}", path=path,
                             line=line + text.count("\n", nxt, getattr(e, "pos", nxt))) from None
        if holds_surrogate_escape(text, nxt, end):
            clean_record(obj, f"{path}:{line}", warnings)
        yield line, obj
        line += text.count("\n", nxt, end)
        pos = end


def iter_objects(lines: Iterable[str], path: str, strict: bool, warnings: list[str], *,
                 json_lines: bool = False) -> Iterator[tuple[int | None, Any]]:
    """(line, object) pairs from JSON Lines, a JSON array, or a wrapper document.

    JSON Lines are read line by line, never whole: `lines` may be an open file. `json_lines`
    says the caller knows the input is JSON Lines, so a broken first line is skipped like any other."""
    it = iter(lines)
    if json_lines:
        yield from _jsonl([], it, path, strict, warnings)
        return
    head: list[str] = []
    for raw in it:
        head.append(raw)
        if raw.strip():
            break
    first = "".join(head).strip()
    if not first:
        return
    if not first.startswith("[") and _is_json(first):
        for raw in it:  # a second record makes it JSON Lines; a lone object may be a wrapper document
            head.append(raw)
            if raw.strip():
                yield from _jsonl(head, it, path, strict, warnings)
                return
    text = "".join(head) + "".join(it)
    if text.lstrip().startswith("["):
        yield from _array_items(text, path, warnings)
        return
    try:
        doc = loads(text)
    except ValueError as e:
        line = e.lineno if isinstance(e, json.JSONDecodeError) else deep_line(text) if str(e) == TOO_DEEP else None
        raise InputError(f"invalid JSON: {e.args[0].split(': line')[0]}", path=path, line=line) from None
    found = _records_in(doc)
    if found is None:
        yield 1, clean_record(doc, f"{path}:1", warnings) if holds_surrogate_escape(text) else doc
        return
    items, where = found
    escaped = holds_surrogate_escape(text)
    for i, obj in enumerate(items):
        label = f"{where}[{i}]"
        yield None, (label, clean_record(obj, f"{path} ({label})", warnings) if escaped else obj)


def _is_json(s: str) -> bool:
    try:
        loads(s)
        return True
    except ValueError:
        return False


def _jsonl(head: list[str], rest: Iterator[str], path: str, strict: bool, warnings: list[str]):
    bad = 0
    for n, line in enumerate(_chain(head, rest), start=1):
        if not line.strip():
            continue
        try:
            obj = loads(line)
        except ValueError as e:
            if strict:
                raise InputError(f"invalid JSON: {e.args[0] if e.args else e}", path=path, line=n) from None
            bad += 1
            if bad <= 5:  # a syntax error, or valid JSON too deep or with too long a number to keep
                why = "that is not valid JSON" if isinstance(e, json.JSONDecodeError) else f"({e})"
                warnings.append(f"{path}:{n}: skipped a line {why}")
            continue
        yield n, clean_record(obj, f"{path}:{n}", warnings) if holds_surrogate_escape(line) else obj
    if bad > 5:
        warnings.append(f"{path}: {bad - 5} more lines that are not valid JSON were skipped")


def _chain(head: list[str], rest: Iterator[str]) -> Iterator[str]:
    yield from head
    yield from rest


def parse_objects(lines: Iterable[str], path: str, shape: Shape, *, strict: bool = False,
                  expand: Callable[[Any], Iterable[Any]] | None = None,
                  json_lines: bool = False) -> Iterator[InputRecord | str]:
    """Records of a JSON input through `shape`; warnings are yielded as strings, between them.

    A bad line is skipped with a warning unless `strict`; a record that breaks the schema
    (missing text, wrong type) is always an error naming its place."""
    warnings: list[str] = []
    seen: set[str] = set()
    unknown: Counter = Counter()
    first_unknown: dict[str, str] = {}
    count = 0
    for line, obj in iter_objects(lines, path, strict, warnings, json_lines=json_lines):
        yield from warnings
        warnings.clear()
        where = None
        if line is None:
            where, obj = obj
        for one in expand(obj) if expand else (obj,):
            rec = _record(one, path, line, where, shape, unknown, first_unknown, warnings)
            if rec is None:
                continue
            if rec.id is not None:
                if rec.id in seen:
                    raise InputError(f"duplicate comment id '{rec.id}'", path=path, line=line, field=where or "id")
                seen.add(rec.id)
            count += 1
            yield rec
    yield from warnings
    if unknown:
        names = ", ".join(f"{k} ({n})" if n > 1 else k for k, n in sorted(unknown.items()))
        yield f"{next(iter(first_unknown.values()))}: unknown field(s) kept as metadata: {names}"
    if not count:
        raise NoCommentsError("no comment records found", path=path)


def _record(obj: Any, path: str, line: int | None, where: str | None, shape: Shape, unknown: Counter,
            first_unknown: dict[str, str], warnings: list[str]) -> InputRecord | None:
    if not isinstance(obj, dict):
        raise InputError(f"expected a JSON object, got {type(obj).__name__}", path=path, line=line, field=where)
    try:
        fields, used = shape(obj, path, line)
        if fields is None:
            return None  # the shape says: not a comment (a deleted item, a story without text)
        text = fields.get("text")
        if isinstance(text, str) and has_surrogate(text):  # the words themselves are broken
            raise InputError("text holds a lone UTF-16 surrogate (a broken emoji escape)", path=path, line=line,
                             field="text")
        rest = sorted(set(obj) - used)
        extra = {k: obj[k] for k in rest}
        if rest:
            place = f"{path}:{line}" if line else f"{path} ({where})"
            for k in rest:
                unknown[k] += 1
                first_unknown.setdefault(k, place)
            if any(k in TEXT_KEYS for k in rest):  # a text field kept as metadata: not cleaned yet
                clean_record(extra, place, warnings, skip=())
        return make_record(fields, path, line, extra=extra)
    except InputError as e:
        if where:
            raise InputError(e.reason, path=path, field=f"{where}.{e.field}" if e.field else where) from None
        raise
