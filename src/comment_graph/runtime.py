"""Process machinery, in one place: pausing garbage collection (`shared_heap`), whether worker
processes can be forked (`can_fork`), how much memory the machine has free, whether forked writers
are affordable, the two forked pools (`forked_map` for the build's stages, `run_forked` for the
output writers), how children die with their parent, and how signals are held off while
outputs move into place (`signals_deferred`). Nothing here knows about comments or files."""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence

from .errors import ExportError


def available_memory() -> int:
    """Bytes the machine can give without swapping (Linux: MemAvailable), 0 where unknown."""
    try:
        with open("/proc/meminfo") as f:
            return next(int(line.split()[1]) * 1024 for line in f if line.startswith("MemAvailable:"))
    except (OSError, StopIteration, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return 0


# A forked writer copies every page it touches: about this much per mention (measured).
FORK_COPY_BYTES_PER_MENTION = 700
FORK_COPY_BUDGET_MB = 512


def cheap_to_fork(mentions: int) -> bool:
    """Whether writers in forked processes are affordable for a graph of this many mentions: their
    copies fit in 512 MB, or in half the memory the machine has free. Otherwise one process writes
    alone: slower, but memory stays flat."""
    copy = mentions * FORK_COPY_BYTES_PER_MENTION
    return copy <= max(FORK_COPY_BUDGET_MB * 2**20, available_memory() // 2)


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


def freeze_survivors() -> None:
    """Inside a shared_heap: what exists now (a finished stage's output) is left out of every later
    collection too, so millions of mentions are not scanned again and again."""
    gc.freeze()


def forked_map(task: Callable[[int, int], object], bounds: Sequence[tuple[int, int]], jobs: int
               ) -> Iterator[tuple[int, object]]:
    """(end, task(start, end)) for each of `bounds`, in order, computed in `jobs` forked processes.
    What the task reads it inherits at the fork, not pickled: only the bounds go to a worker and
    only its results come back. The workers are forked inside a shared_heap, so they run with
    automatic garbage collection off: they live as long as the stage and make few cycles."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with shared_heap(), ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"),
                                            initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
        for (_, end), result in zip(bounds, pool.map(task, *zip(*bounds))):
            yield end, result


def run_forked(tasks: list[Callable[[], None]], jobs: int, *, here: bool = True) -> None:
    """The tasks on `jobs` processes: this one and `jobs - 1` children forked once, which share
    the graph copy-on-write (nothing is pickled). Each process takes the next task as soon as it
    is free, in the order given (so put the longest first). A child's failure is raised here, as
    the same type, and stops the handing out of tasks. With `here` false, `jobs` children run them
    and this process only waits (a thread of it has other work: receiving pieces)."""
    import multiprocessing
    from multiprocessing.connection import wait

    ctx = multiprocessing.get_context("fork")
    turn = ctx.Value("i", 0)  # the index of the next task to take
    children = {}
    try:
        for _ in range(min(jobs, len(tasks)) - (1 if here else 0)):
            receive, send = ctx.Pipe(duplex=False)
            child = ctx.Process(target=_child_runs, args=(tasks, turn, send, os.getpid()), daemon=True)
            child.start()
            send.close()
            children[child.sentinel] = (child, receive)
        try:
            if here:
                _runs(tasks, turn)
        except BaseException:  # this process's task failed: the children stop (finally, below)
            _stop(turn, len(tasks))
            raise
        failure = None
        while children:
            failure = _reap(children, wait(list(children)), failure, turn, len(tasks))
    finally:
        for child, _ in children.values():
            child.terminate()
        for child, _ in children.values():
            child.join(5)  # gone before the caller cleans up after them, and not left a zombie
    if failure:
        kind, message = failure
        try:
            error = kind(message)
        except Exception:  # an exception type that wants more than a message
            error = ExportError(message)
        raise error


def _runs(tasks: list[Callable[[], None]], turn) -> None:
    """Take tasks in turn until none is left."""
    while True:
        with turn.get_lock():
            i = turn.value
            turn.value += 1
        if i >= len(tasks):
            return
        tasks[i]()


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


def _child_runs(tasks: list[Callable[[], None]], turn, send, parent: int) -> None:
    die_with_parent(parent)
    try:
        _runs(tasks, turn)
    except BaseException as e:  # no more tasks are handed out; the parent raises it
        _stop(turn, len(tasks))
        # a short message: a long one would fill the pipe while the parent waits for this process to end
        send.send((type(e) if isinstance(e, Exception) else RuntimeError, str(e)[:2000]))
        raise SystemExit(1) from None


PR_SET_PDEATHSIG = 1  # linux/prctl.h
WATCHDOG_SECONDS = 1.0


def parent_death_signal(signum: int = signal.SIGKILL) -> Callable[[], None] | None:
    """A function that, called in a child (after fork, before or without exec), has Linux send it
    `signum` when its parent dies, even by SIGKILL (prctl PR_SET_PDEATHSIG); None elsewhere.
    libc is loaded here, in the parent, so the child only makes the call."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
    return lambda: libc.prctl(PR_SET_PDEATHSIG, signum)


def die_with_parent(parent: int) -> None:
    """Called first in every forked worker, with the pid of the process that forked it (taken
    before the fork: read in the child, it may already be init's): a build killed with -9 left
    its workers computing for minutes, each holding a copy of the corpus. The kernel kills the
    worker when the parent dies (Linux); a watchdog thread does the same elsewhere, and covers
    the instant between the fork and the prctl call, when the parent may already be gone."""
    if (arm := parent_death_signal()) is not None:
        arm()
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="parent-watchdog").start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCHDOG_SECONDS)
    os._exit(1)  # orphaned: nobody will read what this process makes


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised like Ctrl-C so the same clean-up runs (temporaries removed,
    previous outputs left whole); `signum` gives the exit code 128 + signum."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


@contextlib.contextmanager
def signals_stop_like_ctrl_c() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise `Stopped` in the main thread, as SIGINT raises
    KeyboardInterrupt: a build stopped by `kill` or a closed terminal cleaned up nothing before.
    Only the command line uses this; a library does not take over its host's signals."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise Stopped(signum)

    before = {sig: signal.signal(sig, stop) for sig in STOP_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP wait until the block ends (they are blocked, then delivered):
    the block moves a set of outputs into place, which must not stop halfway."""
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    held = {signal.SIGINT, *STOP_SIGNALS}
    before = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)
