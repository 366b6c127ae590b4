"""The RDF export: SIOC posts, FOAF people and organizations, SKOS concepts, DCTERMS works,
and one W3C Web Annotation per (comment, entity) link holding its character span as evidence.

Triples are written as text and streamed: each comment's blocks (the comment, its quotes,
its annotations) are formed and written before the next comment's, so memory does not
grow with the graph and no global sort is needed. The nodes comments share (accounts,
posts, wordings) follow them, merged, with the entities: so ranges of comments can be
written by separate processes and the pieces concatenated. The order is fixed by the input
(comments in input order, entities by id), so the same input gives the same bytes. No
blank nodes: every node has an IRI derived from input ids or content.

Terms are kept in N-Triples syntax (`<iri>`, `"literal"^^<datatype>`); Turtle is the
same blocks with the standard prefixes and `;` between a subject's predicates.
"""

from __future__ import annotations

import functools
import heapq
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import IO, TYPE_CHECKING
from urllib.parse import quote

from rdflib import Graph
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, SKOS, XSD

from ..text import digest
from ..vocab import CG, OA, PREFIXES, SCHEMA, SIOC
from . import write_atomic

if TYPE_CHECKING:
    from ..graph import CommentGraph
    from ..models import Comment, Entity, Mention

Block = tuple[str, list[tuple[str, str]]]   # a subject and its (predicate, object) pairs
IRI_UNSAFE_RE = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def iri_term(iri: str) -> str:
    """An IRI in N-Triples / Turtle syntax; characters IRIs may not hold become \\u escapes."""
    return "<" + IRI_UNSAFE_RE.sub(lambda m: "\\u%04X" % ord(m.group()), str(iri)) + ">"


def literal(value: str, datatype: str | None = None) -> str:
    """A literal term; a plain string carries no datatype (it is an xsd:string)."""
    value = str(value)
    if "\\" in value or '"' in value or "\n" in value or "\r" in value:
        # four passes in C: str.translate looks up every character of a comment's text in a dict
        value = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    text = '"' + value + '"'
    return text if datatype is None else f"{text}^^<{datatype}>"


def count(n: int, datatype: str = XSD.nonNegativeInteger) -> str:
    return f'"{int(n)}"^^<{datatype}>'  # digits need no escaping


_BOOLEANS = {flag: literal("true" if flag else "false", XSD.boolean) for flag in (True, False)}


def boolean(flag: bool) -> str:
    return _BOOLEANS[bool(flag)]


@lru_cache(maxsize=4096)
def decimal(x: float) -> str:
    """An xsd:decimal with three places (a float would be ill-typed as decimal)."""
    from decimal import Decimal

    return literal(str(Decimal(str(round(x, 3)))), XSD.decimal)


class V:
    """The vocabulary terms the export uses, as term strings."""

    type = iri_term(RDF.type)
    Post, content, has_creator, UserAccount, name = (iri_term(SIOC[t]) for t in
                                                     ("Post", "content", "has_creator", "UserAccount", "name"))
    reply_of, has_container, Container, account_of = (iri_term(SIOC[t]) for t in
                                                      ("reply_of", "has_container", "Container", "account_of"))
    identifier, created, title, creator, subject, references, source, fmt = (
        iri_term(DCTERMS[t]) for t in ("identifier", "created", "title", "creator", "subject", "references",
                                       "source", "format"))
    url, mentions = iri_term(SCHEMA.url), iri_term(SCHEMA.mentions)
    fname, account, Person, Organization = (iri_term(FOAF[t]) for t in ("name", "account", "Person", "Organization"))
    prefLabel, altLabel, broader, Concept = (iri_term(SKOS[t]) for t in ("prefLabel", "altLabel", "broader", "Concept"))
    sameAs = iri_term(OWL.sameAs)
    Annotation, hasBody, hasTarget, motivatedBy, SpecificResource, hasSource, hasSelector = (
        iri_term(OA[t]) for t in ("Annotation", "hasBody", "hasTarget", "motivatedBy", "SpecificResource",
                                  "hasSource", "hasSelector"))
    TextPositionSelector, TextQuoteSelector, start, end, exact = (
        iri_term(OA[t]) for t in ("TextPositionSelector", "TextQuoteSelector", "start", "end", "exact"))
    classifying, linking, identifying = (iri_term(OA[t]) for t in ("classifying", "linking", "identifying"))
    Activity, used = iri_term(PROV.Activity), iri_term(PROV.used)
    cg = {t: iri_term(CG[t]) for t in ("Quote", "Work", "Build", "Cooccurrence", "quotes", "text", "start", "end",
                                       "inQuote", "extractor", "confidence", "occurrences", "weight", "index",
                                       "unresolved", "pageAuthor", "toolVersion", "option", "sha256", "concept",
                                       "count", "rank", "commentCount", "ownCount", "quotedCount", "topAnnotation",
                                       "Comention", "named", "companion")}


ENTITY_CLASS = {"person": V.Person, "organization": V.Organization, "concept": V.Concept, "work": V.cg["Work"]}
LABEL = {"person": V.fname, "organization": V.fname, "concept": V.prefLabel, "work": V.title}
LINK = {"person": V.mentions, "organization": V.mentions, "concept": V.subject, "work": V.references}
MOTIVATION = {"concept": V.classifying, "work": V.linking}
POSITIVE = str(XSD.positiveInteger)
# options that change how a build runs, not what it finds; file paths stay out of the graph too
RUNTIME_OPTIONS = {"jobs", "people_files", "vocab_files"}


class Iris:
    """Node IRIs under the build's base: path segments percent-encoded."""

    def __init__(self, base: str) -> None:
        self.base = base if base.endswith(("/", "#")) else base + "/"

    def __call__(self, *parts: str) -> str:
        return "<" + self.base + "/".join(map(_quoted, parts)) + ">"

    def entity(self, entity_id: str) -> str:
        return _entity_iri(self.base, entity_id)


@lru_cache(maxsize=1 << 16)
def _entity_iri(base: str, entity_id: str) -> str:
    """Entities are named again by every link to them: each IRI is formed once."""
    return "<" + base + "/".join(map(_quoted, entity_id.split("/"))) + ">"


@lru_cache(maxsize=1 << 16)
def _selector_name(surface: str) -> str:
    return digest(surface, 16)  # wordings repeat across comments ("reward", "RLHF")


@lru_cache(maxsize=1 << 18)
def _quoted(part: str) -> str:
    """IRI path segments repeat (ids, 'annotation', 'target'): quote each once."""
    return quote(part, safe="-._~")


class _Shared:
    """Nodes many comments point to (an author's account, a post, a wording's selector): their
    triples, gathered in order of first use and merged, are written once, after the comments."""

    def __init__(self) -> None:
        self.nodes: dict[str, dict[tuple[str, str], None]] = {}

    def add(self, s: str, pairs: list[tuple[str, str]]) -> None:
        self.nodes.setdefault(s, {}).update(dict.fromkeys(pairs))

    def blocks(self) -> Iterator[Block]:
        return ((s, list(pairs)) for s, pairs in self.nodes.items())


def _comment_blocks(iri: Iris, c: "Comment", links: list[tuple[str, str]]) -> Iterator[Block]:
    node = iri("comment", c.id)
    po = [(V.type, V.Post), (V.content, literal(c.text)), (V.identifier, literal(c.id)),
          (V.cg["index"], count(c.index))]
    if c.created_at:
        po.append((V.created, literal(c.created_at.isoformat(), XSD.dateTime)))
    if c.url:
        po.append((V.url, literal(c.url, XSD.anyURI)))
    if c.parent_id:
        po.append((V.reply_of, iri("comment", c.parent_id)))
    if c.author:
        po.append((V.has_creator, iri("account", c.author)))
    if c.post_title or c.post_url:
        po.append((V.has_container, iri("post", c.post_url or c.post_title)))
    quotes = []
    for n, q in enumerate(c.quotes, start=1):
        qn = iri("comment", c.id, "quote", str(n))
        po.append((V.cg["quotes"], qn))
        quotes.append((qn, [(V.type, V.cg["Quote"]), (V.cg["text"], literal(q.text)),
                            (V.cg["start"], count(q.start)), (V.cg["end"], count(q.end))]))
    yield node, po + links
    yield from quotes


def _comment_shared(iri: Iris, c: "Comment", shared: _Shared) -> None:
    """The author's account and the post of a comment (`_comment_blocks` links to them)."""
    if c.author:
        shared.add(iri("account", c.author), [(V.type, V.UserAccount), (V.name, literal(c.author))])
    if c.post_title or c.post_url:
        about = [(V.type, V.Container)]
        if c.post_title:
            about.append((V.title, literal(c.post_title)))
        if c.post_url:
            about.append((V.url, literal(c.post_url, XSD.anyURI)))
        shared.add(iri("post", c.post_url or c.post_title), about)


def _entity_blocks(iri: Iris, e: "Entity", own: int, quoted: int, top: list[str]) -> Iterator[Block]:
    node = iri.entity(e.id)
    po = [(V.type, ENTITY_CLASS[e.kind]), (LABEL[e.kind], literal(e.label)),
          (V.cg["commentCount"], count(own + quoted)), (V.cg["ownCount"], count(own)),
          (V.cg["quotedCount"], count(quoted))]
    po += [(V.altLabel, literal(a)) for a in e.aliases]
    po += [(V.sameAs, iri_term(s)) for s in e.same_as]
    if e.unresolved:
        po.append((V.cg["unresolved"], boolean(True)))
    if e.is_page_author:
        po.append((V.cg["pageAuthor"], boolean(True)))
    if e.creator:
        po.append((V.creator, iri.entity(e.creator)))
    if e.url:
        po.append((V.url, literal(e.url, XSD.anyURI)))
    po += [(V.broader, iri.entity(b)) for b in e.broader]
    po += [(V.account, iri("account", a)) for a in e.accounts]  # the person behind a comment author's account
    po += [(V.cg["topAnnotation"], a) for a in top]
    yield node, po
    for a in e.accounts:
        yield iri("account", a), [(V.account_of, node)]


def _evidence(ms: list["Mention"]) -> "Mention":
    """The occurrence a link's annotation points to: the first in the comment's own words (a
    quoted one only when the comment never uses the words itself)."""
    return min(ms, key=lambda x: (x.in_quote, x.start))


def _wording(iri: Iris, surface: str) -> str:
    return iri("selector", "exact", _selector_name(surface))  # one node per distinct wording


def _annotation_blocks(iri: Iris, ms: list["Mention"], comment: str, weight: float | None) -> Iterator[Block]:
    """One annotation per link (comment, entity): its evidence (see `_evidence`); the count says
    how many occurrences there are.

    One node per link rather than per occurrence keeps SPARQL joins over the evidence small:
    engines without a join planner (rdflib) multiply annotations by selectors.
    `_TurtleAnnotations` writes the same blocks as Turtle from a template: change both (a test
    compares them).
    """
    m = _evidence(ms)
    ann = _annotation_iri(comment, m.entity_id)
    target, pos = ann[:-1] + "/target>", ann[:-1] + "/position>"
    body = iri.entity(m.entity_id)
    about = [(V.type, V.Annotation), (V.hasBody, body), (V.hasTarget, target),
             (V.motivatedBy, MOTIVATION.get(m.kind, V.identifying)), (V.cg["extractor"], literal(m.extractor)),
             (V.cg["confidence"], decimal(max(x.score for x in ms))), (V.cg["inQuote"], boolean(all(x.in_quote for x in ms))),
             (V.cg["occurrences"], count(len(ms), POSITIVE))]
    if weight is not None:
        about.append((V.cg["weight"], decimal(weight)))
    yield ann, about
    yield target, [(V.type, V.SpecificResource), (V.hasSource, comment), (V.hasSelector, pos),
                   (V.hasSelector, _wording(iri, m.surface))]
    yield pos, [(V.type, V.TextPositionSelector), (V.start, count(m.start)), (V.end, count(m.end))]


def _annotation_iri(comment: str, entity_id: str) -> str:
    """The annotation of the link from a comment (its IRI term) to an entity."""
    return comment[:-1] + "/annotation/" + _quoted(entity_id.replace("/", "-")) + ">"


TOP_ANNOTATIONS = 200  # per concept: what the comments-about query reads instead of every link


def _top_annotations(iri: Iris, kg: "CommentGraph") -> dict[str, list[str]]:
    """Each concept's links of highest weight, best first (ties in input order): fixed at build
    time, so a store answers "the comments most about X" by reading them, not by sorting all."""
    index = {c.id: c.index for c in kg.comments}
    links: dict[str, list[tuple[float, int, str]]] = {}
    for s in kg.subjects:
        links.setdefault(s.entity_id, []).append((-s.weight, index[s.comment_id], s.comment_id))
    return {eid: [_annotation_iri(iri("comment", cid), eid) for _, _, cid in heapq.nsmallest(TOP_ANNOTATIONS, ranked)]
            for eid, ranked in links.items()}


TOP_COMPANIONS = 50  # per person or organization: what the mentioned-with query reads


def _comentions(iri: Iris, kg: "CommentGraph", links: Iterable[Iterable[str]]) -> Iterator[Block]:
    """For each person and organization, the entities named or discussed in most of the same
    comments (the top 50, ties by id), counted at build time: a store answers "what is X
    mentioned with" by reading fifty nodes, not by grouping every link of X's comments."""
    named = {eid for eid, e in kg.entities.items() if e.kind in ("person", "organization")}
    together: dict[str, Counter] = {}
    for ids in links:
        ids = set(ids)
        for eid in ids & named:
            together.setdefault(eid, Counter()).update(ids - {eid})
    for eid in sorted(together):
        top = heapq.nsmallest(TOP_COMPANIONS, together[eid].items(), key=lambda x: (-x[1], x[0]))
        for rank, (other, n) in enumerate(top, start=1):
            node = iri("comention", f"{eid.replace('/', '-')}--{other.replace('/', '-')}")
            yield node, [(V.type, V.cg["Comention"]), (V.cg["named"], iri.entity(eid)),
                         (V.cg["companion"], iri.entity(other)), (V.cg["count"], count(n)),
                         (V.cg["rank"], count(rank, POSITIVE))]


def _provenance(iri: Iris, kg: "CommentGraph") -> Iterator[Block]:
    from .. import __version__

    options = kg.config.model_dump_json(exclude=RUNTIME_OPTIONS)
    run = iri("build", digest("|".join(i.sha256 for i in kg.inputs) + options, 16))
    used = {i.sha256: i for i in kg.inputs}
    yield run, [(V.type, V.Activity), (V.type, V.cg["Build"]), (V.cg["toolVersion"], literal(f"comment-graph {__version__}")),
                (V.cg["option"], literal(options))] + [(V.used, iri_term(f"urn:sha256:{h}")) for h in sorted(used)]
    for h, info in sorted(used.items()):
        yield iri_term(f"urn:sha256:{h}"), [(V.cg["sha256"], literal(h)), (V.title, literal(Path(info.path).name)),
                                             (V.fmt, literal(info.format))]


def _cooccurrence(iri: Iris, kg: "CommentGraph") -> Iterator[Block]:
    from ..export.nx import concept_cooccurrence

    pairs = concept_cooccurrence(kg)
    # a rank fixed at build time lets a store take the top pairs without sorting them (ties by id)
    rank = {pair: r for r, (pair, _) in enumerate(sorted(pairs.items(), key=lambda x: (-x[1], x[0])), start=1)}
    for (a, b), n in sorted(pairs.items()):
        node = iri("cooccurrence", f"{a.split('/', 1)[1]}--{b.split('/', 1)[1]}")
        yield node, [(V.type, V.cg["Cooccurrence"]), (V.cg["concept"], iri.entity(a)), (V.cg["concept"], iri.entity(b)),
                     (V.cg["count"], count(n)), (V.cg["rank"], count(rank[a, b], POSITIVE))]


class _Links:
    """Each comment's links, grouped by entity, and each entity's counts of comments: what every
    section of the export reads, computed once (before sections are written in forked processes)."""

    def __init__(self, kg: "CommentGraph") -> None:
        self.kg, self.iri = kg, Iris(kg.config.base_iri)
        self.weights = {(s.comment_id, s.entity_id): s.weight for s in kg.subjects}
        self.by_comment: dict[str, dict[str, list]] = {}
        for m in kg.mentions:
            self.by_comment.setdefault(m.comment_id, {}).setdefault(m.entity_id, []).append(m)
        self.own: dict[str, int] = {}
        self.quoted: dict[str, int] = {}
        for links in self.by_comment.values():
            for eid, ms in links.items():
                tally = self.quoted if all(m.in_quote for m in ms) else self.own
                tally[eid] = tally.get(eid, 0) + 1

    def ranges(self, parts: int) -> list[tuple[int, int]]:
        """`parts` consecutive ranges of comments with about as many links each."""
        comments = self.kg.comments
        sizes = [1 + len(self.by_comment.get(c.id, ())) for c in comments]
        total, bounds, done, start = sum(sizes), [], 0, 0
        for i, size in enumerate(sizes):
            done += size
            if len(bounds) < parts - 1 and done * parts >= total * (len(bounds) + 1):
                bounds.append((start, i + 1))
                start = i + 1
        return bounds + [(start, len(comments))]


class _CommentRange:
    """The section of comments `start`..`end`: each with its quotes and one annotation per link.
    Called, it gives the blocks; the Turtle writer formats its annotations directly (see
    `_TurtleAnnotations`), as they are most of the file."""

    def __init__(self, links: _Links, start: int, end: int) -> None:
        self.links, self.start, self.end = links, start, end

    def __call__(self) -> Iterator[Block]:
        for c, node, ms_of in self.comments():
            yield from self.comment_blocks(c, ms_of)
            for eid, ms in ms_of.items():
                yield from _annotation_blocks(self.links.iri, ms, node, self.links.weights.get((c.id, eid)))

    def comments(self) -> Iterator[tuple["Comment", str, dict[str, list]]]:
        """Each comment, its node's IRI term and its mentions grouped by entity."""
        iri, by_comment = self.links.iri, self.links.by_comment
        for c in self.links.kg.comments[self.start:self.end]:
            yield c, iri("comment", c.id), by_comment.get(c.id, {})

    def comment_blocks(self, c: "Comment", ms_of: dict[str, list]) -> Iterator[Block]:
        iri = self.links.iri
        return _comment_blocks(iri, c, [(LINK[ms[0].kind], iri.entity(eid)) for eid, ms in ms_of.items()])


def _shared_nodes(links: _Links) -> Iterator[Block]:
    """What the comments point to: accounts, posts and wordings, each described once."""
    iri, shared = links.iri, _Shared()
    worded: set[str] = set()  # a wording's triples are the same each time: add them once
    for c in links.kg.comments:
        _comment_shared(iri, c, shared)
        for ms in links.by_comment.get(c.id, {}).values():
            surface = _evidence(ms).surface
            if surface not in worded:
                worded.add(surface)
                shared.add(_wording(iri, surface), [(V.type, V.TextQuoteSelector), (V.exact, literal(surface))])
    return shared.blocks()


def _entities(links: _Links) -> Iterator[Block]:
    kg, iri = links.kg, links.iri
    top = _top_annotations(iri, kg)
    for e in sorted(kg.entities.values(), key=lambda e: e.id):
        yield from _entity_blocks(iri, e, links.own.get(e.id, 0), links.quoted.get(e.id, 0), top.get(e.id, []))


def _rankings(links: _Links) -> Iterator[Block]:
    """The build-time rankings, and the build's provenance."""
    yield from _cooccurrence(links.iri, links.kg)
    yield from _comentions(links.iri, links.kg, links.by_comment.values())
    yield from _provenance(links.iri, links.kg)


def _sections(links: _Links, parts: int) -> list[Callable[[], Iterator[Block]]]:
    return [_CommentRange(links, a, b) for a, b in links.ranges(parts)] + \
        [functools.partial(f, links) for f in (_shared_nodes, _entities, _rankings)]


def sections(kg: "CommentGraph", parts: int = 1) -> list[Callable[[], Iterator[Block]]]:
    """The export as consecutive sections: `parts` ranges of comments, then what they point to
    (accounts, posts, wordings), the entities, and the rankings. Each can be written by its own
    process; in this order they are `blocks(kg)`."""
    return _sections(_Links(kg), parts)


def blocks(kg: "CommentGraph") -> Iterator[Block]:
    """Every triple of the export, grouped by subject, in a fixed order."""
    for section in sections(kg):
        yield from section()


# ---- writers ------------------------------------------------------------------------------

def _write_ntriples_section(f: IO[bytes], section: Callable[[], Iterator[Block]], kg: "CommentGraph",
                            first: bool) -> None:
    for s, pairs in section():
        f.write("".join(f"{s} {p} {o} .\n" for p, o in pairs).encode("utf-8"))


PN_LOCAL_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


@lru_cache(maxsize=4096)
def _compact_iri(term: str) -> str:
    """`<http://xmlns.com/foaf/0.1/name>` -> `foaf:name` where a standard prefix fits."""
    iri = term[1:-1]
    for prefix, ns in PREFIXES.items():
        ns = str(ns)
        if iri.startswith(ns) and PN_LOCAL_RE.fullmatch(iri[len(ns):]):
            return f"{prefix}:{iri[len(ns):]}"
    return term


def _turtle_term(term: str) -> str:
    """A term not under the graph's base, prefixed where a standard prefix fits."""
    if term.startswith("<"):
        return _compact_iri(term)
    if term.endswith(">") and '"^^<' in term:
        return _typed_literal(term)
    return term  # a plain string: as in N-Triples


@lru_cache(maxsize=1 << 16)
def _typed_literal(term: str) -> str:
    """Cached: counts, flags and confidences repeat (a comment's text, a plain literal, is not kept)."""
    value, _, datatype = term.rpartition("^^")
    return f"{value}^^{_compact_iri(datatype)}"


def _relative_to(base: str) -> Callable[[str], str] | None:
    """How a node IRI under `base` is written relative to it (`@base`), a quarter of the file's
    bytes; None where relative references would not resolve back to the same IRI (a base with a
    query or fragment, or not ending in "/")."""
    if not base.endswith("/") or "?" in base or "#" in base or _dot_segment(base.split("//", 1)[-1]):
        return None  # relative references resolve against the base with its dot segments removed
    own = "<" + base

    def relative(term: str) -> str:
        rest = term[len(own):-1]
        if ":" in rest or "?" in rest or "#" in rest or rest.startswith("/") or _dot_segment(rest):
            return term  # a scheme-like segment, a query, a fragment, a path from the root or a dot segment
        return "<" + rest + ">"

    return relative


def _dot_segment(path: str) -> bool:
    return "." in path and any(seg in (".", "..") for seg in path.split("/"))


PAIR_SEPARATOR = " ;\n    "


def _write_turtle_section(f: IO[bytes], section: Callable[[], Iterator[Block]], kg: "CommentGraph",
                          first: bool) -> None:
    base = Iris(kg.config.base_iri).base
    relative = _relative_to(base)
    if first:
        head = (f"@base <{base}> .\n" if relative else "") + \
            "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(PREFIXES.items()))
        f.write((head + "\n").encode("utf-8"))
    form = _TurtleTerms(base, relative)
    if isinstance(section, _CommentRange):
        annotations = _TurtleAnnotations(section.links, form)
        for c, node, ms_of in section.comments():
            text = "".join(map(form.block, section.comment_blocks(c, ms_of)))
            f.write((text + annotations.of(c.id, node, ms_of)).encode("utf-8"))
        return
    for block in section():
        f.write(form.block(block).encode("utf-8"))


class _TurtleTerms:
    """How terms and blocks are written in Turtle: the graph's own IRIs relative to the base
    (where that resolves back to them), others with a standard prefix where one fits."""

    def __init__(self, base: str, relative: Callable[[str], str] | None) -> None:
        self.own = "<" + base  # the graph's own nodes: no prefix fits, skip the search
        self.short = relative or (lambda term: term)
        self.predicates: dict[str, str] = {V.type: "a"}

    def term(self, term: str) -> str:
        return self.short(term) if term.startswith(self.own) else _turtle_term(term)

    def predicate(self, p: str) -> str:
        return self.predicates.get(p) or self.predicates.setdefault(p, _compact_iri(p))

    def block(self, block: Block) -> str:
        s, pairs = block
        lines = [f"{self.predicate(p)} {self.term(o)}" for p, o in pairs]
        return f"{self.term(s) if s.startswith(self.own) else s} {PAIR_SEPARATOR.join(lines)} .\n\n"


class _TurtleAnnotations:
    """A comment's annotations (`_annotation_blocks`) as Turtle, formed from one template a link:
    the same text the blocks give, at a fraction of the cost (they are most of the file).
    The target and position nodes extend the annotation's IRI by a plain segment, so each is
    relative exactly when the annotation's IRI is."""

    def __init__(self, links: _Links, form: _TurtleTerms) -> None:
        self.links, self.form, self.weights = links, form, links.weights
        self.bodies: dict[str, str] = {}
        self.wordings: dict[str, str] = {}
        self.wording = functools.partial(_wording, links.iri)
        t, p = form.term, form.predicate
        self.kinds = {kind: t(MOTIVATION.get(kind, V.identifying)) for kind in ENTITY_CLASS}
        self.flags = {flag: t(boolean(flag)) for flag in (True, False)}
        self.head = f" {p(V.type)} {t(V.Annotation)}{PAIR_SEPARATOR}{p(V.hasBody)} "
        self.resource = f" {p(V.type)} {t(V.SpecificResource)}{PAIR_SEPARATOR}{p(V.hasSource)} "
        self.position = f" {p(V.type)} {t(V.TextPositionSelector)}{PAIR_SEPARATOR}{p(V.start)} "
        # what goes before each further object of a block: the separator and the predicate
        self.then = {name: f"{PAIR_SEPARATOR}{p(pred)} " for name, pred in (
            ("target", V.hasTarget), ("motivation", V.motivatedBy), ("extractor", V.cg["extractor"]),
            ("confidence", V.cg["confidence"]), ("in_quote", V.cg["inQuote"]), ("occurrences", V.cg["occurrences"]),
            ("weight", V.cg["weight"]), ("selector", V.hasSelector), ("end", V.end))}
        # counts and confidences repeat or follow one pattern: `term(count(n))` is '"n"^^xsd:...'
        self.index_type = '"^^' + _compact_iri("<" + str(XSD.nonNegativeInteger) + ">")
        self.count_type = '"^^' + _compact_iri("<" + POSITIVE + ">")
        self.decimals: dict[float, str] = {}
        self.extractors: dict[str, str] = {}
        self.suffixes: dict[str, str] = {}

    def _once(self, table: dict, value, make: Callable[..., str]) -> str:
        """The Turtle form of `make(value)`, formed once per value (entities, wordings, scores repeat)."""
        term = table.get(value)
        if term is None:
            term = table[value] = self.form.term(make(value))
        return term

    def _suffix(self, entity_id: str) -> str:
        """What `_annotation_iri` appends to a comment's IRI for a link to this entity."""
        suffix = self.suffixes.get(entity_id)
        if suffix is None:
            suffix = self.suffixes[entity_id] = _annotation_iri("<>", entity_id)[1:]
        return suffix

    def of(self, comment_id: str, node: str, ms_of: dict[str, list]) -> str:
        form, iri, out, then = self.form, self.links.iri, [], self.then
        source = form.term(node)
        # the annotation's IRI extends the comment's by segments without ":", "?", "#" or dot
        # segments (the entity id is percent-encoded), so it is relative exactly when the comment's is
        base = source[:-1]
        for eid, ms in ms_of.items():
            m = ms[0] if len(ms) == 1 else _evidence(ms)  # most links have one occurrence
            ann = base + self._suffix(m.entity_id)
            body = self._once(self.bodies, m.entity_id, iri.entity)
            wording = self._once(self.wordings, m.surface, self.wording)
            weight = self.weights.get((comment_id, eid))
            stem = ann[:-1]
            score = m.score if len(ms) == 1 else max(x.score for x in ms)
            quoted = m.in_quote if len(ms) == 1 else all(x.in_quote for x in ms)
            out.append(
                f"{ann}{self.head}{body}{then['target']}{stem}/target>{then['motivation']}{self.kinds[m.kind]}"
                f"{then['extractor']}{self._once(self.extractors, m.extractor, literal)}"
                f"{then['confidence']}{self._once(self.decimals, score, decimal)}"
                f"{then['in_quote']}{self.flags[quoted]}"
                f"{then['occurrences']}\"{len(ms)}{self.count_type}"
                f"{'' if weight is None else then['weight'] + self._once(self.decimals, weight, decimal)} .\n\n"
                f"{stem}/target>{self.resource}{source}{then['selector']}{stem}/position>{then['selector']}{wording} .\n\n"
                f"{stem}/position>{self.position}\"{m.start}{self.index_type}{then['end']}\"{m.end}{self.index_type} .\n\n")
        return "".join(out)


SECTION_WRITERS = {"ttl": _write_turtle_section, "nt": _write_ntriples_section}


def rdf_writers(kg: "CommentGraph", formats: Iterable[str], parts: int = 1) -> dict[str, list[Callable[[IO[bytes]], None]]]:
    """Each RDF file's writers. With `parts` > 1, a streamed file (Turtle, N-Triples) has one a
    section (see `sections`): run in separate processes into separate files and joined in order,
    they give the same bytes as one writer. JSON-LD, not streamed, has one writer."""
    if parts == 1:  # each file's links are gathered when it is written: one set in memory at a time
        return {fmt: [functools.partial(WRITERS[fmt], kg=kg)] for fmt in formats}
    links = _Links(kg)  # shared by every format's pieces
    return {fmt: _piece_writers(links, fmt, parts) if fmt in SECTION_WRITERS else
            [functools.partial(WRITERS[fmt], kg=kg)] for fmt in formats}


def _piece_writers(links: _Links, fmt: str, parts: int) -> list[Callable[[IO[bytes]], None]]:
    return [functools.partial(SECTION_WRITERS[fmt], section=section, kg=links.kg, first=i == 0)
            for i, section in enumerate(_sections(links, parts))]


def write_ntriples_to(f: IO[bytes], kg: "CommentGraph") -> None:
    for write in _piece_writers(_Links(kg), "nt", 1):
        write(f)


def write_turtle_to(f: IO[bytes], kg: "CommentGraph") -> None:
    for write in _piece_writers(_Links(kg), "ttl", 1):
        write(f)


def write_jsonld_to(f: IO[bytes], kg: "CommentGraph") -> None:
    from .jsonld import serialize_jsonld

    f.write(serialize_jsonld(to_rdf(kg)))


RDF_FORMATS = {"ttl": "graph.ttl", "nt": "graph.nt", "jsonld": "graph.jsonld"}
WRITERS: dict[str, Callable[[IO[bytes], "CommentGraph"], None]] = {
    "ttl": write_turtle_to, "nt": write_ntriples_to, "jsonld": write_jsonld_to}


def render(kg: "CommentGraph", fmt: str) -> bytes:
    """The export in one of RDF_FORMATS, in memory (small graphs; files are streamed)."""
    buf = io.BytesIO()
    WRITERS[fmt](buf, kg)
    return buf.getvalue()


def to_rdf(kg: "CommentGraph") -> Graph:
    """The graph as an rdflib Graph (for SPARQL in memory and rdflib users)."""
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    g.parse(data=render(kg, "nt").decode("utf-8"), format="nt")
    return g


def write_turtle(kg: "CommentGraph", path: Path) -> Path:
    return write_atomic(path, render(kg, "ttl"))


def write_ntriples(kg: "CommentGraph", path: Path) -> Path:
    return write_atomic(path, render(kg, "nt"))


def ox_term(term):
    """An rdflib term as a pyoxigraph term (for binding values in store queries)."""
    import pyoxigraph as ox
    from rdflib import URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))
