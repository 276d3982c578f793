"""Write stage: put {path: bytes} on disk, touching only files whose bytes changed.

Nothing reaches this stage until every page has rendered, so a failed build leaves the
previous site as it was. Each file is written to a temporary name and renamed into place,
so a reader (or the dev server) never sees half a file. A lock on the output folder keeps
two builds from interleaving.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

MARKER = ".glossary-site"  # marks a folder as ours, so we never empty a stranger's folder


class OutputError(Exception):
    pass


def check_out_dir(out_dir: Path, protected: list[Path]) -> None:
    """Refuse output folders whose stale-file cleanup could delete the user's work."""
    out = out_dir.resolve()
    if out == Path(out.anchor):
        raise OutputError(f"refusing to write the site into the filesystem root {out}")
    for path in protected:
        path = path.resolve()
        if out == path or path.is_relative_to(out):
            raise OutputError(f"refusing to write the site into {out_dir}: it holds {path} "
                              "(choose a folder such as _site)")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise OutputError(f"refusing to write the site into {out_dir}: the folder is not empty and was not made by "
                          "this generator (empty it or choose another folder)")


@contextmanager
def locked(out_dir: Path) -> Iterator[None]:
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    lock_path = out_dir.parent / f".{out_dir.name}.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a second build waits for the first, then writes its own site
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def existing_files(out_dir: Path) -> set[str]:
    found = set()
    for folder, _dirs, files in os.walk(out_dir):
        rel = os.path.relpath(folder, out_dir)
        for name in files:
            found.add(name if rel == "." else f"{rel}/{name}".replace(os.sep, "/"))
    return found


def write_site(out_dir: Path, files: dict[str, bytes]) -> tuple[int, int]:
    """Returns (files written, files removed)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / MARKER).touch()
    before = existing_files(out_dir)
    written = sum(write_if_changed(out_dir / path, data, path in before) for path, data in files.items())
    stale = before - set(files) - {MARKER}
    for path in stale:
        (out_dir / path).unlink()
    remove_empty_dirs(out_dir)
    return written, len(stale)


def write_if_changed(target: Path, data: bytes, exists: bool) -> bool:
    if exists:
        try:
            if target.stat().st_size == len(data) and target.read_bytes() == data:
                return False
        except OSError:
            pass
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)
    return True


def remove_empty_dirs(out_dir: Path) -> None:
    for folder, dirs, files in os.walk(out_dir, topdown=False):
        if (not dirs and not files and Path(folder) != out_dir) or (Path(folder) != out_dir and not os.listdir(folder)):
            Path(folder).rmdir()
