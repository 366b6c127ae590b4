"""Writing index.sqlite at build time (see the package docstring for why SQLite), then stamping
it with the staged graph.json it belongs to, before the folder's outputs move into place."""

from __future__ import annotations

import shutil
from array import array
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING

import numpy as np

from ..models import ENTITY_KINDS as KINDS
from . import FORMAT, VERSION, fingerprint

if TYPE_CHECKING:
    from ..graph import CommentGraph

MATRICES = ("entities", "neighbours", "text")  # related()'s: stored by rows and by columns

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE comments (row INTEGER PRIMARY KEY, id TEXT NOT NULL, text TEXT NOT NULL);
CREATE TABLE positions (row INTEGER PRIMARY KEY, position INTEGER NOT NULL);
CREATE TABLE entities (pos INTEGER PRIMARY KEY, id TEXT NOT NULL, kind TEXT NOT NULL, label TEXT NOT NULL);
CREATE TABLE names (key TEXT NOT NULL, pos INTEGER NOT NULL);
CREATE TABLE broader (pos INTEGER NOT NULL, parent TEXT NOT NULL);
CREATE TABLE mentions (seq INTEGER PRIMARY KEY, entity INTEGER NOT NULL, comment INTEGER NOT NULL,
                       start INTEGER NOT NULL, "end" INTEGER NOT NULL, surface TEXT, in_quote INTEGER NOT NULL);
CREATE TABLE comention (entity INTEGER NOT NULL, other INTEGER NOT NULL, comments INTEGER NOT NULL,
                        first INTEGER NOT NULL, PRIMARY KEY (entity, other)) WITHOUT ROWID;
CREATE TABLE weights (entity INTEGER NOT NULL, comment INTEGER NOT NULL, weight REAL NOT NULL,
                      PRIMARY KEY (entity, comment)) WITHOUT ROWID;
CREATE TABLE columns (col INTEGER PRIMARY KEY, id TEXT NOT NULL, kind TEXT NOT NULL, label TEXT NOT NULL);
CREATE TABLE arrays (name TEXT PRIMARY KEY, data BLOB NOT NULL);
""" + "".join(f"CREATE TABLE {m}_{axis} (k INTEGER PRIMARY KEY, ix BLOB NOT NULL, val BLOB NOT NULL);\n"
              for m in MATRICES for axis in ("rows", "cols"))

# made after the rows are in: faster, and the same pages whatever order SQLite would split them in
INDEXES = """
CREATE UNIQUE INDEX comments_id ON comments (id);
CREATE INDEX entities_id ON entities (id);
CREATE INDEX names_key ON names (key, pos);
CREATE INDEX broader_parent ON broader (parent, pos);
CREATE INDEX mentions_entity ON mentions (entity, comment);
"""


def write_index_to(f: IO[bytes], kg: CommentGraph) -> None:
    """The index of `kg`, into the open staged file `f` (SQLite writes to a path of its own: a
    file beside the temporary, named so a killed build's leftovers sweep finds it, copied in)."""
    side = Path(f"{f.name}.db.tmp")
    side.unlink(missing_ok=True)
    try:
        write_index(kg, side)
        with open(side, "rb") as db:
            shutil.copyfileobj(db, f, 1 << 24)
    finally:
        side.unlink(missing_ok=True)


def write_index(kg: CommentGraph, path: Path) -> Path:
    """index.sqlite of `kg` at `path` (a new file), without the graph.json stamp (`stamp_index`)."""
    con = sqlite3.connect(path, isolation_level=None)
    try:
        # no journal: a failed write leaves a temporary that is removed anyway; one transaction
        for pragma in ("page_size = 4096", "journal_mode = OFF", "synchronous = OFF", f"user_version = {VERSION}"):
            con.execute(f"PRAGMA {pragma}")
        con.execute("BEGIN")
        _run(con, SCHEMA)  # statement by statement: executescript would commit first
        con.executemany("INSERT INTO meta VALUES (?, ?)", [("format", FORMAT), ("version", str(VERSION))])
        _records(con, kg)
        _matrices(con, kg)
        _run(con, INDEXES)
        con.execute("COMMIT")
    finally:
        con.close()
    return path


def _records(con: sqlite3.Connection, kg: CommentGraph) -> None:
    """Comments, entities (in the graph's order: `find_entity` takes the first that matches), the
    names they are found by, mentions (in the graph's order, which fixes every tie below), and
    each (concept, comment) weight (the last one given, as a dict of them keeps it)."""
    row = {c.id: i for i, c in enumerate(kg.comments)}
    pos = {eid: i for i, eid in enumerate(kg.entities)}
    con.executemany("INSERT INTO comments VALUES (?, ?, ?)", ((i, c.id, c.text) for i, c in enumerate(kg.comments)))
    # apart from the texts: ranking 30,000 comments then reads a few pages, not the texts' hundreds
    con.executemany("INSERT INTO positions VALUES (?, ?)", ((i, c.index) for i, c in enumerate(kg.comments)))
    con.executemany("INSERT INTO entities VALUES (?, ?, ?, ?)",
                    ((pos[e.id], e.id, e.kind, e.label) for e in kg.entities.values()))
    con.executemany("INSERT INTO names VALUES (?, ?)",
                    ((key, pos[e.id]) for e in kg.entities.values()
                     for key in dict.fromkeys([e.label.casefold(), *(a.casefold() for a in e.aliases)])))
    con.executemany("INSERT INTO broader VALUES (?, ?)",
                    ((pos[e.id], b) for e in kg.entities.values() for b in dict.fromkeys(e.broader)))
    entity, comment = array("q"), array("q")  # each mention's, kept as the table's rows are made
    con.executemany("INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?, ?)", _mention_rows(kg, row, pos, entity, comment))
    _comention(con, np.frombuffer(entity, np.int64), np.frombuffer(comment, np.int64),
               np.array([KINDS.index(e.kind) for e in kg.entities.values()], dtype=np.int64))
    _weights(con, kg, row, pos)


def _mention_rows(kg: CommentGraph, row: dict[str, int], pos: dict[str, int], entity: array, comment: array
                  ) -> Iterator[tuple]:
    """The mentions table's rows, in the graph's order; each mention's entity and comment are
    appended to `entity` and `comment` on the way (one pass over 3 million mentions, not three).
    The surface is the text it spans (the extractors' contract): stored only where it is not."""
    texts = [c.text for c in kg.comments]
    for seq, m in enumerate(kg.mentions):
        e, r = pos[m.entity_id], row[m.comment_id]
        entity.append(e)
        comment.append(r)
        yield seq, e, r, m.start, m.end, None if texts[r][m.start:m.end] == m.surface else m.surface, int(m.in_quote)


def _weights(con: sqlite3.Connection, kg: CommentGraph, row: dict[str, int], pos: dict[str, int]) -> None:
    """Each (concept, comment) weight, the last one given for a pair (as a dict of them keeps it),
    in (entity, comment) order. In arrays: a dict and a sorted list of a million tuples took some
    250 MB at 100,000 comments."""
    subjects = [s for s in kg.subjects if s.entity_id in pos]
    e = np.fromiter((pos[s.entity_id] for s in subjects), np.int64, len(subjects))
    c = np.fromiter((row[s.comment_id] for s in subjects), np.int64, len(subjects))
    w = np.fromiter((s.weight for s in subjects), np.float64, len(subjects))
    key = e * max(1, len(kg.comments)) + c
    order = np.argsort(key, kind="stable")
    key = key[order]
    last = order[np.flatnonzero(np.r_[key[1:] != key[:-1], True])] if len(key) else order
    con.executemany("INSERT INTO weights VALUES (?, ?, ?)", zip(e[last].tolist(), c[last].tolist(), w[last].tolist()))


COMMENTS_A_STEP = 5000


def _comention(con: sqlite3.Connection, entity: np.ndarray, comment: np.ndarray, kind: np.ndarray) -> None:
    """For each entity, each other entity of its kind named in a comment with it: in how many
    comments, and the first mention (in the graph's order) of the other in those comments: all
    `near` needs. A hub concept is in 60,000 of 100,000 comments; counting its neighbours when
    asked joined a million rows (seconds), here it is one pass of numpy over the pairs (SQLite's
    own join and GROUP BY took over a minute), a few thousand comments at a time."""
    if not len(entity):  # no mention at all (an empty build)
        return
    seq = np.arange(len(entity))
    order = np.lexsort((seq, entity, comment))  # by comment, entity, then mention order
    firsts = order[np.r_[True, (np.diff(comment[order]) != 0) | (np.diff(entity[order]) != 0)]]
    c, e = comment[firsts], entity[firsts]
    group = np.lexsort((e, kind[e], c))  # each comment's entities of one kind together
    c, e, s = c[group], e[group], firsts[group]
    parts, bounds = [], np.searchsorted(c, np.arange(0, c.max() + 1 + COMMENTS_A_STEP, COMMENTS_A_STEP))
    for a, b in zip(bounds[:-1], bounds[1:]):
        if b > a:
            parts.append(_pairs(c[a:b], kind[e[a:b]], e[a:b], s[a:b], len(kind)))
    key, n, first = _reduce(*(np.concatenate([p[i] for p in parts]) for i in range(3)))
    width = len(kind)
    con.executemany("INSERT INTO comention VALUES (?, ?, ?, ?)",
                    zip((key // width).tolist(), (key % width).tolist(), n.tolist(), first.tolist()))


def _pairs(c: np.ndarray, k: np.ndarray, e: np.ndarray, s: np.ndarray, width: int):
    """(entity * width + other, 1, first mention of other) for every ordered pair of distinct
    entities of one kind in one comment, reduced per pair."""
    starts = np.r_[True, (np.diff(c) != 0) | (np.diff(k) != 0)]
    group = np.cumsum(starts) - 1
    begin = np.flatnonzero(starts)
    size = np.diff(np.r_[begin, len(c)])[group]  # each row's group size
    a = np.repeat(np.arange(len(c)), size)
    b = np.arange(len(a)) - np.repeat(np.cumsum(size) - size, size) + np.repeat(begin[group], size)
    keep = a != b
    a, b = a[keep], b[keep]
    return _reduce(e[a] * width + e[b], np.ones(len(a), np.int64), s[b])


def _reduce(key: np.ndarray, n: np.ndarray, first: np.ndarray):
    """Per distinct key: the counts summed, the earliest first mention."""
    if not len(key):  # no two entities of a kind in any comment
        return key, n, first
    order = np.argsort(key, kind="stable")
    key, n, first = key[order], n[order], first[order]
    starts = np.flatnonzero(np.r_[True, np.diff(key) != 0])
    return key[starts], np.add.reduceat(n, starts), np.minimum.reduceat(first, starts)


def _matrices(con: sqlite3.Connection, kg: CommentGraph) -> None:
    """related()'s matrices as built in memory, each row and each column a pair of BLOBs: the row's
    indices in the order scipy holds them (sums then run in the same order) and its values."""
    index = kg.make_related_index()
    entities = kg.all_entities
    con.executemany("INSERT INTO columns VALUES (?, ?, ?, ?)",
                    ((j, eid, entities[eid].kind, entities[eid].label) for j, eid in enumerate(index.entity_ids)))
    con.executemany("INSERT INTO arrays VALUES (?, ?)",
                    [("parent", _blob(index.parent, "<i8")), ("post", _blob(index.post, "<i8")),
                     ("shape", _blob(np.array([len(index.ids), index.text.shape[1]]), "<i8"))])
    for name in MATRICES:
        m = getattr(index, name)
        for axis, table in (("rows", m.tocsr()), ("cols", m.tocsc())):
            con.executemany(f"INSERT INTO {name}_{axis} VALUES (?, ?, ?)", _slices(table))


def _slices(m) -> Iterator[tuple[int, bytes, bytes]]:
    """Streamed to SQLite: a list of every row's BLOBs held the matrix twice over."""
    ptr, ix, val = m.indptr, m.indices, m.data
    return ((k, _blob(ix[a:b], "<i4"), _blob(val[a:b], "<f8"))
            for k, (a, b) in enumerate(zip(ptr[:-1].tolist(), ptr[1:].tolist())) if b > a)


def _blob(a: np.ndarray, dtype: str) -> bytes:
    """Little-endian whatever the machine, so the file is the same bytes everywhere."""
    return np.ascontiguousarray(a, dtype=dtype).tobytes()


def stamp_index(index: Path, state: Path) -> None:
    """Record which graph.json the staged index belongs to (both staged, nothing moved yet)."""
    con = sqlite3.connect(index, isolation_level=None)
    try:
        con.execute("PRAGMA journal_mode = OFF")  # no -journal file beside the temporary
        con.execute("INSERT INTO meta VALUES ('graph.json', ?)", (fingerprint(state),))
    finally:
        con.close()



def _run(con: sqlite3.Connection, script: str) -> None:
    for statement in script.split(";"):
        if statement.strip():
            con.execute(statement)
