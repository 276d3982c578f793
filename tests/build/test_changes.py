"""A glossary built inside a git repository: term dates, the changes page, the Atom feed, term histories,
the sitemap and JSON-LD dates, and what a shallow clone or a folder without git gives."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import feedparser
import pytest

from glossary.pipeline import Project, build
from tests.gitrepo import git, make_repo

BASE = "https://glossary.example.com/"


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_repo(tmp_path_factory.mktemp("changes") / "repo")


@pytest.fixture(scope="module")
def files(repo: Path) -> dict[str, bytes]:
    return build(Project(content=repo, out=repo.parent / "_site", strict=True), write=False).files


def text(files: dict[str, bytes], path: str) -> str:
    return files[path].decode()


def test_term_pages_show_dates_from_git(files: dict[str, bytes]) -> None:
    page = text(files, "terms/churn-rate/index.html")
    assert ('<p class="dates">Updated <time datetime="2026-05-20">20 May 2026</time> · '
            '<a href="../../terms/churn-rate/history/index.html">History</a></p>') in page
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page).group(1))  # type: ignore[union-attr]
    assert ld["dateModified"] == "2026-05-20"
    assert '<time datetime="2026-04-20">20 April 2026</time>' in text(files, "terms/sales-lead/index.html")


def test_sitemap_lastmod(files: dict[str, bytes]) -> None:
    sitemap = text(files, "sitemap.xml")
    assert f"<url><loc>{BASE}terms/churn-rate/</loc><lastmod>2026-05-20</lastmod></url>" in sitemap
    assert f"<url><loc>{BASE}terms/sales-pitch/</loc><lastmod>2026-05-02</lastmod></url>" in sitemap
    assert f"<url><loc>{BASE}</loc><lastmod>2026-05-20</lastmod></url>" in sitemap
    assert f"<url><loc>{BASE}changes/</loc><lastmod>2026-05-20</lastmod></url>" in sitemap


def entries_of(page: str) -> list[str]:
    """Each entry of a changes list as its text, tags dropped and spaces joined."""
    items = re.findall(r"<li id=\"[0-9a-f]{12}-[a-z0-9-]+\".*?</li>", page, re.DOTALL)
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


def test_changes_page_lists_major_changes_newest_first(files: dict[str, bytes]) -> None:
    page = text(files, "changes/index.html")
    days = re.findall(r'<h2 id="day-([0-9-]+)"><time datetime="\1">([^<]+)</time></h2>', page)
    assert days == [("2026-05-02", "2 May 2026"), ("2026-04-20", "20 April 2026"), ("2026-04-01", "1 April 2026"),
                    ("2026-03-12", "12 March 2026"), ("2026-02-10", "10 February 2026"),
                    ("2026-01-05", "5 January 2026")]
    assert entries_of(page) == [
        "Sales Pitch Renamed from pitch, title changed from ‘Pitch’, summary rewritten, body +16 words",
        "Obsolete Term Removed", "MQL Merged into Sales Lead",
        "Sales Lead Renamed from lead, title changed from ‘Lead’",
        "Churn Rate Body +6 words", "Churn Rate Summary rewritten",
        "Pitch Added", "Obsolete Term Added", "MQL Added", "Lead Added", "Churn Rate Added",
    ]
    assert '<a href="../terms/sales-pitch/index.html">Sales Pitch</a>' in page
    assert '<span class="term-name">Obsolete Term</span>' in page  # a removed term has no page to link to
    assert '<a class="feed-link" href="../changes.xml" type="application/atom+xml">' in page


def test_term_history_page(files: dict[str, bytes]) -> None:
    page = text(files, "terms/sales-lead/history/index.html")
    assert entries_of(page) == [
        "20 April 2026 : Details edited (previous slugs)", "20 April 2026 : Merged into Sales Lead (as ‘MQL’)",
        "1 April 2026 : Renamed from lead, title changed from ‘Lead’", "5 January 2026 : Added (as ‘MQL’)",
        "5 January 2026 : Added (as ‘Lead’)",
    ]
    assert "terms/obsolete/history/index.html" not in files


def test_atom_feed_is_valid_and_carries_the_same_entries(files: dict[str, bytes]) -> None:
    feed = feedparser.parse(files["changes.xml"])
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "Test Glossary: changes"
    assert feed.feed.id == f"{BASE}changes/"
    assert feed.feed.updated == "2026-05-02T11:00:00+00:00"
    assert feed.feed.author == "Test Glossary"
    assert {(link.rel, link.href) for link in feed.feed.links} == {("self", f"{BASE}changes.xml"),
                                                                    ("alternate", f"{BASE}changes/")}
    def link(entry: feedparser.FeedParserDict) -> str:  # a removed term's entry links to its place in changes/
        anchor = f"{BASE}changes/#{entry.id.rpartition(':')[2]}"
        return "removed-term" if entry.link == anchor else entry.link

    assert [(e.title, e.updated, link(e)) for e in feed.entries] == [
        ("Sales Pitch: renamed from pitch, title changed from ‘Pitch’, summary rewritten, body +16 words",
         "2026-05-02T11:00:00+00:00", f"{BASE}terms/sales-pitch/"),
        ("Obsolete Term: removed", "2026-04-20T16:45:00+00:00", "removed-term"),
        ("MQL: merged into Sales Lead", "2026-04-20T16:45:00+00:00", f"{BASE}terms/sales-lead/"),
        ("Sales Lead: renamed from lead, title changed from ‘Lead’", "2026-04-01T10:00:00+00:00",
         f"{BASE}terms/sales-lead/"),
        ("Churn Rate: body +6 words", "2026-03-12T08:15:00+01:00", f"{BASE}terms/churn-rate/"),
        ("Churn Rate: summary rewritten", "2026-02-10T14:30:00+00:00", f"{BASE}terms/churn-rate/"),
        ("Pitch: added", "2026-01-05T09:00:00+00:00", f"{BASE}terms/sales-pitch/"),
        ("Obsolete Term: added", "2026-01-05T09:00:00+00:00", "removed-term"),
        ("MQL: added", "2026-01-05T09:00:00+00:00", f"{BASE}terms/sales-lead/"),
        ("Lead: added", "2026-01-05T09:00:00+00:00", f"{BASE}terms/sales-lead/"),
        ("Churn Rate: added", "2026-01-05T09:00:00+00:00", f"{BASE}terms/churn-rate/"),
    ]
    ids = [e.id for e in feed.entries]
    assert len(set(ids)) == len(ids) and all(re.fullmatch(r"tag:glossary\.example\.com,\d{4}-\d\d-\d\d:[0-9a-f]{12}"
                                                          r"-[a-z0-9-]+", i) for i in ids)
    assert feed.entries[4].summary == "The share of customers lost in a period."


def test_every_page_links_the_feed(files: dict[str, bytes]) -> None:
    link = '<link rel="alternate" type="application/atom+xml" title="Test Glossary: changes" href="{}changes.xml">'
    assert link.format("") in text(files, "index.html")
    assert link.format("../../") in text(files, "terms/churn-rate/index.html")


def test_same_commit_same_bytes(repo: Path, files: dict[str, bytes]) -> None:
    again = build(Project(content=repo, out=repo.parent / "_site", strict=True), write=False).files
    assert again == files


def test_offline_zip_says_when(files: dict[str, bytes]) -> None:
    import io
    import zipfile

    zipped = next(data for path, data in files.items() if path.startswith("download/"))
    with zipfile.ZipFile(io.BytesIO(zipped)) as z:
        folder = z.namelist()[0].split("/")[0]
        readme = z.read(f"{folder}/README.txt").decode()
        footer = z.read(f"{folder}/index.html").decode()
    assert "Definitions as of 20 May 2026." in readme
    assert 'Definitions as of <time datetime="2026-05-20">20 May 2026</time>' in footer


def test_shallow_clone_build_warns_and_drops_cut_dates(repo: Path, tmp_path: Path,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{repo.parent}", str(clone))
    with caplog.at_level(logging.WARNING, logger="glossary"):
        report = build(Project(content=clone / "content", out=tmp_path / "_site", strict=True), write=False)
    assert [r.getMessage().split(": warning: ")[1] for r in caplog.records] == [
        "shallow git clone: the histories of 2 term files are cut off, so their dates come only from 'updated:' in "
        "front matter (fetch the whole history with 'git fetch --unshallow')"]
    assert report.warnings == []  # about the checkout, not the content: a --strict build still passes
    assert {t.slug: t.updated for t in report.glossary.terms} == {
        "churn-rate": "2026-05-20", "sales-lead": "", "sales-pitch": ""}
    assert '<p class="dates">' not in report.files["terms/sales-lead/index.html"].decode()
    assert "terms/sales-lead/history/index.html" not in report.files


def test_no_git_build_warns_once_and_uses_front_matter(make_project, caplog: pytest.LogCaptureFixture) -> None:
    project = make_project({
        "terms/arr.md": "---\ntitle: ARR\nupdated: 2026-03-12\nreviewed: 2026-02-01\n---\nYearly revenue.\n",
        "terms/mrr.md": "---\ntitle: MRR\n---\nMonthly revenue.\n"})
    with caplog.at_level(logging.WARNING, logger="glossary"):
        report = build(project, write=False)
    assert caplog.messages == [f"{project.content / 'terms'}: warning: not in a git checkout, so term dates come "
                               "only from 'updated:' in front matter"]
    page = report.files["terms/arr/index.html"].decode()
    assert ('<p class="dates">Updated <time datetime="2026-03-12">12 March 2026</time> · Reviewed '
            '<time datetime="2026-02-01">1 February 2026</time> · <a href="../../terms/arr/history/index.html">'
            'History</a></p>') in page
    assert "No recorded changes: the date above comes from the definition’s own front matter." in \
        report.files["terms/arr/history/index.html"].decode()
    assert '<p class="dates">' not in report.files["terms/mrr/index.html"].decode()
    assert "No recorded changes: this copy of the glossary was built without its git history." in \
        report.files["changes/index.html"].decode()
    feed = feedparser.parse(report.files["changes.xml"])
    assert not feed.bozo and feed.entries == [] and feed.feed.updated == "2026-03-12T00:00:00Z"
