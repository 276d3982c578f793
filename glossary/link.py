"""Link stage: Markdown -> HTML for every term, with auto-links and checked explicit links.

All matching happens on Python-Markdown's element tree (never on HTML text), so headings,
code and existing links are easy to leave alone. Links are recorded while rendering and
turned into `links_to` / `linked_from`.
"""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as etree

import markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from .autolink import Matcher
from .background import Background
from .model import Glossary, Term, slugify
from .problems import Problem, did_you_mean
from .urls import ROOT, term_path

SKIP_TAGS = {"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "script", "style", "kbd", "samp"}
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
TERM_LINK_RE = re.compile(r"^(?:\./)?([^/#?]+)\.md(#[\w-]+)?$")
SAFE_URL_RE = re.compile(r"^(?:https?:|mailto:|#|/|\.|[^:/?#]*(?:[/?#]|$))", re.IGNORECASE)
PLACEHOLDER_RE = re.compile("\x02(?:wzxhzdk:\\d+|(\\d+))\x03")


@dataclasses.dataclass
class _PageState:
    """What the tree processor learns about the term being rendered."""

    slug: str = ""
    links: list[str] = dataclasses.field(default_factory=list)
    bad_links: list[str] = dataclasses.field(default_factory=list)
    headings: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    text: str = ""


class _LinkProcessor(Treeprocessor):
    def __init__(self, md: markdown.Markdown, matcher: Matcher, slugs: set[str]) -> None:
        super().__init__(md)
        self.matcher, self.slugs, self.state = matcher, slugs, _PageState()

    def run(self, root: etree.Element) -> None:
        self._explicit_links(root)
        self._headings(root)
        self._autolink(root)
        blocks = ("".join(block.itertext()) for block in root)
        text = "\n\n".join(" ".join(b.split()) for b in blocks)
        self.state.text = PLACEHOLDER_RE.sub(lambda m: chr(int(m[1])) if m[1] else "", text).strip()

    def _explicit_links(self, root: etree.Element) -> None:
        for el in root.iter():
            attr = {"a": "href", "img": "src"}.get(el.tag)
            url = el.get(attr, "") if attr else ""
            if not url:
                continue
            if not SAFE_URL_RE.match(url.strip()):
                del el.attrib[attr]  # javascript:, data: and friends never reach the page
            elif match := TERM_LINK_RE.match(url):
                slug, anchor = match[1], match[2] or ""
                if slug in self.slugs:
                    el.set(attr, ROOT + term_path(slug) + anchor)
                    el.set("class", "term-link")
                    self._record(slug)
                else:
                    self.state.bad_links.append(url)

    def _headings(self, root: etree.Element) -> None:
        seen: set[str] = set()
        for el in root.iter():
            if el.tag in HEADING_TAGS:
                text = "".join(el.itertext())
                base = slugify(text) or "section"
                anchor, n = base, 1
                while anchor in seen or anchor in ("top", "main", "definition"):
                    n += 1
                    anchor = f"{base}-{n}"
                seen.add(anchor)
                el.set("id", anchor)
                self.state.headings.append((anchor, text))

    def _autolink(self, el: etree.Element) -> None:
        if el.tag in SKIP_TAGS:
            return
        if el.text and not isinstance(el.text, AtomicString):
            el.text, anchors = self._split(el.text)
            for i, a in enumerate(anchors):
                el.insert(i, a)
        for child in list(el):
            self._autolink(child)
            if child.tail and not isinstance(child.tail, AtomicString):
                child.tail, anchors = self._split(child.tail)
                at = list(el).index(child) + 1
                for i, a in enumerate(anchors):
                    el.insert(at + i, a)

    def _split(self, text: str) -> tuple[str, list[etree.Element]]:
        """Text before the first new link, and the new <a> elements (each carrying its tail)."""
        anchors: list[etree.Element] = []
        head, pos = text, 0
        for m in self.matcher.find(text):
            if m.slug == self.state.slug or m.slug in self.state.links:
                continue
            self._record(m.slug)
            a = etree.Element("a", {"href": ROOT + term_path(m.slug), "class": "term-link"})
            a.text = text[m.start:m.end]
            if anchors:
                anchors[-1].tail = text[pos:m.start]
            else:
                head = text[:m.start]
            anchors.append(a)
            pos = m.end
        if anchors:
            anchors[-1].tail = text[pos:]
        return head, anchors

    def _record(self, slug: str) -> None:
        if slug != self.state.slug and slug not in self.state.links:
            self.state.links.append(slug)


class Renderer:
    """One reused Markdown instance for all terms (a fresh one per body is much slower)."""

    def __init__(self, glossary: Glossary) -> None:
        names = {name: t.slug for t in glossary.terms if t.autolink for name in t.names}
        self.md = markdown.Markdown(extensions=["tables", "sane_lists", "fenced_code"], output_format="html")
        if not glossary.settings.allow_html:
            # Without these, raw HTML is treated as text and escaped on output.
            self.md.preprocessors.deregister("html_block")
            self.md.inlinePatterns.deregister("html")
        self.processor = _LinkProcessor(self.md, Matcher(names), set(glossary.by_slug) | glossary.unloaded)
        self.md.treeprocessors.register(self.processor, "glossary_links", 15)

    def render(self, term: Term) -> tuple[str, _PageState]:
        self.processor.state = _PageState(slug=term.slug)
        self.md.reset()
        html = self.md.convert(term.body)
        return html, self.processor.state


# Below this many terms a second process costs more than it saves.
PARALLEL_FROM = 300


Rendered = dict[str, tuple[str, _PageState]]


def render_share(glossary: Glossary, terms: tuple[Term, ...], start: int, step: int) -> Rendered:
    """Render every `step`-th of `terms` from `start` (one process's share), linking to the whole glossary."""
    renderer = Renderer(glossary)
    return {t.slug: renderer.render(t) for t in terms[start::step]}


def render_all(glossary: Glossary, terms: tuple[Term, ...] | None = None) -> Rendered:
    """Markdown is most of a build's time: half the terms render on the other core."""
    terms = glossary.terms if terms is None else terms
    if len(terms) < PARALLEL_FROM:
        return render_share(glossary, terms, 0, 1)
    other = Background(render_share, glossary, terms, 1, 2)
    try:
        mine = render_share(glossary, terms, 0, 2)
        return mine | other.result()
    finally:
        other.close()


class RenderCache:
    """Rendered definitions kept between the dev server's rebuilds.

    A definition's HTML depends on its own slug and body and on what every term can be linked
    by; while the latter is unchanged, a term whose body is unchanged is not rendered again.
    """

    def __init__(self) -> None:
        self.context: tuple[object, ...] = ()
        self.entries: dict[tuple[str, str], tuple[str, _PageState]] = {}

    def render(self, glossary: Glossary) -> Rendered:
        context = (glossary.settings.allow_html, glossary.unloaded,
                   tuple((t.slug, t.names, t.autolink) for t in glossary.terms))
        if context != self.context:
            self.context, self.entries = context, {}
        missing = [t for t in glossary.terms if (t.slug, t.body) not in self.entries]
        fresh = render_all(glossary, tuple(missing)) if missing else {}
        for term in missing:
            self.entries[(term.slug, term.body)] = fresh[term.slug]
        live = {(t.slug, t.body) for t in glossary.terms}
        self.entries = {key: value for key, value in self.entries.items() if key in live}
        return {t.slug: self.entries[(t.slug, t.body)] for t in glossary.terms}


def link(glossary: Glossary, problems: list[Problem], cache: RenderCache | None = None) -> Glossary:
    rendered = cache.render(glossary) if cache else render_all(glossary)
    linked_from: dict[str, list[str]] = {t.slug: [] for t in glossary.terms}
    for term in glossary.terms:
        state = rendered[term.slug][1]
        for url in state.bad_links:
            problems.append(link_problem(term, url, set(glossary.by_slug)))
        for target in state.links:
            if target in linked_from:  # not when it names a file that failed to load
                linked_from[target].append(term.slug)
    terms = tuple(
        dataclasses.replace(
            t,
            html=rendered[t.slug][0],
            text=rendered[t.slug][1].text,
            headings=tuple(rendered[t.slug][1].headings),
            links_to=tuple(rendered[t.slug][1].links),
            linked_from=tuple(linked_from[t.slug]),
        )
        for t in glossary.terms
    )
    return dataclasses.replace(glossary, terms=terms)


def link_problem(term: Term, url: str, slugs: set[str]) -> Problem:
    """Locate the broken link in the source (Python-Markdown keeps no line numbers)."""
    at = term.body.find(f"]({url}")
    line = term.body_line + (term.body.count("\n", 0, at) if at >= 0 else 0)
    hint = did_you_mean(TERM_LINK_RE.match(url)[1], slugs, ".md") if TERM_LINK_RE.match(url) else ""
    return Problem(term.source, line, f"link to '{url}': no such term", hint)
