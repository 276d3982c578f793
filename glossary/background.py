"""Run one function on the machine's other core while the build goes on.

Half the term files, half the Markdown, and the search index (pure Python) are each a large share
of a build and independent of what this process does meanwhile, so they run in a forked child. A
bare fork and a pipe, not multiprocessing: the child inherits everything it needs (nothing is
pickled on the way in), and the build saves the 30 ms that importing multiprocessing costs plus the
pool's own start. Where `fork` is not available, or there is one core, the function runs in this
process when its result is asked for.
"""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
X = TypeVar("X")
# Below this many terms a second process costs more than it saves.
PARALLEL_FROM = 300


class WorkerDied(RuntimeError):
    pass


class Background(Generic[T]):
    def __init__(self, fn: Callable[..., T], *args: object) -> None:
        self._fn, self._args = fn, args
        self._pid: int | None = None
        if hasattr(os, "fork") and (os.cpu_count() or 1) > 1:
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read)
                _run_child(write, fn, args)  # never returns
            os.close(write)
            self._pid, self._read = pid, read

    def result(self) -> T:
        if self._pid is None:
            return self._fn(*self._args)
        with os.fdopen(self._read, "rb") as pipe:
            data = pipe.read()
        os.waitpid(self._pid, 0)
        self._pid = None
        if not data:
            raise WorkerDied(f"the background worker for {self._fn.__name__} ended without a result")
        ok, value = pickle.loads(data)
        if not ok:
            raise value
        return value

    def close(self) -> None:
        """Stop a worker whose result is no longer wanted (the build failed meanwhile)."""
        if self._pid is not None:
            os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            os.close(self._read)
            self._pid = None


def halves(fn: Callable[..., T], *args: object, items: Sequence[X]) -> tuple[T, T]:
    """(fn(*args, every other item from the first), here; fn(*args, the others), on the other core
    at the same time)."""
    other = Background(fn, *args, items[1::2])
    try:
        return fn(*args, items[0::2]), other.result()
    finally:
        other.close()


def _run_child(write: int, fn: Callable[..., object], args: tuple[object, ...]) -> None:
    try:
        try:
            outcome: tuple[bool, object] = (True, fn(*args))
        except BaseException as exc:  # every failure goes back to the parent, which raises it
            outcome = (False, exc)
        try:
            data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # an exception that cannot be pickled
            data = pickle.dumps((False, WorkerDied(f"{fn.__name__} failed: {outcome[1]!r} ({exc})")))
        with os.fdopen(write, "wb") as pipe:
            pipe.write(data)
    finally:
        os._exit(0)  # whatever happened: never return into the parent's code; no atexit handlers or flushing
