"""Index stage: a lunr.py index that lunr.js 2.3.9 loads in the browser, as a classic script.

A script (not JSON fetched at run time) because browsers refuse fetch/XHR of `file://`
pages: the offline download must search too.
"""

from __future__ import annotations

import gc
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice

from .lunr_builder import IndexBuilder
from .model import Glossary, Term, fold
from .pages import script_json
from .urls import term_path

FIELDS = [("title", 10.0), ("aliases", 8.0), ("summary", 2.0), ("body", 1.0)]
# Words of each definition that go into the index: at most 100, fewer in a large glossary so the
# index script stays near INDEX_BUDGET_GZ. Measured on synthetic glossaries: about 112 bytes
# (gzipped) per term for title, aliases, summary and result data, plus about 3.4 bytes per body
# word per term. The budget is set by load time in Chromium: at 10,000 terms, 1.2 MB gzipped gives
# first results about 0.95 s after focusing the box (1.8 MB took 1.6 s). So at 10,000 terms a term
# is found by its title, aliases and summary (and first words); up to 2,000 terms, by 100 body words.
BODY_WORDS = 100
INDEX_BUDGET_GZ = 1_200_000


def body_words(term_count: int) -> int:
    affordable = (INDEX_BUDGET_GZ / max(term_count, 1) - 112) / 3.4
    return max(0, min(BODY_WORDS, int(affordable)))


# Words with at least one letter ("B2B" yes, "$1,152" no): numbers and punctuation make
# index entries nobody searches for, and the browser's query splits on the same boundaries.
WORD_RE = re.compile(r"(?=[\w]*[^\W\d_])[^\W_]+")


def index_words(text: str, limit: int | None = None) -> str:
    if limit is None:
        return " ".join(WORD_RE.findall(text))
    # Stop at the limit: a large glossary indexes only the first few words of each definition.
    return " ".join(match[0] for match in islice(WORD_RE.finditer(text), limit))


def short_ref(i: int) -> str:
    """Refs repeat in every posting of the index, so they are short: 0, 1, ... z, 10, ..."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        i, r = divmod(i, 36)
        out = digits[r] + out
        if not i:
            return out


def index_document(ref: str, term: Term, words: int = BODY_WORDS) -> dict[str, str]:
    return {
        "ref": ref,
        "title": index_words(term.title),
        "aliases": index_words(" ".join(term.aliases)),
        "summary": index_words(term.summary),
        "body": index_words(term.text, words),
    }


@dataclass(frozen=True)
class SearchInput:
    """Everything the index is made from: cheap to gather here, then built in the background."""

    documents: list[dict[str, str]]
    # Shown in results: ref -> [title, aliases, summary, path]; path is relative to the site root.
    docs: dict[str, list[object]]
    # Exact title/alias -> ref, so "ARR" or "b2b" puts its own term first.
    names: dict[str, str]


def search_input(glossary: Glossary) -> SearchInput:
    refs = {t.slug: short_ref(i) for i, t in enumerate(glossary.terms)}
    words = body_words(len(glossary.terms))
    return SearchInput(
        documents=[index_document(refs[t.slug], t, words) for t in glossary.terms],
        docs={refs[t.slug]: [t.title, list(t.aliases), t.summary, term_path(t.slug)] for t in glossary.terms},
        names={fold(name): refs[t.slug] for t in glossary.terms for name in t.names},
    )


def index_json(data: SearchInput) -> str:
    builder = IndexBuilder("ref", FIELDS)
    for document in data.documents:
        builder.add(document)
    # Weights to 2 decimals (lunr.py writes 3): a tenth off the index, no visible change in ranking.
    return builder.json(digits=2)


def search_data(data: SearchInput) -> dict[str, object]:
    """What the search script holds, as Python objects."""
    return {"index": json.loads(index_json(data)), "docs": data.docs, "names": data.names}


def search_script(data: SearchInput) -> bytes:
    with gc_paused():
        index = index_json(data)
    # The index JSON comes ready-made (see lunr_builder) and needs none of script_json's escapes:
    # its words are letters and digits (index_words), and refs and field names are ours.
    rest = script_json({"docs": data.docs, "names": data.names})
    return f'window.GLOSSARY_SEARCH={{"index":{index},{rest[1:]};\n'.encode()


@contextmanager
def gc_paused() -> Iterator[None]:
    """The index makes some 100,000 containers and no reference cycles, so the garbage collector
    would find nothing, only walk the heap (in the forked background process, the whole inherited
    glossary, copying its pages): a fifth of the index build at 10,000 terms."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
