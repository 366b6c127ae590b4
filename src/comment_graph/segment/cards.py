"""Comment cards: the display name a card prints over its author's byline, and the lines that
follow a byline (fediverse, Discourse, Substack and other card layouts)."""

from __future__ import annotations

import re
import unicodedata

from .paragraphs import Paragraph

# a person's name as a card prints it: an honorific, capitalised words, a last initial ("Dr. Ines
# Alvarez", "Keith R."); the honorifics are the closed set English forums print before a name
SYMBOLS_AFTER_RE = re.compile(r"(\s*[^\w\s.'’-])+$")
INITIAL_RE = re.compile(r"\s+[A-Z]\.$")
HONORIFIC_RE = re.compile(r"(Dr|Prof|Mr|Mrs|Ms|Mx)\.?\s+")
PERSON_NAME_RE = re.compile(r"(?:(?:Dr|Prof|Mr|Mrs|Ms|Mx)\.?\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2}(?:\s+[A-Z]\.)?")


def bare_name(name: str) -> str:
    """A display name without its honorific: the person, not the title ("Dr. Ines Alvarez": Ines Alvarez)."""
    return HONORIFIC_RE.sub("", name, count=1) if HONORIFIC_RE.match(name) else name


def names_handle(name: str, handle: str) -> bool:
    """Whether a display name is its handle's owner: the handle's user part holds one of the
    name's words ("Tomás Reyes" and treyes@…, "Dr. Maren Holt" and @maren@…, "Kasia" and kasia@…).
    A card's navigation word over a byline ("Top", "Reply") names no handle."""
    user = _folded(handle.lstrip("@").split("@")[0])
    return any(len(w) >= 3 and w in user for w in map(_folded, bare_name(name).split()))


def _folded(s: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", s.lower()) if ch.isalnum())


def under_byline(paras: list[Paragraph]) -> set[int]:
    """ids of the paragraphs that follow a byline with nothing but furniture between (a card's
    handle, then its age, then the text: fediverse, Discourse, Substack)."""
    out, after_byline = set(), False
    for p in paras:
        if after_byline and p.role != "furniture":
            out.add(id(p))
        after_byline = p.role == "byline" or (after_byline and p.role == "furniture")
    return out
