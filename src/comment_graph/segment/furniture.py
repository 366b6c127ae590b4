"""Page furniture: what a scraped page carries around its comments.

Profile headers (name, karma line, bio, navigation words), post-title lines
("Re: …"), bylines ("tptacek 3 hours ago | parent | next", "Started by X ·
date", a handle over a rank line), breadcrumbs, karma and date lines, "Reply",
"Load More". Each line of a block is classified; a block made only of such
lines is furniture, and what it says (a title, an author) is kept for the
comment that follows.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from itertools import islice
from dataclasses import dataclass

from ..text import data_lines
from .engines import Layout
from .cards import INITIAL_RE, PERSON_NAME_RE, SYMBOLS_AFTER_RE, bare_name, names_handle, under_byline
from .paragraphs import Paragraph

FURNITURE_RE = re.compile(
    r"^(load more|load more comments|show more|see more|read more|more|reply|replies|share|report|edit|"
    r"delete|permalink|parent|context|link|collapse|expand|\[[-+–]\]|continue this thread|go up|top|"
    r"view more comments?|show \d+ more( replies| comments)?|\d+ (more )?(comments?|replies)|quote|"
    r"wiki contributions|comments|posts|sequences|tags|about|subscribe|follow|message|sorted by \w+)$",
    re.IGNORECASE,
)
MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|" \
         "august|september|october|november|december"
# a date's weekday, as forum software prints it ("Post by kestrel » Tue Mar 12, 2024 9:15 pm")
WEEKDAYS = "mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
# Tokens that make up karma, points, dates, ranks and navigation.
META_TOKEN_RE = re.compile(
    rf"^([-+−]?[\d,]+(\.\d+)?k?|\d+(st|nd|rd|th)|\d+(s|m|h|d|w|y|mo|min|hr|hrs|yr|yrs)|#\d+|\[\d+\]|"
    rf"\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}:\d{{2}}(:\d{{2}})?|{MONTHS}|{WEEKDAYS}|"
    r"points?|karma|votes?|pts|ω|agreement|ago|seconds?|minutes?|hours?|days?|weeks?|months?|years?|"
    r"am|pm|utc|by|on|at|reply|replies|edited|score|parent|next|prev|root|flag|favorite|hide|past|context|"
    r"posts?:?|joined|member|members|newbie|jr\.?|sr\.?|full|hero|moderator|admin|rank|online|offline|"
    r"comments?|views?|likes?|started|posted|sorted|new|top|best|old|pages?:?|go|up|"
    r"[·•|,›»/\[\]–-]|\[[–+-]\])$",
    re.IGNORECASE,
)
TITLE_PREFIX_RE = re.compile(r"^(re|ask hn|show hn|tell hn|launch hn|topic|thread|subject)\s*:", re.IGNORECASE)
SMALL_WORDS = {"a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "vs", "with", "at", "by", "from", "is"}
TERMINAL = tuple(".!?:;)\"”’…")
POST_TITLE_OVER_META = "post title over a karma or date line"
PROFILE_SINCE_RE = re.compile(r"joined|member since|followers|following", re.IGNORECASE)  # a profile's card, not a post's
PROFILE_STATS_RE = re.compile(r"karma|joined|member since|followers|following|reputation|\bposts\b", re.IGNORECASE)
HANDLE_RE = re.compile(r"^@?[A-Za-z][\w.-]{1,30}$")


LINE_TOKEN_RE = re.compile(r"\[[–+-]\]|[@#\w:.,'’-]+|[·•|›»/]")
WORD_RE = re.compile(r"[^\W\d_][\w’'&.-]*")
MAX_SHORT_LINE = 240  # characters; 16 tokens of metadata or 12 title words fit well inside
MAX_RUN_PER_DELIMITER = 8  # body paragraphs per furniture delimiter, at most, on a page delimited by it
MAX_LINE_TOKENS = 16  # a metadata line or byline is short; prose stops being read after this many tokens


@lru_cache(maxsize=1024)
def _tokens(s: str) -> tuple[str, ...]:
    """The first MAX_LINE_TOKENS + 1 tokens, trailing commas off: enough to tell a line over the
    limit, without reading a whole paragraph of prose (every paragraph of a page is asked). Cached:
    a short line is asked whether it is a byline and then whether it is metadata."""
    found = LINE_TOKEN_RE.finditer(s.replace("\u00a0", " "))
    return tuple(m.group().rstrip(",") for m in islice(found, MAX_LINE_TOKENS + 1))


def words_of(s: str, limit: int | None = None) -> list[str]:
    """The words of `s`; with `limit`, at most that many (for "is it short?" questions)."""
    found = WORD_RE.finditer(s)
    return [m.group() for m in (found if limit is None else islice(found, limit))]


def is_meta_line(s: str) -> bool:
    """Karma, points, dates, ranks, breadcrumbs or navigation words: no sentence in it."""
    s = s.strip()
    if FURNITURE_RE.match(s):
        return True
    toks = _tokens(s)
    if not toks or len(toks) > MAX_LINE_TOKENS or s.endswith((".", "?", "!")):
        return False
    meta = sum(bool(META_TOKEN_RE.match(t)) for t in toks)
    if meta == len(toks):
        return True
    crumbs = re.split(r"\s[›»‹«]\s|\s>\s", s)
    if len(crumbs) >= 2 and all(len(c.split()) <= 5 for c in crumbs):
        return True  # a breadcrumb: Home › Forum › Board
    return any(ch.isdigit() for ch in s) and meta / len(toks) >= 0.6


# a story's or post's byline as blogs and news sites print it, a sentence of its own: "Posted by BeauHD on
# Monday June 23, 2025 @08:00PM from the point-and-shoot dept.", "Written by Jane Doe on 3 March 2024."
POSTED_BY_RE = re.compile(r"(?:Posted|Submitted|Written|Published)\s+by\s+(@?[\w.-]+(?:\s[A-Z][\w.-]+){0,2})"
                          rf"\s+on\s+(?:(?:{WEEKDAYS}|{MONTHS}),?\s+){{0,2}}"  # then a date: "23, 2025", "2024-03-03", "3 March"
                          rf"(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}\s+(?:{MONTHS})\b)",
                          re.IGNORECASE)
PRONOUNS = {"me", "us", "him", "her", "them", "you", "it", "someone", "somebody", "everyone", "nobody"}


def byline(s: str) -> str | None:
    """The author of a line like 'tptacek 3 hours ago | parent', '12 points by Jane Doe 2d',
    'Started by kestrel_grey · February 11, 2024' or 'Posted by Jane Doe on March 3, 2024 …'."""
    posted = POSTED_BY_RE.match(s.strip())  # one sentence alone on its line: a second one makes it prose
    if posted and not re.search(r"\n|[.!?]\s+[A-Z]", s.strip()) and posted.group(1).lower() not in PRONOUNS:
        return posted.group(1).lstrip("@")
    if not any(map(str.isdigit, s)) or s.rstrip().endswith((".", "?", "!")):
        return None  # a byline carries a time, a date or a count
    toks = _tokens(s)
    if not 2 <= len(toks) <= MAX_LINE_TOKENS:
        return None
    other = [i for i, t in enumerate(toks) if not META_TOKEN_RE.match(t)]
    if not other or len(other) > 3 or other != list(range(other[0], other[-1] + 1)):
        return None  # the name must be one run of 1-3 words; everything else metadata
    if other[0] > 0 and toks[other[0] - 1].lower() not in ("by", "posted", "started") and other[0] > 3:
        return None
    name = " ".join(toks[i] for i in other).lstrip("@")
    if len(other) > 1 and not all(toks[i][:1].isupper() for i in other):
        return None
    return name if re.fullmatch(r"[\w.' -]{2,40}", name) and not name.isdigit() else None


def is_title_line(s: str) -> bool:
    """A short line in Title Case without sentence punctuation: a name, post title or nav word."""
    s = s.strip()
    if TITLE_PREFIX_RE.match(s) and len(s.split()) <= 30:
        return True
    words = words_of(s, limit=13)
    # a closing quotation mark ends a title that quotes ('The Choice is "Rabbit", not "Stag"')
    if not words or len(words) > 12 or s.rstrip("\"”’'").endswith(TERMINAL) or not s[0].isupper():
        return False
    big = [w for w in words if w.lower() not in SMALL_WORDS]
    return bool(big) and sum(w[0].isupper() for w in big) / len(big) >= 0.75


def looks_like_name(s: str) -> bool:
    """Two or three capitalised words led by a known given name, or ending in a rare word (a surname)."""
    from ..lexicon import zipf

    words = s.split()
    if not (2 <= len(words) <= 3 and all(w[:1].isupper() and w.replace("-", "").isalpha() for w in words)):
        return False
    if any(w.lower() in SMALL_WORDS for w in words):
        return False
    return words[0] in data_lines("first_names.txt") or zipf(words[-1].lower()) < 3.5


@dataclass
class BlockInfo:
    """What a furniture block says: its kind, a post title or author if it gives one, and why."""

    role: str  # furniture | title | byline
    title: str | None = None
    author: str | None = None
    why: str = ""
    below: bool = False  # the author's card under their post, not a byline over the next one


def classify_block(text: str, at_page_start: bool = False, layout: Layout | None = None) -> BlockInfo | None:
    """None for a block of prose; otherwise what kind of furniture it is."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if lines and lines[0] == "--":
        return BlockInfo("furniture", why="signature under a '--' line")
    found = [_line_kind(ln, layout) for ln in lines]
    kinds = [k for k, _, _ in found]
    _menu_items(lines, kinds)
    _links_under_heading(lines, kinds)
    if len(lines) > 1 and kinds[0] is None and all(k in ("meta", "byline") for k in kinds[1:]):
        # a handle or a title over metadata lines: "kestrel_grey / Newbie · Posts: 12 / Reply #4 on: …"
        if HANDLE_RE.match(lines[0]) or looks_like_name(lines[0]):
            kinds[0] = "handle"
        elif len(lines[0].split()) <= 30 and (at_page_start or not lines[0].endswith(".")):
            kinds[0] = "title"
    below = _author_below(lines, kinds, layout)
    _titles_among_furniture(lines, kinds)
    if any(k is None for k in kinds):
        return None
    title = next((ln for ln, k in zip(lines, kinds) if k == "title"), None)
    author = next((a for (k, a, _) in found if k == "byline"), None)
    author = author or next((ln.lstrip("@") for ln, k in zip(lines, kinds) if k == "handle"), None)
    if title and TITLE_PREFIX_RE.match(title):
        title = TITLE_PREFIX_RE.sub("", title).strip()
    role = "byline" if author else ("title" if title and len(lines) == 1 else "furniture")
    why = "; ".join(dict.fromkeys(w for _, _, w in found if w)) or role
    return BlockInfo(role, title if (title and (len(lines) > 1 or role == "title")) else None, author, why,
                     below and role == "byline")


def _author_below(lines: list[str], kinds: list[str | None], layout: Layout | None) -> bool:
    """The name under the first line of an author's card printed below the post (Stack Exchange)."""
    opener = layout.engine.author_below if layout else None
    found = [i for i in range(1, len(lines)) if opener and kinds[i] in (None, "title") and opener.fullmatch(lines[i - 1])
             and (HANDLE_RE.match(lines[i]) or looks_like_name(lines[i]))]
    for i in found:
        kinds[i] = "handle"
    return bool(found)


MENU_ITEM_WORDS = 3


def _menu_items(lines: list[str], kinds: list[str | None]) -> None:
    """A menu scraped one item a line ("Slashdot / Stories / Topics / … / Follow us:", "Skip to
    content / Quick links"): in a block of three lines or more, all of a few words and none a
    sentence, where half are furniture already, the rest are its items too."""
    if len(lines) < 3 or sum(k is not None for k in kinds) * 2 < len(lines):
        return
    if all(len(ln.split()) <= MENU_ITEM_WORDS and not ln.endswith((".", "?", "!")) for ln in lines):
        for i, k in enumerate(kinds):
            kinds[i] = k or "meta"


def _links_under_heading(lines: list[str], kinds: list[str | None]) -> None:
    """A furniture heading over a list of one-line titles ("Hot Network Questions", "Related",
    "Linked" over the questions they link to): the titles are links, not a comment."""
    if len(lines) < 3 or kinds[0] is None or any(k is not None for k in kinds[1:]):
        return
    if all(len(words_of(ln, limit=16)) <= 15 and not ln.endswith(".") and not SENTENCE_BREAK_RE.search(ln)
           for ln in lines[1:]):
        kinds[1:] = ["meta"] * (len(lines) - 1)


def _titles_among_furniture(lines: list[str], kinds: list[str | None]) -> None:
    """In a block that is mostly bylines and metadata (a comment's header in a modern UI: karma,
    age, the post's title, the author), the other short lines without a sentence end are titles."""
    known = sum(k is not None for k in kinds)
    if len(lines) < 3 or known * 2 < len(lines) or "byline" not in kinds and "meta" not in kinds:
        return
    for i, (ln, k) in enumerate(zip(lines, kinds)):
        if k is None and len(words_of(ln, limit=16)) <= 15 and not ln.endswith((".", "?", "!")):
            kinds[i] = "title"


def _line_kind(line: str, layout: Layout | None = None) -> tuple[str | None, str | None, str]:
    """(kind, author, why) of one line: byline, meta, title or None (prose)."""
    if len(line) > MAX_SHORT_LINE and not TITLE_PREFIX_RE.match(line):
        return None, None, ""  # prose: a byline, metadata or title line is never this long (and most lines are prose)
    known = layout.line_kind(line) if layout else None
    if known:
        kind, author, why = known
        return ("byline" if kind == "byline" else "meta"), author, why
    name = byline(line)
    if name:
        return "byline", name, "byline: a handle and metadata"
    if is_meta_line(line):
        return "meta", None, "karma, date or navigation line"
    if is_title_line(line):
        return "title", None, "short Title Case line"
    return None, None, ""


# ---- page furniture among paragraphs -------------------------------------------


def classify_furniture(paras: list[Paragraph], layout: Layout | None = None) -> None:
    """Mark furniture paragraphs in place (with why); `profile.profile_owner` then reads the header."""
    seen_body = False
    repeated = _repeated_interface_lines(paras)
    for p in paras:
        info = classify_block(p.text, at_page_start=not seen_body, layout=layout)
        if p.text.strip() in repeated and not (info and info.role == "byline"):
            # a byline stays one however often its author writes ("@ines@scholar.social" over each post)
            p.role, p.why = "furniture", REPEATED_LINE
            continue
        if info is None:
            seen_body = True
            continue
        p.role, p.title, p.byline, p.why = info.role, info.title, info.author, info.why
        p.byline_below = info.below
    _name_over_byline(paras)
    _page_title_before_meta(paras)
    _lone_titles_are_text(paras)


INTERFACE_LINE_WORDS = 6
REPEATED_LINE = "a short line the page repeats word for word (its interface)"


def _repeated_interface_lines(paras: list[Paragraph]) -> set[str]:
    """One-line paragraphs of a few words, no sentence, that the page prints twice or more ("Add a
    comment", "share improve this answer follow"): the engine's buttons, not anyone's comment."""
    counts = Counter(p.text.strip() for p in paras if "\n" not in p.text.strip())
    return {t for t, n in counts.items() if n >= 2 and len(t.split()) <= INTERFACE_LINE_WORDS
            and (t.endswith("...") or not t.endswith((".", "?", "!"))) and not t.startswith(">")}


def _name_over_byline(paras: list[Paragraph]) -> None:
    """Fediverse and forum cards put a display name on its own line right above the byline (a handle,
    a date): a short line without a sentence end there is part of the byline, not a comment."""
    for i, (a, b) in enumerate(zip(paras, paras[1:])):
        name = a.text.strip()
        # an author who writes twice prints the same name line twice: repeated, yet no button
        shown = SYMBOLS_AFTER_RE.sub("", name)  # 'Kasia 🔬': the name, not the emoji after it
        # a name over a handle's byline is the handle's owner; over a date, it must read as a name
        repeated_name = a.why == REPEATED_LINE and (bool(PERSON_NAME_RE.fullmatch(shown)) and (
            names_handle(shown, b.byline or "") if b.role == "byline" else looks_like_name(INITIAL_RE.sub("", bare_name(shown))))
            or b.role == "furniture" and shown.startswith("@") and bool(HANDLE_RE.match(shown)))  # '@kev' over '2 years ago'
        if b.role not in ("byline", "furniture") or (a.role not in ("body", "title") and not repeated_name) \
                or "\n" in name or len(words_of(name, limit=6)) > 5 \
                or (name.endswith((".", "?", "!", ":", ",")) and not PERSON_NAME_RE.fullmatch(name)):
            continue
        # a bare handle or name over date/karma lines ("18h", "•", "Mar 3") is a byline split over
        # several lines (Discourse, GreaterWrong, new Reddit, Substack, modern ForumMagnum)
        dated = b.role == "furniture" and _dated_furniture(paras[i + 1:i + 4]) and (
            name_shaped(name) or bool(PERSON_NAME_RE.fullmatch(name)))
        if b.role == "byline" or dated:
            a.role, a.why = "byline" if dated else "furniture", "display name above a byline"
            a.byline = bare_name(name.lstrip("@")) if dated else None
            if b.role == "byline" and b.byline and names_handle(shown, b.byline):
                b.display_name = bare_name(shown)  # the handle's owner: the comment's author by name


def _dated_furniture(following: list[Paragraph]) -> bool:
    """Whether the furniture lines right below carry a date, an age or a count."""
    for p in following:
        if p.role == "body" or PROFILE_STATS_RE.search(p.text):
            return False  # karma, join date, followers: a profile's header, not a comment's byline
        if any(ch.isdigit() for ch in p.text):
            return True
    return False


def name_shaped(s: str) -> bool:
    """A handle ('kestrel_grey', '@jun') or a name of up to four capitalised words."""
    words = s.split()
    return bool(HANDLE_RE.match(s)) or looks_like_name(s) or (
        1 <= len(words) <= 4 and all(w[:1].isupper() and w.replace("-", "").replace(".", "").isalpha() for w in words))


def _lone_titles_are_text(paras: list[Paragraph]) -> None:
    """Mid-page, a one-line Title Case paragraph between comments is a short comment ("Great Answer
    From Geoffrey Hinton"), unless furniture stands next to it or it says it is a title ("Re: …")."""
    lone = [i for i, p in enumerate(paras) if p.role == "title" and "\n" not in p.text.strip()
            and not TITLE_PREFIX_RE.match(p.text.strip()) and 0 < i < len(paras) - 1
            and paras[i - 1].role == "body" and paras[i + 1].role == "body"]
    if len(lone) >= 2:
        # profile pages that print the title of the post above each comment: titles recur, and
        # each one opens a comment (a lone short comment in Title Case does not recur like that)
        for i in lone:
            paras[i].why = "post title above a comment (titles recur between the comments)"
        return
    for i in lone:
        paras[i].role, paras[i].title = "body", None


def _page_title_before_meta(paras: list[Paragraph]) -> None:
    """A short line opening the page right above a metadata line is the page's title. Further down,
    a short line between furniture (a "Reply", a karma line) and a karma or date line is the title
    of the post the next comment answers, in whatever case it is written: profile pages that print
    it over each comment (EA Forum, LessWrong) keep a post's own casing, often a sentence's
    ("Is deworming still a good bet?")."""
    if len(paras) > 1 and _title_shaped(paras[0]) and paras[1].role != "body":
        paras[0].role, paras[0].title = "title", paras[0].text.strip()
    over_meta = [(before, p) for before, p, after in zip(paras, paras[1:], paras[2:])
                 if _title_shaped(p) and after.role == "furniture" and "\n" not in after.text.strip()
                 and any(ch.isdigit() for ch in after.text)
                 and not PROFILE_STATS_RE.search(before.text) and not PROFILE_SINCE_RE.search(after.text)]
    # right after a comment's text (no "Reply" between) a short line over a karma line may be the
    # comment's last line: a title only where the page does so again, at least twice
    after_text = sum(before.role == "body" for before, _ in over_meta)
    below_bylines = under_byline(paras)
    for before, p in over_meta:
        if id(p) in below_bylines:
            continue  # a line right under a byline (and its age) is the text; a post's title sits above one
        if before.role in ("furniture", "title", "author") or (before.role == "body" and after_text >= 2):
            p.role, p.title, p.why = "title", p.text.strip(), POST_TITLE_OVER_META
    first = next((i for i, p in enumerate(paras) if p.role == "body"), len(paras))
    if 0 < first < len(paras) - 1 and _title_shaped(paras[first]) and paras[first + 1].role == "furniture" \
            and any(ch.isdigit() for ch in paras[first + 1].text) and id(paras[first]) not in below_bylines:
        # under the site's navigation, the page's title over its dates and counts ("Asked 4 years ago
        # / Viewed 11k times"): a question's or story's title, not a comment
        paras[first].role, paras[first].title = "title", paras[first].text.strip()


def _title_shaped(p: Paragraph) -> bool:
    """One line, one sentence at most (a short comment often has two), and no full stop at its end."""
    return p.role == "body" and len(p.text.split()) <= 25 and "\n" not in p.text.strip() \
        and not p.text.rstrip().endswith(".") and SENTENCE_BREAK_RE.search(p.text.strip()) is None


SENTENCE_BREAK_RE = re.compile(r"[.!?][\"”’)]?\s+[A-Z\"“‘(]")


def is_delimited(paras: list[Paragraph]) -> bool:
    """Whether furniture (bylines, titles, karma lines) stands between the comments of this page, or
    a byline stands above its only comment (a one-comment page of an engine that prints bylines)."""
    between = sum(1 for a, b in zip(paras, paras[1:]) if a.role == "body" and b.role in ("byline", "title", "furniture")
                  and b is not paras[-1])
    first_body = next((i for i, p in enumerate(paras) if p.role == "body"), len(paras))
    if between == 0:
        # a profile header's own lines (its owner's name, bio, karma) come before any comment's byline:
        # a karma line above the bio is the owner's, and delimits nothing
        header_end = max((i for i, p in enumerate(paras[:first_body]) if p.role in ("author", "bio")), default=-1)
        return any(p.role == "byline" for p in paras[header_end + 1:first_body])
    # a couple of stray furniture lines in a long page of unmarked comments do not delimit them:
    # an engine that prints a header per comment prints one every few paragraphs
    body = sum(p.role == "body" for p in paras)
    return between >= 2 and between * MAX_RUN_PER_DELIMITER >= body
