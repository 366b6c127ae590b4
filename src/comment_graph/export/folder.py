"""A build's output folder: graph.json, index.sqlite, graph.html, the RDF files and the Oxigraph store, written
as one set (staged, then moved in together), by one build at a time, each build first removing
what killed builds left there and last what the earlier build made and this one does not."""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..compute.helpers import HELPERS_MIN, Helpers
from ..errors import ExportError
from ..runtime import cheap_to_fork, shared_heap
from . import remove, write_all_atomic

if TYPE_CHECKING:
    from ..compute import Engine
    from ..graph import CommentGraph

PIECES_PER_JOB = 4  # ranges of comments each writer process takes of the RDF file


def write_folder(kg: CommentGraph, out: Path, formats: tuple[str, ...], *, store: bool,
                 progress: Callable[[str, int, int], None] | None = None) -> dict[str, Path]:
    """See `comment_graph.write`."""
    from .rdf import RDF_FORMATS

    unknown = set(formats) - set(RDF_FORMATS)
    if unknown:
        raise ExportError(f"unknown RDF format(s) {', '.join(sorted(unknown))}; choose from {', '.join(RDF_FORMATS)}")
    if store and not {"nt", "ttl"} & set(formats):
        formats += ("nt",)  # the store is loaded from N-Triples or Turtle
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ExportError(f"{out}: cannot create output folder: {e.strerror or e}") from e
    names = output_names()
    retire = [out / name for kind, name in names.items() if kind not in {*formats, "state", "index", "html"}
              and (kind != "store" or not store)]
    with output_lock(out):
        remove_leftovers(out, list(names.values()))  # before the helpers make temporaries of their own
        written = _write_with(kg, out, formats, store, retire, progress)
    return {kind: written[kind] for kind in (*formats, "html", "state", "index", *(["store"] if store else []))}


def _write_with(kg: CommentGraph, out: Path, formats: tuple[str, ...], store: bool, retire: list[Path],
                progress: Callable[[str, int, int], None] | None) -> dict[str, Path]:
    """The outputs staged and moved into place, with the helpers or cluster the build has (`_engine`)."""
    names = output_names()
    with _engine(kg, out) as engine:
        # a local build writes in this process, its helpers (if any) the RDF's ranges of comments; with
        # Dask, this process's writers are forked where the copies they make are affordable
        jobs = kg.config.jobs if kg.config.engine != "local" and cheap_to_fork(len(kg.raw_mentions or kg.mentions)) \
            else 1
        if jobs > 1:
            kg.settle_text()  # a forked index writer cannot wait for this process's helper
        try:
            files = _output_files(kg, out, formats, jobs, engine)
            with shared_heap():  # the links gathered for the RDF are millions of tuples: no collections
                written = write_all_atomic(files, jobs=jobs, retire=retire,
                                           more=functools.partial(_stamped, out=out, store=store), progress=progress)
        except BaseException:
            if isinstance(engine, Helpers):
                engine.close()  # before the sweep: a helper still writing a range would leave it behind
            # a stop can land between a temporary's creation and its registration for removal:
            # under the lock, every temporary in the folder is this build's
            remove_leftovers(out, list(names.values()))
            raise
    return written


def output_names() -> dict[str, str]:
    """Every output a build can make in its folder, by kind."""
    from ..index import INDEX_FILE
    from ..sparql import STORE_DIR
    from .rdf import RDF_FORMATS
    from .state import STATE_FILE

    return {"state": STATE_FILE, "index": INDEX_FILE, "html": "graph.html", **RDF_FORMATS, "store": STORE_DIR}




@contextlib.contextmanager
def _engine(kg: CommentGraph, out: Path) -> Iterator[Engine | None]:
    """Where the RDF's ranges of comments are written, if not by this process's own writers.

    A local build with `--jobs` > 1 starts `jobs - 1` helper processes (`compute.helpers`) for them,
    and for related()'s TF-IDF matrix, which the index needs last: they share no page of the graph,
    where forked writers copied most of it (2.7 GB for the build's processes together at 100,000
    comments, against 1.9 GB so). A build with `--engine dask` writes them on its cluster: its
    scheduler, or the local cluster the command line keeps open from the build. None for a small
    or one-job local build, or where a local cluster would have to be started just for this: its
    start-up and imports cost more than the forked writers do on the same machine."""
    from ..compute import in_session, open_engine

    if kg.config.engine == "local":
        helpers = _started_helpers(kg.config.jobs - 1) if kg.config.jobs > 1 and len(kg.comments) >= HELPERS_MIN \
            else None
        if helpers is None:
            yield None
            return
        with helpers, _text_matrix_on(helpers, kg, out):
            yield helpers
        return
    if kg.config.scheduler is None and not in_session(kg.config):
        yield None
        return
    with open_engine(kg.config) as engine:
        yield engine


def _started_helpers(n: int) -> Helpers | None:
    """`n` helpers, or None where none can be started (no interpreter to run: an embedded or frozen
    Python; no descriptor passing: Windows): this process then writes everything itself."""
    try:
        return Helpers(n)
    except ExportError:
        return None


@contextlib.contextmanager
def _text_matrix_on(helpers, kg: CommentGraph, out: Path) -> Iterator[None]:
    """related()'s TF-IDF matrix made by a helper while this process writes the other outputs (the
    index, which needs it, is written last), where the build did not have it made already (a
    graph whose related() took it). The comments' own words go to it in a file, read a line at a
    time: sent whole, a helper held 220 MB of texts."""
    import tempfile

    from ..index import INDEX_FILE
    from ..related import text_matrix_from_file, write_own_texts

    if kg.text_prefetched:
        yield
        return
    fd, name = tempfile.mkstemp(prefix=f".{INDEX_FILE}.", suffix=".tmp", dir=out)  # swept if the build is killed
    os.close(fd)
    path = Path(name)
    try:
        write_own_texts(kg.comments, path)
        kg.prefetch_text(_OrNone(helpers.submit(text_matrix_from_file, name), len(kg.comments)))
        yield
    finally:
        path.unlink(missing_ok=True)


class _OrNone:
    """The pending matrix, or None where it failed or came back with another number of rows than the
    graph has comments: the index writer then makes it itself."""

    def __init__(self, future, rows: int) -> None:
        self.future, self.rows = future, rows

    def result(self):
        try:
            matrix = self.future.result()
        except Exception:
            return None
        return matrix if matrix.shape[0] == self.rows else None


def _output_files(kg: CommentGraph, out: Path, formats: tuple[str, ...], jobs: int, engine: Engine | None = None) -> dict:
    """kind -> (path, content) for write_all_atomic, in the order they are written: graph.json and
    the page first, then the RDF file's sections last first (what the comments share, the
    entities, the rankings: unequal), then its ranges of comments, which the helpers or a
    cluster's workers (`engine`) write instead where there are some, and the index last: it
    waits for related()'s TF-IDF matrix where a helper makes it. graph.json, first here, is the
    last output moved into place: the store's and the index's stamps name it."""
    from ..index import INDEX_FILE
    from ..index.write import write_index_to
    from .html import render_html
    from .rdf import RDF_FORMATS, rdf_writers
    from .rdf.remote import remote_writers
    from .rdf.writers import SECTION_WRITERS
    from .state import STATE_FILE, write_state_to

    pieces = PIECES_PER_JOB * jobs if jobs > 1 else 1
    files: dict = {"state": (out / STATE_FILE, functools.partial(write_state_to, kg=kg)),
                   "html": (out / "graph.html", lambda f: f.write(render_html(kg).encode("utf-8")))}
    remote = engine is not None and engine.ships
    rdf = rdf_writers(kg, [f for f in formats if not remote or f not in SECTION_WRITERS], pieces)
    if remote and engine is not None:
        rdf |= remote_writers(kg, [f for f in formats if f in SECTION_WRITERS], engine, out)
    index = {"index": (out / INDEX_FILE, functools.partial(write_index_to, kg=kg))}
    return files | {fmt: (out / RDF_FORMATS[fmt], rdf[fmt]) for fmt in formats} | index


def _stamped(staged: dict[str, Path], out: Path, store: bool) -> dict[str, tuple[Path, Path]]:
    """Once every file is staged: the index stamped with the staged graph.json it was made with,
    and the store, when asked for."""
    from ..index.write import stamp_index

    stamp_index(staged["index"], staged["state"])
    return _staged_store(staged, out) if store else {}


def _staged_store(staged: dict[str, Path], out: Path) -> dict[str, tuple[Path, Path]]:
    """The Oxigraph store, loaded from the staged N-Triples (or Turtle) before any output moves,
    and stamped with the staged graph.json it belongs to."""
    from ..sparql import STORE_DIR, stage_store

    n_triples = "nt" in staged  # the faster to load
    source = staged["nt" if n_triples else "ttl"]
    return {"store": (stage_store(source, out, n_triples=n_triples, anchor=staged["state"]), out / STORE_DIR)}


def leftovers(folder: Path, names: Sequence[str]) -> list[Path]:
    """Temporaries of earlier builds into `folder` that were killed before they could remove them
    (`.graph.ttl.k3j9.tmp`, `.store.x81d`, `.store.old.q0e2`): every name the staging above makes
    from an output's name. Only safe to remove under `output_lock`."""
    found = []
    for entry in sorted(folder.iterdir()) if folder.is_dir() else []:
        for name in names:
            prefix = f".{name}."
            if entry.name.startswith(prefix) and (entry.name.endswith(".tmp") or entry.is_dir()):
                found.append(entry)
                break
    return found


def remove_leftovers(folder: Path, names: Sequence[str]) -> None:
    for path in leftovers(folder, names):
        remove(path)


@contextlib.contextmanager
def output_lock(folder: Path) -> Iterator[None]:
    """Only one build writes into a folder at a time: two at once mixed their files and stores.
    The lock is on the folder itself (flock), so a killed build holds it no longer and no lock
    file is left behind. Where flock is missing (Windows) builds are not guarded."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as e:
        raise ExportError(f"{folder}: cannot open the output folder: {e.strerror or e}") from e
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ExportError(f"{folder}: another build is writing into this folder; wait for it to end "
                              "or choose another --out") from None
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


@contextlib.contextmanager
def page_lock(page: Path) -> Iterator[None]:
    """A build folder's own graph.html is read and rewritten (`comment-graph html OUTPUT_DIR`) under
    the lock builds take: a build running meanwhile neither removes the page's temporary nor has
    its new page replaced by one drawn from the graph.json it just replaced."""
    names = output_names()
    if page.name == names["html"] and (page.parent / names["state"]).is_file():
        with output_lock(page.parent):
            yield
    else:
        yield


def page_path(source: Path | None, built: bool, around: str | None, depth: int) -> Path:
    """Where `comment-graph html` writes without --out: a build's own graph.html only for that
    build (`built`: SOURCE is its folder or graph.json), never for an input; `around` is the id of
    a neighbourhood page's entity ("person/yann-lecun": unique, where labels like "C++" and "C#"
    would share a slug)."""
    from ..ingest.decode import STDIN
    from ..text import slug

    part = f"around-{slug(around.replace('/', '-'), limit=90)}-d{depth}" if around else ""
    if built:  # a graph.json's own page is the graph.html beside it
        own = source / "graph.html" if source.is_dir() else source.with_suffix(".html")
        return own.with_name(f"{part}.html") if part else own
    stem = "sample" if source is None else "stdin" if str(source) == STDIN else source.stem
    stem += "-input" if stem.casefold() == "graph" else ""  # an input graph.txt: not output/graph.html
    return Path("output") / f"{'-'.join(filter(None, (stem, part)))}.html"
