"""Content problems: collected across a whole build, then reported together."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, located at `path:line`."""

    path: str
    line: int
    message: str
    hint: str = ""
    warning: bool = False

    def __str__(self) -> str:
        prefix = "warning: " if self.warning else ""
        hint = f" ({self.hint})" if self.hint else ""
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {prefix}{self.message}{hint}"


class BuildError(Exception):
    """Raised once, at the end of a stage, carrying every problem found so far.

    `strict` (--strict) makes warnings count as errors; when it is not given, a BuildError
    that carries only warnings can only come from a strict build.
    """

    def __init__(self, problems: list[Problem], strict: bool | None = None) -> None:
        self.problems = sorted(problems)
        errors = [p for p in self.problems if not p.warning]
        self.strict = not errors if strict is None else strict
        super().__init__("\n".join(folded(self.problems)))

    def summary(self, out_dir: str | None) -> str:
        failing = [p for p in self.problems if self.strict or not p.warning]
        files = len({p.path for p in failing})
        warnings = sum(p.warning for p in failing)
        counts = [count(len(failing) - warnings, "error")] if len(failing) > warnings else []
        counts += [count(warnings, "warning")] if warnings else []
        text = f"Build failed: {' and '.join(counts)} in {count(files, 'file')}"
        text += " (--strict treats warnings as errors)." if warnings else "."
        if out_dir:
            text += f" The site in {out_dir} was left as it was."
        return text


SHOWN_PER_WARNING = 3  # files named for a warning that many files share; one line counts the rest


def folded(problems: list[Problem], shown: int = SHOWN_PER_WARNING) -> list[str]:
    """The lines that report `problems`: a warning that more than `shown` files share (the same message
    and hint) is printed for the first `shown` of them, then one line says how many more files have it.
    Errors are always printed one by one: each is a place the author must go."""
    files: dict[tuple[str, str], dict[str, int]] = {}  # (message, hint) -> {path: its rank among them}
    for p in problems:
        if p.warning:
            paths = files.setdefault((p.message, p.hint), {})
            paths.setdefault(p.path, len(paths))
    lines: list[str] = []
    counted: set[tuple[str, str]] = set()
    for p in problems:
        key = (p.message, p.hint)
        paths = files[key] if p.warning else {}
        rank = paths.get(p.path, 0)
        if rank >= shown:
            continue
        lines.append(str(p))
        if rank == shown - 1 and len(paths) > shown and key not in counted:
            counted.add(key)
            lines.append(f"... and {count(len(paths) - shown, 'more file')}")
    return lines


def count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def display_path(path: Path) -> str:
    """The path as the author typed it: relative to the working directory when inside it."""
    if path.name in ("", ".", ".."):
        return _relative(str(path), os.getcwd())
    folder = _relative(str(path.parent), os.getcwd())  # cached: 10,000 terms share one folder
    if folder == ".":
        return path.name
    return str(path) if os.path.isabs(folder) else f"{folder}/{path.name}"


@functools.lru_cache(maxsize=256)
def _relative(path: str, cwd: str) -> str:
    try:
        rel = os.path.relpath(path, cwd)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def did_you_mean(word: str, choices: list[str] | set[str], suffix: str = "") -> str:
    """A 'did you mean' hint for the closest choice, or '' when nothing is close."""
    import difflib

    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}{suffix}'?" if close else ""
