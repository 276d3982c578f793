"""The sales glossary in headless Chromium: navigation, search, and the offline download from file://."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser




def both(sales_url: str, offline_root: Path) -> list[str]:
    return [sales_url, offline_root.as_uri() + "/"]


def search(page, text: str) -> list[str]:
    """Types `text` and waits for the full search (not the instant names-only state); the result titles."""
    page.eval_on_selector(".search-panel .search-status", "e => { e.textContent = ''; }")
    page.fill("#g-search-input", text)
    page.wait_for_function("""() => { const s = document.querySelector('.search-panel .search-status').textContent;
        return window.GLOSSARY_SEARCH && s && !s.includes('Searching definitions') && !s.includes('Loading'); }""")
    return page.locator("#g-search-results li .term-name").all_inner_texts()


def test_browse_letter_term_and_cross_link(page, sales_url) -> None:
    page.goto(sales_url)
    page.click(".letters a:text-is('C')")
    assert page.url.endswith("index.html#letter-c")
    page.click("#churn-rate a.term-name")
    assert page.locator("h1").inner_text() == "Churn Rate"
    page.locator(".definition a.term-link").first.click()
    assert page.url.endswith("/index.html") and "churn-rate" not in page.url
    assert page.console_errors == []


@pytest.mark.parametrize("where", ["http", "file"])
def test_type_arr_arrow_down_enter(page, sales_url, offline_root, where) -> None:
    start = sales_url if where == "http" else offline_root.as_uri() + "/index.html"
    page.goto(start)
    assert search(page, "ARR")[0] == "Annual Recurring Revenue"
    page.keyboard.press("ArrowDown")
    assert page.get_attribute("#g-search-input", "aria-activedescendant") == "g-search-option-0"
    page.keyboard.press("Enter")
    page.wait_for_url("**/terms/annual-recurring-revenue/index.html")
    assert page.locator("h1").inner_text() == "Annual Recurring Revenue"
    assert page.console_errors == []


@pytest.mark.parametrize(("query", "first"), [
    ("arr", "Annual Recurring Revenue"), ("cac", "Customer Acquisition Cost"), ("b2b", "B2B"),
    ("Net Promoter Score", "Net Promoter Score"), ("chur", "Churn Rate"),
    ("annual rec", "Annual Recurring Revenue"), ("retension", "Customer Retention"),
    ("annual recurri", "Annual Recurring Revenue"), ("monthly recurrin", "Monthly Recurring Revenue"),
])
def test_ranking(page, sales_url, query, first) -> None:
    page.goto(sales_url)
    assert search(page, query)[0] == first


def test_matches_are_highlighted_and_counted(page, sales_url) -> None:
    page.goto(sales_url)
    search(page, "churn")
    assert page.locator("#g-search-results li").first.locator("mark").first.inner_text() == "Churn"
    assert page.locator(".search-status").inner_text().endswith("results")


@pytest.mark.parametrize("query", ['"', "+-*~^:", "*", "^", "((", "\\", "  "])
def test_punctuation_only_shows_nothing(page, sales_url, query) -> None:
    page.goto(sales_url)
    page.fill("#g-search-input", "lead")
    page.wait_for_function("document.querySelector('.search-status').textContent !== ''")
    page.fill("#g-search-input", query)
    page.wait_for_timeout(300)
    assert page.locator("#g-search-results li").count() == 0
    assert page.is_hidden(".search-panel")
    assert page.console_errors == []


@pytest.mark.parametrize("query", ["title:churn", "churn~1", "+churn -rate", "churn^10", "chu*", '"churn rate"',
                                   "body:churn:x", "churn rate:"])
def test_lunr_query_syntax_is_plain_text(page, sales_url, query) -> None:
    page.goto(sales_url)
    assert "Churn Rate" in search(page, query)
    assert page.console_errors == []


def test_no_results_suggests_closest(page, sales_url) -> None:
    page.goto(sales_url)
    page.fill("#g-search-input", "xqzv")
    page.wait_for_function("document.querySelector('.search-status').textContent.startsWith('No terms')")
    assert page.locator(".search-status").inner_text().startswith("No terms match “xqzv”.")


def test_escape_clears_and_slash_focuses(page, sales_url) -> None:
    page.goto(sales_url + "terms/lead/index.html")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "g-search-input"
    search(page, "lead")
    page.keyboard.press("Escape")  # the first Escape closes the results and keeps the query
    assert page.input_value("#g-search-input") == "lead"
    assert page.is_hidden(".search-panel")
    page.keyboard.press("Escape")  # the second clears it
    assert page.input_value("#g-search-input") == ""


def test_search_page_shows_results_for_q(page, sales_url) -> None:
    page.goto(sales_url + "search/index.html?q=win%20rate")
    page.wait_for_function("document.querySelector('.search-page-results li') !== null")
    assert page.locator(".search-page-results li .term-name").first.inner_text() == "Win Rate"


def test_index_loads_only_on_focus(page, sales_url) -> None:
    page.goto(sales_url)
    assert not [u for u in page.requests if "search-index" in u or "lunr" in u]
    page.focus("#g-search-input")
    page.wait_for_function("window.GLOSSARY_SEARCH !== undefined")


def test_offline_copy_from_disk(page, offline_root) -> None:
    root = offline_root.as_uri()
    page.goto(root + "/index.html")
    page.click("#letter-c a.term-name >> nth=0")
    assert page.url.startswith(root + "/terms/")
    page.goto(root + "/terms/arr/index.html")  # an alias redirect
    page.wait_for_url("**/terms/annual-recurring-revenue/index.html")
    page.click("nav.breadcrumb a >> nth=0")
    assert page.url == root + "/index.html"
    assert search(page, "mrr")[0] == "Monthly Recurring Revenue"
    assert page.console_errors == []
    assert [u for u in page.requests if not u.startswith(root)] == []
    # the copy's download link leads to the current copy on the hosted site
    assert page.get_attribute("footer a:text('Download for offline use')", "href") == (
        "https://sales-glossary.netlify.app/download/sales-glossary-offline.zip")


def test_without_javascript_the_index_is_the_way_in(browser, sales_url) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(sales_url)
        page.click(".letters a:text-is('W')")
        page.click("#win-rate a.term-name")
        assert page.locator("h1").inner_text() == "Win Rate"
        assert page.is_hidden(".copy-link")  # needs JavaScript, so it is not offered
        page.fill("#g-search-input", "churn")
        page.press("#g-search-input", "Enter")  # the form still leads to the search page
        assert "search/index.html?q=churn" in page.url
        assert "A–Z index" in page.inner_text("main")
    finally:
        context.close()
