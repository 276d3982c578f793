"""The forked worker: results and exceptions come back; an abandoned worker is stopped."""

from __future__ import annotations

import os

import pytest

from glossary.background import Background


def square_and_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


def fail(message: str) -> None:
    raise ValueError(message)


def test_the_result_comes_from_another_process() -> None:
    value, pid = Background(square_and_pid, 7).result()
    assert value == 49
    assert pid != os.getpid()


def test_an_exception_in_the_worker_is_raised_here() -> None:
    job = Background(fail, "bad input")
    with pytest.raises(ValueError, match="^bad input$"):
        job.result()


def test_close_stops_a_worker_nobody_waits_for() -> None:
    import time

    job = Background(time.sleep, 30)
    pid = job._pid
    started = time.perf_counter()
    job.close()
    assert time.perf_counter() - started < 5
    if pid is not None:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # already reaped
