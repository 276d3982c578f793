"""Index stage: a lunr.py index that lunr.js 2.3.9 loads in the browser, as a classic script.

A script (not JSON fetched at run time) because browsers refuse fetch/XHR of `file://`
pages: the offline download must search too.
"""

from __future__ import annotations

import json

from .model import Glossary, Term, fold
from .stemmer import make_builder
from .urls import term_path

FIELDS = [("title", 10.0), ("aliases", 8.0), ("summary", 2.0), ("body", 1.0)]
# Words of each definition that go into the index; beyond this, search finds a term by its
# title, aliases and summary only. Keeps the index small and the build fast at 10,000 terms.
BODY_WORDS = 400


def index_document(term: Term) -> dict[str, str]:
    return {
        "slug": term.slug,
        "title": term.title,
        "aliases": " ".join(term.aliases),
        "summary": term.summary,
        "body": " ".join(term.text.split()[:BODY_WORDS]),
    }


def search_data(glossary: Glossary) -> dict[str, object]:
    builder = make_builder("slug", FIELDS)
    for term in glossary.terms:
        builder.add(index_document(term))
    index = builder.build()
    return {
        "index": index.serialize(),
        # Shown in results: [title, aliases, summary, path]; path is relative to the site root.
        "docs": {t.slug: [t.title, list(t.aliases), t.summary, term_path(t.slug)] for t in glossary.terms},
        # Exact title/alias -> slug, so "ARR" or "b2b" puts its own term first.
        "names": {fold(name): t.slug for t in glossary.terms for name in t.names},
    }


def search_script(glossary: Glossary) -> bytes:
    data = json.dumps(search_data(glossary), ensure_ascii=False, separators=(",", ":"))
    return f"window.GLOSSARY_SEARCH={data};\n".encode()
