"""Warnings an author can act on: exact `file:line: warning: message (hint)` lines, each distinct problem
once per file, a problem many files share folded into one count, and `--strict` turning them into errors.
Each test runs the real command line in a temporary git checkout (so no warning about missing dates)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from glossary.cli import main
from glossary.problems import Problem, folded
from tests.conftest import SITE_YAML, commit_all, term_file

Run = Callable[..., tuple[int, list[str], str]]
RAW_HINT = "allow_html is off; write it in Markdown, or use one of <sub>, <sup>, <kbd>, <abbr>, <br>, <details>"
SUMMARY_HINT = "the summary is shown as plain text in lists, search results and previews; write it without markup"
CHURN = term_file("Churn Rate", "Customers lost in a period, as a share.\n\n## The formula\n\nLost over started.",
                  summary="The share of customers lost in a period.")
STRICT_FAILED = ("Build failed: {n} warnings in {files} (--strict treats warnings as errors). "
                 "The site in _site/ was left as it was.")


@pytest.fixture
def run(make_project: Callable[..., object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> Run:
    """Write churn-rate.md plus `files`, commit them, run `glossary build *args`: (exit code, stderr lines, stdout)."""
    monkeypatch.chdir(tmp_path)

    def build(files: dict[str, str], *args: str) -> tuple[int, list[str], str]:
        make_project({"terms/churn-rate.md": CHURN, **files}, site_yaml=SITE_YAML)
        commit_all(tmp_path, "2026-03-12T10:00:00+00:00")
        code = main(["build", "--jobs", "1", *args])
        captured = capsys.readouterr()
        return code, captured.err.splitlines(), captured.out

    return build


LEAD = term_file("Lead", (
    "A person who may buy. See [the formula](churn-rate.md#the_formula) and [its sum](churn-rate.md#formla),\n"
    "then [the sum again](churn-rate.md#formla).\n\n"
    "Read [pricing](/pricing/), [a page](/terms/nobody/), [the rate](/terms/churn-rate/#nowhere)\n"
    "and [](churn-rate.md).\n\n"
    "A <div>box</div>, <div>another</div> and <center>old</center>; [up](#see-also) and [](#top)."),
    summary="A possible buyer.")
LEAD_WARNINGS = [
    "content/terms/lead.md:5: warning: link to 'churn-rate.md#formla': no heading '#formla' on that page "
    "(did you mean 'the-formula'?)",
    "content/terms/lead.md:8: warning: link to '/pricing/': no such page in the glossary "
    "(link a term by its file, as [text](slug.md))",
    "content/terms/lead.md:8: warning: link to '/terms/churn-rate/#nowhere': no heading '#nowhere' on that page "
    "(its headings: the-formula)",
    "content/terms/lead.md:8: warning: link to '/terms/nobody/': no such page in the glossary "
    "(link a term by its file, as [text](slug.md))",
    "content/terms/lead.md:9: warning: link to 'churn-rate.md' has no text (write the words to show between [ and ])",
    "content/terms/lead.md:11: warning: link to '#see-also': no heading '#see-also' on that page "
    "(that page has no headings)",
    "content/terms/lead.md:11: warning: link to '#top' has no text (write the words to show between [ and ])",
    f"content/terms/lead.md:11: warning: raw HTML <center> is shown as text ({RAW_HINT})",
    f"content/terms/lead.md:11: warning: raw HTML <div> is shown as text ({RAW_HINT})",
]


def test_each_problem_once_per_file_at_its_line_with_a_hint(run: Run) -> None:
    """Two links to the same missing heading and two <div>s give one warning each; the heading link written
    with an underscore lands (no warning); the build succeeds."""
    code, err, out = run({"terms/lead.md": LEAD})
    assert err == LEAD_WARNINGS
    assert code == 0
    assert out.startswith("Built 2 terms into _site/ in ")


def test_strict_makes_each_warning_an_error(run: Run) -> None:
    code, err, _out = run({"terms/lead.md": LEAD}, "--strict")
    assert err == [*LEAD_WARNINGS, STRICT_FAILED.format(n=9, files="1 file")]
    assert code == 1
    assert not Path("_site").exists()


def test_a_link_to_a_term_file_that_does_not_exist_is_an_error(run: Run) -> None:
    code, err, _out = run({"terms/lead.md": term_file("Lead", "See [churn](churn-rte.md).")})
    assert err == [
        "content/terms/lead.md:4: link to 'churn-rte.md': no such term (did you mean 'churn-rate.md'?)",
        "Build failed: 1 error in 1 file. The site in _site/ was left as it was."]
    assert code == 1


@pytest.mark.parametrize(("summary", "found"), [
    ("A **possible** buyer.", "Markdown formatting: '**possible**'"),
    ("A possible _buyer_.", "Markdown formatting: '_buyer_'"),
    ("A ~~likely~~ possible buyer.", "Markdown formatting: '~~likely~~'"),
    ("Made by `lead_score`.", "Markdown code: '`lead_score`'"),
    ("Not yet a [customer](customer.md).", "a Markdown link: '[customer](customer.md)'"),
    ("A buyer ![icon](lead.png).", "a Markdown image: '![icon](lead.png)'"),
    ("A <b>possible</b> buyer.", "HTML: '<b>'"),
    ("An R&amp;D buyer.", "an HTML entity: '&amp;'"),
])
def test_a_summary_with_markup_is_a_warning(run: Run, summary: str, found: str) -> None:
    code, err, _out = run({"terms/lead.md": term_file("Lead", "A person who may buy.", summary=f"'{summary}'")})
    assert err == [f"content/terms/lead.md:3: warning: summary contains {found} ({SUMMARY_HINT})"]
    assert code == 0


def test_a_plain_summary_may_hold_stars_underscores_and_brackets(run: Run) -> None:
    summary = "'Scores 2 * 3 * 4 by lead_score_v2 [in points] (or less) when a < b.'"
    code, err, _out = run({"terms/lead.md": term_file("Lead", "A person who may buy.", summary=summary)})
    assert (code, err) == (0, [])


def test_a_warning_many_files_share_is_counted_after_three(run: Run) -> None:
    files = {f"terms/t{i}.md": term_file(f"Term {i}", "A <marquee>moving</marquee> text, <marquee>again</marquee>.")
             for i in range(1, 7)}
    files["terms/t9.md"] = term_file("Term 9", "A [](#top) link.")
    code, err, _out = run(files)
    marquee = f"warning: raw HTML <marquee> is shown as text ({RAW_HINT})"
    assert err == [f"content/terms/t1.md:4: {marquee}", f"content/terms/t2.md:4: {marquee}",
                   f"content/terms/t3.md:4: {marquee}", "... and 3 more files",
                   "content/terms/t9.md:4: warning: link to '#top' has no text "
                   "(write the words to show between [ and ])"]
    assert code == 0
    code, err, _out = run({}, "--strict")
    assert err[-2:] == ["content/terms/t9.md:4: warning: link to '#top' has no text "
                        "(write the words to show between [ and ])",
                        STRICT_FAILED.format(n=7, files="7 files")]
    assert code == 1


def test_errors_are_never_folded() -> None:
    errors = [Problem(f"t{i}.md", 2, "unknown category 'Sales'") for i in range(5)]
    warnings = [Problem(f"t{i}.md", 3, "raw HTML <b> is shown as text", warning=True) for i in range(5)]
    assert folded(sorted(errors + warnings)) == [
        "t0.md:2: unknown category 'Sales'", "t0.md:3: warning: raw HTML <b> is shown as text",
        "t1.md:2: unknown category 'Sales'", "t1.md:3: warning: raw HTML <b> is shown as text",
        "t2.md:2: unknown category 'Sales'", "t2.md:3: warning: raw HTML <b> is shown as text",
        "... and 2 more files",
        "t3.md:2: unknown category 'Sales'", "t4.md:2: unknown category 'Sales'"]
    assert folded(warnings[:4]) == [str(p) for p in warnings[:3]] + ["... and 1 more file"]
    assert folded(warnings[:3]) == [str(p) for p in warnings[:3]]
