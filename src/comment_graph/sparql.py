"""SPARQL, all of it: `query()` over a built graph wherever it lives (a Turtle/N-Triples/JSON-LD file
read by rdflib, or an Oxigraph store folder on disk, `build --store`, for large corpora),
`query_graph()` over an rdflib Graph in memory (what `CommentGraph.sparql` runs), the named
queries shipped as `.rq` files, and the Oxigraph store itself (`load_store`). Values are always
bound as SPARQL variables, never pasted into the query text."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import ExportError, InputError, QueryError, rdf_parse_problem
from .vocab import PREFIXES

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
    return current_store(p) if is_store(p) else p


def open_graph(path: str | Path):
    """An rdflib Graph for a file (the in-memory path); see `query()` for stores."""
    import rdflib

    p = locate(path)
    fmt = FORMATS.get(p.suffix.lower(), "turtle")
    g = rdflib.Graph()
    try:
        g.parse(p, format=fmt)
    except Exception as e:  # rdflib parser errors have many types
        raise InputError(f"cannot parse as {fmt}: {rdf_parse_problem(e)}", path=str(p)) from None  # not "at line 1 of <>:"
    return g


def query(source: str | Path, text_or_name: str, bindings: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Rows of a SPARQL SELECT (or ASK) over a file or an Oxigraph store, as plain Python values."""
    text = resolve_query(text_or_name)
    p = locate(source)
    if is_store(p):
        return _query_store(p, text, bindings or {})
    return [{k: plain(v) for k, v in row.items()} for row in query_graph(open_graph(p), text, bindings)]


def prefix_block() -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def query_graph(graph, query: str, bindings: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """SPARQL over an rdflib Graph in memory: rows as dicts of Python values; the standard prefixes
    are declared for you."""
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


def plain(v: Any) -> Any:
    """JSON-friendly values: IRIs and strings as str, decimals as float."""
    if isinstance(v, Decimal):
        return float(v)
    if v is None or isinstance(v, (bool, int, float)):
        return v
    return str(v)


def where_braces(query: str) -> list[int]:
    """Offsets just after each '{' that opens a WHERE clause (the query's and every sub-select's),
    skipping comments, strings and IRIs."""
    found: list[int] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch == "#":
            i = query.find("\n", i)
            i = n if i < 0 else i
        elif query.startswith(('"""', "'''"), i):
            end = query.find(query[i:i + 3], i + 3)
            i = n if end < 0 else end + 3
            continue
        elif ch in "\"'":
            j = i + 1
            while j < n and query[j] != ch:
                j += 2 if query[j] == "\\" else 1
            i = j
        elif ch == "<" and IRI_REF_RE.match(query, i):
            i = IRI_REF_RE.match(query, i).end() - 1
        elif ch == "{" and (not found or WHERE_BEFORE_RE.search(query, max(0, i - 16), i)):
            found.append(i + 1)  # the first group is the WHERE clause, whether or not it says so
        i += 1
    if not found:
        raise QueryError("cannot bind values: the query has no WHERE clause")
    return found


IRI_REF_RE = re.compile(r"<[^\s<>\"{}|^`]*>")
WHERE_BEFORE_RE = re.compile(r"\bWHERE\s*$", re.IGNORECASE)


def with_values(query: str, bindings: dict[str, Any]) -> str:
    """The query with a VALUES block opening its WHERE clause and each sub-select's, so a bound
    variable is fixed inside a sub-select too (a sub-select does not see the outer bindings).
    Each value is serialised by Oxigraph, so no value can become query syntax."""
    if not bindings:
        return query
    bad = [k for k in bindings if not VARIABLE_RE.match(k)]
    if bad:
        raise QueryError(f"not a SPARQL variable name: {bad[0]!r}")
    names = list(bindings)
    values = " VALUES (" + " ".join(f"?{k}" for k in names) + ") { (" + \
        " ".join(str(ox_term(bindings[k])) for k in names) + ") } "
    for at in reversed(where_braces(query)):
        query = query[:at] + values + query[at:]
    return query


def ox_term(value: Any):
    """A Python, rdflib or pyoxigraph value as a pyoxigraph term (typed: numbers stay numbers)."""
    import pyoxigraph as ox
    from rdflib import Literal, URIRef

    if isinstance(value, (ox.NamedNode, ox.Literal)):
        return value
    if isinstance(value, URIRef):
        return ox.NamedNode(str(value))
    if isinstance(value, Literal):
        if value.language:
            return ox.Literal(str(value), language=value.language)
        return ox.Literal(str(value), datatype=ox.NamedNode(str(value.datatype or XSD + "string")))
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(XSD + "double"))
    return ox.Literal(str(value))


XSD = "http://www.w3.org/2001/XMLSchema#"
VARIABLE_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _query_store(path: Path, text: str, bindings: dict[str, Any]) -> list[dict[str, Any]]:
    import pyoxigraph as ox

    text = with_values(text, bindings)
    try:
        store = ox.Store.read_only(str(path))
        result = store.query(text, prefixes={p: str(ns) for p, ns in PREFIXES.items()})
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


def load_store(path: Path, source: Path) -> Path:
    """(Re)create an Oxigraph store folder from an N-Triples or Turtle file with the bulk loader.
    (A build's store is made by `stage_store` instead, inside the build's atomic write.)"""
    from .export import write_all_atomic

    path = Path(path)
    source = Path(source)
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = stage_store(source, path.parent, n_triples=source.suffix == ".nt")
    return write_all_atomic({}, more=lambda _: {"store": (staged, path)})["store"]


STAMP_FILE = "comment-graph-stamp.json"  # inside the store folder; RocksDB leaves names not its own alone


def stage_store(source: Path, folder: Path, *, n_triples: bool, anchor: Path | None = None) -> Path:
    """A new store in a temporary folder in `folder`, bulk-loaded from an N-Triples or Turtle file,
    to be moved into place with the other outputs (`n_triples`: the source's format, which its
temporary name does not tell). With `anchor` (the build's graph.json, staged),
    the store is stamped with that file's identity and hash: a query refuses a store whose
    graph.json changed since, as after a build without --store or one killed while moving."""
    import shutil
    import tempfile

    import pyoxigraph as ox

    fmt = ox.RdfFormat.N_TRIPLES if n_triples else ox.RdfFormat.TURTLE
    tmp = Path(tempfile.mkdtemp(prefix=f".{STORE_DIR}.", dir=folder))
    try:
        store = ox.Store(str(tmp))
        store.bulk_load(path=str(source), format=fmt)
        store.flush()
        del store
        if anchor is not None:
            (tmp / STAMP_FILE).write_text(json.dumps(_identity(anchor, with_hash=True), sort_keys=True))
    except (OSError, ValueError, SyntaxError) as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise ExportError(f"cannot load the Oxigraph store: {str(e).splitlines()[0] if str(e) else e}") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return tmp


def _identity(path: Path, *, with_hash: bool) -> dict[str, Any]:
    """What a file is, cheaply (its inode, size and modification time: all kept by a rename) and,
    where asked, surely (its SHA-256, for a folder copied elsewhere)."""
    st = path.stat()
    out: dict[str, Any] = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "inode": st.st_ino}
    if with_hash:
        out["sha256"] = _sha256(path)
    return out


def _sha256(path: Path) -> str:
    import hashlib

    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def stale_store_problem(store: Path, anchor_name: str = "graph.json") -> str | None:
    """Why the store in an output folder does not hold that folder's graph, or None. A store with no
    graph.json beside it is not a build's (a folder of the user's own): taken as it is."""
    anchor = store.parent / anchor_name
    if not anchor.exists():
        return None
    try:
        stamp = json.loads((store / STAMP_FILE).read_text())
    except (OSError, ValueError):
        return "the store has no stamp of the build it belongs to (made by an older version)"
    try:
        now = _identity(anchor, with_hash=False)
        if {k: stamp.get(k) for k in now} == now or stamp.get("sha256") == _sha256(anchor):
            return None
    except OSError as e:
        return f"cannot read {anchor}: {e.strerror or e}"
    return f"the store is older than {anchor.name} (a later build ran without --store, or was stopped)"


def current_store(store: Path) -> Path:
    """`store`, if it holds its output folder's graph; otherwise a clear error, never stale answers."""
    if problem := stale_store_problem(store):
        raise InputError(f"{problem}: rebuild with --store, or remove the store to query graph.ttl",
                         path=str(store))
    return store
