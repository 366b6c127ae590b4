"""Open a built graph for querying: a Turtle or N-Triples file, or an output folder."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from .errors import InputError


def open_graph(path: str | Path) -> Graph:
    p = Path(path)
    if p.is_dir():
        p = p / "graph.ttl"
    if not p.exists():
        raise InputError("no such graph file (build one with 'comment-graph build')", path=str(p))
    fmt = {".nt": "nt", ".ttl": "turtle", ".jsonld": "json-ld"}.get(p.suffix.lower(), "turtle")
    g = Graph()
    try:
        g.parse(p, format=fmt)
    except Exception as e:  # rdflib parser errors have many types
        raise InputError(f"cannot parse as {fmt}: {str(e).splitlines()[0] if str(e) else type(e).__name__}",
                         path=str(p)) from None
    return g
