"""Corpus-level resolution: mentions become entities with canonical names; concepts are ranked.

People: a full name maps to the lexicon's canonical name or to the page
author's; a first name or surname alone maps to the one full name in the corpus
(or lexicon) it fits, and stays its own unresolved node when several fit.
Concepts: spellings merge by key (case, plural, hyphen/space, defined and known
abbreviations); each comment keeps its best-weighted concepts.

The package's parts: `people.py`, `concepts.py` (merging, the corpus check, broader links),
`ranking.py` (each comment's best concepts), `ids.py` (entity ids); this module resolves
organizations and works and chains the parts in `resolve`, which changes none of the mentions
it is given: it resolves copies, and returns them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter

from ..lexicon import Lexicons
from ..models import Comment, Entity, Mention, Subject
from ..text import fold
from ..extract.names import ORG_SUFFIXES
from .concepts import SHORT_COMMENT_WORDS, _broader, _concept_entities, _corpus_checked
from .ids import ENTITY, KIND_PRIORITY, LINK, NAMED, _Ids
from .people import PeopleResolver, _authors, _people, _person, author_names
from .ranking import rank_concepts
from .short_forms import unsupported_short_forms

__all__ = ["PeopleResolver", "RESOLVE_STEPS", "Resolution", "drop_overlaps", "rank_concepts", "resolve"]


@dataclass
class Resolution:
    """The entities, the mentions kept (resolved copies of those given), each comment's subjects and
    related()'s wider features; `raw` is every mention as resolution read it (copies of those given,
    work links merged, kept ones resolved): what a later `--append` starts from."""

    entities: dict[str, Entity]
    mentions: list[Mention]
    subjects: list[Subject] = field(default_factory=list)
    features: list[Subject] = field(default_factory=list)
    feature_entities: dict[str, Entity] = field(default_factory=dict)
    raw: list[Mention] = field(default_factory=list)


def drop_overlaps(mentions: list[Mention]) -> list[Mention]:
    """A concept inside a name or title is not a concept; an organization outranks a bare person guess."""
    by_comment: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_comment[m.comment_id].append(m)
    kept: list[Mention] = []
    order = lambda m: (m.start, KIND_PRIORITY[m.kind])  # noqa: E731
    for _, ms in sorted(by_comment.items()):  # sorted a comment at a time: mentions by (comment, start, kind)
        ms = list({(m.start, m.end, m.kind): m for m in reversed(ms)}.values())[::-1]  # one per span and kind
        kept += sorted(_unshadowed(ms), key=order)
    return kept


def _unshadowed(ms: list[Mention]) -> list[Mention]:
    """A comment's mentions less the concepts inside a name or a title (a described work, "the
    MVCC lecture", keeps its topic) and the persons inside an organization as sure as they are."""
    names = bytearray()  # 1 where a name or title stands: one lookup a concept, not a scan of the names
    organizations = []
    for o in ms:
        if o.kind == "concept":
            continue
        if o.kind == "organization":
            organizations.append(o)
        if o.attrs.get("named_by") != "description":
            names.extend(bytes(max(0, o.end - len(names))))
            names[o.start:o.end] = b"\x01" * (o.end - o.start)
    if not names and not organizations:
        return ms
    return [m for m in ms if not (
        m.kind == "concept" and names.find(1, m.start, m.end) >= 0
        or m.kind == "person" and any(o.start < m.end and m.start < o.end and o.score >= m.score
                                      for o in organizations))]


# ---- organizations and works ---------------------------------------------------------

def _organizations(mentions: list[Mention], lex: Lexicons, ids: _Ids, entities: dict[str, Entity]) -> None:
    by_key: dict[str, str] = {}
    for m in mentions:
        eid = by_key.get(m.key)
        if eid is None:
            entry = lex.organizations.get(m.key)
            name = entry.name if entry else m.key
            eid = by_key[m.key] = ids.get("organization", name)
            if eid not in entities:
                entities[eid] = Entity(id=eid, kind="organization", label=name)
        m.entity_id = eid


def _eponymous_bodies(people: list[Mention], organizations: list[Mention]) -> list[Mention]:
    """'Rubin takes two exposures' on a page about the Vera C. Rubin Observatory: a surname alone, in a
    comment that does not name the person in full, is the short name of the body the page names after
    them. Such mentions become the body's (their kind changes in place); the rest are returned."""
    bodies: dict[str, str] = {}  # the word before the suffix -> the body's entity
    for o in organizations:
        words = o.surface.split()
        if len(words) >= 2 and words[-1] in ORG_SUFFIXES and o.entity_id:
            bodies.setdefault(words[-2], o.entity_id)
    if not bodies:
        return people
    in_full = {(m.comment_id, m.entity_id) for m in people if " " in m.key}
    kept = []
    for m in people:
        body = bodies.get(m.key) if " " not in m.key and m.attrs.get("form") == "last" else None
        if body is None or (m.comment_id, m.entity_id) in in_full:
            kept.append(m)
            continue
        m.kind, m.entity_id = "organization", body
        m.attrs = {**m.attrs, "resolved_by": "a body this page names after the person"}
    return kept


def _works(mentions: list[Mention], people: PeopleResolver, ids: _Ids, entities: dict[str, Entity]) -> None:
    _generic_links(mentions)
    titles: dict[str, Counter] = defaultdict(Counter)
    urls: dict[str, str] = {}
    for m in mentions:
        titles[m.key][m.attrs.get("title", m.surface)] += 0.01 if m.attrs.get("generic") else 1
        if m.attrs.get("url"):
            urls.setdefault(m.key, m.attrs["url"])
    best = {key: max(counts.items(), key=lambda kv: (kv[1], -len(kv[0]), kv[0]))[0] for key, counts in titles.items()}
    for m in mentions:
        title = best[m.key]
        eid = ids.get("work", title, m.key)
        ent = entities.get(eid)
        if ent is None:
            ent = entities[eid] = Entity(id=eid, kind="work", label=title, url=urls.get(m.key))
        creator = m.attrs.get("creator")
        if creator and not ent.creator:
            # the creator's node is the one its own mention resolves to ("Weissman's video": one Weissman)
            name, ok = (people.canonical_full(creator), True) if " " in creator else people.single(creator)
            ent.creator = _person(name, ok, people, ids, entities)
        m.entity_id = eid


def _generic_links(mentions: list[Mention]) -> None:
    """"Geoffrey Miller’s post [here](url)": a link with a generic anchor right after a named work
    in the same sentence is that work's URL; the two mentions become one work."""
    named: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        if not m.attrs.get("link"):
            named[m.comment_id].append(m)
    for link in (m for m in mentions if m.attrs.get("generic")):
        before = [m for m in named[link.comment_id] if m.end <= link.start and link.start - m.end <= 40]
        if before:
            work = max(before, key=lambda m: m.end)
            work.attrs = {**work.attrs, "url": link.attrs["url"]}
            link.key = work.key
            link.attrs = {**{k: v for k, v in link.attrs.items() if k != "generic"},
                          "title": work.attrs.get("title", work.surface)}


def _counts(entities: dict[str, Entity], mentions: list[Mention]) -> None:
    per = Counter(map(ENTITY, mentions))
    comments = Counter(map(itemgetter(1), set(map(LINK, mentions))))
    for e in entities.values():
        e.mention_count = per[e.id]
        e.comment_count = comments[e.id]


RESOLVE_STEPS = 7  # what `resolve` reports progress in (its steps are not of one size)


def resolve(comments: list[Comment], mentions: list[Mention], lex: Lexicons, *, page_author: str | None,
            full_names: set[str], max_concepts: int, in_place: bool = False,
            progress: Callable[[int, int], None] | None = None) -> Resolution:
    """Turn every comment's mentions into entities shared across the corpus. The mentions given are
    not changed: copies are resolved (those kept from an earlier build afresh) and returned. With
    `in_place`, for a caller that hands them over, the mentions themselves are: a large build holds
    millions, and copying them all cost a tenth of the resolution's time and a fifth of its memory.
    `progress(done, RESOLVE_STEPS)` is called as each step ends: at 100,000 comments resolution
    takes some 20 s on one core."""
    step = _Steps(progress)
    if in_place:
        raw = mentions
        for m in raw:
            m.entity_id = None
    else:
        raw = [m.copy(entity_id=None) for m in mentions]
    everyday = unsupported_short_forms(raw, lex.concepts)
    mentions = drop_overlaps([m for m in raw if id(m) not in everyday] if everyday else raw)
    step()
    ids, entities = _Ids(), {}
    by_kind = defaultdict(list)
    for m in mentions:
        by_kind[m.kind].append(m)
    authors = {c.author for c in comments if c.author}
    names = author_names(comments)
    res = PeopleResolver(lex, page_author, full_names, authors, names)
    people = _people(by_kind["person"], res, ids, entities)
    author_ids = _authors(comments, res, ids, entities)
    _organizations(by_kind["organization"], lex, ids, entities)
    people = _eponymous_bodies(people, by_kind["organization"])
    _works(by_kind["work"], PeopleResolver(lex, page_author, full_names, authors, names), ids, entities)
    step()
    position = {c.id: i for i, c in enumerate(comments)}
    _concept_entities(by_kind["concept"], lex, ids, entities, position)
    step()
    resolved = [m for m in mentions if m.kind != "person"] + people
    words = {c.id: len(c.text.split()) for c in comments}  # read twice: 136 MB of text split once, not twice
    short = frozenset(cid for cid, n in words.items() if n <= SHORT_COMMENT_WORDS)
    resolved = _corpus_checked(resolved, short)
    step()
    resolved, subjects, features = rank_concepts(comments, resolved, max_concepts, words)
    step()
    feature_entities = {s.entity_id: entities[s.entity_id] for s in features}
    _aliases(entities, resolved)
    _counts(entities, resolved)
    live = set(map(ENTITY, resolved)) | {e.creator for e in entities.values() if e.creator} | \
        set(author_ids.values())
    entities = {k: v for k, v in sorted(entities.items()) if k in live}
    _broader(entities, lex)
    step()
    resolved.sort(key=lambda m: (m.comment_id, m.start, KIND_PRIORITY[m.kind], m.entity_id or ""))
    step()
    return Resolution(entities, resolved, subjects, features, feature_entities, raw)


class _Steps:
    """Counts `resolve`'s steps for its progress callback, if it has one."""

    def __init__(self, progress: Callable[[int, int], None] | None) -> None:
        self.progress, self.done = progress, 0

    def __call__(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, RESOLVE_STEPS)


def _aliases(entities: dict[str, Entity], mentions: list[Mention]) -> None:
    seen: dict[str, set[str]] = defaultdict(set)
    for eid, surface in set(map(NAMED, mentions)):  # each spelling of an entity once, not each mention
        surface = surface.lstrip("@")
        for suffix in ("’s", "'s"):
            surface = surface.removesuffix(suffix)
        seen[eid].add(" ".join(surface.split()))
    for eid, forms in seen.items():
        e = entities[eid]
        e.aliases = sorted((set(e.aliases) | forms) - {e.label}, key=lambda a: (fold(a), a))
