"""The RDF export: the evaluation vocabulary, valid evidence, determinism, hostile text."""

from __future__ import annotations

import json

import pyoxigraph
import pytest
import rdflib
from rdflib.compare import isomorphic

import comment_graph
from comment_graph.export.rdf import render, write_turtle
from comment_graph.sparql import prefix_block

from conftest import build_text


def test_every_fact_has_a_valid_span(sample_kg):
    # The same SPARQL over the N-Triples export, in an in-memory Oxigraph store: rdflib's joins took 20-70 s here.
    store = pyoxigraph.Store()
    store.load(render(sample_kg, "nt"), format=pyoxigraph.RdfFormat.N_TRIPLES)

    def select(query: str) -> list[tuple[str, ...]]:
        result = store.query(prefix_block() + query)
        names = [v.value for v in result.variables]
        return [tuple(row[n].value for n in names) for row in result]

    text = dict(select("SELECT ?c ?t { ?c a sioc:Post ; sioc:content ?t }"))
    facts = set(select("""SELECT DISTINCT ?c ?o { ?c a sioc:Post .
        { ?c schema:mentions ?o } UNION { ?c dcterms:subject ?o } UNION { ?c dcterms:references ?o } }"""))
    spans = select("""SELECT ?c ?b ?s ?e ?x { ?a a oa:Annotation ; oa:hasBody ?b ; oa:hasTarget ?t .
        ?t oa:hasSource ?c ; oa:hasSelector ?p, ?q . ?p a oa:TextPositionSelector ; oa:start ?s ; oa:end ?e .
        ?q a oa:TextQuoteSelector ; oa:exact ?x }""")
    good = set()
    for c, b, s, e, x in spans:
        assert text[c][int(s):int(e)] == x
        good.add((c, b))
    assert facts and spans and all((c, o) in good for c, o in facts)


def test_kinds_are_typed_and_named(sample_kg):
    rows = sample_kg.sparql("SELECT ?n WHERE { ?c schema:mentions ?p . ?p a foaf:Person ; foaf:name ?n }")
    assert {"Yann LeCun", "Jacob Cannell"} <= {r["n"] for r in rows}
    rows = sample_kg.sparql("SELECT ?l WHERE { ?c dcterms:subject ?k . ?k a skos:Concept ; skos:prefLabel ?l }")
    assert len(rows) > 10


def test_quotes_are_exported_and_mentions_in_quotes_marked(sample_kg):
    rows = sample_kg.sparql("SELECT ?t WHERE { ?c cg:quotes ?q . ?q cg:text ?t }")
    assert rows
    rows = sample_kg.sparql("SELECT ?a WHERE { ?a cg:inQuote true }")
    assert rows


def test_same_input_gives_same_bytes(tmp_path):
    a = write_turtle(comment_graph.build(), tmp_path / "a.ttl").read_bytes()
    b = write_turtle(comment_graph.build(), tmp_path / "b.ttl").read_bytes()
    assert a == b
    assert b"_:" not in a  # no blank nodes: every node has a stable IRI


def test_turtle_parses_back_isomorphic(tmp_path, sample_kg):
    p = write_turtle(sample_kg, tmp_path / "g.ttl")
    back = rdflib.Graph().parse(p, format="turtle")
    assert isomorphic(back, sample_kg.to_rdf())


def test_hostile_text_survives_turtle(tmp_path):
    nasty = ('I agree with "Bob \\" O\'Brien" <script>alert(1)</script> \\n """ triple quotes """ '
             'and a name with > and < in it, tab\tand RTL \u202e mark, emoji 🤖. Thanks, Zoë Ångström!')
    kg = build_text(tmp_path, nasty)
    p = write_turtle(kg, tmp_path / "g.ttl")
    back = rdflib.Graph().parse(p, format="turtle")
    assert isomorphic(back, kg.to_rdf())
    texts = [str(o) for o in back.objects(None, rdflib.URIRef("http://rdfs.org/sioc/ns#content"))]
    assert texts == [kg.comments[0].text]


def test_sparql_bindings_are_not_pasted(sample_kg):
    rows = sample_kg.sparql("SELECT ?p WHERE { ?p foaf:name ?name }", name='x" } ; DROP ALL ; { "')
    assert rows == []
    rows = sample_kg.sparql("SELECT ?p WHERE { ?p foaf:name ?name }", name="Yann LeCun")
    assert len(rows) == 1


def _ids_that_resolve_differently(tmp_path):
    path = tmp_path / "odd-ids.jsonl"
    rows = [{"id": i, "author": a, "text": f"Comment {n} on reward hacking, as Stuart Russell put it."}
            for n, (i, a) in enumerate([("..", "."), (".", ".."), ("a:b", "x:y"), ("x/../y", "o/./p"), ("ok", "ok")])]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    return path


@pytest.mark.parametrize("base", [None, "http://example.org/data#", "http://example.org/q?x=1/"])
def test_turtle_node_iris_survive_relative_writing(tmp_path, base):
    """Turtle writes the graph's own IRIs relative to @base; ids with dot segments or colons, and
    bases where relative references do not resolve back, stay absolute."""
    kg = comment_graph.build(_ids_that_resolve_differently(tmp_path), **({"base_iri": base} if base else {}))
    p = write_turtle(kg, tmp_path / "g.ttl")
    assert isomorphic(rdflib.Graph().parse(p, format="turtle"), kg.to_rdf())
    # rdflib keeps dot segments in relative references; Oxigraph resolves them as RFC 3986 says
    expected = {str(t) for triple in kg.to_rdf() for t in triple if isinstance(t, rdflib.URIRef)}
    with p.open("rb") as f:
        parsed = {t.value for q in pyoxigraph.parse(f, pyoxigraph.RdfFormat.TURTLE) for t in (q.subject, q.predicate, q.object)
                  if isinstance(t, pyoxigraph.NamedNode)}
    assert parsed == expected
    head = p.read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert ("@base <https://w3id.org/comment-graph/id/>" in head) == (base is None)


@pytest.mark.parametrize("base", [None, "http://example.org/data#", "http://example.org/q?x=1/"])
def test_annotations_formatted_directly_equal_the_generic_blocks(tmp_path, sample_kg, base):
    """Turtle forms annotations from a template (they are most of the file); the text must be
    what the generic blocks give, for odd ids, hostile text, quotes and every kind of link."""
    import io

    from comment_graph.export.rdf import triples, writers

    nasty = tmp_path / "nasty.txt"
    nasty.write_text('Yann’s "reward \\ hacking" <b>RLHF</b> 🤖 in the CoinRun paper, as Stuart Russell said.\n\n'
                     '> quoted reward shaping\n\nI agree about reward shaping, @Quintin Pope.', encoding="utf-8")
    options = {"base_iri": base} if base else {}
    graphs = [comment_graph.build(p, **options) for p in (_ids_that_resolve_differently(tmp_path), nasty)]
    graphs += [sample_kg] if base is None else []
    for kg in graphs:
        links = triples._Links(kg)
        for section in triples._sections(links, 2):
            fast = io.BytesIO()
            writers._write_turtle_section(fast, section, kg, first=False)
            form = writers._TurtleTerms(links.iri.base, writers._relative_to(links.iri.base))
            assert fast.getvalue().decode("utf-8") == "".join(map(form.block, section()))
        assert any(isinstance(s, triples._CommentRange) for s in triples._sections(links, 2))


def test_relative_iris_only_where_they_resolve_back():
    from comment_graph.export.rdf.writers import _relative_to

    relative = _relative_to("https://example.org/id/")
    assert relative("<https://example.org/id/comment/c1/annotation/concept-x>") == "<comment/c1/annotation/concept-x>"
    for rest in ("a/..?x=1", "a/.#f", "..", "a/./b", "x:y/z", "/root", "a?b", "a#b"):
        term = f"<https://example.org/id/{rest}>"
        assert relative(term) == term
    assert _relative_to("http://example.org/a/../") is None  # the base itself has a dot segment
    assert _relative_to("http://example.org/data#") is None


def test_pieces_written_apart_join_into_the_same_file(tmp_path):
    """Ranges of comments are written by separate processes and joined: the nodes comments share
    (an account, a post named by title in one comment and by URL in another, a wording) must be
    described once, whole, whatever the cut."""
    import io

    from comment_graph.export.rdf import WRITERS, rdf_writers

    rows = [{"id": f"c{i}", "author": "Ann Author" if i % 2 else "Bo", "text": f"Reward hacking, again ({i}).",
             "post_title": "On reward", **({"post_url": "https://forum.example/p/1"} if i == 3 else {})}
            for i in range(6)]
    p = tmp_path / "t.jsonl"
    p.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    kg = comment_graph.build(p)
    for fmt in ("ttl", "nt"):
        whole = io.BytesIO()
        WRITERS[fmt](whole, kg)
        for parts in (2, 3, 6):
            pieces = []
            for write in rdf_writers(kg, [fmt], parts)[fmt]:
                pieces.append(io.BytesIO())
                write(pieces[-1])
            assert len(pieces) == parts + 3  # the ranges of comments; shared nodes, entities, rankings
            assert all(x.getvalue() for x in pieces)
            assert b"".join(x.getvalue() for x in pieces) == whole.getvalue()
    triples = whole.getvalue().splitlines()  # the last format: N-Triples, a triple a line
    assert len(triples) == len(set(triples))  # nothing described twice
    g = rdflib.Graph().parse(data=whole.getvalue().decode(), format="nt")
    posts = list(g.query(prefix_block() + "SELECT ?p ?t { ?p a sioc:Container ; dcterms:title ?t }"))
    assert len(posts) == 2  # titled alone, and titled with its URL (the URL names that post)
    assert len(g.query(prefix_block() + "SELECT ?a { ?a a sioc:UserAccount }")) == 2


def test_a_name_alone_says_on_its_evidence_why_it_is_that_person(tmp_path):
    """The annotation of a first name resolved by context carries cg:resolvedBy; a full name's does not."""
    page = tmp_path / "page.txt"
    page.write_text("I agree with Priya Raman about the audit, and as Priya says, sampling matters.\n\n"
                    "Thanks! I think Quillane is describing something else.", encoding="utf-8")
    kg = comment_graph.build(page)
    rows = kg.sparql("SELECT ?n ?why WHERE { ?a cg:resolvedBy ?why ; oa:hasBody ?p . ?p foaf:name ?n }")
    reasons = {r["n"]: r["why"] for r in rows}
    assert reasons.get("Quillane") == "cue: speech verb" and "Priya Raman" not in reasons
    graph = rdflib.Graph().parse(write_turtle(kg, tmp_path / "g.ttl"), format="turtle")
    assert len(list(graph.triples((None, rdflib.URIRef("https://w3id.org/comment-graph/ns#resolvedBy"), None)))) \
        == len(rows)
