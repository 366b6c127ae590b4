"""One place that turns a reader's field dict into a validated InputRecord, naming file, line and field."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from ..errors import InputError
from ..models import InputRecord

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
