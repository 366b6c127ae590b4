"""Named things that are topics, for the concepts extractor: a product, language or method named by
a capitalised word ("Kafka", "RabbitMQ"), and a name before a noun naming a kind of thing ("Kahan
summation", "the Berlin endgame", "the Ramsey equation")."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..lexicon import zipf
from ..models import Comment, Mention
from ..text import concept_key, not_after, stopwords
from .context import Context
from .names import Taken, sentence_initial
from .tagging import _word_tag, pos_lexicon, specificity
from .vocabulary import NAME

NOUN_TAGS = {"NN", "NNS"}
CORPUS_CHECKED = 0.4  # the score of a lone everyday-ish noun, flagged `corpus_checked`: kept only if other comments use it too
PROPER_NAME = "proper name"
NAMED_KIND = "named kind"


# "(?<![\w@#’'-])([A-Z][a-z]+(?:[A-Z][a-z0-9]+)*|[A-Z][a-z]*[A-Z][A-Za-z0-9]*)(?![\w’'-])", with the capital
# both branches open with taken out and written with not_after: the engine scans it fastest.
PROPER_RE = re.compile("(" + not_after(r"[\w@#’'-]", "[A-Z]") + r"(?:[a-z]+(?:[A-Z][a-z0-9]+)*|[a-z]*[A-Z][A-Za-z0-9]*))"
                       r"(?![\w’'-])")


def _proper_terms(c: Comment, ctx: Context, spans: Taken) -> Iterator[Mention]:
    """Named things that are topics, not people or organizations: "Kafka", "Raft", "RabbitMQ".
    A capitalised word mid-sentence that no name list knows counts once other comments use it too."""
    lex = ctx.lexicons
    for m in PROPER_RE.finditer(c.text):
        word, s, e = m.group(1), m.start(1), m.end(1)
        common = zipf(word.lower())
        if spans.covers(s, e) or sentence_initial(c.text, s) or word in lex.first_names or word in lex.organizations \
                or common >= NAMED_KIND_MAX_ZIPF or word.lower() in stopwords():  # chat abbreviations ("IMO") are no topics
            continue
        head = NAMED_KIND_RE.match(c.text, e)
        # after an article, a name before a noun is an eponym ("the Ramsey equation", "a Pareto principle"), even a
        # person's surname; the noun may be commoner there
        eponym = head is not None and EPONYM_BEFORE_RE.search(c.text, max(0, s - 5), s) is not None
        if (word in lex.people or word in ctx.corpus_surnames) and not eponym:
            continue
        if head and kind_noun(head.group(1), EPONYM_HEAD_MAX_ZIPF if eponym else KIND_NOUN_MAX_ZIPF):
            # "the Ramsey equation", "Kahan summation", "Matryoshka SAEs": a name before a technical noun names
            # a kind of thing (an eponym, a product's variant), a topic whether or not others name it; before
            # an everyday noun ("Kafka clusters") or a property ("Postgres extensibility") an aspect of the thing
            e = head.end(1)
            s = _name_start(c.text, s, spans, lex)
            spans.append((s, e))
            yield Mention.found(comment_id=c.id, kind="concept", surface=c.text[s:e], start=s, end=e, extractor=NAME,
                                score=round(min(0.6 + 0.4 * specificity([word]), 0.95), 3),
                                key=concept_key(c.text[s:e]), attrs={"source": NAMED_KIND})
            continue
        if common >= 4.0:
            continue  # alone, a name as common as "Berlin" or "Python" is a place or a word as often as a topic
        spans.append((s, e))
        yield Mention.found(comment_id=c.id, kind="concept", surface=word, start=s, end=e, extractor=NAME,
                      score=CORPUS_CHECKED, key=concept_key(word), attrs={"source": PROPER_NAME},
                      corpus_checked=True)


# the capitalised word right before a name: "Planet" of "the Planet Nine hypothesis", "Type" of "Type Ia supernovae"
NAME_WORD_BEFORE_RE = re.compile(r"(?<![\w’'-])([A-Z][A-Za-z]*) $")
MAX_NAME_WORDS = 3


def _name_start(text: str, s: int, spans: Taken, lex) -> int:
    """Where the name of a named kind starts: a name of several capitalised words is all of it ("the
    Planet Nine hypothesis", "the Monty Hall problem", "Type Ia supernovae"), not its last word. A
    sentence's first word joins it only where it is a noun or a rare word ("Type Ia supernovae are…",
    not "Using Kahan summation…"); function words ("In", "The") and names the lexicons know (a first
    name, an organization: "the Google Kahan summation talk") never do."""
    for _ in range(MAX_NAME_WORDS - 1):
        before = NAME_WORD_BEFORE_RE.search(text, max(0, s - 25), s)
        if before is None:
            break
        word, start = before.group(1), before.start(1)
        lower = word.lower()
        if lower in stopwords() or spans.covers(start, s - 1) or word in lex.first_names \
                or word in lex.organizations or word in lex.people or (
                sentence_initial(text, start) and pos_lexicon().get(lower) not in ("NN", "NNS", None)):
            break
        s = start
    return s


PROPERTY_ENDINGS = ("ity", "ness")
KIND_NOUN_MAX_ZIPF = 4.0


def kind_noun(word: str, max_zipf: float = KIND_NOUN_MAX_ZIPF) -> bool:
    """A noun that, after a name, makes the two a named kind of thing: technical (rarer than `max_zipf`),
    not a property ("Postgres extensibility" is an aspect of Postgres)."""
    return _word_tag(word, False) in NOUN_TAGS | {"NNP", "VBG"} and zipf(word.lower()) < max_zipf \
        and not word.endswith(PROPERTY_ENDINGS)


def kind_noun_end(text: str, end: int) -> int | None:
    """Where the kind noun right after a name ending at `end` ends, if one follows."""
    head = NAMED_KIND_RE.match(text, end)
    return head.end(1) if head is not None and kind_noun(head.group(1)) else None
EPONYM_BEFORE_RE = re.compile(r"\b(?:[Tt]he|[Aa]n?)\s+$")
EPONYM_HEAD_MAX_ZIPF = 4.5  # "equation" (4.0), "principle" (4.3); not "test" (5.2), "distribution" (4.6)
# a name before a rare noun names a kind of thing even where the name itself is a common word: "the
# Berlin endgame", "the Python interpreter" (everyday words, "White", "New", are commoner still)
NAMED_KIND_MAX_ZIPF = 5.0
NAMED_KIND_RE = re.compile(r" ([a-z][a-z]{3,}|[A-Z]{2,6}s?)(?![\w’'-])")  # one lower-case noun, or an acronym
