"""Related comments: rarity-weighted shared entities, concept neighbourhoods, TF-IDF text
similarity and thread structure, blended, with every signal's contribution kept as a reason."""

from __future__ import annotations

import contextlib
import math
import os
import sys
import threading
from dataclasses import dataclass
from collections.abc import Iterable, Iterator
from itertools import chain, takewhile
from pathlib import Path
from typing import IO, TYPE_CHECKING

import numpy as np

from .models import Comment, Entity, Mention, Reason, RelatedResult, Subject

if TYPE_CHECKING:  # scipy is imported where the matrices are built: `index.read` scores without it
    from scipy import sparse

WEIGHTS = {"entities": 0.55, "text": 0.3, "neighbourhood": 0.15}
THREAD_BONUS = {"reply": 0.1, "same post": 0.05}
KIND_SIGNAL = {"concept": "concept", "person": "person", "organization": "organization", "work": "work"}


@dataclass
class RelatedIndex:
    """Sparse matrices over all comments, built once per graph and reused by every query."""

    ids: list[str]
    row: dict[str, int]
    entity_ids: list[str]
    entities: sparse.csr_matrix      # comments x entities, idf-weighted, rows L2-normalised
    neighbours: sparse.csr_matrix    # comments x entities, spread one step along concept links
    text: sparse.csr_matrix          # comments x terms, TF-IDF, rows L2-normalised
    parent: np.ndarray               # row of each comment's parent, -1 for none
    post: np.ndarray                 # id of each comment's post (title or URL), -1 for none


def _entity_links(row: dict[str, int], col: dict[str, int], mentions: list[Mention], subjects: list[Subject],
                  entities: dict[str, Entity]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each (comment row, entity column) link once, in (row, column) order, with the largest weight
    a subject or mention gives it. Computed in arrays: a dict of (comment, entity) keys took some
    400 MB at 100,000 comments (three million links), in a forked writer already copying pages."""
    unresolved = {eid for eid, e in entities.items() if e.unresolved}
    named = [m for m in mentions if m.kind != "concept" and m.entity_id not in unresolved]
    size = len(subjects) + len(named)
    r = np.fromiter(chain((row[s.comment_id] for s in subjects), (row[m.comment_id] for m in named)), np.int64, size)
    c = np.fromiter(chain((col[s.entity_id] for s in subjects), (col[m.entity_id] for m in named)), np.int64, size)
    w = np.fromiter(chain((s.weight for s in subjects), (0.5 if m.in_quote else 1.0 for m in named)), np.float64, size)
    key = r * max(1, len(col)) + c
    order = np.argsort(key, kind="stable")
    key = key[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if size else np.zeros(0, np.int64)
    best = np.maximum.reduceat(w[order], starts) if size else w
    return r[order][starts], c[order][starts], best


def _normalise(m: sparse.csr_matrix) -> sparse.csr_matrix:
    from scipy import sparse

    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.diags(1.0 / norms) @ m


def build_index(comments: list[Comment], entities: dict[str, Entity], mentions: list[Mention],
                subjects: list[Subject], text: sparse.csr_matrix | None = None) -> RelatedIndex:
    """`text`: `text_matrix(comments)`, where it was made already (see `CommentGraph.make_related_index`)."""
    from scipy import sparse

    ids = [c.id for c in comments]
    row = {cid: i for i, cid in enumerate(ids)}
    entity_ids = sorted(entities)
    col = {eid: j for j, eid in enumerate(entity_ids)}
    # the links in (row, column) order, as the matrix holds them (its entries are unique)
    r, c, weight = _entity_links(row, col, mentions, subjects, entities)
    n = len(ids)
    # each entity's idf once, as the float the per-link formula gives
    df = np.bincount(c, minlength=len(entity_ids)).tolist()
    idf = np.array([math.log(1 + n / d) if d else 0.0 for d in df])
    flag = np.array([0.0 if d == n and n > 2 else 1.0 for d in df])
    v = weight * idf[c] * flag[c]
    ent = sparse.csr_matrix((v, (r, c)), shape=(n, len(entity_ids)))
    links = _concept_links(entities, col)
    neigh = ent @ links if links.nnz else sparse.csr_matrix(ent.shape)
    return RelatedIndex(ids, row, entity_ids, _normalise(ent), _normalise(neigh),
                        text_matrix(comments) if text is None else text, *_thread_arrays(comments, row))


def _thread_arrays(comments: list[Comment], row: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    posts: dict[str, int] = {}
    parent = np.array([row.get(c.parent_id, -1) if c.parent_id else -1 for c in comments], dtype=np.int64)
    post = np.array([posts.setdefault(c.post_url or c.post_title, len(posts)) if (c.post_url or c.post_title)
                     else -1 for c in comments], dtype=np.int64)
    return parent, post


def _concept_links(entities: dict[str, Entity], col: dict[str, int]) -> sparse.csr_matrix:
    """Concept to broader/narrower concept, both ways, excluding the concept itself."""
    from scipy import sparse

    r, c = [], []
    for e in entities.values():
        for b in e.broader:
            if b in col:
                r += [col[e.id], col[b]]
                c += [col[b], col[e.id]]
    size = len(col)
    return sparse.csr_matrix(([1.0] * len(r), (r, c)), shape=(size, size))


def text_matrix(comments: list[Comment]) -> sparse.csr_matrix:
    return text_matrix_of(_own_text(c) for c in comments)


def text_matrix_of(texts: Iterable[str]) -> sparse.csr_matrix:
    """TF-IDF of the texts (comments without their quotes), read once: a helper process reads them
    from a file (`text_matrix_from_file`) instead of holding them all."""
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer

    counted = _Counted(texts)
    vec = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=1, token_pattern=r"(?u)\b[a-zA-Z][\w-]+\b")
    try:
        return vec.fit_transform(counted).tocsr()
    except ValueError:  # no word at all, or every word a stop word
        return sparse.csr_matrix((counted.n, 1))


class _Counted:
    """The texts, counted as they are read. A failure to read them is raised as a RuntimeError: as
    a ValueError (a JSON line cut short), it would pass for "no word at all" above."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.texts, self.n = texts, 0

    def __iter__(self) -> Iterator[str]:
        try:
            for text in self.texts:
                self.n += 1
                yield text
        except Exception as e:
            raise RuntimeError(f"cannot read the comments' texts: {e}") from e


def write_own_texts(comments: list[Comment], path: Path) -> None:
    """Each comment's own words (quotes left out), a JSON string a line, for `text_matrix_from_file`."""
    import json

    with open(path, "w", encoding="ascii") as f:
        for c in comments:
            f.write(json.dumps(_own_text(c)) + "\n")


def text_matrix_from_file(path: str, *, unlink: bool = False) -> sparse.csr_matrix:
    """`text_matrix` of the comments `write_own_texts` wrote to `path` (removed once open, with
    `unlink`: a file in the system's temporary folder is then gone even if this process is killed)."""
    import json

    with open(path, encoding="ascii") as f:
        if unlink:
            os.unlink(path)
        return text_matrix_of(json.loads(line) for line in f)


def _matrix_to_file(texts: str, out: str) -> int:
    """`text_matrix_from_file(texts)`, pickled to `out`: a helper's task. Left on disk, not sent
    back: the build takes it when the index is written, and until then no process holds it."""
    import pickle

    matrix = text_matrix_from_file(texts, unlink=True)
    with open(out, "wb") as f:
        pickle.dump(matrix, f, pickle.HIGHEST_PROTOCOL)
    return matrix.shape[0]


def text_matrix_meanwhile(comments: list[Comment], jobs: int) -> TextMatrixOnHelper | None:
    """related()'s TF-IDF matrix, started on a helper process as the build resolves: resolution
    runs on one core, and the matrix needs only the comments (some 10 s at 100,000 comments, which
    the write stage waited for before). A helper, not a fork: a forked process copied some 600 MB
    of the build's pages while resolution ran (docs/scale.md). None for a one-job or small build,
    or where no helper can start: the index writer then makes the matrix itself."""
    from .compute.helpers import HELPERS_MIN
    from .errors import ExportError

    if jobs < 2 or len(comments) < HELPERS_MIN or os.name != "posix":  # (helpers need POSIX: compute.helpers)
        return None
    try:
        return TextMatrixOnHelper(comments)
    except (OSError, ExportError):
        return None


class TextMatrixOnHelper:
    """related()'s TF-IDF matrix, made by a helper process (`compute.helpers`) from a temporary
    file of the comments' own words while the build resolves on the other core: resolution runs
    on one, and the matrix is some 10 s of work at 100,000 comments that the write stage no longer
    waits for. `result()` is the matrix, or None where the helper failed or made another number of
    rows than there are comments (the caller then makes it itself). The helper stops as soon as
    the matrix is on disk; the files go when it is taken, or when this object is dropped.

    Only the process that started the helper can wait for it (its answer arrives on a thread of
    that process): in a process forked since, `result()` is None at once and the files are left
    to their owner. A writer about to fork takes the matrix first (`CommentGraph.settle_text`)."""

    def __init__(self, comments: list[Comment]) -> None:
        """Raises OSError where the texts cannot be written, ExportError where no helper starts."""
        import tempfile
        import weakref

        from .compute.helpers import Helpers

        self.rows, self.owner = len(comments), os.getpid()
        folder = tempfile.mkdtemp(prefix="comment-graph-")
        texts, self.out = os.path.join(folder, "texts.jsonl"), os.path.join(folder, "matrix.pickle")
        self.held: list = []  # the helper, then the matrix's file: closed with the files if not before
        self._lock = threading.Lock()
        self._cleanup = weakref.finalize(self, _remove_files, self.owner, folder, self.held)
        write_own_texts(comments, Path(texts))
        helpers = Helpers(1)
        self.held.append(helpers)
        self.future = helpers.submit(_matrix_to_file, texts, self.out)
        made = weakref.WeakMethod(self._made)  # the helper's thread holds the future: not this object too
        self.future.add_done_callback(lambda _: (f := made()) is not None and f(helpers))

    def _made(self, helpers) -> None:
        """Run as the helper's answer arrives: the matrix's file is opened and unlinked at once, so a
        build killed from here on leaves nothing in the system's temporary folder; the helper, done,
        is closed on a thread of its own (closing waits for it to exit)."""
        self._open()
        if sys.is_finalizing():
            return  # the interpreter is exiting (a stop during resolution): its exit handlers close the helper
        with contextlib.suppress(RuntimeError):  # "can't create new thread at interpreter shutdown" (3.12)
            threading.Thread(target=helpers.close, daemon=True).start()

    def _open(self) -> IO[bytes] | None:
        """The matrix's file, opened and unlinked once (by whichever comes first: the callback above,
        or `result()`, which a future's waiters may reach before its callbacks run)."""
        with self._lock:
            if len(self.held) == 1:
                try:
                    self.held.append(open(self.out, "rb"))
                    os.unlink(self.out)
                    os.rmdir(os.path.dirname(self.out))  # empty now: the helper unlinked the texts
                except OSError:
                    self.held.append(None)  # the helper failed before writing it
            return self.held[1]

    def result(self) -> sparse.csr_matrix | None:
        import pickle

        if os.getpid() != self.owner:
            return None
        try:
            if self.future.result() != self.rows:
                return None
            f = self._open()
            if f is None:
                return None
            return pickle.load(f)
        except Exception:
            return None
        finally:
            self._cleanup()


def _remove_files(owner: int, folder: str, held: list) -> None:
    if os.getpid() != owner:  # a forked copy of the object: the helper and the files are its owner's
        return
    for h in held:
        if h is not None:
            h.close()
    for name in ("texts.jsonl", "matrix.pickle"):
        with contextlib.suppress(OSError):
            os.unlink(os.path.join(folder, name))
    with contextlib.suppress(OSError):
        os.rmdir(folder)


def _own_text(c: Comment) -> str:
    """The comment's words without the passages it quotes."""
    parts, pos = [], 0
    for q in sorted(c.quotes, key=lambda q: q.start):
        parts.append(c.text[pos:q.start])
        pos = q.end
    parts.append(c.text[pos:])
    return " ".join(parts)


def related(index: RelatedIndex, entities: dict[str, Entity], comment_id: str, k: int = 5,
            min_score: float = 0.05) -> list[RelatedResult]:
    q = index.row[comment_id]
    ent = _dot(index, "entities", index.entities[q])
    # one comment's concept next to a broader or narrower concept of the other, both ways
    neigh = 0.5 * (_dot(index, "neighbours", index.entities[q]) + _dot(index, "entities", index.neighbours[q]))
    text = _dot(index, "text", index.text[q])
    score = blend(ent, text, neigh, q, index.parent, index.post)
    out = []
    for j in best(score, q, k, min_score):
        a, b = index.entities[q], index.entities[j]
        shared = a.multiply(b)
        found = [(e.kind, e.label, e.id, float(val)) for col, val in zip(shared.indices, shared.data)
                 for e in [entities[index.entity_ids[col]]]]
        out.append(RelatedResult(comment_id=index.ids[j], score=round(float(score[j]), 4),
                                 reasons=reasons(found, text[j], neigh[j])))
    return out


def blend(ent: np.ndarray, text: np.ndarray, neigh: np.ndarray, q: int, parent: np.ndarray,
          post: np.ndarray) -> np.ndarray:
    """Every comment's score against comment `q` from its three similarities and the thread. The
    index (`index.read`) computes the same vectors from its stored matrices and calls this too:
    the same operations on the same numbers, so the same scores to the last bit."""
    score = WEIGHTS["entities"] * ent + WEIGHTS["text"] * text + WEIGHTS["neighbourhood"] * neigh
    score = score + _thread_bonus(parent, post, q)
    score[q] = -1.0
    return score


def best(score: np.ndarray, q: int, k: int, min_score: float) -> list[int]:
    """The rows of the k best scores, best first (ties by input order), none under `min_score`."""
    k = max(0, min(k, len(score) - 1))
    top = np.argpartition(-score, k)[:k] if 0 < k < len(score) else np.arange(len(score))[:k]
    order = sorted(top.tolist(), key=lambda j: (-score[j], j))
    return list(takewhile(lambda j: score[j] >= min_score, order))  # best first: the rest score lower


def _dot(index: RelatedIndex, name: str, row: sparse.csr_matrix) -> np.ndarray:
    """matrix @ row.T touching only the columns the query row uses (column-major copy, made once):
    a comment uses a few dozen terms, so this reads a small part of a 100,000-row matrix."""
    cache = index.__dict__.setdefault("_csc", {})
    if name not in cache:
        cache[name] = getattr(index, name).tocsc()
    m = cache[name]
    if row.nnz == 0:
        return np.zeros(m.shape[0])
    return np.asarray(m[:, row.indices] @ row.data).ravel()


def _thread_bonus(parent: np.ndarray, post: np.ndarray, q: int) -> np.ndarray:
    """A small bonus for the parent, the replies, and (less) other comments under the same post."""
    rows = np.arange(len(parent))
    reply = (rows == parent[q]) | (parent == q)
    same_post = (post == post[q]) & (post[q] >= 0) & ~reply
    return THREAD_BONUS["reply"] * reply + THREAD_BONUS["same post"] * same_post


def reasons(shared: list[tuple[str, str, str, float]], text: float, neigh: float) -> list[Reason]:
    """Why a comment scored: each entity both comments name ((kind, label, id, product of weights)), the
    wording, the neighbouring concepts. Ordered by contribution, then label, then entity id, so
    the order never depends on how the sparse rows happen to be laid out."""
    out = [Reason(signal=KIND_SIGNAL[kind], label=label, entity_id=eid,
                  contribution=round(WEIGHTS["entities"] * val, 4)) for kind, label, eid, val in shared]
    if text > 0:
        out.append(Reason(signal="text", label="similar wording (TF-IDF cosine)",
                          contribution=round(WEIGHTS["text"] * float(text), 4)))
    if neigh > 0:
        out.append(Reason(signal="neighbourhood", label="neighbouring concepts (broader/narrower)",
                          contribution=round(WEIGHTS["neighbourhood"] * float(neigh), 4)))
    return sorted(out, key=lambda r: (-r.contribution, r.label, r.entity_id or ""))
