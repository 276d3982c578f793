"""Write stage: put {path: bytes} on disk, touching only files whose bytes changed.

Nothing reaches this stage until every page has rendered, so a failed build leaves the
previous site as it was. Each file is written to a temporary name and renamed into place,
so a reader (or the dev server) never sees half a file. A lock on the output folder keeps
two builds from interleaving: the second waits, then makes the folder match its own site.
Nothing outside the output folder is ever written or deleted.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

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
    # Listed before the marker is looked for: a build starting meanwhile makes its marker before
    # anything else, so a listing with files but no marker is a stranger's folder, never a race.
    names = os.listdir(out_dir) if out_dir.is_dir() else []
    if names and MARKER not in names and not (out_dir / MARKER).exists():
        raise OutputError(f"refusing to write the site into {out_dir}: the folder is not empty and was not made by "
                          "this generator (empty it or choose another folder)")


@contextmanager
def locked(out_dir: Path) -> Iterator[None]:
    """Hold the output folder for one build; a second build waits here for the first to finish."""
    refuse_strangers(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / MARKER, "a") as lock:  # "a": creates the marker without touching its mtime
        hold(lock)
        try:
            refuse_strangers(out_dir)  # checked again now that no other build can be writing
            yield
        finally:
            release(lock)


def write(out_dir: Path, files: dict[str, bytes], protected: list[Path]) -> tuple[int, int]:
    """The write stage: (files written, stale files removed). Only files whose bytes changed are written."""
    check_out_dir(out_dir, protected)
    with locked(out_dir):
        return write_site(out_dir, files)


try:
    import fcntl
except ImportError:  # Windows: lock the marker's first byte instead
    import msvcrt

    def hold(lock: IO[str]) -> None:
        lock.seek(0)
        msvcrt.locking(lock.fileno(), msvcrt.LK_LOCK, 1)  # waits (retrying for 10 s at a time)

    def release(lock: IO[str]) -> None:
        lock.seek(0)
        msvcrt.locking(lock.fileno(), msvcrt.LK_UNLCK, 1)
else:
    def hold(lock: IO[str]) -> None:
        fcntl.flock(lock, fcntl.LOCK_EX)

    def release(lock: IO[str]) -> None:
        fcntl.flock(lock, fcntl.LOCK_UN)


def existing(out_dir: Path) -> tuple[set[str], set[str]]:
    """(files and symbolic links, real folders) under out_dir, as POSIX paths, from one walk.

    os.scandir reads each entry's type from the folder listing itself: one listing per folder,
    no stat per entry (os.walk plus an islink test per folder costs twice as many calls).
    """
    found: set[str] = set()
    folders: set[str] = set()
    pending = [""]
    while pending:
        prefix = pending.pop()
        try:
            listing = os.scandir(os.path.join(out_dir, prefix))
        except OSError:
            continue  # as os.walk does: a folder that cannot be listed is skipped
        with listing:
            for entry in listing:
                path = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    folders.add(path)
                    pending.append(path + "/")
                else:
                    found.add(path)
    return found, folders


def check_paths(files: dict[str, bytes]) -> None:
    """Every output path must stay inside the output folder: relative, normalised ("a//b",
    "a/./b" and "a/" are refused), no "..", no backslash, and never the marker."""
    for path in files:
        parts = path.split("/")
        if "\\" in path or parts[0] == MARKER or not UNSAFE_PARTS.isdisjoint(parts):
            raise OutputError(f"refusing to write '{path}': not a path inside the output folder")


UNSAFE_PARTS = frozenset({"", ".", ".."})  # "" comes from a leading "/", a trailing "/" or "//"


def write_site(out_dir: Path, files: dict[str, bytes], known: dict[str, bytes] | None = None) -> tuple[int, int]:
    """Returns (files written, files removed). Call it inside `locked(out_dir)`.

    `known` is what this process wrote last time (the dev server keeps it): a file whose bytes
    are the same as then, and that still exists, is not read back to compare.

    Everything runs in this thread: comparing a file costs an open, a read and a close, far less
    than handing it to a worker thread, and with the page cache taking the writes, threads do not
    make a fresh write faster either.
    """
    known = known or {}
    check_paths(files)
    refuse_strangers(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / MARKER).open("a").close()
    root = os.fspath(out_dir)
    before, before_dirs = existing(out_dir)
    needed = folders_of(files)
    make_folders(root, files, needed, before, before_dirs)
    changed = [path for path, data in files.items()
               if path not in before or (known.get(path) != data and not holds(f"{root}/{path}", data))]
    changed.sort(key=lambda path: path in before)  # new files first: no rewritten page links to a file not yet there
    for path in changed:
        replace_file(f"{root}/{path}", files[path])
    removed = remove_stale(root, before - files.keys() - needed - {MARKER})
    remove_empty_dirs(root, before_dirs - needed)
    return len(changed), removed


def folders_of(files: dict[str, bytes]) -> set[str]:
    """Every folder the site's files lie in: 'terms/arr/index.html' -> 'terms', 'terms/arr'."""
    folders: set[str] = set()
    for path in files:
        folder = path.rpartition("/")[0]
        while folder and folder not in folders:  # stop at the first folder already seen: its parents are too
            folders.add(folder)
            folder = folder.rpartition("/")[0]
    return folders


def make_folders(root: str, files: dict[str, bytes], needed: set[str], before: set[str], before_dirs: set[str]) -> None:
    """Make every folder the site needs a real folder, so no write goes through a link.

    What is on disk is known from one walk (`before`: files and links, `before_dirs`: real
    folders), so a rebuild makes no system call for a folder that is already right.
    """
    for folder in sorted(needed - before_dirs):  # a folder sorts before the folders inside it
        target = f"{root}/{folder}"
        if folder in before:
            os.unlink(target)  # a link or a file where the new site has a folder: remove it, not its target
        try:
            os.mkdir(target)
        except FileExistsError:  # made since the walk: fine if it is a folder
            if not os.path.isdir(target):
                raise
    for path in files.keys() & before_dirs:
        shutil.rmtree(f"{root}/{path}")  # an old folder where the new site has a file


def holds(target: str, data: bytes) -> bool:
    """Whether target is a file (not a link) holding exactly `data`.

    No stat first: reading one byte more than `data` tells a longer file apart just as well,
    and an unchanged file, the common case, then costs only open, read and close.
    O_NONBLOCK keeps a FIFO someone left there from blocking the build.
    """
    try:
        fd = os.open(target, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return False  # a link (O_NOFOLLOW refuses it), or gone: write it
    try:
        return os.read(fd, len(data) + 1) == data
    except OSError:
        return False  # a folder, or unreadable: writing it will say what is wrong
    finally:
        os.close(fd)


def replace_file(target: str, data: bytes) -> None:
    """Write to a temporary name and rename it into place, so a reader (the dev server, a
    browser) sees the old file or the new one, never half of one; the rename replaces a link
    itself, never the file it points to. O_NOFOLLOW: nothing is written through a link left
    at the temporary name."""
    folder, _, name = target.rpartition("/")
    tmp = f"{folder}/.{name}.{os.getpid()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)
    os.replace(tmp, target)


def remove_stale(root: str, stale: set[str]) -> int:
    """Remove the old files and links the new site does not have; returns how many."""
    removed = 0
    for path in sorted(stale):
        try:
            os.unlink(f"{root}/{path}")
        except (FileNotFoundError, NotADirectoryError):
            continue  # it was inside an old folder that make_folders removed
        removed += 1
    return removed


def remove_empty_dirs(root: str, unused: set[str]) -> None:
    """Remove the old folders the new site does not use, innermost first. Their files are gone
    by now; rmdir refuses a folder that still holds something, and that folder stays."""
    for folder in sorted(unused, reverse=True):  # a folder sorts after the folder holding it
        try:
            os.rmdir(f"{root}/{folder}")
        except OSError as error:
            if error.errno not in (errno.ENOTEMPTY, errno.ENOENT, errno.ENOTDIR):
                raise
