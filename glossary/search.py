"""Index stage: a lunr.py index that lunr.js 2.3.9 loads in the browser, as a classic script, and the
small names list (titles, aliases, addresses) that every page loads first for instant title matches.

Scripts (not JSON fetched at run time) because browsers refuse fetch/XHR of `file://` pages: the
offline download must search too.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from itertools import islice

from .lunr_builder import STOP_WORDS, IndexBuilder
from .model import Glossary, Term
from .parallel import gc_paused
from .safejson import script_json
from .urls import SEARCH_INDEX, term_path

# The names list's address: stable (not fingerprinted) for the same reason as the index's (urls.SEARCH_INDEX).
NAMES_SCRIPT = "search-names.js"

FIELDS = [("title", 10.0), ("aliases", 8.0), ("summary", 2.0), ("body", 1.0)]
# Words of each definition that go into the index (and into the text results show a snippet of): at
# most 100, fewer in a large glossary so the index script stays near INDEX_BUDGET_GZ, the size that
# still loads in about a second in Chromium. Gzipped, a term costs about 112 bytes for its names,
# summary and result data, and each body word about 5.7 bytes (3.4 in the index, 2.3 in the text).
# So up to about 1,700 terms a term is found by 100 words of its definition; at 10,000 terms, by its
# title, aliases and summary (and first word).
BODY_WORDS = 100
INDEX_BUDGET_GZ = 1_200_000


def body_words(term_count: int) -> int:
    affordable = (INDEX_BUDGET_GZ / max(term_count, 1) - 112) / 5.7
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


def definition_text(term: Term, words: int = BODY_WORDS) -> str:
    """What search finds in a definition and shows a snippet of: the formula, the worked example and
    the first `words` words of the definition text."""
    return " ".join(part for part in (term.formula, term.example, " ".join(term.text.split()[:words])) if part)


def index_document(ref: str, term: Term, words: int = BODY_WORDS) -> dict[str, str]:
    return {
        "ref": ref,
        "title": index_words(term.title),
        "aliases": index_words(" ".join(term.aliases)),
        "summary": index_words(term.summary),
        "body": index_words(definition_text(term, words)),
    }


@dataclass(frozen=True)
class SearchInput:
    """Everything the index is made from: cheap to gather here, then built in the background.
    A term's ref is its position in `names` (in base 36, see short_ref)."""

    documents: list[dict[str, str]]
    # [title, aliases, path] per term, in ref order; path is relative to the site root.
    names: list[list[object]]
    # [summary, definition text] per term, in ref order: what results show besides the names.
    docs: list[list[str]]


def search_input(glossary: Glossary) -> SearchInput:
    words = body_words(len(glossary.terms))
    return SearchInput(
        documents=[index_document(short_ref(i), t, words) for i, t in enumerate(glossary.terms)],
        names=[[t.title, list(t.aliases), term_path(t.slug)] for t in glossary.terms],
        docs=[[t.summary, definition_text(t, words)] for t in glossary.terms],
    )


def index_json(data: SearchInput) -> str:
    builder = IndexBuilder("ref", FIELDS)
    for document in data.documents:
        builder.add(document)
    # Weights to 2 decimals (lunr.py writes 3): a tenth off the index, no visible change in ranking.
    return builder.json(digits=2)


def search_data(data: SearchInput) -> dict[str, object]:
    """What the index script holds, as Python objects."""
    return {"index": json.loads(index_json(data)), "docs": data.docs}


def names_data(data: SearchInput) -> dict[str, object]:
    """What the names script holds: the names, and lunr's stop words (which the index leaves out, so a
    query drops them too, before lunr.js itself has loaded)."""
    return {"stop": sorted(STOP_WORDS), "terms": data.names}


def search_script(data: SearchInput) -> bytes:
    with gc_paused():
        index = index_json(data)
    # The index JSON comes ready-made (see lunr_builder) and needs none of script_json's escapes:
    # its words are letters and digits (index_words), and refs and field names are ours.
    rest = script_json({"docs": data.docs})
    return f'window.GLOSSARY_SEARCH={{"index":{index},{rest[1:]};\n'.encode()


def names_script(data: SearchInput) -> bytes:
    return f"window.GLOSSARY_NAMES={script_json(names_data(data))};\n".encode()


def search_files(glossary: Glossary) -> dict[str, bytes]:
    """The index script and the names script, by output path."""
    data = search_input(glossary)
    return {SEARCH_INDEX: search_script(data), NAMES_SCRIPT: names_script(data)}
