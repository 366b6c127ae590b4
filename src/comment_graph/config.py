"""BuildConfig: every option of a build, validated in one place."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

InputFormat = Literal["auto", "text", "jsonl", "lesswrong", "hn", "markdown", "html"]
Segmenter = Literal["auto", "paragraph"]
Engine = Literal["local", "dask"]

# Options that choose how a build runs, never what it makes: left out of every output, so the same
# inputs give the same bytes whichever engine, process count or cluster built them.
EXECUTION_OPTIONS = frozenset({"jobs", "engine", "scheduler"})

DEFAULT_BASE_IRI = "https://w3id.org/comment-graph/id/"


def iri_problem(iri: str) -> str | None:
    """What makes `iri` no absolute IRI (None when it is one): Oxigraph's own check, so every IRI
    that passes loads into the store and parses back from Turtle, N-Triples and JSON-LD."""
    from pyoxigraph import NamedNode

    try:
        NamedNode(iri)
    except ValueError as e:
        return str(e)
    return None


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
        # The graph's IRIs are the base plus "/"-joined, percent-encoded segments, so they are valid
        # exactly when the base is; ending it in "/" here (as the IRIs are minted) records the base
        # the graph really uses. "urn:x:" was accepted and gave Turtle rdflib could not read.
        base = v if v.endswith(("/", "#")) else v + "/"
        if problem := iri_problem(base):
            raise ValueError(f"base_iri must be an absolute IRI (e.g. https://example.org/id/): {v!r}: {problem}")
        return base
    jobs: int = Field(default=1, ge=1, le=64, description="processes for the extraction stage")
    engine: Engine = Field(default="local", description="where the per-comment stages run: this machine's "
                           "processes, or a Dask cluster (the dask extra)")
    scheduler: str | None = Field(default=None, description="the Dask scheduler's address (engine dask); "
                                  "none starts a local cluster")

    @field_validator("scheduler")
    @classmethod
    def _scheduler_needs_dask(cls, v: str | None, info) -> str | None:
        if v is not None and info.data.get("engine") != "dask":
            raise ValueError("a scheduler is only used by the dask engine (engine='dask')")
        return v or None
    strict: bool = Field(default=False, description="fail on a malformed JSON line instead of skipping it")
    allow_empty: bool = Field(default=False, description="build an empty graph when the inputs hold no comments, "
                              "instead of failing")
    max_comment_chars: int = Field(default=1_000_000, ge=1, description="longest comment (or text line) accepted")
