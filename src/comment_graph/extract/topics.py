"""The topic inside a noun phrase about talk or process: "the monopsony explanation" discusses
monopsony, "the streak-masking step" is about streak masking."""

from __future__ import annotations

from .proper_terms import NOUN_TAGS

# Nouns of talk about a topic rather than of the topic: "the monopsony explanation", "the priming literature",
# "the influence-seeking systems story", "the MOND people" discuss monopsony, priming, the systems, MOND
DISCOURSE_HEADS = frozenset("""explanation explanations angle story idea literature debate discussion framing
narrative crowd people folks camp""".split())
MODIFIER_TAGS = NOUN_TAGS | {"NNP", "VBG"}


# Nouns of a generic stage or undertaking: after a hyphenated compound ("the streak-masking step", "a local
# hill-climbing process", "the whole maybe-async effort") the compound names the process, which is the topic
PROCESS_HEADS = frozenset("step steps process processes stage phase effort efforts procedure".split())


def topic_of_talk(idx: list[int], toks, tags) -> list[int] | None:
    """The words before a noun of talk (`DISCOURSE_HEADS`) that end in a noun: the topic talked about;
    or the hyphenated compound before a noun of process (`PROCESS_HEADS`)."""
    if len(idx) < 2:
        return None
    head, before = toks[idx[-1]][0].lower(), toks[idx[-2]][0]
    if head in DISCOURSE_HEADS and tags[idx[-2]] in MODIFIER_TAGS:
        return idx[:-1]
    if head in PROCESS_HEADS and "-" in before.strip("-"):
        return idx[:-1]
    return None
