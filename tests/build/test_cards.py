"""Card pages, oEmbed JSON and help-docs snippets, and netlify.toml's headers for them."""

from __future__ import annotations

import json

import pytest

from glossary.cards import html_snippet, markdown_snippet
from glossary.model import Term
from glossary.pipeline import Project, build
from tests.conftest import term_file
from tests.netlify import headers_for, matching_values

BASE = "https://glossary.example.com/"
STRICT = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
          "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
CARD = STRICT.replace("frame-ancestors 'none'", "frame-ancestors *")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    content = tmp_path_factory.mktemp("cards") / "content"
    (content / "terms").mkdir(parents=True)
    (content / "site.yaml").write_text(f"title: Test Glossary\ndescription: Terms.\nbase_url: {BASE}\n"
                                       "categories: [Metrics]\n", encoding="utf-8")
    (content / "terms/churn-rate.md").write_text(term_file(
        "Churn Rate", "Customers lost, as a share.", summary="The share of customers lost in a period.",
        aliases="[Churn]", category="Metrics", formula="customers lost ÷ customers at the start",
        updated="2026-03-12"), encoding="utf-8")
    arr = term_file("ARR [annual] *revenue*", "Yearly.", summary="A <b>yearly</b> total.")
    (content / "terms/arr.md").write_text(arr, encoding="utf-8")
    return build(Project(content=content, out=content.parent / "_site"), write=False).files


def test_oembed_json_has_the_fields_oembed_1_0_requires(files: dict[str, bytes]) -> None:
    data = json.loads(files["api/oembed/churn-rate.json"])
    assert data == {
        "type": "rich", "version": "1.0", "title": "Churn Rate", "provider_name": "Test Glossary",
        "provider_url": BASE, "width": 480, "height": 320,
        "html": f'<iframe src="{BASE}terms/churn-rate/card/" title="Churn Rate: definition" width="480" height="320" '
                'style="border:0;max-width:100%" loading="lazy"></iframe>'}


def test_term_page_advertises_its_oembed(files: dict[str, bytes]) -> None:
    page = files["terms/churn-rate/index.html"].decode()
    assert (f'<link rel="alternate" type="application/json+oembed" href="{BASE}api/oembed/churn-rate.json" '
            'title="Churn Rate">') in page


def test_card_page_is_small_and_self_contained(files: dict[str, bytes]) -> None:
    card = files["terms/churn-rate/card/index.html"].decode()
    for part in ('<html lang="en" class="g-card-page">', '<meta name="robots" content="noindex">',
                 f'<link rel="canonical" href="{BASE}terms/churn-rate/">',
                 '<h1 id="g-card-title"><a href="../../../terms/churn-rate/index.html" target="_blank" '
                 'rel="noopener">Churn Rate</a></h1>',
                 '<p class="g-card-aliases">Also: Churn</p>',
                 '<p class="g-card-summary">The share of customers lost in a period.</p>',
                 '<code>customers lost ÷ customers at the start</code>',
                 '· Test Glossary · Updated <time datetime="2026-03-12">12 March 2026</time>'):
        assert part in card
    assert "site-header" not in card and "g-search-input" not in card
    assert len(card) < 2000


def test_snippets_escape_what_they_quote() -> None:
    term = Term("arr", "ARR [annual] *revenue*", "x", summary="A <b>yearly</b> total & more.")
    assert html_snippet(term, BASE) == (f'<p><a href="{BASE}terms/arr/">ARR [annual] *revenue*</a>: '
                                        "A &lt;b&gt;yearly&lt;/b&gt; total &amp; more.</p>")
    assert markdown_snippet(term, BASE) == (f"[ARR \\[annual\\] \\*revenue\\*](<{BASE}terms/arr/>): "
                                            "A \\<b\\>yearly\\</b\\> total & more.")


def test_term_page_shows_the_snippets_as_text(files: dict[str, bytes]) -> None:
    page = files["terms/arr/index.html"].decode()
    assert ('<pre class="snippet-code"><code>&lt;p&gt;&lt;a href=&#34;https://glossary.example.com/terms/arr/&#34;'
            '&gt;ARR [annual] *revenue*&lt;/a&gt;: A &amp;lt;b&amp;gt;yearly&amp;lt;/b&amp;gt; total.&lt;/p&gt;'
            '</code></pre>') in page
    assert "<summary>Copy for help docs</summary>" in page


def test_every_path_gets_at_most_one_value_of_each_header(files: dict[str, bytes]) -> None:
    """Netlify applies every matching rule: no two of them may set the same header for one path."""
    paths = {"/" + p for p in files} | {"/" + p.removesuffix("index.html") for p in files if p.endswith("index.html")}
    paths |= {"/terms/churn-rate", "/terms/churn-rate/card", "/no-such-page", "/categories/x/y/z"}
    for path in sorted(paths):
        doubled = {name: values for name, values in matching_values(path).items() if len(values) > 1}
        assert doubled == {}, path


@pytest.mark.parametrize("path", ["/terms/churn-rate/card/", "/terms/churn-rate/card/index.html",
                                  "/terms/churn-rate/card"])
def test_cards_alone_may_be_framed(path: str) -> None:
    assert headers_for(path)["Content-Security-Policy"] == CARD


@pytest.mark.parametrize("path", ["/", "/index.html", "/404.html", "/terms/churn-rate/", "/terms/churn-rate/index.html",
                                  "/terms/churn-rate/history/", "/changes/", "/changes/index.html",
                                  "/categories/metrics/", "/categories/metrics/index.html", "/search/index.html",
                                  "/all/", "/embed-demo/index.html", "/changes.xml", "/api/oembed/churn-rate.json"])
def test_every_other_page_refuses_to_be_framed(path: str) -> None:
    assert headers_for(path)["Content-Security-Policy"] == STRICT
