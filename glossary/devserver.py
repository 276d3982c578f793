"""`glossary serve`: build, serve the site, rebuild on every save, reload the browser.

Built on livereload, with three changes to its defaults (all in `configure_livereload`):
- livereload ignores a change that comes within 3 s of the previous reload, which loses
  quick successive saves; we set that window to zero;
- it polls every 800 ms; we poll every 200 ms so a saved page shows within about half a second;
- its INFO lines stay off the author's terminal.
The site is served by our own small WSGI app, which never reads outside the site folder and, after a
failed rebuild, shows the errors on every page over the last good site.

The dev server is the only place that keeps a cache: `MemoRunner` remembers every batch of stage work
by its inputs, so a rebuild after one save redoes only the work whose inputs changed, and the last
written site, so unchanged files are not read back to compare. The pages it writes are byte-identical
to a full build's (the offline zip is left to `glossary build`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import logging
import mimetypes
import pickle
import signal
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, Future
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from . import output
from .parallel import Batch, R, Runner, S, T, done
from .pipeline import Project, Report, build, protected
from .problems import BuildError, count
from .theme import builtin

POLL_MS = 200
StartResponse = Callable[[str, list[tuple[str, str]]], object]


def digest(value: object) -> bytes:
    """A key for a value by its contents (what would be sent to a worker)."""
    return hashlib.blake2b(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), digest_size=16).digest()


class MemoRunner(Runner):
    """A runner that remembers each batch function's results by their inputs (the shared value and the
    item), and hands only the items it has not seen to the executor. `forget_unused()` after each build
    drops what that build did not use, so the memo never grows past one site."""

    def __init__(self, executor: Executor | None = None, jobs: int = 1) -> None:
        super().__init__(executor, jobs)
        self.memo: dict[tuple[str, bytes], Any] = {}
        self.used: set[tuple[str, bytes]] = set()

    def map(self, fn: Batch[S, T, R], shared: S, items: Sequence[T]) -> list[R]:
        base = digest(shared)
        keys = [(name_of(fn), digest((base, item))) for item in items]
        missing = {key: item for key, item in zip(keys, items, strict=True) if key not in self.memo}
        self.memo.update(zip(missing, super().map(fn, shared, list(missing.values())), strict=True))
        self.used.update(keys)
        return [self.memo[key] for key in keys]

    def submit(self, fn: Callable[[S], R], arg: S) -> Future[R]:
        key = (name_of(fn), digest(arg))
        self.used.add(key)
        if key in self.memo:
            return done(self.memo[key])
        future = super().submit(fn, arg)
        future.add_done_callback(lambda f: self.memo.__setitem__(key, f.result()))
        return future

    def forget_unused(self) -> None:
        self.memo = {key: value for key, value in self.memo.items() if key in self.used}
        self.used = set()


def name_of(fn: Callable[..., object]) -> str:
    return f"{fn.__module__}.{fn.__qualname__}"


class DevState:
    """What the server knows about the last build, and the cache it keeps between builds."""

    def __init__(self, project: Project, executor: Executor | None = None, jobs: int = 1) -> None:
        self.project = dataclasses.replace(project, offline_zip=False)
        self.runner = MemoRunner(executor, jobs)
        self.written: dict[str, bytes] = {}  # the site as last written
        self.report: Report | None = None
        self.errors: list[str] = []
        self.built = False

    def rebuild(self) -> None:
        started = time.perf_counter()
        try:
            try:
                report = build(self.project, self.runner, write=False)
            finally:
                self.runner.forget_unused()
            output.check_out_dir(self.project.out, protected(self.project))
            with output.locked(self.project.out):
                report.written, report.removed = output.write_site(self.project.out, report.files, self.written)
            self.written, self.report = report.files, report
        except BuildError as exc:
            self.errors = [str(p) for p in exc.problems]
            print("\n".join(self.errors), file=sys.stderr)
            print(exc.summary(f"{self.project.out}/"), file=sys.stderr)
            return
        except Exception as exc:  # a broken template or file must not stop the server
            self.errors = [f"{type(exc).__name__}: {exc}"]
            print(self.errors[0], file=sys.stderr)
            return
        verb = "Rebuilt" if self.built else "Built"
        self.errors, self.built = [], True
        print(f"{verb} {count(len(report.glossary.terms), 'term')} in {time.perf_counter() - started:.2f} s "
              f"({report.written} files written).", flush=True)


def error_banner(errors: list[str]) -> bytes:
    items = "".join(f"<li>{html.escape(e)}</li>" for e in errors)
    return (
        '<div id="glossary-build-errors" role="alert" style="position:sticky;top:0;z-index:1000;'
        "background:#8b0000;color:#fff;padding:1rem;font:14px/1.5 monospace;white-space:pre-wrap\">"
        f"<strong>Build failed: the last good site is shown. Fix these and save:</strong><ul>{items}</ul></div>"
    ).encode()


def resolve(root: Path, url_path: str) -> Path | None:
    """The file for a URL path, or None: never a file outside `root` (no `..`, no absolute paths)."""
    parts = [p for p in unquote(url_path).replace("\\", "/").split("/") if p not in ("", ".")]
    if any(p == ".." or "\x00" in p for p in parts):
        return None
    target = root.joinpath(*parts)
    if target.is_dir():
        target = target / "index.html"
    try:
        real = target.resolve()
    except (OSError, RuntimeError):
        return None
    return real if real.is_relative_to(root.resolve()) and real.is_file() else None


def make_app(state: DevState) -> Callable[[dict, StartResponse], Iterable[bytes]]:
    root = state.project.out

    def app(environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/")
        target = resolve(root, path)
        status = "200 OK"
        if target is not None and (root / path.lstrip("/")).is_dir() and not path.endswith("/"):
            start_response("301 Moved Permanently", [("Location", path + "/")])
            return [b""]
        if target is None:
            status, target = "404 Not Found", resolve(root, "404.html")
        if target is None:
            start_response(status, [("Content-Type", "text/plain; charset=utf-8")])
            return [b"Not found"]
        body = target.read_bytes()
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind == "text/html" and state.errors:
            body = body.replace(b"<body>", b"<body>" + error_banner(state.errors), 1)
        headers = [("Content-Type", f"{kind}; charset=utf-8" if kind.startswith("text/") else kind),
                   ("Cache-Control", "no-store")]
        start_response(status, headers)
        return [body]

    return app


def configure_livereload() -> type:
    """livereload's settings that it offers no parameter for, in one place (tests/build/test_devserver.py
    fails if livereload stops reading them): no 3-second window in which changes are ignored, and no INFO
    lines. Returns a watcher class that polls every POLL_MS milliseconds."""
    from livereload.handlers import LiveReloadHandler
    from livereload.watcher import Watcher
    from tornado import ioloop

    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0
    logging.getLogger("livereload").addFilter(lambda record: record.levelno >= logging.WARNING)
    logging.getLogger("tornado.access").setLevel(logging.ERROR)

    class FastWatcher(Watcher):
        def start(self, callback: Callable[[], None]) -> bool:
            ioloop.PeriodicCallback(callback, POLL_MS).start()
            return True

    return FastWatcher


def serve(project: Project, host: str, port: int, executor: Executor | None = None, jobs: int = 1) -> int:
    from livereload import Server

    # SIGTERM (as from a process manager) ends the server like Ctrl+C, so the command line shuts the workers down.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(0))
    watcher = configure_livereload()
    state = DevState(project, executor, jobs)
    state.rebuild()
    server = Server(app=make_app(state), watcher=watcher())
    watched = [project.content, *(d for d in (project.templates, project.static) if d)]
    watched += [Path(str(builtin("templates"))), Path(str(builtin("static")))]
    for folder in dict.fromkeys(p.resolve() for p in watched):
        server.watch(str(folder), state.rebuild)
    print(f"Serving {project.out}/ at http://{host}:{port}/ (Ctrl+C to stop)", flush=True)
    server.serve(host=host, port=port, debug=False, restart_delay=0)
    return 0
