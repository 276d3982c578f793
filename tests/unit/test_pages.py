"""The render stage on its own: Jinja output escaped as markupsafe escapes it, what is rendered once
per folder depth, the names user templates get, and the cache of compiled templates."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import jinja2
import pytest

from glossary import pages, urls
from glossary.model import Glossary, Settings, Term
from glossary.pages import Hrefs, PageJob, SiteInputs, compile_templates, env_of, render_pages
from glossary.parallel import Runner
from glossary.problems import Problem
from glossary.theme import Assets, Theme, load_templates

SETTINGS = Settings(title="T & Co", description="Terms.", base_url="https://g.example.com/", name="t",
                    categories=("Metrics",))
TERMS = (
    Term("arr", "ARR", "terms/arr.md", summary="Yearly.", category="Metrics", linked_from=("churn",),
         html='<p>See <a href="../churn/index.html">churn</a>.</p>'),
    Term("churn", "Churn", "terms/churn.md", summary="Lost.", aliases=("Attrition",), related=("arr",)),
    Term("eclair", "Éclair", "terms/eclair.md", previous_slugs=("old-eclair",)),
)
GLOSSARY = Glossary(SETTINGS, TERMS)


def assets() -> Assets:
    found = Assets()
    for name in ("favicon.svg", "style.css", "site.js", "lunr.js"):
        found.add(name, name.encode())
    return found


def render(tmp_path: Path, templates: dict[str, str] | None = None) -> tuple[dict[str, str], list[Problem]]:
    """The site's pages as text, with `templates` written into a user folder over the built-in ones."""
    user = tmp_path / "templates"
    user.mkdir(exist_ok=True)
    for name, text in (templates or {}).items():
        (user / name).write_text(text, encoding="utf-8")
    theme = Theme(load_templates(user, []), assets())
    site, problems = pages.site_inputs(GLOSSARY, theme, compile_templates(theme.templates))
    assert problems == []
    files, problems = pages.render(GLOSSARY, site, Runner())
    return {path: data.decode() for path, data in files.items() if path.endswith(".html")}, problems


def inputs() -> SiteInputs:
    templates = load_templates(None, [])
    return SiteInputs(GLOSSARY.directory(), templates, tuple(sorted(assets().paths.items())),
                      compiled=compile_templates(templates)[0])


# --- what is made once ------------------------------------------------------------------------------------------------

def test_hrefs_are_made_once_per_key() -> None:
    made: list[str] = []
    hrefs = Hrefs("../../", lambda slug: made.append(slug) or urls.term_path(slug))
    assert (hrefs["arr"], hrefs["arr"], hrefs["churn"]) == (
        "../../terms/arr/index.html", "../../terms/arr/index.html", "../../terms/churn/index.html")
    assert made == ["arr", "churn"]


def test_header_is_rendered_once_per_depth_and_navigation_state(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    seen: Counter[tuple[str, str]] = Counter()
    chrome = pages.Site.chrome

    def noting(site: pages.Site, root: str, current: str) -> dict[str, object]:
        seen[root, current] += (root, current) not in site._chrome
        return chrome(site, root, current)

    monkeypatch.setattr(pages.Site, "chrome", noting)
    files, problems = render(tmp_path)
    assert problems == []
    assert len(files) == 13  # 3 terms, 1 redirect, 1 category and 8 pages of their own
    assert seen == {
        ("", "index.html"): 1, ("/", "404.html"): 1,  # the 404 page works at any depth: root-absolute links
        ("../", "categories/index.html"): 1, ("../", "search/index.html"): 1, ("../", "all/index.html"): 1,
        ("../", "embed-demo/index.html"): 1, ("../", "help-docs/index.html"): 1,
        ("../../", "categories/metrics/index.html"): 1,
        ("../../", ""): 1,  # every term page and redirect page
    }


# --- the pages --------------------------------------------------------------------------------------------------------

def test_navigation_marks_only_the_current_page(tmp_path: Path) -> None:
    files, _ = render(tmp_path)
    current = {path: html.count('aria-current="page"') for path, html in files.items()}
    assert {path for path, n in current.items() if n} == {"index.html", "categories/index.html", "all/index.html"}
    assert current["index.html"] == 1
    assert '<a href="../categories/index.html" aria-current="page">Categories</a>' in files["categories/index.html"]


def test_term_page_links(tmp_path: Path) -> None:
    html = render(tmp_path)[0]["terms/churn/index.html"]
    assert '<a href="../../index.html">A–Z</a> › <a href="../../index.html#letter-c">C</a>' in html
    assert '<li><a href="../../terms/arr/index.html">ARR</a> <span class="summary-inline">Yearly.</span></li>' in html
    assert '<a rel="prev" href="../../terms/arr/index.html"><span>Previous</span> ARR</a>' in html
    assert '<a rel="next" href="../../terms/eclair/index.html"><span>Next</span> Éclair</a>' in html
    assert '<link rel="stylesheet" href="../../assets/style.' in html
    arr = render(tmp_path)[0]["terms/arr/index.html"]
    assert '<p>See <a href="../churn/index.html">churn</a>.</p>' in arr  # the definition's own links
    assert '<a class="category" href="../../categories/metrics/index.html">Metrics</a>' in arr
    assert '<li><a href="../../terms/churn/index.html">Churn</a></li>' in arr


def test_redirect_page(tmp_path: Path) -> None:
    html = render(tmp_path)[0]["terms/old-eclair/index.html"]
    assert '<meta http-equiv="refresh" content="0; url=../../terms/eclair/index.html">' in html
    assert '<a href="../../terms/eclair/index.html">Éclair</a>' in html


OLD_STYLE_BASE = """\
<title>{% block title %}{% endblock %}</title>|{{ self.title() }}|{{ page_path }}|{{ canonical }}|{{ root }}
{{ asset('style.css') }}|{{ url('index.html') }}|{{ term_url('arr') }}|{{ category_url('Metrics') }}
{{ letter_of('Éclair') }}|{{ letters|length }}|{{ search_index }}|{{ download_url }}|{{ site.title }}
{% block main %}{% endblock %}"""


def test_templates_written_for_the_names_pages_had_before_still_work(tmp_path: Path) -> None:
    files, problems = render(tmp_path, {"base.html": OLD_STYLE_BASE})
    assert problems == []
    assert files["terms/eclair/index.html"].split("\n")[:4] == [
        "<title>Éclair · T &amp; Co</title>|Éclair · T &amp; Co|terms/eclair/index.html"
        "|https://g.example.com/terms/eclair/|../../",
        f"../../{assets().paths['style.css']}|../../index.html|../../terms/arr/index.html"
        "|../../categories/metrics/index.html",
        "E|27|../../search-index.js|https://g.example.com/download/t-offline.zip|T &amp; Co",
        '<nav class="breadcrumb" aria-label="Breadcrumb">',  # term.html's main block
    ]


def test_error_in_a_shared_part_names_its_file_and_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _, problems = render(tmp_path, {"site-footer.html": "<footer>\n{{ page_path }}\n</footer>\n"})
    assert problems == [Problem("templates/site-footer.html", 2, "undefined variable 'page_path'",
                                "check the spelling; the built-in templates show what each page gets")]


# --- compiled templates -----------------------------------------------------------------------------------------------

def test_templates_are_compiled_once_and_every_environment_runs_that_code(monkeypatch: pytest.MonkeyPatch) -> None:
    site = inputs()
    assert len(site.compiled) == len(site.templates)

    def no_compiling(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled again")

    monkeypatch.setattr(jinja2.Environment, "compile", no_compiling)
    context = {"site": SETTINGS, "term": TERMS[0], "target": "terms/arr/index.html", "root": "../../"}
    assert env_of(site).get_template("redirect.html").render(context).startswith("<!doctype html>")
    page = PageJob("terms/arr/index.html", "term.html", (("term", GLOSSARY.terms[0]), ("previous_slug", None),
                                                         ("next_slug", None)), current="")
    assert render_pages(site, [page])[0][1] is None  # a whole page, and no template compiled


def test_compiled_code_is_the_same_for_the_same_templates() -> None:
    """The dev server knows pages by their inputs, the compiled code among them."""
    templates = load_templates(None, [])
    assert compile_templates(templates) == compile_templates(templates)


def test_compiled_code_that_does_not_match_its_template_is_not_run() -> None:
    templates = (("note.html", "old text", "templates/note.html"),)
    stale = SiteInputs(GLOSSARY.directory(), (("note.html", "new text", "templates/note.html"),), (),
                       compiled=compile_templates(templates)[0])
    assert env_of(stale).get_template("note.html").render() == "new text"
