"""Pages a rep trusts (issue 15): the 404 page at any depth, phone navigation and tap sizes, term pages
(Referenced by, formula and example, category breadcrumb, Copy definition), print in dark mode, and the API."""

from __future__ import annotations

import functools
import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from glossary.pipeline import build
from tests.browser.test_search_ui import DESKTOP, PHONE, axe_both_schemes
from tests.conftest import ARTIFACTS, REPO, SITE_YAML, term_file

SHOTS = ARTIFACTS / "pages-ui"
ARR = "terms/annual-recurring-revenue/index.html"
BASE = "https://sales-glossary.netlify.app/"




@pytest.fixture
def new_page(new_page: Callable[..., Any]) -> Callable[..., Any]:
    """These tests visit missing addresses on purpose: the browser's "404" console lines are expected."""
    return functools.partial(new_page, quiet_404=True)

# --------------------------------------------------------------------------- 404 at any depth

@pytest.mark.browser
@pytest.mark.parametrize("path", ["terms/pipline/", "terms/pipline/index.html", "a/b/c/pipline"])
def test_404_is_styled_and_its_links_work_at_any_depth(new_page, site_url, path) -> None:
    page = new_page(viewport=DESKTOP)
    response = page.goto(site_url + path)
    assert response.status == 404
    # Styled: the stylesheet loaded (only it makes the header sticky) and so did the script (suggestions).
    assert page.evaluate("() => getComputedStyle(document.querySelector('.site-header')).position") == "sticky"
    page.wait_for_selector("[data-did-you-mean]:not([hidden]) li a")
    suggestions = page.locator("[data-did-you-mean] li a")
    assert suggestions.first.inner_text() == "Pipeline"
    assert suggestions.first.get_attribute("href") == "/terms/pipeline/index.html"
    hrefs = page.eval_on_selector_all("a[href], link[href], script[src]",
                                      "els => els.map(e => e.getAttribute('href') || e.getAttribute('src'))")
    local = [h for h in hrefs if not h.startswith(("http", "#"))]
    assert local and all(h.startswith("/") for h in local), local
    suggestions.first.click()
    assert page.locator("h1").inner_text() == "Pipeline"
    page.go_back()
    page.click(".site-nav a:text-is('A–Z')")
    assert page.url == site_url + "index.html" and page.locator(".letters").count() == 1
    assert page.console_errors == []


@pytest.mark.browser
def test_404_states_are_accessible_and_photographed(new_page, site_url) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    failures = {}
    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page = new_page(viewport=viewport)
        page.goto(site_url + "terms/pipline/")
        page.wait_for_selector("[data-did-you-mean]:not([hidden]) li a")
        failures[name] = axe_both_schemes(page)
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            page.screenshot(path=str(SHOTS / f"404-nested-{name}-{scheme}.png"))
    assert {k: v for k, v in failures.items() if v} == {}


def test_404_links_start_from_the_path_of_base_url(make_project) -> None:
    yaml = SITE_YAML.replace("https://glossary.example.com/", "https://example.org/docs/glossary/")
    project = make_project({"terms/lead.md": term_file("Lead", summary="A possible buyer.")}, site_yaml=yaml)
    files = build(project, write=False).files
    html = files["404.html"].decode()
    refs = re.findall(r'(?:href|src|data-[a-z]+)="([^"#][^"]*)"', html)
    local = [r for r in refs if not r.startswith("https://")]
    assert local and all(r.startswith("/docs/glossary/") for r in local), local
    assert 'href="/docs/glossary/index.html"' in html
    assert 'data-root="/docs/glossary/"' in html
    # Other pages stay relative, and the offline copy leaves the 404 page out (there is no host to serve it).
    assert 'href="../../index.html"' in files["terms/lead/index.html"].decode()
    zip_name = next(p for p in files if p.startswith("download/"))
    names = zipfile.ZipFile(io.BytesIO(files[zip_name])).namelist()
    assert not [n for n in names if n.endswith("/404.html")] and any(n.endswith("/index.html") for n in names)


# --------------------------------------------------------------------------- phones

SIZED = (".site-title, .site-nav a, .search-input, .breadcrumb a, .letters a, .copy-link:not([hidden]), .category, "
         ".inline-list a, .related li > a, .prev-next a, .site-footer a, .to-top a, .term-list .term-name")
SMALL = """sel => [...document.querySelectorAll(sel)].filter(e => e.getClientRects().length).map(e => {
  const r = e.getBoundingClientRect(); return [e.className || e.tagName, e.textContent.trim().slice(0, 20),
  Math.round(r.width * 10) / 10, Math.round(r.height * 10) / 10]; }).filter(x => x[2] < 24 || x[3] < 24)"""


@pytest.mark.browser
@pytest.mark.parametrize("path", ["index.html", ARR, "categories/metrics/index.html", "terms/pipline/",
                                  "search/index.html?q=lead", "all/index.html"])
def test_tap_targets_are_at_least_24px_on_a_phone(new_page, site_url, path) -> None:
    page = new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    assert page.evaluate(SMALL, SIZED) == []
    assert page.evaluate("() => [innerWidth, document.documentElement.scrollWidth]") == [360, 360]


@pytest.mark.browser
def test_phone_header_is_compact_and_stays_with_the_letter_rail(new_page, site_url) -> None:
    page = new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    page.goto(site_url)
    assert page.evaluate("() => [innerWidth, document.documentElement.scrollWidth]") == [360, 360]  # never widened
    header = page.evaluate("() => document.querySelector('.site-header').getBoundingClientRect().height")
    assert header <= 110, header
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_timeout(100)
    top = page.evaluate("""() => [document.querySelector('.site-header').getBoundingClientRect().top,
        document.querySelector('.letters').getBoundingClientRect().top,
        document.querySelector('.site-header').getBoundingClientRect().bottom]""")
    assert top[0] == 0 and abs(top[1] - top[2]) <= 1, top
    assert page.is_visible("#g-search-input")
    page.click(".letters a:text-is('M')")
    page.wait_for_function("""() => new Promise(done => { const y = scrollY;
        setTimeout(() => done(scrollY === y && location.hash === '#letter-m'), 200); })""")  # the scroll has ended
    heading, rail = page.evaluate("""() => [document.getElementById('letter-m-h').getBoundingClientRect().top,
        document.querySelector('.letters').getBoundingClientRect().bottom]""")
    assert rail <= heading < 740, (heading, rail)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.screenshot(path=str(SHOTS / f"index-rail-phone-{scheme}.png"))


# --------------------------------------------------------------------------- term pages

def page_links(html: str, section: str) -> set[str]:
    match = re.search(rf'<section class="{section}".*?</section>', html, re.S)
    return set(re.findall(r'href="([^"]+)"', match[0])) if match else set()


def test_referenced_by_never_repeats_a_related_term(sales_site: Path) -> None:
    pages = sorted((sales_site / "terms").glob("*/index.html"))
    checked = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in html:
            continue
        checked += 1
        assert page_links(html, "related") & page_links(html, "backlinks") == set(), page
    assert checked > 100


def test_term_page_blocks_breadcrumb_and_copy_text(make_project) -> None:
    project = make_project({
        "terms/arr.md": term_file("Annual Recurring Revenue", "Yearly value of [churn](churn.md) and more.",
                                  summary="Yearly value of subscriptions.", category="Metrics",
                                  formula="sum of annualized contract values", example="40 × $6,000 = $240,000",
                                  related="[churn]"),
        "terms/churn.md": term_file("Churn", "Lost customers; see [ARR](arr.md).", summary="Customers lost.",
                                    category="Metrics", related="[arr]"),
        "terms/cac.md": term_file("CAC", "Costs against [ARR](arr.md).", summary="Cost to win one."),
    })
    files = build(project, write=False).files
    html = files["terms/arr/index.html"].decode()
    assert ('<div class="formula"><h2 class="block-label">Formula</h2><p>sum of annualized contract values</p></div>'
            in html)
    assert '<div class="example"><h2 class="block-label">Example</h2><p>40 × $6,000 = $240,000</p></div>' in html
    crumbs = re.search(r'<nav class="breadcrumb".*?</nav>', html, re.S)[0]
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', crumbs) == [("../../index.html", "A–Z"),
        ("../../index.html#letter-a", "A"), ("../../categories/metrics/index.html", "Metrics")]
    assert ('data-copy="Annual Recurring Revenue&#10;Yearly value of subscriptions.&#10;'
            'https://glossary.example.com/terms/arr/" data-done="Definition copied" hidden>Copy definition</button>'
            in html)
    # Churn is related and links here: listed once, under Related terms; CAC only links here.
    assert page_links(html, "related") == {"../../terms/churn/index.html"}
    assert page_links(html, "backlinks") == {"../../terms/cac/index.html"}
    assert '<section class="backlinks"' not in files["terms/churn/index.html"].decode()
    assert "Formula" not in files["terms/churn/index.html"].decode()


@pytest.mark.browser
def test_copy_definition_copies_title_summary_and_url(new_page, site_url, sales_site) -> None:
    page = new_page(permissions=["clipboard-read", "clipboard-write"])
    page.goto(site_url + ARR)
    page.click(".copy-definition")
    page.wait_for_function("() => document.querySelector('.copy-status').textContent === 'Definition copied'")
    data = json.loads((sales_site / "api/terms/annual-recurring-revenue.json").read_text(encoding="utf-8"))
    assert page.evaluate("() => navigator.clipboard.readText()") == \
        f"Annual Recurring Revenue\n{data['summary']}\n{BASE}terms/annual-recurring-revenue/"


@pytest.mark.browser
def test_term_page_new_blocks_are_accessible_and_photographed(new_page, site_url) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    failures = {}
    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page = new_page(viewport=viewport)
        page.goto(site_url + ARR)
        page.wait_for_selector(".copy-definition:not([hidden])")
        failures[name] = axe_both_schemes(page)
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            page.screenshot(path=str(SHOTS / f"term-{name}-{scheme}.png"), full_page=True)
    assert {k: v for k, v in failures.items() if v} == {}


# --------------------------------------------------------------------------- print

CONTRAST = """([fg, bg]) => { const lum = c => { const [r, g, b] = c.match(/\\d+/g).slice(0, 3).map(Number).map(v => {
  v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x); return (a + 0.05) / (b + 0.05); }"""


@pytest.mark.browser
def test_print_uses_the_light_palette_in_dark_mode_with_url_and_date(new_page, site_url) -> None:
    page = new_page(color_scheme="dark")
    page.goto(site_url + ARR)
    assert page.evaluate("() => getComputedStyle(document.body).backgroundColor") != "rgb(255, 255, 255)"
    page.emulate_media(media="print", color_scheme="dark")
    style = page.evaluate("""() => { const s = e => getComputedStyle(document.querySelector(e));
        return {body: [s('body').color, s('body').backgroundColor],
                pill: [s('.category').color, s('.category').backgroundColor],
                muted: s('.aliases').color, meta: s('.print-meta').display}; }""")
    assert style["body"] == ["rgb(0, 0, 0)", "rgb(255, 255, 255)"]
    assert style["pill"] == ["rgb(0, 0, 0)", "rgb(255, 255, 255)"]
    assert page.evaluate(CONTRAST, [style["muted"], "rgb(255, 255, 255)"]) >= 7
    assert style["meta"] == "block"
    meta = page.inner_text(".print-meta")
    assert re.fullmatch(rf"{re.escape(BASE)}terms/annual-recurring-revenue/ · Printed \w+ \d+, \d{{4}}", meta), meta
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.pdf(path=str(SHOTS / "term-print-dark-device.pdf"))


# --------------------------------------------------------------------------- API

def test_api_has_alias_addresses_dates_category_urls_and_a_versioned_list(make_project) -> None:
    project = make_project({
        "terms/annual-recurring-revenue.md": term_file("Annual Recurring Revenue", summary="Yearly value.",
                                                       aliases="[ARR]", category="Metrics",
                                                       previous_slugs="[yearly-revenue]", formula="12 × MRR"),
        "terms/lead.md": term_file("Lead", summary="A possible buyer."),
    })
    report = build(project, write=False)
    files = report.files
    listing = json.loads(files["api/terms.json"])
    assert {k: v for k, v in listing.items() if k != "terms"} == {
        "version": 1, "title": "Test Glossary", "url": "https://glossary.example.com/",
        "generated": report.glossary.last_updated or None, "license": None, "license_url": None}
    arr = listing["terms"][0]
    assert arr["category_url"] == "https://glossary.example.com/categories/metrics/"
    assert arr["formula"] == "12 × MRR" and arr["example"] is None
    assert "updated" in arr and "reviewed" in arr
    assert listing["terms"][1]["category_url"] is None
    canonical = files["api/terms/annual-recurring-revenue.json"]
    assert files["api/terms/arr.json"] == canonical == files["api/terms/yearly-revenue.json"]
    assert json.loads(canonical)["slug"] == "annual-recurring-revenue"


@pytest.mark.skipif(not (REPO / "content").is_dir(), reason="no sales glossary")
def test_sales_api_alias_files_exist(sales_site: Path) -> None:
    for alias, slug in (("arr", "annual-recurring-revenue"), ("mql", "marketing-qualified-lead")):
        assert (sales_site / f"api/terms/{alias}.json").read_bytes() == \
            (sales_site / f"api/terms/{slug}.json").read_bytes()
