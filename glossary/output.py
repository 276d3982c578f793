"""Write stage: put {path: bytes} on disk, touching only files whose bytes changed.

Nothing reaches this stage until every page has rendered, so a failed build leaves the
previous site as it was. Each file is written to a temporary name and renamed into place,
so a reader (or the dev server) never sees half a file. A lock on the output folder keeps
two builds from interleaving: the second waits, then makes the folder match its own site.
Nothing outside the output folder is ever written or deleted.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from .problems import display_path

MARKER = ".glossary-site"  # marks a folder as ours, so we never empty a stranger's folder; also the lock


class OutputError(Exception):
    pass


def check_out_dir(out_dir: Path, protected: list[Path]) -> None:
    """Refuse output folders whose stale-file cleanup could delete the user's work.

    `protected` are the project's own folders (the current one, content, templates, static):
    the output may not be one of them or hold one; it may not lie inside a source folder
    either (only inside the current folder, as _site/ does).
    """
    out = out_dir.resolve()
    if out == Path(out.anchor):
        raise OutputError(f"refusing to write the site into the filesystem root {out}")
    cwd = Path.cwd().resolve()
    for path in [cwd, *(p.resolve() for p in protected)]:
        if out == path or path.is_relative_to(out):
            what = "the current folder" if path == cwd else f"your {display_path(path)} folder"
            held = "is" if out == path else "holds"
            raise OutputError(f"refusing to write the site into {out_dir}: it {held} {what}, whose files the build "
                              "would delete (choose an output folder such as _site)")
        if path != cwd and out.is_relative_to(path):
            raise OutputError(f"refusing to write the site into {out_dir}: it is inside your {display_path(path)} "
                              "folder (choose an output folder such as _site)")
    refuse_strangers(out_dir)


def refuse_strangers(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"refusing to write the site into {out_dir}: it is a file, not a folder")
    if out_dir.is_dir() and not (out_dir / MARKER).exists() and any(out_dir.iterdir()):
        raise OutputError(f"refusing to write the site into {out_dir}: the folder is not empty and was not made by "
                          "this generator (empty it or choose another folder)")


@contextmanager
def locked(out_dir: Path) -> Iterator[None]:
    """Hold the output folder for one build; a second build waits here for the first to finish."""
    refuse_strangers(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / MARKER, "a") as lock:  # "a": creates the marker without touching its mtime
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            refuse_strangers(out_dir)  # checked again now that no other build can be writing
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def existing_files(out_dir: Path) -> set[str]:
    """Every file under out_dir, and every symbolic link (never followed), as POSIX paths."""
    return existing(out_dir)[0]


def existing(out_dir: Path) -> tuple[set[str], set[str]]:
    """(files and symbolic links, real folders) under out_dir, as POSIX paths, from one walk."""
    found, folders = set(), set()
    for folder, dirs, files in os.walk(out_dir):
        rel = os.path.relpath(folder, out_dir).replace(os.sep, "/")
        prefix = "" if rel == "." else rel + "/"
        for name in dirs:
            (found if os.path.islink(os.path.join(folder, name)) else folders).add(prefix + name)
        found.update(prefix + name for name in files)
    return found, folders


def check_paths(files: dict[str, bytes]) -> None:
    """Every output path must stay inside the output folder."""
    for path in files:
        pure = PurePosixPath(path)
        if pure.is_absolute() or str(pure) != path or ".." in pure.parts or "\\" in path or pure.parts[0] == MARKER:
            raise OutputError(f"refusing to write '{path}': not a path inside the output folder")


def write_site(out_dir: Path, files: dict[str, bytes], known: dict[str, bytes] | None = None) -> tuple[int, int]:
    """Returns (files written, files removed). Call it inside `locked(out_dir)`.

    `known` is what this process wrote last time (the dev server keeps it): a file whose bytes
    are the same as then, and that still exists, is not read back to compare.
    """
    known = known or {}
    check_paths(files)
    refuse_strangers(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / MARKER).open("a").close()
    before, before_dirs = existing(out_dir)
    make_folders(out_dir, files, before, before_dirs)
    root = str(out_dir)
    # The writes are system calls that release the GIL: a few threads keep the disk busy.
    changed = {p: data for p, data in files.items() if p not in before or known.get(p) != data}
    with ThreadPoolExecutor(4) as pool:
        written = sum(pool.map(lambda item: write_if_changed(Path(root, item[0]), item[1], item[0] in before),
                               changed.items()))
    removed = 0
    for path in sorted(before - set(files) - {MARKER}):
        old = out_dir / path
        if old.is_symlink() or old.is_file():  # make_folders may have put a folder there already
            old.unlink()
            removed += 1
    remove_empty_dirs(out_dir)
    return written, removed


def make_folders(out_dir: Path, files: dict[str, bytes], before: set[str], before_dirs: set[str]) -> None:
    """Make every folder the site needs a real folder, so no write goes through a link.

    What is on disk is known from one walk (`before`: files and links, `before_dirs`: real
    folders), so a rebuild makes no system call for a folder that is already right.
    """
    needed = {parent for path in files for parent in parents(path)}
    for folder in sorted(needed, key=lambda f: f.count("/")):
        if folder in before_dirs:
            continue
        target = out_dir / folder
        if folder in before:
            target.unlink()  # a link or a file where the new site has a folder: remove it, not its target
        target.mkdir(exist_ok=True)
    for path in files:
        if path in before_dirs:
            shutil.rmtree(out_dir / path)  # an old folder where the new site has a file


def parents(path: str) -> Iterator[str]:
    """'terms/arr/index.html' -> 'terms', 'terms/arr'."""
    parts = path.split("/")[:-1]
    for i in range(1, len(parts) + 1):
        yield "/".join(parts[:i])


def write_if_changed(target: Path, data: bytes, exists: bool) -> bool:
    if exists and not target.is_symlink():
        try:
            if target.stat().st_size == len(data) and target.read_bytes() == data:
                return False
        except OSError:
            pass
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)  # replaces a link itself, never the file it points to
    return True


def remove_empty_dirs(out_dir: Path) -> None:
    for folder, _dirs, _files in os.walk(out_dir, topdown=False):
        if Path(folder) != out_dir and not os.listdir(folder):
            Path(folder).rmdir()
