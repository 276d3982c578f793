"""`glossary serve`: build, serve the site, rebuild on every save, reload the browser.

Built on livereload, with three changes to its defaults:
- livereload ignores a change that comes within 3 s of the previous reload, which loses
  quick successive saves; we set that window to zero;
- it polls every 800 ms; we poll every 200 ms so a saved page shows within about half a second;
- the site is served by our own small WSGI app, which never reads outside the site folder
  and, after a failed rebuild, shows the errors on every page over the last good site.
"""

from __future__ import annotations

import html
import logging
import mimetypes
import sys
import time
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import unquote

from .pipeline import Project, build
from .problems import BuildError, count
from .theme import builtin_dir

POLL_MS = 200
StartResponse = Callable[[str, list[tuple[str, str]]], object]


class DevState:
    """What the server knows about the last build."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.errors: list[str] = []
        self.built = False

    def rebuild(self) -> None:
        started = time.perf_counter()
        try:
            report = build(self.project)
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


def serve(project: Project, host: str, port: int) -> int:
    # livereload and tornado still use APIs that warn on current Pythons; authors need not see that.
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    from livereload import Server
    from livereload.handlers import LiveReloadHandler
    from livereload.watcher import Watcher
    from tornado import ioloop

    class FastWatcher(Watcher):
        def start(self, callback: Callable[[], None]) -> bool:
            ioloop.PeriodicCallback(callback, POLL_MS).start()
            return True

    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0
    state = DevState(project)
    state.rebuild()
    server = Server(app=make_app(state), watcher=FastWatcher())
    server._setup_logging = lambda: None  # keep livereload's INFO lines off the author's terminal
    watched = [project.content, *(d for d in (project.templates, project.static) if d)]
    watched += [builtin_dir("templates"), builtin_dir("static")]
    for folder in dict.fromkeys(p.resolve() for p in watched):
        server.watch(str(folder), state.rebuild)
    logging.getLogger("livereload").setLevel(logging.WARNING)
    logging.getLogger("tornado.access").setLevel(logging.ERROR)
    print(f"Serving {project.out}/ at http://{host}:{port}/ (Ctrl+C to stop)", flush=True)
    server.serve(host=host, port=port, debug=False, restart_delay=0)
    return 0
