"""End-to-end builds of small sites in tmp_path: structure, links, redirects, API, bundle."""

from __future__ import annotations

import dataclasses
import io
import json
import re
import zipfile

import pytest

from glossary.cli import main
from glossary.pipeline import build
from tests.conftest import term_file

TERMS = {
    "terms/lead.md": term_file("Lead", "A possible buyer. A lead can become an [opportunity](opportunity.md).",
                               summary="A possible buyer.", category="Process", autolink="false"),
    "terms/opportunity.md": term_file(
        "Opportunity",
        "## Sales Qualified Lead in headings is not linked\n\nA qualified deal. Most start as a "
        "Sales Qualified Lead; an SQL is linked once. See `Sales Qualified Lead` in code and "
        "[a Sales Qualified Lead](https://example.com/) in a link. Opportunities are not self-linked.",
        summary="A qualified deal.", category="Process", related="[sales-qualified-lead]"),
    "terms/sales-qualified-lead.md": term_file(
        "Sales Qualified Lead", "A lead that sales accepted, on its way to an opportunity.",
        aliases="[SQL]", summary="Accepted by sales.", category="Process", previous_slugs="[qualified-lead]"),
    "terms/echeance.md": term_file("Échéance", "A due date.", summary="Due date.", category="Metrics"),
    "terms/3d-pipeline.md": term_file("3D Pipeline", "A pipeline in three dimensions.", summary="Three.",
                                      category="Metrics"),
}


@pytest.fixture
def site(make_project):
    project = make_project(TERMS)
    report = build(project)
    return project.out, report


def page(out, path: str) -> str:
    return (out / path).read_text(encoding="utf-8")


def test_pages_exist(site) -> None:
    out, _ = site
    expected = ["index.html", "404.html", "sitemap.xml", "robots.txt", "_redirects", "search/index.html",
                "all/index.html", "categories/index.html", "categories/process/index.html",
                "categories/metrics/index.html", "api/terms.json", "api/terms/lead.json", "embed.js",
                "download/test-glossary-offline.zip"] + [f"terms/{s}/index.html" for s in
                                                         ("lead", "opportunity", "sales-qualified-lead", "echeance")]
    for path in expected:
        assert (out / path).is_file(), path


def test_index_groups_and_sorts_by_letter(site) -> None:
    out, _ = site
    html = page(out, "index.html")
    assert '<a href="index.html#letter-e">E</a>' in html
    assert '<span class="empty">B<span class="visually-hidden"> (no terms)</span></span>' in html
    assert '<a href="index.html#letter-hash">#</a>' in html
    order = [m for m in re.findall(r'<li id="([a-z0-9-]+)">', html)]
    assert order == ["echeance", "lead", "opportunity", "sales-qualified-lead", "3d-pipeline"]


def test_autolinks_follow_the_rules(site) -> None:
    out, report = site
    html = page(out, "terms/opportunity/index.html")
    definition = html.split('<div class="definition">')[1].split("</div>")[0]
    # first mention only, via the longest name; not in headings, code or existing links; no self-link
    assert definition.count('href="../sales-qualified-lead/index.html"') == 1
    assert '<h2 id="sales-qualified-lead-in-headings-is-not-linked">Sales Qualified Lead in headings' in definition
    assert "<code>Sales Qualified Lead</code>" in definition
    assert '<a href="https://example.com/">a Sales Qualified Lead</a>' in definition
    assert "terms/opportunity/index.html" not in definition
    # "Lead" opted out: "lead" in the SQL definition is not linked, explicit links still work
    sql = page(out, "terms/sales-qualified-lead/index.html").split('<div class="definition">')[1]
    assert "terms/lead/index.html" not in sql.split("</div>")[0]
    lead = page(out, "terms/lead/index.html")
    assert '<a class="term-link" href="../opportunity/index.html">opportunity</a>' in lead
    by_slug = report.glossary.by_slug
    assert by_slug["opportunity"].linked_from == ("lead", "sales-qualified-lead")
    assert by_slug["opportunity"].links_to == ("sales-qualified-lead",)


def test_term_page_parts(site) -> None:
    out, _ = site
    html = page(out, "terms/sales-qualified-lead/index.html")
    assert '<p class="aliases">Also: SQL</p>' in html
    assert "<title>Sales Qualified Lead (SQL) · Test Glossary</title>" in html
    assert '<meta name="description" content="Accepted by sales.">' in html
    assert '<link rel="canonical" href="https://glossary.example.com/terms/sales-qualified-lead/">' in html
    assert '<h2 id="backlinks-h">Referenced by</h2>' in html
    assert '<a rel="prev" href="../../terms/opportunity/index.html">' in html
    assert '<a rel="next" href="../../terms/3d-pipeline/index.html">' in html
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html)[1])
    assert ld["@type"] == "DefinedTerm" and ld["alternateName"] == ["SQL"]


def test_redirects_for_aliases_and_previous_slugs(site) -> None:
    out, _ = site
    assert page(out, "_redirects").splitlines() == [
        "/terms/qualified-lead/ /terms/sales-qualified-lead/ 301",
        "/terms/sql/ /terms/sales-qualified-lead/ 301",
        "/terms/qualified-lead/index.html /terms/sales-qualified-lead/ 301",
        "/terms/sql/index.html /terms/sales-qualified-lead/ 301",
    ]
    for old in ("sql", "qualified-lead"):
        html = page(out, f"terms/{old}/index.html")
        assert '<meta http-equiv="refresh" content="0; url=../../terms/sales-qualified-lead/index.html">' in html
        assert '<link rel="canonical" href="https://glossary.example.com/terms/sales-qualified-lead/">' in html
        assert '<a href="../../terms/sales-qualified-lead/index.html">Sales Qualified Lead</a>' in html


def test_sitemap_and_robots(site) -> None:
    out, _ = site
    sitemap = page(out, "sitemap.xml")
    assert "<loc>https://glossary.example.com/terms/echeance/</loc>" in sitemap
    assert "/terms/sql/" not in sitemap
    assert page(out, "robots.txt").endswith("Sitemap: https://glossary.example.com/sitemap.xml\n")


def test_api(site) -> None:
    out, _ = site
    listing = json.loads(page(out, "api/terms.json"))
    sql = next(t for t in listing["terms"] if t["slug"] == "sales-qualified-lead")
    assert sql["url"] == "https://glossary.example.com/terms/sales-qualified-lead/"
    assert sql["redirects"] == ["https://glossary.example.com/terms/qualified-lead/",
                                "https://glossary.example.com/terms/sql/"]
    detail = json.loads(page(out, "api/terms/lead.json"))
    assert detail["text"] == "A possible buyer. A lead can become an opportunity."
    assert 'href="https://glossary.example.com/terms/opportunity/"' in detail["html"]


def test_offline_zip(site) -> None:
    out, _ = site
    data = (out / "download/test-glossary-offline.zip").read_bytes()
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert "test-glossary/index.html" in names and "test-glossary/terms/sql/index.html" in names
    assert not [n for n in names if "/api/" in n or "/download/" in n or n.endswith("_redirects")]
    assert not [n for n in names if n.endswith("/card/index.html")]  # cards are for other sites' iframes
    hosted = page(out, "index.html")
    assert zipfile.ZipFile(io.BytesIO(data)).read("test-glossary/index.html").decode() == hosted
    # the offline copy's download link leads to the current copy on the hosted site
    assert '<a href="https://glossary.example.com/download/test-glossary-offline.zip">Download for offline use</a>' \
        in hosted


def test_rebuild_writes_only_changes(make_project) -> None:
    project = make_project(TERMS)
    build(project)
    again = build(project)
    assert (again.written, again.removed) == (0, 0)
    (project.content / "terms/echeance.md").unlink()
    third = build(project)
    assert third.removed > 0 and not (project.out / "terms/echeance/index.html").exists()


def test_cli_build_and_check(make_project, capsys) -> None:
    project = make_project(TERMS)
    assert main(["check", "--content", str(project.content)]) == 0
    assert capsys.readouterr().out.startswith("Checked 5 terms in ")
    assert main(["--content", str(project.content), "--out", str(project.out)]) == 0
    assert capsys.readouterr().out.startswith(f"Built 5 terms into {project.out}/ in ")


def test_user_template_overrides_builtin(make_project, tmp_path) -> None:
    templates = tmp_path / "mytemplates"
    templates.mkdir()
    (templates / "404.html").write_text('{% extends "base.html" %}{% block main %}<h1>Lost?</h1>{% endblock %}')
    project = make_project(TERMS, templates=templates)
    build(project)
    assert "<h1>Lost?</h1>" in page(project.out, "404.html")


def test_single_term_without_aliases_or_categories(make_project) -> None:
    project = make_project({"terms/lead.md": term_file("Lead", "Just one.")},
                           site_yaml="title: T\ndescription: d\nbase_url: https://x.example.com/\n")
    report = build(project)
    assert "terms/lead/index.html" in report.files


def test_load_validate_and_link_problems_are_reported_in_one_run(make_project, capsys, monkeypatch) -> None:
    project = make_project({
        "terms/broken.md": "---\ntitle: [Broken\n---\nBody.\n",
        "terms/lead.md": term_file("Lead", "See [broken](broken.md) and [nope](nope.md).", related="[broken, nop]"),
        "terms/nop.md": term_file("Nop", "Fine."),
        "terms/dup.md": term_file("LEAD", "Same title."),
    })
    monkeypatch.chdir(project.content.parent)
    assert main(["--content", "content", "--out", "_site"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "content/terms/broken.md:3: invalid YAML: did not find expected ',' or ']'",
        "content/terms/lead.md:2: title 'Lead' is already the title of content/terms/dup.md:2 "
        "(titles and aliases must be unique, ignoring case and accents)",
        "content/terms/lead.md:5: link to 'nope.md': no such term (did you mean 'nop.md'?)",
        "Build failed: 3 errors in 2 files. The site in _site/ was left as it was.",
    ]


def test_editing_one_definition_rewrites_only_what_shows_it(make_project) -> None:
    project = make_project(TERMS)
    build(project)
    path = project.content / "terms/echeance.md"
    path.write_text(path.read_text().replace("A due date.", "A due date, or deadline."))
    before = {p: (project.out / p).read_bytes() for p in build(project, write=False).files}
    report = build(project)
    changed = sorted(p for p, data in report.files.items() if before.get(p) != data)
    assert changed == ["all/index.html", "api/terms/echeance.json", "download/test-glossary-offline.zip",
                       "search-index.js", "terms/echeance/index.html"]
    assert report.written == len(changed)


def test_printable_page_links_terms_within_itself(site) -> None:
    out, _ = site
    html = page(out, "all/index.html")
    assert '<a class="term-link" href="#opportunity">opportunity</a>' in html
    assert '<article class="term print-term" id="opportunity">' in html


def test_dev_rebuild_is_byte_identical_to_a_full_build(make_project) -> None:
    from glossary.devserver import MemoRunner

    project, memo = dataclasses.replace(make_project(TERMS), offline_zip=False), MemoRunner()
    build(project, memo)
    edits = [
        ("terms/echeance.md", "A due date.", "A due date for an opportunity."),  # body: new link
        ("terms/lead.md", "autolink: false", "autolink: true"),  # names change: everything re-renders
        ("terms/3d-pipeline.md", "title: 3D Pipeline", "title: 3D Pipeline\naliases: [Lead Pipe]"),
        ("terms/lead.md", "A possible buyer.", "A possible buyer, see the 3D Pipeline."),
        ("terms/echeance.md", "summary: Due date.", "summary: When payment is due."),  # shown on other pages
        ("terms/echeance.md", "category: Metrics", "category: Process"),
    ]
    for rel, old, new in edits:
        path = project.content / rel
        path.write_text(path.read_text().replace(old, new))
        incremental = build(project, memo).files
        memo.forget_unused()
        full = build(project, write=False).files
        assert incremental == full, rel
        assert {p: (project.out / p).read_bytes() for p in full} == full, rel  # and so is what is on disk


def test_dev_rebuild_renders_only_the_pages_an_edit_changes(make_project, monkeypatch) -> None:
    from glossary.devserver import MemoRunner
    from glossary.pages import Site

    project, memo = make_project(TERMS), MemoRunner()
    build(project, memo, write=False)
    memo.forget_unused()
    rendered: list[str] = []
    page = Site.page
    monkeypatch.setattr(Site, "page", lambda self, job: rendered.append(job.path) or page(self, job))
    path = project.content / "terms/echeance.md"
    path.write_text(path.read_text().replace("A due date.", "A due date for a Sales Qualified Lead."))
    build(project, memo, write=False)
    # its own page, the page it now links to ("Referenced by"), and the page that shows every definition
    assert sorted(rendered) == ["all/index.html", "terms/echeance/index.html", "terms/sales-qualified-lead/index.html"]
