"""A term card shown in an <iframe> on a page of another origin, under netlify.toml's headers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import serve_dir
from tests.netlify import serve_netlify

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def glossary_url(sales_site: Path) -> Iterator[str]:
    url, stop = serve_netlify(sales_site)
    yield url
    stop()


def host_page(tmp_path: Path, frames: dict[str, str]) -> tuple[str, Callable[[], None]]:
    """A help-desk page on another origin (another port) that frames each URL in `frames` under its id."""
    iframes = "".join(f'<iframe id="{name}" src="{src}" title="{name}" width="480" height="320"></iframe>\n'
                      for name, src in frames.items())
    (tmp_path / "article.html").write_text(f"<!doctype html><html lang=en><title>Help article</title>"
                                           f"<h1>Help article</h1>\n{iframes}", encoding="utf-8")
    url, stop = serve_dir(tmp_path)
    # "localhost", not the glossary's "127.0.0.1": another origin
    return url.replace("127.0.0.1", "localhost") + "article.html", stop


def test_card_shows_in_an_iframe_on_another_origin_and_a_term_page_does_not(glossary_url, browser, tmp_path) -> None:
    article, stop = host_page(tmp_path, {
        "card": f"{glossary_url}terms/churn-rate/card/?theme=dark",
        "page": f"{glossary_url}terms/churn-rate/index.html"})
    context = browser.new_context()
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda m: "frame-ancestors" in m.text and refused.append(m.text))
    try:
        page.goto(article)
        card = page.frame_locator("#card")
        assert card.locator("h1").inner_text() == "Churn Rate"
        assert card.locator(".g-card-summary").inner_text().startswith("The share of customers")
        assert card.locator("html").get_attribute("data-theme") == "dark"
        frame = next(f for f in page.frames if f.url.startswith(f"{glossary_url}terms/churn-rate/card/"))
        assert frame.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(18, 21, 25)"
        # The term page is refused: Chromium shows its own error page in the frame instead, and says why.
        term = page.query_selector("#page").content_frame()  # type: ignore[union-attr]
        assert term is not None and term.url == "chrome-error://chromewebdata/"
        assert term.query_selector("article.term") is None
        assert refused == [f"Framing '{glossary_url}' violates the following Content Security Policy directive: "
                           "\"frame-ancestors 'none'\". The request has been blocked.\n"]
    finally:
        context.close()
        stop()


def test_card_follows_light_theme_and_the_readers_scheme(glossary_url, browser) -> None:
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    try:
        page.goto(f"{glossary_url}terms/churn-rate/card/?theme=light")
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
        page.goto(f"{glossary_url}terms/churn-rate/card/")
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(18, 21, 25)"
    finally:
        context.close()
