"""JSON for help-desk tools: every term, and each term with its definition."""

from __future__ import annotations

import json

from . import urls
from .model import Glossary, Term
from .validate import redirect_slugs


def summary(term: Term, base_url: str) -> dict[str, object]:
    return {
        "slug": term.slug,
        "title": term.title,
        "aliases": list(term.aliases),
        "summary": term.summary,
        "category": term.category,
        "related": list(term.related),
        "url": urls.absolute(base_url, urls.term_path(term.slug)),
        # Other addresses that redirect here (aliases, previous slugs), for link previews.
        "redirects": [urls.absolute(base_url, urls.term_path(slug)) for slug in redirect_slugs(term)],
    }


# Each term's file by (base URL, term): the dev server keeps one, so an edit re-encodes one term.
ApiCache = dict[tuple[str, Term], bytes]


def api_files(glossary: Glossary, cache: ApiCache | None = None) -> dict[str, bytes]:
    """With a cache, only changed terms are encoded; it is then left holding this build's files only,
    so it does not grow with every edit."""
    base = glossary.settings.base_url
    summaries = [summary(t, base) for t in glossary.terms]
    listing = {"title": glossary.settings.title, "url": base, "terms": summaries}
    files = {"api/terms.json": dump(listing)}
    fresh: ApiCache = {}
    for term, short in zip(glossary.terms, summaries, strict=True):
        data = cache.get((base, term)) if cache else None
        data = data or dump(short | {"html": urls.absolute_definition(term.html, base), "text": term.text})
        files[f"api/terms/{term.slug}.json"] = fresh[(base, term)] = data
    if cache is not None:
        cache.clear()
        cache.update(fresh)
    return files


def dump(data: object) -> bytes:
    # "<" and "&" escaped so that no consumer can ever read markup out of the text fields.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))  # compact: the C encoder, 10x faster
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").encode()
