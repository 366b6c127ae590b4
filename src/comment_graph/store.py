"""Where a built graph lives for querying: a Turtle/N-Triples/JSON-LD file read by rdflib, or an
Oxigraph store folder on disk (`build --store`) for large corpora. Named SPARQL queries ship as
`.rq` files. Values are always bound as SPARQL variables, never pasted into the query text."""

from __future__ import annotations

import re
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import InputError, QueryError
from .query import prefix_block

STORE_DIR = "store"
FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld"}


def named_queries() -> dict[str, tuple[str, str]]:
    """name -> (one-line description, query text)."""
    out = {}
    for f in sorted(resources.files("comment_graph.data").joinpath("queries").iterdir(), key=lambda p: p.name):
        if f.name.endswith(".rq"):
            text = f.read_text(encoding="utf-8")
            doc = " ".join(ln.lstrip("# ").strip() for ln in text.splitlines() if ln.startswith("#"))
            out[f.name[:-3]] = (doc, text)
    return out


def resolve_query(text_or_name: str) -> str:
    queries = named_queries()
    if text_or_name in queries:
        return queries[text_or_name][1]
    if text_or_name.strip() and " " not in text_or_name.strip() and "{" not in text_or_name:
        raise QueryError(f"no named query '{text_or_name}'; available: {', '.join(queries)}")
    return text_or_name


def is_store(path: Path) -> bool:
    return path.is_dir() and (path / "CURRENT").exists()


def locate(source: str | Path) -> Path:
    """The file or store to query: a folder means its store if it has one, else its graph.ttl."""
    p = Path(source)
    if p.is_dir() and not is_store(p):
        p = p / STORE_DIR if is_store(p / STORE_DIR) else p / "graph.ttl"
    if not p.exists():
        raise InputError("no such graph file or store (build one with 'comment-graph build')", path=str(p))
    return p


def open_graph(path: str | Path):
    """An rdflib Graph for a file (the in-memory path); see `query()` for stores."""
    import rdflib

    p = locate(path)
    fmt = FORMATS.get(p.suffix.lower(), "turtle")
    g = rdflib.Graph()
    try:
        g.parse(p, format=fmt)
    except Exception as e:  # rdflib parser errors have many types
        raise InputError(f"cannot parse as {fmt}: {str(e).splitlines()[0] if str(e) else type(e).__name__}",
                         path=str(p)) from None
    return g


def query(source: str | Path, text_or_name: str, bindings: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Rows of a SPARQL SELECT (or ASK) over a file or an Oxigraph store, as plain Python values."""
    text = resolve_query(text_or_name)
    p = locate(source)
    if is_store(p):
        return _query_store(p, text, bindings or {})
    from .query import run_sparql

    return [{k: plain(v) for k, v in row.items()} for row in run_sparql(open_graph(p), text, bindings)]


def plain(v: Any) -> Any:
    """JSON-friendly values: IRIs and strings as str, decimals as float."""
    if isinstance(v, Decimal):
        return float(v)
    if v is None or isinstance(v, (bool, int, float)):
        return v
    return str(v)


def _query_store(path: Path, text: str, bindings: dict[str, Any]) -> list[dict[str, Any]]:
    import pyoxigraph as ox

    full = text if "PREFIX" in text.upper().split("SELECT")[0] else prefix_block() + text
    if bindings:  # a VALUES block opening the WHERE clause; each value written by Oxigraph's serialiser (escaped)
        names = [k for k in bindings if k.isidentifier()]
        terms = [v if isinstance(v, (ox.NamedNode, ox.Literal)) else ox.Literal(str(v)) for k, v in bindings.items()
                 if k.isidentifier()]
        values = " VALUES (" + " ".join(f"?{k}" for k in names) + ") { (" + " ".join(str(t) for t in terms) + ") } "
        where = re.search(r"\bWHERE\s*\{|\{", full[len(prefix_block()):] if full.startswith(prefix_block()) else full,
                          re.IGNORECASE)
        if where is None:
            raise QueryError("cannot bind values: the query has no WHERE clause")
        offset = (len(prefix_block()) if full.startswith(prefix_block()) else 0) + where.end()
        full = full[:offset] + values + full[offset:]
    try:
        store = ox.Store.read_only(str(path))
        result = store.query(full)
    except (SyntaxError, OSError, ValueError, RuntimeError) as e:
        raise QueryError(f"SPARQL failed: {str(e).splitlines()[0]}") from None
    if isinstance(result, bool):
        return [{"ask": result}]
    names = [v.value for v in result.variables]
    return [{n: _ox_plain(sol[n]) for n in names} for sol in result]


def _ox_plain(term) -> Any:
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value if term.datatype else ""
        if dt.endswith(("#integer", "#nonNegativeInteger", "#positiveInteger", "#int", "#long")):
            return int(term.value)
        if dt.endswith(("#decimal", "#double", "#float")):
            return float(term.value)
        if dt.endswith("#boolean"):
            return term.value == "true"
    return term.value


def load_store(path: Path, ntriples: bytes) -> Path:
    """(Re)create an Oxigraph store folder from N-Triples with the bulk loader."""
    import shutil
    import tempfile

    import pyoxigraph as ox

    path = Path(path)
    tmp = Path(tempfile.mkdtemp(prefix=".store.", dir=path.parent))
    try:
        store = ox.Store(str(tmp))
        store.bulk_load(ntriples, format=ox.RdfFormat.N_TRIPLES)
        store.flush()
        del store
        if path.exists():
            shutil.rmtree(path)
        tmp.rename(path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return path
