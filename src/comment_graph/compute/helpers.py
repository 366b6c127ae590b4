"""Helper processes for the write stage of a local build: fresh Python interpreters that run
module-level functions on what they are sent, in the order sent, and send the results back.

Why not forked writers, as before: a process forked from the build shares its heap copy-on-write,
and reading a Python object writes its reference count, so every page of mentions and comments
that both processes touch is held twice. At 100,000 comments the forked writers copied about a
gigabyte, and the build's processes together peaked at 2.7 GB (docs/scale.md). A helper started
with `python -c` shares none of the build's pages: it holds only what it is sent (a range of
comments and their mention rows, a few at a time) and its own imports, some 50-150 MB.

Why not multiprocessing's "spawn": it runs the caller's main script again in the child, so a
script that calls `build()` without an `if __name__ == "__main__":` guard would build twice (or
fail). The helper runs only `main()` below, with the build's `sys.path`.

A call travels as one frame (an 8-byte length, then a pickle of the function, its arguments and
keywords) on the helper's standard input; the answer comes back on its standard output the same
way: (True, result) or (False, (exception type, message)). The helper ignores Ctrl-C (its build
handles it and closes the helpers) and dies with the build (`runtime.die_with_parent`)."""

from __future__ import annotations

import collections
import contextlib
import gc
import math
import os
import pickle
import socket
import struct
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from ..errors import ExportError

HELPERS_MIN = 2000  # comments: below this, starting a helper (its imports) costs more than it saves
RANGE = 2000  # comments a range of the RDF files: a second or so of a helper's work, a few MB of rows
IN_FLIGHT_PER_HELPER = 2  # ranges sent ahead of the one read: the helper starts the next at once
_HEADER = struct.Struct("<Q")
_BOOT = ("import sys; sys.path[:0] = sys.argv[3:]; from comment_graph.compute.helpers import main; "
         "main(int(sys.argv[1]), int(sys.argv[2]))")
SOCKET_BUFFER = 4 << 20  # bytes: a frame of a range crosses in a few sends


class Helpers:
    """`n` helper processes, as an engine (`compute.Engine`) for the RDF files' ranges of comments,
    and for single calls (`submit`). Close it (or use it as a context manager) to stop them."""

    name = "local"
    ships = True  # ranges are sent, pickled, to other processes
    shares_disk = True  # on this machine: they write the ranges' bytes to files, and send back the paths

    def __init__(self, n: int = 1) -> None:
        self.workers: list[_Helper] = []
        try:
            for _ in range(max(1, n)):
                self.workers.append(_Helper())
        except BaseException:
            self.close()
            raise
        self._next = 0

    def __enter__(self) -> Helpers:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def submit(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Future:
        """`fn(*args, **kwargs)` on the next helper in turn; its result (or exception) in the Future."""
        worker = self.workers[self._next % len(self.workers)]
        self._next += 1
        return worker.submit(fn, args, kwargs)

    def partitions(self, n: int) -> list[tuple[int, int]]:
        parts = max(1, math.ceil(n / RANGE))
        size = max(1, math.ceil(n / parts))
        return [(i, min(i + size, n)) for i in range(0, n, size)]

    def map(self, task: Callable[..., Any], comments: Sequence, bounds: Sequence[tuple[int, int]], shared: Any,
            own: Sequence[Any] | None = None) -> Iterator[tuple[int, Any]]:
        """As `Engine.map`: a window of partitions in flight, sent as earlier ones are read, so the
        helpers start on the first while this process packs the next, and hold a few results, not all."""
        bounds = list(bounds)
        flight: collections.deque = collections.deque()

        def send(k: int) -> None:
            a, b = bounds[k]
            flight.append((b, self.submit(task, list(comments[a:b]), a, None if own is None else own[k], shared=shared)))

        sent = min(IN_FLIGHT_PER_HELPER * len(self.workers), len(bounds))
        for k in range(sent):
            send(k)
        while flight:
            end, future = flight.popleft()
            result = future.result()
            if sent < len(bounds):
                send(sent)
                sent += 1
            yield end, result

    def close(self) -> None:
        """Stop every helper: those idle end at once, one still working is killed."""
        for worker in self.workers:
            worker.close()


class _Helper:
    """One helper process, on one end of a socket pair: a thread sending it calls, one reading answers.

    A socket, not pipes: a pipe gives at most 64 KB a read, and each read's thread then waits for
    the interpreter lock, which the writer running meanwhile holds for up to 5 ms a time: ranges of
    35 MB arrived slower than the helper wrote them, and the writers ran a third slower. A socket
    reads a whole frame in one call (MSG_WAITALL)."""

    def __init__(self) -> None:
        if os.name != "posix":  # the socket's end is passed as an inherited descriptor (pass_fds)
            raise ExportError("helper processes need POSIX descriptor passing; this process writes alone")
        ours, theirs = socket.socketpair()
        for end in (ours, theirs):
            for option in (socket.SO_SNDBUF, socket.SO_RCVBUF):
                with contextlib.suppress(OSError):
                    end.setsockopt(socket.SOL_SOCKET, option, SOCKET_BUFFER)
        package_root = str(Path(__file__).resolve().parents[2])
        command = [sys.executable, "-P", "-c", _BOOT, str(os.getpid()), str(theirs.fileno()), package_root, *sys.path]
        try:
            self.proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, pass_fds=(theirs.fileno(),))
        except (OSError, ValueError) as e:
            ours.close()
            raise ExportError(f"cannot start a helper process ({sys.executable}): {getattr(e, 'strerror', None) or e}") from e
        finally:
            theirs.close()
        self.sock = ours
        self.lock = threading.Lock()
        self.pending: collections.deque[Future] = collections.deque()
        self.outbox: collections.deque[bytes | None] = collections.deque()
        self.ready = threading.Condition(self.lock)
        self.ended: str | None = None
        threading.Thread(target=self._send, name="comment-graph-helper-send", daemon=True).start()
        threading.Thread(target=self._receive, name="comment-graph-helper-receive", daemon=True).start()

    def submit(self, fn: Callable[..., Any], args: tuple, kwargs: dict) -> Future:
        payload = pickle.dumps((fn, args, kwargs), pickle.HIGHEST_PROTOCOL)
        future: Future = Future()
        with self.ready:
            if self.ended is not None:
                future.set_exception(ExportError(self.ended))
                return future
            self.pending.append(future)
            self.outbox.append(payload)
            self.ready.notify()
        return future

    def _send(self) -> None:
        try:
            while True:
                with self.ready:
                    while not self.outbox:
                        self.ready.wait()
                    payload = self.outbox.popleft()
                if payload is None:
                    break
                _send_frame(self.sock, payload)
            self.sock.shutdown(socket.SHUT_WR)  # the helper reads the end, and leaves
        except OSError:
            pass  # the helper is gone: the receiving thread reports it

    def _receive(self) -> None:
        try:
            while (frame := _receive_frame(self.sock)) is not None:
                ok, value = pickle.loads(frame)
                with self.lock:
                    future = self.pending.popleft()
                if ok:
                    future.set_result(value)
                else:
                    future.set_exception(_rebuilt(*value))
        except (OSError, EOFError, pickle.UnpicklingError):
            pass
        code = self.proc.wait()
        with self.lock:
            self.ended = f"a helper process of the build ended (exit code {code}); --jobs 1 writes without helpers"
            left, self.pending = list(self.pending), collections.deque()
        for future in left:
            future.set_exception(ExportError(self.ended))

    def close(self) -> None:
        with self.ready:
            self.outbox.append(None)
            self.ready.notify()
            busy = bool(self.pending)
        if busy:
            self.proc.kill()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.sock.close()


def _rebuilt(kind: type, message: str) -> BaseException:
    """The helper's exception, raised here as the same type where it takes a message."""
    try:
        error = kind(message)
    except Exception:
        return ExportError(message)
    return error if isinstance(error, BaseException) else ExportError(message)


def _send_frame(sock: socket.socket, payload: bytes) -> None:
    sock.sendall(_HEADER.pack(len(payload)))
    sock.sendall(payload)


def _receive_exactly(sock: socket.socket, n: int) -> bytearray | None:
    """`n` bytes in one buffer, in one call where the kernel allows; None at the end of the stream."""
    buf = bytearray(n)
    view, got = memoryview(buf), 0
    while got < n:
        k = sock.recv_into(view[got:], n - got, socket.MSG_WAITALL)
        if not k:
            return None
        got += k
    return buf


def _receive_frame(sock: socket.socket) -> bytearray | None:
    header = _receive_exactly(sock, _HEADER.size)
    return None if header is None else _receive_exactly(sock, _HEADER.unpack(header)[0])


def main(parent: int, fd: int) -> None:
    """The helper's loop: calls in, answers out, until the build closes its end of the socket."""
    import signal

    from ..runtime import die_with_parent

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the build handles Ctrl-C, and closes its helpers
    die_with_parent(parent)
    sys.stdout = sys.stderr  # a stray print goes where the build's messages go, not into its output
    sock = socket.socket(fileno=fd)
    # No automatic collection during a call: a range's tens of thousands of mentions were scanned
    # again and again, and ranges took twice as long. What a call leaves is freed as it returns
    # (it makes next to no cycles); a collection after each call takes what it did make, and what
    # survives it (imports, caches) is frozen out of the next ones.
    gc.disable()
    while (frame := _receive_frame(sock)) is not None:
        _send_frame(sock, _answer(frame))
        gc.collect()
        gc.freeze()


def _answer(frame: bytearray) -> bytes:
    try:
        fn, args, kwargs = pickle.loads(frame)
        return pickle.dumps((True, fn(*args, **kwargs)), pickle.HIGHEST_PROTOCOL)
    except Exception as e:
        return pickle.dumps((False, (_picklable(type(e)), str(e)[:2000])), pickle.HIGHEST_PROTOCOL)


def _picklable(kind: type) -> type:
    try:
        pickle.dumps(kind)
    except Exception:
        return ExportError
    return kind
