"""The link-preview script (embed.js) on a help article from another origin, and the demo page."""

from __future__ import annotations

import contextlib
import gzip
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from glossary.pipeline import Project, build
from tests.conftest import ARTIFACTS, REPO, serve_dir, term_file

pytestmark = pytest.mark.browser

CARD = "[data-glossary-card]"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ARTIFACTS / "embed"
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
    assert card.get_attribute("role") == "tooltip"
    more = card.get_by_role("link", name="Open definition")
    assert more.get_attribute("href") == f"{glossary_url}terms/{ARR}/"
    assert more.get_attribute("tabindex") == "-1"
    assert card.locator("button").is_hidden()
    assert text.endswith("From Sales Glossary")
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
    card.get_by_role("link", name="Open definition").hover()
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

    # The card adds no Tab stop and shows no link: the next Tab goes straight to the next link.
    assert card.get_attribute("role") == "tooltip"
    assert card.locator("a").is_hidden() and card.locator("button").is_hidden()
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
    # A small dialog with a visible way in and a way out, each big enough to tap.
    assert card.get_attribute("role") == "dialog"
    assert card.get_attribute("aria-label") == "Annual Recurring Revenue"
    for part in (card.get_by_role("link", name="Open definition"), card.get_by_role("button", name="Close")):
        size = part.bounding_box()
        assert part.is_visible() and size["width"] >= 24 and size["height"] >= 24, size
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / "embed-card-tap-phone.png"))
    box = card.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360, box
    assert box["width"] <= 360 - 16 + 1, box
    link = pg.locator("#edge").bounding_box()
    assert box["y"] >= link["y"] + link["height"]  # below the link: there is room

    pg.tap(f"{CARD} button")
    card.wait_for(state="hidden")
    pg.tap("#edge")
    card.wait_for(state="visible")

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
    assert pg.evaluate("getComputedStyle(document.querySelector('[data-glossary-card]')).position") == "absolute"
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
    shape = ("[...document.querySelectorAll('*')].filter(e => !e.closest('[data-glossary-card]') && "
             "!(e.src || '').endsWith('/embed.js')).map(e => e.tagName + [...e.attributes]"
             ".filter(a => a.name !== 'aria-describedby').map(a => ' ' + a.name + '=' + a.value).join(''))")
    assert pg.evaluate(shape) == plain.evaluate(shape)
    assert pg.evaluate("document.querySelector('[data-glossary-card]').parentElement === document.body")
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
    # The last link goes to the first term with an alias, by the alias's address.
    pg.mouse.move(0, 0)
    pg.locator("main article a[href*='terms/ae/']").hover()
    card.wait_for(state="visible")
    assert card.locator("strong").inner_text() == "Account Executive"
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


# --------------------------------------------------------------------------- issue 15: help pages a rep trusts

HELP_PAGE = """\
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Help page</title>
<link rel="stylesheet" href="host.css">
<script src="{glossary}embed.js" {theme}defer></script>
</head>
<body>
<h1>Reading the revenue dashboard</h1>
{links}
<div id="scroller" style="height: 120px; overflow: auto; border: 1px solid">
  <p style="margin-top: 60px">In a scrolling box: <a id="boxed" href="{glossary}terms/churn-rate/">churn rate</a>.</p>
  <p style="height: 600px">More text below.</p>
</div>
</body>
</html>
"""
TERM_SLUGS = ["annual-recurring-revenue", "arr", "churn-rate", "pipeline", "quota", "win-rate", "lead", "mrr",
              "customer-acquisition-cost"]


def help_page(tmp: Path, glossary: str, theme: str = "") -> Path:
    """A help page with 16 links: 9 to glossary terms (one through an alias), 7 to other pages."""
    links = [f'<a href="{glossary}terms/{slug}/">{slug}</a>' for slug in TERM_SLUGS]
    links += [f'<a href="/help/page-{i}.html">Help page {i}</a>' for i in range(6)]
    html = HELP_PAGE.format(glossary=glossary, theme=f'data-theme="{theme}" ' if theme else "",
                            links="<p>" + " · ".join(links) + "</p>")
    host = host_dir(tmp, glossary)
    (host / "help.html").write_text(html, encoding="utf-8")
    return host


def tab_stops(pg: object, limit: int = 40) -> list[str]:
    stops: list[str] = []
    for _ in range(limit):
        pg.keyboard.press("Tab")  # type: ignore[attr-defined]
        here = pg.evaluate("() => document.activeElement === document.body ? '' : "  # type: ignore[attr-defined]
                           "document.activeElement.textContent.trim()")
        if not here or (stops and here == stops[0]):
            break
        stops.append(here)
    return stops


def test_the_card_adds_no_tab_stop(open_page, glossary_url: str, tmp_path: Path) -> None:
    with served(help_page(tmp_path / "help", glossary_url)) as url:
        plain = open_page()
        plain.route("**/embed.js", lambda route: route.abort())
        plain.goto(url + "help.html")
        without = tab_stops(plain)
        pg = open_page()
        pg.goto(url + "help.html")
        ready(pg)
        with_cards = tab_stops(pg)
    assert len(without) == 16 and with_cards == without  # 9 term links among them; the card never takes focus


def card_colours(pg: object) -> list[str]:
    return pg.evaluate("() => { const s = getComputedStyle(document.querySelector('[data-glossary-card]'));"  # type: ignore[attr-defined]
                       " return [s.backgroundColor, s.color]; }")


@pytest.mark.parametrize(("scheme", "theme", "expected"), [
    ("light", "", ["rgb(255, 255, 255)", "rgb(27, 27, 27)"]),
    ("dark", "", ["rgb(30, 34, 39)", "rgb(232, 234, 237)"]),
    ("dark", "light", ["rgb(255, 255, 255)", "rgb(27, 27, 27)"]),
    ("light", "dark", ["rgb(30, 34, 39)", "rgb(232, 234, 237)"]),
])
def test_the_card_follows_the_host_colour_scheme(open_page, glossary_url: str, tmp_path: Path, scheme: str,
                                                 theme: str, expected: list[str]) -> None:
    with served(help_page(tmp_path / "help", glossary_url, theme)) as url:
        pg = open_page(color_scheme=scheme)
        pg.goto(url + "help.html")
        ready(pg)
        pg.focus("a[href$='terms/churn-rate/']")
        pg.locator(CARD).wait_for(state="visible")
        assert card_colours(pg) == expected
        SHOTS.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(SHOTS / f"embed-card-{scheme}-{theme or 'auto'}.png"))
        if not theme:  # and changes with the reader's setting
            pg.emulate_media(color_scheme="light" if scheme == "dark" else "dark")
            pg.wait_for_function("bg => getComputedStyle(document.querySelector('[data-glossary-card]'))"
                                 ".backgroundColor !== bg", arg=expected[0])
        pg.add_script_tag(path=str(AXE))
        failures = pg.evaluate("""() => axe.run(document.querySelector('[data-glossary-card]'),
            {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag22aa']}})
            .then(r => r.violations.map(v => v.id))""")
        assert failures == []


def test_the_card_stays_with_its_link_in_a_scrolling_box(open_page, glossary_url: str, tmp_path: Path) -> None:
    with served(help_page(tmp_path / "help", glossary_url)) as url:
        pg = open_page()
        pg.goto(url + "help.html")
        ready(pg)
        pg.hover("#boxed")
        card = pg.locator(CARD)
        card.wait_for(state="visible")
        gap = [card.bounding_box()["y"] - pg.locator("#boxed").bounding_box()["y"]]
        pg.evaluate("() => { document.getElementById('scroller').scrollTop = 30; }")
        pg.wait_for_timeout(100)
        gap.append(card.bounding_box()["y"] - pg.locator("#boxed").bounding_box()["y"])
        assert abs(gap[0] - gap[1]) < 1, gap
        pg.evaluate("() => { document.getElementById('scroller').scrollTop = 300; }")  # the link scrolls out of view
        card.wait_for(state="hidden")


def test_the_card_shows_formula_example_and_source(open_page, make_project: Callable[..., Project],
                                                   tmp_path: Path) -> None:
    project = make_project({"terms/annual-recurring-revenue.md": term_file(
        "Annual Recurring Revenue", "Body.", summary="Yearly value.", aliases="[ARR]",
        formula="12 × MRR", example="$5,000 MRR × 12 = $60,000 ARR")})
    build(project)
    with served(project.out, CORS) as glossary, served(host_dir(tmp_path / "host", glossary)) as url:
        pg = open_page()
        pg.goto(url + "article.html")
        ready(pg)
        pg.focus("#full")
        pg.locator(CARD).wait_for(state="visible")
        assert [line for line in card_text(pg).split("\n") if line] == [
            "Annual Recurring Revenue", "Also: ARR", "Yearly value.", "Formula: 12 × MRR",
            "Example: $5,000 MRR × 12 = $60,000 ARR", "From Test Glossary"]


def test_demo_page_does_not_scroll_sideways_at_320px(open_page, sales_url: str) -> None:
    pg = open_page(viewport={"width": 320, "height": 640})
    pg.goto(sales_url + "embed-demo/index.html")
    assert pg.evaluate("() => document.documentElement.scrollWidth") <= 320
