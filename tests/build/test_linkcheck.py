"""`check-links`: glossary URLs in help articles are found, resolved against the built site and reported."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from glossary import history
from glossary.cli import main
from glossary.linkcheck import find_urls, url_pattern
from glossary.pipeline import Project
from tests.conftest import REPO, term_file
from tests.gitrepo import make_repo

SALES = "https://sales-glossary.netlify.app/"
TEST = "https://glossary.example.com/"
PATTERN = url_pattern(TEST)


def test_sample_articles_report_the_one_misspelt_link(monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(REPO)
    code = main(["check-links", "--content", str(REPO / "content"), "tests/fixtures/help-articles"])
    out = capsys.readouterr().out
    assert code == 1
    assert out.splitlines() == [
        f"tests/fixtures/help-articles/reading-your-revenue-dashboard.md:10: broken glossary link "
        f"{SALES}terms/churn-rte/ (did you mean {SALES}terms/churn-rate/?)",
        "1 broken glossary link in 1 file (checked 10 links in 3 files).",
    ]


# --- finding URLs ------------------------------------------------------------------------------


def test_markdown_links_with_line_numbers() -> None:
    text = (f"# Title\n\nSee [ARR]({TEST}terms/arr/) and [MRR]({TEST}terms/mrr/ \"Monthly\").\n\n"
            f"Angle brackets: <{TEST}#letter-c>.\n[ref]: {TEST}terms/quota/\n")
    assert list(find_urls(text, PATTERN)) == [
        (3, f"{TEST}terms/arr/"), (3, f"{TEST}terms/mrr/"), (5, f"{TEST}#letter-c"), (6, f"{TEST}terms/quota/"),
    ]


def test_html_href_and_src_with_line_numbers() -> None:
    text = (f'<p>\n<a href="{TEST}terms/lead/">lead</a>\n'
            f"<img src='{TEST}assets/logo.png' alt=''>\n<a href=\"https://other.example.com/terms/lead/\">x</a>\n")
    assert list(find_urls(text, PATTERN)) == [(2, f"{TEST}terms/lead/"), (3, f"{TEST}assets/logo.png")]


def test_bare_urls_in_text_drop_trailing_punctuation() -> None:
    text = (f"Read {TEST}terms/quota/. Then ({TEST}terms/lead/), then **{TEST}terms/pitch/**!\n"
            f"Home: {TEST}, or {TEST.rstrip('/')}. Search: {TEST}search/?q=arr\n")
    assert list(find_urls(text, PATTERN)) == [
        (1, f"{TEST}terms/quota/"), (1, f"{TEST}terms/lead/"), (1, f"{TEST}terms/pitch/"),
        (2, TEST), (2, TEST.rstrip("/")), (2, f"{TEST}search/?q=arr"),
    ]


def test_scheme_and_host_case_do_not_matter_but_other_hosts_do() -> None:
    text = ("http://glossary.example.com/terms/a/ HTTPS://Glossary.Example.com/terms/b/\n"
            "https://glossary.example.com.evil.test/terms/c/ https://glossary.example.company/terms/d/\n"
            "https://www.glossary.example.com/terms/e/\n")
    assert list(find_urls(text, PATTERN)) == [
        (1, "http://glossary.example.com/terms/a/"), (1, "HTTPS://Glossary.Example.com/terms/b/"),
    ]


def test_base_url_with_a_path_only_matches_under_that_path() -> None:
    pattern = url_pattern("https://example.com/glossary/")
    text = "https://example.com/glossary/terms/a/ https://example.com/glossary-old/terms/b/ https://example.com/x/"
    assert list(find_urls(text, pattern)) == [(1, "https://example.com/glossary/terms/a/")]


# --- resolving them against a small glossary ---------------------------------------------------


@pytest.fixture
def small(make_project: Callable[..., Project]) -> Project:
    return make_project({
        "terms/churn-rate.md": term_file("Churn Rate", aliases="[Attrition]", category="Metrics"),
        "terms/quota.md": term_file("Quota", category="Process"),
    })


def check(project: Project, articles: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
          capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    """Write the articles under tmp_path/articles and run check-links on that folder from tmp_path."""
    for name, text in articles.items():
        (tmp_path / "articles" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "articles" / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code = main(["check-links", "--content", str(project.content), "articles"])
    return code, capsys.readouterr().out.splitlines()


def test_good_links_only_succeed(small: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    articles = {
        "a.md": f"[churn]({TEST}terms/churn-rate/) and [alias]({TEST}terms/attrition/#definition)\n",
        "b.html": f'<a href="{TEST}#quota">quota</a> <a href="{TEST}api/terms.json">api</a>\n',
        "nested/c.txt": f"{TEST}terms/quota/index.html?utm=help {TEST}#letter-c {TEST} {TEST.rstrip('/')}\n",
        "ignored.pdf": f"{TEST}terms/nope/\n",
        ".drafts/d.md": f"{TEST}terms/nope/\n",
    }
    assert check(small, articles, tmp_path, monkeypatch, capsys) == (
        0, ["All 8 glossary links in 3 files resolve."])


def test_missing_anchor_is_reported(small: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    articles = {"a.md": f"Intro\n\nSee [churn]({TEST}terms/churn-rate/#nope).\n"}
    assert check(small, articles, tmp_path, monkeypatch, capsys) == (1, [
        f"articles/a.md:3: broken glossary link {TEST}terms/churn-rate/#nope: no anchor 'nope' on that page",
        "1 broken glossary link in 1 file (checked 1 link in 1 file).",
    ])


def test_anchor_on_alias_is_checked_on_the_term_page(small: Project, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    articles = {"a.txt": f"{TEST}terms/attrition/#definition\n{TEST}terms/attrition/#letter-c\n"}
    assert check(small, articles, tmp_path, monkeypatch, capsys) == (1, [
        f"articles/a.txt:2: broken glossary link {TEST}terms/attrition/#letter-c: no anchor 'letter-c' on that page",
        "1 broken glossary link in 1 file (checked 2 links in 1 file).",
    ])


def test_missing_pages_with_and_without_a_hint(small: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    articles = {
        "a.md": f"[x]({TEST}terms/quotta/#definition)\n",
        "b.html": f'<p>\n<a href="{TEST}terms/zzzzzz/">x</a>\n',
    }
    assert check(small, articles, tmp_path, monkeypatch, capsys) == (1, [
        f"articles/a.md:1: broken glossary link {TEST}terms/quotta/#definition "
        f"(did you mean {TEST}terms/quota/#definition?)",
        f"articles/b.html:2: broken glossary link {TEST}terms/zzzzzz/",
        "2 broken glossary links in 2 files (checked 2 links in 2 files).",
    ])


def test_files_without_glossary_links(small: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    articles = {"a.md": "No links here, only https://example.com/.\n"}
    assert check(small, articles, tmp_path, monkeypatch, capsys) == (
        0, [f"No glossary links (starting with {TEST}) in 1 file."])


def test_nonexistent_path_exits_2(small: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    code = main(["check-links", "--content", str(small.content), "no-such-articles"])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert captured.err == "error: no-such-articles: no such file or folder\n"


def test_broken_glossary_fails_like_a_build(make_project: Callable[..., Project], tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project({"terms/quota.md": "no front matter\n"}, site_yaml=None)
    (tmp_path / "a.md").write_text(f"{TEST}terms/quota/\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code = main(["check-links", "--content", str(project.content), "a.md"])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    assert "Build failed:" in captured.err


# --- which articles cite which terms (--report, --format csv, --since) -------------------------


def report_run(tmp_path: Path, *args: str) -> int:
    """check-links over two help articles, for the glossary committed by tests.gitrepo."""
    content = make_repo(tmp_path / "repo")
    help_dir = tmp_path / "help"
    help_dir.mkdir()
    (help_dir / "churn.md").write_text(f"Read [churn]({TEST}terms/churn-rate/) first.\n"
                                       f"Old link: {TEST}terms/lead/\n", encoding="utf-8")
    (help_dir / "pitch.html").write_text(f'<a href="{TEST}terms/pitch/">pitch</a>\n<a href="{TEST}#churn-rate">c</a>\n',
                                         encoding="utf-8")
    return main(["check-links", "--content", str(content), str(help_dir), *args])


def test_report_lists_each_terms_articles_through_old_slugs(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    logs: list[Path] = []
    real_log = history.run_git_log
    monkeypatch.setattr(history, "run_git_log", lambda folder: logs.append(folder) or real_log(folder))
    code = report_run(tmp_path, "--report", "report.json")
    assert code == 0
    assert len(logs) == 1  # the build's one git log also dates the report's changes
    assert capsys.readouterr().out.splitlines()[-1] == "Report: 3 terms cited in 2 files; written to report.json."
    data = json.loads((tmp_path / "report.json").read_text())
    assert data["since"] is None
    assert [(t["slug"], t["updated"], t["changed"], [(a["file"], a["line"]) for a in t["articles"]])
            for t in data["terms"]] == [
        ("churn-rate", "2026-05-20", "2026-03-12", [("help/churn.md", 1), ("help/pitch.html", 2)]),
        ("sales-lead", "2026-04-20", "2026-04-20", [("help/churn.md", 2)]),
        ("sales-pitch", "2026-05-02", "2026-05-02", [("help/pitch.html", 1)]),
    ]


def test_report_since_a_date_as_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code = report_run(tmp_path, "--report", "report.csv", "--format", "csv", "--since", "2026-04-15")
    assert code == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Report: 2 terms changed since 2026-04-15, cited in 2 files; written to report.csv.")
    assert (tmp_path / "report.csv").read_text().splitlines() == [
        "slug,title,url,updated,changed,file,line,link",
        f"sales-lead,Sales Lead,{TEST}terms/sales-lead/,2026-04-20,2026-04-20,help/churn.md,2,{TEST}terms/lead/",
        f"sales-pitch,Sales Pitch,{TEST}terms/sales-pitch/,2026-05-02,2026-05-02,help/pitch.html,1,{TEST}terms/pitch/",
    ]


def test_since_must_be_a_date(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["check-links", "help", "--since", "2026-13-01"])
    assert exit_.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "glossary check-links: error: argument --since: '2026-13-01' is not a date such as 2026-03-12")
