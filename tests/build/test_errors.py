"""Every bad input gets an exact `path:line: message (hint)`, all of them at once, and the
previous site survives a failed build. Each test runs the real command line in a temp folder."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from glossary.cli import main
from tests.conftest import REPO, SITE_YAML, term_file

Run = Callable[..., tuple[int, list[str]]]
GOOD = {
    "terms/churn-rate.md": term_file("Churn Rate", category="Metrics"),
    "terms/lead.md": term_file("Lead", "A person or company that may buy."),
}


def failed(errors: int, files: int) -> str:
    e, f = "error" if errors == 1 else "errors", "file" if files == 1 else "files"
    return f"Build failed: {errors} {e} in {files} {f}. The site in _site/ was left as it was."


@pytest.fixture
def run(make_project: Callable[..., object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> Run:
    """Write GOOD plus `files` into content/, run `glossary build *args`, return (exit code, stderr lines)."""
    monkeypatch.chdir(tmp_path)

    def build(files: dict[str, str], *args: str, site_yaml: str = SITE_YAML) -> tuple[int, list[str]]:
        make_project({**GOOD, **files}, site_yaml=site_yaml)
        code = main(["build", *args])
        return code, capsys.readouterr().err.splitlines()

    return build


def expect(run: Run, files: dict[str, str], *lines: str, args: tuple[str, ...] = ()) -> None:
    """The build fails, printing exactly `lines` (errors, and warnings marked so) and the summary."""
    code, err = run(files, *args)
    errors = [line for line in lines if ": warning: " not in line]
    assert err == [*lines, failed(len(errors), len({line.split(":")[0] for line in errors}))]
    assert code == 1


# --- front matter -------------------------------------------------------------------------

def test_no_front_matter(run: Run) -> None:
    expect(run, {"terms/cac.md": "title: CAC\n\nCost to win a customer.\n"},
           "content/terms/cac.md:1: no front matter (start the file with a line '---', then 'title: ...', then '---')")


def test_unterminated_front_matter(run: Run) -> None:
    expect(run, {"terms/cac.md": "---\ntitle: CAC\n\nCost to win a customer.\n"},
           "content/terms/cac.md:1: unterminated front matter (close it with a line '---' after the last key)")


def test_invalid_yaml_names_its_line(run: Run) -> None:
    expect(run, {"terms/roi.md": "---\ntitle: ROI: return on investment\n---\nGain per cost.\n",
                 "terms/oauth.md": "---\ntitle: OAuth\nsummary: Delegated login.\naliases: [OAuth 2.0}\n---\nA.\n"},
           "content/terms/oauth.md:4: invalid YAML: did not find expected ',' or ']'",
           "content/terms/roi.md:2: invalid YAML: mapping values are not allowed in this context (put quotes around "
           "a value that contains ': ', such as 'title: \"ROI: return on investment\"')")


def test_front_matter_that_is_not_a_mapping(run: Run) -> None:
    expect(run, {"terms/cac.md": "---\n- title\n- CAC\n---\nCost.\n", "terms/roi.md": "---\nROI\n---\nGain.\n"},
           "content/terms/cac.md:2: front matter is a list, not 'key: value' lines (write one 'key: value' per line, "
           "such as 'title: Churn Rate')",
           "content/terms/roi.md:2: front matter is a single value, not 'key: value' lines (write one 'key: value' per "
           "line, such as 'title: Churn Rate')")


def test_missing_title(run: Run) -> None:
    expect(run, {"terms/cac.md": "---\nsummary: Cost to win a customer.\n---\nCost.\n"},
           "content/terms/cac.md:1: missing title (add a line such as 'title: Annual Recurring Revenue')")


def test_empty_title(run: Run) -> None:
    expect(run, {"terms/cac.md": "---\nsummary: Cost.\ntitle:\n---\nCost.\n",
                 "terms/roi.md": "---\ntitle: ' '\n---\nA.\n"},
           "content/terms/cac.md:3: empty title (write the term after 'title:', such as 'title: Annual Recurring "
           "Revenue')",
           "content/terms/roi.md:2: empty title (write the term after 'title:', such as 'title: Annual Recurring "
           "Revenue')")


def test_fields_of_the_wrong_type(run: Run) -> None:
    expect(run, {"terms/cac.md": term_file("CAC", aliases=5), "terms/nrr.md": term_file("NRR", related="churn-rate"),
                 "terms/roi.md": term_file("ROI", autolink="maybe"), "terms/sdr.md": term_file("SDR", title2=1)
                 .replace("title2: 1", "summary: [a, b]")},
           "content/terms/cac.md:3: 'aliases' must be a list, not '5' (write 'aliases: [5]')",
           "content/terms/nrr.md:3: 'related' must be a list, not 'churn-rate' (write 'related: [churn-rate]')",
           "content/terms/roi.md:3: 'autolink' must be true, false or always, not 'maybe' (write 'autolink: always')",
           "content/terms/sdr.md:3: 'summary' must be text, not a list (put quotes around text that contains ': ' or "
           "starts with '[' or '{')")


def test_list_items_must_be_text(run: Run) -> None:
    expect(run, {"terms/cac.md": term_file("CAC", aliases="[CoCA, ratio: x]"),
                 "terms/roi.md": term_file("ROI", related="[churn-rate, '']")},
           "content/terms/cac.md:3: 'aliases' item 2 is a mapping, not text (put quotes around an item that contains "
           "': ', ', ' or brackets)",
           "content/terms/roi.md:3: 'related' item 2 is empty (remove it)")


def test_yaml_words_stay_text(run: Run, tmp_path: Path) -> None:
    """YAML 1.1 would make `No` false and `2024-01-01` a date; a glossary keeps what the author typed."""
    code, err = run({"terms/no.md": term_file("No", aliases="[Nope, 2024-01-01, 0x1A]", autolink="no")})
    assert (code, err) == (0, [])
    api = json.loads((tmp_path / "_site/api/terms/no.json").read_text(encoding="utf-8"))
    assert (api["title"], api["aliases"]) == ("No", ["Nope", "2024-01-01", "0x1A"])


def test_duplicate_key(run: Run) -> None:
    expect(run, {"terms/cac.md": "---\ntitle: CAC\nsummary: One.\ntitle: CoCA\n---\nCost.\n"},
           "content/terms/cac.md:4: duplicate key 'title' (it is already on line 2; keep one)")


def test_unknown_key_with_did_you_mean(run: Run) -> None:
    expect(run, {"terms/cac.md": term_file("CAC", sumary="Cost."), "terms/roi.md": term_file("ROI", colour="red")},
           "content/terms/cac.md:3: unknown front-matter key 'sumary' (did you mean 'summary'?)",
           "content/terms/roi.md:3: unknown front-matter key 'colour' (known front-matter keys: aliases, autolink, "
           "category, example, formula, previous_slugs, related, reviewed, summary, title, updated)")


def test_file_name_that_is_not_a_slug(run: Run) -> None:
    expect(run, {"terms/Churn Rate.md": term_file("Churn Rate Two")},
           "content/terms/Churn Rate.md: file name 'Churn Rate.md' is not a valid slug (rename it to 'churn-rate.md': "
           "lowercase letters, digits and hyphens)")


# --- names and references -----------------------------------------------------------------

def test_same_title_ignoring_case_and_accents(run: Run) -> None:
    expect(run, {"terms/echeance.md": term_file("echeance"), "terms/due-date.md": term_file("Échéance")},
           "content/terms/due-date.md:2: title 'Échéance' is already the title of content/terms/echeance.md:2 "
           "(titles and aliases must be unique, ignoring case and accents)")


def test_duplicate_alias(run: Run) -> None:
    expect(run, {"terms/arr.md": term_file("Annual Recurring Revenue", aliases="[ARR]"),
                 "terms/roi.md": term_file("Return on Investment", summary="Gain.", aliases="[ROI, arr]")},
           "content/terms/roi.md:4: alias 'arr' is already an alias of content/terms/arr.md:3 (titles and aliases "
           "must be unique, ignoring case and accents)")


def test_alias_listed_twice_in_one_file(run: Run) -> None:
    expect(run, {"terms/arr.md": term_file("Annual Recurring Revenue", aliases="[ARR, arr]")},
           "content/terms/arr.md:3: alias 'arr' is listed twice in this file (remove one)")


def test_alias_equal_to_another_title(run: Run) -> None:
    expect(run, {"terms/prospect.md": term_file("Prospect", aliases="[lead]")},
           "content/terms/prospect.md:3: alias 'lead' is already the title of content/terms/lead.md:2 (titles and "
           "aliases must be unique, ignoring case and accents)")


def test_unknown_related_slug(run: Run) -> None:
    expect(run, {"terms/nrr.md": term_file("NRR", related="[lead, churn-rte]")},
           "content/terms/nrr.md:3: related term 'churn-rte' does not exist (did you mean 'churn-rate'?)")


def test_term_related_to_itself(run: Run) -> None:
    expect(run, {"terms/nrr.md": term_file("NRR", related="[churn-rate, nrr]")},
           "content/terms/nrr.md:3: 'nrr' lists itself as related (remove it from 'related')")


def test_link_to_a_missing_term_file(run: Run) -> None:
    body = "Net revenue retention.\n\nIt falls as [churn](churn-rte.md) rises."
    expect(run, {"terms/nrr.md": term_file("NRR", body, summary="Kept revenue.")},
           "content/terms/nrr.md:7: link to 'churn-rte.md': no such term (did you mean 'churn-rate.md'?)")


def test_markdown_nested_too_deeply(run: Run) -> None:
    body = "Lists:\n\n" + "- " * 300 + "deep"
    expect(run, {"terms/nrr.md": term_file("NRR", body)},
           "content/terms/nrr.md:6: lists, quotes or indents nested 300 levels deep (Markdown this deep cannot be "
           "rendered; keep it under 100 levels)")


def test_unknown_category(run: Run) -> None:
    expect(run, {"terms/nrr.md": term_file("NRR", category="Metrix")},
           "content/terms/nrr.md:3: unknown category 'Metrix' (did you mean 'Metrics'?)")


def test_previous_slug_that_is_another_terms_address(run: Run) -> None:
    expect(run, {"terms/prospect.md": term_file("Prospect", previous_slugs="[lead]")},
           "content/terms/prospect.md:3: previous slug 'lead' would redirect terms/lead/, the page of "
           "content/terms/lead.md (remove it from 'previous_slugs')")


def test_two_aliases_with_one_address(run: Run) -> None:
    expect(run, {"terms/arr.md": term_file("ARR", aliases="['A.R.R.']"),
                 "terms/roi.md": term_file("ROI", aliases="['A R R']")},
           "content/terms/roi.md:3: alias 'A R R' would redirect terms/a-r-r/, already the redirect of alias "
           "'A.R.R.' of content/terms/arr.md:3 (rename the alias)")


# --- files --------------------------------------------------------------------------------

def test_file_that_is_not_utf8(run: Run, tmp_path: Path) -> None:
    (tmp_path / "content/terms").mkdir(parents=True)
    (tmp_path / "content/terms/cafe.md").write_bytes(b"---\ntitle: Cafe\n---\nA caf\xe9.\n")
    expect(run, {}, "content/terms/cafe.md:4: not UTF-8 text: byte 0xe9 cannot be read (save the file as UTF-8)")


def test_utf8_with_bom_and_crlf_builds(run: Run, tmp_path: Path) -> None:
    (tmp_path / "content/terms").mkdir(parents=True)
    text = "\ufeff---\r\ntitle: Café\r\nsummary: A place.\r\n---\r\nA café serves [churn](churn-rate.md).\r\n"
    (tmp_path / "content/terms/cafe.md").write_bytes(text.encode("utf-8"))
    assert run({}) == (0, [])
    page = (tmp_path / "_site/terms/cafe/index.html").read_text(encoding="utf-8")
    assert "Café" in page and "\r" not in page and "\ufeff" not in page


def test_empty_body_is_a_warning(run: Run) -> None:
    assert run({"terms/cac.md": "---\ntitle: CAC\n---\n\n"}) == (
        0, ["content/terms/cac.md:4: warning: empty body (write the definition below the front matter)"])


def test_empty_body_fails_a_strict_build(run: Run) -> None:
    assert run({"terms/cac.md": "---\ntitle: CAC\n---\n"}, "--strict") == (1, [
        "content/terms/cac.md:4: warning: empty body (write the definition below the front matter)",
        "Build failed: 1 warning in 1 file (--strict treats warnings as errors). The site in _site/ was left as it "
        "was.",
    ])


def test_symbolic_link_outside_the_content_folder(run: Run, tmp_path: Path) -> None:
    secret = tmp_path / "elsewhere" / "secret.md"
    secret.parent.mkdir()
    secret.write_text(term_file("Secret"), encoding="utf-8")
    (tmp_path / "content/terms").mkdir(parents=True)
    (tmp_path / "content/terms/secret.md").symlink_to(secret)
    expect(run, {}, f"content/terms/secret.md: symbolic link to {secret.resolve()}, outside the content folder "
                    "(copy the file into the content folder instead)")


def test_files_in_the_terms_folder_that_are_not_read_are_warned_about(run: Run) -> None:
    code, err = run({"terms/roi.markdown": term_file("ROI"), "terms/old/cac.md": term_file("CAC"),
                     "terms/.#lead.md": "an editor's lock file", "terms/notes.png": "not text"})
    assert code == 0
    assert err == [
        "content/terms/old: warning: folder not read: term files must be directly in the terms folder "
        "(move its .md files up one level)",
        "content/terms/roi.markdown: warning: file not read: term files end in '.md' (rename it to 'roi.md')",
    ]


def test_empty_content_folder(make_project: Callable[..., object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    make_project({})
    assert main(["build"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "content/terms: no term files (add one Markdown file per term, such as content/terms/lead.md)",
        failed(1, 1),
    ]


def test_missing_content_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--content", "contnet"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "contnet: content folder not found (run the build in your project folder, or pass --content PATH)",
        failed(1, 1),
    ]


# --- site.yaml ----------------------------------------------------------------------------

def test_unknown_key_in_site_yaml(run: Run) -> None:
    code, err = run({}, site_yaml=SITE_YAML + "titel: Other\n")
    assert (code, err) == (1, ["content/site.yaml:5: unknown setting 'titel' (did you mean 'title'?)", failed(1, 1)])


def test_invalid_base_url(run: Run) -> None:
    code, err = run({}, site_yaml=SITE_YAML.replace("https://glossary.example.com/", "glossary.example.com"))
    assert (code, err) == (1, ["content/site.yaml:3: invalid base_url 'glossary.example.com' (use an absolute "
                               "http(s) address such as 'https://glossary.example.com/')", failed(1, 1)])


def test_invalid_site_name_cannot_escape_the_output_folder(run: Run) -> None:
    code, err = run({}, site_yaml=SITE_YAML + "name: ../../evil\n")
    assert (code, err) == (1, ["content/site.yaml:5: invalid name '../../evil' (use lowercase letters, digits and "
                               "hyphens, such as 'evil')", failed(1, 1)])


def test_categories_that_would_share_a_page(run: Run) -> None:
    code, err = run({}, site_yaml=SITE_YAML.replace("Process]", "Process, metrics, '?']"))
    assert (code, err) == (1, [
        "content/site.yaml:4: categories 'Metrics' and 'metrics' would share the page categories/metrics/ "
        "(keep one of them)",
        "content/site.yaml:4: category '?' has no letters or digits (its page address is made of them)",
        # validate runs in the same build, so the term that uses the clashing category is named too
        "content/terms/churn-rate.md:3: category 'Metrics' would share the page categories/metrics/ with "
        "'metrics' (write both the same way)",
        failed(3, 2),
    ])


# --- templates ----------------------------------------------------------------------------

def write_templates(tmp_path: Path, templates: dict[str, str]) -> None:
    (tmp_path / "templates").mkdir()
    for name, text in templates.items():
        (tmp_path / "templates" / name).write_text(text, encoding="utf-8")


def test_template_syntax_error(run: Run, tmp_path: Path) -> None:
    write_templates(tmp_path, {"term.html": "{% extends 'base.html' %}\n{% block main %}\n{% if term %}\n"
                                            "<h1>{{ term.title }}</h1>\n{% endblock %}\n"})
    expect(run, {}, "templates/term.html:5: template syntax error: Encountered unknown tag 'endblock'. You probably "
                    "made a nesting mistake. Jinja is expecting this tag, but currently looking for 'elif' or 'else' "
                    "or 'endif'. The innermost block that needs to be closed is 'if'.",
           args=("--templates", "templates"))


def test_template_with_an_undefined_variable(run: Run, tmp_path: Path) -> None:
    write_templates(tmp_path, {"404.html": "{% extends 'base.html' %}\n{% block main %}\n<p>Lost.</p>\n"
                                           "{{ home_url }}\n{% endblock %}\n"})
    expect(run, {}, "templates/404.html:4: undefined variable 'home_url' (check the spelling; the built-in "
                    "templates show what each page gets)", args=("--templates", "templates"))


def test_template_error_at_run_time(run: Run, tmp_path: Path) -> None:
    write_templates(tmp_path, {"term.html": "{% extends 'base.html' %}\n{% block main %}\n<h1>{{ term.title }}</h1>\n"
                                            "<p>{{ term.titel }}</p>\n{% endblock %}\n"})
    expect(run, {}, "templates/term.html:4: 'Term' has no attribute 'titel' (check the spelling; the built-in "
                    "templates show what each page gets)", args=("--templates", "templates"))


@pytest.mark.parametrize(("line", "message"), [
    ("{{ 1 + 'a' }}", "template error: unsupported operand type(s) for +: 'int' and 'str'"),
    ("{% include 'footer.html' %}", f"template 'footer.html' not found (looked in templates, {REPO / 'templates'})"),
    ("{{ 1 / 0 }}", "template error: division by zero"),
])
def test_other_template_errors(run: Run, tmp_path: Path, line: str, message: str) -> None:
    write_templates(tmp_path, {"404.html": "{% extends 'base.html' %}\n{% block main %}\n<p>Lost.</p>\n"
                                           f"{line}\n{{% endblock %}}\n"})
    expect(run, {}, f"templates/404.html:4: {message}", args=("--templates", "templates"))


def test_every_template_syntax_error_at_once(run: Run, tmp_path: Path) -> None:
    write_templates(tmp_path, {"404.html": "{% if %}\n", "search.html": "ok\n{{ a b }}\n", "notes.md": "{% x"})
    expect(run, {}, "templates/404.html:1: template syntax error: Expected an expression, got 'end of statement "
                    "block'",
           "templates/search.html:2: template syntax error: expected token 'end of print statement', got 'b'",
           args=("--templates", "templates"))


# --- the whole build ----------------------------------------------------------------------

RESERVED = {"index": "Index", "search": "Search", "all": "All", "api": "API", "categories": "Categories",
            "download": "Download", "404": "404", "assets": "Assets", "terms": "Terms"}


def test_slugs_the_site_itself_uses_build_fine(run: Run, tmp_path: Path) -> None:
    files = {f"terms/{slug}.md": term_file(title, f"The word {title}.") for slug, title in RESERVED.items()}
    assert run(files) == (0, [])
    site = tmp_path / "_site"
    for slug, title in RESERVED.items():
        assert f"<title>{title} · " in (site / f"terms/{slug}/index.html").read_text(encoding="utf-8")
    assert "<title>Test Glossary: A–Z</title>" in (site / "index.html").read_text(encoding="utf-8")
    assert "<title>Search · Test Glossary</title>" in (site / "search/index.html").read_text(encoding="utf-8")
    assert "<title>All terms on one page · " in (site / "all/index.html").read_text(encoding="utf-8")
    assert "<title>Page not found · " in (site / "404.html").read_text(encoding="utf-8")
    assert "<title>Categories · " in (site / "categories/index.html").read_text(encoding="utf-8")
    listing = json.loads((site / "api/terms.json").read_text(encoding="utf-8"))
    assert len(listing["terms"]) == len(RESERVED) + len(GOOD)
    assert json.loads((site / "api/terms/api.json").read_text(encoding="utf-8"))["title"] == "API"
    assert list((site / "download").iterdir()) == [site / "download/test-glossary-offline.zip"]


def test_all_problems_are_reported_together(run: Run, tmp_path: Path) -> None:
    (tmp_path / "content/terms").mkdir(parents=True)
    (tmp_path / "content/terms/cafe.md").write_bytes(b"---\ntitle: Caf\xe9\n---\nCoffee.\n")
    expect(run, {
        "terms/cac.md": term_file("CAC", sumary="Cost to win a customer."),
        "terms/nrr.md": term_file("NRR", related="churn-rate"),
        "terms/roi.md": "---\ntitle: ROI\naliases: [ARR}\n---\nGain.\n",
        "terms/sdr.md": "SDR\n",
        "terms/Win Rate.md": term_file("Win Rate"),
        "terms/wip.md": "---\ntitle: WIP\n---\n",
    },
        "content/terms/Win Rate.md: file name 'Win Rate.md' is not a valid slug (rename it to 'win-rate.md': "
        "lowercase letters, digits and hyphens)",
        "content/terms/cac.md:3: unknown front-matter key 'sumary' (did you mean 'summary'?)",
        "content/terms/cafe.md:2: not UTF-8 text: byte 0xe9 cannot be read (save the file as UTF-8)",
        "content/terms/nrr.md:3: 'related' must be a list, not 'churn-rate' (write 'related: [churn-rate]')",
        "content/terms/roi.md:3: invalid YAML: did not find expected ',' or ']'",
        "content/terms/sdr.md:1: no front matter (start the file with a line '---', then 'title: ...', then '---')",
        "content/terms/wip.md:4: warning: empty body (write the definition below the front matter)",
    )


def test_all_problems_between_terms_are_reported_together(run: Run) -> None:
    expect(run, {
        "terms/churn.md": term_file("churn rate"),
        "terms/nrr.md": term_file("NRR", related="[lead, churn-rat]"),
        "terms/prospect.md": term_file("Prospect", aliases="[Lead]"),
        "terms/roi.md": term_file("ROI", category="Finance"),
        "terms/sdr.md": term_file("SDR", previous_slugs="[nrr]"),
    },
        "content/terms/churn.md:2: title 'churn rate' is already the title of content/terms/churn-rate.md:2 (titles "
        "and aliases must be unique, ignoring case and accents)",
        "content/terms/nrr.md:3: related term 'churn-rat' does not exist (did you mean 'churn-rate'?)",
        "content/terms/prospect.md:3: alias 'Lead' is already the title of content/terms/lead.md:2 (titles and "
        "aliases must be unique, ignoring case and accents)",
        "content/terms/roi.md:3: unknown category 'Finance' (declare it under 'categories' in site.yaml)",
        "content/terms/sdr.md:3: previous slug 'nrr' would redirect terms/nrr/, the page of content/terms/nrr.md "
        "(remove it from 'previous_slugs')",
    )


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_failed_build_leaves_the_previous_site_untouched(run: Run, tmp_path: Path) -> None:
    assert run({"terms/nrr.md": term_file("NRR", "Net revenue retention.")})[0] == 0
    before = snapshot(tmp_path / "_site")
    assert len(before) > 20
    code, err = run({"terms/nrr.md": term_file("NRR", "Changed.", related="[nowhere]"),
                     "terms/cac.md": term_file("CAC", category="Nowhere")})
    assert code == 1 and err[-1] == failed(2, 2)
    assert snapshot(tmp_path / "_site") == before


def test_unknown_option_is_a_usage_error(run: Run, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["build", "--stirct"])
    assert exit_info.value.code == 2
    assert "unrecognized arguments: --stirct" in capsys.readouterr().err
