"""The render stage on its own: Jinja output escaped as markupsafe escapes it, what is rendered once
per folder depth, the names user templates get, and the cache of compiled templates."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from glossary import pages, urls
from glossary.model import Glossary, Settings, Term
from glossary.pages import CompiledTemplates, Hrefs, SiteInputs, make_env
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
    files, problems = pages.render(GLOSSARY, theme, Runner())
    return {path: data.decode() for path, data in files.items() if path.endswith(".html")}, problems


def inputs() -> SiteInputs:
    return SiteInputs(GLOSSARY.directory(), load_templates(None, []), ())


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

def test_compiled_templates_are_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    context = {"site": SETTINGS, "term": TERMS[0], "target": "terms/arr/index.html", "root": "../../"}
    first = make_env(inputs(), cache=False)
    first.bytecode_cache = CompiledTemplates(str(tmp_path))
    page = first.get_template("redirect.html").render(context)
    assert len(list(tmp_path.glob("__jinja2_*.cache"))) == 1

    def no_compiling(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled again")

    again = make_env(inputs(), cache=False)
    again.bytecode_cache = CompiledTemplates(str(tmp_path))
    monkeypatch.setattr(again, "compile", no_compiling)
    assert again.get_template("redirect.html").render(context) == page


def test_a_cache_folder_that_cannot_be_written_costs_only_time(tmp_path: Path) -> None:
    env = make_env(inputs(), cache=False)
    env.bytecode_cache = CompiledTemplates(str(tmp_path / "missing"))
    assert env.get_template("redirect.html").render(
        site=SETTINGS, term=TERMS[0], target="terms/arr/index.html", root="../../").startswith("<!doctype html>")


def test_make_env_uses_the_cache_unless_told_not_to() -> None:
    assert isinstance(make_env(inputs()).bytecode_cache, CompiledTemplates)
    assert make_env(inputs(), cache=False).bytecode_cache is None
