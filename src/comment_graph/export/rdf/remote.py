"""The RDF files' ranges of comments written by an engine's workers (`--engine dask`).

A range is sent what it reads, not the graph: its comments, their mentions as rows grouped by
entity, the weights of their links and the base IRI. It gives back its bytes in each streamed
format asked for (Turtle, N-Triples), which the client appends in order to each file's first
piece while its own processes write what the comments share, the entities and the rankings:
the same sections, in the same order, as the local writers, so the same bytes."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from ...models import Mention
from .. import Arriving
from .terms import Iris
from .triples import _CommentRange, _Links, _sections

if TYPE_CHECKING:
    from ...compute import Engine
    from ...models import Comment


class _RangeLinks:
    """What a range's writers read of `_Links` and of the graph, for the range's comments only."""

    def __init__(self, base_iri: str, comments: list["Comment"], by_comment: dict[str, dict[str, list]],
                 weights: dict[tuple[str, str], float]) -> None:
        self.iri = Iris(base_iri)
        self.kg = SimpleNamespace(comments=comments, config=SimpleNamespace(base_iri=base_iri))
        self.by_comment, self.weights = by_comment, weights

    def links_of(self, comment_id: str) -> dict[str, list]:
        return self.by_comment.get(comment_id, {})

    def weights_of(self, comment_id: str) -> dict[str, float]:
        return {eid: self.weights[comment_id, eid] for eid in self.links_of(comment_id) if (comment_id, eid) in self.weights}


def _range_section(part: Sequence["Comment"], own: tuple, base_iri: str) -> tuple[_CommentRange, _RangeLinks]:
    groups, weights = own
    by_comment = {c.id: {eid: [Mention.from_row(r) for r in rows] for eid, rows in links}
                  for c, links in zip(part, groups) if links}
    links = _RangeLinks(base_iri, list(part), by_comment, weights)
    return _CommentRange(links, 0, len(part)), links  # type: ignore[arg-type]  (duck-typed _Links)


def _range_part(part: Sequence["Comment"], start: int, own: tuple, *, shared: tuple) -> tuple[bytes, ...]:
    """On a worker: the range's bytes in each format (the first range opens with the Turtle head)."""
    from .writers import SECTION_WRITERS

    base_iri, formats = shared
    section, links = _range_section(part, own, base_iri)
    out = []
    for fmt in formats:
        buf = io.BytesIO()
        SECTION_WRITERS[fmt](buf, section, kg=links.kg, first=start == 0)
        out.append(buf.getvalue())
    return tuple(out)


def _range_files(part: Sequence["Comment"], start: int, own: tuple, *, shared: tuple) -> tuple[Path, ...]:
    """On a helper that shares the build's disk: the range written to a temporary beside each
    output (named so a killed build's leftovers are swept), whose path goes back instead of the
    bytes: the build joins it in the kernel, where bytes sent back held a few ranges of the
    file in its memory and cost its writers the time to receive them."""
    from .writers import SECTION_WRITERS

    base_iri, formats, targets = shared
    section, links = _range_section(part, own, base_iri)
    out = []
    for fmt, target in zip(formats, targets):
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        out.append(Path(tmp))
        with os.fdopen(fd, "wb") as f:
            SECTION_WRITERS[fmt](f, section, kg=links.kg, first=start == 0)
    return tuple(out)


def _own(links: _Links, start: int, end: int) -> tuple[list, dict]:
    """A range's comments' mentions (rows, by entity, in the graph's order) and link weights."""
    groups, weights = [], {}
    for c in links.kg.comments[start:end]:
        ms_of, weight = links.links_of(c.id), links.weights_of(c.id)
        groups.append([(eid, [m.as_row() for m in ms]) for eid, ms in ms_of.items()])
        for eid in ms_of:
            w = weight.get(eid)
            if w is not None:
                weights[c.id, eid] = w
    return groups, weights


class _Own(Sequence):
    """Each range's own data, packed when the engine sends that range (it sends a few ahead)."""

    def __init__(self, links: _Links, bounds: list[tuple[int, int]]) -> None:
        self.links, self.bounds = links, bounds

    def __len__(self) -> int:
        return len(self.bounds)

    def __getitem__(self, k):  # type: ignore[override]  (no slices)
        return _own(self.links, *self.bounds[k])


def _ranges(links: _Links, formats: tuple[str, ...], engine: "Engine",
            targets: tuple[Path, ...] | None) -> Iterator[tuple[bytes | Path, ...]]:
    """Each range's bytes (or, from helpers on this machine, `targets` given, the temporaries they
    wrote them to), in order, as the workers finish them. Runs on the client's receiving thread
    (see write_all_atomic), so the packing overlaps the client's own writers."""
    comments = links.kg.comments
    bounds = links.ranges(len(engine.partitions(len(comments))))  # as many as the extraction had, even in links
    own = _Own(links, bounds)
    base = links.kg.config.base_iri
    results = engine.map(_range_part, comments, bounds, (base, formats), own) if targets is None else \
        engine.map(_range_files, comments, bounds, (base, formats, targets), own)
    try:
        for _, chunk in results:
            yield chunk
    finally:
        results.close()  # a stop gives up the ranges not yet received (the engine cancels them)


def remote_writers(kg: Any, formats: Sequence[str], engine: "Engine", folder: Path | None = None) -> dict[str, list]:
    """Each streamed RDF file's pieces (`formats`: Turtle, N-Triples): its ranges of comments arriving
    from the engine's workers (one piece, first), then the sections the client writes. Workers
    that share this machine's disk (`engine.shares_disk`) write their ranges into `folder`."""
    from .writers import RDF_FORMATS, _piece_writers

    streamed = tuple(formats)
    if not streamed:
        return {}
    links = _Links(kg)
    targets = tuple(folder / RDF_FORMATS[fmt] for fmt in streamed) \
        if folder is not None and getattr(engine, "shares_disk", False) else None
    arriving = Arriving(_ranges(links, streamed, engine, targets), len(streamed))
    rest = len(_sections(links, 1)) - 1  # the sections after the one range of comments
    return {fmt: [arriving.piece(k), *_piece_writers(links, fmt, 1)[-rest:]] for k, fmt in enumerate(streamed)}
