"""netlify.toml's [[headers]] rules, applied to a path the way Netlify applies them; a local web server
that sends them; and one that answers a missing path with 404.html, as Netlify does.

A rule's `for` path becomes a regular expression as in Netlify's own headers parser: `:name` is one path
segment, a standalone `*` is the rest of the path (possibly empty), a trailing slash is optional and
case is ignored. Every matching rule applies. Where two matching rules set the same header, the
values are joined into one comma-separated header, which for Content-Security-Policy means two
policies that the browser enforces both; the tests check that this never happens.
"""

from __future__ import annotations

import functools
import http.server
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import REPO, QuietHandler, serve


def for_regexp(for_path: str) -> re.Pattern[str]:
    parts = [part.rstrip() for part in for_path.split("/") if part.rstrip()]
    pattern = "/".join(part_regexp(part) for part in parts)
    return re.compile(f"^/{pattern}/?$", re.IGNORECASE)


def part_regexp(part: str) -> str:
    if part.startswith(":"):
        return "([^/]+)"
    if part == "*":
        return "?(.*)"
    return "(.*)".join(re.escape(piece) for piece in part.split("*"))


@functools.cache
def rules(config: Path = REPO / "netlify.toml") -> tuple[tuple[re.Pattern[str], tuple[tuple[str, str], ...]], ...]:
    headers = tomllib.loads(config.read_text(encoding="utf-8"))["headers"]
    return tuple((for_regexp(h["for"]), tuple(h["values"].items())) for h in headers)


def matching_values(path: str) -> dict[str, list[str]]:
    """Header name -> the value each matching rule gives it, in rule order."""
    found: dict[str, list[str]] = {}
    for regexp, values in rules():
        if regexp.match(path):
            for name, value in values:
                found.setdefault(name, []).append(value)
    return found


def headers_for(path: str) -> dict[str, str]:
    """The headers a response for `path` carries, every matching rule applied."""
    return {name: ", ".join(values) for name, values in matching_values(path).items()}


class NetlifyHandler(QuietHandler):
    """Serves a folder with netlify.toml's headers for each request's path."""

    def end_headers(self) -> None:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        for name, value in headers_for(path).items():
            self.send_header(name, value)
        super().end_headers()


def serve_netlify(root: Path) -> tuple[str, Callable[[], None]]:
    """(base URL, stop) of a server for `root` that sends netlify.toml's headers."""
    return serve(functools.partial(NetlifyHandler, directory=str(root)))


def netlify_handler(root: Path, headers: dict[str, str] | None = None) -> type[http.server.SimpleHTTPRequestHandler]:
    """Serves `root` as Netlify does: a missing path gets 404.html's bytes with status 404; every
    response carries `headers`."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(root), **kwargs)

        def end_headers(self) -> None:
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            super().end_headers()

        def send_head(self) -> Any:
            path = Path(self.translate_path(self.path))
            if path.is_file() or (path.is_dir() and (path / "index.html").is_file()):
                return super().send_head()
            body = (root / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return None

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


def netlify_server(root: Path, headers: dict[str, str] | None = None) -> tuple[str, Callable[[], None]]:
    """(base URL, stop) of a server for `root` that answers missing paths as Netlify does (see netlify_handler)."""
    return serve(netlify_handler(root, headers))
