"""The RDF export: SIOC posts, FOAF people and organizations, SKOS concepts, DCTERMS works,
and one W3C Web Annotation per (comment, entity) link holding its character span as evidence.

Triples are written as text and streamed: each comment's blocks (the comment, its quotes,
its annotations) are formed and written before the next comment's, so memory does not
grow with the graph and no global sort is needed. The nodes comments share (accounts,
posts, wordings) follow them, merged, with the entities: so ranges of comments can be
written by separate processes and the pieces concatenated. The order is fixed by the input
(comments in input order, entities by id), so the same input gives the same bytes. No
blank nodes: every node has an IRI derived from input ids or content.

Terms are kept in N-Triples syntax (`<iri>`, `"literal"^^<datatype>`); Turtle is the
same blocks with the standard prefixes and `;` between a subject's predicates.

The package's parts: `terms.py` (terms and minted IRIs), `triples.py` (which triples, in which
order and sections), `writers.py` (Turtle, N-Triples, JSON-LD, an rdflib Graph).
"""

from __future__ import annotations

from .terms import V, iri_term, literal
from .triples import RUNTIME_OPTIONS, Block, blocks, sections
from .writers import RDF_FORMATS, WRITERS, rdf_writers, render, to_rdf, write_ntriples, write_turtle

__all__ = ["RDF_FORMATS", "RUNTIME_OPTIONS", "WRITERS", "Block", "V", "blocks", "iri_term", "literal", "rdf_writers",
           "render", "sections", "to_rdf", "write_ntriples", "write_turtle"]
