"""SHACL shapes (schemas/shapes.ttl) hold on real builds, and catch a broken graph."""

from __future__ import annotations

from pathlib import Path

import pyshacl
import rdflib
from rdflib.namespace import FOAF, RDF

import comment_graph
from comment_graph.vocab import CG
from conftest import make_corpus

SCHEMAS = Path(__file__).parent.parent / "schemas"


def conforms(g: rdflib.Graph) -> tuple[bool, str]:
    shapes = rdflib.Graph().parse(SCHEMAS / "shapes.ttl")
    ok, _, text = pyshacl.validate(g, shacl_graph=shapes, inference="none")
    return ok, text


def test_sample_conforms(sample_kg):
    ok, report = conforms(sample_kg.to_rdf())
    assert ok, report


def test_generated_corpus_of_a_thousand_comments_conforms(tmp_path):
    kg = comment_graph.build(make_corpus(1000, tmp_path / "c.jsonl"))
    ok, report = conforms(kg.to_rdf())
    assert ok, report[:2000]


def test_a_broken_graph_does_not_conform(sample_kg):
    g = sample_kg.to_rdf()
    person = next(g.subjects(RDF.type, FOAF.Person))
    g.remove((person, FOAF.name, None))
    ok, report = conforms(g)
    assert not ok and "foaf:name" in report


def test_every_cg_term_is_described_in_cg_ttl():
    described = set(rdflib.Graph().parse(SCHEMAS / "cg.ttl").subjects(rdflib.RDFS.label, None))
    used = {getattr(CG, name) for name in CG.__annotations__}
    assert used <= described, sorted(str(t) for t in used - described)
