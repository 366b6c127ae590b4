"""SPARQL over the RDF export (rdflib in memory); bound values go in as a VALUES block of escaped terms."""

from __future__ import annotations

from typing import Any

from rdflib import Graph

from .errors import QueryError
from .vocab import PREFIXES


def prefix_block() -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def run_sparql(graph: Graph, query: str, bindings: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Rows as dicts of Python values; the standard prefixes are declared for you."""
    from .store import with_values

    query = with_values(query, bindings or {})  # as the store does: sub-selects see the values too
    try:
        result = graph.query(query, initNs=dict(PREFIXES))
    except Exception as e:  # rdflib raises parser exceptions of many types
        raise QueryError(f"SPARQL failed: {str(e).splitlines()[0] if str(e) else type(e).__name__}") from None
    if result.type == "ASK":
        return [{"ask": bool(result.askAnswer)}]
    if result.type != "SELECT":
        raise QueryError("only SELECT and ASK queries are supported here")
    names = [str(v) for v in result.vars]
    return [{n: (None if r[i] is None else r[i].toPython()) for i, n in enumerate(names)} for r in result]
