"""Hostile text stays text everywhere, and the site works under the strict CSP that netlify.toml sends."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from glossary.pipeline import build
from tests.conftest import serve_dir
from tests.netlify import headers_for

PAYLOAD = '<script>window.__pwned=1</script> & "q" <!-- <img src=x onerror="window.__pwned=2">'
HOSTILE = {
    "terms/evil.md": (
        "---\n"
        f"title: {json.dumps('Evil ' + PAYLOAD)}\n"
        f"aliases: [{json.dumps('</script><script>window.__pwned=3</script>')}]\n"
        f"summary: {json.dumps('Sum ' + PAYLOAD)}\n"
        "category: Metrics\n"
        "---\n"
        f"Body {PAYLOAD}\n\n[click me](javascript:window.__pwned=4) and [ok](good.md)\n\n"
        '<div onclick="window.__pwned=5">raw html</div>\n'
    ),
    "terms/good.md": "---\ntitle: Good\nsummary: Fine.\ncategory: Metrics\n---\nSee Evil for contrast.\n",
}
TRAP = "window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(" \
       "e.violatedDirective + ' ' + e.blockedURI));"


def netlify_headers() -> dict[str, str]:
    """What netlify.toml sends with a term page (tests/netlify.py applies its rules as Netlify does)."""
    return headers_for("/terms/churn-rate/index.html")


def test_policy_has_no_unsafe_script_sources() -> None:
    csp = netlify_headers()["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp


def test_hostile_text_is_inert_in_files(make_project) -> None:
    report = build(make_project(HOSTILE))
    for path, data in report.files.items():
        if path.endswith((".html", ".js", ".json", ".xml")) and path != "assets/lunr.js":
            text = data.decode()
            assert "<script>window.__pwned" not in text, path
            assert "<img src=x" not in text, path
            assert "<div onclick" not in text, path
            assert "javascript:" not in text, path
    term = report.files["terms/evil/index.html"].decode()
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt; &amp; &#34;q&#34; &lt;!--" in term
    assert "&lt;div onclick=\"window.__pwned=5\"&gt;raw html&lt;/div&gt;" in term
    detail = json.loads(report.files["api/terms/evil.json"])
    assert detail["title"] == "Evil " + PAYLOAD


@pytest.mark.browser
def test_no_injected_script_runs_on_any_page(make_project, browser) -> None:
    project = make_project(HOSTILE)
    report = build(project)
    url, stop = serve_dir(project.out, netlify_headers())
    context = browser.new_context()
    context.add_init_script(TRAP)
    page = context.new_page()
    try:
        for path in sorted(p for p in report.files if p.endswith(".html")):
            page.goto(url + path)
            page.wait_for_load_state("load")
            if b'http-equiv="refresh"' in report.files[path]:
                page.wait_for_url("**/terms/evil/index.html")
            assert page.evaluate("window.__pwned") is None, path
            assert page.evaluate("window.__csp") == [], path
        page.goto(url + "terms/evil/index.html")
        page.click("text=click me")
        page.fill("#g-search-input", "evil")
        page.wait_for_selector("#g-search-results li")
        assert "<script>" in page.inner_text("#g-search-results li")
        assert page.evaluate("window.__pwned") is None
    finally:
        context.close()
        stop()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_feature_works_under_the_csp(sales_site, browser, scheme) -> None:
    url, stop = serve_dir(sales_site, netlify_headers())
    context = browser.new_context(color_scheme=scheme)
    context.add_init_script(TRAP)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    try:
        page.goto(url + "terms/churn-rate/index.html")
        page.fill("#g-search-input", "arr")
        page.wait_for_selector("#g-search-results li")
        page.click(".copy-link")
        # a locator assertion, not wait_for_function: polling a string expression needs eval, which the CSP refuses
        expect(page.locator(".copy-status").first).not_to_have_text("")
        page.goto(url + "embed-demo/index.html")
        page.locator("main a[href*='terms/']").first.hover()
        page.wait_for_selector("[role=tooltip]")
        page.goto(url + "search/index.html?q=churn")
        page.wait_for_selector(".search-page-results li")
        assert page.evaluate("window.__csp") == []
        assert errors == []
    finally:
        context.close()
        stop()
