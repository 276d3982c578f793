"""The import readers (csv, markdown, folder) and the writer's settling of slugs, names, links and categories."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest

from glossary.frontmatter import parse
from glossary.importers import Entry, Source, parse_map, split_list
from glossary.importers.from_csv import delimiter_of, read_csv
from glossary.importers.from_folder import read_folder
from glossary.importers.from_markdown import anchor_of, read_markdown, term_level
from glossary.importers.writer import (
    Settler,
    Term,
    assign_slugs,
    first_sentence,
    settle_categories,
    with_categories,
    yaml_list,
    yaml_text,
)
from glossary.problems import Problem

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import"
DIALECTS = ["comma.csv", "semicolon.csv", "tab.tsv", "bom-crlf.csv", "multiline.csv"]


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder holding a copy of the import fixtures, so messages show short relative paths."""
    shutil.copytree(FIXTURES, tmp_path / "import")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def messages(problems: list[Problem]) -> list[str]:
    return [str(p) for p in sorted(problems)]


# --- csv -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("Term,Definition\n", ","),
    ("Term;Definition;Category\n", ";"),
    ("Term\tDefinition\n", "\t"),
    ('"Term; or name",Definition\n', ","),  # a separator inside quotes does not count
    ("\n\nTerm;Definition\n", ";"),
    ("Term\n", ","),
])
def test_delimiter_is_the_one_the_header_uses_most(text: str, expected: str) -> None:
    assert delimiter_of(text) == expected


@pytest.mark.parametrize("name", DIALECTS)
def test_every_csv_dialect_gives_the_same_terms(here: Path, name: str) -> None:
    problems: list[Problem] = []
    source = read_csv(Path("import/csv") / name, {}, problems)
    assert source is not None and problems == []
    assert [e.title for e in source.entries] == ["First Response Time", "Ticket", "Escalation"]
    assert [e.aliases for e in source.entries] == [["FRT"], ["Case", "Request"], []]
    assert [e.category for e in source.entries] == ["Metrics", "Workflow", "Workflow"]
    assert [e.related for e in source.entries] == [["Ticket"], [], ["Ticket", "First Response Time"]]
    assert source.entries[1].body.replace("\n", " ") == ("One customer question or problem, tracked from the first "
                                                         "message until it is solved.")


def test_quoted_cells_keep_commas_quotes_and_line_breaks(here: Path) -> None:
    source = read_csv(Path("import/csv/multiline.csv"), {}, [])
    assert source is not None
    assert source.entries[0].body == ("How long a customer waits for the first human reply to a ticket, in working "
                                      'hours.\n\nAutomatic acknowledgements do not count: "We got your message" is '
                                      "not a reply.")
    assert [e.line for e in source.entries] == [2, 5, 7]  # each row's first line, multi-line cells counted


def test_bom_is_not_part_of_the_first_header(here: Path) -> None:
    source = read_csv(Path("import/csv/bom-crlf.csv"), {}, [])
    assert source is not None and source.entries[0].title == "First Response Time"
    assert "\r" not in source.entries[0].body


def test_utf16_export_is_read(tmp_path: Path) -> None:
    path = tmp_path / "unicode.txt"
    path.write_bytes("Term\tDefinition\nCafé\tA place for coffee.\n".encode("utf-16"))
    source = read_csv(path, {}, [])
    assert source is not None and [(e.title, e.body) for e in source.entries] == [("Café", "A place for coffee.")]


def test_unknown_columns_are_reported_and_map_names_them(here: Path) -> None:
    problems: list[Problem] = []
    source = read_csv(Path("import/csv/support-export.csv"), {}, problems)
    assert source is not None
    assert messages(problems) == [
        "import/csv/support-export.csv:1: warning: column 'Owner' not imported (map it with --map \"Owner=KEY\"; "
        "KEY is one of title, aliases, summary, category, related, body, ignore)"]
    problems = []
    read_csv(Path("import/csv/support-export.csv"), {"owner": "ignore"}, problems)
    assert problems == []


def test_map_renames_a_column(tmp_path: Path) -> None:
    path = tmp_path / "words.csv"
    path.write_text("Word,Explanation,Kind\nRoast,Heating beans.,Process\n", encoding="utf-8")
    problems: list[Problem] = []
    source = read_csv(path, {"Explanation": "summary", "KIND": "category"}, problems)
    assert source is not None and problems == []
    entry = source.entries[0]
    assert (entry.title, entry.summary, entry.body, entry.category) == ("Roast", "Heating beans.", "", "Process")


def test_header_names_match_loosely(tmp_path: Path) -> None:
    path = tmp_path / "words.csv"
    path.write_text("TERM,Also Known As,SEE_ALSO,short description\nRoast,Roasting,Bean,Heating beans.\n",
                    encoding="utf-8")
    source = read_csv(path, {}, [])
    assert source is not None
    entry = source.entries[0]
    assert (entry.aliases, entry.related, entry.summary) == (["Roasting"], ["Bean"], "Heating beans.")


def test_a_second_column_for_the_same_key_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "words.csv"
    path.write_text("Term,Definition,Description\nRoast,Heating beans.,Long text.\n", encoding="utf-8")
    problems: list[Problem] = []
    read_csv(path, {}, problems)
    assert messages(problems) == [
        f"{path}:2: warning: column 'Description' not imported: the body is already 'Heating beans.' "
        "(map it elsewhere with --map, such as --map Description=body)"]


def test_csv_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("nothing.csv").write_text("", encoding="utf-8")
    Path("no-term.csv").write_text("Label;Notes\nRoast;Heating beans.\n", encoding="utf-8")
    Path("blank-term.csv").write_text("Term,Definition\n,Heating beans.\n\n,\n", encoding="utf-8")
    Path("latin1.csv").write_bytes("Term,Definition\nCaf\xe9,Coffee.\n".encode("latin-1"))
    Path("folder").mkdir()
    results = {}
    for name in ["nothing.csv", "no-term.csv", "blank-term.csv", "latin1.csv", "folder", "missing.csv"]:
        problems: list[Problem] = []
        read_csv(Path(name), {}, problems)
        results[name] = messages(problems)
    assert results == {
        "nothing.csv": ["nothing.csv: the file is empty (export the spreadsheet with its header row)"],
        "no-term.csv": ["no-term.csv:1: warning: column 'Label' not imported (map it with --map \"Label=KEY\"; "
                        "KEY is one of title, aliases, summary, category, related, body, ignore)",
                        "no-term.csv:1: warning: column 'Notes' not imported (map it with --map \"Notes=KEY\"; "
                        "KEY is one of title, aliases, summary, category, related, body, ignore)",
                        "no-term.csv:1: no column for the term (name a column Term or Title, or use --map "
                        "COLUMN=title; columns found: 'Label', 'Notes')"],
        "blank-term.csv": ["blank-term.csv:2: row has no term in column 'Term' (fill it in, or delete the row)"],
        "latin1.csv": ["latin1.csv:2: not UTF-8 text: byte 0xe9 cannot be read (export the spreadsheet as "
                       "'CSV UTF-8')"],
        "folder": ["folder: is a folder, not a CSV file (use 'glossary import folder' for a folder)"],
        "missing.csv": ["missing.csv: no such file (check the path)"],
    }


@pytest.mark.parametrize(("value", "expected"), [
    ("ARR; Annual Run Rate", ["ARR", "Annual Run Rate"]),
    ("ARR | ARRR |", ["ARR", "ARRR"]),
    ("Cost, Insurance and Freight", ["Cost, Insurance and Freight"]),
    (["A", " B ", "", None], ["A", "B"]),
])
def test_list_cells_split_on_semicolons_and_bars(value: object, expected: list[str]) -> None:
    assert split_list(value) == expected


# --- markdown --------------------------------------------------------------------------------------------------


def test_letter_group_headings_put_the_terms_one_level_down() -> None:
    assert term_level([(0, 1, "Glossary"), (2, 2, "A"), (3, 3, "API"), (5, 2, "B"), (6, 3, "Bean")]) == 3
    assert term_level([(0, 1, "Glossary"), (2, 2, "API"), (5, 2, "Bean"), (6, 3, "Details")]) == 2
    assert term_level([(0, 1, "API"), (2, 1, "Bean")]) == 1
    assert term_level([(0, 2, "A–C"), (1, 3, "API"), (2, 2, "0-9"), (3, 3, "3D")]) == 3


def test_anchor_is_the_one_renderers_give_a_heading() -> None:
    assert anchor_of("First Crack") == "first-crack"
    assert anchor_of("C++ & Node.js (JS)") == "c--nodejs-js"


def test_markdown_headings_form(here: Path) -> None:
    problems: list[Problem] = []
    source = read_markdown(Path("import/markdown/headings.md"), problems)
    assert source is not None and source.title == "Coffee Roasting Glossary" and source.anchors_are_terms
    density, crack, green = source.entries
    assert (density.title, density.aliases, density.related, density.line) == (
        "Bean Density", ["Density"], ["#first-crack", "Green Coffee"], 7)
    assert density.keys == ["#density", "#bean-density"]
    assert density.body.startswith("How heavy a green bean is for its size.") and "Also known" not in density.body
    assert (crack.category, green.category) == ("Roasting", "Sourcing")
    assert "## Timing" in crack.body and "first crack at 8:40, drop at 10:05" in crack.body
    assert messages(problems) == [
        "import/markdown/headings.md:3: warning: text before the first term not imported (it belongs to no term; "
        "put it in site.yaml's description if it describes the glossary)"]


def test_markdown_definition_list_form(here: Path) -> None:
    problems: list[Problem] = []
    source = read_markdown(Path("import/markdown/definition-list.md"), problems)
    assert source is not None and source.title == "Coffee Roasting Glossary"
    density, crack, green = source.entries
    assert density.body == ("How heavy a green bean is for its size. Denser beans take heat more slowly.\n\n"
                            "They can be roasted harder without scorching.")
    assert (crack.title, crack.aliases, crack.line) == ("First Crack", ["Crack"], 11)
    assert crack.body == ("The popping sound beans make when the water inside turns to steam and splits them open.\n"
                          "Most light roasts end soon after it; compare [bean density](#bean-density).\n\n"
                          "```\nfirst crack at 8:40\n```")
    assert (green.body, green.related) == ("Raw coffee seeds after processing and drying, before any roasting.",
                                           ["First Crack"])
    assert messages(problems) == [
        "import/markdown/definition-list.md:4: warning: text outside the definition list not imported (give it a "
        "': definition' line, or remove it)"]


def test_markdown_without_terms(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("notes.md").write_text("Just a paragraph.\n", encoding="utf-8")
    problems: list[Problem] = []
    assert read_markdown(Path("notes.md"), problems) is None
    assert messages(problems) == [
        "notes.md: no terms found (write one heading per term ('## Term', then its definition) or a definition list "
        "('Term', then ': definition'))"]


# --- folder ----------------------------------------------------------------------------------------------------


def test_folder_keys_are_mapped_and_unknown_ones_reported(here: Path) -> None:
    problems: list[Problem] = []
    source = read_folder(Path("import/folder"), {"blurb": "summary", "sidebar_position": "ignore"}, problems)
    assert source is not None and source.title == "Folder"
    by_title = {e.title: e for e in source.entries}
    assert list(by_title) == ["Alert Rule", "On-Call Rotation", "Metric", "Log", "Trace"]
    metric, log, trace = by_title["Metric"], by_title["Log"], by_title["Trace"]
    assert (metric.id, metric.aliases, metric.category, metric.related) == (
        "metric", ["Measurement"], "signals", ["log", "trace-id"])
    assert metric.summary == "A number measured again and again over time, such as requests per second."
    assert metric.body.startswith("A metric is a series of numbers") and metric.body_line == 12  # '# Metric' taken out
    assert (log.name, log.aliases, log.category) == ("log", ["Log line", "Event log"], "Signals")
    assert log.summary == "A line of text a program writes when something happens, with the time it happened."
    assert (trace.id, trace.extra, trace.related) == ("trace-id", {"updated": "2025-11-02"}, ["Metric", "Log"])
    assert by_title["Alert Rule"].slug == "alert-rule" and by_title["Alert Rule"].category == "Practice"
    assert by_title["On-Call Rotation"].category == "Practice"  # from its folder
    assert messages(problems) == [
        "import/folder: warning: 1 file not imported: only Markdown files are read (such as "
        "import/folder/signals/diagram.svg)",
        "import/folder/practice/alerting.md:5: warning: key 'related_docs' not imported (map it with --map "
        "related_docs=KEY; KEY is one of title, aliases, summary, category, related, previous_slugs, autolink, "
        "formula, example, reviewed, updated, body, slug, id, ignore)",
        "import/folder/signals/metric.md:6: warning: key 'tags': only the first, 'signals', became the category "
        "(not imported: 'basics')",
    ]


def test_folder_without_map_reports_the_keys_it_cannot_place(here: Path) -> None:
    problems: list[Problem] = []
    read_folder(Path("import/folder"), {}, problems)
    unknown = [str(p) for p in sorted(problems) if "not imported (map it" in str(p)]
    assert [u.split(" warning: ")[0] + " " + u.split("'")[1] for u in unknown] == [
        "import/folder/practice/alerting.md:5: related_docs",
        "import/folder/signals/log/index.md:4: blurb",
        "import/folder/signals/metric.md:8: sidebar_position",
    ]


def test_folder_map_of_a_key_no_file_has(here: Path) -> None:
    problems: list[Problem] = []
    read_folder(Path("import/folder/signals/log"), {"teaser": "summary"}, problems)
    assert ("import/folder/signals/log: warning: --map teaser=summary: no file has the key 'teaser' (check its "
            "spelling in the front matter)") in messages(problems)


def test_folder_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("empty").mkdir()
    Path("bad").mkdir()
    Path("bad/term.md").write_text("---\ntitle: Unclosed\nText.\n", encoding="utf-8")
    Path("one.md").write_text("# One\n", encoding="utf-8")
    results = {}
    for name in ["empty", "bad", "one.md", "missing"]:
        problems: list[Problem] = []
        read_folder(Path(name), {}, problems)
        results[name] = messages(problems)
    assert results == {
        "empty": ["empty: no Markdown files found (the folder should hold .md files, one a term)"],
        "bad": ["bad/term.md:1: unterminated front matter (close it with a line '---' after the last key)"],
        "one.md": ["one.md: is a file, not a folder (use 'glossary import csv' or 'markdown' for one file)"],
        "missing": ["missing: no such folder (check the path)"],
    }


# --- writer ----------------------------------------------------------------------------------------------------


def entry(title: str, line: int, **fields: object) -> Entry:
    return Entry(title=title, source="words.csv", line=line, **fields)  # type: ignore[arg-type]


def settled(*entries: Entry, anchors: bool = False) -> tuple[list[Term], list[str]]:
    problems: list[Problem] = []
    items = list(entries)
    terms = [Term(e, slug) for e, slug in zip(items, assign_slugs(items, problems), strict=True)]
    Settler(terms, {}, Source(items, "Words", "words.csv", lambda _e, url: url.removesuffix(".md"), anchors),
            problems).settle()
    return terms, messages(problems)


def test_slugs_are_valid_and_unique() -> None:
    terms, problems = settled(entry("C++", 2), entry("C#", 3), entry("Über Café", 4), entry("???", 5),
                              entry("Roast", 6, slug="Dark_Roast"))
    assert [t.slug for t in terms] == ["c", "c-2", "uber-cafe", "term", "dark-roast"]
    assert problems == [
        "words.csv:3: warning: slug 'c' is already used by words.csv:2 ('C++') (wrote terms/c-2.md)",
        "words.csv:6: warning: slug 'Dark_Roast' is not a valid slug (wrote it as 'dark-roast')",
    ]


def test_aliases_that_would_clash_are_left_out() -> None:
    terms, problems = settled(
        entry("Annual Recurring Revenue", 2, aliases=["ARR", "arr", "Annual recurring revenue", "Churn", "MRR"]),
        entry("Churn", 3, aliases=["MRR", "C.H.U.R.N."]),
        entry("Churn Rate", 4, aliases=["churn-rate", "churn"]),
    )
    assert [t.aliases for t in terms] == [["ARR", "MRR"], ["C.H.U.R.N."], ["churn-rate"]]  # its own address
    assert problems == [
        "words.csv:2: warning: alias 'Annual recurring revenue' is the term's own title (left out)",
        "words.csv:2: warning: alias 'Churn' is already the title of words.csv:3 (left out)",
        "words.csv:2: warning: alias 'arr' is listed twice (left out)",
        "words.csv:3: warning: alias 'MRR' is already an alias of words.csv:2 (left out)",
        "words.csv:4: warning: alias 'churn' is already the title of words.csv:3 (left out)",
    ]


def test_an_alias_whose_address_is_another_terms_page_is_left_out() -> None:
    terms, problems = settled(entry("Lead", 2), entry("Sales Lead", 3, aliases=["LEAD!"]))
    assert terms[1].aliases == []
    assert problems == ["words.csv:3: warning: alias 'LEAD!' would redirect terms/lead/, already the page of "
                        "words.csv:2 (left out)"]


def test_related_names_become_slugs() -> None:
    terms, problems = settled(
        entry("Roast", 2, id="R-1", related=["green coffee", "G-7", "roast", "Green Coffee", "Nothing"]),
        entry("Green Coffee", 3, id="G-7", aliases=["Green beans"], related=["R-1", "green beans", "roast.md"]),
    )
    assert [t.related for t in terms] == [["green-coffee"], ["roast"]]
    assert problems == ["words.csv:2: warning: related term 'Nothing' not found (left out: name a term by its title, "
                        "an alias or its id)"]


def test_links_between_terms_become_explicit_links() -> None:
    roast = entry("Roast", 2, body="See [[Green Coffee]], [[green coffee|beans]], [[Nowhere]] and [it](roast.md).\n"
                  "Keep `[[code]]`, ![a chart](chart.png), [a site](https://example.com/x.md) and [top](#top).\n"
                  "```\n[[Green Coffee]]\n```\nDrop [a page](../other.md) and [that](other.md#part).")
    green = entry("Green Coffee", 9, body="Before the [roast](roast.md#how-long), see [again](./roast.md).")
    terms, problems = settled(roast, green)
    assert terms[0].body == (
        "See [Green Coffee](green-coffee.md), [beans](green-coffee.md), Nowhere and [it](roast.md).\n"
        "Keep `[[code]]`, ![a chart](chart.png), [a site](https://example.com/x.md) and [top](#top).\n"
        "```\n[[Green Coffee]]\n```\nDrop a page and that.")
    assert terms[1].body == "Before the [roast](roast.md#how-long), see [again](roast.md)."
    assert problems == [
        "words.csv:2: warning: wiki link '[[Nowhere]]' names no imported term (kept its text, without the link)",
        "words.csv:7: warning: link to '../other.md' leads to no imported term (kept its text, without the link)",
        "words.csv:7: warning: link to 'other.md#part' leads to no imported term (kept its text, without the link)",
    ]


def test_anchor_links_name_terms_in_one_markdown_file() -> None:
    roast = entry("Roast", 2, keys=["#roast"], body="See [beans](#green-coffee) and [the top](#top).")
    green = entry("Green Coffee", 5, keys=["#green-coffee"])
    terms, problems = settled(roast, green, anchors=True)
    assert terms[0].body == "See [beans](green-coffee.md) and the top."
    assert problems == ["words.csv:2: warning: link to '#top' leads to no imported term (kept its text, without the "
                        "link)"]


def test_categories_are_declared_once_and_spelled_one_way() -> None:
    terms = [Term(entry(title, n, category=category), title.lower())
             for n, (title, category) in enumerate([("A", "Metrics"), ("B", "metrics"), ("C", "Pipeline & Process"),
                                                    ("D", "Pipeline Process"), ("E", "!!"), ("F", "Finance")], 2)]
    problems: list[Problem] = []
    new = settle_categories(terms, ["Finance"], problems)
    assert new == ["Metrics", "Pipeline & Process"]
    assert [t.category for t in terms] == ["Metrics", "Metrics", "Pipeline & Process", "Pipeline & Process", "",
                                           "Finance"]
    assert messages(problems) == [
        "words.csv:5: warning: category 'Pipeline Process' written as 'Pipeline & Process' (both would have the page "
        "categories/pipeline-process/)",
        "words.csv:6: warning: category '!!' has no letters or digits (left out)",
    ]


@pytest.mark.parametrize("text", ["Plain words", "Customer's choice, twice", "ROI: return on investment", "yes",
                                  "No", "[bracketed]", "  padded ", "#hash", "a #tag", "ends:", '"quoted"',
                                  "Café — 10%", "- dash", "tab\there", "back\\slash", "null", "2024-01-01"])
def test_yaml_text_reads_back_as_the_same_text(text: str) -> None:
    parsed = parse(f"---\ntitle: {yaml_text(text)}\naliases: {yaml_list([text, 'x, y'])}\n---\n")
    assert parsed.meta == {"title": text, "aliases": [text, "x, y"]}


def test_plain_text_stays_plain() -> None:
    assert yaml_text("Customer's choice, twice") == "Customer's choice, twice"
    assert yaml_list(["ARR", "Cost, Insurance and Freight"]) == '[ARR, "Cost, Insurance and Freight"]'


@pytest.mark.parametrize(("body", "expected"), [
    ("The yearly value of contracts. It excludes fees.", "The yearly value of contracts."),
    ("Costs, e.g. rent, grow. Then more.", "Costs, e.g. rent, grow."),
    ("**Bold** [link](x.md) and [[Wiki|wiki]] text! More.", "Bold link and wiki text!"),
    ("## Heading\n\nFirst paragraph\nwraps here. Second.", "First paragraph wraps here."),
    ("No full stop", "No full stop"),
    ("word " * 60, ("word " * 40).strip() + "…"),
])
def test_first_sentence_becomes_the_summary(body: str, expected: str) -> None:
    assert first_sentence(body) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("title: T\ncategories:\n  - Metrics  # first\n  - Roles\n\nlanguage: en\n",
     "title: T\ncategories:\n  - Metrics  # first\n  - Roles\n  - New One\n  - \"A: B\"\n\nlanguage: en\n"),
    ("title: T\ncategories: [Metrics, Roles]\n", "title: T\ncategories: [Metrics, Roles, New One, \"A: B\"]\n"),
    ("title: T\ncategories: []\n", "title: T\ncategories: [New One, \"A: B\"]\n"),
    ("title: T\ncategories:\n  Metrics: Numbers.\n", "title: T\ncategories:\n  Metrics: Numbers.\n  New One: \"\"\n"
     "  \"A: B\": \"\"\n"),
    ("title: T", "title: T\ncategories:\n  - New One\n  - \"A: B\"\n"),
])
def test_new_categories_are_added_to_site_yaml_in_its_own_layout(text: str, expected: str) -> None:
    assert with_categories(text, ["New One", "A: B"]) == expected


def test_map_option_checks_its_target() -> None:
    assert parse_map(" aka = aliases ") == ("aka", "aliases")
    with pytest.raises(argparse.ArgumentTypeError) as bad:
        parse_map("aka=nicknames")
    assert str(bad.value) == ("'nicknames' is not a key glossary knows: one of title, aliases, summary, category, "
                              "related, previous_slugs, autolink, formula, example, reviewed, updated, body, slug, "
                              "id, ignore")
    with pytest.raises(argparse.ArgumentTypeError) as bad:
        parse_map("aka")
    assert str(bad.value) == "'aka' is not FROM=TO, such as 'short_description=summary'"
