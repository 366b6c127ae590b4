"""Compute engines: where a build's per-comment stages run (`--engine`). Not the forum engines
of `segment/engines.py`, which tell page furniture from comments.

An engine maps a task over consecutive partitions of the comments and gives the results back in
partition order, so the build that consumes them is the same whichever engine ran them:

    task(part, start, own, shared=shared) -> result

`part` is the comments start..end, `own` what the caller gives that partition alone (or None) and
`shared` what every partition reads (the survey's context), sent once to each worker. Tasks must
be module-level functions (they are pickled by reference) and must not change their arguments
(a worker may run a task again, on the same objects, after a failure elsewhere).

- `local` (the default): in this process, or in `--jobs` processes forked from it, which inherit
  the comments instead of receiving them (runtime.forked_map).
- the write stage of a local build with `--jobs` > 1 has helper processes of its own
  (`helpers.py`): fresh interpreters that share no page with the build, sent what they write.
- `dask`: a Dask cluster (`pip install 'comment-graph[dask]'`): the scheduler at `--scheduler`,
  or a local cluster of worker processes started for the build and stopped after it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from ..config import BuildConfig
    from ..models import Comment

Task = Callable[..., Any]
Bounds = Sequence[tuple[int, int]]


class Engine(Protocol):
    """What the build asks of an engine."""

    name: str
    ships: bool  # tasks run on copies sent to other processes (not on what forked ones inherit)

    def partitions(self, n: int) -> list[tuple[int, int]]:
        """Consecutive (start, end) partitions of `n` comments, as this engine cuts them."""
        ...

    def map(self, task: Task, comments: Sequence["Comment"], bounds: Bounds, shared: Any,
            own: Sequence[Any] | None = None) -> Iterator[tuple[int, Any]]:
        """(end, task(comments[start:end], start, own[k], shared=shared)) for the k-th of `bounds`,
        in order, each as soon as it and those before it are done. Closing the iterator early
        gives up the partitions not yet read."""
        ...


_SESSIONS: list[tuple[tuple, Engine]] = []  # engines `engine_session` keeps open, innermost last


def _settings(engine: str, scheduler: str | None, jobs: int) -> tuple:
    return engine, scheduler, jobs


@contextlib.contextmanager
def engine_session(engine: str = "local", scheduler: str | None = None, jobs: int = 1) -> Iterator[None]:
    """One engine for every `open_engine` with these settings inside the block: the command line
    builds and then writes on the same cluster instead of starting a second one for the RDF."""
    from ..config import BuildConfig

    with open_engine(BuildConfig(engine=engine, scheduler=scheduler, jobs=jobs)) as opened:
        _SESSIONS.append((_settings(engine, scheduler, jobs), opened))
        try:
            yield
        finally:
            _SESSIONS.pop()


def in_session(config: "BuildConfig") -> bool:
    """Whether an `engine_session` keeps an engine with `config`'s settings open."""
    return any(settings == _settings(config.engine, config.scheduler, config.jobs) for settings, _ in _SESSIONS)


@contextlib.contextmanager
def open_engine(config: "BuildConfig") -> Iterator[Engine]:
    """The engine `config` names, ready for the build, and shut down after it (a local Dask
    cluster is stopped; a remote scheduler is only disconnected from), or the one an enclosing
    `engine_session` keeps open with the same settings (left open)."""
    for settings, opened in reversed(_SESSIONS):
        if settings == _settings(config.engine, config.scheduler, config.jobs):
            yield opened
            return
    if config.engine == "dask":
        from .dask_engine import DaskEngine  # Dask is imported only when it is asked for

        engine = DaskEngine(config.scheduler, workers=max(2, config.jobs))
        try:
            yield engine
        finally:
            engine.close()
        return
    from .local import LocalEngine

    yield LocalEngine(config.jobs)
