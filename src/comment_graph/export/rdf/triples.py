"""Which triples: the blocks (a subject and its predicate-object pairs) for each comment, its
quotes and annotations, the nodes comments share, the entities, the rankings (top annotations,
companions, co-occurring concepts) and the build's provenance, in a fixed order, and how they
divide into sections separate processes can write."""

from __future__ import annotations

import functools
import heapq
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from rdflib.namespace import XSD

from ..._version import __version__
from ...config import EXECUTION_OPTIONS
from ...text import digest
from .terms import (ENTITY_CLASS, LABEL, LINK, MOTIVATION, POSITIVE, Iris, V, _quoted, _selector_name, boolean,
                    count, decimal, iri_term, literal)

if TYPE_CHECKING:
    from ...graph import CommentGraph
    from ...models import Comment, Entity, Mention

Block = tuple[str, list[tuple[str, str]]]   # a subject and its (predicate, object) pairs


# options that change how a build runs, not what it finds; file paths stay out of the graph too
RUNTIME_OPTIONS = {"people_files", "vocab_files", "allow_empty"} | EXECUTION_OPTIONS


class _Shared:
    """Nodes many comments point to (an author's account, a post, a wording's selector): their
    triples, gathered in order of first use and merged, are written once, after the comments."""

    def __init__(self) -> None:
        self.nodes: dict[str, dict[tuple[str, str], None]] = {}

    def add(self, s: str, pairs: list[tuple[str, str]]) -> None:
        self.nodes.setdefault(s, {}).update(dict.fromkeys(pairs))

    def blocks(self) -> Iterator[Block]:
        return ((s, list(pairs)) for s, pairs in self.nodes.items())


def _comment_blocks(iri: Iris, c: "Comment", links: list[tuple[str, str]]) -> Iterator[Block]:
    node = iri("comment", c.id)
    po = [(V.type, V.Post), (V.content, literal(c.text)), (V.identifier, literal(c.id)),
          (V.cg["index"], count(c.index))]
    if c.created_at:
        po.append((V.created, literal(c.created_at.isoformat(), XSD.dateTime)))
    if c.url:
        po.append((V.url, literal(c.url, XSD.anyURI)))
    if c.parent_id:
        po.append((V.reply_of, iri("comment", c.parent_id)))
    if c.author:
        po.append((V.has_creator, iri("account", c.author)))
    if c.post_title or c.post_url:
        po.append((V.has_container, iri("post", c.post_url or c.post_title)))
    quotes = []
    for n, q in enumerate(c.quotes, start=1):
        qn = iri("comment", c.id, "quote", str(n))
        po.append((V.cg["quotes"], qn))
        quote = [(V.type, V.cg["Quote"]), (V.cg["text"], literal(q.text)),
                 (V.cg["start"], count(q.start)), (V.cg["end"], count(q.end))]
        if q.source_id:
            quote.append((V.cg["quotedFrom"], iri("comment", q.source_id)))
        quotes.append((qn, quote))
    yield node, po + links
    yield from quotes


def _comment_shared(iri: Iris, c: "Comment", shared: _Shared) -> None:
    """The author's account and the post of a comment (`_comment_blocks` links to them)."""
    if c.author:
        shared.add(iri("account", c.author), [(V.type, V.UserAccount), (V.name, literal(c.author))])
    if c.post_title or c.post_url:
        about = [(V.type, V.Container)]
        if c.post_title:
            about.append((V.title, literal(c.post_title)))
        if c.post_url:
            about.append((V.url, literal(c.post_url, XSD.anyURI)))
        shared.add(iri("post", c.post_url or c.post_title), about)


def _entity_blocks(iri: Iris, e: "Entity", own: int, quoted: int, top: list[str]) -> Iterator[Block]:
    node = iri.entity(e.id)
    po = [(V.type, ENTITY_CLASS[e.kind]), (LABEL[e.kind], literal(e.label)),
          (V.cg["commentCount"], count(own + quoted)), (V.cg["ownCount"], count(own)),
          (V.cg["quotedCount"], count(quoted))]
    po += [(V.altLabel, literal(a)) for a in e.aliases]
    po += [(V.sameAs, iri_term(s)) for s in e.same_as]
    if e.unresolved:
        po.append((V.cg["unresolved"], boolean(True)))
    if e.is_page_author:
        po.append((V.cg["pageAuthor"], boolean(True)))
    if e.creator:
        po.append((V.creator, iri.entity(e.creator)))
    if e.url:
        po.append((V.url, literal(e.url, XSD.anyURI)))
    po += [(V.broader, iri.entity(b)) for b in e.broader]
    po += [(V.account, iri("account", a)) for a in e.accounts]  # the person behind a comment author's account
    po += [(V.cg["topAnnotation"], a) for a in top]
    yield node, po
    for a in e.accounts:
        yield iri("account", a), [(V.account_of, node)]


def _evidence(ms: list["Mention"]) -> "Mention":
    """The occurrence a link's annotation points to: the first in the comment's own words (a
    quoted one only when the comment never uses the words itself)."""
    return min(ms, key=lambda x: (x.in_quote, x.start))


def reason(ms: list["Mention"]) -> str:
    """Why a name alone was read as the person it links to ("corpus full name", "cue: speech verb"),
    from the first occurrence that needed a reason: a full name needs none, nor any other kind."""
    if ms[0].kind != "person" or any(" " in x.key for x in ms):
        return ""  # the link names the person in full: that is its own evidence
    return next((x.attrs.get("resolved_by") or x.attrs.get("cue") for x in ms
                 if x.attrs.get("resolved_by") or x.attrs.get("cue")), "")


def _wording(iri: Iris, surface: str) -> str:
    return iri("selector", "exact", _selector_name(surface))  # one node per distinct wording


def _annotation_blocks(iri: Iris, ms: list["Mention"], comment: str, weight: float | None) -> Iterator[Block]:
    """One annotation per link (comment, entity): its evidence (see `_evidence`); the count says
    how many occurrences there are.

    One node per link rather than per occurrence keeps SPARQL joins over the evidence small:
    engines without a join planner (rdflib) multiply annotations by selectors.
    `_TurtleAnnotations` writes the same blocks as Turtle from a template: change both (a test
    compares them).
    """
    m = _evidence(ms)
    ann = _annotation_iri(comment, m.entity_id)
    target, pos = ann[:-1] + "/target>", ann[:-1] + "/position>"
    body = iri.entity(m.entity_id)
    about = [(V.type, V.Annotation), (V.hasBody, body), (V.hasTarget, target),
             (V.motivatedBy, MOTIVATION.get(m.kind, V.identifying)), (V.cg["extractor"], literal(m.extractor)),
             (V.cg["confidence"], decimal(max(x.score for x in ms))), (V.cg["inQuote"], boolean(all(x.in_quote for x in ms))),
             (V.cg["occurrences"], count(len(ms), POSITIVE))]
    if weight is not None:
        about.append((V.cg["weight"], decimal(weight)))
    why = reason(ms)
    if why:
        about.append((V.cg["resolvedBy"], literal(why)))
    yield ann, about
    yield target, [(V.type, V.SpecificResource), (V.hasSource, comment), (V.hasSelector, pos),
                   (V.hasSelector, _wording(iri, m.surface))]
    yield pos, [(V.type, V.TextPositionSelector), (V.start, count(m.start)), (V.end, count(m.end))]


def _annotation_iri(comment: str, entity_id: str) -> str:
    """The annotation of the link from a comment (its IRI term) to an entity."""
    return comment[:-1] + "/annotation/" + _quoted(entity_id.replace("/", "-")) + ">"


TOP_ANNOTATIONS = 200  # per concept: what the comments-about query reads instead of every link


def _top_annotations(iri: Iris, kg: "CommentGraph") -> dict[str, list[str]]:
    """Each concept's links of highest weight, best first (ties in input order): fixed at build
    time, so a store answers "the comments most about X" by reading them, not by sorting all."""
    index = {c.id: c.index for c in kg.comments}
    links: dict[str, list[tuple[float, int, str]]] = {}
    for s in kg.subjects:
        links.setdefault(s.entity_id, []).append((-s.weight, index[s.comment_id], s.comment_id))
    return {eid: [_annotation_iri(iri("comment", cid), eid) for _, _, cid in heapq.nsmallest(TOP_ANNOTATIONS, ranked)]
            for eid, ranked in links.items()}


TOP_COMPANIONS = 50  # per person or organization: what the mentioned-with query reads


def _comentions(iri: Iris, kg: "CommentGraph", links: Iterable[Iterable[str]]) -> Iterator[Block]:
    """For each person and organization, the entities named or discussed in most of the same
    comments (the top 50, ties by id), counted at build time: a store answers "what is X
    mentioned with" by reading fifty nodes, not by grouping every link of X's comments."""
    named = {eid for eid, e in kg.entities.items() if e.kind in ("person", "organization")}
    together: dict[str, Counter] = {}
    for ids in links:
        ids = set(ids)
        for eid in ids & named:
            together.setdefault(eid, Counter()).update(ids - {eid})
    for eid in sorted(together):
        top = heapq.nsmallest(TOP_COMPANIONS, together[eid].items(), key=lambda x: (-x[1], x[0]))
        for rank, (other, n) in enumerate(top, start=1):
            node = iri("comention", f"{eid.replace('/', '-')}--{other.replace('/', '-')}")
            yield node, [(V.type, V.cg["Comention"]), (V.cg["named"], iri.entity(eid)),
                         (V.cg["companion"], iri.entity(other)), (V.cg["count"], count(n)),
                         (V.cg["rank"], count(rank, POSITIVE))]


def _provenance(iri: Iris, kg: "CommentGraph") -> Iterator[Block]:
    options = kg.config.model_dump_json(exclude=RUNTIME_OPTIONS)
    run = iri("build", digest("|".join(i.sha256 for i in kg.inputs) + options, 16))
    used = {i.sha256: i for i in kg.inputs}
    yield run, [(V.type, V.Activity), (V.type, V.cg["Build"]), (V.cg["toolVersion"], literal(f"comment-graph {__version__}")),
                (V.cg["option"], literal(options))] + [(V.used, iri_term(f"urn:sha256:{h}")) for h in sorted(used)]
    for h, info in sorted(used.items()):
        yield iri_term(f"urn:sha256:{h}"), [(V.cg["sha256"], literal(h)), (V.title, literal(Path(info.path).name)),
                                             (V.fmt, literal(info.format))]


def _cooccurrence(iri: Iris, kg: "CommentGraph") -> Iterator[Block]:
    pairs = kg.concept_cooccurrence()
    # a rank fixed at build time lets a store take the top pairs without sorting them (ties by id)
    rank = {pair: r for r, (pair, _) in enumerate(sorted(pairs.items(), key=lambda x: (-x[1], x[0])), start=1)}
    for (a, b), n in sorted(pairs.items()):
        node = iri("cooccurrence", f"{a.split('/', 1)[1]}--{b.split('/', 1)[1]}")
        yield node, [(V.type, V.cg["Cooccurrence"]), (V.cg["concept"], iri.entity(a)), (V.cg["concept"], iri.entity(b)),
                     (V.cg["count"], count(n)), (V.cg["rank"], count(rank[a, b], POSITIVE))]


class _Links:
    """Each comment's links, grouped by entity, and each entity's counts of comments: what every
    section of the export reads. Held as arrays of positions into the graph's mentions and
    subjects, grouped by comment (a comment's links are grouped by entity when a writer asks for
    them): dicts of lists of millions of mentions took some 400 MB at 100,000 comments, made
    before the writers fork, and every list a forked writer read was one more page copied."""

    def __init__(self, kg: "CommentGraph") -> None:
        self.kg, self.iri = kg, Iris(kg.config.base_iri)
        self.group: dict[str, int] = {}  # comment id -> its group (mentions may name comments not in the graph)
        for c in kg.comments:
            self.group.setdefault(c.id, len(self.group))
        group, mentions = self.group, len(kg.mentions)
        of_mention = np.fromiter((group.setdefault(m.comment_id, len(group)) for m in kg.mentions), np.int64, mentions)
        self._mentions = _grouped(of_mention, len(group))
        of_subject = np.fromiter((group.get(s.comment_id, -1) for s in kg.subjects), np.int64, len(kg.subjects))
        self._subjects = _grouped(of_subject, len(group))
        entity: dict[str, int] = {}
        ids = np.fromiter((entity.setdefault(m.entity_id, len(entity)) for m in kg.mentions), np.int64, mentions)
        quoted = np.fromiter((m.in_quote for m in kg.mentions), np.bool_, mentions)
        self._tally(of_mention, ids, quoted, list(entity))

    def _tally(self, of_mention, ids, quoted, entity_ids: list[str]) -> None:
        """Each entity's comments where it is named in the comment's own words (`own`) and where
        only in quotes (`quoted`); each group's linked entities (`_linked`, `_linked_at`)."""
        link = of_mention * max(1, len(entity_ids)) + ids
        order = np.argsort(link, kind="stable")
        link, quoted = link[order], quoted[order]
        first = np.flatnonzero(np.r_[True, link[1:] != link[:-1]]) if len(link) else np.zeros(0, np.int64)
        all_quoted = np.logical_and.reduceat(quoted, first) if len(first) else quoted
        linked = ids[order][first]
        self.own = _counts(linked[~all_quoted], entity_ids)
        self.quoted = _counts(linked[all_quoted], entity_ids)
        self._linked = linked.tolist()
        self._linked_at = np.searchsorted(of_mention[order][first], np.arange(len(self.group) + 1)).tolist()
        self._entity_ids = entity_ids

    def links_of(self, comment_id: str) -> dict[str, list]:
        """The comment's mentions grouped by entity (entities in order of first mention)."""
        ms_of: dict[str, list] = {}
        for m in _members(self.kg.mentions, self._mentions, self.group.get(comment_id)):
            ms_of.setdefault(m.entity_id, []).append(m)
        return ms_of

    def weights_of(self, comment_id: str) -> dict[str, float]:
        """The comment's subjects' weights by entity (the last one given, for an entity given twice)."""
        return {s.entity_id: s.weight for s in _members(self.kg.subjects, self._subjects, self.group.get(comment_id))}

    def entity_sets(self) -> Iterator[list[str]]:
        """Each comment's linked entities."""
        ids, linked, at = self._entity_ids, self._linked, self._linked_at
        return ([ids[k] for k in linked[a:b]] for a, b in zip(at[:-1], at[1:]))

    def ranges(self, parts: int) -> list[tuple[int, int]]:
        """`parts` consecutive ranges of comments with about as many links each."""
        comments, at = self.kg.comments, self._linked_at
        sizes = [1 + at[g + 1] - at[g] for g in map(self.group.__getitem__, (c.id for c in comments))]
        total, bounds, done, start = sum(sizes), [], 0, 0
        for i, size in enumerate(sizes):
            done += size
            if len(bounds) < parts - 1 and done * parts >= total * (len(bounds) + 1):
                bounds.append((start, i + 1))
                start = i + 1
        return bounds + [(start, len(comments))]


def _grouped(of: np.ndarray, groups: int) -> tuple[np.ndarray, list[int]]:
    """Positions grouped by the group each belongs to (in order within a group; -1: none), and where
    each group starts: group g holds positions[starts[g]:starts[g + 1]]."""
    order = np.argsort(of, kind="stable")
    return order, np.searchsorted(of[order], np.arange(groups + 1)).tolist()


def _members(items: list, grouped: tuple, g: int | None) -> Iterator:
    if g is None:
        return iter(())
    order, starts = grouped
    return map(items.__getitem__, order[starts[g]:starts[g + 1]].tolist())


def _counts(ids: np.ndarray, entity_ids: list[str]) -> dict[str, int]:
    counts = np.bincount(ids, minlength=len(entity_ids)).tolist()
    return {eid: n for eid, n in zip(entity_ids, counts) if n}


class _CommentRange:
    """The section of comments `start`..`end`: each with its quotes and one annotation per link.
    Called, it gives the blocks; the Turtle writer formats its annotations directly (see
    `_TurtleAnnotations`), as they are most of the file."""

    def __init__(self, links: _Links, start: int, end: int) -> None:
        self.links, self.start, self.end = links, start, end

    def __call__(self) -> Iterator[Block]:
        for c, node, ms_of, weights in self.comments():
            yield from self.comment_blocks(c, ms_of)
            for eid, ms in ms_of.items():
                yield from _annotation_blocks(self.links.iri, ms, node, weights.get(eid))

    def comments(self) -> Iterator[tuple["Comment", str, dict[str, list], dict[str, float]]]:
        """Each comment, its node's IRI term, its mentions grouped by entity and its links' weights."""
        iri, links = self.links.iri, self.links
        for c in links.kg.comments[self.start:self.end]:
            yield c, iri("comment", c.id), links.links_of(c.id), links.weights_of(c.id)

    def comment_blocks(self, c: "Comment", ms_of: dict[str, list]) -> Iterator[Block]:
        iri = self.links.iri
        return _comment_blocks(iri, c, [(LINK[ms[0].kind], iri.entity(eid)) for eid, ms in ms_of.items()])


def _shared_nodes(links: _Links) -> Iterator[Block]:
    """What the comments point to: accounts, posts and wordings, each described once."""
    iri, shared = links.iri, _Shared()
    worded: set[str] = set()  # a wording's triples are the same each time: add them once
    for c in links.kg.comments:
        _comment_shared(iri, c, shared)
        for ms in links.links_of(c.id).values():
            surface = _evidence(ms).surface
            if surface not in worded:
                worded.add(surface)
                shared.add(_wording(iri, surface), [(V.type, V.TextQuoteSelector), (V.exact, literal(surface))])
    return shared.blocks()


def _entities(links: _Links) -> Iterator[Block]:
    kg, iri = links.kg, links.iri
    top = _top_annotations(iri, kg)
    for e in sorted(kg.entities.values(), key=lambda e: e.id):
        yield from _entity_blocks(iri, e, links.own.get(e.id, 0), links.quoted.get(e.id, 0), top.get(e.id, []))


def _rankings(links: _Links) -> Iterator[Block]:
    """The build-time rankings, and the build's provenance."""
    yield from _cooccurrence(links.iri, links.kg)
    yield from _comentions(links.iri, links.kg, links.entity_sets())
    yield from _provenance(links.iri, links.kg)


def _sections(links: _Links, parts: int) -> list[Callable[[], Iterator[Block]]]:
    return [_CommentRange(links, a, b) for a, b in links.ranges(parts)] + \
        [functools.partial(f, links) for f in (_shared_nodes, _entities, _rankings)]


def sections(kg: "CommentGraph", parts: int = 1) -> list[Callable[[], Iterator[Block]]]:
    """The export as consecutive sections: `parts` ranges of comments, then what they point to
    (accounts, posts, wordings), the entities, and the rankings. Each can be written by its own
    process; in this order they are `blocks(kg)`."""
    return _sections(_Links(kg), parts)


def blocks(kg: "CommentGraph") -> Iterator[Block]:
    """Every triple of the export, grouped by subject, in a fixed order."""
    for section in sections(kg):
        yield from section()


# ---- writers ------------------------------------------------------------------------------


