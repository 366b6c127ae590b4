"""Concepts: spellings merge by key (case, plural, hyphen/space, defined and known abbreviations,
negations); lone everyday nouns are kept only where the corpus repeats them; broader links."""

from __future__ import annotations

from collections import Counter, defaultdict
from operator import itemgetter

from ..extract.concepts import CHECKED_SOURCES, QUOTED_TERM, SET_PHRASE, _relational
from ..extract.proper_terms import NAMED_KIND, PROPER_NAME
from ..extract.tagging import _word_tag, pos_lexicon
from ..lexicon import Lexicons, zipf
from ..models import Entity, Mention
from ..text import concept_key, stopwords
from .ids import LINK, _Ids


def _abbreviations(mentions: list[Mention], lex: Lexicons) -> dict[str, str]:
    """Abbreviation key -> long-form key, from definitions in the text."""
    table: dict[str, str] = {}
    for m in mentions:
        if "abbr" in m.attrs:
            table.setdefault(concept_key(m.attrs["abbr"]), m.key)
    return table


def _defined_in_comment(mentions: list[Mention]) -> dict[tuple[str, str], str]:
    """(comment, abbreviation key) -> long-form key: a comment that spells out what its abbreviation
    stands for ("a cross-layer transcoder (CLT)") means that by it, whatever the vocabulary
    reads the letters as (there, the central limit theorem)."""
    return {(m.comment_id, concept_key(m.attrs["abbr"])): m.key for m in mentions if "abbr" in m.attrs}


NEGATIONS = ("un", "non ", "non")


def _negation_merge(keys: set[str]) -> dict[str, str]:
    """'unkind agi' -> 'kind agi' when both appear: one topic, seen from both sides."""
    out = {}
    for k in keys:
        for prefix in NEGATIONS:
            if k.startswith(prefix) and k[len(prefix):] in keys:
                out[k] = k[len(prefix):]
    return out


INFLECTIONS = ("ment", "ness", "ation", "ion", "ing", "ed", "e")
# Agent nouns and the acts they perform, told apart only after a shared modifier ("hypothesis generator",
# "hypothesis generation"): alone, "computer" and "computing", "teacher" and "teaching" are other topics.
AGENT_ENDINGS = ("or", "er")
MIN_STEM = 5


def _stem(word: str) -> str:
    """A word less one derivational or inflectional ending, when at least five letters remain."""
    for suffix in INFLECTIONS:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[:-len(suffix)]
    return word


def _stems(key: str) -> set[tuple[str, str]]:
    """The (words before, stem of the last word) pairs a key may share with its inflected forms."""
    head, _, last = key.rpartition(" ")
    stems = {_stem(last)}
    if head:
        stems |= {last[:-len(e)] for e in (*AGENT_ENDINGS, "ion") if last.endswith(e) and len(last) - len(e) >= MIN_STEM}
    return {(head, stem) for stem in stems}


def _inflection_merge(counts: dict[str, int], vocabulary) -> dict[str, str]:
    """'misaligned' -> 'misalignment', 'goal misgeneralized' -> 'goal misgeneralization', 'hypothesis
    generator' -> 'hypothesis generation' when both appear: keys whose last words share a stem (the
    words before them equal) are one topic, named by the form used most (then a noun, then the
    shorter). A vocabulary key is never merged away."""
    root = {key: key for key in counts}

    def find(key: str) -> str:
        while root[key] != key:
            key = root[key]
        return key

    first_with: dict[tuple[str, str], str] = {}
    for key in sorted(counts):
        for stem in _stems(key):
            other = first_with.setdefault(stem, key)
            root[find(key)] = find(other)
    groups: dict[str, list[str]] = defaultdict(list)
    for key in counts:
        groups[find(key)].append(key)
    out = {}
    for keys in groups.values():
        if len(keys) > 1:
            # a noun names a topic better than a participle: "misgeneralization", not "misgeneralized"
            base = min(keys, key=lambda k: (k not in vocabulary, -counts[k], k.endswith(("ed", "ing")), len(k), k))
            out.update({k: base for k in keys if k != base and k not in vocabulary})
    return out


CLIPPED_MAX_ZIPF = 3.5  # "prereg", "interp", "eval" are no words of everyday English; "app", "info", "lab" are


def _clipping_merge(keys: set[str], vocabulary) -> dict[str, str]:
    """'prereg' -> 'preregistration' when both appear: a one-word key that is no everyday English word
    and begins exactly one longer one-word key (three letters or more longer) is its clipped form, as
    forum writers shorten the terms they use most. Two candidates ("interp": interpretability,
    interpretation) leave it alone. A vocabulary key is never merged away."""
    words = sorted(k for k in keys if k.isalpha())
    out = {}
    for short in words:
        if len(short) < 4 or short in vocabulary or zipf(short) >= CLIPPED_MAX_ZIPF:
            continue
        longer = [w for w in words if w.startswith(short) and len(w) >= len(short) + 3]
        if len(longer) == 1:
            out[short] = longer[0]
    return out


def _named_kind_merge(by_key: dict[str, list[Mention]], vocabulary) -> dict[str, str]:
    """'use Kahan' after 'Kahan summation', 'TopK' beside 'TopK activation', 'Brier alone' beside
    'Brier scores': a bare name the extractor could not place, where the page names exactly one kind
    of thing after it (found as a named kind, or a vocabulary term), is short for that kind."""
    kinds: dict[str, list[str]] = defaultdict(list)
    for key, ms in by_key.items():
        if " " in key and (key in vocabulary or any(m.attrs.get("source") == NAMED_KIND for m in ms)):
            kinds[key.split(" ", 1)[0]].append(key)
    return {key: kinds[key][0] for key, ms in by_key.items()
            if len(kinds.get(key, ())) == 1 and all(m.attrs.get("source") == PROPER_NAME for m in ms)}


def _initials_merge(by_key: dict[str, list[Mention]], vocabulary) -> dict[str, str]:
    """'LVT' beside 'land value tax': an acronym no vocabulary knows, written in capitals, whose letters
    are the initials of exactly one phrase of the page, is that phrase written short (a definition
    in brackets is not needed where the page spells the phrase out)."""
    by_initials: dict[str, list[str]] = defaultdict(list)
    for key in by_key:
        words = key.replace("-", " ").split()
        if len(words) >= 2:
            by_initials["".join(w[0] for w in words)].append(key)
    return {key: by_initials[key][0] for key, ms in by_key.items()
            if key not in vocabulary and len(by_initials.get(key, ())) == 1 and key.isalpha()
            and all(m.surface.rstrip("s").isupper() for m in ms)}


def _modifier_merge(counts: dict[str, int], vocabulary, short_forms: dict[str, str] | None = None) -> dict[str, str]:
    """'deliberate obfuscation' -> 'obfuscation' where the phrase is used once and its head is a concept: an
    everyday adjective before it ("deliberate", "strong", "elaborate") names no kind of its own, while
    a classifying or rare modifier does ("natural selection", "utilitarian ethics", "successor
    alignment problem"), as does a noun ("rabbit hunt"). An aspect folds into its term, also where the
    term is written short ("SAE research" into "sparse autoencoder", `short_forms`: abbreviation key ->
    long key). A vocabulary key is never merged away."""
    out = {}
    for key in counts:
        first, _, head = key.replace("-", " ", 1).partition(" ")
        term = first if first in counts else (short_forms or {}).get(first)
        if head in counts and counts[key] == 1 and key not in vocabulary \
                and (_everyday_adjective(first) or (" " in head and _qualifies_a_compound(first))):
            out[key] = head
        elif term in counts and key not in vocabulary and _an_aspect(first, head):
            out[key] = term
        elif head in STANCE_HEADS and key not in vocabulary:
            school = vocabulary.get(first)
            if school is not None and concept_key(school.pref) in counts:
                out[key] = concept_key(school.pref)
    return out


ASPECT_GAP = 1.0  # the head at least ten times as common in English as the term it follows


def _an_aspect(first: str, head: str) -> bool:
    """'benchmark score', 'outbox table', 'IOI circuit', 'EITC comparison': an everyday noun after a term
    far rarer than itself names an aspect of that term, whose topic is the term: where the page names
    the term alone too, the two are one concept. 'reward model', 'loss function' keep their kind (their
    first word is itself everyday English), as do phrases of three words or more."""
    if " " in head or "-" in head or "-" in first or not _countable_noun(head):
        return False  # an activity ("HSA investing") is no aspect
    head_zipf = zipf(head)
    return head_zipf >= 4.0 and head_zipf - zipf(first) >= ASPECT_GAP


def _countable_noun(word: str) -> bool:
    """A noun, or a word the lexicon knows in a plural ("setting": "settings"), unlike a gerund alone."""
    return _word_tag(word, False) in ("NN", "NNS") or pos_lexicon().get(word + "s") == "NNS"


# Nouns that name a stance on, or an argument from, what modifies them: "utilitarian arguments",
# "the Bayesian view", "a consequentialist framing" discuss the school the modifier names. Only a
# modifier that is itself a vocabulary name of a concept the page also names folds this way.
STANCE_HEADS = frozenset("""argument case view perspective position side stance framing frame approach reasoning
thinking intuition objection critique consideration worldview camp lens outlook""".split())


def _everyday_adjective(word: str) -> bool:
    return _word_tag(word, False) in ("JJ", "VB", "VBN") and zipf(word) >= 3.5 and not _relational(word, "JJ")


def _qualifies_a_compound(word: str) -> bool:
    """'chronic trade deficit', 'imperial money supply': an adjective English uses often before a noun
    compound the page names on its own elsewhere qualifies that compound, classifying ending or not
    (C-value over the page: the nested term recurs independently, the longer phrase once)."""
    return _word_tag(word, False) in ("JJ", "VBN") and zipf(word) >= 3.5


def _concept_entities(mentions: list[Mention], lex: Lexicons, ids: _Ids,
                      entities: dict[str, Entity], position: dict[str, int]) -> None:
    """Concept entities from concept mentions, merging spellings, inflections and ellipses of one
    concept. (`position`: each comment's place in the corpus, for what a page wrote first.)"""
    abbr = _abbreviations(mentions, lex)
    defined_here = _defined_in_comment(mentions)
    defining = {cid for cid, _ in defined_here}  # few comments: the key of a surface is made only in them
    by_key: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        own = defined_here.get((m.comment_id, concept_key(m.surface))) if m.comment_id in defining else None
        key = own or abbr.get(m.key, m.key)
        vc = lex.concepts.get(key)
        by_key[concept_key(vc.pref) if vc else key].append(m)
    for neg, pos in _negation_merge(set(by_key)).items():
        by_key[pos] += by_key.pop(neg)
    for form, base in _inflection_merge({k: len(v) for k, v in by_key.items()}, lex.concepts).items():
        by_key[base] += by_key.pop(form)
    for form, base in _clipping_merge(set(by_key), lex.concepts).items():
        by_key[base] += by_key.pop(form)
    for form, base in _named_kind_merge(by_key, lex.concepts).items():
        by_key[base] += by_key.pop(form)
    for form, base in _initials_merge(by_key, lex.concepts).items():
        by_key[base] += by_key.pop(form)
        abbr[form] = base  # the phrase, not its letters, names the concept
    short_forms = {**{concept_key(a): concept_key(vc.pref) for a, vc in lex.acronyms.items()}, **abbr}
    merges = _modifier_merge({k: _uses(v) for k, v in by_key.items()}, lex.concepts, short_forms)
    for form, base in sorted(merges.items(), key=lambda kv: -len(kv[0])):  # "a b c" into "b c" before "b c" into "c"
        by_key[base] += by_key.pop(form)
    # the mentions come grouped by overlap resolution, not in reading order: place each where it is read
    elliptic = _head_ellipsis(by_key, lex.concepts, position)
    for key, ms in sorted(by_key.items()):
        vc = lex.concepts.get(key)
        label = vc.pref if vc else _preferred_surface([m for m in ms if id(m) not in elliptic] or ms, abbr)
        eid = ids.get("concept", label)
        ent = entities.setdefault(eid, Entity(id=eid, kind="concept", label=label))
        seen = {m.surface for m in ms} | ({*vc.alts} if vc else set())
        ent.aliases = sorted(set(ent.aliases) | {s for s in seen if s != label})
        if vc:
            ent.broader = list(vc.broader)  # vocabulary IRIs; mapped to entity ids later
        for m in ms:
            m.entity_id = eid


def _head_ellipsis(by_key: dict[str, list[Mention]], vocabulary, position: dict[str, int]) -> set[int]:
    """'the cache' after 'the tokenizer cache', 'minimums' after 'parking minimums': a writer who has
    named a thing by a noun compound goes on by its head alone. A bare head moves to the compound
    that names an instance of it by a noun ("tokenizer", "Starlink", "coin"), not a kind of it by an
    adjective ("negative reward", "expected utility"): to the nearest one before it in its comment,
    else to the page's only such compound where the page writes that compound before any bare head
    (compounds that extend it, "chronic trade deficit" of "trade deficit", name kinds of the same thing).
    An identifier ("lru_cache") is code, not a compound a writer shortens. A head the vocabulary knows
    as a concept of its own ("reward") stays itself. (`position`: each comment's place in the
    corpus: with its offset, where a mention is read.) Returns the ids of the mentions moved: they name no compound."""
    moved: set[int] = set()
    compounds: dict[str, list[str]] = defaultdict(list)
    for key in by_key:
        words = key.split()
        if len(words) > 1 and _noun_modifier(words[-2]) and not stopwords().intersection(words) \
                and not all("_" in m.surface for m in by_key[key]):
            compounds[words[-1]].append(key)
    place = lambda m: (position.get(m.comment_id, -1), m.start)  # noqa: E731  (asked of a few heads' mentions, not all)
    for head, keys in sorted(compounds.items()):
        bare = by_key.get(head)
        if not bare or head in vocabulary or not head.isalpha():
            continue
        first_use = {k: min(map(place, by_key[k])) for k in keys}
        shortest = min(keys, key=len)
        nested = all(k == shortest or k.endswith(" " + shortest) for k in keys)
        only = shortest if nested and min(first_use.values()) < min(map(place, bare)) else None
        # the head alone, or with an everyday adjective merged into it ("abolished minimums"); an aspect merged
        # into it ("the handler idea") goes where the head goes in its comment. From another comment, a head in
        # lower case follows the page's compound: alone, or with an adjective where the page names that
        # compound more than once ("abolished minimums" on a page about parking minimums; "dead rows" after one
        # "business row" are other rows), and never a name ("Rust")
        went: dict[str, tuple[str, bool]] = {}
        compounds_in = _by_comment(keys, by_key)
        for m in [m for m in bare if concept_key(m.surface).rpartition(" ")[2] == head]:
            before = [(start, k) for start, k in compounds_in.get(m.comment_id, ()) if start < m.start]
            if before:
                went.setdefault(m.comment_id, (max(before)[1], True))
            elif only is not None and _plain_head(m, head, len(by_key[only]) > 1):
                went.setdefault(m.comment_id, (only, False))
        going = [m for m in bare if m.comment_id in went
                 and (went[m.comment_id][1] or _plain_head(m, head, len(by_key[only]) > 1))]
        for m in going:
            by_key[went[m.comment_id][0]].append(m)
            moved.add(id(m))
        bare[:] = [m for m in bare if id(m) not in moved]
        if not bare:
            del by_key[head]
    return moved


def _by_comment(keys: list[str], by_key: dict[str, list[Mention]]) -> dict[str, list[tuple[int, str]]]:
    """Where each comment uses the compounds `keys`: (start, key) per mention. Looked up per bare
    head, not scanned: a common head ("model") has thousands of bare uses and of compounds."""
    found: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for k in keys:
        for n in by_key[k]:
            found[n.comment_id].append((n.start, k))
    return found


def _plain_head(m: Mention, head: str, modified: bool = False) -> bool:
    """The head noun as a common noun (no capital): alone, or also with a modifier of its own."""
    return m.surface[:1].islower() and (modified or concept_key(m.surface) == head)


ADJECTIVE_ENDINGS = ("ic", "al", "ous", "ive", "ful", "less", "able", "ible", "ary")


def _noun_modifier(word: str) -> bool:
    """A modifier that names an instance ("tokenizer", "parking"), not an adjective a suffix marks
    ("algorithmic") nor a code ("e5")."""
    return word.isalpha() and _word_tag(word, False) in ("NN", "NNS", "NNP") \
        and (word in pos_lexicon() or not word.endswith(ADJECTIVE_ENDINGS))


def _uses(ms: list[Mention]) -> int:
    """How often a phrase is used rather than mentioned: a reply that puts another writer's phrase in
    quotation marks ('what he would mark as "elaborate-misinterpretations"') cites it; it counts only
    where the phrase is never used plainly."""
    plain = sum(m.attrs.get("source") != QUOTED_TERM for m in ms)
    return plain or len(ms)


def _preferred_surface(ms: list[Mention], abbr: dict[str, str]) -> str:
    forms, kinds = Counter(), set()
    for m in ms:
        s = m.surface
        keep_case = s.isupper() or (not s[1:].islower() and any(ch.isupper() for ch in s[1:])) \
            or m.attrs.get("source") in (PROPER_NAME, NAMED_KIND)
        forms[s if keep_case else s.lower()] += 1
        if m.attrs.get("source") == NAMED_KIND:
            kinds.add(s)  # "Lindqvist smoothing" names the concept its bare "Lindqvist" is short for
    full = [f for f in forms if concept_key(f) not in abbr]
    return sorted(full or forms, key=lambda f: (f not in kinds, -forms[f], len(f), f))[0]


SHORT_COMMENT_WORDS = 12
FEW_CONCEPTS = 5  # the smallest subject budget a comment gets (see ranking.py)


def _corpus_checked(mentions: list[Mention], short: frozenset[str] = frozenset()) -> list[Mention]:
    """A lone everyday-ish noun ("vacuum", "throughput") counts as a term only when at least two
    comments of the corpus use it: domain vocabulary recurs, passing words do not. A comment whose
    other concepts do not fill its smallest budget keeps them: a one-line comment ("You can do that
    with LibreOffice.") or a question whose few nouns are what it asks about."""
    concepts = [m for m in mentions if m.kind == "concept"]
    spread = Counter(map(itemgetter(1), set(map(LINK, concepts))))
    sure = Counter(map(itemgetter(0), {LINK(m) for m in concepts if not m.corpus_checked}))
    sparse = {m.comment_id for m in concepts if m.corpus_checked and sure[m.comment_id] < FEW_CONCEPTS} | short
    kept = [m for m in mentions if not (m.kind == "concept" and m.corpus_checked and spread[m.entity_id] < 2
                                        and not (m.comment_id in sparse and _plain_or_product(m)))]
    return _inside_set_phrases_dropped(kept)


def _inside_set_phrases_dropped(mentions: list[Mention]) -> list[Mention]:
    """A set phrase the corpus confirmed ("minimum wage") replaces the noun inside it ("wage"):
    the extractor offered both, the phrase for the corpus to check and the noun as a fallback."""
    phrases = defaultdict(list)
    for m in mentions:
        if m.kind == "concept" and m.attrs.get("source") == SET_PHRASE:
            phrases[m.comment_id].append(m)
    if not phrases:
        return mentions
    return [m for m in mentions if not (m.kind == "concept" and m.comment_id in phrases and any(
        p.start <= m.start and m.end <= p.end and (p.start, p.end) != (m.start, m.end) for p in phrases[m.comment_id]))]


def _plain_or_product(m: Mention) -> bool:
    """What a one-line comment keeps unchecked: its nouns, and names typed like products ("LeechBlock",
    inner capitals); a plain capitalised word ("Mumbai said") may be a place or a person, an action
    named once ("picking up groceries") a passing clause, and a set phrase used once an idiom."""
    source = m.attrs.get("source")
    return source not in CHECKED_SOURCES and (source != PROPER_NAME or any(ch.isupper() for ch in m.surface[1:]))


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
