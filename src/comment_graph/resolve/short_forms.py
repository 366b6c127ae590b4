"""Short forms that are everyday words: where a vocabulary's one-word alias of a longer term names
that term, and where the word keeps its everyday sense."""

from __future__ import annotations

import re

from ..lexicon import zipf
from ..models import Mention
from ..text import concept_key

EVERYDAY_ZIPF = 4.0  # a word English uses at least ten times in a million words: "debate", "habit", "model"
QUALIFIER_RE = re.compile(r"\s*\([^)]*\)")  # "punishment (psychology)": which sense, not part of the name


def unsupported_short_forms(mentions: list[Mention], vocabulary) -> set[int]:
    """A vocabulary alias that is one everyday word of a longer label ("debate" of "AI safety via
    debate", "habit" of "habit formation") names that concept only on pages of its field: pages that
    name it by a fuller form (its label or another alias), its broader concept, or a concept under
    the same broader one ("scalable oversight", "iterated amplification" for debate). Elsewhere the
    word keeps its everyday sense ("the minimum wage debate", "a civilized debate"), and linking it
    would file a page on another topic under the vocabulary's field. One sense per discourse: the
    corpus decides, not the comment. Returns the ids of the concept mentions to drop."""
    fields = _fields_of_everyday_short_forms(vocabulary)
    if not fields:
        return set()
    relevant = set(fields).union(*fields.values())
    candidates = [m for m in mentions if m.key in relevant and m.kind == "concept"]  # one set lookup a mention
    short = {id(m) for m in candidates if m.key in fields and m.attrs.get("source") == "vocabulary"
             and _everyday_short_form(m.surface, vocabulary.get(m.key))}
    named = {m.key for m in candidates if id(m) not in short}
    return {id(m) for m in candidates if id(m) in short and not named & fields[m.key]}


def _fields_of_everyday_short_forms(vocabulary) -> dict[str, frozenset[str]]:
    """For each vocabulary concept with an everyday word among its aliases, the keys of its field:
    itself, its broader concepts and the concepts under them."""
    concepts = list({id(vc): vc for vc in vocabulary.values()}.values())
    key = {vc.iri: concept_key(vc.pref) for vc in concepts}
    under: dict[str, set[str]] = {}
    for vc in concepts:
        for b in vc.broader:
            under.setdefault(b, set()).add(key[vc.iri])
    return {key[vc.iri]: frozenset({key[vc.iri], *(key[b] for b in vc.broader if b in key),
                                    *(k for b in vc.broader for k in under[b])})
            for vc in concepts if any(_everyday_short_form(a, vc) for a in vc.alts)}


def _everyday_short_form(surface: str, vc) -> bool:
    if vc is None or " " in surface or surface.isupper():
        return False
    word = concept_key(surface)
    label = concept_key(QUALIFIER_RE.sub("", vc.pref)).split()
    return len(label) > 1 and word in label and zipf(word) >= EVERYDAY_ZIPF
