"""Works a comment refers to: posts, papers, series, videos; by title, by author, or by URL.

Patterns: "X’s post", "the CoinRun paper", "Rob Miles explainer", a Title Case
run followed by "series"/"sequence"/"book", a quoted Title Case title, a title
the page lists in its header, and URLs. A bare "here" is not a work. Works named by a description
(an author after "by", a topic after "on") are in `work_descriptions.py`, titles found by typography
in `titles.py`, and the pieces every scan shares in `work_names.py`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

try:
    from re import _parser as sre_parse  # Python 3.11+
except ImportError:  # pragma: no cover
    import sre_parse  # type: ignore[no-redef]

from ..models import Comment, Mention
from ..text import concept_key, not_after
from ..urls import classify
from . import Extractor, register
from .citations import citations
from .context import Context
from .names import MONTH_WORDS, ORG_SUFFIXES, covered, sentence_initial
from .tagging import _word_tag
from .titles import find_titled, is_date
from .work_descriptions import topic_end, works_by, works_on
from .work_names import (CAP, CAP_REST, NAME, NOT_YET_RE, WORK_NOUNS, _descriptor,
                         _function_word_inside, _work, handle_possessives)

# The scans below open with a CAP (or "the") not after a word character, written with not_after:
# the engine scans them fastest. LED_* is that opening; the character class says what may not precede.
LED_PERSON = not_after(r"\w", "[A-Z]") + CAP_REST + rf"(?:\s{CAP}){{0,2}}"
LED_THE = not_after(r"\w", "[Tt]") + "he"
LED_AUTHOR = not_after(r"[\w’']", "[A-Z]") + CAP_REST
LED_TITLE = not_after(r"[\w-]", "[A-Z]") + CAP_REST
POSSESSIVE_WORK_RE = re.compile(rf"({LED_PERSON})[’']s?\s+((?:[\w,.-]+\s){{0,3}}?(?:{WORK_NOUNS}))\b(?!-)")
THE_X_WORK_RE = re.compile(rf"{LED_THE}\s+((?:[A-Z][\w-]*[A-Z0-9][\w-]*|{CAP})(?:\s[\w-]+){{0,3}}?\s(?:{WORK_NOUNS}))\b")
AUTHOR_WORK_NOUNS = ("explainer", "video", "talk", "podcast", "lecture", "interview")
AUTHOR_WORK_RE = re.compile(rf"({LED_AUTHOR}\s{CAP})\s+({'|'.join(AUTHOR_WORK_NOUNS)})\b")
SMALL = r"(?:to|of|the|a|an|in|on|for|and|vs\.?|with|from|is|are|at)"
TITLE_RUN_RE = re.compile(rf"({LED_TITLE}(?:(?:\s{SMALL})+\s{CAP}|(?:\s{CAP}){{1,9}})(?:(?:\s{SMALL})*\s{CAP}){{0,8}})"
                          rf"(?:\s(series|sequence|book|post|paper))?")
QUOTED_RE = re.compile(r"[“\"]([A-Z][^”\"\n]{3,120})[”\"]")
# a possessive work noun then its title in apposition: "Ada Lin's book Tides of Debt"
APPOSITION_NOUNS = {"book", "paper", "essay", "article", "report", "post", "series", "talk", "lecture", "novel",
                    "textbook", "study", "preprint", "sequence", "blog", "biography", "memoir", "podcast"}
APPOSITION_RE = re.compile(rf"\s+({CAP}(?:\s(?:{SMALL}\s)*{CAP}){{0,9}})(?![\w’'])")
# a title written plainly after "in" or a reading verb, ending where the clause does:
# "makes this point in Turning Code into Prose:", "I reread The Quiet Ledger", "promoted in Thinking, Fast and Slow"
# "\b(in|read|reread|re-read|reading|rereading|finished|recommend)\s+…", the words in the same order,
# each with its first letter written with not_after: the engine skips in C to the letters they open
# with instead of trying "\b" at every position of the text.
TITLE_AFTER_RE = re.compile("(" + not_after(r"\w", "i") + "n|" + not_after(r"\w", "o") + "n|" + not_after(r"\w", "r")
                            + "e(?:ad|read|-read|ading|reading)|"
                            + not_after(r"\w", "f") + "inished|" + not_after(r"\w", "r") + r"ecommend)\s+"
                            rf"((?:[Tt]he\s|A\s|An\s)?{CAP}(?:,?\s(?:(?:{SMALL}|into|about|without|not|under)\s)*{CAP}){{0,11}})"
                            # the clause ends after it, maybe after "too", or a "that" clause follows, or
                            # the title ends a phrase before the sentence's verb (checked in Python: VERB_AFTER_RE)
                            r"(?=(?:\s+(?:too|also|as well))?\s*(?:[.:;!?)]|,\s|$|\n)|\s+that\s|\s+[a-z])")
# "the estimate in The Precipice is about…", "what Kahneman promoted in Thinking, Fast and Slow collapsed"
VERB_AFTER_RE = re.compile(r"[ \t]+([a-z]+)([’']t)?\b")  # on the title's line; "doesn't" is a verb
CLAUSE_END_WORDS = ("too", "also", "as", "that")  # what the pattern lets follow the title besides a verb
# a verb of saying or writing earlier in the sentence: "Forkish says this in Flour Water Salt Yeast",
# "Henry George worked out in Progress and Poverty", "Leo explains it really well on The Perfect Loaf"
PUBLICATION_NOUNS = {"Times", "Post", "Journal", "Press"}
# what ends the names of bodies of people, never of books ("The Humane League"; "The Food Lab" is a book)
INSTITUTION_NOUNS = {"League", "Alliance", "Coalition", "Federation", "Union", "Party", "Association", "Society",
                     "Foundation", "Institute", "Council", "Commission", "Committee", "Agency", "Parliament", "Senate",
                     "Congress", "Court", "Assembly", "Corporation", "Company", "University", "College"}
# the word before a source: "in", "from", "read", "watched"
SOURCE_WORD_RE = re.compile(r"\b(?:in|from|read|reading|reread|rereading|watched|watching|finished)\s+$")
SAYING_BEFORE_RE = re.compile(r"\b(?:says?|said|argues|argued|writes|wrote|written|explains|explained|complains|"
                              r"complained|worked out|shows|showed|describes|described|makes (?:the|this|that) (?:case|point)|"
                              r"points out|pointed out|discusses|discussed|claims|claimed|notes|noted)\b[^.!?\n]{0,60}$")
POSSESSIVE_BEFORE_RE = re.compile(r"[’']s\s+(?:[a-z]+\s+)?$")  # before "in": "Ord's estimate in The Precipice"
URL_RE = re.compile(r"https?://[^\s<>\"“”)\]]+[^\s<>\"“”)\].,;:!?’']")


SMALL_RE = re.compile(SMALL)  # compiled once: re.fullmatch(SMALL, w) looked the pattern up in re's cache per word


def _title_case(words: list[str]) -> bool:
    big = [w for w in words if not SMALL_RE.fullmatch(w)]
    return len(big) >= 2 and sum(w[0].isupper() for w in big) / len(big) >= 0.8


def _has_apostrophe(text: str) -> bool:
    return "’" in text or "'" in text



# capitalised words before "'s post" that own no work: determiners, pronouns, and days ("Yesterday's post")
NOT_OWNERS = frozenset("The This That My Your It I Yesterday Today Tonight Tomorrow Everyone Someone Anyone".split())


def _patterns(c: Comment, ctx: Context, spans: list) -> Iterator[Mention]:
    t = c.text
    # each scan below is skipped where the text lacks what every match holds (an apostrophe, a noun)
    for m in POSSESSIVE_WORK_RE.finditer(t) if _has_apostrophe(t) else ():
        words = m.group(1).split()
        while len(words) > 1 and words[0] not in ctx.lexicons.first_names:
            words = words[1:]  # "See Geoffrey Miller’s post": the sentence's verb is not the author
        if words[0] in NOT_OWNERS or NOT_YET_RE.search(m.group(2)) \
                or _function_word_inside(m.group(2)):
            continue
        start = m.start(1) + m.group(1).rindex(" ".join(words))
        named = _apposition(t, m.end(), ctx) if m.group(2) in APPOSITION_NOUNS else None
        if named:
            # "Alan Manning's book Monopsony in Motion": one work, titled by the apposition
            spans.append((start, named[1]))
            yield _work(c, start, named[1], t[named[0]:named[1]], 0.85, creator=" ".join(words))
            continue
        quoted = QUOTED_AFTER_RE.match(t, m.end())
        if quoted and covered(spans, quoted.end(), quoted.end() + 1):
            continue  # "Bauer's lecture notes “What is…”": the quoted title, found already, is the work
        end = topic_end(t, m.end())  # "Scott Alexander's post on our paper": the topic belongs to the name
        spans.append((start, end))
        yield _descriptor(_work(c, start, end, t[start:end], 0.85, creator=" ".join(words)))
    for s, e, noun_end in handle_possessives(t):
        end = topic_end(t, noun_end)  # "agadmator's video on game 1 of London 2000"
        if not covered(spans, s, end):
            spans.append((s, end))
            yield _descriptor(_work(c, s, end, t[s:end], 0.8, creator=t[s:e]))
    for m in AUTHOR_WORK_RE.finditer(t) if any(noun in t for noun in AUTHOR_WORK_NOUNS) else ():
        if not covered(spans, m.start(), m.end()) and m.group(1).split()[0] in ctx.lexicons.first_names:
            spans.append((m.start(), m.end()))
            yield _descriptor(_work(c, m.start(), m.end(), m.group(0), 0.8, creator=m.group(1)))
    for m in THE_X_WORK_RE.finditer(t):
        inner = m.group(1).split()[1:-1]
        if any(w.lower() in ("the", "a", "an", "this", "that", "of") for w in inner):
            continue  # "the AGI outputs the textbook": a clause, not a name
        end = topic_end(t, m.end(1))  # "the Not Just Bikes video on parking minimums"
        if not covered(spans, m.start(1), end):
            spans.append((m.start(1), end))
            yield _descriptor(_work(c, m.start(1), end, t[m.start(1):end], 0.75))


QUOTED_AFTER_RE = re.compile(r"\s+[“\"]")
SUBTITLE_AFTER_RE = re.compile(rf":\s(?:The\s|A\s|An\s)?{CAP}(?:\s(?:{SMALL}\s)*{CAP}){{0,6}}(?![\w’'])")


def _apposition(t: str, end: int, ctx: Context) -> tuple[int, int] | None:
    """The span of a Title Case title in apposition after a work noun at `end`. One led by a first
    name is a person ("his book Tom Smith liked") unless a subtitle follows ("Vera Rubin: A Life")."""
    named = APPOSITION_RE.match(t, end)
    if not named:
        return None
    subtitle = SUBTITLE_AFTER_RE.match(t, named.end(1))
    if subtitle:
        return named.start(1), subtitle.end()
    return None if named.group(1).split()[0] in ctx.lexicons.first_names else named.span(1)


def _titles_after_reading(c: Comment, ctx: Context, spans: list) -> Iterator[Mention]:
    """A Title Case title with no cue word but where it stands: after "in" or a reading verb, up to the
    clause's end. Names of places and people stand there too ("found in New Jersey."), so the run must
    read as a title: a small word inside it other than and/or, four words or more, a gerund first
    ("Scaling Monosemanticity"), or an article first after a reading verb or a possessive."""
    t = c.text
    for m in TITLE_AFTER_RE.finditer(t):
        s, e = m.start(2), m.end(2)
        title = m.group(2)
        verb = VERB_AFTER_RE.match(t, e)
        if verb and not verb.group(2) and verb.group(1) not in CLAUSE_END_WORDS \
                and not _word_tag(verb.group(1), False).startswith(("VB", "MD")):
            continue  # "in New Jersey today": a lower-case word after the run that is no verb goes on with the phrase
        # "complains in the Natural History": a title only where someone said it, and no institution ("argued in
        # the European Parliament"); a newspaper is a publication
        lower_the = title.startswith("the ")
        if lower_the:
            s, title = s + 4, title[4:]
            if title.split()[-1] in ORG_SUFFIXES - PUBLICATION_NOUNS:
                continue
        words = title.replace(",", "").split()
        big = [w for w in words if w[0].isupper() and w not in ("The", "A", "An")]
        if not big or covered(spans, s, e) or is_date(words) or title in ctx.lexicons.organizations \
                or title in ctx.lexicons.people or big[0] in ctx.lexicons.first_names or title.isupper() \
                or any(w in MONTH_WORDS for w in words):
            continue
        smalls = {w for w in words if not w[0].isupper()}
        article = words[0] in ("The", "A", "An")
        reading = m.group(1) not in ("in", "on")
        reach = 25 if lower_the else 80  # "complains in the …", "wrote this in the …": the verb right before
        said = (len(big) >= 2 or article) and SAYING_BEFORE_RE.search(t, max(0, m.start() - reach), m.start()) is not None
        shaped = (smalls - {"and", "or"} or len(big) >= 4 or (len(big) >= 2 and big[0].endswith("ing"))
                  or (article and (reading or POSSESSIVE_BEFORE_RE.search(t, max(0, m.start() - 40), m.start(1)))))
        if not (said or (shaped and m.group(1) != "on" and not lower_the)):
            continue  # "on" a name is where a thing happens ("on Twitter") unless someone said it there
        spans.append((s, e))
        yield _work(c, s, e, title, 0.6)


def _titles(c: Comment, ctx: Context, spans: list) -> Iterator[Mention]:
    t = c.text
    known = {concept_key(x): x for x in ctx.page_titles}
    for m in TITLE_RUN_RE.finditer(t):
        s, e = m.start(1), m.end(1)
        words = m.group(1).split()
        if covered(spans, s, e) or not _title_case(words) or is_date(words):
            continue
        is_known = concept_key(m.group(1)) in known
        caps = [w for w in words if w[0].isupper()]
        smalls = {w.lower() for w in words if not w[0].isupper()}
        # names joined or set apart ("Tamil Nadu and Kerala", "Hermapollon from Muziris to Alexandria"), not a title
        coordination = (len(caps) == 2 and smalls <= {"and", "or", "to", "vs", "vs.", "with", "from", "at", "on"}) \
            or smalls <= {"and", "or", "&"} or smalls == {"from", "to"}
        inner_small = smalls and not coordination and not sentence_initial(t, s)
        # "in The Food Lab", "read The Selfish Gene": a capital "The" mid-sentence belongs to a name, and after a
        # word that takes a source before two more capitalised words most often to a title's ("listening to The
        # Rolling Stones" is a band)
        the_led = words[0] == "The" and len(caps) >= 3 and not sentence_initial(t, s) \
            and SOURCE_WORD_RE.search(t, max(0, s - 12), s) is not None \
            and m.group(1) not in ctx.lexicons.organizations and words[-1] not in INSTITUTION_NOUNS
        if not (is_known or m.group(2) or inner_small or the_led) or _people_coordinated(m.group(1), ctx):
            continue  # a run of capitalised words alone may be a name, a place or an organization
        spans.append((s, e))
        creator = ctx.page_author if is_known else None
        yield _work(c, s, e, known.get(concept_key(m.group(1)), m.group(1)), 0.8 if is_known else 0.65,
                    creator=creator)
    for m in QUOTED_RE.finditer(t):
        words = m.group(1).split()
        if len(words) >= 2 and _title_case(words) and not covered(spans, m.start(1), m.end(1)):
            spans.append((m.start(1), m.end(1)))
            yield _work(c, m.start(1), m.end(1), m.group(1), 0.7)


def _people_coordinated(run: str, ctx: Context) -> bool:
    """'Owain Evans and Jacob Steinhardt': names joined by "and" are people, not a title."""
    parts = re.split(r"\s+(?:and|&)\s+", run)
    return len(parts) > 1 and all(p in ctx.lexicons.people or (" " in p and p.split()[0] in ctx.lexicons.first_names)
                                  for p in parts)


POSSESSIVE_TITLE_RE = re.compile(rf"({LED_PERSON})[’']s?\s+({CAP}(?:\s(?:{SMALL}\s)*{CAP}){{0,11}})(?![\w’'])")
# "Batygin's Planet Nine hypothesis", "Hubbert's Peak Oil theory": a capitalised name before one of these
# nouns names an idea (a concept the noun classifies), not a title the possessive's owner wrote
IDEA_NOUN_AFTER_RE = re.compile(r"\s+(?:hypothes[ie]s|theory|theories|theorem|conjecture|paradox|principle|problem|"
                                r"effect|equation|law|fallacy|dilemma|thesis)\b")


def _possessive_titles(c: Comment, ctx: Context, spans: list) -> Iterator[Mention]:
    """"Tetlock’s Superforecasting", "Anthropic's Towards Monosemanticity": a Title Case name after a possessive."""
    for m in POSSESSIVE_TITLE_RE.finditer(c.text) if _has_apostrophe(c.text) else ():
        s, e = m.start(2), m.end(2)
        title = m.group(2)
        if covered(spans, s, e) or title.split()[0] in ctx.lexicons.first_names or title in ctx.lexicons.people \
                or title in ctx.lexicons.organizations or title.isupper() or IDEA_NOUN_AFTER_RE.match(c.text, e):
            continue
        owner = m.group(1).split()[-1]
        creator = m.group(1) if owner not in ctx.lexicons.organizations and m.group(1)[0].isupper() else None
        spans.append((s, e))
        yield _work(c, s, e, title, 0.6, creator=creator if creator and not sentence_initial(c.text, m.start(1))
                    or (creator and " " in creator) else None)


# the noun and its title, perhaps with the verb that names it between ('a chapter called "Erosion of cities"',
# 'a paper titled "…"'): one space before that verb, so that a match's width before its whitespace stays bounded
NAMING_VERB = r"(?: (?:called|titled|entitled|named))?"
NOUN_THEN_QUOTED_RE = re.compile(rf"\b(?:{WORK_NOUNS}){NAMING_VERB}\s+[“\"]([^”\"\n]{{3,150}})[”\"]")
# Where a match's whitespace before the opening mark is: a work noun or its naming verb ends right
# before it (neither ends in whitespace, so it ends where the whole run of whitespace starts), at most
# LONGEST_WORK_NOUN characters after the match's start. The marks after a space are found first
# (the engine skips to the marks in C), then the run of whitespace before each (str.isspace is \s).
QUOTE_AFTER_SPACE_RE = re.compile(r"[“\"](?<=\s.)")
LONGEST_WORK_NOUN = sre_parse.parse(f"(?:{WORK_NOUNS}){NAMING_VERB}").getwidth()[1]


def _nouns_then_quoted(t: str) -> Iterator[re.Match]:
    """The matches of NOUN_THEN_QUOTED_RE.finditer(t), found without running the pattern (which
    opens with an assertion, so is tried at every position of the text) over the whole text: it
    is tried only at the few positions where a match can start, those up to LONGEST_WORK_NOUN
    characters before a run of whitespace followed by an opening mark, in order. Every match is
    found at such a position (see QUOTE_AFTER_SPACE_RE), the runs come in text order and so do
    the positions tried, and after a match the next is looked for from its end, as finditer does."""
    pos = 0
    for mark in QUOTE_AFTER_SPACE_RE.finditer(t):
        r = mark.start() - 1
        while r and t[r - 1].isspace():
            r -= 1
        for start in range(max(pos, r - LONGEST_WORK_NOUN), r):
            m = NOUN_THEN_QUOTED_RE.match(t, start)
            if m is not None:
                yield m
                pos = m.end()
                break


def _titles_after_work_nouns(c: Comment, ctx: Context, spans: list) -> Iterator[Mention]:
    """A quoted string right after "post", "paper", "essay" … is a title whatever its case:
    'his blog post “Why your house is a terrible investment”'."""
    for m in _nouns_then_quoted(c.text) if "“" in c.text or '"' in c.text else ():
        s, e = m.start(1), m.end(1)
        if not covered(spans, s, e):
            spans.append((s, e))
            yield _work(c, s, e, m.group(1), 0.75)


QUOTED_THEN_NOUN_RE = re.compile(rf"[“\"]([^”\"\n]{{3,120}})[”\"]\s+(?:{WORK_NOUNS})\b")
OWNER_BEFORE_RE = re.compile(rf"({CAP}(?:\s{CAP}){{0,2}})[’']s?\s+$")


def _titles_before_work_nouns(c: Comment, ctx: Context, spans: list) -> Iterator[Mention]:
    """A quoted string right before "post", "series", "essay" … is a title whatever its case: 'the
    "sharp left turn" post', 'Holden's "most important century" series' (the possessive before it
    names the creator). One quoted word is left alone: 'a "balanced" review' marks a word, not a title."""
    for m in QUOTED_THEN_NOUN_RE.finditer(c.text) if "“" in c.text or '"' in c.text else ():
        s, e = m.start(1), m.end(1)
        words = m.group(1).split()
        if covered(spans, s, e) or len(words) < 2 or (m.group(1).islower() and _modifier_word(words[-1])):
            continue  # 'the "peer reviewed" paper': a lower-case phrase ending in a modifier describes it
        owner = OWNER_BEFORE_RE.search(c.text, max(0, m.start() - 40), m.start())
        creator = owner.group(1) if owner and owner.group(1) not in ctx.lexicons.organizations else None
        spans.append((s, e))
        yield _work(c, s, e, m.group(1), 0.75, creator=creator)


def _modifier_word(word: str) -> bool:
    from .tagging import _word_tag

    return _word_tag(word.strip(",.;:!?"), False) in ("JJ", "VBN", "VBD", "RB")


def _urls(c: Comment, spans: list) -> Iterator[Mention]:
    """Bare URLs in the text (a link the markup marked is the links extractor's)."""
    for m in URL_RE.finditer(c.text):
        spans.append((m.start(), m.end()))
        if any(ln.start <= m.start() and m.end() <= ln.end for ln in c.links):
            continue
        target = classify(m.group())
        if target is None or target.kind != "work":  # None: a malformed URL ('http://[::1') stays text
            continue
        mention = _work(c, m.start(), m.end(), m.group(), 0.9, url=target.url)  # titled as written
        mention.key = target.key
        yield mention


def _citations(c: Comment, ctx: Context, spans: list) -> Iterator[Mention]:
    """"Bills et al.", "Card and Krueger found": a paper cited by its authors; the lead author creates it."""
    for s, e, names in citations(c.text, ctx):
        if not covered(spans, s, e):
            spans.append((s, e))
            yield _descriptor(_work(c, s, e, c.text[s:e], 0.7, creator=c.text[names[0][0]:names[0][1]]))


def find_works(c: Comment, ctx: Context) -> Iterator[Mention]:
    spans: list[tuple[int, int]] = []
    yield from _urls(c, spans)
    yield from _citations(c, ctx, spans)
    yield from _titles_after_work_nouns(c, ctx, spans)
    yield from _titles_before_work_nouns(c, ctx, spans)
    yield from find_titled(c, ctx, spans)
    yield from _patterns(c, ctx, spans)
    yield from works_by(c, ctx, spans)
    yield from works_on(c, ctx, spans)
    yield from _titles_after_reading(c, ctx, spans)
    yield from _titles(c, ctx, spans)
    yield from _possessive_titles(c, ctx, spans)


register(Extractor(NAME, ("work",), find_works))
