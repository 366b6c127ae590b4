"""Corpus-level resolution: mentions become entities with canonical names; concepts are ranked.

People: a full name maps to the lexicon's canonical name or to the page
author's; a first name or surname alone maps to the one full name in the corpus
(or lexicon) it fits, and stays its own unresolved node when several fit.
Concepts: spellings merge by key (case, plural, hyphen/space, defined and known
abbreviations); each comment keeps its best-weighted concepts.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter

from .lexicon import Lexicons
from .models import Comment, Entity, Mention, Subject
from .text import concept_key, digest, fold, slug
from .urls import handle_key

KIND_PRIORITY = {"work": 0, "person": 1, "organization": 2, "concept": 3}
# what the corpus-wide tallies read of each of millions of mentions, got in C
LINK = attrgetter("comment_id", "entity_id")
ENTITY = attrgetter("entity_id")
NAMED = attrgetter("entity_id", "surface")


@dataclass
class Resolution:
    entities: dict[str, Entity]
    mentions: list[Mention]
    subjects: list[Subject] = field(default_factory=list)
    features: list[Subject] = field(default_factory=list)
    feature_entities: dict[str, Entity] = field(default_factory=dict)


class _Ids:
    """Stable entity ids from labels; a clash of slugs gets a content hash."""

    def __init__(self) -> None:
        self.by_id: dict[str, str] = {}
        # what get() answered: the same again, as `by_id` only ever grows (setdefault)
        self._given: dict[tuple[str, str, str | None], str] = {}

    def get(self, kind: str, label: str, key: str | None = None) -> str:
        """The id of `label`; two things of one label but different `key`s (two URLs) get two ids."""
        given = self._given.get((kind, label, key))
        if given is None:
            base = f"{kind}/{slug(label)}"
            owner = self.by_id.setdefault(base, key or label)
            given = self._given[kind, label, key] = base if owner == (key or label) else \
                f"{base}-{digest(key or label, 6)}"
        return given


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


# ---- people -------------------------------------------------------------------------

class PeopleResolver:
    def __init__(self, lex: Lexicons, page_author: str | None, full_names: set[str],
                 authors: set[str] = frozenset()) -> None:
        self.lex, self.page_author = lex, page_author
        self.handles = {handle_key(a): a for a in sorted(authors)}  # '@quintin_pope' -> 'Quintin Pope' 
        self._memo: dict[str, str] = {}
        self._by_surname: dict[str, list[str]] = defaultdict(list)
        for entry in {id(e): e for e in lex.people.values()}.values():
            if " " in entry.name:
                self._by_surname[entry.name.split()[-1]].append(entry.name)
        self.full = {self.canonical_full(n) for n in full_names}
        self._by_part: dict[str, set[str]] = defaultdict(set)  # first name or surname -> full names
        for n in self.full:
            self._by_part[n.split()[0]].add(n)
            self._by_part[n.split()[-1]].add(n)

    def canonical_full(self, name: str) -> str:
        if name not in self._memo:
            self._memo[name] = self._canonical_full(name)
        return self._memo[name]

    def _canonical_full(self, name: str) -> str:
        given, *_, surname = name.split()
        pa = self.page_author  # the page's own spelling of its author wins over any lexicon
        if pa and pa.split()[-1] == surname and self.lex.same_given_name(pa.split()[0], given):
            return pa
        entry = self.lex.people.get(name)
        if entry:
            return entry.name
        for known in self._by_surname.get(surname, []):
            if self.lex.same_given_name(known.split()[0], given):
                return known
        return name

    def single(self, word: str) -> tuple[str, bool]:
        """(canonical name, resolved?) for a first name or surname alone."""
        fits = sorted({n for w in self.lex.nicknames.get(word, {word}) | {word} for n in self._by_part.get(w, ())})
        if len(fits) == 1:
            return fits[0], True
        if not fits:
            entry = self.lex.people.get(word)
            if entry:
                return entry.name, True
            pa = self.page_author
            if pa and (self.lex.same_given_name(word, pa.split()[0]) or word == pa.split()[-1]):
                return pa, True
        return word, False

    def author(self, name: str) -> str:
        """The person behind a comment author's name (a display name or a handle)."""
        return self.canonical_full(name) if " " in name.strip() and name[:1].isupper() else name

    def resolve(self, m: Mention) -> tuple[str, bool]:
        key = m.key.rstrip("’'")
        if m.surface.startswith("@") or m.attrs.get("form") in ("handle", "profile-link"):
            author = self.handles.get(handle_key(key)) or self.handles.get(handle_key(m.attrs.get("handle", "")))
            if author:
                return self.author(author), True
        if " " in key:
            return self.canonical_full(key), True
        return self.single(key)


def _people(mentions: list[Mention], res: PeopleResolver, ids: _Ids, entities: dict[str, Entity]) -> list[Mention]:
    kept = []
    person: dict[tuple[str, bool], str] = {}  # one entity per (name, resolved?): a name recurs often
    for m in mentions:
        name, ok = res.resolve(m)
        if not ok and m.score < 0.8:
            continue
        eid = person.get((name, ok))
        if eid is None:
            eid = person[name, ok] = _person(name, ok, res, ids, entities)
        m.entity_id = eid
        kept.append(m)
    return kept


def _person(name: str, ok: bool, res: PeopleResolver, ids: _Ids, entities: dict[str, Entity]) -> str:
    label = name if ok else f"{name} (unresolved)"
    eid = ids.get("person", label)
    ent = entities.get(eid)
    if ent is None:
        ent = entities[eid] = Entity(id=eid, kind="person", label=name, unresolved=not ok,
                                     is_page_author=bool(res.page_author and name == res.page_author))
    entry = res.lex.people.get(name)
    if entry and not ent.same_as:
        ent.same_as = list(entry.same_as)
    return eid


def _authors(comments: list[Comment], res: PeopleResolver, ids: _Ids, entities: dict[str, Entity]) -> dict[str, str]:
    """Every comment author is a person; their account names are kept on the person."""
    out: dict[str, str] = {}
    for c in comments:
        if c.author and c.author not in out:
            out[c.author] = eid = _person(res.author(c.author), True, res, ids, entities)
            entities[eid].accounts = sorted({*entities[eid].accounts, c.author})
    return out


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
            name = people.canonical_full(creator) if " " in creator else people.single(creator)[0]
            ent.creator = ids.get("person", name)
            entities.setdefault(ent.creator, Entity(id=ent.creator, kind="person", label=name,
                                                    is_page_author=name == people.page_author))
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


# ---- concepts ---------------------------------------------------------------------------

def _abbreviations(mentions: list[Mention], lex: Lexicons) -> dict[str, str]:
    """Abbreviation key -> long-form key, from definitions in the text."""
    table: dict[str, str] = {}
    for m in mentions:
        if "abbr" in m.attrs:
            table.setdefault(concept_key(m.attrs["abbr"]), m.key)
    return table


NEGATIONS = ("un", "non ", "non")


def _negation_merge(keys: set[str]) -> dict[str, str]:
    """'unkind agi' -> 'kind agi' when both appear: one topic, seen from both sides."""
    out = {}
    for k in keys:
        for prefix in NEGATIONS:
            if k.startswith(prefix) and k[len(prefix):] in keys:
                out[k] = k[len(prefix):]
    return out


def _concept_entities(mentions: list[Mention], lex: Lexicons, ids: _Ids,
                      entities: dict[str, Entity]) -> None:
    abbr = _abbreviations(mentions, lex)
    by_key: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        key = abbr.get(m.key, m.key)
        vc = lex.concepts.get(key)
        by_key[concept_key(vc.pref) if vc else key].append(m)
    for neg, pos in _negation_merge(set(by_key)).items():
        by_key[pos] += by_key.pop(neg)
    for key, ms in sorted(by_key.items()):
        vc = lex.concepts.get(key)
        label = vc.pref if vc else _preferred_surface(ms, abbr)
        eid = ids.get("concept", label)
        ent = entities.setdefault(eid, Entity(id=eid, kind="concept", label=label))
        seen = {m.surface for m in ms} | ({*vc.alts} if vc else set())
        ent.aliases = sorted(set(ent.aliases) | {s for s in seen if s != label})
        if vc:
            ent.broader = list(vc.broader)  # vocabulary IRIs; mapped to entity ids later
        for m in ms:
            m.entity_id = eid


def _preferred_surface(ms: list[Mention], abbr: dict[str, str]) -> str:
    forms = Counter()
    for m in ms:
        s = m.surface
        keep_case = s.isupper() or (not s[1:].islower() and any(ch.isupper() for ch in s[1:])) \
            or m.attrs.get("source") == "proper name"
        forms[s if keep_case else s.lower()] += 1
    full = [f for f in forms if concept_key(f) not in abbr]
    return sorted(full or forms, key=lambda f: (-forms[f], len(f), f))[0]


def _corpus_checked(mentions: list[Mention]) -> list[Mention]:
    """A lone everyday-ish noun ("vacuum", "throughput") counts as a term only when at least two
    comments of the corpus use it: domain vocabulary recurs, passing words do not."""
    from .extract.concepts import CORPUS_CHECKED

    spread = Counter(map(itemgetter(1), set(map(LINK, (m for m in mentions if m.kind == "concept")))))
    return [m for m in mentions if not (m.kind == "concept" and m.score == CORPUS_CHECKED and spread[m.entity_id] < 2)]


def rank_concepts(comments: list[Comment], mentions: list[Mention], max_per_comment: int) -> tuple[
        list[Mention], list[Subject], list[Subject]]:
    """Keep each comment's best concepts: termhood x frequency in the comment x mild rarity in the corpus."""
    per_comment = _concept_tallies(mentions)
    df = Counter(eid for by_ent in per_comment.values() for eid in by_ent)  # comments using each concept
    n = max(1, len(comments))
    idf = {eid: math.log((n + 1) / (d + 0.5)) / math.log(n + 1.5) for eid, d in df.items()}
    rarity = {eid: 0.75 + 0.25 * v for eid, v in idf.items()}  # the factors of the weight below, worked out
    frequency = _FrequencyFactor()                               # once per concept and per count, not per use
    words = {c.id: len(c.text.split()) for c in comments}
    keep: set[tuple[str, str]] = set()
    subjects: list[Subject] = []
    features: list[Subject] = []  # a wider set (twice the budget) that related() compares comments by
    for cid, by_ent in per_comment.items():
        # (-weight, id) sorts best first, ties by id; weight = score * (1 + 0.5 log tf) * (0.75 + 0.25 idf)
        ranked = sorted((-round(score * frequency[tf] * rarity[eid], 4), eid) for eid, (tf, score) in by_ent.items())
        budget = max(5, min(max_per_comment, 5 + words.get(cid, 0) // 25))
        best = -ranked[0][0] if ranked else 1.0
        for i, (neg, eid) in enumerate(ranked[:2 * budget]):
            if -neg < 0.3:
                break
            # built from values checked above (ids, a weight in 0..1): validating each again costs more than ranking
            s = Subject.computed(cid, eid, round(min(1.0, -neg / best), 3))
            features.append(s)
            if i < budget:
                keep.add((cid, eid))
                subjects.append(s)
    kept = [m for m in mentions if m.kind != "concept" or (m.comment_id, m.entity_id) in keep]
    order = lambda s: (s.comment_id, -s.weight, s.entity_id)  # noqa: E731
    return kept, sorted(subjects, key=order), sorted(features, key=order)


class _FrequencyFactor(dict):
    """tf -> 1 + 0.5 log tf, each computed on first use (a comment's counts are few small numbers)."""

    def __missing__(self, tf: float) -> float:
        value = self[tf] = 1 + 0.5 * math.log(tf)
        return value


def _concept_tallies(mentions: list[Mention]) -> dict[str, dict[str, list[float]]]:
    """comment -> concept -> [occurrences (a quoted one counts half), best score]."""
    tallies: dict[str, dict[str, list[float]]] = {}
    for m in mentions:
        if m.kind != "concept":
            continue
        by_ent = tallies.get(m.comment_id)
        if by_ent is None:
            by_ent = tallies[m.comment_id] = {}
        tally = by_ent.get(m.entity_id)
        if tally is None:
            by_ent[m.entity_id] = [0.5 if m.in_quote else 1.0, m.score]
        else:
            tally[0] += 0.5 if m.in_quote else 1.0
            if m.score > tally[1]:
                tally[1] = m.score
    return tallies


def _broader(entities: dict[str, Entity], lex: Lexicons) -> None:
    """Vocabulary broader links, and head-word containment ("negative reward" under "reward")."""
    by_iri = {vc.iri: concept_key(vc.pref) for vc in lex.concepts.values()}
    by_key = {concept_key(e.label): e.id for e in entities.values() if e.kind == "concept"}
    for e in entities.values():
        if e.kind != "concept":
            continue
        links = {by_key[by_iri[i]] for i in e.broader if i in by_iri and by_iri[i] in by_key}
        words = e.label.split()  # split on spaces only: "self-supervised" stays one modifier
        for k in range(1, len(words)):
            head = concept_key(" ".join(words[k:]))
            if head in by_key:
                links.add(by_key[head])
                break
        e.broader = sorted(links - {e.id})


def _counts(entities: dict[str, Entity], mentions: list[Mention]) -> None:
    per = Counter(map(ENTITY, mentions))
    comments = Counter(map(itemgetter(1), set(map(LINK, mentions))))
    for e in entities.values():
        e.mention_count = per[e.id]
        e.comment_count = comments[e.id]


def resolve(comments: list[Comment], mentions: list[Mention], lex: Lexicons, *, page_author: str | None,
            full_names: set[str], max_concepts: int) -> Resolution:
    """Turn every comment's mentions into entities shared across the corpus."""
    for m in mentions:
        m.entity_id = None  # mentions kept from an earlier build are resolved afresh
    mentions = drop_overlaps(mentions)
    ids, entities = _Ids(), {}
    by_kind = defaultdict(list)
    for m in mentions:
        by_kind[m.kind].append(m)
    authors = {c.author for c in comments if c.author}
    res = PeopleResolver(lex, page_author, full_names, authors)
    people = _people(by_kind["person"], res, ids, entities)
    author_ids = _authors(comments, res, ids, entities)
    _organizations(by_kind["organization"], lex, ids, entities)
    _works(by_kind["work"], PeopleResolver(lex, page_author, full_names, authors), ids, entities)
    _concept_entities(by_kind["concept"], lex, ids, entities)
    resolved = [m for m in mentions if m.kind != "person"] + people
    resolved = _corpus_checked(resolved)
    resolved, subjects, features = rank_concepts(comments, resolved, max_concepts)
    feature_entities = {s.entity_id: entities[s.entity_id] for s in features}
    _aliases(entities, resolved)
    _counts(entities, resolved)
    live = set(map(ENTITY, resolved)) | {e.creator for e in entities.values() if e.creator} | \
        set(author_ids.values())
    entities = {k: v for k, v in sorted(entities.items()) if k in live}
    _broader(entities, lex)
    resolved.sort(key=lambda m: (m.comment_id, m.start, KIND_PRIORITY[m.kind], m.entity_id or ""))
    return Resolution(entities, resolved, subjects, features, feature_entities)


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
