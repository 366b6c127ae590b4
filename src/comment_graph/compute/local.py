"""The local engine: partitions computed in this process, or in processes forked from it that
inherit the comments and the shared context (only partition bounds are sent to them)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from ..runtime import can_fork, forked_map

CHUNK = 250  # comments a partition: small enough that the last ones do not keep a process waiting
_INHERITED: dict = {}  # what forked workers read: the task, the comments and what the partitions share


def _run_inherited(start: int, end: int) -> Any:
    w = _INHERITED
    own = w["own"][w["index"][start]] if w["own"] is not None else None
    return w["task"](w["comments"][start:end], start, own, shared=w["shared"])


class LocalEngine:
    name = "local"
    ships = False

    def __init__(self, jobs: int = 1) -> None:
        self.jobs = jobs

    def partitions(self, n: int) -> list[tuple[int, int]]:
        return [(i, min(i + CHUNK, n)) for i in range(0, n, CHUNK)]

    def map(self, task: Callable[..., Any], comments: Sequence, bounds: Sequence[tuple[int, int]], shared: Any,
            own: Sequence[Any] | None = None) -> Iterator[tuple[int, Any]]:
        if self.jobs > 1 and len(bounds) > 1 and can_fork():
            _INHERITED.update(task=task, comments=comments, shared=shared, own=own,
                              index={start: k for k, (start, _) in enumerate(bounds)})
            try:
                yield from forked_map(_run_inherited, bounds, self.jobs)
            finally:
                _INHERITED.clear()
            return
        for k, (start, end) in enumerate(bounds):
            yield end, task(comments[start:end], start, None if own is None else own[k], shared=shared)
