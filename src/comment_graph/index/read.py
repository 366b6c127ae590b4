"""Answering from index.sqlite: the four questions of `CommentGraph` (related, comments_about,
comments_mentioning, near) with the same answers, ids, order, scores and evidence, read from a
few pages of the file instead of the whole graph.json. Imports numpy (for related's scores) and
the pydantic records the answers are, never scipy, rdflib or networkx: a cold process answers a
100,000-comment build in a fraction of a second."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from typing import TYPE_CHECKING

from ..errors import CommentGraphError, GraphIndexError
from ..models import Evidence, Hit, RelatedResult
from . import FORMAT, INDEX_FILE, VERSION, fingerprint

STATE_FILE = "graph.json"  # export.state's name, not imported: that module imports the whole build
CONTEXT = 60               # characters of context around evidence, as CommentGraph._evidence
CHUNK = 30_000             # ids per `IN (...)`: SQLite allows 32,766 parameters

if TYPE_CHECKING:  # numpy is imported by related() alone: the other questions start faster without it
    import numpy as np


def open_index(source: Path) -> GraphIndex | None:
    """The index of an output folder (or of the graph.json in one), or None when it has none
    (built by an earlier version). An index of another format or version, damaged, or made with
    another graph.json than the one beside it raises GraphIndexError: never an answer from the
    wrong graph."""
    source = Path(source)
    if not source.is_dir() and source.name != STATE_FILE:
        return None  # a graph.json renamed, say: whatever index is beside it is another file's
    folder = source if source.is_dir() else source.parent
    path = folder / INDEX_FILE
    if not path.is_file() or not (folder / STATE_FILE).is_file():
        return None
    return GraphIndex(path)


def _guarded(method):
    """A query the file cannot answer (damaged after the header, a table missing) is one line
    naming the index, not a traceback."""
    @functools.wraps(method)
    def guarded(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as e:
            raise GraphIndexError(f"the index cannot answer ({e}); rebuild to make it again",
                                  path=str(self.path)) from None
    return guarded


class GraphIndex:
    """One build's index, read-only. Answers as `CommentGraph` does (see graph.py)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            meta = dict(self.db.execute("SELECT key, value FROM meta"))
        except sqlite3.Error as e:
            raise GraphIndexError(f"unreadable index ({e}); rebuild to make it again", path=str(path)) from None
        if meta.get("format") != FORMAT or meta.get("version") != str(VERSION):
            raise GraphIndexError(f"an index of another version ({meta.get('format')} "
                                  f"{meta.get('version')}, this one reads {FORMAT} {VERSION}); rebuild to "
                                  "make it again", path=str(path))
        if meta.get("graph.json") != fingerprint(path.parent / STATE_FILE):
            raise GraphIndexError(f"the index does not belong to the {STATE_FILE} beside it (a later build "
                                  "by an earlier version, or a stopped one); rebuild to make it again",
                                  path=str(path))

    def close(self) -> None:
        self.db.close()

    # ---- lookups ------------------------------------------------------------------
    def _one(self, sql: str, *args):
        return self.db.execute(sql, args).fetchone()

    def _comment_row(self, comment_id: str) -> int:
        found = self._one("SELECT row FROM comments WHERE id = ?", comment_id)
        if found:
            return found[0]
        n = self._one("SELECT count(*) FROM comments")[0]
        if comment_id.startswith("#") and comment_id[1:].isdigit() and 0 < int(comment_id[1:]) <= n:
            return int(comment_id[1:]) - 1
        sample = ", ".join(i for (i,) in self.db.execute("SELECT id FROM comments ORDER BY row LIMIT 3"))
        raise CommentGraphError(f"no comment with id '{comment_id}' (ids look like: {sample}; or use '#1')")

    def find_entity(self, name: str, kind: str | None = None) -> tuple[int, str, str, str]:
        """(pos, id, kind, label) of the first entity, in the graph's order, with this id, label or
        alias (case-insensitive), as CommentGraph.find_entity."""
        found = self._one(
            "SELECT e.pos, e.id, e.kind, e.label FROM entities e WHERE e.pos IN "
            "(SELECT pos FROM entities WHERE id = ? UNION SELECT pos FROM names WHERE key = ?) "
            "AND (? IS NULL OR e.kind = ?) ORDER BY e.pos LIMIT 1", name, name.casefold(), kind, kind)
        if found is None:
            raise CommentGraphError(f"no {kind or 'entity'} called '{name}'")
        return found

    def _texts(self, rows: Iterable[int]) -> dict[int, tuple[str, str]]:
        """row -> (id, text) of these comments."""
        rows, out = sorted(set(rows)), {}
        for i in range(0, len(rows), CHUNK):
            part = rows[i:i + CHUNK]
            out.update((r, (cid, t)) for r, cid, t in self.db.execute(
                f"SELECT row, id, text FROM comments WHERE row IN ({','.join('?' * len(part))})", part))
        return out

    @staticmethod
    def _evidence(comment: tuple[str, str], start: int, end: int, surface: str | None,
                  in_quote: int) -> Evidence:
        cid, text = comment
        a, b = max(0, start - CONTEXT), min(len(text), end + CONTEXT)
        snippet = ("…" if a else "") + " ".join(text[a:b].split()) + ("…" if b < len(text) else "")
        return Evidence(comment_id=cid, start=start, end=end, surface=text[start:end] if surface is None else surface,
                        snippet=snippet, in_quote=bool(in_quote))

    # ---- the four questions -------------------------------------------------------
    @_guarded
    def comments_about(self, concept: str, k: int | None = None) -> list[Hit]:
        return self._comments_linked(self.find_entity(concept, "concept")[0], k)

    @_guarded
    def comments_mentioning(self, name: str, k: int | None = None) -> list[Hit]:
        return self._comments_linked(self.find_entity(name)[0], k)

    def _comments_linked(self, pos: int, k: int | None = None) -> list[Hit]:
        """As CommentGraph._comments_linked. The comments are ranked first (weight, then position),
        so the texts and evidence are read only for the k shown: a concept named in 30,000
        comments answers its top 20 at once."""
        weight = dict(self.db.execute("SELECT comment, weight FROM weights WHERE entity = ?", (pos,)))
        # equal weights and positions keep the order of first mention, as the graph's dict does
        found = self.db.execute("SELECT m.comment, c.position, min(m.seq) FROM mentions m JOIN positions c "
                                "ON c.row = m.comment WHERE m.entity = ? GROUP BY m.comment", (pos,)).fetchall()
        ranked = [r for r, *_ in sorted(found, key=lambda x: (-weight.get(x[0], 1.0), x[1], x[2]))[:k]]
        texts = self._texts(ranked)
        evidence: dict[int, list[Evidence]] = {r: [] for r in ranked}
        for r, *m in self._mentions_in(pos, ranked):
            if r in evidence:
                evidence[r].append(self._evidence(texts[r], *m))
        return [Hit(id=texts[r][0], label=texts[r][1][:80], score=weight.get(r, 1.0), evidence=evidence[r])
                for r in ranked]

    def _mentions_in(self, pos: int, rows: list[int]) -> list[tuple]:
        """(comment, start, end, surface, in_quote) of an entity's mentions in these comments, in order."""
        if len(rows) > CHUNK:  # most of them: read all
            return self.db.execute('SELECT comment, start, "end", surface, in_quote FROM mentions '
                                   "WHERE entity = ? ORDER BY seq", (pos,)).fetchall()
        return self.db.execute('SELECT comment, start, "end", surface, in_quote FROM mentions WHERE entity = ? '
                               f"AND comment IN ({','.join('?' * len(rows))}) ORDER BY seq", (pos, *rows)).fetchall()

    @_guarded
    def near(self, name: str, k: int = 10) -> list[Hit]:
        """As CommentGraph.near: entities of the same kind named in this one's comments, by the
        number of comments shared (+0.5 for a broader/narrower link), then label."""
        pos, eid, kind, _ = self.find_entity(name)
        # each entity named with this one: comments shared, and its first mention in them (its
        # evidence; it also orders equal scores and labels, as the graph's dict of them does)
        shared = self.db.execute("SELECT other, comments, first FROM comention WHERE entity = ? ORDER BY first",
                                 (pos,)).fetchall()
        links = {p for (p,) in self.db.execute(
            "SELECT e.pos FROM broader b JOIN entities e ON e.id = b.parent WHERE b.pos = ? "
            "UNION SELECT pos FROM broader WHERE parent = ?", (pos, eid))}
        scored = {p: n + (0.5 if p in links else 0.0) for p, n, _ in shared}
        scored.update({p: 0.5 for p in sorted(links) if p not in scored})
        labels = {p: (i, label) for p, i, label in self._entities(scored)}
        ranked = sorted(scored.items(), key=lambda x: (-x[1], labels[x[0]][1]))[:k]
        first = {p: seq for p, _, seq in shared}
        seqs = {p: first[p] if p in first else self._first_mention(p, pos) for p, _ in ranked}
        rows = {s: r for s, r in self._mentions(s for s in seqs.values() if s is not None)}
        texts = self._texts(r[0] for r in rows.values())
        return [Hit(id=labels[p][0], label=labels[p][1], score=s,
                    evidence=[self._evidence(texts[rows[seqs[p]][0]], *rows[seqs[p]][1:])] if seqs[p] is not None else [])
                for p, s in ranked]

    def _entities(self, positions: Iterable[int]) -> list[tuple[int, str, str]]:
        ps = sorted(positions)
        return [x for i in range(0, len(ps), CHUNK) for x in self.db.execute(
            f"SELECT pos, id, label FROM entities WHERE pos IN ({','.join('?' * len(ps[i:i + CHUNK]))})",
            ps[i:i + CHUNK])]

    def _first_mention(self, pos: int, near: int) -> int | None:
        """The first mention of an entity (linked, not named alongside) in the comments naming `near`."""
        return self._one("SELECT min(seq) FROM mentions WHERE entity = ? AND comment IN "
                         "(SELECT comment FROM mentions WHERE entity = ?)", pos, near)[0]

    def _mentions(self, seqs: Iterable[int]) -> list[tuple[int, tuple]]:
        ss = sorted(set(seqs))
        return [(s, (c, a, b, surface, q)) for s, c, a, b, surface, q in self.db.execute(
            f'SELECT seq, comment, start, "end", surface, in_quote FROM mentions '
            f"WHERE seq IN ({','.join('?' * len(ss))})", ss)] if ss else []

    @_guarded
    def related(self, comment_id: str, k: int = 5, *, min_score: float = 0.05) -> list[RelatedResult]:
        """As CommentGraph.related: the same vectors from the stored rows and columns, then the
        same scoring (related.blend, related.best, related.reasons)."""
        import numpy as np

        from ..related import best, blend, reasons

        q = self._comment_row(comment_id)
        n = int(np.frombuffer(self._one("SELECT data FROM arrays WHERE name = 'shape'")[0], "<i8")[0])
        ent_q, neigh_q, text_q = (self._slice(m, "rows", q) for m in ("entities", "neighbours", "text"))
        ent = self._dot("entities", ent_q, n)
        neigh = 0.5 * (self._dot("neighbours", ent_q, n) + self._dot("entities", neigh_q, n))
        text = self._dot("text", text_q, n)
        parent, post = (np.frombuffer(self._one("SELECT data FROM arrays WHERE name = ?", a)[0], "<i8")
                        for a in ("parent", "post"))
        score = blend(ent, text, neigh, q, parent, post)
        order = best(score, q, k, min_score)
        texts = self._texts(order)
        out = []
        for j in order:
            out.append(RelatedResult(comment_id=texts[j][0], score=round(float(score[j]), 4),
                                     reasons=reasons(self._shared(ent_q, j), text[j], neigh[j]),
                                     preview=texts[j][1][:100]))
        return out

    def _slice(self, matrix: str, axis: str, k: int) -> tuple[np.ndarray, np.ndarray]:
        import numpy as np

        found = self._one(f"SELECT ix, val FROM {matrix}_{axis} WHERE k = ?", k)
        if found is None:
            return np.zeros(0, "<i4"), np.zeros(0, "<f8")
        return np.frombuffer(found[0], "<i4"), np.frombuffer(found[1], "<f8")

    def _dot(self, matrix: str, row: tuple[np.ndarray, np.ndarray], n: int) -> np.ndarray:
        """matrix @ row, column by column in the row's order: each sum takes its terms in the
        order scipy's column-major product does, so it is the same float to the last bit."""
        import numpy as np

        out = np.zeros(n)
        for col, x in zip(row[0].tolist(), row[1].tolist()):
            ix, val = self._slice(matrix, "cols", col)
            out[ix] += val * x
        return out

    def _shared(self, ent_q: tuple[np.ndarray, np.ndarray], j: int) -> list[tuple[str, str, str, float]]:
        """(kind, label, id, product of weights) of each entity both comments are compared by."""
        ix_j, val_j = self._slice("entities", "rows", j)
        mine = dict(zip(ent_q[0].tolist(), ent_q[1].tolist()))
        both = [(c, mine[c] * v) for c, v in zip(ix_j.tolist(), val_j.tolist()) if c in mine]
        both = [(c, v) for c, v in both if v != 0]  # scipy's elementwise product keeps no zeros
        cols = dict((c, (kind, label, eid)) for c, eid, kind, label in self.db.execute(
            f"SELECT col, id, kind, label FROM columns WHERE col IN ({','.join('?' * len(both))})",
            [c for c, _ in both])) if both else {}
        return [(*cols[c], v) for c, v in both]
