"""Extractors: named plugins that turn a comment into Mentions with character spans.

Built-ins register through the same registry third-party plugins use (entry
point group `comment_graph.extractors`). `run_extractors` checks the evidence
contract on every mention, `comment.text[start:end] == surface`, and names the
extractor that broke it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib.metadata import entry_points

from ..errors import ConfigError, ExtractorError
from ..models import ENTITY_KINDS, Comment, EntityKind, Mention
from .context import Context


Survey = Callable[[str, Context], Iterable[tuple[int, int, str]]]


@dataclass(frozen=True)
class Extractor:
    """A named extractor: which kinds it may produce and the function that finds them.

    `survey`, when given, is run over every comment's text before any extraction: the
    (start, end, name) of each full name in it, and of each word a cue marks as a name (its name ""
    where the word is no name wherever the page writes it). What the surveys find becomes the
    context's `corpus_full_names` (names seen in full anywhere), `cued_names` (the cued words) and
    `surveyed_full_names` (per comment)."""

    name: str
    kinds: tuple[EntityKind, ...]
    find: Callable[[Comment, Context], Iterable[Mention]]
    survey: Survey | None = None


_REGISTRY: dict[str, Extractor] = {}


def register(extractor: Extractor) -> Extractor:
    unknown = set(extractor.kinds) - set(ENTITY_KINDS)
    if unknown:
        raise ConfigError(f"extractor '{extractor.name}' declares unknown kind(s) {', '.join(sorted(unknown))}; "
                          f"kinds are {', '.join(ENTITY_KINDS)}")
    _REGISTRY[extractor.name] = extractor
    return extractor


_LOADED: list[bool] = []


def _load_builtins() -> None:
    if _LOADED:
        return
    from . import concepts, links, organizations, people, works  # noqa: F401  (they register themselves)

    for ep in entry_points(group="comment_graph.extractors"):
        if ep.name not in _REGISTRY:
            register(ep.load())
    _LOADED.append(True)


def get_extractor(name: str) -> Extractor:
    _load_builtins()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise ConfigError(f"unknown extractor '{name}'; available: {', '.join(sorted(_REGISTRY))}") from None


def available_extractors() -> list[str]:
    _load_builtins()
    return sorted(_REGISTRY)


def surveys() -> list[Survey]:
    """The survey hooks of every available extractor, by name (a corpus is surveyed whichever
    extractors a build runs: resolution reads the full names too)."""
    _load_builtins()
    return [_REGISTRY[name].survey for name in sorted(_REGISTRY) if _REGISTRY[name].survey is not None]


def run_extractors(comment: Comment, names: list[str], ctx: Context) -> list[Mention]:
    """Run the named extractors on one comment and check every mention they return."""
    out: list[Mention] = []
    for name in names:
        ex = get_extractor(name)
        for m in ex.find(comment, ctx):
            if comment.text[m.start:m.end] != m.surface:
                raise ExtractorError(
                    f"extractor '{name}' returned span {m.start}:{m.end} = "
                    f"{comment.text[m.start:m.end]!r} for surface {m.surface!r} in comment {comment.id}")
            if m.kind not in ex.kinds:
                raise ExtractorError(f"extractor '{name}' returned kind '{m.kind}'; it declares {ex.kinds}")
            if not 0.0 <= m.score <= 1.0:
                raise ExtractorError(f"extractor '{name}' returned score {m.score} for {m.surface!r}; scores are 0..1")
            m.in_quote = bool(comment.quotes) and comment.in_quote(m.start, m.end)
            out.append(m)
    return out
