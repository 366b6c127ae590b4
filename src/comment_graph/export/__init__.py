"""Exporters: RDF, the HTML page, graph.json, networkx (each imports its heavy library lazily), and
the atomic staging they all write through: temporaries moved into place together. `folder.py`
writes a build's output folder with it."""

from __future__ import annotations

import errno
import functools
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, NamedTuple

from ..errors import ExportError
from ..runtime import can_fork, run_forked, shared_heap, signals_deferred


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes) -> Path:
    """Write to a temporary file beside `path`, then move it into place: never a half-written output."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as e:
        raise ExportError(f"{path}: cannot write: {e.strerror or e}") from e
    return path


class Arriving:
    """Pieces of several files made elsewhere (the RDF files' ranges of comments, by Dask workers or
    by helper processes): `chunks` yields, in order, one bytes (or the Path of a temporary file,
    moved in and removed) per file, each appended to that file's piece. They are received by a
    thread of this process while the other writers run; closing `chunks` gives up what has not
    arrived."""

    def __init__(self, chunks: Iterator[tuple[bytes | Path, ...]], files: int) -> None:
        self.chunks, self.files = chunks, files

    def piece(self, k: int) -> "ArrivingPiece":
        return ArrivingPiece(self, k)


class ArrivingPiece(NamedTuple):
    source: Arriving
    index: int


Content = bytes | Callable[[IO[bytes]], None] | list[Callable[[IO[bytes]], None] | ArrivingPiece]
# Given the staged files (kind -> temporary path, complete), makes more outputs beside them:
# kind -> (temporary path, final path). The store is made so, from the staged RDF.
MoreOutputs = Callable[[dict[str, Path]], dict[str, tuple[Path, Path]]]


def write_all_atomic(files: dict[str, tuple[Path, Content]], jobs: int = 1, *, more: MoreOutputs | None = None,
                     retire: Sequence[Path] = (), progress: Callable[[str, int, int], None] | None = None
                     ) -> dict[str, Path]:
    """Write every file to a temporary name first, then move them all into place: a failure or
    Ctrl-C while writing leaves every previous output as it was (only the renames remain, and
    SIGINT, SIGTERM and SIGHUP wait until they are done).

    A file's content is bytes, a function that writes it into the open file (streamed), or a
    list of such functions whose pieces, written separately, are joined in order; a piece may
    also arrive from elsewhere (`Arriving`: received by a thread meanwhile). With `jobs`
    > 1 the functions run at the same time: in this process and in up to `jobs - 1` forked ones,
    files in the order given and a file's pieces last first (the RDF file ends in a few unequal
    sections and starts with many equal ranges of comments, which best fill in at the end).

    `progress("write", done, total)` counts the writers this process runs, then `more`; what
    forked children or arriving pieces write is counted when it is all in.

    `more` makes further outputs (files or folders) from the staged files before anything moves;
    they move first, the files after them in reverse order (so the first file given is the last
    to change). `retire` names earlier outputs this set replaces by their absence: removed once
    the set is in place."""
    staged: list[tuple[str, str, Path]] = []
    pieces: dict[str, list[str]] = {}  # a file's first temporary -> the temporaries joined to it
    extra: dict[str, tuple[Path, Path]] = {}
    arriving: dict[Arriving, dict[int, str]] = {}
    try:
        writers = []
        for kind, (path, data) in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            parts = data if isinstance(data, list) else [data]
            first = _temporary(path)
            staged.append((kind, first, path))
            pieces[first] = []
            file_writers = []
            for n, part in enumerate(parts):
                tmp = first if n == 0 else _temporary(path)
                if n:
                    pieces[first].append(tmp)  # known at once: removed below whatever happens
                if isinstance(part, ArrivingPiece):
                    arriving.setdefault(part.source, {})[part.index] = tmp
                    continue
                file_writers.append((tmp, part if callable(part) else functools.partial(_write_bytes, data=part)))
            writers += reversed(file_writers)
        steps = _Steps(progress, len(writers) + (more is not None))
        with _receiving(arriving), shared_heap():
            if jobs > 1 and len(writers) > 1 and can_fork():
                # where pieces arrive, this process leaves the writing to its `jobs - 1` children: its
                # receiving thread would wait for the interpreter lock behind a writer (10,000 comments
                # on two cores: the ranges done on the workers in 7 s, received in 21-27 s). No more
                # children than that: each ends up with a private copy of much of the graph (reference
                # counts written to shared pages), some 4 GB at 100,000 comments
                tasks = [functools.partial(_stage, tmp, write) for tmp, write in writers]
                if arriving:
                    run_forked(tasks, jobs - 1, here=False)
                else:
                    run_forked(tasks, jobs)
            else:
                for tmp, write in writers:
                    _stage(tmp, write)
                    steps.one()
        steps.to(len(writers))  # what forked children wrote, and the pieces that arrived
        for first, rest in pieces.items():
            _join(first, rest)
        if more is not None:
            extra = more({kind: Path(tmp) for kind, tmp, _ in staged})
            steps.one()
        _move_into_place([*extra.values(), *((Path(tmp), path) for _, tmp, path in reversed(staged))], retire)
    except OSError as e:
        raise ExportError(f"cannot write: {e.strerror or e} ({e.filename or ''})") from e
    finally:
        for tmp in [t for first, rest in pieces.items() for t in (first, *rest)]:
            Path(tmp).unlink(missing_ok=True)
        for tmp, _ in extra.values():
            remove(tmp)
    return {kind: path for kind, _, path in staged} | {kind: path for kind, (_, path) in extra.items()}


class _Steps:
    """The write's progress, reported to `progress` (if any) as ("write", done, total)."""

    def __init__(self, progress: Callable[[str, int, int], None] | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0
        self.to(0)

    def one(self) -> None:
        self.to(self.done + 1)

    def to(self, done: int) -> None:
        if self.progress is not None and (done > self.done or done == 0):
            self.done = done
            self.progress("write", done, self.total)


class _receiving:
    """Receives the arriving pieces on a thread while the block runs (the block's writers may fork:
    the children run only their own writers and leave without flushing the thread's files). Leaving
    the block waits for the last piece and raises the thread's failure; a failure in the block
    stops the thread at its next chunk instead, and gives up the rest."""

    def __init__(self, arriving: dict[Arriving, dict[int, str]]) -> None:
        self.arriving, self.stop, self.error = arriving, threading.Event(), None
        self.thread = threading.Thread(target=self._receive, name="comment-graph-receive", daemon=True)

    def __enter__(self) -> None:
        if self.arriving:
            self.thread.start()

    def __exit__(self, kind, error, tb) -> None:
        if not self.arriving:
            return
        if kind is not None:
            self.stop.set()
        self.thread.join()
        if kind is None and self.error is not None:
            raise self.error

    def _receive(self) -> None:
        try:
            for source, tmps in self.arriving.items():
                self._receive_one(source, [tmps[k] for k in range(source.files)])
        except BaseException as e:  # raised in the writing thread, on leaving the block
            self.error = e

    def _receive_one(self, source: Arriving, tmps: list[str]) -> None:
        files = [open(tmp, "wb", buffering=0) for tmp in tmps]  # bytes written and files copied in, in order
        try:
            for chunk in source.chunks:
                if self.stop.is_set():
                    _discard(chunk)
                    return
                for f, data in zip(files, chunk, strict=True):
                    if isinstance(data, Path):  # written to a file by a helper on this machine
                        with open(data, "rb", buffering=0) as piece:
                            _append_file(piece, f)
                        data.unlink()
                    else:
                        _write_whole(f, data)
        finally:
            close = getattr(source.chunks, "close", None)
            if close is not None:
                close()  # what has not arrived is given up (a stop, a failure)
            for f in files:
                f.close()
        for tmp in tmps:
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files


def _write_whole(f, data: bytes) -> None:
    view = memoryview(data)
    while view:  # an unbuffered file may take less than it is given
        view = view[f.write(view):]


def _discard(chunk: tuple) -> None:
    for data in chunk:
        if isinstance(data, Path):
            data.unlink(missing_ok=True)


def _move_into_place(moves: list[tuple[Path, Path]], retire: Sequence[Path]) -> None:
    """Renames only, with signals held off until the last: a folder replacing a folder swaps with
    it (the old one is renamed aside, removed after), since a folder cannot be renamed over one."""
    aside: list[Path] = []
    with signals_deferred():
        for tmp, path in moves:
            if tmp.is_dir() and path.is_dir():
                old = Path(tempfile.mkdtemp(prefix=f".{path.name}.old.", dir=path.parent))
                os.replace(path, old / path.name)
                aside.append(old)
            os.replace(tmp, path)
        for path in retire:
            if path.is_dir():
                old = Path(tempfile.mkdtemp(prefix=f".{path.name}.old.", dir=path.parent))
                os.replace(path, old / path.name)
                aside.append(old)
            elif path.exists():
                path.unlink()
    for old in aside:  # slow for a large store, and no longer part of any output
        remove(old)


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _temporary(path: Path) -> str:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    return tmp


def _join(first: str, rest: list[str]) -> None:
    """Append the pieces to the first (in the kernel where it can: a gigabyte takes a second)."""
    if not rest:
        return
    # unbuffered: bytes copied by the kernel and by Python must land in the order given
    with open(first, "r+b", buffering=0) as out:
        out.seek(0, os.SEEK_END)
        for tmp in rest:
            with open(tmp, "rb", buffering=0) as piece:
                _append_file(piece, out)
            os.unlink(tmp)


def _append_file(piece, out) -> None:
    size, copied, start = os.fstat(piece.fileno()).st_size, 0, out.tell()
    try:
        while copied < size and (n := os.copy_file_range(piece.fileno(), out.fileno(), size - copied)):
            copied += n
    except (AttributeError, OSError):
        pass  # no copy_file_range here (not Linux, an old kernel, some file systems): copy below
    if copied < size:  # what the kernel did not copy (some file systems report 0 instead of failing)
        piece.seek(copied)
        shutil.copyfileobj(piece, out, 1 << 24)
    if out.tell() - start != size:
        raise OSError(errno.EIO, f"joined {out.tell() - start} bytes of a {size}-byte piece", out.name)


def _write_bytes(f: IO[bytes], data: bytes) -> None:
    f.write(data)


def _stage(tmp: str, write: Callable[[IO[bytes]], None]) -> None:
    with open(tmp, "wb") as f:
        write(f)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
