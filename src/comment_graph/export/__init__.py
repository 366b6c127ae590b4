"""Exporters: RDF (Turtle), the HTML page, networkx. Each imports its heavy library lazily."""

from __future__ import annotations

import contextlib
import functools
import gc
import os
from collections.abc import Iterator
from collections.abc import Callable
from typing import IO
import shutil
import tempfile
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
    > 1 the functions run at the same time: in this process and in up to `jobs - 1` forked ones."""
    staged: list[tuple[str, str, Path]] = []
    pieces: dict[str, list[str]] = {}  # a file's first temporary -> the temporaries joined to it
    try:
        writers = []
        for kind, (path, data) in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            parts = data if isinstance(data, list) else [data]
            tmps = [_temporary(path) for _ in parts]
            staged.append((kind, tmps[0], path))
            pieces[tmps[0]] = tmps[1:]
            writers += [(tmp, part if callable(part) else functools.partial(_write_bytes, data=part))
                        for tmp, part in zip(tmps, parts)]
        if jobs > 1 and len(writers) > 1 and can_fork():
            with shared_heap():
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
    with open(first, "r+b") as out:  # not "ab": copy_file_range refuses a file opened to append
        out.seek(0, os.SEEK_END)
        for tmp in rest:
            with open(tmp, "rb") as piece:
                _append_file(piece, out)
            os.unlink(tmp)


def _append_file(piece: IO[bytes], out: IO[bytes]) -> None:
    copied = 0
    try:
        while n := os.copy_file_range(piece.fileno(), out.fileno(), 1 << 30):
            copied += n
    except (AttributeError, OSError):  # no copy_file_range here (not Linux, an old kernel)
        if copied:
            raise
        shutil.copyfileobj(piece, out, 1 << 24)


def can_fork() -> bool:
    """Whether worker processes can be forked here (not on Windows): they share the graph for free."""
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


_FROZEN = [0]  # how many shared_heap() blocks are open: only the outermost one unfreezes


@contextlib.contextmanager
def shared_heap() -> Iterator[None]:
    """The objects that exist now are left out of garbage collection until the block ends.

    While forked children run, a collection in a child would write to (and so copy) every page
    it inherited; and while a build runs, the comments and mentions of finished stages live on,
    so collections need not scan millions of them again and again. Blocks nest."""
    gc.freeze()
    _FROZEN[0] += 1
    try:
        yield
    finally:
        _FROZEN[0] -= 1
        if not _FROZEN[0]:
            gc.unfreeze()


def _write_bytes(f: IO[bytes], data: bytes) -> None:
    f.write(data)


def _stage(tmp: str, write: Callable[[IO[bytes]], None]) -> None:
    with open(tmp, "wb") as f:
        write(f)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files


def _run_forked(writers: list[tuple[str, Callable[[IO[bytes]], None]]], jobs: int) -> None:
    """The writers on `jobs` processes: this one and `jobs - 1` forked children, which share the
    graph copy-on-write (nothing is pickled). A child copies the pages it touches, so no more
    children run than there are other cores. A child's failure is raised here, as the same type."""
    import multiprocessing
    from multiprocessing.connection import wait

    ctx = multiprocessing.get_context("fork")
    pending, running, failure = list(writers), {}, None
    try:
        while pending and failure is None:
            if len(running) < jobs - 1 and len(pending) > 1:
                tmp, write = pending.pop(0)
                receive, send = ctx.Pipe(duplex=False)
                child = ctx.Process(target=_child_stage, args=(tmp, write, send), daemon=True)
                child.start()
                send.close()
                running[child.sentinel] = (child, receive)
            else:
                _stage(*pending.pop(0))  # this process writes too, rather than wait
                failure = _reap(running, wait(list(running), timeout=0), failure)
        while running:
            failure = _reap(running, wait(list(running)), failure)
    finally:
        for child, _ in running.values():
            child.terminate()
    if failure:
        kind, message = failure
        try:
            error = kind(message)
        except Exception:  # an exception type that wants more than a message
            error = ExportError(message)
        raise error


def _reap(running: dict, done: list, failure):
    """Collect finished children; the first failure reported (or an odd exit) is kept."""
    for sentinel in done:
        child, receive = running.pop(sentinel)
        error = _received(receive)
        child.join()
        if failure is None and (error or child.exitcode):
            failure = error or (RuntimeError, f"an output writer stopped with exit code {child.exitcode}")
    return failure


def _received(connection):
    """The child's report of a failure, or None (a child that succeeded closed its end unused)."""
    try:
        return connection.recv() if connection.poll() else None
    except EOFError:
        return None
    finally:
        connection.close()


def _child_stage(tmp: str, write: Callable[[IO[bytes]], None], send) -> None:
    try:
        _stage(tmp, write)
    except BaseException as e:  # reported to the parent, which raises it
        send.send((type(e) if isinstance(e, Exception) else RuntimeError, str(e)))
        raise SystemExit(1) from None
