"""JSON for help-desk tools: every term, and each term with its definition."""

from __future__ import annotations

from collections.abc import Sequence

from . import urls
from .model import Glossary, Term
from .parallel import Runner
from .safejson import json_bytes

# The shape of these files: raised when a field is removed or changes meaning (new fields keep it).
API_VERSION = 1


def summary(term: Term, base_url: str) -> dict[str, object]:
    return {
        "slug": term.slug,
        "title": term.title,
        "aliases": list(term.aliases),
        "summary": term.summary,
        "category": term.category,
        "category_url": urls.absolute(base_url, urls.category_path(term.category)) if term.category else None,
        "related": list(term.related),
        "formula": term.formula or None,
        "example": term.example or None,
        "reviewed": term.reviewed or None,  # ISO dates
        "updated": term.updated or None,
        "url": urls.absolute(base_url, urls.term_path(term.slug)),
        # Other addresses that redirect here (aliases, previous slugs), for link previews.
        "redirects": [urls.absolute(base_url, urls.term_path(slug)) for slug in urls.redirect_slugs(term)],
    }


def api_files(glossary: Glossary, runner: Runner) -> dict[str, bytes]:
    """api/terms.json (every term, without definitions) and api/terms/<slug>.json (one term, with its definition),
    also at each address that redirects to the term (api/terms/arr.json), since JSON has no redirect page."""
    base = glossary.settings.base_url
    files = {"api/terms.json": json_bytes(listing(glossary))}
    for term, data in zip(glossary.terms, runner.map(term_files, base, glossary.terms), strict=True):
        for slug in (term.slug, *urls.redirect_slugs(term)):
            files[f"api/terms/{slug}.json"] = data
    return files


def listing(glossary: Glossary) -> dict[str, object]:
    """api/terms.json: the site, the licence of its definitions, and every term without its definition."""
    settings = glossary.settings
    return {"version": API_VERSION, "title": settings.title, "url": settings.base_url,
            # The newest term date, not the clock: the same content always gives the same files.
            "generated": glossary.last_updated or None,
            "license": settings.license or None, "license_url": settings.license_url or None,
            "terms": [summary(t, settings.base_url) for t in glossary.terms]}


def definition(term: Term, base_url: str) -> dict[str, object]:
    """api/terms/<slug>.json: one term with its definition as HTML (absolute links) and as plain text."""
    return summary(term, base_url) | {"html": urls.absolute_definition(term.html, base_url), "text": term.text}


def term_files(base_url: str, terms: Sequence[Term]) -> list[bytes]:
    """Each term's JSON with its definition (a batch for parallel.Runner)."""
    return [json_bytes(definition(t, base_url)) for t in terms]
