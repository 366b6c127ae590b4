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
    debate", "habit" of "habit formation") names that concept only on pages that name it by a fuller
    form somewhere (its label or another alias): elsewhere the word keeps its everyday sense ("the
    minimum wage debate", "a civilized debate"), and linking it would file a page on another topic
    under the vocabulary's field. One sense per discourse: the corpus decides, not the comment.
    Returns the ids of the concept mentions to drop."""
    everyday: dict[tuple[str, str], bool] = {}  # (surface, key): asked of each vocabulary mention, computed once
    short = set()
    for m in mentions:
        if m.kind == "concept" and m.attrs.get("source") == "vocabulary":
            sk = (m.surface, m.key)
            if sk not in everyday:
                everyday[sk] = _everyday_short_form(m.surface, vocabulary.get(m.key))
            if everyday[sk]:
                short.add(id(m))
    if not short:
        return short
    fuller = {m.key for m in mentions if m.kind == "concept" and id(m) not in short}
    return {id(m) for m in mentions if id(m) in short and m.key not in fuller}


def _everyday_short_form(surface: str, vc) -> bool:
    if vc is None or " " in surface or surface.isupper():
        return False
    word = concept_key(surface)
    label = concept_key(QUALIFIER_RE.sub("", vc.pref)).split()
    return len(label) > 1 and word in label and zipf(word) >= EVERYDAY_ZIPF
