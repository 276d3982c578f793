"""Property tests: whatever the content, a build either succeeds or fails with BuildError
(a list of `path:line: message`), never with another exception, and writes valid UTF-8."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from glossary.pipeline import Project, build
from glossary.problems import BuildError

TEXT_SUFFIXES = (".html", ".js", ".json", ".xml", ".txt", "_redirects", ".css", ".svg")
SLUGS = ["churn-rate", "lead", "arr", "404", "index", "x"]
SITE_YAML = "title: Props\nbase_url: https://example.com/\ncategories: [Metrics, Process]\n"
PUNCTUATION = [*"*_[]()#>-+`|\\!<&:;'\"{}~=.\t\r", "\u00a0", "\u2028", "\x00", "\x02", "\x85", "\ue000", "\ufeff",
               "\ufffe", "é", "&amp;", "<script>", "](", "---", "\n---\n", "```", "<!--"]
FAST = settings(max_examples=40, deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])

# Random Unicode (minus surrogates, which no UTF-8 file can hold), mixed with Markdown punctuation.
words = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
good_words = words.filter(lambda w: any(c.isalnum() for c in w))
snippets = st.one_of(words, st.sampled_from(PUNCTUATION), st.sampled_from([" ", "\n", "\n\n", "    "]),
                     st.just("[the first term](churn-rate.md)"),
                     st.builds(lambda w, n: w * n, good_words, st.integers(50, 300)))  # long lines
yamlish = st.lists(snippets, max_size=4).map("".join)


@st.composite
def nested(draw: st.DrawFn) -> str:
    """Lists, quotes, code and HTML nested up to 40 levels deep."""
    depth = draw(st.integers(1, 40))
    markers = draw(st.lists(st.sampled_from(["- ", "* ", "1. ", "> ", "    ", "```\n", "| a |", "<div>", "**"]),
                            min_size=depth, max_size=depth))
    text = draw(words)
    return "\n".join("".join(markers[: i + 1]) + text for i in range(depth))


bodies = st.lists(st.one_of(snippets, nested()), min_size=1, max_size=25).map("".join)


@st.composite
def good_term(draw: st.DrawFn, index: int) -> str:
    """A term whose front matter is right: only the names and body are random."""
    values: dict[str, object] = {"title": f"{draw(good_words)} {index}"}
    if draw(st.booleans()):
        values["aliases"] = draw(st.lists(good_words, max_size=2))
    if draw(st.booleans()):
        values["summary"] = draw(words)
    if draw(st.booleans()):
        values["category"] = draw(st.sampled_from(["Metrics", "Process"]))
    if index:
        values["related"] = draw(st.lists(st.sampled_from(SLUGS[:index]), max_size=2, unique=True))
    return "---\n" + yaml.safe_dump(values, allow_unicode=draw(st.booleans())) + "---\n" + draw(bodies)


@st.composite
def any_term(draw: st.DrawFn) -> str:
    """Front matter that may be anything: wrong types, unknown keys, YAML-ish text."""
    value = st.one_of(words, good_words, st.integers(), st.booleans(), st.none(), st.lists(words, max_size=3),
                      st.dictionaries(words, words, max_size=2))
    keys = st.sampled_from(["title", "aliases", "summary", "category", "related", "previous_slugs", "autolink",
                            "sumary", "", "title "])
    if draw(st.booleans()):
        front = yaml.safe_dump(draw(st.dictionaries(keys, value, max_size=5)), allow_unicode=draw(st.booleans()))
    else:
        front = "\n".join(draw(st.lists(st.one_of(st.builds("{}: {}".format, keys, yamlish), yamlish), max_size=5)))
    body = draw(bodies) + draw(st.sampled_from(["", "[a](missing.md)", "[b](lead.md#part)"]))
    text = draw(st.sampled_from(["---\n", "", "---\r\n", "\ufeff---\n"])) + front + "\n---\n" + body
    if draw(st.booleans()):
        text = text.replace("\n", draw(st.sampled_from(["\r\n", "\r"])))
    return text


@st.composite
def good_projects(draw: st.DrawFn) -> dict[str, str]:
    count = draw(st.integers(1, 4))
    return {SLUGS[i]: draw(good_term(i)) for i in range(count)}


@st.composite
def any_projects(draw: st.DrawFn) -> dict[str, str]:
    files = draw(good_projects())
    names = st.sampled_from([*SLUGS, "Bad Name", "a_b", "ÉTÉ"])
    return files | draw(st.dictionaries(names, any_term(), max_size=2))


site_yamls = st.one_of(
    st.just(SITE_YAML),
    st.builds(lambda t, html: yaml.safe_dump({"title": t, "base_url": "https://example.com/", "allow_html": html}),
              words, st.booleans()),
    yamlish,
)


def build_files(files: dict[str, str], site_yaml: str = SITE_YAML) -> tuple[dict[str, bytes], list[str]]:
    """(output files, []) or ({}, the errors' messages) for a project with these term files."""
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        (content / "terms").mkdir(parents=True)
        (content / "site.yaml").write_text(site_yaml, encoding="utf-8")
        for slug, text in files.items():
            (content / "terms" / f"{slug}.md").write_text(text, encoding="utf-8")
        try:
            return build(Project(content=content, out=Path(tmp) / "_site"), write=False).files, []
        except BuildError as exc:
            assert exc.problems
            for problem in exc.problems:
                assert "\n" not in str(problem), "a problem must fit on one line"
            return {}, [p.message for p in exc.problems if not p.warning]


def assert_clean_outputs(outputs: dict[str, bytes]) -> None:
    for path, data in outputs.items():
        if path.endswith(TEXT_SUFFIXES):
            text = data.decode("utf-8")  # raises if not UTF-8
            assert "\ue000" not in text, f"{path}: the internal root marker leaked into the output"


@FAST
@given(files=any_projects(), site_yaml=site_yamls)
@example(  # a link to a file that failed to load, found by Hypothesis
    files={"churn-rate": "---\n\n---\n", "lead": "---\nrelated: []\ntitle: 0 1\n---\n[the first term](churn-rate.md)"},
    site_yaml="title: Props\nbase_url: https://example.com/\ncategories: [Metrics, Process]\n",
)
def test_any_content_builds_or_fails_cleanly(files: dict[str, str], site_yaml: str) -> None:
    outputs, _problems = build_files(files, site_yaml)
    assert_clean_outputs(outputs)


# Problems a project with correct front matter can still have: random names can collide.
NAME_CLASHES = ("is already", "is listed twice", "would redirect")


@settings(FAST, max_examples=50)
@given(files=good_projects())
def test_any_names_and_markdown_build(files: dict[str, str]) -> None:
    outputs, problems = build_files(files)
    assert all(any(clash in m for clash in NAME_CLASHES) for m in problems), problems
    assert_clean_outputs(outputs)
    for slug in files if outputs else ():
        assert outputs[f"terms/{slug}/index.html"].decode().count("<html") == 1


@settings(FAST, max_examples=15)
@given(depth=st.integers(60, 400), marker=st.sampled_from(["- ", "1. ", "> ", "> - ", "    ", "* > "]),
       one_line=st.booleans())
def test_deep_nesting_builds_or_fails_cleanly(depth: int, marker: str, one_line: bool) -> None:
    """Python-Markdown recurses per level: very deep nesting is an error, not a RecursionError."""
    lines = [marker * depth + "x"] if one_line else [marker * i + "x" for i in range(depth)]
    outputs, problems = build_files({"x": "---\ntitle: Deep\n---\n" + "\n".join(lines) + "\n"})
    assert outputs or all("levels deep" in m for m in problems), problems


def test_front_matter_keeps_the_words_the_author_typed() -> None:
    """YAML 1.1 would read these as numbers, dates and booleans; a glossary keeps them as text."""
    from glossary.frontmatter import parse

    parsed = parse("---\ntitle: No\naliases: [0x1A, 2024-01-01, 1e3, yes]\nreviewed: 2026-03-12\nautolink: false\n"
                   "categories:\n  - Metrics\n  - Pipeline & Process\n---\nBody\n")
    assert parsed.meta == {"title": "No", "aliases": ["0x1A", "2024-01-01", "1e3", "yes"], "reviewed": "2026-03-12",
                           "autolink": False, "categories": ["Metrics", "Pipeline & Process"]}
    assert parsed.lines == {"title": 2, "aliases": 3, "reviewed": 4, "autolink": 5, "categories": 6}
    assert (parsed.body, parsed.body_line) == ("Body\n", 10)


def test_a_hint_stays_on_one_line_for_a_multi_line_value() -> None:
    """Found by Hypothesis: a block scalar where a list belongs put its line breaks into the hint."""
    from glossary.load import type_problem

    assert type_problem("aliases", "ARR\nRun rate\n", list) == (
        "'aliases' must be a list, not 'ARR\\nRun rate\\n'", "write 'aliases: [ARR Run rate]'")
