"""Pydantic records that cross stage boundaries.

Every stage takes and returns these, so each stage can be tested alone and a
plugin only has to speak this vocabulary.
"""

from __future__ import annotations

import sys
from dataclasses import field as dataclass_field
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.dataclasses import dataclass as pydantic_dataclass

EntityKind = Literal["person", "organization", "concept", "work"]
ENTITY_KINDS: tuple[EntityKind, ...] = ("person", "organization", "concept", "work")


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class Link(_Record):
    """A hyperlink in a comment: text[start:end] is its anchor text, `url` where it points."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    url: str

    @model_validator(mode="after")
    def _ordered(self) -> "Link":
        if self.end < self.start:
            raise ValueError(f"link span ends before it starts ({self.start}:{self.end})")
        return self


class Span(_Record):
    """A quoted passage given by the input's markup (a <blockquote>, a Markdown `>`): text[start:end]."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)


class InputRecord(_Record):
    """One comment as a structured input gives it (JSONL fields of the eval contract).

    `quotes` and `links` are optional spans into `text`; the HTML, Markdown and forum-export
    readers fill them from markup, and a JSONL writer may give them too."""

    id: str | None = None
    author: str | None = None
    text: str
    post_title: str | None = None
    post_url: str | None = None
    url: str | None = None
    parent_id: str | None = None
    created_at: datetime | None = None
    quotes: list[Span] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)
    extra: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _spans_inside(self) -> "InputRecord":
        for what, spans in (("quotes", self.quotes), ("links", self.links)):
            for sp in spans:
                if sp.end > len(self.text) or sp.start > sp.end:
                    raise ValueError(f"{what} span {sp.start}:{sp.end} is outside the text "
                                     f"({len(self.text)} characters)")
        return self


class Quote(_Record):
    """A passage inside a comment that quotes someone else: text[start:end]."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    score: float = 1.0
    reasons: list[str] = Field(default_factory=list)
    source_id: str | None = Field(default=None, description="id of the comment whose words it repeats, when on the page")


class Comment(_Record):
    """A comment: its own text (quoted passages included) and what is known around it."""

    id: str
    text: str
    index: int = Field(ge=0, description="position in the input, 0-based")
    source: str = ""
    author: str | None = None
    post_title: str | None = None
    post_url: str | None = None
    url: str | None = None
    parent_id: str | None = None
    created_at: datetime | None = None
    quotes: list[Quote] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)
    extra: dict[str, Any] = Field(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        # a comment given every field (as the readers give them) shares one set of their names:
        # a set each was 70 MB at 100,000 comments, copied again by every forked writer reading
        # it. Sharing is safe: pydantic only ever adds field names to it, and this one has them all
        if self.__pydantic_fields_set__ == _ALL_COMMENT_FIELDS:
            object.__setattr__(self, "__pydantic_fields_set__", _ALL_COMMENT_FIELDS)

    def in_quote(self, start: int, end: int) -> bool:
        return any(q.start <= start and end <= q.end for q in self.quotes)


_ALL_COMMENT_FIELDS = set(Comment.model_fields)


class Attrs(dict):
    """A mention's extra facts, frozen: equal ones are one shared object (see `Mention`)."""

    __slots__ = ()

    def _frozen(self, *args, **kwargs):
        raise TypeError("a mention's attrs are shared between mentions; assign a new dict instead")

    __setitem__ = __delitem__ = update = pop = popitem = setdefault = clear = __ior__ = _frozen  # type: ignore

    def __reduce__(self):
        return (_shared_attrs, (dict(self),))


_ATTRS: dict[tuple, Attrs] = {}
_ATTRS_LIMIT = 1 << 16  # distinct ones kept for sharing; titles and URLs may make many


def _shared_attrs(attrs: dict[str, str]) -> Attrs:
    """One object per distinct attrs: millions of mentions hold a handful of different ones
    ({"source": "noun phrase"}), and a dict each was a third of a mention's memory."""
    key = tuple(sorted(attrs.items()))
    shared = _ATTRS.get(key)
    if shared is None:
        shared = Attrs(attrs)
        if len(_ATTRS) < _ATTRS_LIMIT:
            _ATTRS[key] = shared
    return shared


_INTS: dict[int, int] = {}  # offsets into comments: a few thousand distinct values
_FLOATS: dict[float, float] = {}  # scores and weights, rounded: a few thousand distinct values


def _shared_float(x: float) -> float:
    """One object per distinct score or weight (equal floats are interchangeable, except 0.0 and
    -0.0, which are left as they are)."""
    return _FLOATS.setdefault(x, x) if x and type(x) is float and len(_FLOATS) < _ATTRS_LIMIT else x


@pydantic_dataclass(slots=True, config=ConfigDict(extra="forbid"))
class Mention:
    """One occurrence of an entity in a comment: the evidence for a link.

    A validated dataclass with slots rather than a BaseModel: a large build holds millions
    of these, and slots make each a quarter of the size."""

    comment_id: str
    kind: EntityKind
    surface: str
    start: int = dataclass_field(kw_only=True)
    end: int = dataclass_field(kw_only=True)
    extractor: str = dataclass_field(kw_only=True)
    score: float = Field(default=1.0, ge=0.0, le=1.0)
    key: str = Field(default="", description="the extractor's normalised name for what it found")
    in_quote: bool = False
    entity_id: str | None = None
    attrs: dict[str, str] = dataclass_field(default_factory=dict)
    # a lone everyday-ish word the extractor could not tell from a passing one: resolution keeps it
    # as a term only where at least two comments of the corpus use it
    corpus_checked: bool = False

    def __post_init__(self) -> None:
        if self.start < 0 or self.end <= self.start:
            raise ValueError(f"empty or negative span {self.start}:{self.end}")
        self.attrs = _shared_attrs(self.attrs)

    def as_row(self) -> tuple:
        """Every field, in declaration order: how mentions travel between processes."""
        return (self.comment_id, self.kind, self.surface, self.start, self.end, self.extractor, self.score,
                self.key, self.in_quote, self.entity_id, self.attrs, self.corpus_checked)

    def copy(self, **changes) -> Mention:
        """A copy with `changes` (field values checked already), not validated again."""
        m = object.__new__(Mention)
        (m.comment_id, m.kind, m.surface, m.start, m.end, m.extractor, m.score, m.key, m.in_quote, m.entity_id,
         m.attrs, m.corpus_checked) = self.as_row()
        for name, value in changes.items():
            setattr(m, name, value)
        return m

    @classmethod
    def found(cls, *, comment_id: str, kind: str, surface: str, start: int, end: int, extractor: str,
              score: float = 1.0, key: str = "", attrs: dict[str, str] | None = None,
              corpus_checked: bool = False) -> Mention:
        """A mention made by a built-in extractor, not validated field by field: its fields come
        from the extractor's own code, `run_extractors` checks every mention's span, kind and
        score, and pydantic's checks cost about as much as finding the mention (some 10 µs, for
        a third of a million mentions per 10,000 comments). Plugins construct `Mention(...)`."""
        if start < 0 or end <= start:
            raise ValueError(f"empty or negative span {start}:{end}")
        m = object.__new__(cls)
        m.comment_id, m.kind, m.surface, m.start, m.end, m.extractor = comment_id, kind, surface, start, end, extractor
        m.score, m.key, m.in_quote, m.entity_id = float(score), key, False, None
        m.attrs = _shared_attrs(attrs or {})
        m.corpus_checked = corpus_checked
        return m

    @classmethod
    def from_row(cls, row: tuple) -> Mention:
        """The mention `as_row` gave, not validated again: only for rows from a validated Mention."""
        m = object.__new__(cls)
        (m.comment_id, m.kind, surface, start, end, m.extractor, score, key, m.in_quote, m.entity_id,
         attrs, m.corpus_checked) = row
        m.surface, m.key = sys.intern(surface), sys.intern(key)  # "reward" a million times is one string
        # offsets and scores shared too: unpickled rows bring a new int or float object each (28 and
        # 24 bytes), 220 MB at 100,000 comments, which forked writers then copy again
        m.start, m.end, m.score = _INTS.setdefault(start, start), _INTS.setdefault(end, end), _shared_float(score)
        m.attrs = attrs if isinstance(attrs, Attrs) else _shared_attrs(attrs)
        return m


class Entity(_Record):
    """A person, organization, concept or work, with every spelling seen."""

    id: str = Field(description="stable, e.g. 'person/yann-lecun'")
    kind: EntityKind
    label: str
    aliases: list[str] = Field(default_factory=list)
    mention_count: int = 0
    comment_count: int = 0
    unresolved: bool = False
    same_as: list[str] = Field(default_factory=list)
    creator: str | None = Field(default=None, description="entity id of a work's creator")
    url: str | None = None
    broader: list[str] = Field(default_factory=list, description="concept ids")
    is_page_author: bool = False
    accounts: list[str] = Field(default_factory=list, description="author names of comments this person wrote")


@pydantic_dataclass(slots=True, config=ConfigDict(extra="forbid"))
class Subject:
    """A concept a comment is about, with its weight in that comment.

    A slotted dataclass like `Mention`: a large build holds one per (comment, concept) link."""

    comment_id: str
    entity_id: str
    weight: float = Field(ge=0.0, le=1.0)

    @classmethod
    def computed(cls, comment_id: str, entity_id: str, weight: float) -> Subject:
        """A subject from values the resolver has already checked, not validated again."""
        s = object.__new__(cls)
        # weights are rounded to 3 decimals: one float object per value (see `_shared_float`), not per subject
        s.comment_id, s.entity_id, s.weight = comment_id, entity_id, _FLOATS.setdefault(weight, weight) if weight else weight
        return s


class Boundary(_Record):
    """The segmenter's verdict on the gap before one paragraph of a flat text."""

    paragraph: int
    score: float
    is_boundary: bool
    features: dict[str, float] = Field(default_factory=dict)
    preview: str = ""


class Reason(_Record):
    """One signal behind a related-comment score."""

    signal: Literal["concept", "person", "organization", "work", "text", "neighbourhood", "thread"]
    label: str
    entity_id: str | None = None
    contribution: float


class RelatedResult(_Record):
    """A comment related to the one asked about, with why."""

    comment_id: str
    score: float
    reasons: list[Reason] = Field(default_factory=list)
    preview: str = ""


class EntityCount(_Record):
    label: str
    entity_id: str
    comments: int


class BuildSummary(_Record):
    """What a build found: counts and the most mentioned entities of each kind."""

    comments: int
    counts: dict[str, int]
    top: dict[str, list[EntityCount]]
    inputs: list[str]
    formats: list[str]


class Evidence(_Record):
    """Where a comment names an entity: the words, with a little context around them."""

    comment_id: str
    start: int
    end: int
    surface: str
    snippet: str
    in_quote: bool = False


class Hit(_Record):
    """A comment or entity found by a companion query, with its evidence."""

    id: str
    label: str
    score: float
    evidence: list[Evidence] = Field(default_factory=list)
