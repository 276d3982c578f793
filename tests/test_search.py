"""The search index the site ships: its content, its size, and identical results in lunr.py and lunr.js."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import lunr.index
import pytest

from glossary.pipeline import Project, build
from glossary.search import index_words, search_data, search_input, short_ref
from tests.conftest import REPO
from tests.test_stemmer import NODE, PHRASES, _run_node


@pytest.fixture(scope="module")
def glossary():
    return build(Project(content=REPO / "content", out=REPO / "_unused"), write=False).glossary


def test_short_refs() -> None:
    assert [short_ref(i) for i in (0, 9, 10, 35, 36, 1295, 1296)] == ["0", "9", "a", "z", "10", "zz", "100"]


def test_index_words_drop_numbers_and_punctuation() -> None:
    assert index_words("B2B costs $1,152 (per seat): it's 10x!") == "B2B costs per seat it s 10x"


def test_index_content(glossary) -> None:
    data = search_data(search_input(glossary))
    ref = next(r for r, doc in data["docs"].items() if doc[0] == "Annual Recurring Revenue")
    assert data["docs"][ref] == ["Annual Recurring Revenue", ["ARR"], glossary.by_slug["annual-recurring-revenue"]
                                 .summary, "terms/annual-recurring-revenue/index.html"]
    assert data["names"]["arr"] == ref and data["names"]["annual recurring revenue"] == ref
    assert data["index"]["fields"] == ["title", "aliases", "summary", "body"]
    assert data["index"]["pipeline"] == ["stemmer"]


def test_index_script_is_small(sales_site: Path) -> None:
    script = sales_site / "search-index.js"
    text = script.read_text(encoding="utf-8")
    assert text.startswith("window.GLOSSARY_SEARCH={") and text.endswith("};\n")
    assert len(gzip.compress(text.encode(), 9)) <= 60_000


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_shipped_index_gives_identical_results_in_lunr_py_and_lunr_js(glossary) -> None:
    serialized = json.loads(json.dumps(search_data(search_input(glossary))["index"]))
    index = lunr.index.Index.load(serialized)
    words = sorted({w.lower() for t in glossary.terms for w in re.findall(r"[a-zA-Z]+", t.text + " " + t.title)})
    queries = words + PHRASES + ["pay", "key", "money", "runway", "deploy", "display", "try", "buying", "journey"]
    js = _run_node({"index": serialized, "queries": queries, "words": []})["results"]
    differences = []
    for query, js_hits in zip(queries, js, strict=True):
        # Same refs with the same scores (equal scores may come in either order).
        py_scores = {hit["ref"]: hit["score"] for hit in index.search(query)}
        js_scores = {hit["ref"]: hit["score"] for hit in js_hits or []}
        if py_scores.keys() != js_scores.keys() or any(abs(py_scores[r] - js_scores[r]) > 1e-4 for r in py_scores):
            differences.append(f"{query!r}: {py_scores} != {js_scores}")
    assert len(queries) > 1500
    assert differences == []


def test_fast_builder_makes_the_same_index_as_lunr_py(glossary) -> None:
    from glossary.lunr_builder import CleanTextBuilder
    from glossary.search import FIELDS, index_document
    from glossary.stemmer import make_builder

    fast, plain = CleanTextBuilder("ref", FIELDS), make_builder("ref", FIELDS)
    for i, term in enumerate(glossary.terms):
        fast.add(index_document(short_ref(i), term))
        plain.add(index_document(short_ref(i), term))
    assert json.dumps(fast.build().serialize()) == json.dumps(plain.build().serialize())


def test_large_glossaries_index_fewer_body_words() -> None:
    from glossary.search import body_words

    assert [body_words(n) for n in (111, 1000, 5000, 10_000, 50_000)] == [100, 100, 37, 2, 0]
