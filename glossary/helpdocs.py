"""The help-docs page (`help-docs/`): what a help-desk writer needs to link to, embed and follow the glossary.

Everything the page shows about this glossary comes from its own terms and from the API's real output:
the example addresses are the first term that has an alias, the live demo links the first three terms,
and the list of API fields is the keys `api.py` writes, each with its description from `API_FIELDS`.
"""

from __future__ import annotations

import dataclasses
import json

from . import api, cards, urls
from .model import Glossary, Term

DEMO_TERMS = 3
# What each field of the JSON API means; tests check that these are exactly the fields api.py writes.
API_FIELDS = {
    "version": "The shape of these files: it goes up when a field is removed or changes meaning, not for a new one.",
    "title": "The glossary's name.",
    "url": "The glossary's address.",
    "generated": "The date of the newest change to any definition (YYYY-MM-DD), or null.",
    "license": "The licence of the definitions, as the glossary names it (such as CC BY 4.0), or null.",
    "license_url": "Where the licence is written out, or null.",
    "terms": "Every term, without its definition, in A–Z order: the fields below.",
    "slug": "The term's short name, used in its address.",
    "aliases": "Abbreviations and other names (each also has an address of its own).",
    "summary": "The definition in one sentence, as plain text.",
    "category": "The term's category, or an empty text.",
    "category_url": "The address of the category's page, or null.",
    "related": "The slugs of related terms.",
    "formula": "How a metric is calculated, as one line of text, or null.",
    "example": "A worked example with numbers, or null.",
    "reviewed": "When an expert last checked the definition (YYYY-MM-DD), or null.",
    "updated": "When the definition last changed (YYYY-MM-DD), or null.",
    "redirects": "Other addresses that lead to the term: its aliases and former names.",
    "html": "The whole definition as HTML, with absolute links.",
    "text": "The whole definition as plain text.",
}
# Fields whose name means the glossary in api/terms.json and the term in an entry.
ENTRY_FIELDS = {"title": "The term's name.", "url": "The address of the term's page."}


@dataclasses.dataclass(frozen=True)
class ApiField:
    name: str
    description: str


def example_term(terms: tuple[Term, ...]) -> tuple[Term, str, str] | None:
    """(term, alias, the alias's slug) for the first term in A–Z order with an alias that has its own address;
    without one, the first term and no alias. None for a glossary without terms."""
    for term in terms:
        for key, name, slug in urls.named_redirects(term):
            if key == "aliases" and slug != term.slug:
                return term, name, slug
    return (terms[0], "", "") if terms else None


def api_fields(glossary: Glossary, term: Term) -> tuple[tuple[str, str, tuple[ApiField, ...]], ...]:
    """(file, what it holds, its fields) for api/terms.json, an entry of its list and api/terms/<slug>.json,
    from the API's real output for `term`."""
    base = glossary.settings.base_url
    listing = api.listing(dataclasses.replace(glossary, terms=(term,)))
    entry = api.summary(term, base)
    own = [name for name in api.definition(term, base) if name not in entry]
    return (
        ("api/terms.json", "The glossary and every term:", tuple(field(name) for name in listing)),
        ("An entry of terms", "One term without its definition:",
         tuple(ApiField(n, ENTRY_FIELDS[n]) if n in ENTRY_FIELDS else field(n) for n in entry)),
        ("api/terms/<slug>.json", "One term with its definition: the fields of an entry, and",
         tuple(field(name) for name in own)),
    )


def field(name: str) -> ApiField:
    return ApiField(name, API_FIELDS[name])


def page_context(glossary: Glossary) -> tuple[tuple[str, object], ...]:
    """What the help-docs page shows beyond the site-wide inputs (see pages.PageJob)."""
    found = example_term(glossary.terms)
    if found is None:  # a glossary without terms does not build; the page still renders without examples
        return (("example", None), ("alias", ""), ("alias_slug", ""), ("demo_terms", ()))
    term, alias, alias_slug = found
    base = glossary.settings.base_url
    return (
        ("example", term),
        ("alias", alias),
        ("alias_slug", alias_slug),
        ("demo_terms", glossary.terms[:DEMO_TERMS]),
        ("api_fields", api_fields(glossary, term)),
        ("api_entry", json.dumps(api.summary(term, base), ensure_ascii=False, indent=2)),
        ("card_url", cards.card_url(base, term.slug)),
        ("oembed_url", cards.oembed_url(base, term.slug)),
        ("iframe", cards.iframe_html(term, base)),
    )
