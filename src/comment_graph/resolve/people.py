"""People: a full name maps to the lexicon's canonical name or to the page author's; a first name
or surname alone maps to the one full name in the corpus (or lexicon) it fits, and stays its own
unresolved node when several fit. Comment authors are people too."""

from __future__ import annotations

from collections import defaultdict

from ..lexicon import Lexicons
from ..models import Comment, Entity, Mention
from ..urls import handle_key
from .ids import _Ids


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
