"""Dates from git: when each term file last changed, and every change to a term file.

This is the only module that runs git, and it runs one `git log` for the whole terms folder (never
one per file), in the load phase; later stages get plain data. Each change carries the file's text
before and after it (the log asks for diffs with unlimited context, so both versions come whole
out of one diff), which is what lets `changes.py` say "summary rewritten" or "body +42 words".

Dates are never invented: outside a git checkout, or for a file whose history a shallow clone cut
off, the date comes from `updated:` in the front matter or there is none. Either case is logged as
one warning per build. It is logged, not reported as a content problem, because it is about the
checkout, not the content: `--strict` must still pass in a CI that clones shallowly.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from .model import Term
from .problems import Problem, display_path

log = logging.getLogger("glossary")

RECORD, HEADER_END = "\x1e", "\x1f"
LOG_FORMAT = f"{RECORD}%H %cI%x1f%D"
FULL_CONTEXT = "--unified=100000000"  # whole files in every diff: both versions of each changed file
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


@dataclass(frozen=True)
class FileChange:
    """One commit's change to one term file. `old`/`new` are the file's text before and after
    (None where the file did not exist, or could not be read as text)."""

    seq: int  # position in history, oldest first: orders changes made in the same second
    commit: str
    when: str  # the commit's date and time, ISO 8601 with offset
    status: str  # A (added), M (modified), D (deleted) or R (renamed)
    slug: str  # the file's slug after the change (for D, the deleted file's)
    old_slug: str = ""  # for R, the slug before
    old: str | None = None
    new: str | None = None

    @property
    def date(self) -> str:
        return self.when[:10]


@dataclass(frozen=True)
class History:
    """What git knows about the terms folder. `state` is 'git', 'shallow' or 'none' (no history)."""

    state: str = "none"
    changes: tuple[FileChange, ...] = ()  # oldest first; a shallow clone's boundary commit is left out
    dates: dict[str, str] = field(default_factory=dict)  # slug -> ISO date of the last commit that changed it

    @property
    def available(self) -> bool:
        return self.state != "none"


# --- reading git ----------------------------------------------------------------------------


def read_history(terms_dir: Path) -> History:
    """The history of `terms_dir`'s .md files from one `git log`; History() (and a warning) without git."""
    where = display_path(terms_dir)
    if not terms_dir.is_dir():
        return History()  # the load stage reports the missing folder
    if shutil.which("git") is None:
        log.warning(f"{where}: warning: git is not installed, so term dates come only from 'updated:' in front "
                    "matter")
        return History()
    try:
        output = run_git_log(terms_dir)
    except subprocess.CalledProcessError:
        log.warning(f"{where}: warning: not in a git checkout, so term dates come only from 'updated:' in front "
                    "matter")
        return History()
    return parse_log(output, where)


def run_git_log(terms_dir: Path) -> str:
    """Every commit that touched a .md file directly in terms_dir, newest first, with raw status lines
    and full-context diffs. core.quotepath=off keeps non-ASCII names readable."""
    command = ["git", "-c", "core.quotepath=off", "log", "-M", "--relative", "--raw", "-p", FULL_CONTEXT,
               "--no-color", "--no-ext-diff", "--no-textconv", f"--format={LOG_FORMAT}", "--", "*.md"]
    done = subprocess.run(command, cwd=terms_dir, capture_output=True, check=True)
    return done.stdout.decode("utf-8", errors="replace")


def parse_log(output: str, where: str = "") -> History:
    """History from run_git_log's output. Commits marked 'grafted' are a shallow clone's boundary: every
    file there looks newly added, so those changes and dates are dropped as unknown."""
    records = [r for r in output.split(RECORD) if r.strip()]
    changes: list[FileChange] = []
    cut: set[str] = set()  # slugs whose newest change is a boundary commit
    shallow = False
    for record in reversed(records):  # oldest first
        commit, when, grafted, found = parse_record(record)
        shallow = shallow or grafted
        for change in found:
            if "/" in change.slug or "/" in change.old_slug:
                continue  # a file in a subfolder is not a term file
            if grafted:
                cut.add(change.slug)
                continue
            cut.discard(change.slug)
            changes.append(replace(change, seq=len(changes), commit=commit, when=when))
    dates = last_dates(changes)
    if shallow:
        unknown = sorted(cut - dates.keys())
        if unknown:
            files = "history of 1 term file is" if len(unknown) == 1 else f"histories of {len(unknown)} term files are"
            log.warning(f"{where}: warning: shallow git clone: the {files} cut off, so their dates "
                        "come only from 'updated:' in front matter (fetch the whole history with "
                        "'git fetch --unshallow')")
    return History("shallow" if shallow else "git", tuple(changes), dates)


def parse_record(record: str) -> tuple[str, str, bool, list[FileChange]]:
    """(commit, when, is a shallow boundary, its changes) from one commit's part of the log."""
    header, _, rest = record.partition("\n")
    ident, _, decorations = header.partition(HEADER_END)
    commit, _, when = ident.partition(" ")
    grafted = "grafted" in (d.strip() for d in decorations.split(","))
    statuses = [line for line in rest.split("\n") if line.startswith(":")]
    diffs = {diff.partition("\n")[0].rpartition(" b/")[2]: diff
             for diff in re.split(r"^diff --git ", rest, flags=re.MULTILINE)[1:]}
    changes = [file_change(status, diffs.get(status.split("\t")[-1], "")) for status in statuses]
    return commit, when.strip(), grafted, [c for c in changes if c is not None]


def file_change(status_line: str, diff: str) -> FileChange | None:
    """One raw status line (':100644 100644 abc def M<TAB>name.md') and its diff, as a FileChange."""
    fields = status_line.split("\t")
    status = fields[0].split()[-1][:1]
    names = [f for f in fields[1:] if f]
    if status not in "AMDR" or not names or not all(n.endswith(".md") for n in names):
        return None
    old, new = versions(diff)
    slugs = [n.removesuffix(".md") for n in names]
    if status == "A":
        return FileChange(0, "", "", "A", slugs[0], new=new)
    if status == "D":
        return FileChange(0, "", "", "D", slugs[0], old=old)
    if status == "R":
        return FileChange(0, "", "", "R", slugs[-1], slugs[0], old, new)
    return FileChange(0, "", "", "M", slugs[0], old=old, new=new)


def versions(diff: str) -> tuple[str | None, str | None]:
    """(text before, text after) from a full-context diff; (None, None) when it has no hunk
    (a rename without edits, or a binary file)."""
    lines = diff.split("\n")
    start = next((i for i, line in enumerate(lines) if line.startswith("@@")), None)
    if start is None:
        return None, None
    old: list[str] = []
    new: list[str] = []
    for line in lines[start + 1:]:
        mark, text = line[:1], line[1:]
        if mark == " ":
            old.append(text)
            new.append(text)
        elif mark == "-":
            old.append(text)
        elif mark == "+":
            new.append(text)
    # A diff has no line for "the file ends with a newline"; only the opposite is marked ("\ No newline").
    return "\n".join(old) + "\n", "\n".join(new) + "\n"


def last_dates(changes: list[FileChange]) -> dict[str, str]:
    """slug -> date of the newest change that left a file under that slug."""
    dates: dict[str, str] = {}
    for change in changes:
        if change.status == "D":
            dates.pop(change.slug, None)
        else:
            dates[change.slug] = change.date
        if change.status == "R":
            dates.pop(change.old_slug, None)
            dates[change.slug] = change.date
    return dates


# --- dating the terms -------------------------------------------------------------------------


def dated(terms: list[Term], history: History) -> list[Term]:
    """The terms with `updated` set: the front matter's date where there is one, else git's."""
    return [t if t.updated or t.slug not in history.dates else replace(t, updated=history.dates[t.slug])
            for t in terms]


def with_history(terms: list[Term], content_dir: Path) -> tuple[tuple[list[Term], History], list[Problem]]:
    """The load phase's one call: read git once for the terms folder, and date the terms. (No problems:
    what is wrong with a checkout is logged, see the module's docstring.)"""
    history = read_history(content_dir / "terms")
    return (dated(terms, history), history), []


# --- dates as text --------------------------------------------------------------------------


def long_date(iso: str) -> str:
    """'2026-03-12' -> '12 March 2026' ('' stays '')."""
    if not iso:
        return ""
    day = date.fromisoformat(iso[:10])
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
