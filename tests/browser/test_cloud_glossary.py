"""The second test glossary (Cloud & Web Platform), built --strict by the installed wheel: every term page
is axe clean."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.test_quality import AXE, describe_violations, run_axe

if TYPE_CHECKING:
    from playwright.sync_api import Page


@pytest.mark.browser
def test_every_cloud_term_page_is_axe_clean(page: Page, cloud_site: Path, cloud_url: str) -> None:
    assert AXE.is_file(), "run 'npm ci' to install axe-core"
    paths = sorted(p.relative_to(cloud_site).as_posix() for p in cloud_site.glob("terms/*/index.html")
                   if b"http-equiv" not in p.read_bytes())  # redirect pages show nothing
    assert len(paths) >= 50
    failures = {}
    for path in paths:
        page.goto(cloud_url + path)
        if violations := run_axe(page):
            failures[path] = describe_violations(violations)
    assert failures == {}
    assert page.console_errors == []
