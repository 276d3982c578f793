"""Run one command in a fresh process and measure it: wall time and that child's own peak RSS."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TRASH = REPO / "benchmarks" / "results" / "trash"
_moved = itertools.count()


def emptied(folder: Path) -> Path:
    """`folder`, made empty by moving what it held into the trash, not by deleting it: returns folder.

    Deleting thousands of files right before a build makes the build's own file creation slow on some
    filesystems, and by an amount that grows with everything deleted in the last minutes, not with the
    build: ext4 without a journal (this machine's disk) skips every inode freed in the last 5 minutes
    while it looks for a free one (`recently_deleted()` in the kernel's ext4/ialloc.c). A fresh build
    would then pay for the benchmark's cleanup. The trash is deleted by `empty_trash` once every build
    has been measured.
    """
    if folder.exists():
        TRASH.mkdir(parents=True, exist_ok=True)
        folder.rename(TRASH / f"{os.getpid()}-{next(_moved)}")
    return folder


def empty_trash() -> None:
    shutil.rmtree(TRASH, ignore_errors=True)


@dataclass(frozen=True)
class Process:
    wall: float  # seconds, from just before the fork to the child's exit
    cpu: float  # user + system seconds of the child and of the processes it waited for
    maxrss_mb: float  # peak RSS of the child or of one of its waited-for children, whichever was larger
    returncode: int
    stdout: str
    stderr: str


class RunFailed(RuntimeError):
    pass


def run_process(cmd: list[str], cwd: Path = REPO) -> Process:
    """Output goes to temporary files, not pipes, so os.wait4 can reap the child and read its rusage.

    The kernel's rusage for a reaped child covers its own waited-for children too (a build's forked
    worker): CPU time is their sum, ru_maxrss the largest single peak (not the sum of both). ru_maxrss
    also covers the child before its exec, a copy of this process: so this process is kept small.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Process(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode,
                       out.read().decode(errors="replace"), err.read().decode(errors="replace"))


def checked(proc: Process, what: str) -> Process:
    if proc.returncode != 0:
        tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-15:])
        raise RunFailed(f"{what} failed with exit code {proc.returncode}:\n{tail}")
    return proc


# Worker processes for our builds (glossary's --jobs); the command line's --jobs sets it.
JOBS = os.cpu_count() or 1


def runner_command(*args: str, jobs: int | None = None) -> list[str]:
    return [sys.executable, "-m", "benchmarks.runner", "--jobs", str(jobs or JOBS), *args]


def our_build(content: Path, out: Path, jobs: int | None = None) -> dict[str, object]:
    """One build of ours in a new interpreter; the runner's JSON plus the wall time and peak RSS seen from here."""
    proc = checked(run_process(runner_command("--content", str(content), "--out", str(out), jobs=jobs)),
                   f"build of {content}")
    data: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    data["wall"] = proc.wall
    data["cpu"] = proc.cpu
    data["maxrss_mb"] = proc.maxrss_mb
    return data


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def spread(values: list[float]) -> tuple[float, float, float]:
    """(median, min, max)."""
    if not values:
        return (float("nan"),) * 3
    return statistics.median(values), min(values), max(values)
