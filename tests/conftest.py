"""Shared fixtures: small projects on disk, the built sales glossary, a local web server, Chromium."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
import typing
import zipfile
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
    return serve(functools.partial(handler, directory=str(root)))


def serve(handler: Callable[..., http.server.BaseHTTPRequestHandler]) -> tuple[str, Callable[[], None]]:
    """(base URL, stop) of a threaded server on a free local port, answering with `handler`."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return f"http://127.0.0.1:{server.server_address[1]}/", stop


CLOUD = REPO / "tests" / "glossaries" / "cloud" / "content"


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the generator installed from a wheel built by `python -m build`,
    in a folder with no node_modules: the `glossary` command as another team gets it. Returns its bin folder."""
    work = tmp_path_factory.mktemp("install")
    made = subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(work / "dist"), str(REPO)],
                          cwd=work, capture_output=True, text=True, timeout=600)
    assert made.returncode == 0, made.stdout[-3000:] + made.stderr[-3000:]
    wheel = next((work / "dist").glob("*.whl"))
    subprocess.run([sys.executable, "-m", "venv", str(work / "venv")], check=True, timeout=300)
    bin_dir = work / "venv" / ("Scripts" if os.name == "nt" else "bin")
    subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    str(wheel)], check=True, capture_output=True, timeout=600)
    return bin_dir


@pytest.fixture(scope="session")
def cloud_site(installed: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The second test glossary (Cloud & Web Platform), built --strict by the installed command in a folder
    of its own, away from this repository and its node_modules."""
    project = tmp_path_factory.mktemp("cloud")
    shutil.copytree(CLOUD, project / "content")
    commit_all(project, "2026-03-12T10:00:00+00:00")  # a team keeps its glossary in git: terms get dates
    done = subprocess.run([str(installed / "glossary"), "build", "--strict"], cwd=project, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return project / "_site"


def commit_all(folder: Path, when: str) -> None:
    """`git init` and one commit of everything in `folder`, at a fixed date."""
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_NAME": "Tests",
           "GIT_AUTHOR_EMAIL": "tests@example.com", "GIT_COMMITTER_NAME": "Tests",
           "GIT_COMMITTER_EMAIL": "tests@example.com"}
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "Glossary"]):
        subprocess.run(["git", *command], cwd=folder, env=env, check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="session")
def cloud_url(cloud_site: Path) -> Iterator[str]:
    url, stop = serve_dir(cloud_site)
    yield url
    stop()


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


@pytest.fixture(scope="session")
def offline_root(sales_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sales glossary's offline zip, unzipped: the copy a reader opens from disk."""
    target = tmp_path_factory.mktemp("offline")
    with zipfile.ZipFile(sales_site / "download" / "sales-glossary-offline.zip") as zf:
        zf.extractall(target)
    return target / "sales-glossary"


@pytest.fixture
def new_page(browser: typing.Any) -> Iterator[Callable[..., typing.Any]]:
    """Makes pages in contexts of their own (`new_page(viewport=..., color_scheme=...)`), each recording its
    console errors; `quiet_404=True` leaves out the browser's own "404" lines (for pages that visit one)."""
    contexts: list[typing.Any] = []

    def make(quiet_404: bool = False, **options: typing.Any) -> typing.Any:
        context = browser.new_context(**options)
        contexts.append(context)
        pg = context.new_page()
        pg.console_errors = []
        pg.on("console", lambda m: m.type == "error" and not (quiet_404 and "404" in m.text)
              and pg.console_errors.append(m.text))
        pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))
        return pg

    yield make
    for context in contexts:
        context.close()


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
