"""What the parts of resolution share: entity ids from labels, and the getters the corpus-wide
tallies read mentions with."""

from __future__ import annotations

from operator import attrgetter

from ..text import digest, slug


KIND_PRIORITY = {"work": 0, "person": 1, "organization": 2, "concept": 3}
# what the corpus-wide tallies read of each of millions of mentions, got in C
LINK = attrgetter("comment_id", "entity_id")
ENTITY = attrgetter("entity_id")
NAMED = attrgetter("entity_id", "surface")


class _Ids:
    """Stable entity ids from labels; a clash of slugs gets a content hash."""

    def __init__(self) -> None:
        self.by_id: dict[str, str] = {}
        # what get() answered: the same again, as `by_id` only ever grows (setdefault)
        self._given: dict[tuple[str, str, str | None], str] = {}

    def get(self, kind: str, label: str, key: str | None = None) -> str:
        """The id of `label`; two things of one label but different `key`s (two URLs) get two ids."""
        given = self._given.get((kind, label, key))
        if given is None:
            base = f"{kind}/{slug(label)}"
            owner = self.by_id.setdefault(base, key or label)
            given = self._given[kind, label, key] = base if owner == (key or label) else \
                f"{base}-{digest(key or label, 6)}"
        return given
