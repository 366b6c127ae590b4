"""The RDF files: Turtle and N-Triples written from the triples' blocks (streamed, in pieces that
separate processes can write), JSON-LD through rdflib, and an rdflib Graph for SPARQL in memory."""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import IO, TYPE_CHECKING

from rdflib import Graph
from rdflib.namespace import XSD

from ...vocab import PREFIXES
from .. import write_atomic
from .terms import ENTITY_CLASS, MOTIVATION, POSITIVE, Iris, V, boolean, decimal, literal
from .triples import Block, _annotation_iri, _CommentRange, _evidence, _Links, _sections, _wording, reason

if TYPE_CHECKING:
    from ...graph import CommentGraph


def _write_ntriples_section(f: IO[bytes], section: Callable[[], Iterator[Block]], kg: "CommentGraph",
                            first: bool) -> None:
    for s, pairs in section():
        f.write("".join(f"{s} {p} {o} .\n" for p, o in pairs).encode("utf-8"))


PN_LOCAL_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


@lru_cache(maxsize=4096)
def _compact_iri(term: str) -> str:
    """`<http://xmlns.com/foaf/0.1/name>` -> `foaf:name` where a standard prefix fits."""
    iri = term[1:-1]
    for prefix, ns in PREFIXES.items():
        ns = str(ns)
        if iri.startswith(ns) and PN_LOCAL_RE.fullmatch(iri[len(ns):]):
            return f"{prefix}:{iri[len(ns):]}"
    return term


def _turtle_term(term: str) -> str:
    """A term not under the graph's base, prefixed where a standard prefix fits."""
    if term.startswith("<"):
        return _compact_iri(term)
    if term.endswith(">") and '"^^<' in term:
        return _typed_literal(term)
    return term  # a plain string: as in N-Triples


@lru_cache(maxsize=1 << 16)
def _typed_literal(term: str) -> str:
    """Cached: counts, flags and confidences repeat (a comment's text, a plain literal, is not kept)."""
    value, _, datatype = term.rpartition("^^")
    return f"{value}^^{_compact_iri(datatype)}"


def _relative_to(base: str) -> Callable[[str], str] | None:
    """How a node IRI under `base` is written relative to it (`@base`), a quarter of the file's
    bytes; None where relative references would not resolve back to the same IRI (a base with a
    query or fragment, or not ending in "/"; one with no "/" after the scheme, "urn:x:/", which
    rdflib refuses to resolve against)."""
    if not base.endswith("/") or "?" in base or "#" in base or _dot_segment(base.split("//", 1)[-1]):
        return None  # relative references resolve against the base with its dot segments removed
    if not base.partition(":")[2].startswith("/"):
        return None  # rdflib resolves no relative reference against "urn:x:/" (no "/" after the scheme)
    own = "<" + base

    def relative(term: str) -> str:
        rest = term[len(own):-1]
        if ":" in rest or "?" in rest or "#" in rest or rest.startswith("/") or _dot_segment(rest):
            return term  # a scheme-like segment, a query, a fragment, a path from the root or a dot segment
        return "<" + rest + ">"

    return relative


def _dot_segment(path: str) -> bool:
    return "." in path and any(seg in (".", "..") for seg in path.split("/"))


PAIR_SEPARATOR = " ;\n    "


def _write_turtle_section(f: IO[bytes], section: Callable[[], Iterator[Block]], kg: "CommentGraph",
                          first: bool) -> None:
    base = Iris(kg.config.base_iri).base
    relative = _relative_to(base)
    if first:
        head = (f"@base <{base}> .\n" if relative else "") + \
            "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(PREFIXES.items()))
        f.write((head + "\n").encode("utf-8"))
    form = _TurtleTerms(base, relative)
    if isinstance(section, _CommentRange):
        annotations = _TurtleAnnotations(section.links, form)
        for c, node, ms_of, weights in section.comments():
            text = "".join(map(form.block, section.comment_blocks(c, ms_of)))
            f.write((text + annotations.of(node, ms_of, weights)).encode("utf-8"))
        return
    for block in section():
        f.write(form.block(block).encode("utf-8"))


class _TurtleTerms:
    """How terms and blocks are written in Turtle: the graph's own IRIs relative to the base
    (where that resolves back to them), others with a standard prefix where one fits."""

    def __init__(self, base: str, relative: Callable[[str], str] | None) -> None:
        self.own = "<" + base  # the graph's own nodes: no prefix fits, skip the search
        self.short = relative or (lambda term: term)
        self.predicates: dict[str, str] = {V.type: "a"}

    def term(self, term: str) -> str:
        return self.short(term) if term.startswith(self.own) else _turtle_term(term)

    def predicate(self, p: str) -> str:
        return self.predicates.get(p) or self.predicates.setdefault(p, _compact_iri(p))

    def block(self, block: Block) -> str:
        s, pairs = block
        lines = [f"{self.predicate(p)} {self.term(o)}" for p, o in pairs]
        return f"{self.term(s) if s.startswith(self.own) else s} {PAIR_SEPARATOR.join(lines)} .\n\n"


class _TurtleAnnotations:
    """A comment's annotations (`_annotation_blocks`) as Turtle, formed from one template a link:
    the same text the blocks give, at a fraction of the cost (they are most of the file).
    The target and position nodes extend the annotation's IRI by a plain segment, so each is
    relative exactly when the annotation's IRI is."""

    def __init__(self, links: _Links, form: _TurtleTerms) -> None:
        self.links, self.form = links, form
        self.bodies: dict[str, str] = {}
        self.wordings: dict[str, str] = {}
        self.wording = functools.partial(_wording, links.iri)
        t, p = form.term, form.predicate
        self.kinds = {kind: t(MOTIVATION.get(kind, V.identifying)) for kind in ENTITY_CLASS}
        self.flags = {flag: t(boolean(flag)) for flag in (True, False)}
        self.head = f" {p(V.type)} {t(V.Annotation)}{PAIR_SEPARATOR}{p(V.hasBody)} "
        self.resource = f" {p(V.type)} {t(V.SpecificResource)}{PAIR_SEPARATOR}{p(V.hasSource)} "
        self.position = f" {p(V.type)} {t(V.TextPositionSelector)}{PAIR_SEPARATOR}{p(V.start)} "
        # what goes before each further object of a block: the separator and the predicate
        self.then = {name: f"{PAIR_SEPARATOR}{p(pred)} " for name, pred in (
            ("target", V.hasTarget), ("motivation", V.motivatedBy), ("extractor", V.cg["extractor"]),
            ("confidence", V.cg["confidence"]), ("in_quote", V.cg["inQuote"]), ("occurrences", V.cg["occurrences"]),
            ("weight", V.cg["weight"]), ("selector", V.hasSelector), ("end", V.end),
            ("resolved_by", V.cg["resolvedBy"]))}
        # counts and confidences repeat or follow one pattern: `term(count(n))` is '"n"^^xsd:...'
        self.index_type = '"^^' + _compact_iri("<" + str(XSD.nonNegativeInteger) + ">")
        self.count_type = '"^^' + _compact_iri("<" + POSITIVE + ">")
        self.decimals: dict[float, str] = {}
        self.extractors: dict[str, str] = {}
        self.suffixes: dict[str, str] = {}

    def _once(self, table: dict, value, make: Callable[..., str]) -> str:
        """The Turtle form of `make(value)`, formed once per value (entities, wordings, scores repeat)."""
        term = table.get(value)
        if term is None:
            term = table[value] = self.form.term(make(value))
        return term

    def _suffix(self, entity_id: str) -> str:
        """What `_annotation_iri` appends to a comment's IRI for a link to this entity."""
        suffix = self.suffixes.get(entity_id)
        if suffix is None:
            suffix = self.suffixes[entity_id] = _annotation_iri("<>", entity_id)[1:]
        return suffix

    def _reason(self, ms: list) -> str:
        """`cg:resolvedBy` and its literal where a person's name alone needed a reason, else nothing."""
        why = reason(ms)
        return f"{self.then['resolved_by']}{self.form.term(literal(why))}" if why else ""

    def of(self, node: str, ms_of: dict[str, list], weights: dict[str, float]) -> str:
        form, iri, out, then = self.form, self.links.iri, [], self.then
        source = form.term(node)
        # the annotation's IRI extends the comment's by segments without ":", "?", "#" or dot
        # segments (the entity id is percent-encoded), so it is relative exactly when the comment's is
        base = source[:-1]
        for eid, ms in ms_of.items():
            m = ms[0] if len(ms) == 1 else _evidence(ms)  # most links have one occurrence
            ann = base + self._suffix(m.entity_id)
            body = self._once(self.bodies, m.entity_id, iri.entity)
            wording = self._once(self.wordings, m.surface, self.wording)
            weight = weights.get(eid)
            stem = ann[:-1]
            score = m.score if len(ms) == 1 else max(x.score for x in ms)
            quoted = m.in_quote if len(ms) == 1 else all(x.in_quote for x in ms)
            out.append(
                f"{ann}{self.head}{body}{then['target']}{stem}/target>{then['motivation']}{self.kinds[m.kind]}"
                f"{then['extractor']}{self._once(self.extractors, m.extractor, literal)}"
                f"{then['confidence']}{self._once(self.decimals, score, decimal)}"
                f"{then['in_quote']}{self.flags[quoted]}"
                f"{then['occurrences']}\"{len(ms)}{self.count_type}"
                f"{'' if weight is None else then['weight'] + self._once(self.decimals, weight, decimal)}"
                f"{self._reason(ms)} .\n\n"
                f"{stem}/target>{self.resource}{source}{then['selector']}{stem}/position>{then['selector']}{wording} .\n\n"
                f"{stem}/position>{self.position}\"{m.start}{self.index_type}{then['end']}\"{m.end}{self.index_type} .\n\n")
        return "".join(out)


SECTION_WRITERS = {"ttl": _write_turtle_section, "nt": _write_ntriples_section}


def rdf_writers(kg: "CommentGraph", formats: Iterable[str], parts: int = 1) -> dict[str, list[Callable[[IO[bytes]], None]]]:
    """Each RDF file's writers. With `parts` > 1, a streamed file (Turtle, N-Triples) has one a
    section (see `sections`): run in separate processes into separate files and joined in order,
    they give the same bytes as one writer. JSON-LD, not streamed, has one writer."""
    formats = list(formats)
    if parts == 1 or not set(formats) & set(SECTION_WRITERS):  # each file's links gathered when it is written
        return {fmt: [functools.partial(WRITERS[fmt], kg=kg)] for fmt in formats}
    links = _Links(kg)  # shared by every format's pieces
    return {fmt: _piece_writers(links, fmt, parts) if fmt in SECTION_WRITERS else
            [functools.partial(WRITERS[fmt], kg=kg)] for fmt in formats}


def _piece_writers(links: _Links, fmt: str, parts: int) -> list[Callable[[IO[bytes]], None]]:
    return [functools.partial(SECTION_WRITERS[fmt], section=section, kg=links.kg, first=i == 0)
            for i, section in enumerate(_sections(links, parts))]


def write_ntriples_to(f: IO[bytes], kg: "CommentGraph") -> None:
    for write in _piece_writers(_Links(kg), "nt", 1):
        write(f)


def write_turtle_to(f: IO[bytes], kg: "CommentGraph") -> None:
    for write in _piece_writers(_Links(kg), "ttl", 1):
        write(f)


def write_jsonld_to(f: IO[bytes], kg: "CommentGraph") -> None:
    from .jsonld import serialize_jsonld

    f.write(serialize_jsonld(to_rdf(kg)))


RDF_FORMATS = {"ttl": "graph.ttl", "nt": "graph.nt", "jsonld": "graph.jsonld"}
WRITERS: dict[str, Callable[[IO[bytes], "CommentGraph"], None]] = {
    "ttl": write_turtle_to, "nt": write_ntriples_to, "jsonld": write_jsonld_to}


def render(kg: "CommentGraph", fmt: str) -> bytes:
    """The export in one of RDF_FORMATS, in memory (small graphs; files are streamed)."""
    buf = io.BytesIO()
    WRITERS[fmt](buf, kg)
    return buf.getvalue()


def to_rdf(kg: "CommentGraph") -> Graph:
    """The graph as an rdflib Graph (for SPARQL in memory and rdflib users)."""
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    g.parse(data=render(kg, "nt").decode("utf-8"), format="nt")
    return g


def write_turtle(kg: "CommentGraph", path: Path) -> Path:
    return write_atomic(path, render(kg, "ttl"))


def write_ntriples(kg: "CommentGraph", path: Path) -> Path:
    return write_atomic(path, render(kg, "nt"))
