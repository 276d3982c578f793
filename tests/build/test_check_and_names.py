"""What authors see of names and headings: `glossary check` on everyday-word names, an abbreviation shown
once beside a title "Name (ABBR)", and heading ids that stay unique on all/ (every term on one page)."""

from __future__ import annotations

import collections
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from glossary.cli import main
from glossary.pipeline import Project, build
from tests.conftest import CLOUD, commit_all, term_file

MakeProject = Callable[..., Project]


def test_check_lists_each_everyday_word_name_with_counts_and_samples(
        make_project: MakeProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """"Key" (one of the most frequent English words) links only capitalised mid-sentence, "Image" also with
    another term in its sentence; "Pipeline" is not an everyday word and is not listed; a mention kept from
    linking by the span is not counted."""
    monkeypatch.chdir(tmp_path)
    make_project({
        "terms/key.md": term_file("Key", "A value kept secret.", summary="A secret value that unlocks data."),
        "terms/image.md": term_file("Image", "A read-only template.", summary="A file system for containers."),
        "terms/container.md": term_file("Container", "A Container runs from an image. The image quality on screen "
                                        "was poor.", summary="A process with its own file system."),
        "terms/vault.md": term_file("Vault", "The key difference is price. A vault keeps every Key it is given.\n\n"
                                    "## Later\n\nAnother Key, and a <span class=\"no-autolink\">Key</span>.",
                                    summary="A store of secrets."),
        "terms/pipeline.md": term_file("Pipeline", "It builds the code.", summary="Steps that ship code."),
    })
    commit_all(tmp_path, "2026-03-12T10:00:00+00:00")
    assert main(["check", "--jobs", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Checked 5 terms in ")
    assert out[1:] == [
        "Names that are everyday words link only with evidence (set autolink: always or false on the term "
        "to decide):",
        "  Image (content/terms/image.md): links 1 of 2 mentions",
        '    linked: "A Container runs from an image." (content/terms/container.md)',
        '    not linked: "The image quality on screen was poor." (content/terms/container.md)',
        "  Key (content/terms/key.md): links 2 of 3 mentions",
        '    linked: "A vault keeps every Key it is given." (content/terms/vault.md)',
        '    linked: "Another Key, and a Key." (content/terms/vault.md)',
    ]


def test_an_abbreviation_in_the_title_is_not_shown_again(make_project: MakeProject) -> None:
    cdn = term_file("Content Delivery Network (CDN)", "Servers near readers.", aliases="[CDN, edge network]",
                    summary="Caching servers close to readers.", category="Process")
    project = make_project({"terms/content-delivery-network.md": cdn,
                            "terms/latency.md": term_file("Latency", "Delay.", aliases="[LAT]",
                                                          category="Process")})
    build(project)
    site = project.out
    term = (site / "terms/content-delivery-network/index.html").read_text()
    assert "<title>Content Delivery Network (CDN) (edge network) · Test Glossary</title>" in term
    assert '<p class="aliases">Also: edge network</p>' in term
    for page in ("index.html", "categories/process/index.html"):
        html = (site / page).read_text()
        assert re.findall(r'<span class="aliases">[^<]*</span>', html) == [
            '<span class="aliases">(edge network)</span>', '<span class="aliases">(LAT)</span>'], page
    assert re.findall(r'<p class="aliases">[^<]*</p>', (site / "all/index.html").read_text()) == [
        '<p class="aliases">Also: edge network</p>', '<p class="aliases">Also: LAT</p>']
    assert "<title>Latency (LAT) · Test Glossary</title>" in (site / "terms/latency/index.html").read_text()


SEE_ALSO = "Text with a note[^1].\n\n## See also\n\nBack [up](#see-also).\n\n[^1]: The note."


def test_heading_ids_on_all_are_prefixed_by_their_term(make_project: MakeProject) -> None:
    """Each term's ids (headings, footnotes) get its slug in front on all/, and its own '#' links follow;
    a link to another term's heading goes to that term's page."""
    project = make_project({
        "terms/churn.md": term_file("Churn", SEE_ALSO + "\n\nSee [lead's list](lead.md#see-also)."),
        "terms/lead.md": term_file("Lead", SEE_ALSO),
    })
    build(project)
    html = (project.out / "all/index.html").read_text()
    assert re.findall(r'<h2 id="[^"]+">See also</h2>', html) == [
        '<h2 id="churn--see-also">See also</h2>', '<h2 id="lead--see-also">See also</h2>']
    definitions = "".join(re.findall(r'<div class="definition">.*?</article>', html, re.DOTALL))
    assert re.findall(r'<a [^>]*href="[^"]*#[^"]+"[^>]*>', definitions) == [
        '<a href="#churn--fn1" id="churn--fnref1">', '<a href="#churn--see-also">',
        '<a class="term-link" href="../terms/lead/index.html#see-also">',
        '<a href="#churn--fnref1" class="footnote-backref" aria-label="Back to the text">',
        '<a href="#lead--fn1" id="lead--fnref1">', '<a href="#lead--see-also">',
        '<a href="#lead--fnref1" class="footnote-backref" aria-label="Back to the text">']
    term = (project.out / "terms/lead/index.html").read_text()
    assert '<h2 id="see-also">See also</h2>' in term and '<a href="#see-also">up</a>' in term


def test_the_cloud_glossary_has_no_duplicate_id_on_all(tmp_path: Path) -> None:
    build(Project(content=CLOUD, out=tmp_path / "_site", strict=True))
    html = (tmp_path / "_site/all/index.html").read_text()
    ids = collections.Counter(re.findall(r'\sid="([^"]+)"', html))
    assert len(ids) > 150
    assert [i for i, n in ids.items() if n > 1] == []
    assert [h for h in re.findall(r'href="#([^"]+)"', html) if h not in ids] == []

