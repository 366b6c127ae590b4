"""Shipped and user-supplied lexicons: people, organizations, nicknames, first names, SKOS vocabularies.

Users extend them with files of the same shape (`--people FILE`, `--vocab FILE.ttl`);
see the README for the formats.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from .config import iri_problem
from .errors import ConfigError, rdf_parse_problem, validation_problem
from .text import concept_key, data_lines, singular
from .text import not_after as _not_after


@dataclass
class NamedEntry:
    name: str
    aliases: list[str] = field(default_factory=list)
    same_as: list[str] = field(default_factory=list)


@dataclass
class VocabConcept:
    iri: str
    pref: str
    alts: list[str]
    broader: list[str]


@dataclass
class Lexicons:
    people: dict[str, NamedEntry]            # alias (exact case) -> entry
    organizations: dict[str, NamedEntry]
    concepts: dict[str, VocabConcept]        # concept_key(label) -> concept (case-folded labels)
    acronyms: dict[str, VocabConcept]        # ALL-CAPS labels, matched case-sensitively
    first_names: frozenset[str]
    nicknames: dict[str, set[str]]           # any given name -> its equivalence class
    word_first_names: frozenset[str] = frozenset()  # "Frank", "Grace": given names that are English words too

    def same_given_name(self, a: str, b: str) -> bool:
        return a == b or b in self.nicknames.get(a, set())

    def alias_pattern(self, kind: str) -> re.Pattern | None:
        """Finds the aliases of one kind ("person", "organization"), longest first, as whole words."""
        return self._alias_scan(kind).full

    def find_aliases(self, kind: str, text: str) -> Iterator[re.Match]:
        """The matches of `alias_pattern(kind)` in `text`, found faster (see `_AliasScan`)."""
        return self._alias_scan(kind).finditer(text)

    def _alias_scan(self, kind: str) -> _AliasScan:
        cache = self.__dict__.setdefault("_scans", {})
        if kind not in cache:
            table = self.people if kind == "person" else self.organizations
            cache[kind] = _AliasScan(tuple(sorted(table, key=lambda s: (-len(s), s))))
        return cache[kind]

    def key_prefixes(self) -> frozenset[tuple[str, ...]]:
        """Every word prefix of every vocabulary key, words made singular: lets a match stop early."""
        if "_prefixes" not in self.__dict__:
            out = set()
            for key in self.concepts:
                words = tuple(singular(w) for w in key.split())
                out.update(words[:i] for i in range(1, len(words) + 1))
            self.__dict__["_prefixes"] = frozenset(out)
        return self.__dict__["_prefixes"]

    def key_words(self) -> frozenset[tuple[str, ...]]:
        """Every vocabulary key as its words made singular: a window of other words is no key."""
        if "_key_words" not in self.__dict__:
            self.__dict__["_key_words"] = frozenset(tuple(singular(w) for w in key.split()) for key in self.concepts)
        return self.__dict__["_key_words"]

    def key_trie(self) -> dict[str, list]:
        """The vocabulary keys as a trie of their words made singular: word -> [whether a key ends
        there, the next words]. Walking it matches a window of words without forming tuples."""
        if "_key_trie" not in self.__dict__:
            root: dict[str, list] = {}
            for words in sorted(w for w in self.key_words() if w):
                node = root
                for w in words:
                    entry = node.setdefault(w, [False, {}])
                    node = entry[1]
                entry[0] = True
            self.__dict__["_key_trie"] = root
        return self.__dict__["_key_trie"]

    def key_first_words(self) -> frozenset[str]:
        """The first word of every vocabulary key, made singular."""
        if "_first_words" not in self.__dict__:
            self.__dict__["_first_words"] = frozenset(p[0] for p in self.key_prefixes() if len(p) == 1)
        return self.__dict__["_first_words"]


class _AliasScan:
    """Finds lexicon aliases with the regex of them all, or, in a text that holds none of the few
    aliases not opening with a capital ("gwern", "van Hasselt", "80k"), with the regex of the
    others: the same matches (none of the few can match there), but a pattern whose every branch
    opens with a capital lets the engine skip in C from one capital to the next, while "c", "e",
    "s"... stop it at almost every word. Each of the few is one substring search."""

    def __init__(self, aliases: tuple[str, ...]) -> None:
        self.full = _alias_regex(aliases)
        self.others = tuple(a for a in aliases if not a[:1].isupper())
        capitalised = tuple(a for a in aliases if a[:1].isupper())
        self.capitalised = _alias_regex(capitalised) if self.others else self.full

    def finditer(self, text: str) -> Iterator[re.Match]:
        pattern = self.full if any(a in text for a in self.others) else self.capitalised
        return pattern.finditer(text) if pattern else iter(())


@lru_cache(maxsize=8)
def _alias_regex(aliases: tuple[str, ...]) -> re.Pattern | None:
    if not aliases:
        return None
    # an alias not inside a longer run of letters or digits
    return re.compile("(?:" + trie_pattern(aliases, not_after=r"[^\W_]") + r")(?![^\W_])")


def trie_pattern(words: tuple[str, ...], not_after: str | None = None) -> str:
    """One regex alternation as a character trie: the same matches as "longest|...|shortest", but
    the engine follows one branch per character instead of trying every alias at every position.

    With `not_after` (a character class), a word matches only where the character before it is
    not of that class: `(?<!not_after)(?:trie)`, with the look-behind written after each first
    character (see text.not_after) so that the engine scans fastest."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}  # an alias ends here

    def pattern(node: dict, top: bool = False) -> str:
        ends = "" in node
        branches = [(_not_after(not_after, re.escape(ch)) if top and not_after else re.escape(ch)) + pattern(child)
                    for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # longer aliases are tried first; ending here is the fallback, as in a longest-first alternation
        return f"(?:{body})?" if ends else body

    return pattern(trie, top=True)


def _read_json(path: Path | None, name: str) -> list | dict:
    try:
        if path is None:
            text = resources.files("comment_graph.data").joinpath(name).read_text(encoding="utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
        return json.loads(text)
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except OSError as e:  # a directory, no permission: one line, not an unexpected error
        raise ConfigError(f"{path}: cannot read it: {e.strerror}") from None
    except ValueError as e:
        raise ConfigError(f"{path or name}: not valid JSON: {e}") from None


def _non_blank(text: str) -> str:
    if not text.strip():  # an empty name matched the empty string: "empty or negative span"
        raise ValueError("must not be empty")
    return text


def _absolute_iri(iri: str) -> str:
    if problem := iri_problem(iri):  # Turtle and the store refused it, JSON-LD dropped it silently
        raise ValueError(f"{iri!r} is not an absolute IRI: {problem}")
    return iri


class _EntryInFile(BaseModel):
    """An entry of a people or organizations file, as the README documents it."""

    model_config = ConfigDict(extra="forbid", strict=True)

    name: Annotated[str, AfterValidator(_non_blank)]
    aliases: list[Annotated[str, AfterValidator(_non_blank)]] = []
    same_as: list[Annotated[str, AfterValidator(_absolute_iri)]] = []

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, v):
        if not isinstance(v, dict):
            raise ValueError('must be an object like {"name": "...", "aliases": [...]}')
        return v

    @field_validator("aliases", mode="before")
    @classmethod
    def _a_list(cls, v):
        if isinstance(v, str):  # its letters became aliases: "a" a person in every comment
            raise ValueError(f"must be a list of names: [{json.dumps(v, ensure_ascii=False)}]")
        return [] if v is None else v

    @field_validator("same_as", mode="before")
    @classmethod
    def _one_or_more(cls, v):
        if v is not None and not isinstance(v, (str, list)):
            raise ValueError("must be an IRI or a list of IRIs")
        return [v] if isinstance(v, str) else [] if v is None else v


def _named(entries: list, source: str) -> dict[str, NamedEntry]:
    if not isinstance(entries, list):
        raise ConfigError(f'{source}: expected a JSON array of entries like {{"name": "...", "aliases": [...]}}')
    table: dict[str, NamedEntry] = {}
    for i, e in enumerate(entries):
        try:
            entry = _EntryInFile.model_validate(e)
        except ValidationError as err:
            label = f" ({e['name']!r})" if isinstance(e, dict) and isinstance(e.get("name"), str) else ""
            raise ConfigError(f"{source}: entry {i + 1}{label}: {validation_problem(err)}") from None
        named = NamedEntry(entry.name, entry.aliases, entry.same_as)
        for alias in [named.name, *named.aliases]:
            table[alias] = named
    return table


def load_vocab(paths: list[Path]) -> tuple[dict[str, VocabConcept], dict[str, VocabConcept]]:
    import rdflib
    from rdflib.namespace import RDF, SKOS

    g = rdflib.Graph()
    for p in paths:
        try:
            g.parse(p, format="turtle")
        except FileNotFoundError:
            raise ConfigError(f"{p}: no such vocabulary file") from None
        except OSError as e:
            raise ConfigError(f"{p}: cannot read it: {e.strerror}") from None
        except Exception as e:  # rdflib raises many parser types
            raise ConfigError(f"{p}: not a valid Turtle vocabulary: {rdf_parse_problem(e)}") from None
    concepts: dict[str, VocabConcept] = {}
    acronyms: dict[str, VocabConcept] = {}
    for c in sorted(g.subjects(RDF.type, SKOS.Concept)):
        pref = g.value(c, SKOS.prefLabel)
        if pref is None:
            continue
        alts = sorted(str(a) for a in g.objects(c, SKOS.altLabel))
        vc = VocabConcept(str(c), str(pref), alts, sorted(str(b) for b in g.objects(c, SKOS.broader)))
        for label in [str(pref), *alts]:
            if re.fullmatch(r"[A-Z][A-Z0-9+&-]*[A-Z0-9+]s?", label) and len(label) <= 8:
                acronyms[label] = vc
            else:
                concepts.setdefault(concept_key(label), vc)
                split = _prefix_written_apart(label)
                if split:
                    concepts.setdefault(concept_key(split), vc)
    return concepts, acronyms


# Bound prefixes that writers often set apart, by a space or a hyphen: "super intelligent AI",
# "multi agent", "meta learning". Not "over"/"under"/"re": prepositions and words on their own.
SPLIT_PREFIXES = ("super", "hyper", "multi", "meta", "inter", "intra", "counter", "anti", "semi", "pseudo", "sub",
                  "non", "pre", "post")


def _prefix_written_apart(label: str) -> str | None:
    """'superintelligent AI' -> 'super intelligent AI', where what follows the prefix is an English
    word of its own (so "interpretability" is not "inter pretability"). Hyphens fold to spaces in keys,
    so the variant also reads "super-intelligent AI"."""
    first, _, rest = label.partition(" ")
    low = first.lower()
    for prefix in SPLIT_PREFIXES:
        tail = low[len(prefix):]
        if low.startswith(prefix) and len(tail) >= 4 and tail.isalpha() and zipf(tail) >= 3.0:
            return " ".join(filter(None, (f"{first[:len(prefix)]} {first[len(prefix):]}", rest)))
    return None


def _nicknames() -> dict[str, set[str]]:
    raw = _read_json(None, "nicknames.json")
    classes: dict[str, set[str]] = {}
    for formal, shorts in raw.items():
        group = {formal, *shorts}
        for n in group:
            classes.setdefault(n, set()).update(group)
    return classes


def load_lexicons(people_files: list[Path] = (), vocab_files: list[Path] = (), *,
                  default_people: bool = True, default_vocab: bool = True) -> Lexicons:
    """The lexicons for a build; cached per set of files (and their modification times)."""
    def stamp(paths):
        return tuple((str(p), Path(p).stat().st_mtime_ns if Path(p).exists() else None) for p in paths)

    return _load_lexicons(stamp(people_files), stamp(vocab_files), default_people, default_vocab)


@lru_cache(maxsize=16)
def _load_lexicons(people_files: tuple, vocab_files: tuple, default_people: bool,
                   default_vocab: bool) -> Lexicons:
    people_files = [Path(p) for p, _ in people_files]
    vocab_files = [Path(p) for p, _ in vocab_files]
    people: dict[str, NamedEntry] = {}
    if default_people:
        people.update(_named(_read_json(None, "people.json"), "people.json"))
    for f in people_files:
        people.update(_named(_read_json(Path(f), str(f)), str(f)))
    orgs = _named(_read_json(None, "organizations.json"), "organizations.json")
    vocab_paths = list(vocab_files)
    if default_vocab:
        vocab_paths.insert(0, Path(str(resources.files("comment_graph.data").joinpath("concepts.ttl"))))
    concepts, acronyms = load_vocab(vocab_paths)
    return Lexicons(people, orgs, concepts, acronyms, data_lines("first_names.txt"), _nicknames(),
                    data_lines("word_first_names.txt"))


# General-English word frequency (wordfreq's Zipf scale, bundled data): tells generic words from terms.
@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")
