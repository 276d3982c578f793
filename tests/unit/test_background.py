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
    with pytest.raises(ValueError, match=r"^bad input$"):
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


def test_a_large_glossary_loads_on_two_cores_with_every_problem_in_file_order(tmp_path) -> None:
    """From PARALLEL_FROM files on, every other file is parsed in the worker; the result and the
    problems are the same as parsing them all here."""
    from glossary.background import PARALLEL_FROM
    from glossary.load import load_share, load_terms
    from glossary.problems import Problem

    folder = tmp_path / "terms"
    folder.mkdir()
    for i in range(PARALLEL_FROM + 1):
        text = f"---\ntitle: Term {i}\n---\nBody {i}.\n" if i % 97 else f"---\ntitle: [Term {i}\n---\nBody.\n"
        (folder / f"t{i:04d}.md").write_text(text)
    paths = sorted(folder.iterdir())
    problems: list[Problem] = []
    terms = load_terms(paths, problems)
    serial = load_share(paths)
    assert [t.slug for t in terms] == [t.slug for t, _ in serial if t is not None]
    assert terms == [t for t, _ in serial if t is not None]
    assert problems == [p for _, found in serial for p in found]
    assert [p.path.rsplit("/", 1)[-1] for p in problems] == ["t0000.md", "t0097.md", "t0194.md", "t0291.md"]
