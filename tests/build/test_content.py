"""The sales glossary itself: complete, well-formed and well-connected (issue: the sales glossary)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from glossary.model import fold
from glossary.pipeline import Project, build

REPO = Path(__file__).resolve().parents[2]
# The list the glossary must cover; a copy is kept in tests/fixtures for clones without shared/.
LIST = next((p for p in (REPO.parent / "shared" / "sales-terms.txt", REPO / "tests/fixtures/sales-terms.txt")
             if p.exists()), REPO / "tests/fixtures/sales-terms.txt")
EXTRA = ["Service Level Agreement", "Annual Contract Value", "Sales Development Representative",
         "Business Development Representative", "Discovery Call", "Sales Representative", "Customer Journey",
         "Weighted Pipeline"]


@pytest.fixture(scope="module")
def glossary():
    report = build(Project(content=REPO / "content", out=REPO / "_unused", strict=True), write=False)
    assert report.warnings == []
    return report.glossary


def listed_terms() -> list[tuple[str, list[str]]]:
    if not LIST.exists():
        pytest.skip(f"{LIST} not present")
    rows = [line.split(" | ") for line in LIST.read_text().splitlines() if line.strip() and not line.startswith("#")]
    return [(row[0].strip(), [a.strip() for a in row[1:]]) for row in rows]


def test_every_listed_term_is_present_with_its_aliases(glossary) -> None:
    by_title = {t.title: t for t in glossary.terms}
    listed = listed_terms()
    assert len(listed) == 101
    missing = [title for title, _ in listed if title not in by_title]
    assert missing == []
    for title, aliases in listed:
        assert set(aliases) <= set(by_title[title].aliases), title


def test_terms_the_definitions_lean_on_are_present(glossary) -> None:
    titles = {t.title for t in glossary.terms}
    assert [t for t in EXTRA if t not in titles] == []


def test_summaries_are_one_short_sentence(glossary) -> None:
    for term in glossary.terms:
        assert 20 <= len(term.summary) <= 160, term.slug
        assert term.summary.endswith("."), term.slug
        assert not re.search(r"[.!?] [A-Z]", term.summary), f"{term.slug}: more than one sentence"
        assert not fold(term.summary).startswith(fold(term.title) + " "), f"{term.slug}: summary repeats the title"


def test_categories_are_declared_and_used(glossary) -> None:
    declared = set(glossary.settings.categories)
    assert 6 <= len(declared) <= 9
    assert {t.category for t in glossary.terms} == declared


def test_related_terms(glossary) -> None:
    for term in glossary.terms:
        assert 2 <= len(term.related) <= 5, term.slug
        assert all(r in glossary.by_slug and r != term.slug for r in term.related), term.slug


def test_body_length(glossary) -> None:
    for term in glossary.terms:
        words = len(re.findall(r"\S+", term.text))
        assert 60 <= words <= 200, f"{term.slug}: {words} words"


def test_no_orphans(glossary) -> None:
    assert [t.slug for t in glossary.terms if not t.links_to] == []
    assert [t.slug for t in glossary.terms if not t.linked_from] == []


def test_metrics_give_a_formula(glossary) -> None:
    for term in glossary.terms:
        if term.category == "Metrics":
            assert re.search(r"formula", term.text, re.IGNORECASE), term.slug


def test_everyday_words_opt_out_of_autolinking(glossary) -> None:
    for slug in ("lead", "pitch", "quote", "opportunity", "commission", "funnel", "pipeline", "referral",
                 "stakeholder"):
        assert glossary.by_slug[slug].autolink == "off", slug
