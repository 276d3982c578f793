"""Command line: glossary build|serve|check|check-links|new|import."""

from __future__ import annotations

import argparse
import datetime
import sys
import time
from pathlib import Path

from .importers import add_import_parser, import_command
from .link import everyday_word_report
from .output import OutputError
from .parallel import Runner, default_jobs, for_one_build, gc_paused, make_executor
from .pipeline import Project, build
from .problems import BuildError, count, folded
from .theme import ThemeError


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="glossary", description="Build a static glossary site from Markdown term files.")
    sub = p.add_subparsers(dest="command")
    for name, text in [("build", "build the site (the default)"), ("serve", "build, serve and rebuild on save"),
                       ("check", "validate the content without writing anything")]:
        c = sub.add_parser(name, help=text)
        add_project_options(c)
        if name == "serve":
            c.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
            c.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    links = sub.add_parser("check-links", help="report glossary URLs in files that do not resolve")
    add_project_options(links)
    links.add_argument("paths", nargs="+", type=Path, help="files or folders of help articles")
    links.add_argument("--report", type=Path, help="also write which articles cite which terms to this file")
    links.add_argument("--format", choices=("json", "csv"), default="json", help="the report's format (default json)")
    links.add_argument("--since", type=iso_date, metavar="YYYY-MM-DD",
                       help="report only terms whose definition changed on or after this date")
    sub.add_parser("new", help="start a glossary in a new folder").add_argument("dir", type=Path, help="the folder")
    add_import_parser(sub)
    return p


def iso_date(text: str) -> str:
    """--since: a date such as 2026-03-12."""
    try:
        return datetime.date.fromisoformat(text).isoformat() if len(text) == 10 else iso_date_error(text)
    except ValueError:
        return iso_date_error(text)


def iso_date_error(text: str) -> str:
    raise argparse.ArgumentTypeError(f"'{text}' is not a date such as 2026-03-12")


def add_project_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--content", type=Path, default=Path("content"), help="content folder (default content/)")
    p.add_argument("--out", type=Path, default=Path("_site"), help="output folder (default _site/)")
    p.add_argument("--templates", type=Path, help="your templates, overriding built-in ones of the same name")
    p.add_argument("--static", type=Path, help="your static files, overriding built-in ones of the same name")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--jobs", type=positive, default=default_jobs(), metavar="N",
                   help="worker processes for parallel work (default: the number of CPUs; 1 runs everything here)")


def positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return int(text)


def project_from(args: argparse.Namespace) -> Project:
    return Project(content=args.content, out=args.out, templates=args.templates, static=args.static,
                   strict=args.strict)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help")):
        argv = ["build", *argv]
    args = parser().parse_args(argv)
    try:
        if args.command == "new":
            from .scaffold import new_command

            return new_command(args.dir)
        if args.command == "import":
            return import_command(args)
        return run_project(args)
    except (OutputError, ThemeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def run_project(args: argparse.Namespace) -> int:
    """build, check, serve and check-links: the commands that build the site, on one executor."""
    serving = args.command == "serve"
    # The dev server starts workers afresh (spawn) rather than forking its threaded self; the workers of a
    # single build run as it does (see gc_paused).
    executor = make_executor(args.jobs, "spawn") if serving else make_executor(args.jobs, initializer=for_one_build)
    try:
        if serving:
            from .devserver import serve

            return serve(project_from(args), args.host, args.port, executor, args.jobs)
        with gc_paused():  # one build, then the process ends
            runner = Runner(executor, args.jobs)
            if args.command == "check-links":
                from .linkcheck import ReportRequest, check_links_command

                request = ReportRequest(args.report, args.format, args.since or "") if args.report else None
                return check_links_command(project_from(args), args.paths, runner, request)
            return run_build(project_from(args), runner, write=args.command == "build")
    finally:
        if executor is not None:
            executor.shutdown(cancel_futures=True)


def run_build(project: Project, runner: Runner, write: bool) -> int:
    started = time.perf_counter()
    try:
        report = build(project, runner, write=write)
    except BuildError as exc:
        print(exc, file=sys.stderr)
        print(exc.summary(f"{project.out}/" if write else None), file=sys.stderr)
        return 1
    for line in folded(sorted(report.warnings)):
        print(line, file=sys.stderr)
    terms = count(len(report.glossary.terms), "term")
    took = time.perf_counter() - started
    if write:
        print(f"Built {terms} into {project.out}/ in {took:.2f} s "
              f"({report.written} files written, {report.removed} removed).")
    else:
        print(f"Checked {terms} in {took:.2f} s: no errors.")
        for line in everyday_word_report(report.glossary):  # names that link only with evidence
            print(line)
    return 0
