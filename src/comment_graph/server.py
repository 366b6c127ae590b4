"""SPARQL over HTTP: serve a store with Oxigraph's own server, push to any Graph Store Protocol endpoint."""

from __future__ import annotations

import errno
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from .config import iri_problem
from .runtime import parent_death_signal, signals_stop_like_ctrl_c
from .errors import CommentGraphError, ConfigError, InputError
from .sparql import STORE_DIR, current_store, is_store

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
    return current_store(p)


def start_server(source: str | Path, host: str, port: int, *, writable: bool = False) -> subprocess.Popen:
    """Start Oxigraph's server on a store folder and wait until it answers."""
    cmd = [oxigraph_binary(), "serve" if writable else "serve-read-only", "--location",
           str(source if writable else store_path(source)), "--bind", f"{host}:{port}"]
    _check_port_free(host, port)
    # on Linux the server gets SIGTERM when `serve` dies, even by SIGKILL: it was left running, holding the port
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            preexec_fn=parent_death_signal(signal.SIGTERM))
    url = f"http://{host}:{port}"
    for _ in range(100):
        if proc.poll() is not None:
            raise CommentGraphError(f"the SPARQL server stopped: {_last_words(proc)}")
        try:
            urllib.request.urlopen(f"{url}/query?query={quote('ASK {}')}", timeout=1).read()
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.1)
            continue
        if proc.poll() is not None:  # another server answered on that port: ours could not bind it
            raise CommentGraphError(f"port {port} is in use on {host}: {_last_words(proc)}")
        return proc
    _stop(proc)
    raise CommentGraphError(f"the SPARQL server did not answer on {url}")


def _check_port_free(host: str, port: int) -> None:
    """Oxigraph, started on a port in use, dies, while the server already there answers: `serve`
    printed its endpoint and exited 0. So the port is tried first."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a closed server's TIME_WAIT is no use
        try:
            s.bind((host, port))
        except OSError as e:
            if e.errno == errno.EADDRINUSE:
                raise ConfigError(f"port {port} is in use on {host}: stop what runs there or choose another --port") from None
            raise ConfigError(f"cannot serve on {host}:{port}: {e.strerror or e}") from None


def _last_words(proc: subprocess.Popen) -> str:
    return " ".join(proc.stderr.read().decode(errors="replace").split())[-300:]


def serve_store(source: str | Path, host: str, port: int, on_ready: Callable[[str], None]) -> None:
    """Serve until Ctrl-C, SIGTERM or SIGHUP, each of which stops the server too; fail if it dies."""
    proc = start_server(source, host, port)
    try:
        with signals_stop_like_ctrl_c():  # they left the Oxigraph server running
            on_ready(f"http://{host}:{port}")
            proc.wait()
    except KeyboardInterrupt:  # Ctrl-C, or Stopped by SIGTERM or SIGHUP
        pass
    finally:
        _stop(proc)
    if proc.returncode not in (0, -signal.SIGINT, -signal.SIGTERM, -signal.SIGHUP):  # it died by itself
        raise CommentGraphError(f"the SPARQL server stopped: {_last_words(proc)}")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _endpoint_problem(endpoint: str) -> str | None:
    try:
        parts = urllib.parse.urlsplit(endpoint)
        parts.port  # noqa: B018 (raises on a port that is no number)
    except ValueError as e:
        return str(e)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "needs http:// or https:// and a host"
    return None


def push_graph(source: str | Path, endpoint: str, graph_iri: str | None = None) -> int:
    """PUT the Turtle export to a Graph Store Protocol endpoint (replacing that graph)."""
    if problem := _endpoint_problem(endpoint):  # "notaurl" was an unexpected ValueError
        raise ConfigError(f"endpoint {endpoint!r} is not a URL to push to ({problem}), e.g. http://localhost:3030/ds/data")
    if graph_iri is not None and (problem := iri_problem(graph_iri)):
        raise ConfigError(f"graph {graph_iri!r} is not an absolute IRI: {problem}")
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
    except OSError as e:  # a timeout or a dropped connection while sending
        raise CommentGraphError(f"cannot reach {endpoint}: {e.strerror or e}") from None
    return len(data)
