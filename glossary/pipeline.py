"""The build, top to bottom: load -> validate -> link -> index -> render -> bundle -> write.

The search index is made on the other core while this one renders the pages and the API files;
nothing is written until everything has rendered, so a failed build leaves the previous site as it was.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from . import output
from .api import api_files
from .background import Background
from .bundle import add_offline_zip
from .devcache import DevCache
from .link import link
from .load import load_content
from .model import Glossary
from .pages import PageJob, Site, extra_files, make_env, offline_note, render_jobs, template_problems
from .parallel import Runner
from .problems import BuildError, Problem
from .search import search_input, search_script
from .theme import load_assets, template_dirs
from .urls import SEARCH_INDEX
from .validate import validate


@dataclass(frozen=True)
class Project:
    content: Path
    out: Path
    templates: Path | None = None  # the user's templates, overriding the built-in ones
    static: Path | None = None
    strict: bool = False
    dev: bool = False
    cache: DevCache | None = field(default=None, compare=False)  # the dev server keeps one between builds


@dataclass
class Report:
    glossary: Glossary
    files: dict[str, bytes]
    warnings: list[Problem]
    timings: dict[str, float] = field(default_factory=dict)
    written: int = 0
    removed: int = 0


class Stages:
    """Times each stage, and raises BuildError after a stage that found errors."""

    def __init__(self, strict: bool) -> None:
        self.strict, self.problems, self.timings = strict, list[Problem](), dict[str, float]()
        self._last = time.perf_counter()

    def done(self, name: str, check: bool = True) -> None:
        now = time.perf_counter()
        self.timings[name] = now - self._last
        self._last = now
        if check and any(self.strict or not p.warning for p in self.problems):
            raise BuildError(self.problems, strict=self.strict)

    def failed_files(self) -> frozenset[str]:
        """Stems of the term files that failed to load."""
        return frozenset(Path(p.path).stem for p in self.problems if not p.warning and p.path.endswith(".md"))


def build(project: Project, write: bool = True) -> Report:
    stages = Stages(project.strict)
    problems, cache = stages.problems, project.cache
    settings, terms = load_content(project.content, problems, cache and cache.terms)
    stages.done("load", check=False)  # go on: validate and link report their problems in the same run
    glossary = validate(settings, terms, problems, stages.failed_files())
    stages.done("validate", check=False)
    glossary, found = link(glossary, Runner())
    problems += found
    stages.done("link")
    assets = load_assets(project.static, project.content.parent)
    env = make_env(template_dirs(project.templates))
    broken = template_problems(env)  # all syntax errors at once; then nothing is rendered
    problems += broken
    site = Site(glossary, env, assets, project.dev)
    mine, theirs = share_pages([] if broken else site.jobs(), len(glossary.terms), cache)
    other_core = Background(other_core_work, glossary, site, theirs)
    try:
        files, found = render_jobs(site, mine, cache and cache.pages)
        problems += found
        files |= api_files(glossary, cache and cache.api)  # while the other core finishes the index
        stages.done("render")
        more, found = other_core.result()
        files |= more
        problems += found
    finally:
        other_core.close()
    stages.done("index")
    files |= assets.outputs() | extra_files(glossary, env, problems)
    add_offline_zip(files, settings.name, offline_note(glossary, env, problems), cache and cache.zipped)
    stages.done("bundle")
    report = Report(glossary, files, [p for p in problems if p.warning], stages.timings)
    if write:
        output.check_out_dir(project.out, protected_dirs(project))
        with output.locked(project.out):
            report.written, report.removed = output.write_site(project.out, files, cache and cache.written)
        if cache:
            cache.written = files
        stages.done("write")
    return report


SHARE_PAGES_FROM = 5000


def share_pages(jobs: list[PageJob], terms: int, cache: DevCache | None) -> tuple[list[PageJob], list[PageJob]]:
    """(this core's pages, the other core's). The other core makes the search index while this one
    renders the pages and the API files; up to a few thousand terms that keeps both about equally
    busy (1,000 terms: index 0.18 s, pages and API 0.25 s). The index then holds fewer words a term
    (search.body_words), and at 10,000 terms (index 0.6 s, pages 2.3 s, API 0.55 s) the other core
    takes every second page too. The dev server renders every page here: its page cache makes that cheap."""
    if cache is not None or terms < SHARE_PAGES_FROM:
        return jobs, []
    return jobs[0::2], jobs[1::2]


def other_core_work(glossary: Glossary, site: Site, jobs: list[PageJob]) -> tuple[dict[str, bytes], list[Problem]]:
    """The search index and a share of the pages, made while this core renders the rest."""
    files, problems = render_jobs(site, jobs)
    files[SEARCH_INDEX] = search_script(search_input(glossary))
    return files, problems


def protected_dirs(project: Project) -> list[Path]:
    dirs = [project.content, Path.cwd()]
    return dirs + [d for d in (project.templates, project.static) if d is not None]
