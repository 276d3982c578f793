"""Result files: benchmarks/results/<UTC date-time>.json and latest.json, with what machine made them."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import sys
from importlib import metadata
from pathlib import Path

from .measure import REPO

RESULTS = Path(__file__).resolve().parent / "results"
DEPENDENCIES = ("markdown", "jinja2", "pyyaml", "lunr")


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def memory_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def git_commit() -> str | None:
    """The checked-out commit, read from .git without running git."""
    git = REPO / ".git"
    try:
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return head
        ref = head[5:]
        if (git / ref).is_file():
            return (git / ref).read_text().strip()
        for line in (git / "packed-refs").read_text().splitlines():
            if line.endswith(" " + ref):
                return line.split()[0]
    except OSError:
        pass
    return None


def code_digest() -> str:
    """A short hash of what a build runs (glossary/, templates/, static/), to spot runs of different code."""
    h = hashlib.sha256()
    for folder in ("glossary", "templates", "static"):
        for path in sorted((REPO / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                h.update(path.relative_to(REPO).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for name in DEPENDENCIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def machine_info() -> dict[str, object]:
    return {
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu_model": cpu_model(),
        "memory_gb": memory_gb(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "python_implementation": platform.python_implementation(),
        "executable": sys.executable,
        "dependencies": versions(),
        "git_commit": git_commit(),
    }


def save(results: dict[str, object]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = str(results["created"]).replace(":", "").replace("-", "")
    path = RESULTS / f"{stamp}.json"
    text = json.dumps(results, indent=1, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")
    (RESULTS / "latest.json").write_text(text, encoding="utf-8")
    return path


def load(path: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return data
