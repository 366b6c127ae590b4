"""Where a page's header ends and its comments begin.

Profile pages (ForumMagnum, GreaterWrong, Discourse user pages, blogs' author pages) open with a
header of several parts: the owner's name, pronouns, a bio of one or more paragraphs, "Previously:"
and "Selected work:" lines, lists of post or sequence titles, then a section heading ("Comments",
"Wiki Contributions") after which the comments run. The header's prose reads like a comment, so
it is found from the structure around it: the last section heading near the top of the page, the
last "Label:" line under a name line, or the first of the post titles that recur between comments.
"""

from __future__ import annotations

import re

from .engines import Layout
from .paragraphs import Paragraph
from .furniture import HANDLE_RE, MONTHS, PROFILE_STATS_RE, looks_like_name, name_shaped, words_of

TOP = 15              # a header sits within the page's first paragraphs
MAX_BIO_WORDS = 120   # a header paragraph longer than this is a comment, whatever surrounds it
# "Selected work:", "Elsewhere:" (a label closing the header), or "Previously: MIRI, OpenAI" (a short field)
LABEL_RE = re.compile(r"^[A-Z][\w'’ -]{1,30}:$|^[A-Z][\w'’-]{1,20}( [\w'’-]+)?:\s+[^.!?]{1,100}[^.!?]$")
PARENTHETICAL_RE = re.compile(r"\s*\([^)]*\)")


def mark_header(paras: list[Paragraph], layout: Layout | None) -> None:
    """Mark the page's header paragraphs as furniture (role 'bio'), in place."""
    end, why = _after_section(paras, layout)
    if end is None:
        end, why = _after_labels(paras)
    if end is None:
        end, why = _before_recurring_titles(paras)
    if end is None:
        return
    for p in paras[:end]:
        if p.role == "body":
            p.role, p.why = "bio", why


def _words(p: Paragraph) -> int:
    return len(words_of(p.text, limit=MAX_BIO_WORDS + 1))


def _after_section(paras: list[Paragraph], layout: Layout | None) -> tuple[int | None, str]:
    """Up to the last section heading near the top, when what stands above it is header-like."""
    if layout is None:
        return None, ""
    heads = [k for k, p in enumerate(paras[:TOP]) if p.role != "body"
             and layout.is_section(p.text.strip().split("\n")[0])]
    for k in reversed(heads):
        above = paras[:k]
        if _dated_post_above(above):
            # a thread page: what stands above its replies is the opening post; a heading higher up
            # may still close a header ("Post Reply" over a phpBB topic and again under a short one)
            continue
        furniture = sum(p.role != "body" for p in above)
        opens_with_chrome = bool(above) and above[0].role != "body"
        if all(_words(p) <= MAX_BIO_WORDS for p in above) and (k <= 3 or opens_with_chrome or 3 * furniture >= len(above)):
            return k, "profile header above the comments section"
    return None, ""


DATE_RE = re.compile(rf"\b({MONTHS})\b\.? ?\d|\b\d+ ?(s|m|h|d|w|mo|y|min|hrs?|hours?|days?|weeks?|months?|years?)\b( ago)?|"
                     r"\b(19|20)\d\d-\d\d|\btoday\b|\byesterday\b", re.IGNORECASE)


def _dated_post_above(above: list[Paragraph]) -> bool:
    """Whether a byline or a dated furniture line (not a profile's karma or join date) stands among
    a page's first paragraphs above a body paragraph: the opening post of a thread (a Stack Exchange
    question, a Discourse topic's first post, a blog post), which a profile header never carries."""
    for i, p in enumerate(above[1:], start=1):
        dated = p.role == "byline" or (p.role == "furniture" and DATE_RE.search(p.text) and not PROFILE_STATS_RE.search(p.text))
        if dated and any(q.role == "body" for q in above[i + 1:]):
            return True
    return False


def _is_name_line(line: str) -> bool:
    """The owner's name, maybe with pronouns or an address in parentheses: 'Ada Lovelace (she/her)'."""
    bare = PARENTHETICAL_RE.sub("", line).strip()
    return bool(bare) and (looks_like_name(bare) or (bool(HANDLE_RE.match(bare)) and bare != line.strip()))


def _after_labels(paras: list[Paragraph]) -> tuple[int | None, str]:
    """Under a name line, down to the last 'Label:' line of the header's first paragraphs."""
    if not paras or not _is_name_line(paras[0].text.strip().split("\n")[0]):
        return None, ""
    last = None
    for k, p in enumerate(paras[1:8], start=1):
        if _words(p) > MAX_BIO_WORDS:
            break
        if "\n" not in p.text and LABEL_RE.match(p.text.strip()):
            last = k
    return (last + 1, "profile header: name, bio and label lines") if last else (None, "")


def _before_recurring_titles(paras: list[Paragraph]) -> tuple[int | None, str]:
    """On a page whose comments each follow their post's title, a short line above the first
    title is the profile's tagline, not a comment."""
    titles = [k for k, p in enumerate(paras) if p.role == "title" and p.why.startswith("post title")]
    if len(titles) < 2 or not 0 < titles[0] <= 2:
        return None, ""
    if all("\n" not in p.text and _words(p) <= 25 for p in paras[:titles[0]]):
        return titles[0], "tagline above the first post title"
    return None, ""


# a page heading that names whose comments these are: "Comments by Ines Varga", "Ines Varga's comments"
OWNER_HEADING_RE = re.compile(r"(?:(?:comments|posts|answers|replies|activity) (?:by|of|from) (?P<a>.+)"
                              r"|(?P<b>.+?)[’']s? (?:comments|posts|answers|replies|activity))", re.IGNORECASE)


def profile_owner(paras: list[Paragraph]) -> str | None:
    """A profile page opens with its owner's name, maybe a bio, then navigation."""
    heading = OWNER_HEADING_RE.fullmatch(paras[0].text.strip()) if paras else None
    owner = heading and (heading["a"] or heading["b"]).strip()
    if owner and name_shaped(owner):
        paras[0].role, paras[0].title, paras[0].why = "author", None, "heading naming the profile's owner"
        return owner
    if paras and paras[0].role == "body":
        return _owner_card(paras)
    if not paras or paras[0].role == "byline":
        return None
    first_line = paras[0].text.strip().split("\n")[0]
    if not looks_like_name(first_line):
        return _owner_card(paras)
    paras[0].role, paras[0].why = "author", "profile owner's name"
    for k in (1, 2):  # a bio: prose right under the name, closed by more header lines
        if k + 1 < len(paras) and paras[k].role == "body" and paras[k + 1].role != "body":
            paras[k].role, paras[k].why = "bio", "prose under the profile name, closed by header lines"
            break
        if k < len(paras) and paras[k].role == "body":
            break
    return first_line


def _owner_card(paras: list[Paragraph]) -> str | None:
    """Below the site's navigation, a profile card: the owner's name or handle alone on a line, right
    above their karma, reputation or join date (GreaterWrong, Discourse and Reddit user pages)."""
    for k in range(min(4, len(paras) - 1)):
        p, stats = paras[k], paras[k + 1]
        if p.role == "body" and "\n" not in p.text.strip() and name_shaped(p.text.strip()) \
                and len(stats.text.split()) <= 8 and PROFILE_STATS_RE.search(stats.text):
            if all(q.role not in ("body", "byline") for q in paras[:k]):
                p.role, p.why = "author", "profile owner's name, above their profile's statistics"
                if stats.role == "body":
                    stats.role, stats.why = "furniture", "the profile's statistics (karma, join date)"
                return p.text.strip()
        if p.role in ("body", "byline"):
            return None
    return None
