"""Definitions where scripts cannot run: a card page per term for <iframe>s, its oEmbed JSON, and
plain snippets (HTML and Markdown) that editors paste into help articles.

Most hosted knowledge bases strip <script> from articles, so embed.js never runs there; an iframe
of the card, or an oEmbed consumer that makes one from the term's URL, still shows the definition.
Nothing here imports the render stage: pages.py registers `FILTERS` on its templates.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markupsafe import escape

from . import urls
from .history import long_date
from .model import Glossary, Term
from .safejson import json_bytes

CARD_WIDTH, CARD_HEIGHT = 480, 320  # the iframe's size in the oEmbed html, in CSS pixels
THEMES = ("light", "dark")  # ?theme=...; without it a card follows the reader's own colour scheme
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def card_path(slug: str) -> str:
    return f"terms/{slug}/card/index.html"


def history_path(slug: str) -> str:
    return f"terms/{slug}/history/index.html"


def oembed_path(slug: str) -> str:
    return f"api/oembed/{slug}.json"


def card_url(base_url: str, slug: str) -> str:
    return urls.absolute(base_url, card_path(slug))


def oembed_url(base_url: str, slug: str) -> str:
    return base_url + oembed_path(slug)


# --- snippets for editors that take neither scripts nor iframes -------------------------------


def html_snippet(term: Term, base_url: str) -> str:
    """A paragraph: the term's title linked to its page, then its summary as text."""
    href = escape(urls.absolute(base_url, urls.term_path(term.slug)))
    summary = f": {escape(term.summary)}" if term.summary else ""
    return f'<p><a href="{href}">{escape(term.title)}</a>{summary}</p>'


def markdown_snippet(term: Term, base_url: str) -> str:
    """The same in Markdown, with the characters Markdown would read as syntax escaped."""
    href = urls.absolute(base_url, urls.term_path(term.slug))
    summary = f": {markdown_text(term.summary)}" if term.summary else ""
    return f"[{markdown_text(term.title)}](<{href}>){summary}"


def markdown_text(text: str) -> str:
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def iframe_html(term: Term, base_url: str) -> str:
    """The <iframe> an oEmbed consumer (or an editor) puts in an article."""
    src = escape(card_url(base_url, term.slug))
    return (f'<iframe src="{src}" title="{escape(term.title)}: definition" width="{CARD_WIDTH}" '
            f'height="{CARD_HEIGHT}" style="border:0;max-width:100%" loading="lazy"></iframe>')


FILTERS: dict[str, Callable[..., str]] = {
    "long_date": long_date,
    "html_snippet": html_snippet,
    "markdown_snippet": markdown_snippet,
    "iframe_html": iframe_html,
}


# --- oEmbed -----------------------------------------------------------------------------------


def oembed(term: Term, glossary: Glossary) -> dict[str, object]:
    """oEmbed 1.0 'rich' response: the required type, version, html, width and height, plus title,
    provider_name and provider_url."""
    s = glossary.settings
    return {
        "type": "rich",
        "version": "1.0",
        "title": term.title,
        "provider_name": s.title,
        "provider_url": s.base_url,
        "html": iframe_html(term, s.base_url),
        "width": CARD_WIDTH,
        "height": CARD_HEIGHT,
    }


def oembed_files(glossary: Glossary) -> dict[str, bytes]:
    """One static oEmbed JSON per term (a static host cannot answer ?url= queries)."""
    # "<", ">" and "&" escaped as in the API, so no consumer can read markup out of the text fields.
    return {oembed_path(t.slug): json_bytes(oembed(t, glossary)) for t in glossary.terms}
