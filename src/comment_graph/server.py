"""SPARQL over HTTP: serve a store with Oxigraph's own server, push to any Graph Store Protocol endpoint."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from .errors import CommentGraphError, InputError
from .sparql import STORE_DIR, is_store


def oxigraph_binary() -> str:
    """The `oxigraph` server shipped by the PyPI package of that name (pip install comment-graph[server])."""
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(found).exists():
        raise CommentGraphError("the Oxigraph server is not installed: pip install 'comment-graph[server]'")
    return found


def store_path(source: str | Path) -> Path:
    p = Path(source)
    p = p if is_store(p) else p / STORE_DIR
    if not is_store(p):
        raise InputError("no Oxigraph store here; build with --store first", path=str(p))
    return p


def start_server(source: str | Path, host: str, port: int, *, writable: bool = False) -> subprocess.Popen:
    """Start Oxigraph's server on a store folder and wait until it answers."""
    cmd = [oxigraph_binary(), "serve" if writable else "serve-read-only", "--location",
           str(source if writable else store_path(source)), "--bind", f"{host}:{port}"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://{host}:{port}"
    for _ in range(100):
        if proc.poll() is not None:
            raise CommentGraphError(f"the SPARQL server stopped: {proc.stderr.read().decode(errors='replace')[-300:]}")
        try:
            urllib.request.urlopen(f"{url}/query?query={quote('ASK {}')}", timeout=1).read()
            return proc
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.1)
    proc.terminate()
    raise CommentGraphError(f"the SPARQL server did not answer on {url}")


def serve_store(source: str | Path, host: str, port: int, on_ready: Callable[[str], None]) -> None:
    proc = start_server(source, host, port)
    on_ready(f"http://{host}:{port}")
    try:
        proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        proc.wait(timeout=10)


def push_graph(source: str | Path, endpoint: str, graph_iri: str | None = None) -> int:
    """PUT the Turtle export to a Graph Store Protocol endpoint (replacing that graph)."""
    p = Path(source)
    p = p / "graph.ttl" if p.is_dir() else p
    if not p.exists():
        raise InputError("no graph.ttl to push (build one first)", path=str(p))
    data = p.read_bytes()
    target = endpoint + (("&" if "?" in endpoint else "?") + ("graph=" + quote(graph_iri, safe="") if graph_iri
                                                              else "default"))
    req = urllib.request.Request(target, data=data, method="PUT", headers={"Content-Type": "text/turtle"})
    try:
        with urllib.request.urlopen(req, timeout=300) as resp:
            resp.read()
    except urllib.error.HTTPError as e:
        raise CommentGraphError(f"{endpoint} refused the graph: HTTP {e.code} {e.reason}") from None
    except urllib.error.URLError as e:
        raise CommentGraphError(f"cannot reach {endpoint}: {e.reason}") from None
    return len(data)
