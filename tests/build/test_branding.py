"""Branding settings (logo, accent colours, footer links, licence, language) and the help-docs page:
each setting in a built site, each error with its exact message, the contrast arithmetic, and the
help-docs page built from the sales glossary and from the cloud test glossary."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from glossary import branding, helpdocs
from glossary.pipeline import Project, build
from glossary.problems import BuildError
from tests.conftest import REPO, SITE_YAML, term_file

CLOUD = REPO / "tests" / "glossaries" / "cloud" / "content"
TERMS = {
    "terms/churn-rate.md": term_file("Churn Rate", "Customers lost.", aliases="[Churn]", category="Metrics"),
    "terms/lead.md": term_file("Lead", "A possible buyer."),
    "terms/annual-recurring-revenue.md": term_file("Annual Recurring Revenue", "Yearly.", aliases="[ARR]"),
    "terms/quota.md": term_file("Quota", "A target."),
}
LOGO = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>\n'
Make = Callable[..., Project]


@pytest.fixture
def site(make_project: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """Build TERMS with SITE_YAML plus `extra` settings (and a static folder with logo.svg); return the output."""
    monkeypatch.chdir(tmp_path)

    def make(extra: str = "", **options: object) -> Path:
        static = tmp_path / "static"
        static.mkdir(exist_ok=True)
        (static / "logo.svg").write_text(LOGO, encoding="utf-8")
        project = make_project(TERMS, site_yaml=SITE_YAML + extra, static=static, **options)
        build(project)
        return project.out

    return make


def errors(make_project: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: str) -> list[str]:
    """The error lines (warnings left out) of a build with `extra` appended to site.yaml."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(BuildError) as caught:
        build(make_project(TERMS, site_yaml=SITE_YAML + extra))
    return [str(p) for p in caught.value.problems if not p.warning]


def html_pages(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*.html"))}


# --- contrast arithmetic -------------------------------------------------------------------------------------------

def test_contrast_of_known_pairs() -> None:
    assert branding.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert branding.contrast("#ffffff", "#000000") == pytest.approx(21.0)
    assert branding.contrast("#777777", "#ffffff") == pytest.approx(4.478, abs=0.001)  # just under AA
    assert branding.contrast("#0b5cad", "#0b5cad") == pytest.approx(1.0)
    assert branding.luminance("#ffffff") == pytest.approx(1.0) and branding.luminance("#000000") == 0.0


def test_ratios_are_shown_rounded_down() -> None:
    assert branding.ratio_text(21.0) == "21.0:1"
    assert branding.ratio_text(branding.contrast("#777777", "#ffffff")) == "4.4:1"  # never "4.5:1" for a failure
    assert branding.ratio_text(2.69) == "2.6:1"


def test_suggested_shades_pass_and_keep_the_hue() -> None:
    darker = branding.shade_for("#77aaff", branding.LIGHT)
    assert darker == "#0965ff" and branding.worst_contrast(darker, branding.LIGHT) >= 4.5
    lighter = branding.shade_for("#0b5cad", branding.DARK)
    assert lighter == "#1d87f1" and branding.worst_contrast(lighter, branding.DARK) >= 4.5


def test_palettes_match_the_stylesheet() -> None:
    """The backgrounds the check uses are the theme's own --bg, --surface and --panel, light and dark."""
    css = (REPO / "static" / "style.css").read_text(encoding="utf-8")
    light = re.search(r"^:root \{(.*?)\}", css, re.S | re.M)
    dark = re.search(r"@media \(prefers-color-scheme: dark\) \{\s*:root \{(.*?)\}", css, re.S)
    assert light and dark
    for block, palette in ((light[1], branding.LIGHT), (dark[1], branding.DARK)):
        values = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-f]{6})", block))
        assert (values["bg"], values["surface"], values["panel"]) == (palette.bg, palette.surface, palette.panel)


def test_the_built_in_accents_pass_the_check() -> None:
    css = (REPO / "static" / "style.css").read_text(encoding="utf-8")
    light, dark = re.findall(r"--accent: (#[0-9a-f]{6})", css)[:2]
    assert branding.contrast_problem("accent", light, branding.LIGHT) is None
    assert branding.contrast_problem("accent_dark", dark, branding.DARK) is None


# --- each setting in a built site ----------------------------------------------------------------------------------

def test_language_sets_html_lang_on_every_page(site: Callable[..., Path]) -> None:
    pages = html_pages(site("language: en-US\n"))
    assert len(pages) > 10
    assert {path for path, html in pages.items() if '<html lang="en-US"' not in html} == set()


def test_logo_in_the_header_with_the_title_as_alt_text(site: Callable[..., Path]) -> None:
    out = site("logo: logo.svg\n")
    html = (out / "terms" / "lead" / "index.html").read_text(encoding="utf-8")
    src = re.search(r'<img class="site-logo" src="([^"]+)" alt="Test Glossary">', html)
    assert src and src[1].startswith("../../assets/logo.") and src[1].endswith(".svg")
    assert (out / "terms" / "lead" / src[1]).resolve().read_text(encoding="utf-8") == LOGO
    assert '<span aria-hidden="true">Test Glossary</span></a>' in html
    assert "site-logo" not in (site("") / "index.html").read_text(encoding="utf-8")  # no logo setting, no image


def test_accent_reaches_every_page_as_a_generated_stylesheet(site: Callable[..., Path]) -> None:
    out = site('accent: "#B00020"\n')
    sheets = sorted(p.name for p in (out / "assets").glob("accent.*.css"))
    assert len(sheets) == 1
    css = (out / "assets" / sheets[0]).read_text(encoding="utf-8")
    assert ":root { --accent: #b00020; --accent-strong: #8d001a; --accent-bg: #f6e0e4; }" in css
    assert "@media (prefers-color-scheme: dark) { :root { --accent: #ff849a;" in css
    assert ':root[data-theme="dark"] { --accent: #ff849a;' in css
    assert branding.worst_contrast("#ff849a", branding.DARK) >= branding.DARK_TARGET  # the derived dark accent
    link = f'<link rel="stylesheet" href="../../assets/{sheets[0]}">'
    assert link in (out / "terms" / "lead" / "index.html").read_text(encoding="utf-8")
    # every page but the redirects, which show nothing
    unbranded = {p for p, html in html_pages(out).items() if "assets/accent." not in html}
    assert unbranded == {p for p, html in html_pages(out).items() if "http-equiv" in html}
    assert "<style" not in "".join(html_pages(out).values())  # the Content-Security-Policy allows no inline style
    assert not list((site("") / "assets").glob("accent.*"))


def test_accent_dark_is_used_as_given(site: Callable[..., Path]) -> None:
    out = site('accent: "#0b5cad"\naccent_dark: "#8CC4FF"\n')
    css = next((out / "assets").glob("accent.*.css")).read_text(encoding="utf-8")
    assert "@media (prefers-color-scheme: dark) { :root { --accent: #8cc4ff;" in css


def test_accent_background_keeps_aa_with_the_accent() -> None:
    """--accent-bg is a tint the accent still reads on (letter links sit on it)."""
    for accent in ("#0b5cad", "#595959", "#1a7f37", "#6f42c1"):
        assert branding.contrast(accent, branding.tint_for(accent, branding.LIGHT)) >= 4.5


def test_footer_links_and_licence(site: Callable[..., Path]) -> None:
    out = site("footer_links:\n  - {text: Support, url: 'https://help.example.com/'}\n  - {text: About, url: about/}\n"
               "  - {text: Write to us, url: 'mailto:glossary@example.com'}\n"
               "license: CC BY 4.0\nlicense_url: https://creativecommons.org/licenses/by/4.0/\n")
    html = (out / "terms" / "lead" / "index.html").read_text(encoding="utf-8")
    assert ('<p class="footer-links"><a href="../../help-docs/index.html">For help-desk writers</a>'
            ' · <a href="https://help.example.com/">Support</a> · <a href="../../about/">About</a>'
            ' · <a href="mailto:glossary@example.com">Write to us</a></p>') in html
    assert ('<p class="footer-license">Licence of the definitions: <a rel="license" '
            'href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a></p>') in html
    listing = json.loads((out / "api" / "terms.json").read_text(encoding="utf-8"))
    assert (listing["license"], listing["license_url"]) == ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")
    with zipfile.ZipFile(out / "download" / "test-glossary-offline.zip") as zf:
        readme = zf.read("test-glossary/README.txt").decode()
    assert "Test Glossary: offline copy" in readme and "https://glossary.example.com/" in readme
    assert "Licence of the definitions: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)." in readme


def test_licence_without_an_address_and_no_licence(site: Callable[..., Path]) -> None:
    out = site("license: All rights reserved\n")
    assert '<p class="footer-license">Licence of the definitions: All rights reserved</p>' in \
        (out / "index.html").read_text(encoding="utf-8")
    assert json.loads((out / "api" / "terms.json").read_bytes())["license_url"] is None
    plain = site("")
    assert "footer-license" not in (plain / "index.html").read_text(encoding="utf-8")
    assert json.loads((plain / "api" / "terms.json").read_bytes())["license"] is None


# --- each error, exactly -------------------------------------------------------------------------------------------

Y = "content/site.yaml:5: "  # SITE_YAML has four lines; the setting under test is the fifth


@pytest.mark.parametrize(("extra", "message"), [
    ('accent: "#77aaff"\n', "accent '#77aaff' has a contrast of 2.1:1 on the light background "
                            "(needs 4.5:1; try a darker shade such as '#0965ff')"),
    ('accent: "#777777"\n', "accent '#777777' has a contrast of 4.1:1 on the light background "
                            "(needs 4.5:1; try a darker shade such as '#717171')"),
    ('accent: "#7af"\n', "accent '#7af' is not a colour written as #rrggbb (write all six digits: '#77aaff')"),
    ("accent: blue\n", "accent 'blue' is not a colour written as #rrggbb (use a hex colour such as '#0b5cad')"),
    ('accent_dark: "#8cc4ff"\n', "accent_dark without accent (set accent too: the colour for the light background)"),
    ("logo: logo.txt\n", "logo 'logo.txt' is not an image (use an SVG, PNG, JPEG, GIF, WebP or AVIF file)"),
    ("logo: ../logo.svg\n", "logo '../logo.svg' is not a file name in the static folder (write a name such as "
                            "'logo.svg')"),
    ("footer_links: Support\n", "'footer_links' must be a list of links, each with text and url, not 'Support' "
                                "(write each as '- {text: Support, url: https://example.com/help}')"),
    ("footer_links: [Support]\n", "'footer_links' item 1 is 'Support', not a link "
                                  "(write each as '- {text: Support, url: https://example.com/help}')"),
    ("footer_links: [{text: Support, href: x}]\n", "'footer_links' item 1 has an unknown key 'href' "
                                                  "(a link has only text and url)"),
    ("footer_links: [{text: Support, ulr: x}]\n", "'footer_links' item 1 has an unknown key 'ulr' "
                                                 "(did you mean 'url'?)"),
    ("footer_links: [{url: 'https://x.example/'}]\n", "'footer_links' item 1 has no text "
                                                      "(write each as '- {text: Support, url: https://example.com/help}')"),
    ("footer_links: [{text: A, url: 'https://a.example/'}, {text: B}]\n",
     "'footer_links' item 2 has no url (write each as '- {text: Support, url: https://example.com/help}')"),
    ("footer_links: [{text: Run, url: 'javascript:alert(1)'}]\n",
     "'footer_links' item 1 has an unusable url 'javascript:alert(1)' "
     "(use an http(s) or mailto: address, or a path on this site such as 'about/')"),
    ("license_url: ftp://x.example/\n", "invalid license_url 'ftp://x.example/' "
                                        "(use an absolute http(s) address such as "
                                        "'https://creativecommons.org/licenses/by/4.0/')"),
    ("license_url: https://creativecommons.org/licenses/by/4.0/\n",
     "license_url without license (name the licence too, such as 'license: CC BY 4.0')"),
    ("licence: CC BY 4.0\n", "unknown setting 'licence' (did you mean 'license'?)"),
])
def test_each_branding_error(make_project: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: str,
                             message: str) -> None:
    assert errors(make_project, tmp_path, monkeypatch, extra) == [Y + message]


def test_accent_dark_too_dark(make_project: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert errors(make_project, tmp_path, monkeypatch, 'accent: "#0b5cad"\naccent_dark: "#0b5cad"\n') == [
        "content/site.yaml:6: accent_dark '#0b5cad' has a contrast of 2.4:1 on the dark background "
        "(needs 4.5:1; try a lighter shade such as '#1d87f1')"]


def test_every_colour_problem_at_once(make_project: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert errors(make_project, tmp_path, monkeypatch, 'accent: "#ffcc00"\naccent_dark: "#333333"\n') == [
        "content/site.yaml:5: accent '#ffcc00' has a contrast of 1.4:1 on the light background "
        "(needs 4.5:1; try a darker shade such as '#8a6e00')",
        "content/site.yaml:6: accent_dark '#333333' has a contrast of 1.2:1 on the dark background "
        "(needs 4.5:1; try a lighter shade such as '#878787')"]


def test_missing_logo_is_reported_by_the_render_stage(make_project: Make, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    static = tmp_path / "static"
    static.mkdir()
    (static / "logo.svg").write_text(LOGO, encoding="utf-8")
    assert errors(make_project, tmp_path, monkeypatch, "logo: logo.svg\n") == [
        "content/site.yaml:5: logo 'logo.svg' not found in static/ "
        "(put the file in your static folder and build with --static PATH)"]
    monkeypatch.chdir(tmp_path)
    with pytest.raises(BuildError) as caught:
        build(make_project(TERMS, site_yaml=SITE_YAML + "logo: logo.svgz.svg\nlanguage: en\n", static=static))
    assert [str(p) for p in caught.value.problems if not p.warning] == [
        "content/site.yaml:5: logo 'logo.svgz.svg' not found in static/ (did you mean 'logo.svg'?)"]


# --- the help-docs page --------------------------------------------------------------------------------------------

class Text(HTMLParser):
    """The text of a page's <main>, with the hrefs of its links."""

    def __init__(self) -> None:
        super().__init__()
        self.depth, self.parts, self.links = 0, list[str](), list[tuple[str, str]]()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.depth += tag == "main"
        if tag == "a" and self.depth:
            self.links.append((dict(attrs).get("href") or "", ""))

    def handle_endtag(self, tag: str) -> None:
        self.depth -= tag == "main"

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)
            if self.links and not self.links[-1][1]:
                self.links[-1] = (self.links[-1][0], data)

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).split())


def main_of(html: str) -> Text:
    parser = Text()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def cloud_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (CLOUD / "terms").is_dir():
        pytest.skip("the cloud test glossary is not there yet")
    out = tmp_path_factory.mktemp("cloud") / "_site"
    build(Project(content=CLOUD, out=out))
    return out


def first_with_alias(listing: dict[str, object]) -> dict[str, object]:
    """From the API's own list (A–Z order): the first term with an alias that has an address of its own."""
    for term in listing["terms"]:  # type: ignore[attr-defined]
        alias_urls = [u for u in term["redirects"] if u.rstrip("/").rsplit("/", 1)[1] != term["slug"]]
        if term["aliases"] and alias_urls:
            return term
    raise AssertionError("no term with an alias")


@pytest.mark.parametrize("which", ["sales", "cloud"])
def test_help_docs_page_is_built_from_the_glossarys_own_terms(which: str, request: pytest.FixtureRequest) -> None:
    out: Path = request.getfixturevalue("sales_site" if which == "sales" else "cloud_site")
    listing = json.loads((out / "api" / "terms.json").read_text(encoding="utf-8"))
    base = listing["url"]
    page = main_of((out / "help-docs" / "index.html").read_text(encoding="utf-8"))
    example = first_with_alias(listing)
    slug, alias_url = example["slug"], example["redirects"][0]
    alias_slug = alias_url.rstrip("/").rsplit("/", 1)[1]
    # the URL pattern, with this glossary's first term that has an alias
    assert f"Every term has a page of its own at {base}terms/<slug>/" in page.text
    assert f"The term {example['title']}: {base}terms/{slug}/" in page.text
    assert f"{base}terms/{alias_slug}/, which leads to the same page." in page.text
    # the embed snippet, with its copy button
    snippet = f'<script src="{base}embed.js" defer></script>'
    assert snippet in page.text
    raw = (out / "help-docs" / "index.html").read_text(encoding="utf-8")
    assert 'data-copy="&lt;script src=&#34;' + base + 'embed.js&#34; defer&gt;&lt;/script&gt;"' in raw
    assert '<script src="../embed.js" defer></script>' in raw
    # the live demo: the first three terms, and the example's alias
    demo = re.search(r'<article class="helpdesk-demo".*?</article>', raw, re.S)
    assert demo
    demo_links = main_of("<main>" + demo[0] + "</main>").links
    first_three = [(f"../terms/{t['slug']}/index.html", t["title"]) for t in listing["terms"][:3]]
    assert demo_links == [*first_three, (f"../terms/{alias_slug}/index.html", example["aliases"][0])]
    # every field the API writes, each described
    entry = json.loads((out / "api" / "terms" / f"{slug}.json").read_text(encoding="utf-8"))
    fields = re.findall(r"<dt><code>([a-z_]+)</code></dt>\s*<dd>([^<]+)</dd>", raw)
    assert [name for name, _ in fields] == [*listing, *listing["terms"][0], *(k for k in entry if k not in example)]
    assert all(description.strip() for _, description in fields)
    assert json.loads(re.search(r"as <code>api/terms.json</code> lists it:</p>\n<pre[^>]*><code>(.*?)</code>", raw,
                                re.S)[1].replace("&#34;", '"').replace("&#39;", "'").replace("&amp;", "&")
                      .replace("&lt;", "<").replace("&gt;", ">")) == example
    # check-links, cards, oEmbed and the changes feed
    assert "glossary check-links PATH --report report.json" in page.text
    assert "--format csv" in page.text and "--since 2026-03-01" in page.text
    assert f"{base}terms/<slug>/card/" in page.text and f"{base}api/oembed/{slug}.json" in page.text
    assert f"{base}changes.xml (Atom)" in page.text
    assert ("../changes/index.html", "list of changes") in page.links


def test_every_page_links_to_help_docs(sales_site: Path) -> None:
    for rel in ("index.html", "terms/quota/index.html", "categories/metrics/index.html", "help-docs/index.html"):
        root = "../" * rel.count("/")
        html = (sales_site / rel).read_text(encoding="utf-8")
        assert f'<a href="{root}help-docs/index.html">For help-desk writers</a>' in html, rel


def test_api_field_descriptions_are_exactly_the_fields_written() -> None:
    """helpdocs.API_FIELDS describes every field api.py writes, and nothing else."""
    from glossary import api
    from glossary.model import Glossary, Settings, Term

    term = Term(slug="arr", title="ARR", source="x.md", aliases=("Annual",))
    glossary = Glossary(Settings(title="T", description="", base_url="https://g.example/"), (term,))
    written = {*api.listing(glossary), *api.summary(term, "https://g.example/"),
               *api.definition(term, "https://g.example/")}
    assert written == set(helpdocs.API_FIELDS)


def test_help_docs_without_an_alias_or_terms() -> None:
    from glossary.model import Term

    plain = (Term(slug="b", title="B", source="b.md"), Term(slug="c", title="C", source="c.md"))
    assert helpdocs.example_term(plain) == (plain[0], "", "")
    assert helpdocs.example_term(()) is None
    # an alias whose address is the term's own (slug "crm", alias "CRM") has no address of its own
    same = Term(slug="crm", title="CRM", source="crm.md", aliases=("CRM",))
    other = Term(slug="d", title="D", source="d.md", aliases=("Delta",))
    assert helpdocs.example_term((same, other)) == (other, "Delta", "delta")


def test_help_docs_page_renders_without_terms() -> None:
    from glossary import pages, theme
    from glossary.model import Glossary, Settings

    empty = Glossary(Settings(title="T", description="", base_url="https://g.example/"), ())
    built_in, _ = theme.load_theme(None, None)
    inputs = pages.SiteInputs(empty, built_in.templates, tuple(sorted(built_in.assets.paths.items())))
    job = pages.PageJob("help-docs/index.html", "help-docs.html", helpdocs.page_context(empty))
    [(page, problem)] = pages.render_pages(inputs, [job])
    assert problem is None
    assert b"The glossary has no terms yet, so there is nothing to preview." in page
    assert b"The term " not in page and b"helpdesk-fields" not in page


def test_the_zip_readme_and_embed_script(sales_site: Path) -> None:
    with zipfile.ZipFile(io.BytesIO((sales_site / "download" / "sales-glossary-offline.zip").read_bytes())) as zf:
        names = set(zf.namelist())
    assert {"sales-glossary/help-docs/index.html", "sales-glossary/embed.js", "sales-glossary/README.txt"} <= names
