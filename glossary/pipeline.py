"""The build, top to bottom: load -> validate -> link -> index -> render -> bundle -> write.

Each stage is a function from typed values to typed values and its problems; parallel work goes
through the runner passed in. Nothing is written until everything has rendered, so a failed build
leaves the previous site as it was.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from . import output
from .bundle import bundle
from .feeds import help_files
from .history import History, with_history
from .link import link
from .load import load
from .model import Glossary
from .pages import compile_templates, render, site_inputs
from .parallel import Runner
from .problems import BuildError, Problem
from .search import search_files
from .theme import load_theme
from .validate import validate

T = TypeVar("T")


@dataclass(frozen=True)
class Project:
    content: Path
    out: Path
    templates: Path | None = None  # the user's templates, overriding the built-in ones
    static: Path | None = None
    strict: bool = False
    offline_zip: bool = True  # the dev server serves pages only


@dataclass
class Report:
    glossary: Glossary
    history: History  # what git says of the terms folder (check-links --report reads it too)
    files: dict[str, bytes]
    warnings: list[Problem]
    timings: dict[str, float] = field(default_factory=dict)
    written: int = 0
    removed: int = 0


def build(project: Project, runner: Runner | None = None, write: bool = True) -> Report:
    runner, check = runner or Runner(), Checks(project.strict)
    theme = check("theme", load_theme(project.templates, project.static), stop=False)
    settings, terms = check("load", load(project.content, runner), stop=False)  # validate and link report more
    compiled = runner.submit(compile_templates, theme.templates)  # on a worker while the terms are linked
    terms, history = check("history", with_history(terms, project.content), stop=False)  # one git log: dates
    glossary = check("validate", validate(settings, terms, check.unloaded()), stop=False)
    glossary = check("link", link(glossary, runner))
    index = runner.submit(search_files, glossary)  # on a worker while the pages render
    site = check("templates", site_inputs(glossary, theme, compiled.result()))  # what every page shares
    files = check("render", render(glossary, site, runner)) | theme.assets.outputs()
    files |= check("help docs", help_files(glossary, history, site, runner))  # changes, feed, cards, oEmbed
    files |= check("index", (index.result(), []))
    files |= check("bundle", (bundle(files, glossary) if project.offline_zip else {}, []))
    report = Report(glossary, history, files, check.warnings(), check.timings)
    if write:
        report.written, report.removed = check("write", (output.write(project.out, files, protected(project)), []))
    return report


class Checks:
    """Collects each stage's problems and time; raises BuildError after a stage that found errors
    (or warnings, when strict)."""

    def __init__(self, strict: bool) -> None:
        self.strict, self.problems, self.timings = strict, list[Problem](), dict[str, float]()
        self.last = time.perf_counter()

    def __call__(self, stage: str, result: tuple[T, list[Problem]], stop: bool = True) -> T:
        value, found = result
        self.problems += found
        now = time.perf_counter()
        self.timings[stage], self.last = now - self.last, now
        if stop and any(self.strict or not p.warning for p in self.problems):
            raise BuildError(self.problems, strict=self.strict)
        return value

    def unloaded(self) -> frozenset[str]:
        """Slugs of the term files that failed to load: references to them are not errors of their own."""
        return frozenset(Path(p.path).stem for p in self.problems if not p.warning and p.path.endswith(".md"))

    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.warning]


def protected(project: Project) -> list[Path]:
    """Folders the output folder must never be (or contain): a build would delete their files."""
    dirs = [project.content, Path.cwd()]
    return dirs + [d for d in (project.templates, project.static) if d is not None]
