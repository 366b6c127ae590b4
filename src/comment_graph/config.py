"""BuildConfig: every option of a build, validated in one place."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

InputFormat = Literal["auto", "text", "jsonl", "lesswrong", "hn", "markdown", "html"]
Segmenter = Literal["auto", "paragraph"]

DEFAULT_BASE_IRI = "https://w3id.org/comment-graph/id/"


class BuildConfig(BaseModel):
    """Options of `build()`; the CLI maps its flags onto these fields."""

    model_config = ConfigDict(extra="forbid")

    input_format: InputFormat = "auto"
    segmenter: Segmenter = "auto"
    extractors: list[str] = Field(
        default_factory=lambda: ["people", "organizations", "works", "links", "concepts"],
        description="names from the extractor registry, run in this order",
    )
    people_files: list[Path] = Field(default_factory=list, description="extra people files (JSON)")
    vocab_files: list[Path] = Field(default_factory=list, description="extra SKOS vocabularies (Turtle)")
    default_people: bool = True
    default_vocab: bool = True
    page_author: str | None = Field(default=None, description="the page's author, if the page does not say")

    @field_validator("page_author")
    @classmethod
    def _blank_is_none(cls, v: str | None) -> str | None:
        return " ".join(v.split()) or None if v is not None else None
    max_concepts_per_comment: int = Field(default=15, ge=1, le=100)
    base_iri: str = DEFAULT_BASE_IRI

    @field_validator("base_iri")
    @classmethod
    def _absolute_iri(cls, v: str) -> str:
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+", v):
            raise ValueError("base_iri must be an absolute IRI without spaces or <>\"{}|\\^` "
                             "(e.g. https://example.org/id/)")
        return v
    jobs: int = Field(default=1, ge=1, le=64, description="processes for the extraction stage")
    strict: bool = Field(default=False, description="fail on a malformed JSON line instead of skipping it")
    max_comment_chars: int = Field(default=1_000_000, ge=1, description="longest comment (or text line) accepted")
