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
    settings = glossary.settings
    base = settings.base_url
    listing = {"version": API_VERSION, "title": settings.title, "url": base,
               # The newest term date, not the clock: the same content always gives the same files.
               "generated": glossary.last_updated or None, "license": getattr(settings, "license", ""),
               "terms": [summary(t, base) for t in glossary.terms]}
    files = {"api/terms.json": json_bytes(listing)}
    for term, data in zip(glossary.terms, runner.map(term_files, base, glossary.terms), strict=True):
        for slug in (term.slug, *urls.redirect_slugs(term)):
            files[f"api/terms/{slug}.json"] = data
    return files


def term_files(base_url: str, terms: Sequence[Term]) -> list[bytes]:
    """Each term's JSON with its definition (a batch for parallel.Runner)."""
    return [json_bytes(summary(t, base_url) | {"html": urls.absolute_definition(t.html, base_url), "text": t.text})
            for t in terms]
