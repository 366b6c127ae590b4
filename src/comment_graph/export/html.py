"""The HTML page: a pyvis network in our own template, every script inlined, all text escaped.

pyvis assembles the nodes and edges; the page template is ours because pyvis's
own pages link Bootstrap from a CDN and switch tooltips to raw HTML when any
title contains "href". Comment text reaches the page only as JSON inside a
`<script type="application/json">` block (with `<` escaped) and is put on screen
with `textContent`, never as HTML.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from itertools import combinations
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
EDGE_STYLE = {  # edge kind -> (colour, dashes, what the legend says)
    "mentions": ("#c9ced6", False, "comment mentions"),
    "wrote": ("#1d3557", True, "wrote"),
    "created": ("#6a4c93", True, "work by"),
    "co": ("rgba(140,152,166,0.5)", False, "named together"),
}
PHYSICS_LIMIT = 1500  # above this many nodes the layout is computed here and physics stays off
BOUNDED_LIMIT = 1500  # above this many nodes the page opens on a map of entities; comments come on demand
MAP_SIZE = 100        # entities on a large page's opening map: few enough that every label is readable
MAP_BOX = (960.0, 760.0)  # the opening map's extent, in canvas pixels at zoom 1 (a 1400x900 window's graph pane)
PAIRED_PER_COMMENT = 50  # entities of one comment counted as named together (its most-mentioned ones)
CO_NEIGHBOURS = 30    # co-mentioned entities kept per entity (strongest first) for focusing its neighbourhood
COMMENT_BLOCK = 200   # comments per JSON block of the page (each parses in a few milliseconds)
MAX_PAGE_COMMENTS = 5000  # a page carries every comment's text: past this, it carries a selection


def ck(comment_id: str) -> str:
    return "comment\x00" + comment_id


def ek(entity_id: str) -> str:
    return "entity\x00" + entity_id


def utf16(text: str, index: int) -> int:
    """A Python string index as the UTF-16 offset JavaScript uses (they differ after an emoji)."""
    head = text[:index]
    return index if head.isascii() else len(head.encode("utf-16-le")) // 2


def comment_label(author: str | None, text: str, words: int = 5, width: int = 40) -> str:
    """A comment as a reader names it: who wrote it and how it starts (whole words, at most
    `words` of them and `width` characters)."""
    all_words = text.split()
    start = all_words[0][:width] if all_words else ""
    for word in all_words[1:words]:
        if len(start) + 1 + len(word) > width:
            break
        start += " " + word
    if len(start) < len(" ".join(all_words)):
        start += "…"
    return f"{author}: {start}" if author else start


def _vis_assets() -> tuple[str, str]:
    lib = resources.files("pyvis").joinpath("templates", "lib", "vis-9.1.2")
    return lib.joinpath("vis-network.min.js").read_text(encoding="utf-8"), \
        lib.joinpath("vis-network.css").read_text(encoding="utf-8")


def _ranked(kg: "CommentGraph") -> list:
    return sorted(kg.entities.values(), key=lambda e: (-e.comment_count, -e.mention_count, e.id))


def _entities_by_comment(kg: "CommentGraph") -> dict[str, list[str]]:
    """comment id -> the entities it mentions, each once, in a fixed order."""
    found: dict[str, dict[str, None]] = {}
    for m in kg.mentions:
        found.setdefault(m.comment_id, {})[m.entity_id] = None
    return {c: sorted(es) for c, es in found.items()}


def co_mentions(kg: "CommentGraph") -> tuple[Counter[tuple[str, str]], Counter[str]]:
    """(entity a, entity b) -> comments naming both, a < b: who and what is talked about together;
    and entity -> comments naming it."""
    together: Counter[tuple[str, str]] = Counter()
    alone: Counter[str] = Counter()
    for es in _entities_by_comment(kg).values():
        if len(es) > PAIRED_PER_COMMENT:  # a pasted list naming hundreds would add their square in pairs
            es = sorted(sorted(es, key=lambda e: (-kg.entities[e].comment_count, e))[:PAIRED_PER_COMMENT])
        together.update(combinations(es, 2))
        alone.update(es)
    return together, alone


def _network(kg: "CommentGraph", full: "CommentGraph"):
    """Nodes and edges as pyvis objects (pyvis is imported only here: it pulls in IPython).

    pyvis's own add_node/add_edge scan every existing node and edge on each call
    (quadratic); links here are already unique, so its Node and Edge records are
    built directly. Entity sizes and counts come from the whole build (`full`), so a
    capped page agrees with the build."""
    from pyvis.edge import Edge
    from pyvis.network import Network
    from pyvis.node import Node

    net = Network(directed=False, cdn_resources="in_line")
    ids: dict[str, str] = {}
    degree: dict[str, int] = {}
    for m in kg.mentions:
        degree[m.comment_id] = degree.get(m.comment_id, 0) + 1

    def node(key: str, label: str, kind: str, size: float) -> None:
        ids[key] = f"n{len(ids)}"  # keys are namespaced (ck/ek): a comment id may equal an entity id
        n = Node(ids[key], shape=STYLE[kind][1], label=label, color=STYLE[kind][0], size=size, group=kind)
        net.nodes.append(n.options)
        net.node_ids.append(ids[key])
        net.node_map[ids[key]] = n.options

    def edge(a: str, b: str, kind: str, **extra) -> None:
        colour, dashes, _ = EDGE_STYLE[kind]
        net.edges.append({**Edge(a, b, False, color=colour, dashes=dashes).options, "kind": kind, **extra})

    for c in kg.comments:
        node(ck(c.id), comment_label(c.author, c.text), "comment", 8 + min(12, degree.get(c.id, 0)))
    most = max((e.comment_count for e in full.entities.values()), default=1) or 1
    for e in kg.entities.values():
        count = full.entities[e.id].comment_count if e.id in full.entities else e.comment_count
        node(ek(e.id), e.label[:40], e.kind, round(9 + 17 * math.sqrt(count / most), 1))
    # mention and wrote edges are not listed: the page derives them from each comment's mentions
    # and author, which it carries anyway (a tenth of a large page's bytes saved)
    author_of = {a: e.id for e in kg.entities.values() for a in e.accounts}
    for e in kg.entities.values():
        if e.creator and ek(e.creator) in ids:
            edge(ids[ek(e.id)], ids[ek(e.creator)], "created")
    return net, ids, author_of


def strength(n: int, count_a: int, count_b: int) -> float:
    """How much two entities belong together: comments naming both over the geometric mean of the
    comments naming each (the cosine, or Ochiai, coefficient). Raw counts would tie every entity to
    the two or three most-mentioned ones; this ties it to what it is discussed with, which is what
    clusters a map. A pair seen once is noise beside any pair seen twice, so it ranks after them."""
    return (n >= 2) + n / math.sqrt(max(1, count_a) * max(1, count_b))


def _neighbours(together: Counter[tuple[str, str]], counts: dict[str, int],
                ids: dict[str, str]) -> dict[str, list[list]]:
    """entity node -> [[co-mentioned entity node, comments naming both], ...], those that belong
    with it most first (see `strength`)."""
    near: dict[str, list[tuple[float, str, int]]] = {}
    for (a, b), n in together.items():
        how = strength(n, counts[a], counts[b])
        near.setdefault(ids[ek(a)], []).append((-how, ids[ek(b)], n))
        near.setdefault(ids[ek(b)], []).append((-how, ids[ek(a)], n))
    return {node: [[other, n] for _, other, n in sorted(pairs)[:CO_NEIGHBOURS]] for node, pairs in sorted(near.items())}


def _map_layout(kg: "CommentGraph", together: Counter[tuple[str, str]],
                counts: Counter[str]) -> dict[str, tuple[float, float]]:
    """The opening map: the MAP_SIZE most-mentioned entities, clustered by who and what is
    mentioned together (Louvain communities start apart, then a force layout settles them),
    scaled to fill the graph pane at zoom 1 so labels open at their own size."""
    import networkx as nx

    top = sorted(e.id for e in _ranked(kg)[:MAP_SIZE])
    if not top:  # comments that name nothing: an empty map, the comments found by search
        return {}
    g = nx.Graph()
    g.add_nodes_from(top)
    on_map = set(top)
    g.add_weighted_edges_from((a, b, strength(n, counts[a], counts[b])) for (a, b), n in together.items()
                              if a in on_map and b in on_map)
    communities = sorted((sorted(c) for c in nx.community.louvain_communities(g, weight="weight", seed=7)),
                         key=lambda c: (-len(c), c))
    start = {}
    for k, members in enumerate(communities):
        cx, cy = math.cos(2 * math.pi * k / len(communities)), math.sin(2 * math.pi * k / len(communities))
        for j, n in enumerate(members):
            start[n] = (cx + 0.15 * math.cos(j * 2.399), cy + 0.15 * math.sin(j * 2.399))
    pos = nx.spring_layout(g, pos=start, seed=7, iterations=60, k=1.6 / math.sqrt(max(1, len(top))))
    return _fit_box(pos)


def _fit_box(pos: dict) -> dict[str, tuple[float, float]]:
    if not pos:
        return {}
    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    w, h = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    mx, my = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return {n: (round((x - mx) / w * MAP_BOX[0], 1), round((y - my) / h * MAP_BOX[1], 1)) for n, (x, y) in pos.items()}


def _positions(kg: "CommentGraph", ids: dict[str, str], together: Counter[tuple[str, str]],
               counts: Counter[str], near: dict[str, list[list]]) -> dict[str, tuple]:
    """A layout computed here for large graphs, in about a second at ten thousand comments:
    the map's entities as `_map_layout` places them; every other entity beside its strongest
    placed partner; every other node at the centre of the placed nodes it links to, spread on
    a small deterministic spiral."""
    pos = {ids[ek(e)]: p for e, p in _map_layout(kg, together, counts).items()}
    for k, e in enumerate(_ranked(kg)):  # most-mentioned first, so partners are placed before their partners
        node = ids[ek(e.id)]
        anchor = next((pos[other] for other, _ in near.get(node, ()) if other in pos), None)
        if node not in pos and anchor:
            pos[node] = (anchor[0] + 70 * math.cos(k * 2.399), anchor[1] + 70 * math.sin(k * 2.399))
    links: dict[str, list[str]] = {}
    for m in kg.mentions:
        links.setdefault(ids[ck(m.comment_id)], []).append(ids[ek(m.entity_id)])
        links.setdefault(ids[ek(m.entity_id)], []).append(ids[ck(m.comment_id)])
    for k, node in enumerate(sorted(ids.values(), key=lambda n: int(n[1:]))):
        if node in pos:
            continue
        anchors = [pos[x] for x in links.get(node, ()) if x in pos]
        cx = sum(p[0] for p in anchors) / len(anchors) if anchors else 0.0
        cy = sum(p[1] for p in anchors) / len(anchors) if anchors else 0.0
        r = 40 + 8 * math.sqrt(k % 400) + (0 if anchors else MAP_BOX[0])
        pos[node] = (cx + r * math.cos(k * 2.399), cy + r * math.sin(k * 2.399))
    return {n: (round(x, 1), round(y, 1)) for n, (x, y) in pos.items()}


def bounded(kg: "CommentGraph", limit: int | None = None, *, part: bool = False) -> tuple["CommentGraph", str | None]:
    """The graph a page can carry: all of it, or the `limit` comments linked to the most of the
    most-mentioned entities (a browser cannot hold a hundred thousand comments' text), with a
    note saying so; `part`: `kg` is a neighbourhood, not a whole build."""
    limit = MAX_PAGE_COMMENTS if limit is None else limit
    if len(kg.comments) <= limit:
        return kg, None
    hubs = {e.id for e in _ranked(kg)[:300]}
    reach: dict[str, set[str]] = {}
    for m in kg.mentions:
        if m.entity_id in hubs:
            reach.setdefault(m.comment_id, set()).add(m.entity_id)
    chosen = sorted(kg.comments, key=lambda c: (-len(reach.get(c.id, ())), c.index))[:limit]
    whole = "this neighbourhood's" if part else "the build's"
    narrower = "a smaller --depth" if part else "'comment-graph html OUTPUT_DIR --around NAME'"
    note = (f"This page holds {limit:,} of {whole} {len(kg.comments):,} comments: those linked to the most of "
            f"the {len(hubs)} most-mentioned entities. Counts are the whole build's. {narrower} draws a narrower "
            "part; SPARQL over graph.ttl sees everything.")
    return kg.subgraph({c.id for c in chosen}), note


def _comment_info(kg: "CommentGraph", ids: dict[str, str], author_of: dict[str, str]) -> dict[str, dict]:
    info = {}
    for c in kg.comments:
        info[ids[ck(c.id)]] = {
            "kind": "comment", "label": comment_label(c.author, c.text, words=8), "id": c.id, "text": c.text,
            "author": c.author, "by": ids[ek(author_of[c.author])] if c.author in author_of else None,
            "post": c.post_title, "date": c.created_at.date().isoformat() if c.created_at else None,
            "quotes": [[utf16(c.text, q.start), utf16(c.text, q.end)] for q in c.quotes], "mentions": []}
    texts = {c.id: c.text for c in kg.comments}
    for m in kg.mentions:
        text = texts[m.comment_id]
        info[ids[ck(m.comment_id)]]["mentions"].append(
            [utf16(text, m.start), utf16(text, m.end), m.kind, ids[ek(m.entity_id)]])
    return info


def _entity_info(kg: "CommentGraph", full: "CommentGraph", ids: dict[str, str]) -> dict[str, dict]:
    info = {}
    for e in kg.entities.values():
        whole = full.entities.get(e.id, e)  # counts are the build's, on a capped page too
        info[ids[ek(e.id)]] = {"kind": e.kind, "label": e.label, "id": e.id, "aliases": e.aliases[:20],
                               "mentions": whole.mention_count, "comments": whole.comment_count,
                               "unresolved": e.unresolved}
    return info


def page_data(kg: "CommentGraph", heading: str | None = None) -> dict:
    """Everything the page shows, as JSON-ready data; `heading` says what part of a build it is."""
    full = kg
    kg, note = bounded(kg, part=heading is not None)
    net, ids, author_of = _network(kg, full)
    nodes, edges = net.nodes, net.edges
    together, counts = co_mentions(kg)
    near = _neighbours(together, counts, ids)
    large = len(nodes) > BOUNDED_LIMIT
    if len(nodes) > PHYSICS_LIMIT:
        pos = _positions(kg, ids, together, counts, near)
        for n in nodes:
            n["x"], n["y"] = pos[n["id"]]
    ranked = _ranked(kg)
    for rank, e in enumerate(ranked):  # the most-mentioned entities get the largest labels
        ids_e = ids[ek(e.id)]
        net.node_map[ids_e]["font"] = {"size": 18 if rank < 10 else 15 if rank < 40 else 13}
    for n in nodes:
        if n["group"] == "comment":
            n["font"] = {"size": 11}
    initial = sorted(ids[ek(e.id)] for e in ranked[:MAP_SIZE]) if large else None
    summary = full.summary(top=8).model_dump()
    for rows in summary["top"].values():
        for r in rows:
            r["node"] = ids.get(ek(r["entity_id"]))
    keep = ("id", "label", "shape", "color", "size", "group", "x", "y", "font")  # nothing pyvis adds carries text
    return {"nodes": [{k: n[k] for k in keep if k in n} for n in nodes],
            "edges": [{"from": e["from"], "to": e["to"], "kind": e["kind"]} for e in edges],
            "co": near, "info": _entity_info(kg, full, ids), "comments": _comment_info(kg, ids, author_of),
            "summary": summary,
            "shown": {"comments": len(kg.comments), "entities": len(kg.entities)},
            "physics": len(nodes) <= PHYSICS_LIMIT, "initial": initial, "note": note, "heading": heading,
            "style": {k: {"color": v[0], "shape": v[1]} for k, v in STYLE.items()},
            "edgeStyle": {k: {"color": v[0], "dashes": v[1], "label": v[2]} for k, v in EDGE_STYLE.items()}}


def safe_json(data: dict) -> str:
    """JSON that cannot close its <script> element or open a comment in HTML."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _comment_blocks(comments: dict[str, dict]) -> str:
    """The comments as JSON blocks of COMMENT_BLOCK each: the page draws its map first and reads
    these afterwards a few at a time, so no single parse holds the browser up."""
    keys = list(comments)
    return "\n".join(f'<script type="application/json" class="comment-data">'
                     f'{safe_json({k: comments[k] for k in keys[i:i + COMMENT_BLOCK]})}</script>'
                     for i in range(0, len(keys), COMMENT_BLOCK))


def render_html(kg: "CommentGraph", heading: str | None = None) -> str:
    js, css = _vis_assets()
    template = resources.files("comment_graph.export").joinpath("page.html").read_text(encoding="utf-8")
    app = resources.files("comment_graph.export").joinpath("page.js").read_text(encoding="utf-8")
    data = page_data(kg, heading)
    parts = {"/*VIS_CSS*/": css, "/*VIS_JS*/": js.replace("</script", "<\\/script"), "/*APP_JS*/": app,
             "{{COMMENTS}}": _comment_blocks(data.pop("comments")), "{{DATA}}": safe_json(data)}
    # one pass over the template: a comment that reads "{{DATA}}" is never itself replaced
    return re.sub("|".join(re.escape(k) for k in parts), lambda m: parts[m.group(0)], template)


def write_html(kg: "CommentGraph", path: Path, *, heading: str | None = None) -> Path:
    """The page, written atomically; `heading` (e.g. "Around Yann LeCun, depth 2") titles it."""
    return write_atomic(path, render_html(kg, heading).encode("utf-8"))
