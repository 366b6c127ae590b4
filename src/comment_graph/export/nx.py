"""The networkx view: comments and entities as nodes, mentions and links as typed edges."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import networkx as nx

from ..text import unique_ids

if TYPE_CHECKING:
    from ..graph import CommentGraph

RELATION = {"person": "mentions", "organization": "mentions", "concept": "subject", "work": "references"}


def comment_node(kg: "CommentGraph", comment_id: str) -> str:
    """A comment's node id: its own id, unless an entity already has that id ('comment:' is added)."""
    return f"comment:{comment_id}" if comment_id in kg.entities else comment_id


def links(kg: "CommentGraph") -> dict[str, set[str]]:
    """Node -> the nodes it shares an edge with in `to_networkx`, either way: mentions, creators,
    broader concepts, co-occurring concepts and replies."""
    near: dict[str, set[str]] = {}

    def link(a: str, b: str) -> None:
        near.setdefault(a, set()).add(b)
        near.setdefault(b, set()).add(a)

    for m in kg.mentions:
        link(comment_node(kg, m.comment_id), m.entity_id)
    for e in kg.entities.values():
        for other in ([e.creator] if e.creator else []) + list(e.broader):
            link(e.id, other)
    for a, b in kg.concept_cooccurrence():
        link(a, b)
    ids = {c.id for c in kg.comments}
    for c in kg.comments:
        if c.parent_id in ids:
            link(comment_node(kg, c.id), comment_node(kg, c.parent_id))
    return near


def to_networkx(kg: "CommentGraph") -> nx.MultiDiGraph:
    """Comments (node id = comment id) and entities (node id = 'kind/slug'), with typed edges."""
    g = nx.MultiDiGraph()
    for c in kg.comments:
        g.add_node(comment_node(kg, c.id), kind="comment", label=c.text[:60], text=c.text, author=c.author,
                   index=c.index)
    for e in kg.entities.values():
        g.add_node(e.id, kind=e.kind, label=e.label, aliases=list(e.aliases), mentions=e.mention_count,
                   comments=e.comment_count, unresolved=e.unresolved)
    weights = {(s.comment_id, s.entity_id): s.weight for s in kg.subjects}
    seen: set[tuple[str, str]] = set()
    for m in kg.mentions:
        cn = comment_node(kg, m.comment_id)
        if (m.comment_id, m.entity_id) in seen:
            g.edges[cn, m.entity_id, RELATION[m.kind]]["evidence"].append((m.start, m.end, m.surface))
            continue
        seen.add((m.comment_id, m.entity_id))
        g.add_edge(cn, m.entity_id, key=RELATION[m.kind], relation=RELATION[m.kind],
                   weight=weights.get((m.comment_id, m.entity_id), 1.0), evidence=[(m.start, m.end, m.surface)])
    for e in kg.entities.values():
        if e.creator:
            g.add_edge(e.id, e.creator, key="creator", relation="creator", weight=1.0)
        for b in e.broader:
            g.add_edge(e.id, b, key="broader", relation="broader", weight=1.0)
    for (a, b), n in kg.concept_cooccurrence().items():
        g.add_edge(a, b, key="cooccurs", relation="cooccurs", weight=float(n))
    ids = {c.id for c in kg.comments}
    for c in kg.comments:
        if c.parent_id in ids:
            g.add_edge(comment_node(kg, c.id), comment_node(kg, c.parent_id), key="reply_of", relation="reply_of",
                       weight=1.0)
    return g


def _scalar(v):
    if isinstance(v, (list, tuple)):
        return "; ".join(" ".join(str(x) for x in item) if isinstance(item, tuple) else str(item) for item in v)
    return v


# The characters XML 1.0 cannot hold, not even as a &#...; reference: C0 controls but tab and the
# newlines, lone surrogates, U+FFFE and U+FFFF. A comment may hold any of them (a bell, an ESC from a
# terminal paste, a \u0000 in JSON), and one of them makes the whole file unreadable to Gephi or
# any XML parser, so each becomes U+FFFD, the character that says one was lost here.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_legal(v):
    return NOT_XML.sub("\ufffd", v) if isinstance(v, str) else v


def write_graphml(kg: "CommentGraph", path):
    """GraphML of the networkx view, attributes made scalar and XML-legal, written atomically."""
    import io

    from . import write_atomic

    g = to_networkx(kg)
    # node ids are XML attributes too; two ids that differ only in a replaced character stay two nodes
    ids = dict(zip(g.nodes, unique_ids([xml_legal(n) for n in g.nodes])))
    flat = nx.MultiDiGraph()
    for n, d in g.nodes(data=True):
        flat.add_node(ids[n], **{k: xml_legal(_scalar(v)) for k, v in d.items() if v is not None})
    for a, b, key, d in g.edges(keys=True, data=True):
        flat.add_edge(ids[a], ids[b], key=key, **{k: xml_legal(_scalar(v)) for k, v in d.items() if v is not None})
    buf = io.BytesIO()
    nx.write_graphml(flat, buf, encoding="utf-8")
    return write_atomic(path, buf.getvalue())
