"""Parallel work: one executor for a whole build, made by the command line from `--jobs` and passed in.

Stages hand their work to a `Runner` as a batch function `fn(shared, items) -> results`, one result per
item, in order. The runner runs it in this process, or splits the items over the executor's workers;
either way the results are the same, so the site is byte-identical for every `--jobs`. Work is sent by
value (pickled), never inherited through `fork`, so it runs under the `spawn` start method of macOS and
Windows. The dev server swaps in a runner that remembers results by their inputs (devserver.MemoRunner).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import TypeVar

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")
Batch = Callable[[S, Sequence[T]], list[R]]

# Below this many items a batch runs in this process: sending it to a worker would cost more than it saves.
MIN_PARALLEL_ITEMS = 64


def default_jobs() -> int:
    return os.cpu_count() or 1


def make_executor(jobs: int, start_method: str | None = None) -> Executor | None:
    """A process pool of `jobs` workers, or None for `--jobs 1` (everything in this process)."""
    if jobs <= 1:
        return None
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context(start_method))


class Runner:
    """Runs batch functions on the build's executor, or in this process when it has none."""

    def __init__(self, executor: Executor | None = None, workers: int = 1) -> None:
        self.executor, self.workers = executor, max(1, workers)

    def map(self, fn: Batch[S, T, R], shared: S, items: Sequence[T]) -> list[R]:
        """fn(shared, items), computed in one piece or in one chunk a worker."""
        if self.executor is None or self.workers == 1 or len(items) < MIN_PARALLEL_ITEMS:
            return fn(shared, items)
        futures = [self.executor.submit(fn, shared, chunk) for chunk in chunks(items, self.workers)]
        return [result for future in futures for result in future.result()]

    def submit(self, fn: Callable[[S], R], arg: S) -> Future[R]:
        """fn(arg), started now on a worker (or run here at once), for work that overlaps other stages."""
        if self.executor is None:
            return done(fn(arg))
        return self.executor.submit(fn, arg)


def chunks(items: Sequence[T], count: int) -> list[Sequence[T]]:
    """`items` cut into `count` contiguous runs of nearly equal length (results stay in order)."""
    size, extra = divmod(len(items), count)
    cuts, start = [], 0
    for i in range(count):
        end = start + size + (i < extra)
        cuts.append(items[start:end])
        start = end
    return [c for c in cuts if len(c)]


def done(value: R) -> Future[R]:
    future: Future[R] = Future()
    future.set_result(value)
    return future
