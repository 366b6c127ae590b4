"""JSON-LD: one node object per subject, compact IRIs through the standard prefixes.

Written from the same sorted triples as Turtle, so the same input gives the same bytes.
The context is embedded (never fetched) and also shipped as schemas/context.jsonld.
"""

from __future__ import annotations

import json
from collections import defaultdict

from rdflib import URIRef
from rdflib.namespace import RDF, XSD

from ...vocab import PREFIXES


def context() -> dict:
    return {p: str(ns) for p, ns in sorted(PREFIXES.items())}


def _compact(iri: str, ctx: dict) -> str:
    for prefix, ns in ctx.items():
        if iri.startswith(ns) and iri != ns and all(ch not in iri[len(ns):] for ch in "/#?"):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _value(o, ctx: dict):
    if isinstance(o, URIRef):
        return {"@id": str(o)}
    if o.language:
        return {"@value": str(o), "@language": o.language}
    if o.datatype in (None, XSD.string):
        return {"@value": str(o)}
    return {"@value": str(o), "@type": _compact(str(o.datatype), ctx)}


def serialize_jsonld(triples) -> bytes:
    ctx = context()
    nodes: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for s, p, o in triples:
        if p == RDF.type:
            nodes[str(s)]["@type"].append(_compact(str(o), ctx))
        else:
            nodes[str(s)][_compact(str(p), ctx)].append(_value(o, ctx))
    graph = []
    for s in sorted(nodes):
        props = nodes[s]
        node = {"@id": s}
        for key in sorted(props):
            vals = props[key]
            node[key] = sorted(vals) if key == "@type" else sorted(vals, key=lambda v: json.dumps(v, sort_keys=True))
        graph.append(node)
    doc = {"@context": ctx, "@graph": graph}
    return (json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode("utf-8")
