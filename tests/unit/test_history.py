"""history.py reads one git log into dates and file changes; changes.py turns them into entries."""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

import pytest

from glossary import history
from glossary.changes import Change, changes, major, of_term, version, word_change
from glossary.frontmatter import parse
from glossary.history import History, dated, long_date, read_history
from glossary.model import Glossary, Settings, Term
from tests.gitrepo import STORY, git, make_repo

NOT_A_CHECKOUT = "warning: not in a git checkout, so term dates come only from 'updated:' in front matter"


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_repo(tmp_path_factory.mktemp("history") / "repo")


def glossary_of(content: Path) -> Glossary:
    terms = []
    for path in sorted((content / "terms").glob("*.md")):
        meta = parse(path.read_text(encoding="utf-8")).meta
        terms.append(Term(slug=path.stem, title=str(meta["title"]), source=str(path),
                          summary=str(meta.get("summary", "")), previous_slugs=tuple(meta.get("previous_slugs", []))))
    return Glossary(Settings("Test Glossary", "Terms.", "https://glossary.example.com/"), tuple(terms))


def test_one_git_log_gives_each_files_last_commit_date(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []
    real_run = subprocess.run

    def run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
        calls.append(command)
        return real_run(command, **kwargs)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr(history.subprocess, "run", run)
    found = read_history(repo / "terms")
    assert [c[:5] for c in calls] == [["git", "-c", "core.quotepath=off", "log", "-M"]]
    assert found.state == "git"
    assert found.dates == {"churn-rate": "2026-05-20", "sales-lead": "2026-04-20", "sales-pitch": "2026-05-02"}
    assert [(c.date, c.status, c.slug, c.old_slug) for c in found.changes] == [
        ("2026-01-05", "A", "churn-rate", ""), ("2026-01-05", "A", "lead", ""), ("2026-01-05", "A", "mql", ""),
        ("2026-01-05", "A", "obsolete", ""), ("2026-01-05", "A", "pitch", ""),
        ("2026-02-10", "M", "churn-rate", ""), ("2026-03-12", "M", "churn-rate", ""),
        ("2026-04-01", "R", "sales-lead", "lead"),
        ("2026-04-20", "D", "mql", ""), ("2026-04-20", "D", "obsolete", ""), ("2026-04-20", "M", "sales-lead", ""),
        ("2026-05-02", "D", "pitch", ""), ("2026-05-02", "A", "sales-pitch", ""),
        ("2026-05-20", "M", "churn-rate", ""),
    ]
    edit = found.changes[6]
    assert edit.when == "2026-03-12T08:15:00+01:00"
    assert (edit.old, edit.new) == (STORY[1][1]["churn-rate.md"], STORY[2][1]["churn-rate.md"])


def test_entries_say_what_changed_newest_first(repo: Path) -> None:
    entries = changes(read_history(repo / "terms"), glossary_of(repo))
    assert [(c.date, c.kind, c.slug, c.title, c.text, c.major) for c in entries] == [
        ("2026-05-20", "edited", "churn-rate", "Churn Rate", "Details edited (category)", False),
        ("2026-05-02", "renamed", "sales-pitch", "Sales Pitch",
         "Renamed from pitch, title changed from ‘Pitch’, summary rewritten, body +16 words", True),
        ("2026-04-20", "edited", "sales-lead", "Sales Lead", "Details edited (previous slugs)", False),
        ("2026-04-20", "removed", "", "Obsolete Term", "Removed", True),
        ("2026-04-20", "merged", "sales-lead", "MQL", "Merged into Sales Lead", True),
        ("2026-04-01", "renamed", "sales-lead", "Sales Lead", "Renamed from lead, title changed from ‘Lead’", True),
        ("2026-03-12", "edited", "churn-rate", "Churn Rate", "Body +6 words", True),
        ("2026-02-10", "edited", "churn-rate", "Churn Rate", "Summary rewritten", True),
        ("2026-01-05", "added", "sales-pitch", "Pitch", "Added", True),
        ("2026-01-05", "added", "", "Obsolete Term", "Added", True),
        ("2026-01-05", "added", "sales-lead", "MQL", "Added", True),
        ("2026-01-05", "added", "sales-lead", "Lead", "Added", True),
        ("2026-01-05", "added", "churn-rate", "Churn Rate", "Added", True),
    ]
    assert len({c.key for c in entries}) == len(entries)
    assert len(major(entries)) == 11


def test_a_terms_history_follows_its_renames(repo: Path) -> None:
    g = glossary_of(repo)
    entries = changes(read_history(repo / "terms"), g)
    assert [(c.date, c.text) for c in of_term(entries, g.by_slug["sales-lead"])] == [
        ("2026-04-20", "Details edited (previous slugs)"), ("2026-04-20", "Merged into Sales Lead"),
        ("2026-04-01", "Renamed from lead, title changed from ‘Lead’"), ("2026-01-05", "Added"),
        ("2026-01-05", "Added"),
    ]


def test_front_matter_date_overrides_git_and_no_date_is_invented() -> None:
    found = History("git", (), {"churn-rate": "2026-05-20", "lead": "2026-04-20"})
    terms = [Term("churn-rate", "Churn Rate", "x"), Term("lead", "Lead", "x", updated="2026-06-01"),
             Term("new", "New", "x")]
    assert [t.updated for t in dated(terms, found)] == ["2026-05-20", "2026-06-01", ""]


def test_outside_a_checkout_warns_once_and_gives_no_dates(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "terms").mkdir()
    with caplog.at_level(logging.WARNING, logger="glossary"):
        found = read_history(tmp_path / "terms")
    assert found == History()
    assert not found.available
    assert caplog.messages == [f"{tmp_path / 'terms'}: {NOT_A_CHECKOUT}"]


def test_shallow_clone_keeps_only_dates_it_can_prove(repo: Path, tmp_path: Path,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{repo.parent}", str(clone))
    with caplog.at_level(logging.WARNING, logger="glossary"):
        found = read_history(clone / "content/terms")
    assert found.state == "shallow"
    # The newest commit (churn-rate's category) is whole; the one before it is the cut, where every
    # file looks added: sales-lead's date would be invented, so it has none.
    assert found.dates == {"churn-rate": "2026-05-20"}
    assert [(c.date, c.status, c.slug) for c in found.changes] == [("2026-05-20", "M", "churn-rate")]
    assert caplog.messages == [
        f"{clone / 'content/terms'}: warning: shallow git clone: the histories of 2 term files are cut off, so "
        "their dates come only from 'updated:' in front matter (fetch the whole history with "
        "'git fetch --unshallow')"]


def test_depth_one_clone_has_no_dates(repo: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo.parent}", str(clone))
    with caplog.at_level(logging.WARNING, logger="glossary"):
        found = read_history(clone / "content/terms")
    assert (found.state, found.dates, found.changes) == ("shallow", {}, ())
    assert caplog.messages[0].endswith("shallow git clone: the histories of 3 term files are cut off, so their "
                                       "dates come only from 'updated:' in front matter (fetch the whole history "
                                       "with 'git fetch --unshallow')")


def test_uncommitted_files_have_no_date(repo: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", f"file://{repo.parent}", str(clone))
    (clone / "content/terms/draft.md").write_text("---\ntitle: Draft\n---\nNot yet.\n", encoding="utf-8")
    found = read_history(clone / "content/terms")
    assert "draft" not in found.dates and found.dates["churn-rate"] == "2026-05-20"


def test_word_changes() -> None:
    def v(body: str) -> object:
        return version(f"---\ntitle: T\n---\n{body}\n")

    assert word_change(v("one two"), v("one two three four")) == "body +2 words"  # type: ignore[arg-type]
    assert word_change(v("one two three"), v("one two")) == "body \u22121 word"  # type: ignore[arg-type]
    assert word_change(v("one two"), v("one three")) == "body edited"  # type: ignore[arg-type]
    assert word_change(v("one [two](two.md)"), v("one [two](other-thing.md)")) == "body edited"  # type: ignore[arg-type]
    assert word_change(v("same"), v("same")) == ""  # type: ignore[arg-type]


def test_long_dates() -> None:
    assert [long_date(d) for d in ("2026-03-12", "2026-01-01", "")] == ["12 March 2026", "1 January 2026", ""]


def test_change_text_and_key() -> None:
    change = Change(3, "0123456789abcdef", "2026-03-12T08:15:00+01:00", "edited", "churn-rate", "Churn Rate",
                    ("summary rewritten", "body +6 words"), file="churn-rate")
    assert (change.date, change.text, change.key) == (
        "2026-03-12", "Summary rewritten, body +6 words", "0123456789ab-churn-rate")
