"""Run one function on the machine's other core while the build goes on.

The search index (lunr.py, pure Python) and page rendering are independent and each take a large
share of a build, so the index is built in a forked process while pages render. Where `fork` is
not available the function simply runs in this process when its result is asked for.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Generic, TypeVar

T = TypeVar("T")


class Background(Generic[T]):
    def __init__(self, fn: Callable[..., T], *args: object) -> None:
        self._fn, self._args = fn, args
        self._pool: ProcessPoolExecutor | None = None
        self._future: Future[T] | None = None
        if "fork" in multiprocessing.get_all_start_methods() and multiprocessing.cpu_count() > 1:
            self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
            self._future = self._pool.submit(fn, *args)

    def result(self) -> T:
        if self._future is None:
            return self._fn(*self._args)
        try:
            return self._future.result()
        finally:
            self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
