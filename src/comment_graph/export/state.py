"""graph.json: the built graph's records, so `related`, `comments-about`, `near` and `load()` need no rebuild.

JSON of the pydantic records (comments, entities, ...; mentions and subjects as compact rows),
keys sorted, streamed a thousand records a line and written atomically; loading validates every record again."""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import islice
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

import orjson
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from ..config import EXECUTION_OPTIONS, BuildConfig
from ..errors import InputError, validation_problem
from ..extract.concepts import CHECKED_SOURCES, CORPUS_CHECKED
from ..models import Boundary, Comment, Entity, Mention, Subject
from . import write_atomic

if TYPE_CHECKING:
    from ..graph import CommentGraph

STATE_FILE = "graph.json"
FORMAT_VERSION = 3


MENTION_FIELDS = ("comment_id", "kind", "surface", "start", "end", "extractor", "score", "key", "in_quote", "attrs")


RECORDS_PER_LINE = 1000


def batched(items, n: int):
    """Lists of up to `n` consecutive items (itertools.batched arrives in Python 3.12)."""
    it = iter(items)
    while batch := list(islice(it, n)):
        yield batch


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _encoded(value) -> bytes:
    """`_dumps(value)` as UTF-8: compact, keys sorted, non-ASCII as is. orjson gives the same bytes
    ten times faster, except for a float json spells with an exponent (1e-05; orjson: 0.00001):
    the same number, in the same bytes from build to build. The standard library writes what
    orjson refuses (an integer beyond 64 bits in a record's extra fields, say)."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:
        return _dumps(value).encode("utf-8")


def _sections(kg: "CommentGraph") -> dict[str, object]:
    """Each top-level key: a JSON-ready value, or an iterable of JSON-ready records (streamed)."""
    sections: dict[str, object] = {
        "format": "comment-graph", "version": FORMAT_VERSION,
        "config": kg.config.model_dump(mode="json", exclude=EXECUTION_OPTIONS),
        "inputs": [vars(i) for i in kg.inputs],
        "page_author": kg.page_author,
        "page_titles": kg.page_titles,
        "comments": (c.model_dump(mode="json") for c in kg.comments),
        "entities": (e.model_dump(mode="json") for e in kg.entities.values()),
        "subjects": ([s.comment_id, s.entity_id, s.weight] for s in kg.subjects),
        "features": ([s.comment_id, s.entity_id, s.weight] for s in kg.features),
        "feature_entities": (e.model_dump(mode="json") for e in kg.feature_entities.values()),
        "segmentation": (b.model_dump(mode="json") for b in kg.segmentation),
        "mention_fields": list(MENTION_FIELDS),
    }
    if kg.raw_mentions is None:
        sections["mentions"] = ((*_row(m), m.entity_id) for m in kg.mentions)
    else:
        sections["raw_mentions"] = map(_row, kg.raw_mentions)
        positions = _positions_in(kg.mentions, kg.raw_mentions)
        if positions is not None:
            sections["resolved"] = ([i, m.entity_id] for i, m in zip(positions, kg.mentions))
        else:
            sections["mentions"] = ((*_row(m), m.entity_id) for m in kg.mentions)
    return sections


def _positions_in(items: list, within: list) -> Iterator[int] | None:
    """Where each of `items` stands in `within` (the same objects; the last place, where one is
    there twice), or None if one is not there at all. Found with numpy over the objects' ids: a
    dict of them took some 300 MB at 100,000 comments, in a forked writer already copying pages."""
    import numpy as np

    ids = np.fromiter(map(id, within), np.uint64, len(within))
    order = np.argsort(ids, kind="stable")
    ids = ids[order]
    wanted = np.fromiter(map(id, items), np.uint64, len(items))
    at = np.searchsorted(ids, wanted, side="right") - 1
    if len(wanted) and (at.min() < 0 or not np.array_equal(ids[at], wanted)):
        return None
    return map(int, order[at])


# A mention as a compact row (field names once, in `mention_fields`): a third of the size. A
# tuple, got in C, encodes as the same JSON array a list would.
_row = attrgetter(*MENTION_FIELDS)


def write_state_to(f, kg: "CommentGraph") -> None:
    """graph.json, streamed: keys in sorted order, a thousand records at a time (memory stays flat)."""
    f.write(b"{")
    for n, (key, value) in enumerate(sorted(_sections(kg).items())):
        f.write(((("," if n else "") + _dumps(key) + ":")).encode("utf-8"))
        if isinstance(value, (dict, list, str, int, float, bool)) or value is None:
            f.write(_encoded(value))
            continue
        f.write(b"[")
        for i, batch in enumerate(batched(value, RECORDS_PER_LINE)):
            # one encoding call per batch: per record, setting up costs more than encoding
            f.write(b",\n" if i else b"\n")
            f.write(memoryview(_encoded(batch))[1:-1])
        f.write(b"]")
    f.write(b"}\n")


def dump_state(kg: "CommentGraph") -> bytes:
    import io

    buf = io.BytesIO()
    write_state_to(buf, kg)
    return buf.getvalue()


def _mention_rows(rows: list, fields: list[str]) -> list[Mention]:
    mentions = [Mention(**dict(zip(fields, row))) for row in rows]
    # Format 3 keeps no `corpus_checked` column (its files stay as they were): the extractor gave
    # such mentions the score CORPUS_CHECKED, or a source whose candidates are all checked.
    for m in mentions:
        m.corpus_checked = m.kind == "concept" and (m.score == CORPUS_CHECKED or m.attrs.get("source") in CHECKED_SOURCES)
    return mentions


def _load_mentions(doc: "_StateShape") -> tuple[list[Mention], list[Mention] | None]:
    fields = doc.mention_fields
    raw = _mention_rows(doc.raw_mentions, fields) if doc.raw_mentions is not None else None
    if doc.resolved is not None:
        resolved = []
        for i, eid in doc.resolved:
            if not isinstance(i, int) or i < 0:  # raw[-1] would silently pick the last mention
                raise IndexError(f"resolved: {i!r} is not an index of raw_mentions")
            raw[i].entity_id = eid  # the same objects, as a build leaves them
            resolved.append(raw[i])
        return resolved, raw
    return _mention_rows(doc.mentions, fields + ["entity_id"]), raw


def _subjects(rows: list) -> list[Subject]:
    return [Subject(comment_id=c, entity_id=e, weight=w) for c, e, w in rows]


def write_state(kg: "CommentGraph", path: Path) -> Path:
    return write_atomic(path, dump_state(kg))


def _decoded(data: bytes):
    """The JSON document: orjson, several times faster; the standard library for what orjson
    refuses (integers beyond 64 bits) and for the message when the file is not JSON at all."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data.decode("utf-8"))


class BuildInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: str
    format: str
    sha256: str


class _StateShape(BaseModel):
    """graph.json's top level, checked before anything is built from it: a file of another shape
    (`[]`, `"hello"`, a key missing or of the wrong type) is then one line naming the key, not an
    AttributeError from deep in the loading. Mention rows are checked as they are made."""

    model_config = ConfigDict(extra="ignore")

    config: BuildConfig
    inputs: list[BuildInput]
    page_author: str | None
    page_titles: list[str] = []
    comments: list[Comment]
    entities: list[Entity]
    feature_entities: list[Entity]
    segmentation: list[Boundary]
    subjects: list[tuple[str, str, float]]
    features: list[tuple[str, str, float]]
    mention_fields: list[str]
    mentions: list | None = None
    raw_mentions: list | None = None
    resolved: list | None = None

    @model_validator(mode="after")
    def _mentions_given(self) -> "_StateShape":
        if self.mentions is None and (self.raw_mentions is None or self.resolved is None):
            raise ValueError("needs 'mentions', or 'raw_mentions' with 'resolved'")
        return self


def _read_document(p: Path) -> dict:
    try:
        doc = _decoded(p.read_bytes())
    except FileNotFoundError:
        raise InputError("no built graph here (run 'comment-graph build' first)", path=str(p)) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a graph.json", path=str(p)) from None
    except ValueError as e:
        raise InputError(f"not a graph.json: {e}", path=str(p)) from None
    if not isinstance(doc, dict) or doc.get("format") != "comment-graph":
        raise InputError("is not a comment-graph build (no \"format\": \"comment-graph\" object)", path=str(p))
    if doc.get("version") != FORMAT_VERSION:
        raise InputError(f"not a comment-graph state file of version {FORMAT_VERSION} "
                         "(rebuild it with this version)", path=str(p))
    return doc


def load_state(path: str | Path) -> "CommentGraph":
    from ..graph import CommentGraph, InputInfo

    p = Path(path)
    p = p / STATE_FILE if p.is_dir() else p
    doc = _read_document(p)
    try:
        shape = _StateShape.model_validate(doc)
        mentions, raw = _load_mentions(shape)
        return CommentGraph(
            comments=shape.comments, entities={e.id: e for e in shape.entities},
            mentions=mentions, raw_mentions=raw, page_titles=shape.page_titles,
            subjects=_subjects(shape.subjects), segmentation=shape.segmentation,
            inputs=[InputInfo(**dict(i)) for i in shape.inputs], config=shape.config, page_author=shape.page_author,
            features=_subjects(shape.features), feature_entities={e.id: e for e in shape.feature_entities})
    except ValidationError as e:
        raise InputError(f"graph.json is damaged: {validation_problem(e)}", path=str(p)) from None
    except (TypeError, IndexError, ValueError) as e:  # a row of the wrong length, an index out of range
        raise InputError(f"graph.json is damaged: {str(e).splitlines()[0]}", path=str(p)) from None
