"""The HTML page: a pyvis network in our own template, every script inlined, all text escaped.

pyvis assembles the nodes and edges; the page template is ours because pyvis's
own pages link Bootstrap from a CDN and switch tooltips to raw HTML when any
title contains "href". Comment text reaches the page only as JSON inside a
`<script type="application/json">` block (with `<` escaped) and is put on screen
with `textContent`, never as HTML.
"""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from . import write_atomic

if TYPE_CHECKING:
    from ..graph import CommentGraph

STYLE = {  # kind -> (colour, vis shape)
    "comment": ("#8d99ae", "dot"),
    "person": ("#e76f51", "diamond"),
    "organization": ("#f4a261", "square"),
    "concept": ("#2a9d8f", "dot"),
    "work": ("#6a4c93", "triangle"),
}
PHYSICS_LIMIT = 1500  # above this many nodes the layout is computed here and physics stays off
HUB_COUNT = 300       # entities laid out by force; in a large graph, the ones shown at first
BOUNDED_LIMIT = 1500  # above this many nodes the page opens on the hubs; comments come on demand
MAX_PAGE_COMMENTS = 5000  # a page carries every comment's text: past this, it carries a selection


def ck(comment_id: str) -> str:
    return "comment\x00" + comment_id


def ek(entity_id: str) -> str:
    return "entity\x00" + entity_id


def utf16(text: str, index: int) -> int:
    """A Python string index as the UTF-16 offset JavaScript uses (they differ after an emoji)."""
    head = text[:index]
    return index if head.isascii() else len(head.encode("utf-16-le")) // 2


def _vis_assets() -> tuple[str, str]:
    lib = resources.files("pyvis").joinpath("templates", "lib", "vis-9.1.2")
    return lib.joinpath("vis-network.min.js").read_text(encoding="utf-8"), \
        lib.joinpath("vis-network.css").read_text(encoding="utf-8")


def _network(kg: "CommentGraph"):
    """Nodes and edges as pyvis objects (pyvis is imported only here: it pulls in IPython).

    pyvis's own add_node/add_edge scan every existing node and edge on each call
    (quadratic); links here are already unique, so its Node and Edge records are
    built directly."""
    from pyvis.edge import Edge
    from pyvis.network import Network
    from pyvis.node import Node

    net = Network(directed=False, cdn_resources="in_line")
    ids: dict[str, str] = {}
    degree: dict[str, int] = {}
    for m in kg.mentions:
        degree[m.comment_id] = degree.get(m.comment_id, 0) + 1
        degree[m.entity_id] = degree.get(m.entity_id, 0) + 1

    def node(key: str, label: str, kind: str, size: int) -> None:
        ids[key] = f"n{len(ids)}"  # keys are namespaced (ck/ek): a comment id may equal an entity id
        n = Node(ids[key], shape=STYLE[kind][1], label=label, color=STYLE[kind][0], size=size, group=kind)
        net.nodes.append(n.options)
        net.node_ids.append(ids[key])
        net.node_map[ids[key]] = n.options

    for c in kg.comments:
        node(ck(c.id), f"#{c.index + 1}", "comment", 8 + min(20, degree.get(c.id, 0)))
    for e in kg.entities.values():
        node(ek(e.id), e.label[:40], e.kind, 10 + min(30, 3 * e.comment_count))
    pairs = dict.fromkeys((ids[ck(m.comment_id)], ids[ek(m.entity_id)]) for m in kg.mentions)
    net.edges.extend(Edge(a, b, False, color="#c9ced6").options for a, b in pairs)
    author_of = {a: e.id for e in kg.entities.values() for a in e.accounts}
    for c in kg.comments:  # who wrote it: a person node, like the people it names
        if c.author in author_of:
            net.edges.append(Edge(ids[ck(c.id)], ids[ek(author_of[c.author])], False, color="#2a9d8f",
                                  dashes=True).options)
    for e in kg.entities.values():
        if e.creator and ek(e.creator) in ids:
            net.edges.append(Edge(ids[ek(e.id)], ids[ek(e.creator)], False, color="#6a4c93", dashes=True).options)
    return net, ids


def _positions(kg: "CommentGraph", ids: dict[str, str]) -> dict[str, tuple[float, float]]:
    """A layout computed here for large graphs, in about a second at ten thousand comments.

    The most connected entities are laid out with a force-directed layout of their
    co-occurrence graph (a few hundred nodes); every other node sits at the centre of
    the laid-out nodes it links to, spread on a small deterministic spiral."""
    import math

    import networkx as nx

    links: dict[str, set[str]] = {}
    for m in kg.mentions:
        links.setdefault(ck(m.comment_id), set()).add(ek(m.entity_id))
        links.setdefault(ek(m.entity_id), set()).add(ck(m.comment_id))
    hubs = sorted((e for e in kg.entities.values()), key=lambda e: (-e.comment_count, e.id))[:HUB_COUNT]
    hub_ids = {ek(e.id) for e in hubs}
    together: Counter[tuple[str, str]] = Counter()  # pairs of hubs, by comments naming both (in first-seen order)
    for cid in (ck(c.id) for c in kg.comments):
        near = sorted(links.get(cid, set()) & hub_ids)
        together.update((a, b) for i, a in enumerate(near) for b in near[i + 1:])
    g = nx.Graph()
    g.add_nodes_from(sorted(hub_ids))
    g.add_weighted_edges_from((a, b, n) for (a, b), n in together.items())
    scale = 250 * math.sqrt(len(ids))
    pos = {n: (float(x) * scale, float(y) * scale) for n, (x, y) in nx.spring_layout(g, seed=7, iterations=50).items()}
    out: dict[str, tuple[float, float]] = {ids[n]: p for n, p in pos.items()}
    for k, key in enumerate(sorted(ids, key=lambda x: ids[x])):
        if key in pos:
            continue
        anchors = [pos[x] for x in links.get(key, ()) if x in pos]
        cx = sum(p[0] for p in anchors) / len(anchors) if anchors else 0.0
        cy = sum(p[1] for p in anchors) / len(anchors) if anchors else 0.0
        r = 30 + 6 * math.sqrt(k % 400) + (0 if anchors else scale * 1.1)
        out[ids[key]] = (round(cx + r * math.cos(k * 2.399), 1), round(cy + r * math.sin(k * 2.399), 1))
    return {n: (round(x, 1), round(y, 1)) for n, (x, y) in out.items()}


def bounded(kg: "CommentGraph", limit: int | None = None) -> tuple["CommentGraph", str | None]:
    """The graph a page can carry: all of it, or the `limit` comments linked to the most of the
    most-mentioned entities (a browser cannot hold a hundred thousand comments' text), with a
    note saying so."""
    limit = MAX_PAGE_COMMENTS if limit is None else limit
    if len(kg.comments) <= limit:
        return kg, None
    hubs = {e.id for e in sorted(kg.entities.values(), key=lambda e: (-e.comment_count, e.id))[:HUB_COUNT]}
    reach: dict[str, set[str]] = {}
    for m in kg.mentions:
        if m.entity_id in hubs:
            reach.setdefault(m.comment_id, set()).add(m.entity_id)
    chosen = sorted(kg.comments, key=lambda c: (-len(reach.get(c.id, ())), c.index))[:limit]
    note = (f"This page shows {limit:,} of {len(kg.comments):,} comments: those linked to the most of the "
            f"{len(hubs)} most-mentioned entities. 'comment-graph html --around NAME' draws any neighbourhood; "
            "SPARQL over graph.ttl sees everything.")
    return kg.subgraph({c.id for c in chosen}), note


def page_data(kg: "CommentGraph", heading: str | None = None) -> dict:
    """Everything the page shows, as JSON-ready data; `heading` says what part of a build it is."""
    kg, note = bounded(kg)
    net, ids = _network(kg)
    nodes, edges = net.nodes, net.edges
    physics = len(nodes) <= PHYSICS_LIMIT
    if not physics:
        pos = _positions(kg, ids)
        for n in nodes:
            n["x"], n["y"] = pos[n["id"]]
    hubs = sorted(kg.entities.values(), key=lambda e: (-e.comment_count, e.id))[:HUB_COUNT]
    initial = sorted(ids[ek(e.id)] for e in hubs) if len(nodes) > BOUNDED_LIMIT else None
    info = {}
    for c in kg.comments:
        info[ids[ck(c.id)]] = {"kind": "comment", "label": f"Comment #{c.index + 1}", "id": c.id, "text": c.text,
                           "author": c.author, "quotes": [[utf16(c.text, q.start), utf16(c.text, q.end)] for q in c.quotes],
                           "mentions": []}
    for m in kg.mentions:
        e = kg.entities[m.entity_id]
        text = kg.comment(m.comment_id).text
        info[ids[ck(m.comment_id)]]["mentions"].append([utf16(text, m.start), utf16(text, m.end), e.kind, ids[ek(e.id)]])
    for e in kg.entities.values():
        info[ids[ek(e.id)]] = {"kind": e.kind, "label": e.label, "id": e.id, "aliases": e.aliases[:20],
                           "mentions": e.mention_count, "comments": e.comment_count, "unresolved": e.unresolved}
    summary = kg.summary(top=8).model_dump()
    for kind, rows in summary["top"].items():
        for r in rows:
            r["node"] = ids[ek(r["entity_id"])]
    # keep only the layout fields; pyvis adds none that carry text beyond the label
    keep = ("id", "label", "shape", "color", "size", "group", "x", "y")
    return {"nodes": [{k: n[k] for k in keep if k in n} for n in nodes],
            "edges": [{"from": e["from"], "to": e["to"], "color": e.get("color"), "dashes": e.get("dashes", False)}
                      for e in edges],
            "info": info, "summary": summary, "physics": physics, "initial": initial, "note": note, "heading": heading,
            "style": {k: {"color": v[0], "shape": v[1]} for k, v in STYLE.items()}}


def safe_json(data: dict) -> str:
    """JSON that cannot close its <script> element or open a comment in HTML."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def render_html(kg: "CommentGraph", heading: str | None = None) -> str:
    js, css = _vis_assets()
    template = resources.files("comment_graph.export").joinpath("page.html").read_text(encoding="utf-8")
    app = resources.files("comment_graph.export").joinpath("page.js").read_text(encoding="utf-8")
    return (template.replace("/*VIS_CSS*/", css).replace("/*VIS_JS*/", js.replace("</script", "<\\/script"))
            .replace("/*APP_JS*/", app).replace("{{DATA}}", safe_json(page_data(kg, heading))))


def write_html(kg: "CommentGraph", path: Path, *, heading: str | None = None) -> Path:
    """The page, written atomically; `heading` (e.g. "Around Yann LeCun, depth 2") titles it."""
    return write_atomic(path, render_html(kg, heading).encode("utf-8"))
