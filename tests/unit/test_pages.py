"""The render stage on its own: Jinja output escaped as markupsafe escapes it, what is rendered once
per folder depth, the names user templates get, and the cache of compiled templates."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import jinja2
import pytest
from markupsafe import Markup, escape

from glossary import pages, urls
from glossary.model import Glossary, Settings, Term
from glossary.pages import CompiledTemplates, Hrefs, escape_text, make_env, render_pages
from glossary.problems import Problem
from glossary.theme import Assets, builtin_dir

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


def render(tmp_path: Path, templates: dict[str, str] | None = None,
           **env_globals: object) -> tuple[dict[str, str], list[Problem]]:
    """The site's pages as text, with `templates` written into a user folder over the built-in ones."""
    user = tmp_path / "templates"
    user.mkdir(exist_ok=True)
    for name, text in (templates or {}).items():
        (user / name).write_text(text, encoding="utf-8")
    env = make_env([user, builtin_dir("templates")], cache=False)
    env.globals.update(env_globals)
    problems: list[Problem] = []
    files = render_pages(GLOSSARY, env, assets(), problems)
    return {path: data.decode() for path, data in files.items()}, problems


# --- escaping ---------------------------------------------------------------------------------------------------------

class Html:
    def __html__(self) -> str:
        return "<b>safe</b>"


@pytest.mark.parametrize("value", ["plain", "<a href=\"x\">'&'</a>", "", Markup("<i>kept</i>"), 42, None, Html()])
def test_escape_text_is_markupsafe_escape_as_str(value: object) -> None:
    assert escape_text(value) == str(escape(value))


def test_escape_text_gives_plain_str() -> None:
    assert type(escape_text("<x>")) is str


OUTPUTS = (
    "{{ s }}|{{ m }}|{{ n }}|{{ s|safe }}|{{ s|upper }}|{{ [s]|join(',') }}"
    "{% set cap %}<{{ s }}>{% endset %}|{{ cap }}|{{ cap|length }}"
    "{% macro wrap(x) %}[{{ x }}]{% endmacro %}|{{ wrap(s) }}"
    "{% autoescape false %}|{{ s }}{% endautoescape %}"
    "{% filter upper %}|{{ s }}{% endfilter %}"
)


def test_templates_output_the_same_as_with_jinjas_escape() -> None:
    values = {"s": "<a>'\"&", "m": Markup("<em>ok</em>"), "n": 3}
    ours = pages.PageEnvironment(autoescape=True).from_string(OUTPUTS).render(values)
    jinjas = jinja2.Environment(autoescape=True).from_string(OUTPUTS).render(values)
    assert ours == jinjas == (
        "&lt;a&gt;&#39;&#34;&amp;|<em>ok</em>|3|<a>'\"&|&lt;A&gt;&#39;&#34;&amp;|&lt;a&gt;&#39;&#34;&amp;"
        "|<&lt;a&gt;&#39;&#34;&amp;>|26|[&lt;a&gt;&#39;&#34;&amp;]|<a>'\"&|&LT;A&GT;&#39;&#34;&AMP;"  # upper, escaped
    )


def test_an_undefined_value_still_fails_when_output() -> None:
    env = pages.PageEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)
    with pytest.raises(jinja2.UndefinedError) as failed:
        env.from_string("{{ nope }}").render()
    assert str(failed.value) == "'nope' is undefined"


# --- what is made once ------------------------------------------------------------------------------------------------

def test_hrefs_are_made_once_per_key() -> None:
    made: list[str] = []
    hrefs = Hrefs("../../", lambda slug: made.append(slug) or urls.term_path(slug))
    assert (hrefs["arr"], hrefs["arr"], hrefs["churn"]) == (
        "../../terms/arr/index.html", "../../terms/arr/index.html", "../../terms/churn/index.html")
    assert made == ["arr", "churn"]


def test_header_is_rendered_once_per_depth_and_navigation_state(tmp_path: Path) -> None:
    seen: Counter[tuple[str, str]] = Counter()

    def note(root: str, current: str) -> str:
        seen[root, current] += 1
        return ""

    files, problems = render(tmp_path, {"site-header.html": "{{ note(root, current) }}"}, note=note)
    assert problems == []
    assert len(files) == 12  # 3 terms, 1 redirect, 1 category and 7 pages of their own
    assert seen == {
        ("", "index.html"): 1, ("", "404.html"): 1,
        ("../", "categories/index.html"): 1, ("../", "search/index.html"): 1, ("../", "all/index.html"): 1,
        ("../", "embed-demo/index.html"): 1, ("../../", "categories/metrics/index.html"): 1,
        ("../../", ""): 1,  # every term page and redirect page
    }


def test_title_block_is_rendered_once_per_page(tmp_path: Path) -> None:
    seen: list[str] = []
    term_page = ('{% extends "base.html" %}{% block title %}{{ note(term.slug) }}{{ term.title }}{% endblock %}'
                 "{% block main %}{% endblock %}")
    files, _ = render(tmp_path, {"term.html": term_page}, note=lambda slug: seen.append(slug) or "")
    assert seen == ["arr", "churn", "eclair"]
    assert "<title>ARR</title>" in files["terms/arr/index.html"]
    assert '<meta property="og:title" content="ARR">' in files["terms/arr/index.html"]


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
{{ letter_of('Éclair') }}|{{ letters|length }}|{{ search_index }}|{{ download_path }}|{{ site.title }}|{{ dev }}
{% block main %}{% endblock %}"""


def test_templates_written_for_the_names_pages_had_before_still_work(tmp_path: Path) -> None:
    files, problems = render(tmp_path, {"base.html": OLD_STYLE_BASE})
    assert problems == []
    assert files["terms/eclair/index.html"].split("\n")[:4] == [
        "<title>Éclair · T &amp; Co</title>|Éclair · T &amp; Co|terms/eclair/index.html"
        "|https://g.example.com/terms/eclair/|../../",
        f"../../{assets().paths['style.css']}|../../index.html|../../terms/arr/index.html"
        "|../../categories/metrics/index.html",
        "E|27|../../search-index.js|download/t-offline.zip|T &amp; Co|False",
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
    first = make_env([builtin_dir("templates")], cache=False)
    first.bytecode_cache = CompiledTemplates(str(tmp_path))
    page = first.get_template("redirect.html").render(context)
    assert len(list(tmp_path.glob("__jinja2_*.cache"))) == 1

    def no_compiling(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled again")

    again = make_env([builtin_dir("templates")], cache=False)
    again.bytecode_cache = CompiledTemplates(str(tmp_path))
    monkeypatch.setattr(again, "compile", no_compiling)
    assert again.get_template("redirect.html").render(context) == page


def test_a_cache_folder_that_cannot_be_written_costs_only_time(tmp_path: Path) -> None:
    env = make_env([builtin_dir("templates")], cache=False)
    env.bytecode_cache = CompiledTemplates(str(tmp_path / "missing"))
    assert env.get_template("redirect.html").render(
        site=SETTINGS, term=TERMS[0], target="terms/arr/index.html", root="../../").startswith("<!doctype html>")


def test_make_env_uses_the_cache_unless_told_not_to() -> None:
    assert isinstance(make_env([builtin_dir("templates")]).bytecode_cache, CompiledTemplates)
    assert make_env([builtin_dir("templates")], cache=False).bytecode_cache is None
