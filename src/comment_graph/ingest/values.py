"""JSON values from hostile files, made safe to keep: decoding that never raises RecursionError,
a nesting limit, and lone UTF-16 surrogates replaced.

Every JSON input passes through here, so whatever a record holds, even in a field kept only as
metadata, can later be written to graph.json and RDF."""

from __future__ import annotations

import json
import re
import sys
from typing import Any

# graph.json nests a record's extra fields three levels down, and its writers (orjson, pydantic)
# stop at about 255 levels: a deeper value could be read but never written. Real records (a
# GraphQL export, an Algolia thread of a hundred replies) stay well within the limit.
MAX_JSON_DEPTH = 200
TOO_DEEP = f"nested deeper than {MAX_JSON_DEPTH} levels"
SURROGATE_RE = re.compile("[\ud800-\udfff]")
# decoded UTF-8 holds no surrogate: one in a JSON value came from an escape such as "\ud800"
SURROGATE_ESCAPE_RE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
# the fields readers take a comment's text from (see clean_record)
TEXT_KEYS = ("text", "comment_text", "htmlBody", "contents")


def loads(text: str) -> Any:
    """`json.loads`, refusing what a hostile file can hold with a ValueError that says what is wrong:
    nesting deeper than MAX_JSON_DEPTH (past about 1,000 levels the decoder itself would raise
    RecursionError), or an integer longer than Python converts."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise ValueError(TOO_DEEP) from None
    except json.JSONDecodeError:
        raise
    except ValueError as e:
        raise ValueError(_number_message(e)) from None
    if _brackets(text, 0, len(text)) > MAX_JSON_DEPTH and _deeper_than(value):
        raise ValueError(TOO_DEEP)
    return value


def raw_decode(text: str, pos: int) -> tuple[Any, int]:
    """`JSONDecoder.raw_decode` from `pos`, refusing what `loads` refuses."""
    try:
        value, end = json.JSONDecoder().raw_decode(text, pos)
    except RecursionError:
        raise json.JSONDecodeError(TOO_DEEP, text, pos) from None
    except json.JSONDecodeError:
        raise
    except ValueError as e:
        raise json.JSONDecodeError(_number_message(e), text, pos) from None
    if _brackets(text, pos, end) > MAX_JSON_DEPTH and _deeper_than(value):
        raise json.JSONDecodeError(TOO_DEEP, text, pos)
    return value, end


def _brackets(text: str, start: int, end: int) -> int:
    """How many lists and objects a JSON text could open: fewer than the limit need no walk."""
    return text.count("[", start, end) + text.count("{", start, end)


def _number_message(e: ValueError) -> str:
    if "integer string conversion" in str(e):  # Python's guard against quadratic int() on huge digit strings
        return f"a number has more than {sys.get_int_max_str_digits():,} digits"
    return e.args[0] if e.args else str(e)


JSON_TOKEN_RE = re.compile(r'"(?:[^"\\\n]|\\.)*"|[\[\]{}]|\n')


def deep_line(text: str) -> int | None:
    """The line where the text's lists and objects first nest deeper than MAX_JSON_DEPTH."""
    depth, line = 0, 1
    for m in JSON_TOKEN_RE.finditer(text):
        token = m.group()
        if token == "\n":
            line += 1
        elif token in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return line
        elif token in "]}":
            depth -= 1
    return None


def _deeper_than(value: Any, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether lists and objects nest deeper than `limit`, found without recursion."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def clean_record(obj: Any, where: str, warnings: list[str], *, skip: tuple[str, ...] = TEXT_KEYS) -> Any:
    """The record with each lone UTF-16 surrogate (a broken emoji escape such as "\\ud800", which
    no UTF-8 file can hold) replaced by U+FFFD, in its values and keys at any depth, and a
    warning naming the record and its fields. The fields in `skip` hold the comment's text, which
    the reader checks once it is text (a broken escape in the words is an error; in an HTML
    attribute it is a malformed link)."""
    dirty = _replace_surrogates(obj, skip)
    if dirty:
        warnings.append(f"{where}: lone UTF-16 surrogate in {', '.join(sorted(dirty))} replaced by U+FFFD")
    return obj


def holds_surrogate_escape(text: str, start: int = 0, end: int | None = None) -> bool:
    """Whether JSON text may decode to a lone surrogate: only then is its record walked to clean it."""
    return SURROGATE_ESCAPE_RE.search(text, start, len(text) if end is None else end) is not None


def has_surrogate(s: str) -> bool:
    return SURROGATE_RE.search(s) is not None


def without_surrogates(s: str) -> str:
    """The string with each lone surrogate replaced by U+FFFD."""
    return SURROGATE_RE.sub("\ufffd", s)


def _replace_surrogates(obj: Any, skip: tuple[str, ...]) -> set[str]:
    """Replace lone surrogates in place, without recursion; the top-level keys they were under."""
    dirty: set[str] = set()
    stack: list[tuple[Any, str | None]] = [(obj, None)]
    while stack:
        node, top = stack.pop()
        if isinstance(node, dict):
            if any(has_surrogate(k) for k in node):
                renamed = {k: without_surrogates(k) for k in node}
                dirty.update([top] if top is not None else [new for old, new in renamed.items() if old != new])
                items = [(renamed[k], v) for k, v in node.items()]
                node.clear()
                node.update(items)
            keys = [k for k in node if top is not None or k not in skip]
        elif isinstance(node, list):
            keys = range(len(node))
        else:
            continue
        for k in keys:
            v, name = node[k], top if top is not None else str(k)
            if isinstance(v, str) and has_surrogate(v):
                node[k] = without_surrogates(v)
                dirty.add(name)
            elif isinstance(v, (dict, list)):
                stack.append((v, name))
    return dirty
