"""One executor for all parallel work: the site is byte-identical for every --jobs, under `spawn`, and a
build works where `fork` and `fcntl` do not exist (Windows; macOS's default start method)."""

from __future__ import annotations

import dataclasses
import gc
import subprocess
import sys
import time

import pytest

from glossary import parallel
from glossary.parallel import Runner, chunks, for_one_build, gc_paused, make_executor
from glossary.pipeline import Project, build
from glossary.problems import BuildError
from tests.conftest import term_file

# Terms with links between them; every batch of them is split over the workers (see split_small_batches).
TERMS = {f"terms/term-{i:03d}.md": term_file(f"Term {i:03d}", f"See Term {(i + 1) % 90:03d} and term-{i}.",
                                              summary=f"Number {i}.", category="Metrics")
         for i in range(90)}


@pytest.fixture(autouse=True)
def split_small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches of these tests' size go to the workers too (this process decides how a batch is split)."""
    monkeypatch.setattr(parallel, "MIN_PARALLEL_ITEMS", 64)


def built(project: Project, jobs: int, start_method: str | None = "spawn") -> dict[str, bytes]:
    executor = make_executor(jobs, start_method)
    try:
        return build(project, Runner(executor, jobs), write=False).files
    finally:
        if executor is not None:
            executor.shutdown()


def test_the_site_is_byte_identical_for_1_2_and_4_workers_under_spawn(make_project) -> None:
    assert len(TERMS) >= parallel.MIN_PARALLEL_ITEMS + 20
    project = make_project(TERMS)
    alone = built(project, 1)
    assert len(alone) > 190 and "download/test-glossary-offline.zip" in alone
    assert built(project, 2) == alone
    assert built(project, 4) == alone


def test_a_template_error_in_a_worker_reads_as_it_does_here(make_project, tmp_path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "term.html").write_text("{% extends 'base.html' %}{% block main %}\n{{ nope }}{% endblock %}")
    project = dataclasses.replace(make_project(TERMS), templates=templates)
    messages = []
    for jobs in (1, 2):
        with pytest.raises(BuildError) as failed:
            built(project, jobs)
        messages.append(str(failed.value))
    assert messages[0] == messages[1]
    assert messages[0].endswith("templates/term.html:2: undefined variable 'nope' (check the spelling; the built-in "
                                "templates show what each page gets)")


def test_chunks_keep_order_and_cover_every_item() -> None:
    assert chunks(list(range(7)), [1.0] * 3) == [[0, 1, 2], [3, 4], [5, 6]]
    assert chunks([1], [1.0] * 4) == [[1]]
    assert chunks(list(range(12)), [1.0, 0.5]) == [list(range(8)), list(range(8, 12))]
    assert chunks(list(range(7)), [1.0, 1.0, 0.5]) == [[0, 1, 2], [3, 4, 5], [6]]


def test_a_worker_busy_with_a_submitted_task_gets_half_a_share() -> None:
    executor = make_executor(2, "spawn")
    assert executor is not None
    try:
        runner = Runner(executor, 2)
        assert runner.shares() == [1.0, 1.0]
        slow = runner.submit(time.sleep, 2.0)
        assert runner.shares() == [1.0, 0.5]
        assert runner.map(squares, None, list(range(90))) == [i * i for i in range(90)]
        slow.result()
        assert runner.shares() == [1.0, 1.0]
    finally:
        executor.shutdown()


def squares(_shared: None, items: list[int]) -> list[int]:
    return [i * i for i in items]


# Run in a fresh interpreter, so the stand-ins for Windows never leak into other tests.
WITHOUT_FORK_AND_FCNTL = """
import concurrent.futures.process, os, subprocess, sys, types  # the standard library's own, before the stand-ins
from pathlib import Path

class NoFcntl:
    def find_spec(self, name, path=None, target=None):
        if name == "fcntl":
            raise ImportError("No module named 'fcntl'")

sys.meta_path.insert(0, NoFcntl())
sys.modules.pop("fcntl", None)
del os.fork
locks = []
sys.modules["msvcrt"] = types.SimpleNamespace(LK_LOCK=1, LK_UNLCK=0, locking=lambda fd, mode, size: locks.append(mode))

from glossary.parallel import Runner, make_executor
from glossary.pipeline import Project, build

content, out = Path(sys.argv[1]), Path(sys.argv[2])
if __name__ == "__main__":
    executor = make_executor(2, "spawn")
    try:
        report = build(Project(content=content, out=out), Runner(executor, 2))
    finally:
        executor.shutdown()
    print(len(report.glossary.terms), locks, "fcntl" in sys.modules, hasattr(os, "fork"))
"""


def test_a_build_needs_neither_fork_nor_fcntl(make_project, tmp_path) -> None:
    """As on Windows: no os.fork, no fcntl module (the output folder is locked with msvcrt), and workers
    that start with spawn."""
    project = make_project(TERMS)
    script = tmp_path / "windows_like.py"
    script.write_text(WITHOUT_FORK_AND_FCNTL, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script), str(project.content), str(project.out)],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    # 90 terms; the output folder locked, then released; no fcntl and no fork in the building process
    assert done.stdout.split("\n")[-2] == "90 [1, 0] False False"
    assert (project.out / "terms/term-001/index.html").is_file()


def test_one_build_runs_without_the_cyclic_collector_and_gives_it_back() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()
    executor = make_executor(2, "spawn", initializer=for_one_build)
    assert executor is not None
    try:
        assert executor.submit(gc.isenabled).result() is False  # the workers of one build, too
    finally:
        executor.shutdown()
    dev_server = make_executor(2, "spawn")
    assert dev_server is not None
    try:
        assert dev_server.submit(gc.isenabled).result() is True  # the dev server's workers live on
    finally:
        dev_server.shutdown()
