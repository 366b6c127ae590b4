"""Shared pieces for finding proper names: capitalised token runs, possessives, sentence starts."""

from __future__ import annotations

import re

from ..text import not_after

POSSESSIVE_RE = re.compile(r"[’']s?$")
# the letters after a name's capital, with the accented ones of Latin-1 and Latin Extended-A: "López",
# "Radić", "Gödel", "Erdős" (Extended-A interleaves its capitals: inside a name they do no harm)
LOWER = "a-zß-öø-ÿ\u0100-\u017f"
NAME_WORD_REST = rf"[{LOWER}]+(?:[A-Z][{LOWER}]+)*(?:-[A-Z][{LOWER}]+)?"  # after the capital
NAME_WORD = "[A-Z]" + NAME_WORD_REST
SURNAME_WORD = rf"(?:(?:de|van|von|der|da|di|del|le|la|bin|al)\s)?[A-Z][A-Z{LOWER}]+(?:[’'-][A-Z][A-Z{LOWER}]+)?"
# First name then one or two surname words; a trailing possessive is left out of the span. The first
# name is a NAME_WORD not after a word character or "@", written with not_after: the engine scans fastest.
LED_NAME_WORD = not_after(r"[\w@]", "[A-Z]") + NAME_WORD_REST
FULL_NAME_RE = re.compile(rf"({LED_NAME_WORD})\s+(?:[A-Z]\.\s+)?({SURNAME_WORD})(?:\s+({NAME_WORD}))?(?![\w])")  # "John F. Kennedy"
INITIAL_BEFORE_RE = re.compile(r"(?<![\w.])[A-Z]\.\s$")  # "J. Kenji López-Alt", "F. Scott Fitzgerald"
# a given name written as two initials: "KC Sivaramakrishnan", "JK Rowling" (a rare surname after them)
INITIALS_NAME_RE = re.compile("(" + not_after(r"[\w@.-]", "[A-Z]") + rf"[A-Z])\s+([A-Z][{LOWER}]{{3,}})(?![\w’'-]|\s+[A-Z])")
# "@kestrel_grey", not the domain of "evan@gmail.com": an "@" after a word character is an email's
HANDLE_RE = re.compile(r"(?<![\w.+-])@([A-Za-z][\w.-]*(?:\s[A-Z][\w-]*){0,2})")
CAP_TOKEN_RE = re.compile(rf"(?<![\w’'])([A-Z][{LOWER}]+(?:[A-Z][{LOWER}]+)*)(?:[’']s)?(?![\w])")

# Words that follow a capitalised word and make it an organization or a thing, not a person.
ORG_SUFFIXES = {
    "Bank", "Banks", "Lab", "Labs", "Institute", "University", "Foundation", "Inc", "Corp", "Corporation",
    "Company", "Group", "Fund", "Capital", "Partners", "Association", "Society", "Council", "Agency",
    "Commission", "College", "Hospital", "Centre", "Center", "Trust", "Network", "Research", "Bio",
    "Technologies", "Systems", "Ltd", "LLC", "Forum", "Project", "Initiative", "Academy", "School",
    "Department", "Ministry", "Office", "Board", "Committee", "Prize", "Award", "Street", "Road", "City",
    "County", "River", "Lake", "Mountain", "Park", "Hall", "House", "Press", "Times", "Post", "Journal",
    "Observatory", "Telescope", "Museum", "Library", "Laboratory", "Laboratories", "Institution", "Archive",
    "Parliament", "Senate", "Congress", "Court", "Party", "Union", "Assembly", "League", "Alliance", "Coalition",
    "Federation",
}
NOT_SURNAME = {
    "I", "The", "A", "An", "And", "Or", "But", "So", "If", "In", "On", "At", "To", "Of", "For", "As", "By",
    "Is", "It", "We", "He", "She", "They", "You", "My", "His", "Her", "Our", "Their", "This", "That",
    "Also", "Then", "Here", "There", "When", "What", "Why", "How", "Who", "Yes", "No", "Not", "Re",
}


# a month, in full or abbreviated, then a day: "Jan 4, 2021", "edited May 3" is a date, not a person
MONTH_WORDS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
               "January", "February", "March", "April", "June", "July", "August", "September", "October",
               "November", "December"}
DAY_AFTER_RE = re.compile(r"\.?\s+\d{1,2}(?:st|nd|rd|th)?\b")


def is_date_month(text: str, start: int, end: int) -> bool:
    """Whether the word at start..end is a month followed by a day number ("Jan 4, 2021")."""
    return text[start:end] in MONTH_WORDS and DAY_AFTER_RE.match(text, end) is not None


def sentence_initial(text: str, start: int) -> bool:
    """True when the word at `start` opens a sentence, line, quotation or bracket."""
    i = start - 1
    while i >= 0 and text[i] in " \t\u00a0":
        i -= 1
    return i < 0 or text[i] in ".!?\n“\"‘([:•—–-"


def strip_possessive(surface: str) -> str:
    return POSSESSIVE_RE.sub("", surface) if re.search(r"[’']s?$", surface) and len(surface) > 3 else surface


def covered(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


class Taken:
    """The characters of a text that found mentions already claim. Whether a span touches any
    of them is one lookup in a byte mask, not a scan of every claimed span (`covered`)."""

    __slots__ = ("mask",)

    def __init__(self, size: int) -> None:
        self.mask = bytearray(size)

    def append(self, span: tuple[int, int]) -> None:
        """Claim a span of the text (inside it: the mask has the text's length)."""
        s, e = span
        self.mask[s:e] = b"\x01" * (e - s)

    def covers(self, start: int, end: int) -> bool:
        """Whether a claimed character lies in start..end (a non-empty span of the text)."""
        return self.mask.find(1, start, end) >= 0

    def copy(self) -> "Taken":
        taken = Taken(0)
        taken.mask = self.mask.copy()
        return taken


# A name made of a word and an epithet, as ancient and royal names are: "Pliny the Elder", "Cato the
# Younger", "Alexander the Great" (the capital opening the name written with not_after: scanned in C)
EPITHETS = ("the Elder", "the Younger", "the Great")
EPITHET_NAME_RE = re.compile("(" + not_after(r"[\w’'-]", "[A-Z]") + rf"[{LOWER}]+) (?:{'|'.join(EPITHETS)})\b")
