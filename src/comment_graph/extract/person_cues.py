"""Context cues that make a capitalised word a person although no name list knows it.

Each cue serves one class of comment text:
  * reported speech: "Larks is describing…", "Quill argues", "Duncan has just replied", "Ioannidis
    showed" (a forum user, colleague or author named by one word, then a verb of saying, thinking
    or finding);
  * address: "Thanks Mirela,", "hi Tomasz", "cc Okonkwo" (replies and signatures);
  * co-authorship: "Vaswani and colleagues", "Okafor and coauthors" (papers cited by lead author);
  * citation and authorship, for a surname alone (`SURNAME_CUES`): "Elhage et al.", "by Ongaro",
    "Miguel and Kremer found", "Kleppmann's book".
The corpus survey runs the speech and surname cues too (`speech_cue_spans`, `_surname_cue_spans`):
a word they mark anywhere on a page is a name wherever the page writes it.
A word the cue finds must still be rare in English or a known first name, and not a known
organization, acronym or term: "Nature says" and "Google argues" stay what they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..lexicon import zipf
from ..models import Comment, Mention
from ..text import not_after
from .context import Context
from .names import NOT_SURNAME, covered
from .tagging import pos_lexicon

WORD = r"[A-Z][a-z]+(?:[A-Z][a-z]+)?"
# verbs only: words that are also plural nouns ("Grace notes", "Insurance claims") are left out
SAY_VERBS = (r"says|said|argues|argued|thinks|thought|writes|wrote|describes|described|describing|replied|"
             r"suggests|suggested|suggesting|claimed|claiming|pointed out|mentioned|noted|asked|believes|believed|"
             r"explains|explained|explaining|proposed|responded|objected|agrees|agreed|disagrees|disagreed|"
             # claims and findings ("Ioannidis showed", "Kahneman warned"); "called" only with its object
             # ("Ioannidis called this"), since "a method called Foo" names a thing
             r"showed|warned|predicted|noticed|observed|estimated|called (?:it|this|that)|"
             # complaint and concession ("Pliny complains", "Hume admits")
             r"complains|complained|admits|admitted|insists|insisted|concedes|conceded|acknowledges|acknowledged")
# "Larks is describing", "Duncan has just replied", "Quill argues": at most an auxiliary and an adverb between
# (the capital opening WORD is written with not_after, not after a look-behind: the engine skips to
# capitals in C instead of trying every position of the text)
SPEECH_RE = re.compile("(" + not_after(r"[\w@’'-]", "[A-Z]") + rf"{WORD[5:]})(?:’s|'s)?\s+(?:(?:is|was|has|had|also|just|then|actually|"
                       rf"explicitly|already|recently|once)\s+){{0,2}}(?:{SAY_VERBS})\b")
ADDRESS_RE = re.compile(rf"(?:^|[\n.!?]\s*|\()(?:[Hh]i|[Hh]ey|[Hh]ello|[Tt]hanks|[Tt]hank you|[Cc]c|[Dd]ear)[,:]?\s+"
                        rf"({WORD})\b(?![ \t]+[A-Z])")
# ADDRESS_RE without the text's start as an opening, each other opening written to open on a literal:
# then the engine skips in C to the characters they open with, where "^" has it try every position
GREETING = rf"(?:[Hh]i|[Hh]ey|[Hh]ello|[Tt]hanks|[Tt]hank you|[Cc]c|[Dd]ear)[,:]?\s+({WORD})\b(?![ \t]+[A-Z])"
GREETING_RE = re.compile(GREETING)
ADDRESS_AFTER_OPENING_RE = re.compile(rf"(?:\n\s*|\.\s*|!\s*|\?\s*|\(){GREETING}")
COAUTHOR_RE = re.compile(rf"(?<![\w’'-])({WORD})\s+(?:and|&)\s+(?:his |her |their )?(?:colleagues|coauthors|"
                         rf"co-authors|collaborators|coworkers|co-workers)\b")
# vocative: a reply opening on the name of whom it answers, "Greg, the estimator was…" (first names only:
# "However, the…" opens sentences the same way)
VOCATIVE_TAIL = r",\s+(?=[a-z]|I\s|[A-Z]{2,}\b)"  # "Greg, the estimator…", "Greg, I agree", "Greg, LVT is…"
VOCATIVE_RE = re.compile(rf"(?:^|\n|[.!?]\s+)({WORD}){VOCATIVE_TAIL}")
CUES = ((SPEECH_RE, "cue: speech verb"), (ADDRESS_RE, "cue: address"), (COAUTHOR_RE, "cue: coauthors"),
        (VOCATIVE_RE, "cue: vocative"))

# VOCATIVE_RE opens with what may stand before the name ("^", a line break, a sentence's end), so
# the engine tries it at every position of the text. Its matches are found instead by the rest of
# the pattern, which opens on a capital not after a non-space (written with not_after: the engine
# skips to capitals in C; every opening ends in a space or is the text's start), and a check in
# Python of what stands before that capital, which is what the opening says.
VOCATIVE_REST_RE = re.compile("(" + not_after(r"\S", "[A-Z]") + WORD[5:] + ")" + VOCATIVE_TAIL)


def _space_before(text: str, start: int) -> int:
    """Where the run of whitespace that ends at `start` begins (`start` itself when there is none)."""
    j = start
    while j and text[j - 1].isspace():  # str.isspace: the same characters as the patterns' \s
        j -= 1
    return j


def _vocative_opens(text: str, start: int) -> bool:
    r"""What "(?:^|\n|[.!?]\s+)" says of the text before a name at `start`."""
    j = _space_before(text, start)
    return start == 0 or text[start - 1] == "\n" or (0 < j < start and text[j - 1] in ".!?")


def _vocatives(text: str) -> Iterator[re.Match]:
    """The matches of VOCATIVE_RE.finditer(text), in order: each match of VOCATIVE_REST_RE with the
    opening before it, then the search goes on from its end, as finditer does (a later name needs
    a later opening: every opening ends right before its name); where the opening is missing, from
    the next character."""
    pos = 0
    while (m := VOCATIVE_REST_RE.search(text, pos)) is not None:
        if _vocative_opens(text, m.start()):
            yield m
            pos = m.end()
        else:
            pos = m.start() + 1


def _addresses(text: str) -> Iterator[re.Match]:
    """The matches of ADDRESS_RE.finditer(text) (their group 1 the same): a greeting opening the text,
    then the matches after an opening from where that one ends."""
    pos = 0
    if (m := GREETING_RE.match(text)) is not None:
        yield m
        pos = m.end()
    yield from ADDRESS_AFTER_OPENING_RE.finditer(text, pos)


# a word after one of these is the object of a phrase inside the subject: in "the post on Litestream
# explains" or "the paper by Okafor argues" the post or the paper speaks, not the named word
PHRASE_OPENERS = frozenset("on of about in for from by with at into than like".split())


def _inside_phrase(text: str, start: int) -> bool:
    """Whether the word before `start` (on the same line) is a preposition."""
    j = _space_before(text, start)
    k = j
    while k and text[k - 1].isalpha():
        k -= 1
    return j < start and text[k:j].lower() in PHRASE_OPENERS


def _personal(word: str, ctx: Context) -> bool:
    """A cued word can be a person: a known first name, or a word rare in English that no list
    of organizations, acronyms or terms claims."""
    lex = ctx.lexicons
    if word in NOT_SURNAME or word in lex.organizations or word in lex.acronyms or word.lower() in lex.concepts:
        return False
    return word in lex.first_names or zipf(word.lower()) < 3.5


def cued_people(c: Comment, ctx: Context, spans: list) -> Iterator[Mention]:
    """Persons named by one word that a cue around it marks as a person."""
    for pattern, why in CUES:
        if pattern is COAUTHOR_RE and not any(w in c.text for w in ("colleag", "author", "collabor", "worker")):
            continue  # most comments cite no one with coauthors: skip the scan
        matches = _vocatives(c.text) if pattern is VOCATIVE_RE else _addresses(c.text) if pattern is ADDRESS_RE \
            else pattern.finditer(c.text)
        for m in matches:
            s, e = m.span(1)
            if covered(spans, s, e) or not _personal(m.group(1), ctx):
                continue
            if pattern is VOCATIVE_RE and m.group(1) not in ctx.lexicons.first_names:
                continue
            if pattern is SPEECH_RE and _inside_phrase(c.text, s):
                continue
            spans.append((s, e))
            yield Mention.found(comment_id=c.id, kind="person", surface=m.group(1), start=s, end=e,
                                extractor="people", score=0.8, key=m.group(1),
                                attrs={"form": "cued", "cue": why})


def speech_cue_spans(text: str, ctx: Context) -> Iterator[tuple[int, int]]:
    """Where a verb of saying marks the word before it as a person ("Ioannidis showed"), for the
    corpus survey: the checks of `cued_people` on that cue."""
    for m in SPEECH_RE.finditer(text):
        s, e = m.span(1)
        if _personal(m.group(1), ctx) and not _inside_phrase(text, s):
            yield s, e


def _no_common_word(word: str) -> bool:
    """A word English writes only as a name: rare, and no entry of the tagger's lexicon."""
    lower = word.lower()
    return zipf(lower) < 3.5 and pos_lexicon().get(lower) is None


SURNAME = r"[A-Z][a-z]+(?:[A-Z][a-z]+)?"
# The cues open with SURNAME or "by" after \b, written with not_after: the engine scans them fastest
LED_SURNAME = not_after(r"\w", "[A-Z]") + r"[a-z]+(?:[A-Z][a-z]+)?"
LED_BY = not_after(r"\w", "b") + "y"
# Cues that a capitalised word alone is a surname: "Elhage et al.", "by Ongaro and Ousterhout",
# "Miguel and Kremer started", "Kleppmann's book".
# Each cue with what every match of it holds (all of the first strings, one of the second),
# so that a text lacking them is not scanned; and where the cue opens with a surname, the rest of
# the cue as a pattern of its own (less a leading run of spaces): every match of the cue holds a
# match of it, and a search for it opens on a literal or a class the engine skips to in C, where
# the cue opens on any capital. A text where it finds nothing is not scanned with the cue either.


CUE_RESTS: dict[re.Pattern, re.Pattern] = {}  # a cue -> the rest of it after the surname


def _led_by_surname(rest: str, every: tuple[str, ...], some: tuple[str, ...]):
    cue = re.compile(rf"({LED_SURNAME}){rest}")
    CUE_RESTS[cue] = re.compile(rest.removeprefix(r"\s+"))
    return cue, every, some


SURNAME_CUES = [
    _led_by_surname(r"\s+et\s+al\b", ("et", "al"), ("",)),
    (re.compile(rf"{LED_BY}\s+({SURNAME})(?:\s*(?:,|and|&)\s*({SURNAME}))?\b"), ("by",), ("",)),
    _led_by_surname(rf"\s+(?:and|&)\s+({SURNAME})\s+(?:started|showed|found|argued?|wrote|proposed|"
                    rf"show|find|write|ran|did|have|had|say|said|claim(?:ed)?)\b", (), ("and", "&")),
    _led_by_surname(r"[’']s?\s+(?:[\w-]+\s)?(?:book|paper|post|essay|blog|lecture|talk|course|thesis|"
                    r"newsletter|argument|work|model|team|lab|group|video|podcast|interview|channel|biography|"
                    r"memoir|novel|textbook|review|study|notes|"
                    # a method or idea named after its author: "Shewchuk's algorithm", "Okoro's framing"
                    r"algorithm|method|theorem|lemma|conjecture|framing|estimate|critique|proof|equation|"
                    r"example|taxonomy|result)\b", (), ("’", "'")),
    # a possessive before a Title Case title of three words or more ("Goldberg's What Every Reader Should
    # Know", "Soltis's Pawn Structure Chess") or a quoted one, of one writer or two ("Plotkin and Pretnar's
    # “Handlers of Algebraic Effects”")
    _led_by_surname(r"[’']s\s+[A-Z][\w-]*(?:\s[A-Z][\w-]*){2}", (), ("’", "'")),
    _led_by_surname(r"[’']s\s+[“\"]", (), ("“", '"')),
    _led_by_surname(rf"\s+(?:and|&)\s+({SURNAME})[’']s\s+[“\"]", (), ("“", '"')),
]


SURNAME_MAX_ZIPF = 4.0  # common surnames ("Goldberg" 3.5, "Miller" 4.0) are frequent words; big places more so


def _rare_capitalised(word: str, ctx: Context) -> bool:
    """A word that can stand for a person alone where a cue says it is a surname: rare in English, or
    a proper name (no common word of the tagger's lexicon) of middling frequency, as surnames are;
    not a known organization or term."""
    lex = ctx.lexicons
    lower = word.lower()
    frequency = zipf(lower)
    rare = frequency < 3.5 or (frequency < SURNAME_MAX_ZIPF and pos_lexicon().get(lower) is None)
    return rare and word not in lex.organizations and word not in lex.acronyms and lower not in lex.concepts


APOSTROPHE_RE = re.compile("[’']")
# the rests that open on an apostrophe (a possessive): they can only match where one stands
OPEN_ON_APOSTROPHE = {rest for rest in CUE_RESTS.values() if re.match(r"\[’\\?'\]", rest.pattern)}


def _surname_cue_spans(text: str, ctx: Context) -> Iterator[tuple[int, int]]:
    """Where a surname cue marks a rare capitalised word as a person's surname."""
    apostrophes = None  # where the rests that open on an apostrophe can match: found once, if asked
    for pattern, every, some in SURNAME_CUES:
        if not (all(w in text for w in every) and any(w in text for w in some)):
            continue
        rest = CUE_RESTS.get(pattern)
        if rest in OPEN_ON_APOSTROPHE:
            if apostrophes is None:
                apostrophes = [m.start() for m in APOSTROPHE_RE.finditer(text)]
            if not any(rest.match(text, i) for i in apostrophes):
                continue  # a match only at an apostrophe: a few anchored tries, not a scan of the text
        elif rest is not None and rest.search(text) is None:
            continue
        for m in pattern.finditer(text):
            for g in range(1, (m.lastindex or 0) + 1):
                s, e = m.span(g)
                if s >= 0 and _rare_capitalised(m.group(g), ctx):
                    yield s, e


ORGANIZATION_NOUNS_RE = re.compile(r"[’']s?\s+(?:[\w-]+\s)?(?:model|team|lab|group|channel)\b")


def made_by_an_organization(text: str, end: int) -> bool:
    """'Stockfish's model', 'Mistral's team': a possessive a company writes as often as a person."""
    return ORGANIZATION_NOUNS_RE.match(text, end) is not None
