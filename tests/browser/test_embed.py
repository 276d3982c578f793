"""The link-preview script (embed.js) on a help article from another origin, and the demo page."""

from __future__ import annotations

import contextlib
import gzip
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from glossary.pipeline import Project, build
from tests.conftest import serve_dir, term_file

pytestmark = pytest.mark.browser

CARD = "[role=tooltip]"
CORS = {"Access-Control-Allow-Origin": "*"}
ARR = "annual-recurring-revenue"
XSS = '<img src=x onerror="window.__pwned=1">'

ARTICLE = """\
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy"
  content="default-src 'self'; script-src {glossary}; connect-src {glossary}; style-src 'self'">
<title>Help article</title>
<link rel="stylesheet" href="host.css">
{script}
</head>
<body>
<h1>How ARR is counted</h1>
<p>Your <a id="full" href="{glossary}terms/{slug}/">{title}</a> is shown on the dashboard.
Most teams call it <a id="alias" href="{glossary}terms/{alias}/?from=help#top">{alias}</a>.
See also <a id="other" href="{glossary}categories/index.html">all categories</a>.</p>
<p class="right"><a id="edge" href="{glossary}terms/{slug}/index.html">{title}</a></p>
<p><a id="after" href="#after">Next section</a></p>
</body>
</html>
"""

HOST_CSS = """\
body { background: #111; color: #eee; font: 16px/1.5 sans-serif; margin: 1rem; }
a { color: #9cf; }
.right { text-align: right; }
"""


@contextlib.contextmanager
def served(root: Path, headers: dict[str, str] | None = None) -> Iterator[str]:
    url, stop = serve_dir(root, headers)
    try:
        yield url
    finally:
        stop()


def host_dir(tmp: Path, glossary: str, slug: str = ARR, title: str = "Annual Recurring Revenue",
             alias: str = "arr") -> Path:
    """A help article with two term links, an unrelated glossary link and a link at the right edge."""
    tmp.mkdir(parents=True, exist_ok=True)
    script = f'<script src="{glossary}embed.js" defer></script>'
    values = {"glossary": glossary, "slug": slug, "title": title, "alias": alias}
    (tmp / "article.html").write_text(ARTICLE.format(script=script, **values), encoding="utf-8")
    (tmp / "plain.html").write_text(ARTICLE.format(script="", **values), encoding="utf-8")
    (tmp / "host.css").write_text(HOST_CSS, encoding="utf-8")
    (tmp / "favicon.ico").write_bytes(b"")  # Chromium asks for it: a 404 would be a console error
    return tmp


@pytest.fixture
def open_page(browser: object) -> Iterator[Callable[..., object]]:
    """New pages in their own context (viewport, touch), recording console errors and requests."""
    contexts: list[object] = []

    def make(**options: object) -> object:
        context = browser.new_context(**options)  # type: ignore[attr-defined]
        contexts.append(context)
        pg = context.new_page()
        pg.console_errors = []
        pg.requests = []
        pg.on("console", lambda m: m.type == "error" and pg.console_errors.append(m.text))
        pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))
        pg.on("request", lambda r: pg.requests.append(r.url))
        return pg

    yield make
    for context in contexts:
        context.close()  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def glossary_url(sales_site: Path) -> Iterator[str]:
    with served(sales_site, CORS) as url:
        yield url


@pytest.fixture
def article_url(glossary_url: str, tmp_path: Path) -> Iterator[str]:
    with served(host_dir(tmp_path / "host", glossary_url)) as url:
        assert url != glossary_url  # same host, another port: another origin
        yield url + "article.html"


@pytest.fixture(scope="module")
def arr_term(sales_site: Path) -> dict[str, object]:
    data = json.loads((sales_site / "api" / "terms.json").read_text(encoding="utf-8"))
    return next(t for t in data["terms"] if t["slug"] == ARR)


def ready(pg: object) -> None:
    """Wait until embed.js has loaded the term list (its listeners are added after the fetch)."""
    pg.wait_for_load_state("networkidle")  # type: ignore[attr-defined]


def card_text(pg: object) -> str:
    return pg.locator(CARD).inner_text()  # type: ignore[attr-defined]


def test_embed_is_small(sales_site: Path) -> None:
    size = len(gzip.compress((sales_site / "embed.js").read_bytes(), compresslevel=9))
    assert size < 5 * 1024, size


def test_hover_shows_card_and_escape_closes(open_page, article_url: str, glossary_url: str, arr_term) -> None:
    pg = open_page()
    pg.goto(article_url)
    ready(pg)
    assert f"{glossary_url}api/terms.json" in pg.requests
    card = pg.locator(CARD)
    assert card.count() == 0  # created lazily

    pg.hover("#full")
    card.wait_for(state="visible")
    assert card.count() == 1
    assert card.locator("strong").inner_text() == "Annual Recurring Revenue"
    text = card_text(pg)
    assert "Also: ARR" in text
    assert arr_term["summary"] in text
    more = card.get_by_role("link", name="Read more")
    assert more.get_attribute("href") == f"{glossary_url}terms/{ARR}/"
    card_id = card.get_attribute("id")
    assert card_id
    assert pg.get_attribute("#full", "aria-describedby") == card_id

    pg.keyboard.press("Escape")
    card.wait_for(state="hidden")
    assert pg.get_attribute("#full", "aria-describedby") is None

    # The alias address (with query and hash) previews the same term.
    pg.hover("#alias")
    card.wait_for(state="visible")
    assert card.locator("strong").inner_text() == "Annual Recurring Revenue"
    assert pg.get_attribute("#alias", "aria-describedby") == card_id
    assert pg.get_attribute("#full", "aria-describedby") is None
    assert pg.locator(CARD).count() == 1  # one card, reused

    # Leaving the link closes the card after a short grace delay.
    pg.mouse.move(5, 5)
    card.wait_for(state="hidden")
    assert pg.get_attribute("#alias", "aria-describedby") is None

    # An unrelated link gets no card.
    pg.hover("#other")
    pg.wait_for_timeout(500)
    assert card.is_hidden()
    assert pg.get_attribute("#other", "aria-describedby") is None
    assert pg.console_errors == []


def test_pointer_can_move_into_card(open_page, article_url: str) -> None:
    pg = open_page()
    pg.goto(article_url)
    ready(pg)
    pg.hover("#full")
    card = pg.locator(CARD)
    card.wait_for(state="visible")
    box = card.bounding_box()
    pg.mouse.move(box["x"] + 20, box["y"] + box["height"] / 2, steps=5)
    pg.wait_for_timeout(600)
    assert card.is_visible()
    card.get_by_role("link", name="Read more").hover()
    pg.wait_for_timeout(400)
    assert card.is_visible()
    assert pg.console_errors == []


def test_keyboard_focus(open_page, article_url: str) -> None:
    pg = open_page()
    pg.goto(article_url)
    ready(pg)
    card = pg.locator(CARD)
    pg.keyboard.press("Tab")
    assert pg.evaluate("document.activeElement.id") == "full"
    card.wait_for(state="visible")
    assert "Annual Recurring Revenue" in card_text(pg)
    card_id = card.get_attribute("id")
    assert pg.get_attribute("#full", "aria-describedby") == card_id

    # Tab reaches "Read more" in the card, and the next Tab continues after the link.
    pg.keyboard.press("Tab")
    assert pg.evaluate("document.activeElement.textContent") == "Read more"
    assert pg.evaluate("document.activeElement.closest('[role=tooltip]') !== null")
    assert pg.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    assert card.is_visible()
    pg.keyboard.press("Tab")
    assert pg.evaluate("document.activeElement.id") == "alias"
    assert pg.get_attribute("#full", "aria-describedby") is None
    assert pg.get_attribute("#alias", "aria-describedby") == card_id

    # Escape closes the card and leaves focus on the link.
    pg.keyboard.press("Escape")
    card.wait_for(state="hidden")
    assert pg.evaluate("document.activeElement.id") == "alias"
    assert pg.get_attribute("#alias", "aria-describedby") is None

    # Blur closes it: focus another term link, then a plain link.
    pg.keyboard.press("Shift+Tab")
    card.wait_for(state="visible")
    assert pg.get_attribute("#full", "aria-describedby") == card_id
    pg.focus("#after")
    card.wait_for(state="hidden")
    assert pg.get_attribute("#full", "aria-describedby") is None
    assert pg.console_errors == []


def test_touch_first_tap_previews_second_tap_follows(open_page, article_url: str, glossary_url: str) -> None:
    pg = open_page(has_touch=True, is_mobile=True, viewport={"width": 360, "height": 640})
    pg.goto(article_url)
    ready(pg)
    card = pg.locator(CARD)
    pg.tap("#edge")
    card.wait_for(state="visible")
    assert pg.url == article_url
    box = card.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360, box
    assert box["width"] <= 360 - 16 + 1, box
    link = pg.locator("#edge").bounding_box()
    assert box["y"] >= link["y"] + link["height"]  # below the link: there is room

    # A tap elsewhere closes it.
    pg.tap("h1")
    card.wait_for(state="hidden")
    assert pg.url == article_url

    pg.tap("#alias")
    card.wait_for(state="visible")
    assert pg.url == article_url
    assert "Annual Recurring Revenue" in card_text(pg)
    assert pg.console_errors == []
    with pg.expect_navigation():
        pg.tap("#alias")
    assert pg.url.startswith(f"{glossary_url}terms/")


def test_card_stays_in_narrow_viewport_and_goes_above_at_the_bottom(open_page, article_url: str) -> None:
    pg = open_page(viewport={"width": 360, "height": 640})
    pg.goto(article_url)
    ready(pg)
    card = pg.locator(CARD)
    for link in ("#full", "#alias", "#edge"):
        pg.hover(link)
        card.wait_for(state="visible")
        box = card.bounding_box()
        assert box["x"] >= 8 - 0.5 and box["x"] + box["width"] <= 360 - 8 + 0.5, (link, box)
        pg.keyboard.press("Escape")
        card.wait_for(state="hidden")

    # Near the bottom of the viewport, the card opens above the link, in page coordinates.
    pg.evaluate("document.body.style.paddingTop = '600px'; document.body.style.paddingBottom = '2000px'")
    pg.evaluate("window.scrollTo(0, document.getElementById('full').getBoundingClientRect().top"
                " + window.scrollY - 600)")
    pg.hover("#full")
    card.wait_for(state="visible")
    box = card.bounding_box()
    link = pg.locator("#full").bounding_box()
    assert box["y"] + box["height"] <= link["y"], (box, link)
    assert box["y"] >= 0
    assert pg.evaluate("getComputedStyle(document.querySelector('[role=tooltip]')).position") == "absolute"
    assert pg.console_errors == []


def test_adds_nothing_else_to_the_page(open_page, article_url: str) -> None:
    plain = open_page()
    plain.goto(article_url.replace("article.html", "plain.html"))
    pg = open_page()
    pg.goto(article_url)
    ready(pg)
    pg.hover("#full")
    pg.locator(CARD).wait_for(state="visible")
    keys = "Object.getOwnPropertyNames(window).sort()"
    assert pg.evaluate(keys) == plain.evaluate(keys)
    assert pg.evaluate("document.styleSheets.length") == plain.evaluate("document.styleSheets.length")
    # Apart from the card (a child of <body>) and the links' aria-describedby, the DOM is unchanged.
    shape = ("[...document.querySelectorAll('*')].filter(e => !e.closest('[role=tooltip]') && "
             "!(e.src || '').endsWith('/embed.js')).map(e => e.tagName + [...e.attributes]"
             ".filter(a => a.name !== 'aria-describedby').map(a => ' ' + a.name + '=' + a.value).join(''))")
    assert pg.evaluate(shape) == plain.evaluate(shape)
    assert pg.evaluate("document.querySelector('[role=tooltip]').parentElement === document.body")
    assert pg.console_errors == []


def test_summary_html_stays_text(open_page, make_project: Callable[..., Project], tmp_path: Path) -> None:
    project = make_project({"terms/evil.md": term_file("Evil Term", "Body.", summary=f"'{XSS}'", category="Metrics",
                                                       aliases="[EVL]")})
    build(project)
    listing = json.loads((project.out / "api" / "terms.json").read_text(encoding="utf-8"))
    assert listing["terms"][0]["summary"] == XSS
    with served(project.out, CORS) as glossary:
        host = host_dir(tmp_path / "host", glossary, slug="evil", title="Evil Term", alias="evl")
        with served(host) as url:
            pg = open_page()
            pg.goto(url + "article.html")
            ready(pg)
            pg.hover("#full")
            card = pg.locator(CARD)
            card.wait_for(state="visible")
            assert XSS in card_text(pg)
            assert "Also: EVL" in card_text(pg)
            assert card.locator("img").count() == 0
            pg.wait_for_timeout(200)
            assert pg.evaluate("typeof window.__pwned") == "undefined"
            assert pg.console_errors == []


def test_demo_page_previews_on_hover(open_page, sales_url: str) -> None:
    pg = open_page()
    pg.goto(sales_url + "embed-demo/index.html")
    ready(pg)
    links = pg.locator("main article a")
    assert 4 <= links.count() <= 6
    card = pg.locator(CARD)
    for i in range(links.count()):
        link = links.nth(i)
        link.hover()
        card.wait_for(state="visible")
        assert link.get_attribute("aria-describedby") == card.get_attribute("id")
        assert card.locator("strong").inner_text()
        pg.keyboard.press("Escape")
        card.wait_for(state="hidden")
    pg.locator("main article a[href*='terms/arr/']").hover()
    card.wait_for(state="visible")
    assert card.locator("strong").inner_text() == "Annual Recurring Revenue"
    assert pg.console_errors == []


def test_does_nothing_from_file(open_page, sales_site: Path) -> None:
    pg = open_page()
    pg.goto((sales_site / "embed-demo" / "index.html").as_uri())
    pg.wait_for_load_state("load")
    pg.hover("main article a")
    pg.wait_for_timeout(400)
    assert pg.locator(CARD).count() == 0
    assert not [r for r in pg.requests if "terms.json" in r]
    assert pg.console_errors == []
