"""Parallel work: one executor for a whole build, made by the command line from `--jobs` and passed in.

Stages hand their work to a `Runner` as a batch function `fn(shared, items) -> results`, one result per
item, in order. With `--jobs N` the runner splits the items into N runs: this process works on the first
while the executor's N - 1 workers take the others. A worker still busy with work handed over by
`submit` (the search index, while the pages render) gets half a share, so this process does not wait
for it. Either way the results are the same, so the site is byte-identical for every `--jobs`. Work is sent by
value (pickled), never inherited through `fork`, so it runs under the `spawn` start method of macOS and
Windows. The dev server swaps in a runner that remembers results by their inputs (devserver.MemoRunner).
"""

from __future__ import annotations

import gc
import math
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future
from contextlib import contextmanager
from typing import TypeVar

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")
Batch = Callable[[S, Sequence[T]], list[R]]

# Below this many items a batch runs in this process: sending it to a worker would cost more than it saves
# (and the worker is free for what was submitted to it: the templates, the search index).
MIN_PARALLEL_ITEMS = 256
BUSY_SHARE = 0.5  # of a run, for a worker that is still working on a submitted task


def default_jobs() -> int:
    return os.cpu_count() or 1


def make_executor(jobs: int, start_method: str | None = None,
                  initializer: Callable[[], object] | None = None) -> Executor | None:
    """A pool of `jobs - 1` worker processes (this process is the Nth), or None for `--jobs 1`; each worker
    calls `initializer` first."""
    if jobs <= 1:
        return None
    import multiprocessing  # here: a build with --jobs 1 need not import it
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=jobs - 1, mp_context=multiprocessing.get_context(start_method),
                               initializer=initializer)


def for_one_build() -> None:
    """Set up a worker process that ends with its build (not the dev server's): no cyclic garbage
    collector, as in `gc_paused`."""
    gc.disable()


@contextmanager
def gc_paused() -> Iterator[None]:
    """Work without the cyclic garbage collector (one build, or the search index in the dev server). A build
    makes millions of small objects that live until it ends, so the collector would walk them again and again
    and free next to nothing; it comes back afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class Runner:
    """Runs batch functions on the build's executor, or in this process when it has none."""

    def __init__(self, executor: Executor | None = None, jobs: int = 1) -> None:
        """`jobs`: the processes that share the work, this one included (the executor has jobs - 1)."""
        self.executor, self.jobs = executor, max(1, jobs)
        self.submitted: list[Future[object]] = []

    def map(self, fn: Batch[S, T, R], shared: S, items: Sequence[T]) -> list[R]:
        """fn(shared, items), computed in one piece, or in `jobs` runs: the first here, the rest on workers."""
        if self.executor is None or self.jobs == 1 or len(items) < MIN_PARALLEL_ITEMS:
            return fn(shared, items)
        mine, *theirs = chunks(items, self.shares())
        futures = [self.executor.submit(fn, shared, chunk) for chunk in theirs]
        return [*fn(shared, mine), *(result for future in futures for result in future.result())]

    def submit(self, fn: Callable[[S], R], arg: S) -> Future[R]:
        """fn(arg), started now on a worker (or run here at once), for work that overlaps other stages."""
        if self.executor is None:
            return done(fn(arg))
        future = self.executor.submit(fn, arg)
        self.submitted.append(future)  # type: ignore[arg-type]
        return future

    def shares(self) -> list[float]:
        """How much of a batch each process takes: this one first, then each worker (busy ones last)."""
        self.submitted = [f for f in self.submitted if not f.done()]
        busy = min(len(self.submitted), self.jobs - 1)
        return [1.0] * (self.jobs - busy) + [BUSY_SHARE] * busy


def chunks(items: Sequence[T], shares: Sequence[float]) -> list[Sequence[T]]:
    """`items` cut into contiguous runs (results stay in order), one per share, with lengths in proportion
    to the shares. Empty runs are left out."""
    total, cuts, start, before = sum(shares), [], 0, 0.0
    for weight in shares:
        before += weight
        end = math.ceil(len(items) * before / total - 1e-9)  # earlier runs take the remainder
        cuts.append(items[start:end])
        start = end
    return [c for c in cuts if len(c)]


def done(value: R) -> Future[R]:
    future: Future[R] = Future()
    future.set_result(value)
    return future
