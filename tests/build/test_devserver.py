"""The dev server: live reload on save, errors shown over the last good site, no reading outside the site."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from glossary.devserver import resolve
from tests.conftest import term_file


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.fixture
def server(make_project):
    project = make_project({"terms/lead.md": term_file("Lead", "First version.", summary="A buyer.")})
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "glossary", "serve", "--content", str(project.content),
                             "--out", str(project.out), "--port", str(port)],
                            cwd=project.content.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            fetch(url)
            break
        except OSError:
            time.sleep(0.1)
    yield project, url
    proc.terminate()
    _out, err = proc.communicate(timeout=10)
    assert "DeprecationWarning" not in err


def test_livereload_still_reads_the_settings_we_change() -> None:
    """devserver.configure_livereload sets what livereload offers no parameter for; if livereload renames
    or stops reading them, this fails rather than the dev server silently waiting 3 s between reloads."""
    import inspect

    from livereload.handlers import LiveReloadHandler
    from livereload.watcher import Watcher

    from glossary.devserver import configure_livereload

    watcher = configure_livereload()
    assert LiveReloadHandler.DEFAULT_RELOAD_TIME == 0
    assert "LiveReloadHandler.DEFAULT_RELOAD_TIME" in inspect.getsource(LiveReloadHandler.poll_tasks)
    assert issubclass(watcher, Watcher) and list(inspect.signature(Watcher.start).parameters) == ["self", "callback"]


def test_resolve_never_leaves_the_site(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("ok")
    (tmp_path / "secret.txt").write_text("secret")
    root = tmp_path / "site"
    assert resolve(root, "/") == (root / "index.html").resolve()
    for bad in ("/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", str(tmp_path / "secret.txt"),
                "/%2Fetc%2Fpasswd", "/....//secret.txt", "/x/../../secret.txt"):
        assert resolve(root, bad) is None, bad


def test_traversal_requests_get_404(server) -> None:
    _project, url = server
    for path in ("../../../../etc/passwd", "%2e%2e/%2e%2e/etc/passwd", "..%2f..%2fetc%2fpasswd"):
        status, body = fetch(url + path)
        assert status == 404 and "root:" not in body


@pytest.mark.browser
def test_edit_break_fix(server, page) -> None:
    project, url = server
    term = project.content / "terms" / "lead.md"
    page.goto(url + "terms/lead/index.html")
    assert "First version." in page.inner_text(".definition")

    started = time.perf_counter()
    term.write_text(term_file("Lead", "Second version.", summary="A buyer."))
    page.wait_for_function("document.querySelector('.definition').innerText.includes('Second version.')",
                           timeout=20000)
    print(f"edit shown after {time.perf_counter() - started:.2f} s")

    term.write_text("---\ntitle: Lead\nsumary: typo\n---\nThird version.\n")
    page.wait_for_selector("#glossary-build-errors", timeout=20000)
    banner = page.inner_text("#glossary-build-errors")
    assert "content/terms/lead.md:3: unknown front-matter key 'sumary' (did you mean 'summary'?)" in banner
    assert "Second version." in page.inner_text(".definition")  # the last good site is still served

    term.write_text(term_file("Lead", "Fourth version.", summary="A buyer."))
    page.wait_for_function("document.querySelector('.definition') && "
                           "document.querySelector('.definition').innerText.includes('Fourth version.')",
                           timeout=20000)
    assert page.locator("#glossary-build-errors").count() == 0
