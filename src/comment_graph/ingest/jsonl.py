"""JSON Lines (and JSON arrays) of comment records."""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import ValidationError

from ..errors import InputError
from ..models import InputRecord

KNOWN_FIELDS = set(InputRecord.model_fields) - {"extra"}
SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _record(obj: Any, path: str, line: int) -> tuple[InputRecord, list[str]]:
    if not isinstance(obj, dict):
        raise InputError(f"expected a JSON object, got {type(obj).__name__}", path=path, line=line)
    text = obj.get("text")
    if isinstance(text, str) and SURROGATE_RE.search(text):
        raise InputError("text holds a lone UTF-16 surrogate (a broken emoji escape)", path=path, line=line,
                         field="text")
    unknown = sorted(set(obj) - KNOWN_FIELDS)
    fields = {k: v for k, v in obj.items() if k in KNOWN_FIELDS}
    for key in ("id", "parent_id"):
        if isinstance(fields.get(key), int) and not isinstance(fields.get(key), bool):
            fields[key] = str(fields[key])
    try:
        rec = InputRecord(**fields, extra={k: obj[k] for k in unknown})
    except ValidationError as e:
        err = e.errors()[0]
        where = ".".join(str(x) for x in err["loc"]) or None
        raise InputError(err["msg"].lower(), path=path, line=line, field=where) from None
    warnings = [f"{path}:{line}: unknown field(s) kept as metadata: {', '.join(unknown)}"] if unknown else []
    return rec, warnings


def _objects(text: str, path: str, strict: bool, warnings: list[str]):
    """Yield (line, object) pairs from JSON Lines, or from one JSON array."""
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            for i, obj in enumerate(json.loads(text)):
                yield i + 1, obj
            return
        except ValueError as e:
            raise InputError(f"invalid JSON: {e}", path=path) from None
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            yield n, json.loads(line)
        except ValueError as e:
            if strict:
                raise InputError(f"invalid JSON: {e.args[0] if e.args else e}", path=path, line=n) from None
            warnings.append(f"{path}:{n}: skipped a line that is not valid JSON")


def parse_jsonl(text: str, path: str, *, strict: bool = False) -> tuple[list[InputRecord], list[str]]:
    """Parse records; a bad line is skipped with a warning unless `strict`."""
    records: list[InputRecord] = []
    warnings: list[str] = []
    seen: set[str] = set()
    for line, obj in _objects(text, path, strict, warnings):
        rec, w = _record(obj, path, line)
        warnings += w
        if rec.id is not None:
            if rec.id in seen:
                raise InputError(f"duplicate comment id '{rec.id}'", path=path, line=line, field="id")
            seen.add(rec.id)
        records.append(rec)
    if not records:
        raise InputError("no comment records found", path=path)
    return records, warnings
