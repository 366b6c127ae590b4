"""graph.json: the built graph's records, so `related`, `about`, `near` and `load()` need no rebuild.

Plain JSON of the pydantic records (comments, entities, mentions, subjects, ...), sorted and
written atomically; loading validates every record again."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import TypeAdapter, ValidationError

from ..errors import InputError
from ..models import Boundary, Comment, Entity, Mention, Subject
from . import write_atomic

if TYPE_CHECKING:
    from ..graph import CommentGraph

STATE_FILE = "graph.json"
FORMAT_VERSION = 2


def dump_state(kg: "CommentGraph") -> bytes:
    doc = {
        "format": "comment-graph", "version": FORMAT_VERSION,
        "config": kg.config.model_dump(mode="json", exclude={"jobs"}),
        "inputs": [vars(i) for i in kg.inputs],
        "page_author": kg.page_author,
        "comments": [c.model_dump(mode="json") for c in kg.comments],
        "entities": [e.model_dump(mode="json") for e in kg.entities.values()],
        **_mentions(kg),
        "page_titles": kg.page_titles,
        "subjects": [s.model_dump(mode="json") for s in kg.subjects],
        "features": [s.model_dump(mode="json") for s in kg.features],
        "feature_entities": [e.model_dump(mode="json") for e in kg.feature_entities.values()],
        "segmentation": [b.model_dump(mode="json") for b in kg.segmentation],
    }
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def _mentions(kg: "CommentGraph") -> dict:
    """The resolved mentions; with the raw ones (what `--append` re-resolves), resolved mentions are
    stored as [raw index, entity id] pairs, since every resolved mention is a raw one."""
    if kg.raw_mentions is None:
        return {"mentions": [m.model_dump(mode="json") for m in kg.mentions]}
    index = {id(m): i for i, m in enumerate(kg.raw_mentions)}
    if not all(id(m) in index for m in kg.mentions):
        return {"mentions": [m.model_dump(mode="json") for m in kg.mentions], "raw_mentions": _raw(kg)}
    return {"raw_mentions": _raw(kg), "resolved": [[index[id(m)], m.entity_id] for m in kg.mentions]}


def _raw(kg: "CommentGraph") -> list[dict]:
    return [m.model_dump(mode="json", exclude={"entity_id"}) for m in kg.raw_mentions]


def _load_mentions(doc: dict) -> tuple[list[Mention], list[Mention] | None]:
    raw = TypeAdapter(list[Mention]).validate_python(doc["raw_mentions"]) if "raw_mentions" in doc else None
    if "resolved" in doc:
        return [raw[i].model_copy(update={"entity_id": eid}) for i, eid in doc["resolved"]], raw
    return TypeAdapter(list[Mention]).validate_python(doc["mentions"]), raw


def write_state(kg: "CommentGraph", path: Path) -> Path:
    return write_atomic(path, dump_state(kg))


def load_state(path: str | Path) -> "CommentGraph":
    from ..config import BuildConfig
    from ..graph import CommentGraph, InputInfo

    p = Path(path)
    p = p / STATE_FILE if p.is_dir() else p
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("no built graph here (run 'comment-graph build' first)", path=str(p)) from None
    except ValueError as e:
        raise InputError(f"not a graph.json: {e}", path=str(p)) from None
    if doc.get("format") != "comment-graph" or doc.get("version") != FORMAT_VERSION:
        raise InputError(f"not a comment-graph state file of version {FORMAT_VERSION}", path=str(p))
    try:
        entities = TypeAdapter(list[Entity]).validate_python(doc["entities"])
        hidden = TypeAdapter(list[Entity]).validate_python(doc["feature_entities"])
        mentions, raw = _load_mentions(doc)
        return CommentGraph(
            comments=TypeAdapter(list[Comment]).validate_python(doc["comments"]),
            entities={e.id: e for e in entities},
            mentions=mentions, raw_mentions=raw, page_titles=list(doc.get("page_titles", [])),
            subjects=TypeAdapter(list[Subject]).validate_python(doc["subjects"]),
            segmentation=TypeAdapter(list[Boundary]).validate_python(doc["segmentation"]),
            inputs=[InputInfo(**i) for i in doc["inputs"]],
            config=BuildConfig.model_validate(doc["config"]),
            page_author=doc["page_author"],
            features=TypeAdapter(list[Subject]).validate_python(doc["features"]),
            feature_entities={e.id: e for e in hidden})
    except (ValidationError, KeyError, TypeError, IndexError) as e:
        raise InputError(f"graph.json is damaged: {str(e).splitlines()[0]}", path=str(p)) from None
