"""What every works scan shares: the nouns that name a work, a capitalised word, and the mention it makes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from ..models import Comment, Mention
from ..lexicon import zipf
from ..text import concept_key, stopwords
from .tagging import pos_lexicon

NAME = "works"
WORK_NOUNS = (r"lecture notes|(?:blog |wiki )?posts?|papers?|essays?|articles?|books?|sequences?|series|videos?|talks?|podcasts?|"
              r"explainers?|reports?|reviews?|interviews?|lectures?|newsletters?|preprints?|study|studies|"
              r"surveys?|agenda|course|tutorials?|playlist|analys[ie]s|release|episodes?|chapter|textbook|"
              r"slides|notebook|write-?up|wiki(?: page)?|handbook|guide|report card|follow-up|(?:problem )?profile|"
              r"primer|overview|piece|FAQ|blogs?|biography|memoir|novels?|"
              r"papyrus|papyri|codex|manuscripts?")  # a text known by its copy: "the Muziris papyrus"
CAP_REST = r"[\w]*(?:[-‐][\w]+)*"  # after the capital
CAP = "[A-Z]" + CAP_REST
PERSON = rf"{CAP}(?:\s{CAP}){{0,2}}"
# "Alex's next essay", "my upcoming post": a work not written yet is no reference
NOT_YET_RE = re.compile(r"\b(?:next|upcoming|forthcoming|future|planned|unwritten|eventual)\b")


def _work(c: Comment, s: int, e: int, title: str, score: float, creator: str | None = None,
          url: str | None = None) -> Mention:
    attrs = {"title": title}
    if creator:
        attrs["creator"] = creator
    if url:
        attrs["url"] = url
    return Mention.found(comment_id=c.id, kind="work", surface=c.text[s:e], start=s, end=e, extractor=NAME,
                   score=score, key=concept_key(title), attrs=attrs)


def _descriptor(m: Mention) -> Mention:
    """A work named by description ("Andy Pavlo's MVCC lecture"): the topic words in it still count."""
    m.attrs = {**m.attrs, "named_by": "description"}
    return m


def _function_word_inside(description: str) -> bool:
    """"Demski's comments-on-a-draft into the post": a preposition or article between the owner and
    the work noun makes it a clause, not a description ("Ben Hilton's 80,000 hours problem profile")."""
    return any(w.lower() in FUNCTION_WORDS for w in description.split()[:-1])


FUNCTION_WORDS = {"the", "a", "an", "into", "in", "on", "of", "to", "for", "with", "and", "or", "that", "this", "is",
                  "was", "from", "at", "by", "as"}


# A forum user's handle written in lower case before a work it made: "agadmator's video", "gwern's essay
# on spaced repetition". The possessive and the work noun are found first (a literal the engine skips
# to), then the word before them; the word is a handle where English has no such word.
HANDLE_WORK_REST_RE = re.compile(rf"[’']s\s+(?:[\w-]+\s){{0,2}}?(?:{WORK_NOUNS})\b(?!-)")
HANDLE_BEFORE_RE = re.compile(r"(?<![\w@.’'-])([a-z][a-z0-9_]*[a-z0-9])$")
HANDLE_MAX_ZIPF = 2.0  # no word of English at all: "agadmator" (0), not "today" or "everyone"


@lru_cache(maxsize=4)  # the people and the works extractors both ask, of the same comment's text
def handle_possessives(text: str) -> tuple[tuple[int, int, int], ...]:
    """(start, end) of each lower-case handle owning a work, and where the work noun ends."""
    return tuple(_handle_possessives(text)) if ("'s" in text or "’s" in text) else ()


def _handle_possessives(text: str) -> Iterator[tuple[int, int, int]]:
    for m in HANDLE_WORK_REST_RE.finditer(text):
        before = HANDLE_BEFORE_RE.search(text, max(0, m.start() - 40), m.start())
        if before is None:
            continue
        word = before.group(1)
        between = m.group()[2:].split()[:-1]  # the words between the possessive and the work noun
        if NOT_YET_RE.search(m.group()) or _function_word_inside(" ".join(between + ["x"])) \
                or (between and between[0] in ("been", "got", "had", "gone")):
            continue  # "gwern's next essay", "gwern's been writing posts" (has, not a possessive)
        if "_" in word or any(ch.isdigit() for ch in word) or (
                len(word) >= 4 and zipf(word) < HANDLE_MAX_ZIPF and pos_lexicon().get(word) is None
                and word not in stopwords()):
            yield before.start(1), before.end(1), m.end()
