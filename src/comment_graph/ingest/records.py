"""One place that turns a reader's field dict into a validated InputRecord, naming file, line and field."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from ..errors import InputError
from ..models import InputRecord, Link
from ..urls import split_url
from .values import has_surrogate, without_surrogates

KNOWN_FIELDS = set(InputRecord.model_fields) - {"extra"}


def make_record(fields: dict[str, Any], path: str, line: int | None, extra: dict[str, Any] | None = None
                ) -> InputRecord:
    fields = dict(fields)
    for key in ("id", "parent_id"):
        if isinstance(fields.get(key), int) and not isinstance(fields.get(key), bool):
            fields[key] = str(fields[key])
    try:
        return InputRecord(**fields, extra=extra or {})
    except ValidationError as e:
        err = e.errors()[0]
        where = ".".join(str(x) for x in err["loc"]) or None
        msg = err["msg"]
        msg = msg.removeprefix("Value error, ")
        raise InputError(msg[:1].lower() + msg[1:], path=path, line=line, field=where) from None


def scraped_record(fields: dict[str, Any], path: str, line: int | None, where: str, warnings: list[str]
                   ) -> InputRecord:
    """A record a page's markup gave (HTML, Markdown). A date no calendar holds ('2024-13-45' in a
    <time> element or a 'date:' header) is the page's slip, not a broken schema: the comment is
    kept without it, with a warning naming the comment (`where`)."""
    try:
        return make_record(fields, path, line)
    except InputError as e:
        if e.field != "created_at":
            raise
        warnings.append(f"{path}: {where}: dropped the date '{str(fields['created_at'])[:40]}' ({e.reason})")
        return make_record({k: v for k, v in fields.items() if k != "created_at"}, path, line)


def record_name(rec: InputRecord, position: int) -> str:
    """How a warning names one comment of an input: its id, or its 1-based position."""
    return f"comment '{rec.id}'" if rec.id else f"comment #{position}"


def without_malformed_links(links: list[Link], path: str, where: str, warnings: list[str]) -> list[Link]:
    """The links whose URL urllib can split. A hostile or broken link ('http://[::1', 'http://[zz]/')
    is dropped with a warning naming its comment: its anchor words stay in the text, and one bad
    link never ends the build."""
    kept = []
    for link in links:
        if split_url(link.url) is None or has_surrogate(link.url):  # a surrogate: a broken escape in an href
            warnings.append(f"{path}: {where}: malformed link '{without_surrogates(link.url[:200])}' kept as plain text")
        else:
            kept.append(link)
    return kept
