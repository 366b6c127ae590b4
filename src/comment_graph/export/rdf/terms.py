"""RDF terms as N-Triples text: IRIs, typed literals, the vocabulary's terms (`V`), and the IRIs
the graph mints for comments, entities and annotations."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote

from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, SKOS, XSD

from ...text import digest
from ...vocab import CG, OA, SCHEMA, SIOC


IRI_UNSAFE_RE = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def iri_term(iri: str) -> str:
    """An IRI in N-Triples / Turtle syntax; characters IRIs may not hold become \\u escapes."""
    return "<" + IRI_UNSAFE_RE.sub(lambda m: "\\u%04X" % ord(m.group()), str(iri)) + ">"


def literal(value: str, datatype: str | None = None) -> str:
    """A literal term; a plain string carries no datatype (it is an xsd:string)."""
    value = str(value)
    if "\\" in value or '"' in value or "\n" in value or "\r" in value:
        # four passes in C: str.translate looks up every character of a comment's text in a dict
        value = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    text = '"' + value + '"'
    return text if datatype is None else f"{text}^^<{datatype}>"


def count(n: int, datatype: str = XSD.nonNegativeInteger) -> str:
    return f'"{int(n)}"^^<{datatype}>'  # digits need no escaping


_BOOLEANS = {flag: literal("true" if flag else "false", XSD.boolean) for flag in (True, False)}


def boolean(flag: bool) -> str:
    return _BOOLEANS[bool(flag)]


@lru_cache(maxsize=4096)
def decimal(x: float) -> str:
    """An xsd:decimal with three places (a float would be ill-typed as decimal)."""
    from decimal import Decimal

    return literal(str(Decimal(str(round(x, 3)))), XSD.decimal)


class V:
    """The vocabulary terms the export uses, as term strings."""

    type = iri_term(RDF.type)
    Post, content, has_creator, UserAccount, name = (iri_term(SIOC[t]) for t in
                                                     ("Post", "content", "has_creator", "UserAccount", "name"))
    reply_of, has_container, Container, account_of = (iri_term(SIOC[t]) for t in
                                                      ("reply_of", "has_container", "Container", "account_of"))
    identifier, created, title, creator, subject, references, source, fmt = (
        iri_term(DCTERMS[t]) for t in ("identifier", "created", "title", "creator", "subject", "references",
                                       "source", "format"))
    url, mentions = iri_term(SCHEMA.url), iri_term(SCHEMA.mentions)
    fname, account, Person, Organization = (iri_term(FOAF[t]) for t in ("name", "account", "Person", "Organization"))
    prefLabel, altLabel, broader, Concept = (iri_term(SKOS[t]) for t in ("prefLabel", "altLabel", "broader", "Concept"))
    sameAs = iri_term(OWL.sameAs)
    Annotation, hasBody, hasTarget, motivatedBy, SpecificResource, hasSource, hasSelector = (
        iri_term(OA[t]) for t in ("Annotation", "hasBody", "hasTarget", "motivatedBy", "SpecificResource",
                                  "hasSource", "hasSelector"))
    TextPositionSelector, TextQuoteSelector, start, end, exact = (
        iri_term(OA[t]) for t in ("TextPositionSelector", "TextQuoteSelector", "start", "end", "exact"))
    classifying, linking, identifying = (iri_term(OA[t]) for t in ("classifying", "linking", "identifying"))
    Activity, used = iri_term(PROV.Activity), iri_term(PROV.used)
    cg = {t: iri_term(CG[t]) for t in ("Quote", "Work", "Build", "Cooccurrence", "quotes", "text", "start", "end",
                                       "inQuote", "extractor", "confidence", "occurrences", "weight", "index",
                                       "unresolved", "pageAuthor", "toolVersion", "option", "sha256", "concept",
                                       "count", "rank", "commentCount", "ownCount", "quotedCount", "topAnnotation",
                                       "Comention", "named", "companion", "quotedFrom", "resolvedBy")}


ENTITY_CLASS = {"person": V.Person, "organization": V.Organization, "concept": V.Concept, "work": V.cg["Work"]}
LABEL = {"person": V.fname, "organization": V.fname, "concept": V.prefLabel, "work": V.title}
LINK = {"person": V.mentions, "organization": V.mentions, "concept": V.subject, "work": V.references}
MOTIVATION = {"concept": V.classifying, "work": V.linking}
POSITIVE = str(XSD.positiveInteger)


class Iris:
    """Node IRIs under the build's base: path segments percent-encoded."""

    def __init__(self, base: str) -> None:
        self.base = base if base.endswith(("/", "#")) else base + "/"

    def __call__(self, *parts: str) -> str:
        return "<" + self.base + "/".join(map(_quoted, parts)) + ">"

    def entity(self, entity_id: str) -> str:
        return _entity_iri(self.base, entity_id)


@lru_cache(maxsize=1 << 16)
def _entity_iri(base: str, entity_id: str) -> str:
    """Entities are named again by every link to them: each IRI is formed once."""
    return "<" + base + "/".join(map(_quoted, entity_id.split("/"))) + ">"


@lru_cache(maxsize=1 << 16)
def _selector_name(surface: str) -> str:
    return digest(surface, 16)  # wordings repeat across comments ("reward", "RLHF")


@lru_cache(maxsize=1 << 18)
def _quoted(part: str) -> str:
    """IRI path segments repeat (ids, 'annotation', 'target'): quote each once."""
    return quote(part, safe="-._~")
