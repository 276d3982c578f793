"""The help-docs page and the branding settings in Chromium: no sideways scrolling at 320 px (with a preview
card open too), axe clean in light and dark, the snippet's copy button, the live demo's previews, and an
accent colour and logo that reach the page under netlify.toml's Content-Security-Policy."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from glossary import branding
from glossary.pipeline import Project, build
from tests.browser.test_quality import AXE, describe_violations, run_axe
from tests.conftest import ARTIFACTS, REPO, serve_dir
from tests.netlify import serve_netlify

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser
CLOUD = REPO / "tests" / "glossaries" / "cloud" / "content"
HELP = "help-docs/index.html"
CARD = "#glossary-preview"
NARROW = {"width": 320, "height": 640}
BRANDED = """\
logo: logo.svg
accent: "#1a7f37"
footer_links:
  - {text: Support centre, url: 'https://help.example.com/'}
license: CC BY 4.0
license_url: https://creativecommons.org/licenses/by/4.0/
"""
LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><circle cx="16" cy="16" r="14" '
        'fill="#1a7f37"/></svg>\n')


@pytest.fixture(scope="module")
def cloud_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not (CLOUD / "terms").is_dir():
        pytest.skip("the cloud test glossary is not there yet")
    out = tmp_path_factory.mktemp("cloud-help") / "_site"
    build(Project(content=CLOUD, out=out))
    url, stop = serve_dir(out)
    yield url
    stop()


@pytest.fixture(scope="module")
def branded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The sales glossary with BRANDED added to its site.yaml and a logo, served with netlify.toml's headers."""
    root = tmp_path_factory.mktemp("branded")
    content, static = root / "content", root / "static"
    (content / "terms").mkdir(parents=True)
    static.mkdir()
    for term in (REPO / "content" / "terms").glob("*.md"):
        (content / "terms" / term.name).write_bytes(term.read_bytes())
    site_yaml = (REPO / "content" / "site.yaml").read_text(encoding="utf-8")
    (content / "site.yaml").write_text(site_yaml + BRANDED, encoding="utf-8")
    (static / "logo.svg").write_text(LOGO, encoding="utf-8")
    build(Project(content=content, out=root / "_site", static=static))
    url, stop = serve_netlify(root / "_site")
    yield url, root / "_site"
    stop()


def narrow_page(browser: Browser, **options: Any) -> Page:
    page = browser.new_context(viewport=NARROW, **options).new_page()
    page.console_errors = []  # type: ignore[attr-defined]
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))  # type: ignore[attr-defined]
    return page


def help_docs_of(which: str, browser: Browser, request: pytest.FixtureRequest) -> Page:
    """The help-docs page of the sales or the cloud glossary, loaded at 320 px."""
    url = request.getfixturevalue("sales_url" if which == "sales" else "cloud_url")
    page = narrow_page(browser)
    page.goto(url + HELP, wait_until="networkidle")
    return page


def sideways(page: Page) -> dict[str, int]:
    """How far the document scrolls sideways: scrollWidth beyond clientWidth, and the widest element."""
    return page.evaluate("""() => {
      const d = document.documentElement;
      let widest = 0;
      for (const el of document.querySelectorAll('body *')) widest = Math.max(widest, el.getBoundingClientRect().right);
      return {overflow: d.scrollWidth - d.clientWidth, widest: Math.ceil(widest) - d.clientWidth};
    }""")


def axe_failures(page: Page) -> dict[str, str]:
    assert AXE.is_file(), "run 'npm ci' to install axe-core"
    failures = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        if violations := run_axe(page):
            failures[scheme] = describe_violations(violations)
    return failures


def open_card(page: Page, index: int = 0) -> str:
    """Focus the demo's link number `index` with the keyboard path and wait for its preview card."""
    page.locator(".helpdesk-demo a").nth(index).focus()
    page.wait_for_selector(CARD, state="visible")
    return page.inner_text(CARD)


@pytest.mark.parametrize("which", ["sales", "cloud"])
def test_help_docs_at_320_px_never_scroll_sideways(browser: Browser, which: str,
                                                    request: pytest.FixtureRequest) -> None:
    page = help_docs_of(which, browser, request)
    assert page.evaluate("() => window.innerWidth") == 320
    assert sideways(page) == {"overflow": 0, "widest": 0}
    open_card(page, 2)  # the last term link of the demo: its card must fit too
    assert sideways(page)["overflow"] <= 0
    (ARTIFACTS / "help-docs").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "help-docs" / f"{which}-320-card-open.png"))
    page.close()


@pytest.mark.parametrize("which", ["sales", "cloud"])
def test_help_docs_is_axe_clean_light_and_dark_with_a_card_open(browser: Browser, which: str,
                                                                 request: pytest.FixtureRequest) -> None:
    page = help_docs_of(which, browser, request)
    assert axe_failures(page) == {}
    page.set_viewport_size({"width": 1280, "height": 800})
    open_card(page)
    assert axe_failures(page) == {}
    assert page.console_errors == []  # type: ignore[attr-defined]
    page.close()


def test_demo_previews_this_glossarys_own_terms(browser: Browser, sales_url: str, sales_site: Path) -> None:
    terms = json.loads((sales_site / "api" / "terms.json").read_text(encoding="utf-8"))["terms"]
    page = narrow_page(browser)
    page.goto(sales_url + HELP, wait_until="networkidle")
    for i, term in enumerate(terms[:3]):
        card = open_card(page, i)
        assert term["title"] in card and term["summary"] in card
    page.close()


def test_copy_button_copies_the_embed_snippet(browser: Browser, sales_url: str) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(sales_url + HELP)
    button = page.locator(".helpdesk-snippet button")
    assert button.inner_text() == "Copy snippet"
    button.click()
    page.wait_for_function("() => document.querySelector('.helpdesk-snippet .copy-status').textContent !== ''")
    assert page.inner_text(".helpdesk-snippet .copy-status") == "Snippet copied"
    assert page.evaluate("() => navigator.clipboard.readText()") == \
        '<script src="https://sales-glossary.netlify.app/embed.js" defer></script>'
    context.close()


def test_accent_and_logo_apply_under_the_sites_csp(browser: Browser, branded: tuple[str, Path]) -> None:
    url, _ = branded
    dark = branding.dark_accent("#1a7f37")
    for scheme, accent in (("light", "#1a7f37"), ("dark", dark)):
        page = browser.new_context(color_scheme=scheme).new_page()
        errors: list[str] = []
        page.on("console", lambda m, errors=errors: m.type == "error" and errors.append(m.text))
        response = page.goto(url + "terms/quota/")
        assert response is not None and "style-src 'self'" in response.headers["content-security-policy"]
        link = page.evaluate("() => getComputedStyle(document.querySelector('main a')).color")
        assert link == "rgb({}, {}, {})".format(*(round(c * 255) for c in branding.rgb(accent)))
        logo = page.locator(".site-logo")
        assert logo.get_attribute("alt") == "Sales Glossary"
        assert logo.evaluate("img => img.complete && img.naturalWidth > 0")
        assert errors == []
        page.context.close()


def test_branded_pages_are_axe_clean(browser: Browser, branded: tuple[str, Path]) -> None:
    url, _ = branded
    for path in ("index.html", "terms/quota/index.html", HELP):
        page = narrow_page(browser, bypass_csp=True)  # axe is injected as an inline script
        page.goto(url + path, wait_until="networkidle")
        assert page.inner_text(".footer-license") == "Licence of the definitions: CC BY 4.0"
        assert axe_failures(page) == {}, path
        assert sideways(page)["overflow"] <= 0, path
        (ARTIFACTS / "help-docs").mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "help-docs" / f"branded-320-{path.replace('/', '-')}.png"))
        page.context.close()
