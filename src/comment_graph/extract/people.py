"""People: full names, first names alone, surnames alone, @handles, possessives, hyphen compounds.

Candidates come from the people lexicon, from a first-name list plus
capitalisation, and from names seen in full elsewhere in the corpus; the
resolver later decides which person each refers to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import chain

from ..models import Comment, Mention
from ..text import not_after, singular, stopwords
from ..urls import handle_key
from . import Extractor, register
from .context import Context
from .names import (EPITHET_NAME_RE, EPITHETS, FULL_NAME_RE, HANDLE_RE, INITIAL_BEFORE_RE, INITIALS_NAME_RE, LOWER, NOT_SURNAME,
                    ORG_SUFFIXES, covered, is_date_month, sentence_initial, strip_possessive)
from .person_cues import (_no_common_word, _rare_capitalised, _surname_cue_spans, cued_people, made_by_an_organization,
                          speech_cue_spans)
from .citations import citations
from .work_names import handle_possessives
from ..lexicon import zipf
from .tagging import _word_tag, pos_lexicon

NAME = "people"
PART_RE = re.compile(rf"[A-Z][{LOWER}]+(?:[A-Z][{LOWER}]+)*")
DETERMINER_BEFORE_RE = re.compile(r"\b(?:the|a|an|this|that|these|those|our|their|its)\s+(?:[a-z-]+\s+)?$", re.IGNORECASE)


def _mention(c: Comment, start: int, end: int, form: str, score: float) -> Mention:
    surface = c.text[start:end]
    key = surface.lstrip("@")
    return Mention.found(comment_id=c.id, kind="person", surface=surface, start=start, end=end,
                   extractor=NAME, score=score, key=" ".join(key.split()), attrs={"form": form})


def full_names(text: str, ctx: Context) -> Iterator[tuple[int, int, str]]:
    """(start, end, 'First Last') for every first-name-led capitalised pair in `text`."""
    first = ctx.lexicons.first_names
    pos = 0
    while (m := FULL_NAME_RE.search(text, pos)) is not None:
        pos = m.end()
        given, surname, third = m.group(1), m.group(2), m.group(3)
        if given.split("-")[0] not in first and not _word_given_name(text, m, ctx):
            # "When Brian Nosek": the word before a name is no first name, but the name may start after it
            pos = m.start(2)
            continue
        if surname in NOT_SURNAME or surname.isupper() or is_date_month(text, m.start(2), m.end(2)):
            continue  # "– Ananya K. Mar 4, 2021": a signature's date, not a surname
        if surname in ORG_SUFFIXES or (third and third in ORG_SUFFIXES):
            continue
        if ctx.lexicons.organizations.get(f"{given} {surname}"):
            continue
        if _common_word_then_noun(text, surname, m.end(2)) or _determiner_before(text, m.start()):
            continue  # "the Gemma Scope release": a product named like a person
        end = m.end(2)
        if third and third not in NOT_SURNAME and third[0].isupper() and not sentence_initial(text, m.start(3)) \
                and not is_date_month(text, m.start(3), m.end(3)):  # "– Mira Kovac Mar 3, 2021": a signature's date
            end = m.end(3) if third not in ctx.lexicons.first_names else end
        start = m.start()
        if (initial := INITIAL_BEFORE_RE.search(text, max(0, start - 3), start)) is not None:
            start = initial.start()
        surface = strip_possessive(text[start:end])
        yield start, start + len(surface), surface
    yield from _initials_names(text, ctx)
    yield from _epithet_names(text, ctx)


def _epithet_names(text: str, ctx: Context) -> Iterator[tuple[int, int, str]]:
    """'Pliny the Elder', 'Alexander the Great': a known first name or a rare word before an epithet."""
    for m in EPITHET_NAME_RE.finditer(text) if any(e in text for e in EPITHETS) else ():
        if m.group(1) in ctx.lexicons.first_names or _rare_capitalised(m.group(1), ctx):
            yield m.start(), m.end(), m.group()


def surveyed_names(text: str, ctx: Context) -> Iterator[tuple[int, int, str]]:
    """The corpus survey: full names, and the single words a cue marks as a person's name ("Kramnik's
    interview", "Ioannidis showed", the "Pliny" of "Pliny the Elder"). A page names such a person by
    that word alone elsewhere too, where no cue stands ("Kramnik dug up the Berlin"): the survey makes
    it one of the corpus's surnames, as the surname of a full name is. A cued word that does not spread
    so (a first name, found alone anyway; a word English knows, which may be a product's name) comes
    with the name "": extraction reads every cue's span from the survey instead of scanning again."""
    for s, e, name in full_names(text, ctx):
        yield s, e, name
        if name.endswith(EPITHETS):
            yield s, s + name.index(" "), name[:name.index(" ")]
    for s, e in chain(_surname_cue_spans(text, ctx), speech_cue_spans(text, ctx)):
        word = text[s:e]
        spreads = word not in ctx.lexicons.first_names and _no_common_word(word) and not made_by_an_organization(text, e)
        yield s, e, word if spreads else ""


def _initials_names(text: str, ctx: Context) -> Iterator[tuple[int, int, str]]:
    """'KC Sivaramakrishnan': two capitals, no acronym or organization anyone lists, before a surname
    rare in English and no common word (an acronym before a noun, "US Congress", is not a name)."""
    lex = ctx.lexicons
    for m in INITIALS_NAME_RE.finditer(text) if text != text.lower() else ():
        initials, surname = m.group(1), m.group(2)
        word = surname.lower()
        if initials in lex.acronyms or initials in lex.organizations or zipf(word) >= 3.0 \
                or pos_lexicon().get(word) is not None or word in lex.concepts or surname in lex.organizations:
            continue
        surface = strip_possessive(m.group())
        yield m.start(), m.start() + len(surface), surface


NEXT_WORD_RE = re.compile(r"\s+([a-z][a-z-]+)\b")
QUESTION_OR_END_RE = re.compile(r"[.!?]")
WORD_CLASS_ENDINGS = ("ian", "ist", "ic", "ism")  # "Will Bayesian methods…?": a modifier, not a surname
RARE_NOUN_ZIPF = 3.6  # "Hopper" is a rare noun and may be a surname; "Sweeps" ("sweep") is not


def _word_given_name(text: str, m: re.Match, ctx: Context) -> bool:
    """'Frank Ramsey', 'Grace Hopper': a given name that is also an English word opens a full name
    when the word after it is a surname and nothing else: capitalised, unknown to the general word
    list as an everyday common word, no organization, acronym or term, and not in a question opening on the
    given name ("Will Anthropic…?", "Will Putin…?" ask; they name no Will)."""
    given, surname = m.group(1), m.group(2)
    lex = ctx.lexicons
    if given not in lex.word_first_names or surname.isupper() or " " in surname:
        return False
    word = surname.lower()
    common = pos_lexicon().get(word) is not None and max(zipf(word), zipf(singular(word))) >= RARE_NOUN_ZIPF
    if common or word.endswith(WORD_CLASS_ENDINGS) or word in lex.concepts \
            or surname in lex.organizations or surname in lex.acronyms:
        return False
    if sentence_initial(text, m.start()):
        end = QUESTION_OR_END_RE.search(text, m.end())
        return not (end and end.group() == "?")
    return True


WORDS_AND_SPACES_RE = re.compile(r"[\w\s-]*")


def _determiner_before(text: str, end: int) -> bool:
    """Whether `text[:end]` ends in "the", "a", "our"... and at most one more word.

    A match holds only word characters, spaces and hyphens, so when the last 200 characters
    hold anything else the match, if any, lies inside them: a search from there gives the
    same answer without scanning the whole comment for every name in it."""
    start = max(0, end - 200)
    if start and WORDS_AND_SPACES_RE.fullmatch(text, start, end):
        start = 0
    return DETERMINER_BEFORE_RE.search(text, start, end) is not None


def _common_word_then_noun(text: str, surname: str, end: int) -> bool:
    if zipf(surname.lower()) < 4.3:
        return False
    nxt = NEXT_WORD_RE.match(text, end)
    # "the Gemma Scope release" goes on with a noun; "Henry George worked", "Kent Ford measured" with a verb
    return bool(nxt) and nxt.group(1) not in stopwords() \
        and not _word_tag(nxt.group(1), False).startswith("VB")


def _lexicon(c: Comment, ctx: Context, spans: list) -> Iterator[Mention]:
    for m in ctx.lexicons.find_aliases("person", c.text):
        if is_date_month(c.text, m.start(), m.end()):
            continue
        if " " not in m.group() and sentence_initial(c.text, m.start()) and c.text[m.end():m.end() + 1] not in "’'":
            continue  # a lone capitalised word opening a sentence is too weak on its own
        spans.append((m.start(), m.end()))
        yield _mention(c, m.start(), m.end(), "lexicon", 0.95)


def _handle_surface(surface: str, author_keys: set[str]) -> str:
    """'@kestrel_grey Raft': the handle is as many words as name a comment author (else the
    first word, when it is handle-like), not the capitalised words after it."""
    words = surface[1:].split()
    for k in range(len(words), 0, -1):
        if handle_key(" ".join(words[:k])) in author_keys:
            return "@" + " ".join(words[:k])
    if len(words) > 1 and (not words[0][:1].isupper() or re.search(r"[_\d]", words[0])):
        return "@" + words[0]
    return surface


def _handles(c: Comment, ctx: Context, spans: list) -> Iterator[Mention]:
    # every handle holds an "@": a text without one is not scanned (the pattern opens with a
    # look-behind, tried at every position of the text)
    for m in HANDLE_RE.finditer(c.text) if "@" in c.text else ():
        surface = _handle_surface(strip_possessive(m.group().rstrip(" .,;:)")), ctx.author_keys)
        end = m.start() + len(surface)
        if not covered(spans, m.start() + 1, end):
            spans.append((m.start(), end))
            yield _mention(c, m.start(), end, "handle", 0.95)


SITE_USER_RE = re.compile(r"(?<![\w/.])/?u/([A-Za-z0-9][\w-]{2,19})(?![\w/])")


def _site_users(c: Comment, spans: list) -> Iterator[Mention]:
    """Reddit's way of naming a user, "u/quietkestrel" or "/u/quietkestrel": a handle by the site's
    convention, kept under the name itself so that it meets the comment author of that name."""
    for m in SITE_USER_RE.finditer(c.text) if "u/" in c.text else ():
        if not covered(spans, m.start(), m.end()):
            spans.append((m.start(), m.end()))
            mention = _mention(c, m.start(), m.end(), "handle", 0.95)
            mention.key = m.group(1)
            yield mention


def _single_words(c: Comment, ctx: Context, spans: list) -> Iterator[Mention]:
    """First names alone and surnames of names seen in full elsewhere, also inside hyphen compounds."""
    surnames = ctx.corpus_surnames
    firsts = ctx.lexicons.first_names
    for m in PART_RE.finditer(c.text):
        word, s, e = m.group(), m.start(), m.end()
        if word not in firsts and word not in surnames:
            continue  # most capitalised words: settled before the checks below
        if covered(spans, s, e) or (s and (c.text[s - 1].isalnum() or c.text[s - 1] in "’'")):
            continue
        if is_date_month(c.text, s, e):
            continue  # "Jan 4, 2021": a date's month, not the first name Jan
        if e < len(c.text) and c.text[e].isalnum() or _names_a_body(c.text, e):
            continue  # "the Vera C. Rubin Observatory": the name of a body called after the person
        in_compound = (s and c.text[s - 1] == "-") or (c.text[e:e + 1] == "-" and c.text[e + 1:e + 2].islower())
        before = DETERMINER_BEFORE_RE.search(c.text[max(0, s - 40):s])
        product_like = before and (word not in surnames or _eponym(c.text, e))
        if not product_like:  # "the wider Gemma SAEs" is no person
            possessive = c.text[e:e + 1] in "’'"
            initial = sentence_initial(c.text, s) and not in_compound
            if initial and not possessive and not (word in surnames and _no_common_word(word)):
                continue  # a capital opening a sentence says nothing, unless the word is a name only ("Mun is")
            spans.append((s, e))
            # a word a cue elsewhere on the page marks as a name says so here too, opening a sentence or not
            sure = not initial or word in ctx.cued_names
            yield _mention(c, s, e, "first" if word in firsts else "last", 0.8 if sure else 0.6)


SUFFIX_AFTER_RE = re.compile(r" ([A-Z][a-z]+)\b")


def _names_a_body(text: str, end: int) -> bool:
    """Whether the word ending at `end` opens the last word of an organization's name ("Rubin Observatory")."""
    m = SUFFIX_AFTER_RE.match(text, end)
    return m is not None and m.group(1) in ORG_SUFFIXES


# What a person writes, says or leads: "the Hanson post", "the Miller critique" name the person
PERSONAL_NOUNS = frozenset("""post paper book essay blog lecture talk thesis newsletter argument piece article
interview podcast video critique view camp team lab group comment reply""".split())
NOUN_AFTER_RE = re.compile(r"[ \t]+([a-z]+)\b")


def _eponym(text: str, end: int) -> bool:
    """'the Ramsey equation', 'a Nash equilibrium': a surname between a determiner and a noun names
    the thing called after the person, unless the noun is something the person made or leads."""
    after = NOUN_AFTER_RE.match(text, end)
    return bool(after) and after.group(1) not in PERSONAL_NOUNS and after.group(1) not in stopwords()


def _cued_surnames(c: Comment, cued: Iterable[tuple[int, int]], spans: list) -> Iterator[Mention]:
    for s, e in cued:
        if not covered(spans, s, e):
            spans.append((s, e))
            yield _mention(c, s, e, "last", 0.8)


QUOTE_HEADER_RE = re.compile(r"\s+wrote:")


def _quote_header(text: str, start: int, end: int) -> bool:
    """'knightmare64 wrote: ↑Tue Mar 12': the header forum software puts over a quote, at a line's
    start (after the quote's own "> " marks, where the quote is marked so); it names whose words follow,
    and the writer of the comment did not write it."""
    line_start = text.rfind("\n", 0, start) + 1
    return not text[line_start:start].strip("> \t") and QUOTE_HEADER_RE.match(text, end) is not None


def _author_handles(c: Comment, ctx: Context, spans: list) -> Iterator[Mention]:
    """Forum users named by their handle, or the handle's first part ("marisol" for marisol_fi)."""
    forms, pattern = ctx.author_forms, ctx.author_form_pattern
    for m in pattern.finditer(c.text) if pattern else ():
        author = forms.get(m.group())
        if author and not covered(spans, m.start(), m.end()) and (m.group() != m.group().lower() or "_" in author) \
                and not _quote_header(c.text, m.start(), m.end()):
            spans.append((m.start(), m.end()))
            mention = _mention(c, m.start(), m.end(), "handle", 0.85)
            mention.key = author
            yield mention


def _handles_owning_works(c: Comment, spans: list) -> Iterator[Mention]:
    """A handle in lower case that owns a work ("agadmator's video") is the user who made it."""
    for s, e, _ in handle_possessives(c.text):
        if not covered(spans, s, e):
            spans.append((s, e))
            yield _mention(c, s, e, "handle", 0.8)


def _cited(c: Comment, ctx: Context, spans: list) -> Iterator[Mention]:
    """The authors of a citation ("Bills et al.", "Card and Krueger found"), and the full name of one of
    them written elsewhere in the comment with a first name no list knows ("Arindrajit Dube has")."""
    cited = citations(c.text, ctx)
    surnames = {c.text[s:e] for _, _, names in cited for s, e in names}
    for surname in surnames:
        for m in re.finditer(rf"(?<![\w’'-])([A-Z][a-z]+)\s+{re.escape(surname)}(?![\w’'-])", c.text):
            given = m.group(1)
            if given in NOT_SURNAME or covered(spans, m.start(), m.end()) or given in surnames:
                continue
            if given not in ctx.lexicons.first_names and zipf(given.lower()) >= 3.5:
                continue
            spans.append((m.start(), m.end()))
            yield _mention(c, m.start(), m.end(), "full", 0.85)
    for _, _, names in cited:
        for s, e in names:
            if not covered(spans, s, e):
                spans.append((s, e))
                yield _mention(c, s, e, "last", 0.8)


def find_people(c: Comment, ctx: Context) -> Iterator[Mention]:
    own = handle_key(c.author) if c.author else None
    for m in _people(c, ctx):
        if not (own and handle_key(m.key) == own and _signature_place(c.text, m.start)):
            yield m


# what stands before a name that signs a comment on its line: nothing ("quintus_h" above an answer), or a
# dash after a space ("…an economic estimate. – Tacitean Mar 3, 2021 at 14:02", Stack Exchange's comments)
SIGNATURE_BEFORE_RE = re.compile(r"(?:^|\s)[–—~-]{1,2}\s?@?$|^\s*@?$", re.MULTILINE)


def _signature_place(text: str, start: int) -> bool:
    """Whether a name at `start` stands where a writer signs: opening its line, or after a dash."""
    return SIGNATURE_BEFORE_RE.search(text, text.rfind("\n", 0, start) + 1, start) is not None


def _people(c: Comment, ctx: Context) -> Iterator[Mention]:
    """Every person the comment names, its own author signing it among them (see `find_people`)."""
    spans: list[tuple[int, int]] = []
    yield from _lexicon(c, ctx, spans)
    yield from _handles(c, ctx, spans)
    yield from _site_users(c, spans)
    yield from _author_handles(c, ctx, spans)
    yield from _handles_owning_works(c, spans)
    surveyed = ctx.surveyed_full_names.get(c.id)
    for s, e, name in full_names(c.text, ctx) if surveyed is None else surveyed:
        if " " in name and not covered(spans, s, e):  # (a cued word alone is found with its cue below)
            spans.append((s, e))
            yield _mention(c, s, e, "full", 0.9)
    yield from _shared_surnames(c, ctx, spans)
    yield from _cited(c, ctx, spans)
    # the cues' spans as the survey found them (with those of the speech cue, which cued_people claims first)
    cued = _surname_cue_spans(c.text, ctx) if surveyed is None else [(s, e) for s, e, name in surveyed if " " not in name]
    for m in chain(cued_people(c, ctx, spans), _cued_surnames(c, cued, spans)):
        yield _with_unlisted_given_name(c, m, ctx)
    yield from _single_words(c, ctx, spans)


SHARED_SURNAME_RE = re.compile("(" + not_after(r"[\w’'-]", "[A-Z]") + rf"[{LOWER}]+)\s+(?:and|&)\s+([A-Z][{LOWER}]+)\s+"
                               rf"([A-Z][{LOWER}]+)")


def _shared_surnames(c: Comment, ctx: Context, spans: list) -> Iterator[Mention]:
    """'Jacqueline and Simon Mitton': two given names sharing the surname after the second; the first
    stands for its full name (the second is a full name already)."""
    firsts = ctx.lexicons.first_names
    for m in SHARED_SURNAME_RE.finditer(c.text) if (" and " in c.text or "&" in c.text) else ():
        first, second, surname = m.groups()
        if first in firsts and second in firsts and surname not in firsts and not covered(spans, *m.span(1)):
            spans.append(m.span(1))
            mention = _mention(c, m.start(1), m.end(1), "full", 0.85)
            mention.key = f"{first} {surname}"
            yield mention


GIVEN_BEFORE_RE = re.compile(rf"(?<![\w’'-])([A-Z][{LOWER}]+) $")


def _with_unlisted_given_name(c: Comment, m: Mention, ctx: Context) -> Mention:
    """'Raoul McLaughlin argues': a cue found the surname; the capitalised word right before it is
    its given name when English knows it only as a name (no first-name list holds every name)."""
    before = GIVEN_BEFORE_RE.search(c.text, max(0, m.start - 30), m.start)
    if before is None or " " in m.key:
        return m
    word = before.group(1)
    lex = ctx.lexicons
    if not _no_common_word(word) or word.lower() in stopwords() or word in lex.organizations \
            or word in lex.acronyms or word.lower() in lex.concepts:
        return m
    return _mention(c, before.start(1), m.end, "full", m.score)


register(Extractor(NAME, ("person",), find_people, survey=surveyed_names))
