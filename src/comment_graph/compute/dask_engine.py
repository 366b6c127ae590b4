"""The Dask engine: partitions of comments computed on a Dask cluster (`--engine dask`).

Each pass of the build (the survey, extraction, the RDF files' ranges of comments) sends the
partitions to the workers, a few ahead of the one being read, and broadcasts what they all share
(the survey's context) to each worker once. Results come back in partition
order, each as soon as it and those before it are done, so the build consumes them exactly as it
consumes the local engine's. Without a scheduler address, a local cluster of worker processes
(one thread each: extraction is pure Python, threads would share one interpreter lock) is started
for the build and stopped after it.

Only this module imports Dask, and only when the engine is chosen."""

from __future__ import annotations

import collections
import logging
import math
import pickle
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from ..errors import ConfigError

INSTALL = "install comment-graph[dask] (pip install 'comment-graph[dask]')"
MAX_PARTITION = 250  # comments: a second or two of extraction, against a millisecond of scheduling; larger
# partitions (1,000) left a worker idle behind the slowest ones (10,000 comments: extraction 39 s, not 23)
PARTITIONS_PER_WORKER = 4  # below MAX_PARTITION: a small corpus still spreads over every worker
CONNECT_TIMEOUT = "10s"
IN_FLIGHT_PER_WORKER = 4  # partitions sent ahead of the one read: a worker never waits for the client


def _distributed():
    try:
        import dask
        import distributed
    except ImportError:
        raise ConfigError(f"the dask engine needs Dask and its distributed scheduler: {INSTALL}") from None
    return dask, distributed


def _unpacked(packed: bytes, start: int, *, task: Callable[..., Any], shared: Any) -> Any:
    part, own = pickle.loads(packed)
    return task(part, start, own, shared=shared)


class DaskEngine:
    name = "dask"
    ships = True

    def __init__(self, scheduler: str | None = None, workers: int = 2) -> None:
        dask, distributed = _distributed()
        self.cluster, self.scratch = None, None
        if scheduler:
            try:
                self.client = distributed.Client(scheduler, timeout=CONNECT_TIMEOUT)
            except (OSError, TimeoutError, ValueError) as e:
                raise ConfigError(f"cannot reach the Dask scheduler at {scheduler}: {e}") from None
        else:
            # on this machine only: no dashboard (it would take port 8787), listening on loopback, the
            # workers' scratch space removed with the cluster (Dask's default is left in /tmp)
            self.scratch = tempfile.mkdtemp(prefix="comment-graph-dask-")
            with dask.config.set({"temporary-directory": self.scratch}):
                self.cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                                        host="127.0.0.1", dashboard_address=None,
                                                        silence_logs=logging.ERROR)
            self.client = distributed.Client(self.cluster)
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})) or workers)

    def partitions(self, n: int) -> list[tuple[int, int]]:
        """Partitions of at most MAX_PARTITION comments, at least PARTITIONS_PER_WORKER per worker
        where the corpus allows it."""
        size = max(1, min(MAX_PARTITION, math.ceil(n / (PARTITIONS_PER_WORKER * self.workers))))
        return [(i, min(i + size, n)) for i in range(0, n, size)]

    def map(self, task: Callable[..., Any], comments: Sequence, bounds: Sequence[tuple[int, int]], shared: Any,
            own: Sequence[Any] | None = None) -> Iterator[tuple[int, Any]]:
        bounds = list(bounds)
        if not bounds:
            return
        # Scattered anew each pass: between passes the build adds what the survey found to its comments.
        # A partition's own data goes with it, straight to a worker: in the task graph it would pass
        # through the scheduler, which unpickles and pickles it again (the RDF's ranges: 25 MB for
        # 10,000 comments, 12 s before the first range started, against 2 s so). Pickled here into one
        # bytes: Dask serializes a list element by element (9.8 s to scatter those, against 1 s).
        # Only a window of partitions is in flight, sent as earlier ones are read: the workers start
        # on the first while the client packs the rest (the RDF's ranges of 100,000 comments, all
        # packed first: the first started 46 s into the write), and hold a few results, not all.
        [everyone] = self.client.scatter([shared], broadcast=True, hash=False)
        run = uuid.uuid4().hex  # keys named after the task: the task stream tells the passes apart
        window = IN_FLIGHT_PER_WORKER * self.workers
        flight: collections.deque = collections.deque()

        def send(k: int) -> None:
            a, b = bounds[k]
            packed = pickle.dumps((list(comments[a:b]), None if own is None else own[k]), pickle.HIGHEST_PROTOCOL)
            [part] = self.client.scatter([packed], hash=False)
            flight.append((bounds[k][1], part, self.client.submit(_unpacked, part, a, task=task, shared=everyone,
                                                                  pure=False, key=f"{task.__name__}-{run}-{k}")))

        try:
            sent = min(window, len(bounds))
            for k in range(sent):
                send(k)
            while flight:
                end, part, future = flight[0]
                result = future.result()
                flight.popleft()
                self.client.cancel([future, part])  # released on the worker now, not when garbage collected
                if sent < len(bounds):
                    send(sent)
                    sent += 1
                yield end, result
        finally:
            self.client.cancel([x for _, part, future in flight for x in (future, part)] + [everyone])

    def close(self) -> None:
        try:
            self.client.close()
            if self.cluster is not None:
                self.cluster.close()
        finally:
            if self.scratch is not None:
                shutil.rmtree(self.scratch, ignore_errors=True)
