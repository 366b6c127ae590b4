"""JSON Schemas of the boundary records, written into `schemas/` (`python -m comment_graph.schemas`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pydantic import TypeAdapter

from .config import BuildConfig
from .ingest.forums import HackerNewsItem, LessWrongComment
from .models import BuildSummary, Comment, Entity, InputRecord, Mention, Quote, RelatedResult, Subject

MODELS = {"input-record": InputRecord, "comment": Comment, "quote": Quote, "mention": Mention, "entity": Entity,
          "subject": Subject, "related-result": RelatedResult, "build-summary": BuildSummary,
          "build-config": BuildConfig, "lesswrong-comment": LessWrongComment, "hn-item": HackerNewsItem}


def schema_texts() -> dict[str, str]:
    return {f"{name}.schema.json": json.dumps(TypeAdapter(model).json_schema(), indent=2, sort_keys=True) + "\n"
            for name, model in MODELS.items()}


def write(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, text in schema_texts().items():
        (folder / name).write_text(text, encoding="utf-8")
        out.append(folder / name)
    return out


if __name__ == "__main__":
    for p in write(Path(sys.argv[1] if len(sys.argv) > 1 else "schemas")):
        print(p)
