"""Search as a rep uses it (issue 15) and on real names (issue 14): instant name matches while the index
loads, exact names first, stop words, honest counts, snippets, "Showing results for", the keyboard, the
search page; in Chromium over HTTP and from file://, with axe on every new state and screenshots."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from glossary.pipeline import Project, build
from tests.conftest import ARTIFACTS, REPO, term_file
from tests.netlify import netlify_server

pytestmark = pytest.mark.browser

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SHOTS = ARTIFACTS / "search-ui"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
CLOUD = REPO / "tests" / "glossaries" / "cloud" / "content"

FORECAST = "A forecast is built from the weighted kumquat of every open deal in the pipeline."
# Titles like the ones real glossaries have: abbreviations, a "Name (ABBR)" title, versions, plurals,
# dotted names and markup. Slugs are the file names.
NAMES = {
    "dom": term_file("DOM", summary="The tree a browser builds from a page."),
    "node-dom": term_file("Node (DOM)", summary="One item in the tree of a page."),
    "http-2": term_file("HTTP/2", summary="The second version of the web protocol."),
    "http-3": term_file("HTTP/3", summary="The third version of the web protocol."),
    "pod": term_file("Pod", summary="The smallest unit a scheduler places."),
    "pod-lifecycle": term_file("Pod Lifecycle", summary="The phases a pod goes through."),
    "node-js": term_file("Node.js", summary="A runtime for programs outside the browser."),
    "blink-element": term_file('"<blink>"', summary="An old element that made text flash."),
    "blink": term_file("Blink", summary="The engine that draws pages in some browsers."),
    "pipeline": term_file("Pipeline", summary="Every open deal, grouped by stage."),
    "quota": term_file("Quota", "Each rep has a number to reach, and a quota is a number for a period.",
                       summary="The amount a rep is expected to sell in a period."),
    "forecast": term_file("Forecast", FORECAST, summary="What the team expects to sell this quarter."),
}


# --------------------------------------------------------------------------- serving and helpers





@pytest.fixture
def names_url(make_project: Callable[..., Project], tmp_path: Path) -> Iterator[str]:
    project = make_project({f"terms/{slug}.md": text for slug, text in NAMES.items()})
    build(project)
    url, stop = netlify_server(project.out)
    yield url
    stop()




STATUS = ".search-panel .search-status"


def typed(page: Any, text: str) -> str:
    """Types into the header box and waits for the full search's results; returns the status text."""
    page.eval_on_selector(STATUS, "e => { e.textContent = ''; }")
    page.fill("#g-search-input", text)
    page.wait_for_function("""() => { const s = document.querySelector('.search-panel .search-status').textContent;
        return window.GLOSSARY_SEARCH && s && !s.includes('Searching definitions') && !s.includes('Loading'); }""")
    return page.inner_text(STATUS)


def titles(page: Any, where: str = "#g-search-results") -> list[str]:
    return page.locator(f"{where} li .term-name").all_inner_texts()


def holder(held: list[Any]) -> Callable[[Any], None]:
    """A route handler that keeps each request waiting in `held` until the test continues it."""
    return lambda route: held.append(route)


def run_axe(page: Any) -> list[str]:
    if not page.evaluate("() => typeof axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", AXE_TAGS)
    return [f"{v['id']}: {[n['target'] for n in v['nodes'][:3]]}" for v in result["violations"]]


def axe_both_schemes(page: Any) -> dict[str, list[str]]:
    found = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        if violations := run_axe(page):
            found[scheme] = violations
    return found


# --------------------------------------------------------------------------- ranking on real names

NAME_QUERIES = {
    "dom": ["DOM", "Node (DOM)"],
    "DOM": ["DOM", "Node (DOM)"],
    "http2": ["HTTP/2", "HTTP/3"],
    "pods": ["Pod", "Pod Lifecycle"],
    "nodejs": ["Node.js"],
    "node.js": ["Node.js"],
    "<blink>": ["<blink>", "Blink"],
    "blink": ["Blink", "<blink>"],
}


def test_exact_names_come_first(new_page, names_url) -> None:
    page = new_page()
    page.goto(names_url)
    page.focus("#g-search-input")
    found = {}
    for query, first in NAME_QUERIES.items():
        typed(page, query)
        found[query] = titles(page)[:len(first)]
    assert found == NAME_QUERIES
    assert page.console_errors == []


@pytest.mark.skipif(not (CLOUD / "terms").is_dir(), reason="the cloud test glossary is not there yet")
def test_exact_names_come_first_in_the_cloud_glossary(new_page, tmp_path) -> None:
    out = tmp_path / "_site"
    build(Project(content=CLOUD, out=out))
    url, stop = netlify_server(out)
    try:
        page = new_page()
        page.goto(url)
        found = {}
        for query in ("dom", "http2", "http/3", "pods", "nodejs", "node.js", "<blink>"):
            typed(page, query)
            found[query] = titles(page)[0]
        assert found == {"dom": "Document Object Model (DOM)", "http2": "HTTP/2", "http/3": "HTTP/3", "pods": "Pod",
                         "nodejs": "Node.js", "node.js": "Node.js", "<blink>": "<blink>"}
        # "Content Delivery Network (CDN)" with the alias CDN: the abbreviation shows once
        typed(page, "cdn")
        first = page.locator("#g-search-results li").first
        assert first.locator(".term-name").inner_text() == "Content Delivery Network (CDN)"
        assert first.locator(".aliases").inner_text() == "(edge network)"  # CDN, in the title already, is not repeated
    finally:
        stop()


def test_stop_words_are_not_searched_for(new_page, site_url) -> None:
    page = new_page()
    page.goto(site_url)
    status = typed(page, "what is a quota")
    found = titles(page)
    assert found[0] == "Quota"
    count = int(status.split()[-2]) if " of " in status else len(found)
    assert count < 30, status
    marks = {m.lower() for m in page.locator("#g-search-results mark").all_inner_texts()}
    assert marks and all(m.startswith("quota") for m in marks), marks


def test_count_is_honest_and_the_rest_is_one_click_away(new_page, site_url) -> None:
    page = new_page()
    page.goto(site_url)
    status = typed(page, "sales")
    shown = page.locator("#g-search-results li").count()
    total = int(status.split(" of ")[1].split()[0])
    assert shown == 20 and status == f"20 of {total} results" and total > 20
    more = page.locator(".search-more")
    assert more.inner_text() == f"See all {total} results"
    more.click()
    page.wait_for_url("**/search/index.html?q=sales")
    page.wait_for_function(f"() => document.querySelector('.search-page-status').textContent === '{total} results'")
    assert page.locator(".search-page-results li").count() == total


def test_match_in_the_definition_only_shows_a_snippet(new_page, names_url) -> None:
    page = new_page()
    page.goto(names_url)
    assert typed(page, "kumquat") == "1 result"
    item = page.locator("#g-search-results li").first
    assert item.locator(".term-name").inner_text() == "Forecast"
    assert item.locator("p.snippet").inner_text() == FORECAST
    assert item.locator("p.snippet mark").all_inner_texts() == ["kumquat"]


def test_a_near_miss_shows_results_for_the_nearest_name(new_page, names_url) -> None:
    page = new_page()
    page.goto(names_url)
    status = typed(page, "pipleine")
    assert status == "Showing results for pipeline. No terms match “pipleine”. 2 results"
    assert page.inner_text(f"{STATUS} em") == "pipeline"
    assert titles(page) == ["Pipeline", "Forecast"]


def test_no_match_at_all_offers_the_closest_names(new_page, names_url) -> None:
    page = new_page()
    page.goto(names_url)
    status = typed(page, "xqzv")
    assert status == "No terms match “xqzv”."


@pytest.mark.parametrize("where", ["http", "file"])
@pytest.mark.parametrize(("query", "slug"), [("arr", "annual-recurring-revenue"),
                                              ("mql", "marketing-qualified-lead")])
def test_enter_on_an_exact_name_opens_the_term(new_page, site_url, offline_root, where, query, slug) -> None:
    page = new_page()
    page.goto(site_url if where == "http" else offline_root.as_uri() + "/index.html")
    page.fill("#g-search-input", query)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/terms/{slug}/index.html")
    assert page.console_errors == []


def test_enter_on_other_text_opens_the_search_page(new_page, site_url) -> None:
    page = new_page()
    page.goto(site_url)
    page.fill("#g-search-input", "closing deals")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/index.html?q=closing+deals")


# --------------------------------------------------------------------------- loading state

@pytest.mark.parametrize("where", ["http", "file"])
def test_names_show_at_once_while_the_index_loads(new_page, site_url, offline_root, where) -> None:
    """The index is held back (Playwright routing) until the instant name matches have been checked."""
    page = new_page()
    held: list[Any] = []
    page.route("**/search-index.js", lambda route: held.append(route))
    page.goto(site_url if where == "http" else offline_root.as_uri() + "/index.html")
    page.wait_for_function("() => !!window.GLOSSARY_NAMES")
    page.fill("#g-search-input", "churn")
    page.wait_for_selector("#g-search-results li")
    status = page.inner_text(STATUS)
    assert status == "1 result by name. Searching definitions…"
    assert titles(page) == ["Churn Rate"]
    assert page.get_attribute("#g-search-input", "aria-expanded") == "true"
    assert axe_both_schemes(page) == {}
    assert len(held) == 1
    held[0].continue_()
    page.wait_for_function("() => /^\\d+ results$/.test(document.querySelector('.search-panel .search-status')"
                           ".textContent)")
    assert titles(page)[0] == "Churn Rate" and len(titles(page)) > 1


def test_loading_is_shown_before_even_the_names_arrive(new_page, site_url) -> None:
    page = new_page()
    held: list[Any] = []
    page.route("**/search-names.js", lambda route: held.append(route))
    page.goto(site_url, wait_until="domcontentloaded")
    page.fill("#g-search-input", "churn")
    page.wait_for_function("() => document.querySelector('.search-panel .search-status').textContent !== ''")
    assert page.inner_text(STATUS) == "Loading search…"
    assert page.is_visible(".search-panel")
    held[0].continue_()
    typed(page, "churn")
    assert titles(page)[0] == "Churn Rate"


# --------------------------------------------------------------------------- the popup and the keyboard

def focused(page: Any) -> str:
    return page.evaluate("() => document.activeElement.id || document.activeElement.className")


def test_keyboard_tab_escape_twice_and_clear(new_page, site_url) -> None:
    page = new_page(viewport=DESKTOP)
    page.goto(site_url)
    page.click("#g-search-input")
    typed(page, "churn")
    # The list is no Tab stop: Tab goes from the box to its clear button, then out of the search, closing it.
    page.keyboard.press("Tab")
    assert focused(page) == "search-clear" and page.is_visible(".search-panel")
    page.keyboard.press("Tab")
    assert page.is_hidden(".search-panel") and page.evaluate("() => !document.activeElement.closest('form')")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert focused(page) == "g-search-input"
    page.keyboard.press("ArrowDown")  # reopens
    page.wait_for_selector(".search-panel:not([hidden])")
    page.keyboard.press("Escape")
    assert page.is_hidden(".search-panel") and page.input_value("#g-search-input") == "churn"
    page.keyboard.press("Escape")
    assert page.input_value("#g-search-input") == "" and page.is_hidden(".search-clear")
    typed(page, "quota")
    page.click(".search-clear")
    assert page.input_value("#g-search-input") == "" and focused(page) == "g-search-input"
    assert page.is_hidden(".search-panel")


def test_clicking_elsewhere_closes_the_results(new_page, site_url) -> None:
    page = new_page(viewport=DESKTOP)
    page.goto(site_url)
    typed(page, "churn")
    page.mouse.click(5, 790)
    assert page.is_hidden(".search-panel")


def test_the_slash_hint_only_where_there_is_a_keyboard(new_page, site_url) -> None:
    desk = new_page(viewport=DESKTOP)
    desk.goto(site_url)
    assert desk.get_attribute("#g-search-input", "placeholder") == "Search terms (press /)"
    phone = new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    phone.goto(site_url)
    assert phone.get_attribute("#g-search-input", "placeholder") == "Search terms"


COVERED = """() => { const e = document.activeElement; if (!e || e === document.body) return 'body';
  const r = e.getBoundingClientRect(); if (!r.width || !r.height) return '';
  const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1), y = Math.min(Math.max(r.top + r.height / 2, 0),
    innerHeight - 1);
  const top = document.elementFromPoint(x, y);
  return top && (e === top || e.contains(top) || top.contains(e)) ? '' :
    (e.textContent.trim().slice(0, 30) + ' under ' + (top ? top.className || top.tagName : 'nothing')); }"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("path", ["index.html", "terms/annual-recurring-revenue/index.html"])
def test_focus_never_lands_under_the_header_or_the_popup(new_page, site_url, viewport, path) -> None:
    """WCAG 2.4.11: Tab forwards through the page, then back, and every focused element is on top."""
    page = new_page(viewport=viewport)
    page.goto(site_url + path)
    page.click("#g-search-input")
    typed(page, "lead")
    hidden = []
    for key in ["Tab"] * 60 + ["Shift+Tab"] * 60:
        page.keyboard.press(key)
        if problem := page.evaluate(COVERED):
            if problem == "body":
                continue
            hidden.append(problem)
    assert hidden == []


# --------------------------------------------------------------------------- the search page

@pytest.mark.parametrize("where", ["http", "file"])
def test_search_page_puts_the_query_in_heading_and_title_and_keeps_one_list(new_page, site_url, offline_root,
                                                                            where) -> None:
    page = new_page()
    base = site_url if where == "http" else offline_root.as_uri() + "/"
    page.goto(base + "search/index.html?q=churn")
    page.wait_for_function("() => /^\\d+ results?$/.test(document.querySelector('.search-page-status').textContent)")
    assert page.inner_text("main h1") == "Results for “churn”"
    assert page.title() == "“churn” · Search · Sales Glossary"
    assert titles(page, ".search-page-results")[0] == "Churn Rate"
    assert page.input_value("#g-search-input") == "churn"
    page.fill("#g-search-input", "quota")
    page.wait_for_function("() => document.querySelector('main h1').textContent === 'Results for “quota”'")
    page.wait_for_timeout(200)
    assert page.is_hidden(".search-panel")
    assert titles(page, ".search-page-results")[0] == "Quota"
    assert page.title() == "“quota” · Search · Sales Glossary"
    if where == "http":
        assert page.url.endswith("search/index.html?q=quota")
    assert page.console_errors == []


def test_states_are_accessible_and_photographed(new_page, site_url) -> None:
    """axe on the popup while loading, with results, with a near miss, and on the search page; screenshots of each."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    failures = {}
    for scheme in ("light", "dark"):
        for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
            page = new_page(viewport=viewport, color_scheme=scheme)
            held: list[Any] = []
            page.route("**/search-index.js", holder(held))
            page.goto(site_url)
            page.wait_for_function("() => !!window.GLOSSARY_NAMES")
            page.fill("#g-search-input", "churn")
            page.wait_for_selector("#g-search-results li")
            page.screenshot(path=str(SHOTS / f"popup-loading-{name}-{scheme}.png"))
            failures[f"loading {name} {scheme}"] = run_axe(page)
            held[0].continue_()
            page.unroute("**/search-index.js")
            typed(page, "sales")
            page.screenshot(path=str(SHOTS / f"popup-count-{name}-{scheme}.png"))
            typed(page, "what is a quota")
            page.screenshot(path=str(SHOTS / f"popup-stop-words-{name}-{scheme}.png"))
            typed(page, "spreadsheets")
            page.screenshot(path=str(SHOTS / f"popup-snippet-{name}-{scheme}.png"))
            failures[f"popup {name} {scheme}"] = run_axe(page)
            typed(page, "pipleine")
            page.screenshot(path=str(SHOTS / f"popup-near-miss-{name}-{scheme}.png"))
            failures[f"near miss {name} {scheme}"] = run_axe(page)
            page.goto(site_url + "search/index.html?q=churn")
            page.wait_for_selector(".search-page-results li")
            page.screenshot(path=str(SHOTS / f"search-page-{name}-{scheme}.png"))
            failures[f"search page {name} {scheme}"] = run_axe(page)
    assert {k: v for k, v in failures.items() if v} == {}


def test_everything_new_works_under_the_csp(new_page, sales_site) -> None:
    """netlify.toml's Content-Security-Policy (no inline script, no eval): no violation while searching,
    on the search page, on a nested 404 with its suggestions, and with the copy buttons."""
    from tests.build.test_security import TRAP, netlify_headers

    url, stop = netlify_server(sales_site, netlify_headers())
    try:
        page = new_page(viewport=PHONE)
        page.context.add_init_script(TRAP)
        page.goto(url)
        assert typed(page, "pipleine").startswith("Showing results for pipeline.")
        page.goto(url + "search/index.html?q=churn")
        page.wait_for_selector(".search-page-results li")
        page.goto(url + "terms/pipline/")
        page.wait_for_selector("[data-did-you-mean]:not([hidden]) li a")
        page.goto(url + "terms/annual-recurring-revenue/index.html")
        page.click(".copy-definition")
        page.wait_for_selector(".copy-status:has-text('copied')")
        assert page.evaluate("window.__csp") == []
        assert [e for e in page.console_errors if "404" not in e] == []
    finally:
        stop()
