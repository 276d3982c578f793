"""The auto-linking matcher: whole words, longest match, case rules, plurals, possessives."""

from glossary.autolink import Matcher, singular_forms

NAMES = {
    "Lead": "lead", "Sales Qualified Lead": "sql", "SQL": "sql", "Annual Recurring Revenue": "arr",
    "ARR": "arr", "Opportunity": "opportunity", "CRM": "crm", "Cross-Selling": "cross-selling", "B2B": "b2b",
    "Process": "process",
}


def found(text: str) -> list[tuple[str, str]]:
    return [(text[m.start:m.end], m.slug) for m in Matcher(NAMES).find(text)]


def test_longest_match_wins() -> None:
    assert found("Every Sales Qualified Lead was once a lead.") == [("Sales Qualified Lead", "sql"), ("lead", "lead")]


def test_whole_words_only() -> None:
    assert found("Leadership, misleading, ARRAY and processing") == []


def test_case_insensitive_except_abbreviations() -> None:
    assert found("arr is not ARR; LEAD and lead are") == [("ARR", "arr"), ("LEAD", "lead"), ("lead", "lead")]


def test_plurals_and_possessives() -> None:
    assert found("leads, opportunities, the CRM's data, processes, B2Bs") == [
        ("leads", "lead"), ("opportunities", "opportunity"), ("CRM's", "crm"), ("processes", "process"),
        ("B2Bs", "b2b")]


def test_hyphen_or_space_between_words() -> None:
    assert found("cross-selling and cross selling") == [("cross-selling", "cross-selling"),
                                                          ("cross selling", "cross-selling")]


def test_a_name_does_not_run_across_punctuation() -> None:
    assert found("Sales. Qualified") == []


def test_singular_forms() -> None:
    assert singular_forms("opportunities") == ("opportunities", "opportunity", "opportuniti", "opportunitie")
    assert singular_forms("CRM's") == ("CRM's", "CRM")


def test_cost_grows_with_text_not_with_terms() -> None:
    many = {f"Term {i}": f"t{i}" for i in range(20000)}
    text = "term 5 and term 19999 and nothing else " * 50
    matches = Matcher(many).find(text)
    assert [m.slug for m in matches[:2]] == ["t5", "t19999"]
    assert len(matches) == 100
