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
FORMAT_VERSION = 1


def dump_state(kg: "CommentGraph") -> bytes:
    doc = {
        "format": "comment-graph", "version": FORMAT_VERSION,
        "config": kg.config.model_dump(mode="json", exclude={"jobs"}),
        "inputs": [vars(i) for i in kg.inputs],
        "page_author": kg.page_author,
        "comments": [c.model_dump(mode="json") for c in kg.comments],
        "entities": [e.model_dump(mode="json") for e in kg.entities.values()],
        "mentions": [m.model_dump(mode="json") for m in kg.mentions],
        "subjects": [s.model_dump(mode="json") for s in kg.subjects],
        "features": [s.model_dump(mode="json") for s in kg.features],
        "feature_entities": [e.model_dump(mode="json") for e in kg.feature_entities.values()],
        "segmentation": [b.model_dump(mode="json") for b in kg.segmentation],
    }
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


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
        return CommentGraph(
            comments=TypeAdapter(list[Comment]).validate_python(doc["comments"]),
            entities={e.id: e for e in entities},
            mentions=TypeAdapter(list[Mention]).validate_python(doc["mentions"]),
            subjects=TypeAdapter(list[Subject]).validate_python(doc["subjects"]),
            segmentation=TypeAdapter(list[Boundary]).validate_python(doc["segmentation"]),
            inputs=[InputInfo(**i) for i in doc["inputs"]],
            config=BuildConfig.model_validate(doc["config"]),
            page_author=doc["page_author"],
            features=TypeAdapter(list[Subject]).validate_python(doc["features"]),
            feature_entities={e.id: e for e in hidden})
    except (ValidationError, KeyError, TypeError) as e:
        raise InputError(f"graph.json is damaged: {str(e).splitlines()[0]}", path=str(p)) from None
