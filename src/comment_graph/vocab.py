"""Namespaces. `CG` is a closed vocabulary: a misspelt term fails at once (rdflib DefinedNamespace)."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

SIOC = Namespace("http://rdfs.org/sioc/ns#")
SCHEMA = Namespace("https://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")


class CG(DefinedNamespace):
    """Terms comment-graph adds; described in schemas/cg.ttl."""

    _NS = Namespace("https://w3id.org/comment-graph/ns#")
    _fail = True

    Quote: URIRef
    Work: URIRef
    Build: URIRef
    Cooccurrence: URIRef
    Comention: URIRef
    quotes: URIRef
    quotedFrom: URIRef
    text: URIRef
    start: URIRef
    end: URIRef
    inQuote: URIRef
    extractor: URIRef
    confidence: URIRef
    resolvedBy: URIRef
    occurrences: URIRef
    weight: URIRef
    index: URIRef
    unresolved: URIRef
    pageAuthor: URIRef
    concept: URIRef
    count: URIRef
    rank: URIRef
    toolVersion: URIRef
    sha256: URIRef
    option: URIRef
    commentCount: URIRef
    ownCount: URIRef
    quotedCount: URIRef
    topAnnotation: URIRef
    named: URIRef
    companion: URIRef


PREFIXES = {
    "sioc": SIOC, "foaf": FOAF, "skos": SKOS, "dcterms": DCTERMS, "schema": SCHEMA, "oa": OA,
    "cg": CG._NS, "prov": PROV, "owl": OWL, "rdfs": RDFS, "xsd": XSD, "rdf": RDF,
}
