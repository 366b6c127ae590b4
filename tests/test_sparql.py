"""Named queries, the Oxigraph store (same answers as rdflib in memory), and SPARQL over real HTTP."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from comment_graph.cli import main
from comment_graph.server import push_graph, start_server
from comment_graph.export.rdf import write_turtle
from comment_graph.sparql import named_queries, query

BINDINGS = {"mentioned-with": {"name": "Jacob Cannell"}, "comments-about": {"label": "reward"}}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    r = CliRunner().invoke(main, ["build", "--out", str(out), "--store", "-q"])
    assert r.exit_code == 0, r.output
    return out


PROMISES = {  # named query -> the columns its description promises, and what it ranks rows by (most first)
    "top-people": (["person", "name", "comments"], lambda r: r["comments"]),
    "top-concepts": (["concept", "label", "comments"], lambda r: r["comments"]),
    "mentioned-with": (["other", "label", "kind", "comments"], lambda r: r["comments"]),
    "comments-about": (["c", "exact", "start", "weight", "inQuote"], lambda r: r["weight"]),
    "works-and-creators": (["work", "title", "creator", "comments"], lambda r: r["comments"]),
    "concept-cooccurrence": (["a", "b", "count"], lambda r: r["count"]),
    "quoted-vs-own": (["entity", "label", "own", "quoted"], lambda r: r["own"] + r["quoted"]),
}


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_each_named_query_gives_the_columns_and_order_it_promises(built, name):
    """Through the command line, as the README documents it: listed with its description, and
    its rows have the promised columns, ranked most first."""
    columns, rank = PROMISES[name]
    listed = json.loads(CliRunner().invoke(main, ["query", "--list", "--format", "json"]).output)
    assert {"name": name, "description": named_queries()[name][0]} in listed
    binds = [f"--bind={k}={v}" for k, v in BINDINGS.get(name, {}).items()]
    r = CliRunner().invoke(main, ["query", name, str(built), "--format", "json", *binds])
    rows = json.loads(r.output)
    assert rows and all(list(row) == columns for row in rows), r.output
    assert [rank(row) for row in rows] == sorted((rank(row) for row in rows), reverse=True)


def _canon(rows):
    return sorted(json.dumps(r, sort_keys=True) for r in rows)


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_named_query_returns_rows_and_store_agrees_with_rdflib(built, name):
    in_memory = query(built / "graph.ttl", name, BINDINGS.get(name))
    on_disk = query(built / "store", name, BINDINGS.get(name))
    assert in_memory, name
    assert _canon(in_memory) == _canon(on_disk)


@pytest.mark.parametrize("source", ["graph.ttl", "store"])
def test_a_bound_value_reaches_the_sub_select(built, source):
    # the named queries rank inside a sub-select; the binding must narrow that ranking, not the rows after it
    rows = query(built / source, "comments-about", {"label": "reward"})
    assert rows and all("reward" in r["exact"].lower() for r in rows)


def test_mentioned_with_counts_the_comments_shared(built):
    import comment_graph

    kg = comment_graph.load(built)
    person = kg.find_entity("Jacob Cannell")
    shared: dict[str, set[str]] = {}
    for c in kg.comments:
        ids = {m.entity_id for m in kg.mentions_in(c.id)}
        if person.id in ids:
            for other in ids - {person.id}:
                shared.setdefault(kg.entities[other].label, set()).add(c.id)
    rows = query(built / "store", "mentioned-with", {"name": "Jacob Cannell"})
    assert {r["label"]: r["comments"] for r in rows} == {label: len(cs) for label, cs in shared.items()}


def test_query_cli_by_name_list_and_binding(built):
    runner = CliRunner()
    listed = runner.invoke(main, ["query", "--list"])
    assert listed.exit_code == 0 and "top-people" in listed.output
    r = runner.invoke(main, ["query", "top-people", str(built), "--format", "json"])
    assert r.exit_code == 0 and json.loads(r.output)
    r = runner.invoke(main, ["query", "mentioned-with", str(built), "--bind", 'name=x" } ; DROP ALL ; { "'])
    assert r.exit_code == 0 and "(no rows)" in r.output
    r = runner.invoke(main, ["query", "no-such-query", str(built)])
    assert r.exit_code == 1 and "available: comments-about" in r.output


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sparql_over_http(url: str, q: str) -> list[dict]:
    req = urllib.request.Request(f"{url}/query?query={urllib.parse.quote(q)}",
                                 headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())["results"]["bindings"]


def test_serve_answers_sparql_protocol_on_localhost(built):
    port = free_port()
    proc = start_server(built, "127.0.0.1", port)
    try:
        rows = sparql_over_http(f"http://127.0.0.1:{port}",
                                "SELECT (COUNT(*) AS ?n) WHERE { ?c a <http://rdfs.org/sioc/ns#Post> }")
        assert int(rows[0]["n"]["value"]) == 10
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_refuses_a_port_in_use(built):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        r = CliRunner().invoke(main, ["serve", str(built), "--port", str(port)])
    assert (r.exit_code, r.output) == (1, f"error: port {port} is in use on 127.0.0.1: stop what runs there "
                                          "or choose another --port\n")


def _gone(pid: int, port: int, seconds: float = 10) -> bool:
    """The process has exited (and been reaped) and nothing answers on the port."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not Path(f"/proc/{pid}").exists():
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) != 0:
                    return True
        time.sleep(0.1)
    return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; the server dies with serve via prctl")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGKILL], ids=lambda s: s.name)
def test_a_signal_to_serve_takes_its_server_down(built, sig):
    port = free_port()
    serve = subprocess.Popen([sys.executable, "-m", "comment_graph.cli", "serve", str(built), "--port", str(port)],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert serve.stdout.readline().startswith("SPARQL endpoint at")
        server = int(Path(f"/proc/{serve.pid}/task/{serve.pid}/children").read_text().split()[0])
        serve.send_signal(sig)
        assert serve.wait(timeout=15) == (-sig if sig == signal.SIGKILL else 0)
        assert _gone(server, port), f"the Oxigraph server {server} outlived serve"
    finally:
        serve.kill()
        serve.wait()


def test_push_loads_the_graph_into_a_graph_store_protocol_server(built, tmp_path):
    port = free_port()
    proc = start_server(tmp_path / "remote", "127.0.0.1", port, writable=True)
    try:
        sent = push_graph(built, f"http://127.0.0.1:{port}/store")
        assert sent == (built / "graph.ttl").stat().st_size
        rows = sparql_over_http(f"http://127.0.0.1:{port}",
                                "SELECT (COUNT(*) AS ?n) WHERE { ?p a <http://xmlns.com/foaf/0.1/Person> }")
        assert int(rows[0]["n"]["value"]) == len(query(built / "graph.ttl", "SELECT ?p WHERE { ?p a foaf:Person }"))
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_stored_counts_agree_with_counting_the_links(sample_kg):
    """cg:commentCount / ownCount / quotedCount are what aggregating every annotation gives."""
    counted = sample_kg.sparql("""
        SELECT ?e (COUNT(DISTINCT ?a) AS ?n) (SUM(IF(?q, 0, 1)) AS ?own) (SUM(IF(?q, 1, 0)) AS ?quoted) WHERE {
          ?a a oa:Annotation ; oa:hasBody ?e ; cg:inQuote ?q } GROUP BY ?e""")
    stored = sample_kg.sparql("SELECT ?e ?n ?own ?quoted WHERE { ?e cg:commentCount ?n ; cg:ownCount ?own ; "
                              "cg:quotedCount ?quoted FILTER(?n > 0) }")
    as_set = lambda rows: {(str(r["e"]), int(r["n"]), int(r["own"]), int(r["quoted"])) for r in rows}  # noqa: E731
    assert len(counted) > 50 and as_set(counted) == as_set(stored)
    assert any(int(r["quoted"]) for r in stored)


def test_comments_about_reads_the_links_of_highest_weight(tmp_path, monkeypatch, sample_kg):
    """comments-about reads the concept's top links fixed at build time (cg:topAnnotation): the
    best by weight, ties in input order, however many links the concept has."""
    from comment_graph.export.rdf import triples as rdf

    monkeypatch.setattr(rdf, "TOP_ANNOTATIONS", 2)
    concept = sample_kg.find_entity("reward")
    index = {c.id: c.index for c in sample_kg.comments}
    links = sorted((-s.weight, index[s.comment_id], s.comment_id) for s in sample_kg.subjects
                   if s.entity_id == concept.id)
    assert len(links) > 2  # more links than the list holds
    rows = query(write_turtle(sample_kg, tmp_path / "g.ttl"), "comments-about", {"label": concept.label})
    got = [urllib.parse.unquote(r["c"].rsplit("/", 1)[1]) for r in rows]
    assert got == [cid for _, _, cid in links[:2]]
    assert [float(r["weight"]) for r in rows] == [-w for w, _, _ in links[:2]]


def test_mentioned_with_keeps_the_most_frequent_companions(tmp_path, monkeypatch, sample_kg):
    """The companions are counted and ranked at build time (cg:Comention): the query returns the
    top ones by shared comments, ties by entity id, however many there are."""
    from comment_graph.export.rdf import triples as rdf

    monkeypatch.setattr(rdf, "TOP_COMPANIONS", 3)
    person = sample_kg.find_entity("Yann LeCun")
    shared: dict[str, int] = {}
    for c in sample_kg.comments:
        ids = {m.entity_id for m in sample_kg.mentions_in(c.id)}
        if person.id in ids:
            for other in ids - {person.id}:
                shared[other] = shared.get(other, 0) + 1
    assert len(shared) > 3
    best = sorted(shared.items(), key=lambda x: (-x[1], x[0]))[:3]
    rows = query(write_turtle(sample_kg, tmp_path / "g.ttl"), "mentioned-with", {"name": person.label})
    assert sorted((r["label"], r["comments"]) for r in rows) == \
        sorted((sample_kg.entities[e].label, n) for e, n in best)
