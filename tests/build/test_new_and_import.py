"""`glossary new` and `glossary import` end to end: through the command line, then a build of what they wrote."""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from pathlib import Path

import pytest

from glossary.cli import main

REPO = Path(__file__).resolve().parent.parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "import"
CSV_DIALECTS = ["comma.csv", "semicolon.csv", "tab.tsv", "bom-crlf.csv", "multiline.csv"]
FORCE_HINT = "(nothing was written; import with --force to overwrite it)"


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with a copy of the import fixtures; messages show paths relative to it."""
    shutil.copytree(FIXTURES, tmp_path / "import")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def built(content: str = "content", out: str = "_site", strict: bool = False) -> Path:
    assert main(["build", "--content", content, "--out", out, *(["--strict"] if strict else [])]) == 0
    return Path(out)


def api(site: Path, slug: str) -> dict[str, object]:
    return json.loads((site / "api" / "terms" / f"{slug}.json").read_text(encoding="utf-8"))


def page_title(site: Path, slug: str) -> str:
    match = re.search(r"<h1>([^<]*)</h1>", (site / "terms" / slug / "index.html").read_text(encoding="utf-8"))
    assert match, slug
    return match[1]


# --- glossary new ----------------------------------------------------------------------------------------------


def test_new_writes_a_starter_that_builds_strict_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "my-glossary"]) == 0
    assert capsys.readouterr().out == (
        "Created a glossary in my-glossary/:\n"
        "  my-glossary/content/site.yaml\n"
        "  my-glossary/content/terms/incident.md\n"
        "  my-glossary/content/terms/service-level-agreement.md\n"
        "  my-glossary/content/terms/uptime.md\n"
        "  my-glossary/.gitignore\n"
        "  my-glossary/netlify.toml\n"
        "  my-glossary/requirements.txt\n"
        "Next, see it in your browser (it rebuilds as you edit), then build the site to publish:\n"
        "  cd my-glossary\n"
        "  glossary serve\n")
    site = built("my-glossary/content", "my-glossary/_site", strict=True)
    assert [page_title(site, s) for s in ["incident", "service-level-agreement", "uptime"]] == [
        "Incident", "Service Level Agreement", "Uptime"]
    sla = api(site, "service-level-agreement")
    assert (sla["aliases"], sla["category"], sla["related"]) == (["SLA"], "Service Levels", ["uptime", "incident"])
    sla_page = (site / "terms/service-level-agreement/index.html").read_text(encoding="utf-8")
    assert 'href="../incident/index.html">incidents</a>' in sla_page
    for redirect in ["sla", "availability", "service-uptime"]:  # an alias, an alias, a previous slug
        assert (site / "terms" / redirect / "index.html").is_file()
    assert (site / "index.html").read_text().count("<title>My Glossary") == 1
    assert "_site/" in Path("my-glossary/.gitignore").read_text().split("\n")


def test_new_comments_every_setting_and_the_incident_does_not_autolink(tmp_path: Path) -> None:
    assert main(["new", str(tmp_path / "team_words")]) == 0
    lines = (tmp_path / "team_words/content/site.yaml").read_text(encoding="utf-8").split("\n")
    keys = [(n, line.split(":")[0]) for n, line in enumerate(lines) if re.match(r"[a-z_]+:", line)]
    assert [key for _n, key in keys] == ["title", "description", "base_url", "language", "name", "categories",
                                         "autolink", "allow_html"]
    assert all(lines[n - 1].startswith("# ") for n, _key in keys)
    assert "title: Team Words" in lines and "name: team-words" in lines
    assert "autolink: false" in (tmp_path / "team_words/content/terms/incident.md").read_text(encoding="utf-8")


def test_new_netlify_toml_has_the_repositorys_security_headers(tmp_path: Path) -> None:
    assert main(["new", str(tmp_path / "g")]) == 0
    ours = tomllib.loads((tmp_path / "g/netlify.toml").read_text(encoding="utf-8"))
    repository = tomllib.loads((REPO / "netlify.toml").read_text(encoding="utf-8"))
    assert ours["headers"] == repository["headers"]
    assert ours["build"] == {"command": "glossary build --strict", "publish": "_site",
                             "environment": {"PYTHON_VERSION": "3.11"}}  # no Node.js


def test_new_refuses_a_folder_that_is_not_empty_and_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    Path("full").mkdir()
    Path("full/notes.txt").write_text("mine", encoding="utf-8")
    Path("a-file").write_text("mine", encoding="utf-8")
    Path("empty").mkdir()
    assert main(["new", "full"]) == 1
    assert main(["new", "a-file"]) == 1
    captured = capsys.readouterr()
    assert captured.err == ("error: full/ is not empty; glossary new starts a glossary in a new or empty folder\n"
                            "error: a-file exists and is not a folder\n")
    assert captured.out == ""
    assert sorted(p.name for p in Path("full").iterdir()) == ["notes.txt"]
    assert main(["new", "empty"]) == 0 and Path("empty/content/site.yaml").is_file()


# --- glossary import: csv --------------------------------------------------------------------------------------


def test_csv_round_trip_from_a_spreadsheet_export(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "csv", "import/csv/support-export.csv", "--map", "Owner=ignore"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ("Wrote content/site.yaml: set its title, description and base_url.\n"
                            "Imported 8 terms into content/terms/.\n")
    assert captured.err == ""
    assert Path("content/site.yaml").read_text(encoding="utf-8") == (
        "# Site settings (the README describes each one).\n"
        "title: Support Export\n"
        "description: \"Support Export: terms and their definitions.\"\n"
        "base_url: https://glossary.example.com/  # where the site will be published\n"
        "language: en\n"
        "categories:\n  - Metrics\n  - Workflow\n  - Agreements\n  - Self-service\n")
    assert Path("content/terms/first-response-time.md").read_text(encoding="utf-8") == (
        "---\n"
        "title: First Response Time\n"
        "aliases: [FRT]\n"
        "summary: How long a customer waits for the first human reply to a Ticket.\n"
        "category: Metrics\n"
        "related: [ticket, service-level-agreement]\n"
        "---\n"
        "How long a customer waits for the first human reply to a [Ticket](ticket.md). Automatic acknowledgements "
        "do not count, and most teams measure it in working hours.\n")
    site = built()
    expected = {
        "customer-satisfaction-score": ("Customer Satisfaction Score", ["CSAT"], "Metrics"),
        "net-promoter-score": ("Net Promoter Score", ["NPS"], "Metrics"),
        "first-response-time": ("First Response Time", ["FRT"], "Metrics"),
        "ticket": ("Ticket", ["Case", "Request"], "Workflow"),
        "escalation": ("Escalation", [], "Workflow"),
        "service-level-agreement": ("Service Level Agreement", ["SLA"], "Agreements"),
        "knowledge-base": ("Knowledge Base", ["KB"], "Self-service"),
        "backlog": ("Backlog", [], "Workflow"),
    }
    for slug, (title, aliases, category) in expected.items():
        data = api(site, slug)
        assert (page_title(site, slug), data["title"], data["aliases"], data["category"]) == (
            title, title, aliases, category)
    assert api(site, "customer-satisfaction-score")["related"] == ["net-promoter-score", "first-response-time"]
    assert api(site, "net-promoter-score")["related"] == ["customer-satisfaction-score"]  # 'CSAT', an alias
    pages = {slug: (site / "terms" / slug / "index.html").read_text(encoding="utf-8") for slug in expected}
    assert 'href="../net-promoter-score/index.html">Net Promoter Score</a>' in pages["customer-satisfaction-score"]
    assert 'href="../escalation/index.html">escalated</a>' in pages["ticket"]
    assert 'href="../ticket/index.html">ticket</a>' in pages["escalation"]  # [[Ticket|ticket]]
    assert 'href="../first-response-time/index.html">First Response Time</a>' in pages["service-level-agreement"]
    for alias in ["csat", "nps", "frt", "case", "request", "sla", "kb"]:
        assert (site / "terms" / alias / "index.html").is_file()


@pytest.mark.parametrize("name", CSV_DIALECTS)
def test_each_csv_dialect_imports_and_builds(here: Path, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "csv", f"import/csv/{name}"]) == 0
    assert capsys.readouterr().out.endswith("Imported 3 terms into content/terms/.\n")
    site = built()
    assert [api(site, s)["aliases"] for s in ["first-response-time", "ticket", "escalation"]] == [
        ["FRT"], ["Case", "Request"], []]
    assert api(site, "escalation")["related"] == ["ticket", "first-response-time"]
    assert api(site, "ticket")["text"] == ("One customer question or problem, tracked from the first message until it "
                                           "is solved.")


def test_csv_multiline_cell_keeps_its_paragraphs(here: Path) -> None:
    assert main(["import", "csv", "import/csv/multiline.csv"]) == 0
    assert Path("content/terms/first-response-time.md").read_text(encoding="utf-8") == (
        "---\ntitle: First Response Time\naliases: [FRT]\n"
        "summary: How long a customer waits for the first human reply to a ticket, in working hours.\n"
        "category: Metrics\nrelated: [ticket]\n---\n"
        "How long a customer waits for the first human reply to a ticket, in working hours.\n\n"
        'Automatic acknowledgements do not count: "We got your message" is not a reply.\n')
    page = (built() / "terms/first-response-time/index.html").read_text(encoding="utf-8")
    assert '<p>Automatic acknowledgements do not count: "We got your message" is not a reply.</p>' in page


# --- glossary import: markdown and folder ----------------------------------------------------------------------


def test_markdown_headings_import_and_build(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "markdown", "import/markdown/headings.md"]) == 0
    captured = capsys.readouterr()
    assert captured.out.endswith("Imported 3 terms into content/terms/ (2 warnings).\n")
    assert captured.err == (
        "import/markdown/headings.md:3: warning: text before the first term not imported (it belongs to no term; "
        "put it in site.yaml's description if it describes the glossary)\n"
        "import/markdown/headings.md:37: warning: link to '#charts-we-use' leads to no imported term (kept its "
        "text, without the link)\n")
    assert "title: Coffee Roasting Glossary\n" in Path("content/site.yaml").read_text(encoding="utf-8")
    site = built()
    density = api(site, "bean-density")
    assert (density["aliases"], density["related"]) == (["Density"], ["first-crack", "green-coffee"])
    assert (api(site, "first-crack")["category"], api(site, "green-coffee")["category"]) == ("Roasting", "Sourcing")
    crack = (site / "terms/first-crack/index.html").read_text(encoding="utf-8")
    assert 'href="../bean-density/index.html">bean density</a>' in crack  # was [bean density](#density)
    assert '<h2 id="timing">Timing</h2>' in crack


def test_markdown_definition_list_imports_and_builds(here: Path) -> None:
    assert main(["import", "markdown", "import/markdown/definition-list.md"]) == 0
    site = built()
    assert [page_title(site, s) for s in ["bean-density", "first-crack", "green-coffee"]] == [
        "Bean Density", "First Crack", "Green Coffee"]
    assert api(site, "first-crack")["aliases"] == ["Crack"]
    assert api(site, "green-coffee")["related"] == ["first-crack"]
    assert 'href="../bean-density/index.html">bean density</a>' in (site / "terms/first-crack/index.html").read_text()


def test_nested_folder_with_map_imports_and_builds(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "folder", "import/folder", "--map", "blurb=summary", "sidebar_position=ignore",
                 "--content", "site-content"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ("Wrote site-content/site.yaml: set its title, description and base_url.\n"
                            "Imported 5 terms into site-content/terms/ (4 warnings).\n")
    assert captured.err == (
        "import/folder: warning: 1 file not imported: only Markdown files are read (such as "
        "import/folder/signals/diagram.svg)\n"
        "import/folder/practice/alerting.md:5: warning: key 'related_docs' not imported (map it with --map "
        "related_docs=KEY; KEY is one of title, aliases, summary, category, related, previous_slugs, autolink, "
        "formula, example, reviewed, updated, body, slug, id, ignore)\n"
        "import/folder/practice/alerting.md:10: warning: link to '../handbook/paging.md' leads to no imported term "
        "(kept its text, without the link)\n"
        "import/folder/signals/metric.md:6: warning: key 'tags': only the first, 'signals', became the category "
        "(not imported: 'basics')\n")
    assert sorted(p.name for p in Path("site-content/terms").iterdir()) == [
        "alert-rule.md", "log.md", "metric.md", "on-call.md", "trace.md"]
    assert Path("site-content/terms/log.md").read_text(encoding="utf-8") == (
        "---\n"
        "title: Log\n"
        "aliases: [Log line, Event log]\n"
        "summary: A line of text a program writes when something happens, with the time it happened.\n"
        "category: signals\n"
        "related: [metric]\n"
        "---\n"
        "Logs say what happened in words: a request arrived, a payment failed, a file could not be read.\n"
        "They are the most detailed signal and the most expensive to keep, so most teams keep them for days,\n"
        "not months, and count the common cases as a [Metric](metric.md) instead.\n")
    site = built("site-content")
    assert api(site, "metric")["related"] == ["log", "trace"]  # 'trace-id' is the id of trace/index.md
    assert api(site, "trace")["updated"] == "2025-11-02"
    assert api(site, "alert-rule")["related"] == ["metric", "on-call"]
    alert = (site / "terms/alert-rule/index.html").read_text(encoding="utf-8")
    assert 'href="../metric/index.html">metrics</a>' in alert and 'href="../trace/index.html">trace view</a>' in alert
    assert 'href="../metric/index.html#kinds">metric</a>' in (site / "terms/trace/index.html").read_text()


# --- refusals and errors ---------------------------------------------------------------------------------------


def test_nothing_is_overwritten_without_force(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "csv", "import/csv/comma.csv"]) == 0
    Path("content/terms/ticket.md").write_text("---\ntitle: Ticket\n---\nMy own words.\n", encoding="utf-8")
    site_yaml = Path("content/site.yaml").read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["import", "csv", "import/csv/semicolon.csv"]) == 1
    captured = capsys.readouterr()
    assert captured.err == (
        f"content/terms/escalation.md: already exists {FORCE_HINT}\n"
        f"content/terms/first-response-time.md: already exists {FORCE_HINT}\n"
        f"content/terms/ticket.md: already exists {FORCE_HINT}\n"
        "Import failed: 3 errors in 3 files; nothing was written.\n")
    assert captured.out == ""
    assert Path("content/terms/ticket.md").read_text(encoding="utf-8").endswith("My own words.\n")
    assert Path("content/site.yaml").read_text(encoding="utf-8") == site_yaml
    assert main(["import", "csv", "import/csv/semicolon.csv", "--force"]) == 0
    assert "My own words" not in Path("content/terms/ticket.md").read_text(encoding="utf-8")
    assert capsys.readouterr().out == "Imported 3 terms into content/terms/.\n"


def test_import_adds_new_categories_to_an_existing_site_yaml(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("content/terms").mkdir(parents=True)
    Path("content/site.yaml").write_text("title: Support\nbase_url: https://support.example.com/\n"
                                         "categories:\n  - workflow  # how tickets move\n", encoding="utf-8")
    Path("content/terms/queue.md").write_text("---\ntitle: Queue\naliases: [FRT]\ncategory: workflow\n---\nA list.\n",
                                              encoding="utf-8")
    assert main(["import", "csv", "import/csv/comma.csv"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ("Added 1 category to content/site.yaml: Metrics.\n"
                            "Imported 3 terms into content/terms/ (1 warning).\n")
    assert captured.err == ("import/csv/comma.csv:2: warning: alias 'FRT' is already an alias of "
                            "content/terms/queue.md (left out)\n")
    assert Path("content/site.yaml").read_text(encoding="utf-8") == (
        "title: Support\nbase_url: https://support.example.com/\ncategories:\n  - workflow  # how tickets move\n"
        "  - Metrics\n")
    assert "category: workflow\n" in Path("content/terms/ticket.md").read_text(encoding="utf-8")
    site = built()
    assert api(site, "first-response-time")["aliases"] == []
    assert api(site, "queue")["aliases"] == ["FRT"]


def test_import_into_a_new_glossary(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "team"]) == 0
    capsys.readouterr()
    assert main(["import", "csv", "import/csv/comma.csv", "--content", "team/content"]) == 0
    assert capsys.readouterr().out == ("Added 2 categories to team/content/site.yaml: Metrics, Workflow.\n"
                                       "Imported 3 terms into team/content/terms/.\n")
    assert "  Operations: Keeping a service running, and putting it right when it breaks.\n  Metrics: \"\"\n" \
           "  Workflow: \"\"\n# Automatic links" in Path("team/content/site.yaml").read_text(encoding="utf-8")
    site = built("team/content", "team/_site", strict=True)
    assert sorted(p.name for p in (site / "categories").iterdir() if p.is_dir()) == [
        "metrics", "operations", "service-levels", "workflow"]


@pytest.mark.parametrize(("files", "argv", "err"), [
    ({}, ["csv", "missing.csv"],
     "missing.csv: no such file (check the path)\nImport failed: 1 error in 1 file; nothing was written.\n"),
    ({"words.csv": "Label,Notes\nRoast,Heating.\n"}, ["csv", "words.csv", "--map", "Notes=body"],
     "words.csv:1: warning: column 'Label' not imported (map it with --map \"Label=KEY\"; KEY is one of title, "
     "aliases, summary, category, related, body, ignore)\n"
     "words.csv:1: no column for the term (name a column Term or Title, or use --map COLUMN=title; columns found: "
     "'Label', 'Notes')\nImport failed: 1 error in 1 file; nothing was written.\n"),
    ({"words.csv": "Term,Definition\nRoast,Heating.\nroast,Again.\nEspresso,\n,Orphan text.\n"}, ["csv", "words.csv"],
     "words.csv:5: row has no term in column 'Term' (fill it in, or delete the row)\n"
     "Import failed: 1 error in 1 file; nothing was written.\n"),
    ({"words.csv": "Term,Definition\nRoast,Heating.\nroast,Again.\n"}, ["csv", "words.csv"],
     "words.csv:3: term 'roast' is already defined at words.csv:2 (merge the two into one, or rename one)\n"
     "Import failed: 1 error in 1 file; nothing was written.\n"),
    ({"notes.md": "Some notes.\n"}, ["markdown", "notes.md"],
     "notes.md: no terms found (write one heading per term ('## Term', then its definition) or a definition list "
     "('Term', then ': definition'))\nImport failed: 1 error in 1 file; nothing was written.\n"),
    ({"notes.md": "## Roast\nHeat.\n"}, ["folder", "notes.md"],
     "notes.md: is a file, not a folder (use 'glossary import csv' or 'markdown' for one file)\n"
     "Import failed: 1 error in 1 file; nothing was written.\n"),
    ({"docs/roast.md": "---\ntitle: Roast\n"}, ["folder", "docs"],
     "docs/roast.md:1: unterminated front matter (close it with a line '---' after the last key)\n"
     "Import failed: 1 error in 1 file; nothing was written.\n"),
    ({"docs/notes.txt": "Roast: heat.\n"}, ["folder", "docs"],
     "docs: warning: 1 file not imported: only Markdown files are read (such as docs/notes.txt)\n"
     "docs: no Markdown files found (the folder should hold .md files, one a term)\n"
     "Import failed: 1 error in 1 file; nothing was written.\n"),
    ({"content/terms/roast.md": "---\ntitle: Dark Roast\n---\nMine.\n", "content/site.yaml": "title: T\n",
      "words.csv": "Term,Definition\nDark Roast,Heating longer.\n"}, ["csv", "words.csv"],
     "words.csv:2: term 'Dark Roast' is already the title of content/terms/roast.md (rename one of them, or leave "
     "one out)\nImport failed: 1 error in 1 file; nothing was written.\n"),
])
def test_import_errors_write_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str], files: dict[str, str], argv: list[str],
                                     err: str) -> None:
    monkeypatch.chdir(tmp_path)
    for rel, text in files.items():
        Path(rel).parent.mkdir(parents=True, exist_ok=True)
        Path(rel).write_text(text, encoding="utf-8")
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    assert main(["import", *argv]) == 1
    captured = capsys.readouterr()
    assert (captured.err, captured.out) == (err, "")
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before


@pytest.mark.parametrize(("argv", "message"), [
    (["csv", "x.csv", "--map", "Owner=owner"], "argument --map: 'owner' is not a key glossary knows: one of title, "
     "aliases, summary, category, related, previous_slugs, autolink, formula, example, reviewed, updated, body, "
     "slug, id, ignore"),
    (["csv", "x.csv", "--map", "Owner"], "argument --map: 'Owner' is not FROM=TO, such as "
     "'short_description=summary'"),
    (["excel", "x.xlsx"], "argument format: invalid choice: 'excel' (choose from 'csv', 'markdown', 'folder')"),
])
def test_wrong_usage_exits_with_2(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["import", *argv])
    assert exit_.value.code == 2
    assert capsys.readouterr().err.endswith(f"glossary import: error: {message}\n")
