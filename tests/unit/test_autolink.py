"""The auto-linking matcher: whole words, longest match, case rules, plurals, possessives."""

from glossary.autolink import Matcher, singular_forms

NAMES = {
    "Lead": "lead", "Sales Qualified Lead": "sql", "SQL": "sql", "Annual Recurring Revenue": "arr",
    "ARR": "arr", "Opportunity": "opportunity", "CRM": "crm", "Cross-Selling": "cross-selling", "B2B": "b2b",
    "Process": "process",
}


def found(text: str) -> list[tuple[str, str]]:
    return [(text[m.start:m.end], m.slug) for m in Matcher(NAMES).find(text)]


def test_longest_match_wins() -> None:
    assert found("Every Sales Qualified Lead was once a lead.") == [("Sales Qualified Lead", "sql"), ("lead", "lead")]


def test_whole_words_only() -> None:
    assert found("Leadership, misleading, ARRAY and processing") == []


def test_case_insensitive_except_abbreviations() -> None:
    assert found("arr is not ARR; LEAD and lead are") == [("ARR", "arr"), ("LEAD", "lead"), ("lead", "lead")]


def test_plurals_and_possessives() -> None:
    assert found("leads, opportunities, the CRM's data, processes, B2Bs") == [
        ("leads", "lead"), ("opportunities", "opportunity"), ("CRM's", "crm"), ("processes", "process"),
        ("B2Bs", "b2b")]


def test_hyphen_or_space_between_words() -> None:
    assert found("cross-selling and cross selling") == [("cross-selling", "cross-selling"),
                                                          ("cross selling", "cross-selling")]


def test_a_name_does_not_run_across_punctuation() -> None:
    assert found("Sales. Qualified") == []


def test_singular_forms() -> None:
    assert singular_forms("opportunities") == ("opportunities", "opportunity", "opportuniti", "opportunitie")
    assert singular_forms("CRM's") == ("CRM's", "CRM")


def test_cost_grows_with_text_not_with_terms() -> None:
    many = {f"Term {i}": f"t{i}" for i in range(20000)}
    text = "term 5 and term 19999 and nothing else " * 50
    matches = Matcher(many).find(text)
    assert [m.slug for m in matches[:2]] == ["t5", "t19999"]
    assert len(matches) == 100


# --------------------------------------------------------------------------- names with punctuation, titles

import csv  # noqa: E402
from pathlib import Path  # noqa: E402

from glossary.autolink import Linker, shown_aliases, term_names, title_names  # noqa: E402

CLOUD = {"Node": "node", "Node.js": "node-js", "HTTP/2": "http-2", "HTTP/3": "http-3", "C++": "cpp", "C": "c",
         "CRI-O": "cri-o", "TCP/IP": "tcp-ip", ".NET": "dotnet", "Chrome": "chrome", "Image": "image",
         "Pod": "pod", "Key": "key", "Service": "service", "Object": "object", "Object Storage": "object-storage"}


def links(text: str, names: dict[str, str] = CLOUD, **options: object) -> list[tuple[str, str]]:
    return [(text[m.start:m.end], m.slug) for m in Linker(names, **options).find(text)]  # type: ignore[arg-type]


def test_names_with_dots_slashes_plus_signs_and_hyphens_match_whole() -> None:
    assert links("It runs on Node.js. HTTP/2 and HTTP/3 over TCP/IP; CRI-O, C++, C and C#; the .NET SDK.") == [
        ("Node.js", "node-js"), ("HTTP/2", "http-2"), ("HTTP/3", "http-3"), ("TCP/IP", "tcp-ip"),
        ("CRI-O", "cri-o"), ("C++", "cpp"), ("C", "c"), (".NET", "dotnet")]


def test_never_inside_urls_addresses_or_file_names() -> None:
    assert links("See https://developer.chrome.com/docs/, ops@pod.example.org, node.config.js, "
                 "config/image.png and ASP.NET.") == []


def test_name_abbr_titles_are_two_names_shown_once() -> None:
    assert title_names("Document Object Model (DOM)") == ("Document Object Model", "DOM")
    assert title_names("Cross-site scripting (XSS)") == ("Cross-site scripting", "XSS")
    assert title_names("Node (DOM)") == ("Node (DOM)",)
    assert term_names("Content Delivery Network (CDN)", ["CDN", "edge network"]) == (
        "Content Delivery Network", "CDN", "edge network")
    assert shown_aliases("Mixed Version Proxy (MVP)", ["MVP", "proxy"]) == ("proxy",)


def test_everyday_words_need_evidence() -> None:
    text = ("A type of attack. The key difference is reach. The server is out of service. An object lesson. "
            "Sign it with the Key. Use a Service to reach each pod. A pod runs on a node.")
    assert links(text) == [("Key", "key"), ("Service", "service"), ("pod", "pod"), ("pod", "pod"),
                           ("node", "node")]


def test_autolink_always_and_related_pages_are_evidence() -> None:
    text = "The key difference is an object lesson."
    # "key" links because the term says always; "object" then has another term in its sentence
    assert links(text, always=frozenset({"key"})) == [("key", "key"), ("object", "object")]
    related = Linker(CLOUD, related={"object": frozenset({"object-storage"})})
    assert [m.slug for m in related.find(text, "object-storage")] == ["object"]
    assert [m.slug for m in Linker(CLOUD).find(text, "object-storage")] == []


# --------------------------------------------------------------------------- precision on judged samples

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "autolink-judged"
REPO = Path(__file__).resolve().parents[2]


def judged(name: str, content: str) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """(rows the generator links, rows judged right that it does not link) of a judged sample."""
    from glossary.link import DefinitionRenderer, LinkContext
    from glossary.load import load
    from glossary.parallel import Runner
    from glossary.validate import validate

    (settings, terms), _ = load(REPO / content, Runner())
    glossary, _ = validate(settings, terms)
    linker = DefinitionRenderer(LinkContext.of(glossary)).linker
    rows = list(csv.DictReader((FIXTURES / name).open(encoding="utf-8"), delimiter="\t"))
    linked, lost = [], []
    for row in rows:
        page = Path(row["term_file"]).stem
        on_page = {m.slug for m in linker.matcher.find(glossary.by_slug[page].body)} if page in glossary.by_slug \
            else set()
        hit = any(row["sentence"][m.start:m.end] == row["linked_text"] and m.slug == row["target"]
                  for m in linker.find(row["sentence"], page, on_page))
        if hit:
            linked.append(row)
        elif row["verdict"] == "right":
            lost.append(row)
    return linked, lost


def test_precision_on_the_sales_glossary_and_no_right_link_lost() -> None:
    linked, lost = judged("sales.tsv", "content")
    right = sum(r["verdict"] == "right" for r in linked)
    assert right / len(linked) >= 0.95
    assert lost == []


def test_precision_on_the_cloud_glossary() -> None:
    linked, _lost = judged("cloud.tsv", "tests/glossaries/cloud/content")
    right = sum(r["verdict"] == "right" for r in linked)
    assert right / len(linked) >= 0.95


# --------------------------------------------------------------------------- the glossary-wide sense pass


class RecordingRunner:
    """A runner that runs everything here and notes which batch functions it was given."""

    def __init__(self) -> None:
        self.ran: list[str] = []

    def map(self, fn, shared, items):  # type: ignore[no-untyped-def]
        self.ran.append(fn.__name__)
        return fn(shared, items)


def context_of(make_project, bodies: dict[str, str]) -> tuple[list[str], frozenset[str]]:  # type: ignore[no-untyped-def]
    """(the batch functions LinkContext.of ran, the slugs it found used in their own sense)."""
    from glossary.link import LinkContext
    from glossary.load import load
    from glossary.validate import validate
    from tests.conftest import term_file

    files = {f"terms/{title.lower().replace(' ', '-')}.md": term_file(title, body) for title, body in bodies.items()}
    project = make_project(files)
    runner = RecordingRunner()
    (settings, terms), _ = load(project.content, runner)  # type: ignore[arg-type]
    glossary, _ = validate(settings, terms)
    runner.ran.clear()
    return runner.ran, LinkContext.of(glossary, runner).always  # type: ignore[arg-type]


def test_no_sense_pass_when_no_name_is_an_everyday_word(make_project) -> None:  # type: ignore[no-untyped-def]
    ran, always = context_of(make_project, {"Sales Qualified Lead": "Counts toward Annual Recurring Revenue.",
                                            "Annual Recurring Revenue": "Grows with each Sales Qualified Lead."})
    assert ran == [] and always == frozenset()


def test_the_sense_pass_runs_for_an_everyday_word(make_project) -> None:  # type: ignore[no-untyped-def]
    # "territory" (zipf 4.6) is an everyday word, "pipeline" (4.0) is not: the one sentence that names the
    # territory also names the pipeline, so the glossary uses "territory" in its own sense: it links everywhere
    ran, always = context_of(make_project, {"Territory": "A region of accounts.",
                                            "Pipeline": "Each territory has a pipeline of its own."})
    assert ran == ["sense_votes"] and always == frozenset({"territory"})


def test_the_small_word_list_gives_the_levels_of_the_large_one() -> None:
    from wordfreq import zipf_frequency

    from glossary.autolink import COMMON, VERY_COMMON, commonness, everyday_levels

    words = ["service", "key", "deal", "territory", "contract", "pipeline", "node", "image", "quota", "kubelet"]
    for word in words:
        zipf = zipf_frequency(word, "en")  # wordfreq's largest English list
        assert commonness(word) == (2 if zipf >= VERY_COMMON else 1 if zipf >= COMMON else 0), word
    assert everyday_levels(["Deal", "Territory", "Pipeline", "Sales Qualified Lead", "ARR", "Deal"]) == {
        "Deal": 2, "Territory": 1}


def test_definitions_render_in_a_worker_without_loading_the_word_list(tmp_path, make_project) -> None:  # type: ignore[no-untyped-def]
    import pickle
    import subprocess
    import sys

    from glossary.link import LinkContext
    from glossary.load import load
    from glossary.parallel import Runner
    from glossary.validate import validate
    from tests.conftest import term_file

    project = make_project({"terms/territory.md": term_file("Territory", "A region of accounts."),
                            "terms/pipeline.md": term_file("Pipeline", "Each territory has a pipeline.")})
    (settings, terms), _ = load(project.content, Runner())
    glossary, _ = validate(settings, terms)
    batch = tmp_path / "batch.pickle"
    batch.write_bytes(pickle.dumps((LinkContext.of(glossary), glossary.terms)))
    code = ("import pickle, sys; from glossary.link import render_definitions; "
            f"done = render_definitions(*pickle.loads(open({str(batch)!r}, 'rb').read())); "
            "print(len(done), 'wordfreq' in sys.modules, [d.html.count('href') for d in done])")
    worker = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # Pipeline's definition links "territory" (an everyday word, with another term in its sentence) by the
    # levels it was sent
    assert worker.stdout.split() == ["2", "False", "[1,", "0]"]
