"""The search index the site ships: its content, its size, and identical results in lunr.py and lunr.js."""

from __future__ import annotations

import gzip
import json
import random
import re
from pathlib import Path

import lunr.index
import pytest

from glossary.lunr_builder import STOP_WORDS, IndexBuilder
from glossary.model import Term
from glossary.pages import script_json
from glossary.pipeline import Project, build
from glossary.search import (
    FIELDS,
    definition_text,
    index_document,
    index_words,
    names_script,
    search_data,
    search_files,
    search_input,
    search_script,
    short_ref,
)
from glossary.stemmer import make_builder
from tests.conftest import REPO
from tests.unit.test_stemmer import NODE, PHRASES, _run_node


@pytest.fixture(scope="module")
def glossary():
    return build(Project(content=REPO / "content", out=REPO / "_unused"), write=False).glossary


def test_short_refs() -> None:
    assert [short_ref(i) for i in (0, 9, 10, 35, 36, 1295, 1296)] == ["0", "9", "a", "z", "10", "zz", "100"]


def test_index_words_drop_numbers_and_punctuation() -> None:
    assert index_words("B2B costs $1,152 (per seat): it's 10x!") == "B2B costs per seat it s 10x"


def test_index_content(glossary) -> None:
    data = search_input(glossary)
    i = next(i for i, t in enumerate(glossary.terms) if t.slug == "annual-recurring-revenue")
    arr = glossary.by_slug["annual-recurring-revenue"]
    assert data.names[i] == ["Annual Recurring Revenue", ["ARR"], "terms/annual-recurring-revenue/index.html"]
    assert data.docs[i] == [arr.summary, definition_text(arr)]
    assert data.documents[i]["ref"] == short_ref(i)
    index = search_data(data)["index"]
    assert index["fields"] == ["title", "aliases", "summary", "body"]
    assert index["pipeline"] == ["stemmer"]


def test_definition_text_leads_with_formula_and_example() -> None:
    term = Term(slug="x", title="X", source="x.md", formula="a ÷ b", example="6 ÷ 3 = 2", text="One two three four.")
    assert definition_text(term) == "a ÷ b 6 ÷ 3 = 2 One two three four."
    assert definition_text(term, 2) == "a ÷ b 6 ÷ 3 = 2 One two"
    assert index_document("7", term)["body"] == "a b One two three four"


def test_names_script_carries_names_and_stop_words(glossary) -> None:
    data = search_input(glossary)
    text = names_script(data).decode()
    assert text.startswith("window.GLOSSARY_NAMES={") and text.endswith("};\n")
    names = json.loads(text.removeprefix("window.GLOSSARY_NAMES=").removesuffix(";\n"))
    assert names == {"stop": sorted(STOP_WORDS), "terms": data.names}
    assert {"a", "is", "what"} <= set(names["stop"])
    assert len(gzip.compress(text.encode(), 9)) <= 4_000  # every page loads it


def test_search_files_are_the_two_scripts(glossary) -> None:
    data = search_input(glossary)
    assert search_files(glossary) == {"search-index.js": search_script(data), "search-names.js": names_script(data)}


def test_index_script_is_small(sales_site: Path) -> None:
    script = sales_site / "search-index.js"
    text = script.read_text(encoding="utf-8")
    assert text.startswith("window.GLOSSARY_SEARCH={") and text.endswith("};\n")
    # About 130 terms, each with 100 words of its definition in the index and as text for snippets.
    assert len(gzip.compress(text.encode(), 9)) <= 110_000


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


def _lunr_py_json(documents: list[dict[str, str]], fields: list[tuple[str, float]], digits: int = 3) -> str:
    """The reference: lunr.py's own Builder (with our stemmer), serialised as the site writes JSON."""
    builder = make_builder("ref", fields)
    for document in documents:
        builder.add(document)
    index = builder.build().serialize()
    if digits != 3:  # what the site did before IndexBuilder: round lunr.py's 3-decimal weights
        index["fieldVectors"] = [[ref, [round(x, digits) if i % 2 else x for i, x in enumerate(vector)]]
                                 for ref, vector in index["fieldVectors"]]
    return json.dumps(index, ensure_ascii=False, separators=(",", ":"))


def _assert_same_text(fast: str, reference: str) -> None:
    """Equal, or a short excerpt where they part (pytest's own diff of 100 KB strings takes minutes)."""
    if fast != reference:
        pairs = enumerate(zip(fast, reference, strict=False))
        at = next((i for i, (a, b) in pairs if a != b), min(len(fast), len(reference)))
        pytest.fail(f"differ at {at}: {fast[at - 80:at + 80]!r} != {reference[at - 80:at + 80]!r}")


def _fast_json(documents: list[dict[str, str]], fields: list[tuple[str, float]], digits: int = 3) -> str:
    builder = IndexBuilder("ref", fields)
    for document in documents:
        builder.add(document)
    return builder.json(digits)


@pytest.mark.parametrize("digits", [3, 2])
def test_fast_builder_makes_the_same_index_as_lunr_py(glossary, digits: int) -> None:
    documents = [index_document(short_ref(i), term) for i, term in enumerate(glossary.terms)]
    _assert_same_text(_fast_json(documents, FIELDS, digits), _lunr_py_json(documents, FIELDS, digits))


def test_fast_builder_matches_lunr_py_on_awkward_documents() -> None:
    """Repeated words, stop words, capitals, accents, letters outside the BMP, a field that is
    empty in every document, fields of many lengths (so many distinct scores to round)."""
    # Words as index_words makes them: the builder skips lunr.py's trimmer, which would cut "😀s"
    # to "s" (lunr.js, querying, would not).
    vocabulary = index_words("the and of a Pay pays PAYING try tries key money runway café Naïve straße "
                             "𝐀bc 𝐀𝐁𝐂s B2B ARR 10x y yes relational generalization quickly").split()
    assert len(vocabulary) == 25
    rng = random.Random(7)
    fields = [("title", 10.0), ("aliases", 8.0), ("summary", 2.0), ("body", 1.0), ("never", 3.0)]
    documents = [{"ref": short_ref(i),
                  "title": " ".join(rng.choices(vocabulary, k=rng.randint(0, 3))),
                  "aliases": " ".join(rng.choices(vocabulary, k=rng.choice([0, 0, 1, 2]))),
                  "summary": " ".join(rng.choices(vocabulary, k=rng.randint(0, 12))),
                  "body": " ".join(rng.choices(vocabulary, k=rng.randint(0, 80))),
                  "never": ""} for i in range(300)]
    documents.append({"ref": "stop", "title": "the and", "aliases": "of", "summary": "", "body": "a the", "never": ""})
    for digits in (3, 2):
        _assert_same_text(_fast_json(documents, fields, digits), _lunr_py_json(documents, fields, digits))


def test_script_is_the_search_data_as_script_json(glossary) -> None:
    """search_script writes the index's JSON as it comes from the builder; prove that is what
    script_json of the whole would have written (escapes included)."""
    data = search_input(glossary)
    _assert_same_text(search_script(data).decode(), f"window.GLOSSARY_SEARCH={script_json(search_data(data))};\n")


def test_index_words_limit_takes_the_first_words() -> None:
    text = "B2B costs $1,152 (per seat): it's 10x! " * 3
    everything = index_words(text).split()
    assert [index_words(text, n) for n in (0, 1, 5, 100)] == [" ".join(everything[:n]) for n in (0, 1, 5, 100)]


def test_large_glossaries_index_fewer_body_words() -> None:
    from glossary.search import body_words

    assert [body_words(n) for n in (111, 1000, 5000, 10_000, 50_000)] == [100, 100, 22, 1, 0]
