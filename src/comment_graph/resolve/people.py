"""People: a full name maps to the lexicon's canonical name or to the page author's; a first name
or surname alone maps to the one full name in the corpus (or lexicon) it fits, and stays its own
unresolved node when several fit. Comment authors are people too.

A name alone is read against the evidence nearest it first: a full name it fits in the same
comment, then the corpus's full names, the page author, the comment authors, and last the
lexicon's people of that first name. Each resolved mention keeps why (`resolved_by` in its attrs),
which the RDF export writes on the evidence annotation."""

from __future__ import annotations

import re
from collections import defaultdict

from ..lexicon import Lexicons
from ..models import Comment, Entity, Mention
from ..urls import handle_key
from .ids import _Ids


FEDIVERSE_ACCOUNT_RE = re.compile(r"[\w.]+@[\w-]+(\.[\w-]+)+")


def author_names(comments: list[Comment]) -> dict[str, str]:
    """account -> the person's name, where a comment card prints one over the account's handle."""
    return {c.author: c.extra["author_name"] for c in comments if c.author and c.extra.get("author_name")}


class PeopleResolver:
    def __init__(self, lex: Lexicons, page_author: str | None, full_names: set[str],
                 authors: set[str] = frozenset(), author_names: dict[str, str] | None = None) -> None:
        self.lex, self.page_author = lex, page_author
        self.author_names = author_names or {}  # account -> the name its cards print ('treyes@…' -> 'Tomás Reyes')
        self.handles = {handle_key(a): a for a in sorted(authors)}  # '@quintin_pope' -> 'Quintin Pope'
        for a in sorted(authors):
            if FEDIVERSE_ACCOUNT_RE.fullmatch(a):  # '@treyes' on the server's page means treyes@fediscience.org
                self.handles.setdefault(handle_key(a.split("@")[0]), a)
        self._memo: dict[str, str] = {}
        self._by_surname: dict[str, list[str]] = defaultdict(list)
        for entry in {id(e): e for e in lex.people.values()}.values():
            if " " in entry.name:
                self._by_surname[entry.name.split()[-1]].append(entry.name)
        self.full = {self.canonical_full(n) for n in full_names}
        self._by_part: dict[str, set[str]] = defaultdict(set)  # first name or surname -> full names
        for n in self.full:
            words = [w for w in n.split() if not (len(w) == 2 and w.endswith("."))]  # "J. Kenji López-Alt": Kenji
            self._by_part[words[0]].add(n)
            self._by_part[words[-1]].add(n)
        # comment authors by the first name of their display name: "thanks, Alex" on a thread Alex Chen wrote in
        self._author_by_first: dict[str, set[str]] = defaultdict(set)
        for a in {*authors, *self.author_names.values()}:
            if " " in a.strip() and a[:1].isupper():
                self._author_by_first[a.split()[0]].add(self.canonical_full(a))
        self._lexicon_by_first: dict[str, list] = defaultdict(list)  # first name -> lexicon entries
        for entry in {id(e): e for e in lex.people.values()}.values():
            if " " in entry.name:
                self._lexicon_by_first[entry.name.split()[0]].append(entry)

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

    def single(self, word: str, near: frozenset[str] = frozenset()) -> tuple[str, bool]:
        """(canonical name, resolved?) for a first name or surname alone."""
        name, ok, _ = self.single_why(word, near)
        return name, ok

    def single_why(self, word: str, near: frozenset[str] = frozenset()) -> tuple[str, bool, str]:
        """(canonical name, resolved?, why) for a first name or surname alone. `near`: the full
        names of the comment it stands in, which break a tie between the corpus's full names."""
        fits = sorted({n for w in self.lex.nicknames.get(word, {word}) | {word} for n in self._by_part.get(w, ())})
        if len(fits) == 1:
            return fits[0], True, "corpus full name"
        close = [n for n in fits if n in near]
        if len(close) == 1:  # two Priyas on the page, one named in this comment: that one
            return close[0], True, "full name in the same comment"
        if fits:
            return word, False, ""
        # a full name the survey did not collect (no known first name) still anchors its parts in its
        # comment, before or after it: "Cengiz, Dube, Lindner and Zipperer ... Arindrajit Dube has"
        here = [n for n in sorted(near) if word == n.split()[-1] or self.lex.same_given_name(word, n.split()[0])]
        if len(here) == 1:
            return here[0], True, "full name in the same comment"
        entry = self.lex.people.get(word)
        if entry:
            return entry.name, True, "lexicon alias"
        pa = self.page_author
        if pa and (self.lex.same_given_name(word, pa.split()[0]) or word == pa.split()[-1]):
            return pa, True, "page author"
        authors = self._author_by_first.get(word, ())
        if len(authors) == 1:
            return next(iter(authors)), True, "comment author"
        known = self._lexicon_first(word)
        if known:
            return known, True, "lexicon first name"
        return word, False, ""

    def _lexicon_first(self, word: str) -> str | None:
        """The lexicon person a lone first name means: the only one of that first name, or the one the
        lexicon documents with clearly more other names (handles, spellings) than the rest: the shipped
        lexicon records those for the people its communities discuss by first name."""
        entries = sorted(self._lexicon_by_first.get(word, ()), key=lambda e: (-len(e.aliases), e.name))
        if len(entries) == 1:
            return entries[0].name
        if len(entries) > 1 and len(entries[0].aliases) >= 2 and len(entries[0].aliases) > len(entries[1].aliases):
            return entries[0].name
        return None

    def author(self, name: str) -> str:
        """The person behind a comment author's name (a display name or a handle)."""
        name = self.author_names.get(name, name)
        return self.canonical_full(name) if " " in name.strip() and name[:1].isupper() else name

    def resolve(self, m: Mention, near: frozenset[str] = frozenset()) -> tuple[str, bool, str]:
        """(canonical name, resolved?, why) of a person mention; `near` as in `single_why`."""
        key = m.key.rstrip("’'")
        if m.surface.startswith("@") or m.attrs.get("form") in ("handle", "profile-link"):
            author = self.handles.get(handle_key(key)) or self.handles.get(handle_key(m.attrs.get("handle", "")))
            if author:
                return self.author(author), True, "comment author handle"
        if " " in key:
            return self.canonical_full(key), True, ""
        return self.single_why(key, near)


def _people(mentions: list[Mention], res: PeopleResolver, ids: _Ids, entities: dict[str, Entity]) -> list[Mention]:
    kept = []
    person: dict[tuple[str, bool], str] = {}  # one entity per (name, resolved?): a name recurs often
    near = _full_names_by_comment(mentions, res)
    for m in mentions:
        name, ok, why = res.resolve(m, near.get(m.comment_id, frozenset()))
        if not ok and m.score < 0.8:
            continue
        eid = person.get((name, ok))
        if eid is None:
            eid = person[name, ok] = _person(name, ok, res, ids, entities)
        m.entity_id = eid
        if why and " " not in m.key:
            m.attrs = {**m.attrs, "resolved_by": why}  # the evidence says which reading anchored a name alone
        kept.append(m)
    return kept


def _full_names_by_comment(mentions: list[Mention], res: PeopleResolver) -> dict[str, frozenset[str]]:
    """comment id -> the canonical full names its own person mentions spell out."""
    out: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        if " " in m.key:
            out[m.comment_id].add(res.canonical_full(m.key))
    return {cid: frozenset(names) for cid, names in out.items()}


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
