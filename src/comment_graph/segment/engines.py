"""Forum engines' furniture and bylines, read from the data table `data/engines.toml`.

Which engine printed a page is decided from the page itself: the engine whose `detect` patterns
match most of its short lines. Its furniture and byline patterns then apply together with the
generic ones; a page no engine claims gets the generic ones only (and the feature-based tests of
`furniture.py`). Patterns are matched against whole stripped lines, so prose is never asked.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import islice

from ..text import stopwords
from .paragraphs import Paragraph

MAX_LINE = 200       # longer lines are prose: no engine prints furniture that long
DETECT_LINES = 4000  # engine detection reads at most this many short lines (the top of a big page)


@dataclass(frozen=True)
class Engine:
    name: str
    serves: str
    detect: re.Pattern | None
    furniture: re.Pattern | None
    bylines: tuple[re.Pattern, ...]
    section: re.Pattern | None
    glued: bool
    author_below: re.Pattern | None = None  # the line under which a post's author card names its author
    tags_above: re.Pattern | None = None  # the line over which a question prints its tags


def _any(patterns: list[str]) -> re.Pattern | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE) if patterns else None


@lru_cache(maxsize=1)
def engines() -> tuple[Engine, ...]:
    raw = tomllib.loads(resources.files("comment_graph.data").joinpath("engines.toml").read_text(encoding="utf-8"))
    return tuple(Engine(e["name"], e["serves"], _any(e["detect"]), _any(e["furniture"]),
                        tuple(re.compile(p, re.IGNORECASE) for p in e["byline"]), _any(e["section"]),
                        bool(e.get("glued", False)), _any(e.get("author_below", [])), _any(e.get("tags_above", [])))
                 for e in raw["engine"])


def detect_engine(lines: list[str]) -> tuple[str, int]:
    """The engine most of the page's short lines point to, and how many lines did ('generic', 0 if none)."""
    short = islice((ln.strip() for ln in lines if len(ln) <= MAX_LINE and ln.strip()), DETECT_LINES)
    votes = dict.fromkeys((e.name for e in engines() if e.detect), 0)
    by_name = {e.name: e for e in engines()}
    for ln in short:
        for name in votes:
            if by_name[name].detect.fullmatch(ln):
                votes[name] += 1
    best = max(votes, key=lambda n: votes[n])  # ties go to the table's order (max keeps the first)
    return (best, votes[best]) if votes[best] else ("generic", 0)


@dataclass(frozen=True)
class Layout:
    """The patterns in force on one page: its engine's and the generic ones."""

    engine: Engine
    generic: Engine

    @property
    def name(self) -> str:
        return self.engine.name

    def line_kind(self, line: str) -> tuple[str, str | None, str] | None:
        """('byline', author, why) or ('furniture', None, why) for a line this layout prints, else None."""
        s = line.strip()
        if not s or len(s) > MAX_LINE:
            return None
        for e in dict.fromkeys((self.engine, self.generic)):
            for p in e.bylines:
                m = p.fullmatch(s)
                if m and m.group("author"):
                    return "byline", m.group("author").strip(), f"{e.name} byline"
            if e.furniture and e.furniture.fullmatch(s):
                return "furniture", None, f"{e.name} furniture"
        return None

    def is_section(self, line: str) -> bool:
        """A heading after which the page's comments begin ("Comments", "Wiki Contributions")."""
        s = line.strip()
        return any(e.section and e.section.fullmatch(s) for e in (self.engine, self.generic))

    def glued_byline(self, text: str) -> tuple[int, str] | None:
        """(length, author) of a byline this engine glues to the comment's first sentence, if any."""
        if not self.engine.glued:
            return None
        head = text[:MAX_LINE]
        found = [m for m in (p.match(head) for p in self.engine.bylines) if m and m.group("author")
                 # a byline glued to prose still ends in its own furniture: a time, a count, a link word
                 and m.end() < len(text) and re.search(r"\d|HN|ago|repl|[]|]", m.group()[-12:])]
        best = max(found, key=lambda m: m.end(), default=None)  # the whole byline, not a prefix of it
        return (best.end(), best.group("author").strip()) if best else None


def layout_for(text: str) -> tuple[Layout, int]:
    """The layout of a page, detected from its lines, and the number of lines that decided it."""
    name, votes = detect_engine(text.split("\n"))
    by_name = {e.name: e for e in engines()}
    return Layout(by_name[name], by_name["generic"]), votes


TAG_LINE_RE = re.compile(r"[a-z0-9][a-z0-9.+#-]*( [a-z0-9][a-z0-9.+#-]*){0,5}")  # "ancient-rome trade numismatics"


def mark_tag_lines(paras: list[Paragraph], layout: Layout) -> None:
    """A question's tags, lower-case keywords on one line right over the line its engine prints
    under a question (`tags_above`: Stack Exchange's "share improve this question"), are furniture,
    not the question's last paragraph. Only there, and never with a function word: a question that
    ends "any ideas" (a scrape without its tags) keeps it, and a short lower-case reply ("same here")
    elsewhere stays a comment."""
    under = layout.engine.tags_above
    if under is None:
        return
    for a, b in zip(paras, paras[1:]):
        tags = a.text.strip()
        if a.role == "body" and b.role == "furniture" and under.fullmatch(b.text.strip()) \
                and TAG_LINE_RE.fullmatch(tags) and not stopwords().intersection(tags.split()):
            a.role, a.why = "furniture", f"{layout.engine.name} tags (the line over {b.text.strip()!r})"
