"""Shared fixtures: small projects on disk, the built sales glossary, a local web server, Chromium."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
import typing
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from glossary.pipeline import Project, build

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
                 "--no-first-run", "--disable-component-update", "--disable-sync"]
ARTIFACTS = REPO / "test-artifacts"

SITE_YAML = """\
title: Test Glossary
description: Terms for tests.
base_url: https://glossary.example.com/
categories: [Metrics, Process]
"""


def term_file(title: str, body: str = "A definition.", **fields: object) -> str:
    lines = [f"title: {title}"] + [f"{k}: {v}" for k, v in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n" + body + "\n"


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Project]:
    """Write {relative path: text} under tmp_path/content and return a Project for it."""

    def make(files: dict[str, str], site_yaml: str | None = SITE_YAML, **options: object) -> Project:
        content = tmp_path / "content"
        for rel, text in files.items():
            path = content / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        (content / "terms").mkdir(parents=True, exist_ok=True)
        if site_yaml is not None:
            (content / "site.yaml").write_text(site_yaml, encoding="utf-8")
        return Project(content=content, out=tmp_path / "_site", **options)  # type: ignore[arg-type]

    return make


@pytest.fixture(scope="session")
def sales_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real sales glossary, built once per test session."""
    out = tmp_path_factory.mktemp("sales") / "_site"
    build(Project(content=REPO / "content", out=out, strict=True))
    return out


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    extra_headers: typing.ClassVar[dict[str, str]] = {}

    def end_headers(self) -> None:
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def serve_dir(root: Path, headers: dict[str, str] | None = None) -> tuple[str, Callable[[], None]]:
    handler = type("Handler", (QuietHandler,), {"extra_headers": headers or {}})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return f"http://127.0.0.1:{server.server_address[1]}/", stop


@pytest.fixture(scope="session")
def sales_url(sales_site: Path) -> Iterator[str]:
    url, stop = serve_dir(sales_site)
    yield url
    stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists() or shutil.which("node") is None:
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run must install Debian's chromium")
        pytest.skip(f"{CHROMIUM} not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh page that records console errors and every request it makes."""
    context = browser.new_context()  # type: ignore[attr-defined]
    pg = context.new_page()
    pg.console_errors = []  # type: ignore[attr-defined]
    pg.requests = []  # type: ignore[attr-defined]
    pg.on("console", lambda m: m.type == "error" and pg.console_errors.append(m.text))
    pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))
    pg.on("request", lambda r: pg.requests.append(r.url))
    yield pg
    context.close()
