"""Exporters: RDF (Turtle), the HTML page, networkx. Each imports its heavy library lazily."""

from __future__ import annotations

import contextlib
import errno
import functools
import gc
import os
from collections.abc import Iterator
from collections.abc import Callable
from typing import IO
import shutil
import tempfile
import threading
from pathlib import Path

from ..errors import ExportError


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


Content = bytes | Callable[[IO[bytes]], None] | list[Callable[[IO[bytes]], None]]


def write_all_atomic(files: dict[str, tuple[Path, Content]], jobs: int = 1) -> dict[str, Path]:
    """Write every file to a temporary name first, then move them all into place: a failure or
    Ctrl-C while writing leaves every previous output as it was (only the renames remain).

    A file's content is bytes, a function that writes it into the open file (streamed), or a
    list of such functions whose pieces, written separately, are joined in order. With `jobs`
    > 1 the functions run at the same time: in this process and in up to `jobs - 1` forked ones,
    files in the order given and a file's pieces last first (the RDF file ends in a few unequal
    sections and starts with many equal ranges of comments, which best fill in at the end)."""
    staged: list[tuple[str, str, Path]] = []
    pieces: dict[str, list[str]] = {}  # a file's first temporary -> the temporaries joined to it
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
                file_writers.append((tmp, part if callable(part) else functools.partial(_write_bytes, data=part)))
            writers += reversed(file_writers)
        with shared_heap():
            if jobs > 1 and len(writers) > 1 and can_fork():
                _run_forked(writers, jobs)
            else:
                for tmp, write in writers:
                    _stage(tmp, write)
        for first, rest in pieces.items():
            _join(first, rest)
        for _, tmp, path in staged:
            os.replace(tmp, path)
    except OSError as e:
        raise ExportError(f"cannot write: {e.strerror or e} ({e.filename or ''})") from e
    finally:
        for tmp in [t for first, rest in pieces.items() for t in (first, *rest)]:
            Path(tmp).unlink(missing_ok=True)
    return {kind: path for kind, _, path in staged}


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


def can_fork() -> bool:
    """Whether worker processes can be forked here (not on Windows): they share the graph for free."""
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


class _Heap:
    """What the open shared_heap() blocks share: how many are open (in any thread), and what the
    outermost one found when it opened, to put back when the last one closes."""

    lock = threading.Lock()
    depth = 0
    collecting = True    # automatic collection was on
    caller_froze = False  # the caller had frozen objects itself: leave the frozen set as it is


@contextlib.contextmanager
def shared_heap() -> Iterator[None]:
    """The objects that exist now are left out of garbage collection, and automatic collection
    is paused, until the block ends. Blocks nest, in one thread or several; when the last one
    closes, collection is switched back on if it was on, and the frozen objects are unfrozen
    unless the caller had frozen some before (unfreezing cannot tell theirs from ours).

    While forked children run, a collection in a child would write to (and so copy) every page
    it inherited. While a build runs, the comments and mentions of finished stages live on, so
    collections would scan millions of them again and again; and what the stages make (tuples,
    lists, mentions) holds almost no reference cycles, so the collector finds little to free:
    with it paused, 100,000 comments built in a fifth less time and the same memory."""
    with _Heap.lock:
        if not _Heap.depth:
            _Heap.collecting, _Heap.caller_froze = gc.isenabled(), gc.get_freeze_count() > 0
            gc.disable()
        _Heap.depth += 1
        gc.freeze()
    try:
        yield
    finally:
        with _Heap.lock:
            _Heap.depth -= 1
            if not _Heap.depth:
                if not _Heap.caller_froze:
                    gc.unfreeze()
                if _Heap.collecting:
                    gc.enable()


def _write_bytes(f: IO[bytes], data: bytes) -> None:
    f.write(data)


def _stage(tmp: str, write: Callable[[IO[bytes]], None]) -> None:
    with open(tmp, "wb") as f:
        write(f)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files


def _run_forked(writers: list[tuple[str, Callable[[IO[bytes]], None]]], jobs: int) -> None:
    """The writers on `jobs` processes: this one and `jobs - 1` children forked once, which share
    the graph copy-on-write (nothing is pickled). Each process takes the next writer as soon as it
    is free, in the order given (so put the longest first). A child's failure is raised here, as
    the same type, and stops the handing out of writers."""
    import multiprocessing
    from multiprocessing.connection import wait

    ctx = multiprocessing.get_context("fork")
    turn = ctx.Value("i", 0)  # the index of the next writer to take
    children = {}
    try:
        for _ in range(min(jobs, len(writers)) - 1):
            receive, send = ctx.Pipe(duplex=False)
            child = ctx.Process(target=_child_writes, args=(writers, turn, send), daemon=True)
            child.start()
            send.close()
            children[child.sentinel] = (child, receive)
        try:
            _writes(writers, turn)
        except BaseException:  # this process's writer failed: the children stop (finally, below)
            _stop(turn, len(writers))
            raise
        failure = None
        while children:
            failure = _reap(children, wait(list(children)), failure, turn, len(writers))
    finally:
        for child, _ in children.values():
            child.terminate()
        for child, _ in children.values():
            child.join(5)  # gone before the temporaries are removed, and not left a zombie
    if failure:
        kind, message = failure
        try:
            error = kind(message)
        except Exception:  # an exception type that wants more than a message
            error = ExportError(message)
        raise error


def _writes(writers: list[tuple[str, Callable[[IO[bytes]], None]]], turn) -> None:
    """Take writers in turn until none is left."""
    while True:
        with turn.get_lock():
            i = turn.value
            turn.value += 1
        if i >= len(writers):
            return
        _stage(*writers[i])


def _stop(turn, n: int) -> None:
    with turn.get_lock():
        turn.value = n


def _reap(running: dict, done: list, failure, turn, n: int):
    """Collect finished children; the first failure reported (or an odd exit) is kept."""
    for sentinel in done:
        child, receive = running.pop(sentinel)
        error = _received(receive)
        child.join()
        if failure is None and (error or child.exitcode):
            failure = error or (RuntimeError, f"an output writer stopped with exit code {child.exitcode}")
            _stop(turn, n)
    return failure


def _received(connection):
    """The child's report of a failure, or None (a child that succeeded closed its end unused)."""
    try:
        return connection.recv() if connection.poll() else None
    except EOFError:
        return None
    finally:
        connection.close()


def _child_writes(writers: list[tuple[str, Callable[[IO[bytes]], None]]], turn, send) -> None:
    try:
        _writes(writers, turn)
    except BaseException as e:  # no more writers are handed out; the parent raises it
        _stop(turn, len(writers))
        # a short message: a long one would fill the pipe while the parent waits for this process to end
        send.send((type(e) if isinstance(e, Exception) else RuntimeError, str(e)[:2000]))
        raise SystemExit(1) from None
