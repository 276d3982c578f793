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
    found = set()
    for folder, dirs, files in os.walk(out_dir):
        rel = os.path.relpath(folder, out_dir)
        links = [d for d in dirs if os.path.islink(os.path.join(folder, d))]
        for name in files + links:
            found.add(name if rel == "." else f"{rel}/{name}".replace(os.sep, "/"))
    return found


def check_paths(files: dict[str, bytes]) -> None:
    """Every output path must stay inside the output folder."""
    for path in files:
        pure = PurePosixPath(path)
        if pure.is_absolute() or str(pure) != path or ".." in pure.parts or "\\" in path or pure.parts[0] == MARKER:
            raise OutputError(f"refusing to write '{path}': not a path inside the output folder")


def write_site(out_dir: Path, files: dict[str, bytes]) -> tuple[int, int]:
    """Returns (files written, files removed). Call it inside `locked(out_dir)`."""
    check_paths(files)
    refuse_strangers(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / MARKER).open("a").close()
    before = existing_files(out_dir)
    safe_dirs: set[Path] = set()
    written = 0
    for path, data in files.items():
        target = out_dir / path
        make_room(out_dir, target, safe_dirs)
        written += write_if_changed(target, data, path in before)
    removed = 0
    for path in sorted(before - set(files) - {MARKER}):
        old = out_dir / path
        if old.is_symlink() or old.is_file():  # make_room may have put a folder there already
            old.unlink()
            removed += 1
    remove_empty_dirs(out_dir)
    return written, removed


def make_room(out_dir: Path, target: Path, safe_dirs: set[Path]) -> None:
    """Make every folder from out_dir to target a real folder, so no write goes through a link."""
    folder = out_dir
    for part in target.relative_to(out_dir).parts[:-1]:
        folder = folder / part
        if folder in safe_dirs:
            continue
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            folder.unlink()  # a link or a file where the new site has a folder: remove it, not its target
        folder.mkdir(exist_ok=True)
        safe_dirs.add(folder)
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)  # an old folder where the new site has a file


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
