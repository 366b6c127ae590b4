"""The RDF export: SIOC posts, FOAF people and organizations, SKOS concepts, DCTERMS works,
and one W3C Web Annotation per mention holding its character span as evidence.

No blank nodes: every node has an IRI derived from input ids or content, so the
same input serialises to the same bytes.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, SKOS, XSD

from ..text import digest
from ..vocab import CG, OA, PREFIXES, SCHEMA, SIOC
from . import write_atomic

if TYPE_CHECKING:
    from ..graph import CommentGraph
    from ..models import Comment, Entity, Mention

ENTITY_CLASS = {"person": FOAF.Person, "organization": FOAF.Organization, "concept": SKOS.Concept, "work": CG.Work}
LINK = {"person": SCHEMA.mentions, "organization": SCHEMA.mentions, "concept": DCTERMS.subject,
        "work": DCTERMS.references}
MOTIVATION = {"concept": OA.classifying, "work": OA.linking}


class Iris:
    def __init__(self, base: str) -> None:
        self.base = base if base.endswith(("/", "#")) else base + "/"

    def __call__(self, *parts: str) -> URIRef:
        return URIRef(self.base + "/".join(_quoted(p) for p in parts))


@lru_cache(maxsize=1 << 18)
def _quoted(part: str) -> str:
    """IRI path segments repeat (ids, 'annotation', 'target'): quote each once."""
    return quote(part, safe="-._~")


def _comment(g: Graph, iri: Iris, c: "Comment") -> URIRef:
    node = iri("comment", c.id)
    g.add((node, RDF.type, SIOC.Post))
    g.add((node, SIOC.content, Literal(c.text)))
    g.add((node, DCTERMS.identifier, Literal(c.id)))
    g.add((node, CG.index, Literal(c.index, datatype=XSD.nonNegativeInteger)))
    if c.created_at:
        g.add((node, DCTERMS.created, Literal(c.created_at.isoformat(), datatype=XSD.dateTime)))
    if c.url:
        g.add((node, SCHEMA.url, Literal(c.url, datatype=XSD.anyURI)))
    if c.parent_id:
        g.add((node, SIOC.reply_of, iri("comment", c.parent_id)))
    if c.author:
        account = iri("account", c.author)
        g.add((node, SIOC.has_creator, account))
        g.add((account, RDF.type, SIOC.UserAccount))
        g.add((account, SIOC.name, Literal(c.author)))
    if c.post_title or c.post_url:
        post = iri("post", c.post_url or c.post_title)
        g.add((node, SIOC.has_container, post))
        g.add((post, RDF.type, SIOC.Container))
        if c.post_title:
            g.add((post, DCTERMS.title, Literal(c.post_title)))
        if c.post_url:
            g.add((post, SCHEMA.url, Literal(c.post_url, datatype=XSD.anyURI)))
    for n, q in enumerate(c.quotes, start=1):
        qn = iri("comment", c.id, "quote", str(n))
        g.add((node, CG.quotes, qn))
        g.add((qn, RDF.type, CG.Quote))
        g.add((qn, CG.text, Literal(q.text)))
        g.add((qn, CG.start, Literal(q.start, datatype=XSD.nonNegativeInteger)))
        g.add((qn, CG.end, Literal(q.end, datatype=XSD.nonNegativeInteger)))
    return node


def _entity(g: Graph, iri: Iris, e: "Entity") -> None:
    node = iri(*e.id.split("/"))
    g.add((node, RDF.type, ENTITY_CLASS[e.kind]))
    label_prop = {"person": FOAF.name, "organization": FOAF.name, "concept": SKOS.prefLabel,
                  "work": DCTERMS.title}[e.kind]
    g.add((node, label_prop, Literal(e.label)))
    for a in e.aliases:
        g.add((node, SKOS.altLabel, Literal(a)))
    for s in e.same_as:
        g.add((node, OWL.sameAs, URIRef(s)))
    if e.unresolved:
        g.add((node, CG.unresolved, Literal(True)))
    if e.is_page_author:
        g.add((node, CG.pageAuthor, Literal(True)))
    if e.creator:
        g.add((node, DCTERMS.creator, iri(*e.creator.split("/"))))
    if e.url:
        g.add((node, SCHEMA.url, Literal(e.url, datatype=XSD.anyURI)))
    for b in e.broader:
        g.add((node, SKOS.broader, iri(*b.split("/"))))
    for a in e.accounts:  # the person behind a comment author's account
        g.add((node, FOAF.account, iri("account", a)))
        g.add((iri("account", a), SIOC.account_of, node))


def _decimal(x: float) -> Literal:
    """An xsd:decimal literal with three places (a float would be ill-typed as decimal)."""
    from decimal import Decimal

    return Literal(Decimal(str(round(x, 3))), datatype=XSD.decimal)


def _annotation(g: Graph, iri: Iris, ms: list["Mention"], comment: URIRef, weight: float | None) -> None:
    """One annotation per link (comment, entity): its evidence is the first own-words occurrence
    (a quoted one only when the comment never uses the words itself); the count says how many more.

    One node per link rather than per occurrence keeps SPARQL joins over the evidence small:
    engines without a join planner (rdflib) multiply annotations by selectors.
    """
    m = min(ms, key=lambda x: (x.in_quote, x.start))
    ann = iri("comment", m.comment_id, "annotation", m.entity_id.replace("/", "-"))
    target, pos = iri("comment", m.comment_id, "annotation", m.entity_id.replace("/", "-"), "target"), \
        iri("comment", m.comment_id, "annotation", m.entity_id.replace("/", "-"), "position")
    text = iri("selector", "exact", digest(m.surface, 16))  # shared: one node per distinct wording
    body = iri(*m.entity_id.split("/"))
    g.add((comment, LINK[m.kind], body))
    for t in ((ann, RDF.type, OA.Annotation), (ann, OA.hasBody, body), (ann, OA.hasTarget, target),
              (ann, OA.motivatedBy, MOTIVATION.get(m.kind, OA.identifying)),
              (ann, CG.extractor, Literal(m.extractor)),
              (ann, CG.confidence, _decimal(max(x.score for x in ms))),
              (ann, CG.inQuote, Literal(all(x.in_quote for x in ms))),
              (ann, CG.occurrences, Literal(len(ms), datatype=XSD.positiveInteger)),
              (target, RDF.type, OA.SpecificResource), (target, OA.hasSource, comment),
              (target, OA.hasSelector, pos), (target, OA.hasSelector, text),
              (pos, RDF.type, OA.TextPositionSelector),
              (pos, OA.start, Literal(m.start, datatype=XSD.nonNegativeInteger)),
              (pos, OA.end, Literal(m.end, datatype=XSD.nonNegativeInteger)),
              (text, RDF.type, OA.TextQuoteSelector), (text, OA.exact, Literal(m.surface))):
        g.add(t)
    if weight is not None:
        g.add((ann, CG.weight, _decimal(weight)))


# options that change how a build runs, not what it finds; file paths stay out of the graph too
RUNTIME_OPTIONS = {"jobs", "people_files", "vocab_files"}


def _provenance(g: Graph, iri: Iris, kg: "CommentGraph") -> None:
    from .. import __version__

    options = kg.config.model_dump_json(exclude=RUNTIME_OPTIONS)
    run = iri("build", digest("|".join(i.sha256 for i in kg.inputs) + options, 16))
    g.add((run, RDF.type, PROV.Activity))
    g.add((run, RDF.type, CG.Build))
    g.add((run, CG.toolVersion, Literal(f"comment-graph {__version__}")))
    g.add((run, CG.option, Literal(options)))
    for info in kg.inputs:
        used = URIRef(f"urn:sha256:{info.sha256}")
        g.add((run, PROV.used, used))
        g.add((used, CG.sha256, Literal(info.sha256)))
        g.add((used, DCTERMS.title, Literal(Path(info.path).name)))
        g.add((used, DCTERMS.format, Literal(info.format)))


class TripleSink:
    """Collects triples without an rdflib store (adding to rdflib's memory store is the slow part)."""

    def __init__(self) -> None:
        self.triples: dict[tuple, None] = {}

    def add(self, triple: tuple) -> None:
        self.triples[triple] = None

    def __iter__(self):
        return iter(self.triples)


def to_rdf(kg: "CommentGraph") -> Graph:
    """The graph as an rdflib Graph (for SPARQL in memory and rdflib users)."""
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    g.addN((s, p, o, g) for s, p, o in triples(kg))
    return g


def triples(kg: "CommentGraph") -> TripleSink:
    """Every triple of the export, in no particular order (serialisers sort)."""
    g = TripleSink()
    iri = Iris(kg.config.base_iri)
    nodes = {c.id: _comment(g, iri, c) for c in kg.comments}
    for e in kg.entities.values():
        _entity(g, iri, e)
    weights = {(s.comment_id, s.entity_id): s.weight for s in kg.subjects}
    links: dict[tuple[str, str], list] = {}
    for m in kg.mentions:
        links.setdefault((m.comment_id, m.entity_id), []).append(m)
    for (cid, eid), ms in links.items():
        _annotation(g, iri, ms, nodes[cid], weights.get((cid, eid)))
    _cooccurrence(g, iri, kg)
    _provenance(g, iri, kg)
    return g


def _cooccurrence(g: Graph, iri: Iris, kg: "CommentGraph") -> None:
    from ..export.nx import concept_cooccurrence

    for (a, b), n in concept_cooccurrence(kg).items():
        node = iri("cooccurrence", f"{a.split('/', 1)[1]}--{b.split('/', 1)[1]}")
        g.add((node, RDF.type, CG.Cooccurrence))
        g.add((node, CG.concept, iri(*a.split("/"))))
        g.add((node, CG.concept, iri(*b.split("/"))))
        g.add((node, CG.count, Literal(n, datatype=XSD.nonNegativeInteger)))


def _ox_term(term):
    import pyoxigraph as ox

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))


def serialize(graph, fmt: str = "turtle") -> bytes:
    """Turtle or N-Triples through Oxigraph (dozens of times faster than rdflib's serialiser),
    triples sorted so the same graph always gives the same bytes."""
    import pyoxigraph as ox

    cache: dict = {}

    def term(t):
        if t not in cache:
            cache[t] = _ox_term(t)
        return cache[t]

    rows = sorted(graph, key=lambda t: (str(t[0]), t[1] != RDF.type, str(t[1]), isinstance(t[2], Literal),
                                        str(t[2]), str(getattr(t[2], "datatype", "") or "")))
    triples = [ox.Triple(term(s), term(p), term(o)) for s, p, o in rows]
    formats = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES}
    prefixes = {p: str(ns) for p, ns in PREFIXES.items()} if fmt == "turtle" else None
    return ox.serialize(triples, format=formats[fmt], prefixes=prefixes)


RDF_FORMATS = {"ttl": "graph.ttl", "nt": "graph.nt", "jsonld": "graph.jsonld"}


def render(triples_: "TripleSink", fmt: str) -> bytes:
    """The export in one of RDF_FORMATS: Turtle, N-Triples or JSON-LD."""
    if fmt == "jsonld":
        from .jsonld import serialize_jsonld

        return serialize_jsonld(triples_)
    return serialize(triples_, {"ttl": "turtle", "nt": "nt"}[fmt])


def write_turtle(kg: "CommentGraph", path: Path) -> Path:
    return write_atomic(path, serialize(triples(kg), "turtle"))


def write_ntriples(kg: "CommentGraph", path: Path) -> Path:
    return write_atomic(path, serialize(triples(kg), "nt"))
