"""Works named by what describes them rather than by a title.

Each form serves one class of comment text:
  * the author after "by" or "from": "the post by Geoffrey Miller", "an explainer video from Rob Miles";
  * the named thing it is about: "that paper on CoinRun";
  * the topic after a possessive work: "Scott Alexander's post on our paper" (see `topic_end`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..models import Comment, Mention
from ..text import not_after
from .context import Context
from .names import covered
from .tagging import _word_tag
from .work_names import CAP, NOT_YET_RE, PERSON, WORK_NOUNS, _descriptor, _function_word_inside, _work

TOPIC_OPEN_RE = re.compile(r"\s+(?:on|about)\s+")
# a conversation's other party belongs to its name as a topic does: "Kramnik's interview with ChessBase"
PARTNER_OPEN_RE = re.compile(r"\s+with\s+(?=[A-Z@])")  # a name: not "an interview with great interest"
CONVERSATION_NOUNS = ("interview", "interviews", "podcast", "episode", "debate")
TOPIC_WORD_RE = re.compile(r"([\w’'-]+)( ?)")
# words a topic's noun phrase holds inside it ("the most likely path to transformative AI")
TOPIC_INNER = frozenset("the a an our their his her its my your this of to for and in most".split())
MAX_TOPIC_WORDS = 7
CLAUSE_TAGS = frozenset("IN CC WDT WP WRB PRP PRP$ MD EX TO DT".split())  # what opens the clause after the topic


def topic_end(t: str, end: int) -> int:
    """Where a work's topic after "on"/"about" (or a conversation's partner after "with") ends ("X's posts on keyword generics more or less
    concede"): at punctuation, at a function word or verb that opens the clause, or at a lower-case
    word after a name ("X's papers on Koka show"); `end` itself when no topic follows."""
    opener = TOPIC_OPEN_RE.match(t, end)
    if opener is None and t.endswith(CONVERSATION_NOUNS, 0, end):
        opener = PARTNER_OPEN_RE.match(t, end)
    if opener is None:
        return end
    pos, last, named = opener.end(), end, False
    for _ in range(MAX_TOPIC_WORDS):
        w = TOPIC_WORD_RE.match(t, pos)
        if w is None:
            break
        word = w.group(1)
        lower = word.lower()
        tag = _word_tag(lower, False)
        if word[0].islower() and (named or (tag in CLAUSE_TAGS and lower not in TOPIC_INNER) or tag.startswith("VB")):
            break
        named = named or (word[0].isupper() and not word.isupper())  # "AI safety" goes on; "Koka show" stops
        if lower not in TOPIC_INNER and not tag.startswith("RB") and tag != "JJR":  # "most likely" sits inside
            last = w.end(1)
        if not w.group(2):
            break
        pos = w.end()
    return last


# "the post by Geoffrey Miller", "an explainer video from Rob Miles", "a good essay by Katja Grace":
# the possessive's content said the other way round ("by"/"from" and a capitalised name)
# what every match holds, found with a literal first (cheap): most comments have none, and are not scanned
BY_NAME_RE = re.compile(r" (?:by|from) [A-Z]")
ON_NAME_RE = re.compile(r" (?:on|about) [A-Z]")
WORK_BY_RE = re.compile(rf"\b(?:[Tt]he|an?|this|that|one|his|her|their)\s+((?:[\w-]+\s){{0,2}}?({WORK_NOUNS}))"
                        rf"\s+(?:by|from)\s+({PERSON})(?![\w’'-])")


def works_by(c: Comment, ctx: Context, spans: list) -> Iterator[Mention]:
    """A work described with its author after "by" or "from": named as the possessive would name it
    ("Geoffrey Miller’s post"), so the two phrasings of one work meet; the author must read as a
    person (a known first name, a person the lexicon knows, or the surname of a full name the
    comment writes: "Geoffrey Miller … the post by Miller")."""
    lex = ctx.lexicons
    for m in WORK_BY_RE.finditer(c.text) if BY_NAME_RE.search(c.text) else ():
        person = m.group(3)
        if " " not in person and person not in lex.first_names:
            person = _full_name_written(c.text, person, ctx) or person
        if not (person.split()[0] in lex.first_names or person in lex.people) or NOT_YET_RE.search(m.group(1)) \
                or _function_word_inside(m.group(1)) or covered(spans, m.start(1), m.end()):
            continue
        spans.append((m.start(1), m.end()))
        yield _descriptor(_work(c, m.start(1), m.end(), f"{person}’s {m.group(2)}", 0.8, creator=person))


def _full_name_written(text: str, surname: str, ctx: Context) -> str | None:
    """The one full name with this surname the text writes, led by a known first name."""
    found = {m.group() for m in re.finditer(rf"\b[A-Z][a-z]+ {re.escape(surname)}\b", text)
             if m.group().split()[0] in ctx.lexicons.first_names}
    return found.pop() if len(found) == 1 else None


# "that paper on CoinRun", "the post about Pascal's Mugging": a work described by the named thing it is
# about, titled as "the CoinRun paper" would be; a topic in lower case ("the paper on Bayesian
# inference") is a subject, not a name, and sites, people and organizations are where or whose
WORK_ON_RE = re.compile(not_after(r"\w", "[Tt]") + rf"h(?:e|at|is)\s+({WORK_NOUNS})\s+(?:on|about)\s+({CAP}(?:\s{CAP}){{0,2}})"
                        r"(?![\w’'-])(?!\s+[a-z]+\b(?<!\bis)(?<!\bwas)(?<!\band)(?<!\bor))")


def works_on(c: Comment, ctx: Context, spans: list) -> Iterator[Mention]:
    lex = ctx.lexicons
    for m in WORK_ON_RE.finditer(c.text) if ON_NAME_RE.search(c.text) else ():
        topic = m.group(2)
        if topic in lex.organizations or topic in lex.people or topic.split()[0] in lex.first_names \
                or NOT_YET_RE.search(m.group(1)) or covered(spans, m.start(1), m.end()):
            continue
        spans.append((m.start(1), m.end()))
        yield _descriptor(_work(c, m.start(1), m.end(), f"{topic} {m.group(1)}", 0.75))
