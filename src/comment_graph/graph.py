"""CommentGraph: the result of a build, and every way to look at it (writing it is `api.write`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from itertools import combinations
from typing import TYPE_CHECKING, Any

from .config import BuildConfig
from .errors import CommentGraphError
from .models import (ENTITY_KINDS, Boundary, BuildSummary, Comment, Entity, EntityCount, Evidence, Hit, Mention,
                     RelatedResult, Subject)

if TYPE_CHECKING:
    import networkx
    import rdflib


@dataclass
class InputInfo:
    """One input of a build, as outputs name it: by file name and content hash, never by the folder
    it sat in, so the same input gives the same bytes on any machine. (`path` holds the file name;
    the key keeps graph.json files of earlier builds loadable.)"""

    path: str
    format: str
    sha256: str


@dataclass
class CommentGraph:
    """Comments linked to the people, organizations, concepts and works they mention, with evidence."""

    comments: list[Comment]
    entities: dict[str, Entity]
    mentions: list[Mention]
    subjects: list[Subject]
    segmentation: list[Boundary] = field(default_factory=list)
    inputs: list[InputInfo] = field(default_factory=list)
    config: BuildConfig = field(default_factory=BuildConfig)
    page_author: str | None = None
    warnings: list[str] = field(default_factory=list)
    # concepts beyond each comment's exported subjects, used only to compare comments in related()
    features: list[Subject] = field(default_factory=list)
    feature_entities: dict[str, Entity] = field(default_factory=dict)
    # what extraction found before resolution, and the page titles it knew: what `--append` builds on
    raw_mentions: list[Mention] | None = None
    page_titles: list[str] = field(default_factory=list)

    # ---- lookups ------------------------------------------------------------------
    @cached_property
    def _by_id(self) -> dict[str, Comment]:
        return {c.id: c for c in self.comments}

    def comment(self, comment_id: str) -> Comment:
        """A comment by id, or by its 1-based position written as '#3'."""
        if comment_id in self._by_id:
            return self._by_id[comment_id]
        if comment_id.startswith("#") and comment_id[1:].isdigit() and 0 < int(comment_id[1:]) <= len(self.comments):
            return self.comments[int(comment_id[1:]) - 1]
        sample = ", ".join(c.id for c in self.comments[:3])
        raise CommentGraphError(f"no comment with id '{comment_id}' (ids look like: {sample}; or use '#1')")

    def mentions_in(self, comment_id: str) -> list[Mention]:
        return [m for m in self.mentions if m.comment_id == comment_id]

    def entities_of(self, kind: str) -> list[Entity]:
        return [e for e in self.entities.values() if e.kind == kind]

    def find_entity(self, name: str, kind: str | None = None) -> Entity:
        """An entity by id, label or alias (case-insensitive)."""
        want = name.casefold()
        for e in self.entities.values():
            if (kind is None or e.kind == kind) and (e.id == name or want in {e.label.casefold(),
                                                                              *(a.casefold() for a in e.aliases)}):
                return e
        raise CommentGraphError(f"no {kind or 'entity'} called '{name}'")

    # ---- related comments ---------------------------------------------------------
    @cached_property
    def _related_index(self):
        return self.make_related_index()

    def make_related_index(self):
        """related()'s matrices, made anew (not kept: the index writer stores them and lets go). The
        text matrix, where the build had it made meanwhile (`prefetch_text`), is taken from there."""
        from .related import build_index

        pending = self.__dict__.pop("_text_matrix", None)
        return build_index(self.comments, self.all_entities, self.mentions, self.features or self.subjects,
                           pending.result() if pending is not None else None)

    def prefetch_text(self, pending) -> None:
        """`pending.result()` will be `related.text_matrix(self.comments)`, or None (see
        `related.TextMatrixOnHelper`): the matrix is taken from there, once."""
        self.__dict__["_text_matrix"] = pending

    @property
    def text_prefetched(self) -> bool:
        """Whether related()'s text matrix is being made elsewhere and not taken yet."""
        return "_text_matrix" in self.__dict__

    def settle_text(self) -> None:
        """Wait here for a text matrix being made elsewhere, and keep it: a process forked from this
        one then finds it ready (it could not wait for this process's helper)."""
        pending = self.__dict__.get("_text_matrix")
        if pending is not None:
            self.__dict__["_text_matrix"] = _Settled(pending.result())

    def __getstate__(self) -> dict:
        """A pickle or deep copy holds the text matrix itself, not the helper making it (a future and
        a finalizer, which do not pickle): it is waited for here, and kept here too."""
        self.settle_text()
        return self.__dict__

    @cached_property
    def all_entities(self) -> dict[str, Entity]:
        """Entities and the extra concepts related() compares comments by (entities win)."""
        return {**self.feature_entities, **self.entities}

    def related(self, comment_id: str, k: int = 5, *, min_score: float = 0.05) -> list[RelatedResult]:
        """The k comments most related to this one, best first, each with its reasons."""
        from .related import related

        c = self.comment(comment_id)
        results = related(self._related_index, self.all_entities, c.id, k, min_score)
        for r in results:
            r.preview = self._by_id[r.comment_id].text[:100]
        return results

    def comments_about(self, concept: str, k: int | None = None) -> list[Hit]:
        """Comments about a concept, most central first (the first k; all by default), each with the
        words that show it."""
        return self._comments_linked(self.find_entity(concept, "concept"), k)

    def comments_mentioning(self, name: str, k: int | None = None) -> list[Hit]:
        """Comments that name a person, organization or work (the first k; all by default), each
        with the words that show it."""
        return self._comments_linked(self.find_entity(name), k)

    def near(self, name: str, k: int = 10) -> list[Hit]:
        """Entities of the same kind that comments name together with this one (concepts also through
        broader/narrower links), most shared comments first, with evidence from a shared comment."""
        e = self.find_entity(name)
        mine = {m.comment_id for m in self.mentions if m.entity_id == e.id}
        shared: dict[str, set[str]] = {}
        for m in self.mentions:
            other = self.entities[m.entity_id]
            if m.comment_id in mine and other.kind == e.kind and other.id != e.id:
                shared.setdefault(other.id, set()).add(m.comment_id)
        links = {b for b in e.broader} | {o.id for o in self.entities.values() if e.id in o.broader}
        scored = {eid: len(cs) + (0.5 if eid in links else 0.0) for eid, cs in shared.items()}
        scored.update({eid: 0.5 for eid in links if eid not in scored and eid in self.entities})
        ranked = sorted(scored.items(), key=lambda x: (-x[1], self.entities[x[0]].label))[:k]
        return [Hit(id=eid, label=self.entities[eid].label, score=s,
                    evidence=[self._evidence(m) for m in self.mentions
                              if m.entity_id == eid and m.comment_id in mine][:1]) for eid, s in ranked]

    def _comments_linked(self, e: Entity, k: int | None = None) -> list[Hit]:
        weight = {s.comment_id: s.weight for s in self.subjects if s.entity_id == e.id}
        out: dict[str, list[Mention]] = {}
        for m in self.mentions:
            if m.entity_id == e.id:
                out.setdefault(m.comment_id, []).append(m)
        hits = [Hit(id=cid, label=self._by_id[cid].text[:80], score=weight.get(cid, 1.0),
                    evidence=[self._evidence(m) for m in ms]) for cid, ms in out.items()]
        return sorted(hits, key=lambda h: (-h.score, self._by_id[h.id].index))[:k]

    def _evidence(self, m: Mention, context: int = 60) -> Evidence:
        text = self._by_id[m.comment_id].text
        a, b = max(0, m.start - context), min(len(text), m.end + context)
        snippet = ("…" if a else "") + " ".join(text[a:b].split()) + ("…" if b < len(text) else "")
        return Evidence(comment_id=m.comment_id, start=m.start, end=m.end, surface=m.surface, snippet=snippet,
                        in_quote=m.in_quote)

    def around(self, name: str, depth: int = 2) -> "CommentGraph":
        """The part of the graph within `depth` links of an entity (by label, alias or id): the
        nodes of `to_networkx()`'s ego graph, found by a walk over its links alone (building the
        whole networkx graph, every comment's text on its node, took most of the time)."""
        from .export.nx import comment_node, links

        centre = self.find_entity(name)
        near, keep, ring = links(self), {centre.id}, [centre.id]
        for _ in range(depth):
            reached = []
            for node in ring:
                for other in near.get(node, ()):
                    if other not in keep:
                        keep.add(other)
                        reached.append(other)
            ring = reached
        comments = {c.id for c in self.comments if comment_node(self, c.id) in keep}
        return self.subgraph(comments, entities=keep, always={centre.id})

    def subgraph(self, comment_ids: set[str], *, entities: set[str] | None = None,
                 always: set[str] = frozenset()) -> "CommentGraph":
        """These comments with what they link to (only `entities`, when given, and `always`)."""
        from dataclasses import replace

        comments = [c for c in self.comments if c.id in comment_ids]
        mentions = [m for m in self.mentions
                    if m.comment_id in comment_ids and (entities is None or m.entity_id in entities)]
        linked = {m.entity_id for m in mentions} | set(always)
        kept = {k: e for k, e in self.entities.items() if k in linked}
        subjects = [s for s in self.subjects if s.comment_id in comment_ids and s.entity_id in linked]
        features = [s for s in self.features if s.comment_id in comment_ids]
        return replace(self, comments=comments, entities=kept, mentions=mentions, subjects=subjects,
                       features=features, raw_mentions=None)

    # ---- views -----------------------------------------------------------------------
    def summary(self, top: int = 5) -> BuildSummary:
        counts = Counter(e.kind for e in self.entities.values())
        tops = {}
        for kind in ENTITY_KINDS:
            ranked = sorted(self.entities_of(kind), key=lambda e: (-e.comment_count, -e.mention_count, e.label))
            tops[kind] = [EntityCount(label=e.label, entity_id=e.id, comments=e.comment_count) for e in ranked[:top]]
        return BuildSummary(comments=len(self.comments), counts={k: counts.get(k, 0) for k in ENTITY_KINDS},
                            top=tops, inputs=[i.path for i in self.inputs], formats=[i.format for i in self.inputs])

    def concept_cooccurrence(self) -> Counter:
        """(concept a, concept b) -> number of comments about both, a < b."""
        by_comment: dict[str, set[str]] = {}
        for s in self.subjects:
            by_comment.setdefault(s.comment_id, set()).add(s.entity_id)
        pairs: Counter = Counter()
        for ids in by_comment.values():
            pairs.update(combinations(sorted(ids), 2))
        return pairs

    def to_networkx(self) -> "networkx.MultiDiGraph":
        from .export.nx import to_networkx

        return to_networkx(self)

    def to_rdf(self) -> "rdflib.Graph":
        from .export.rdf import to_rdf

        return to_rdf(self)

    def sparql(self, query: str, **bindings: Any) -> list[dict[str, Any]]:
        """Run SPARQL over the RDF export; keyword arguments are bound as variables, never pasted in."""
        from .sparql import query_graph

        return query_graph(self._rdf, query, bindings)

    @cached_property
    def _rdf(self) -> "rdflib.Graph":
        return self.to_rdf()


@dataclass(frozen=True)
class _Settled:
    """A text matrix already taken from where it was made (`CommentGraph.settle_text`), or None."""

    value: Any

    def result(self) -> Any:
        return self.value
