"""Link stage: Markdown -> HTML for every term, with auto-links and checked explicit links.

markdown-it-py parses each body into a token stream; auto-links are inserted into that stream
(never into HTML text), so headings, code and existing links are easy to leave alone. Links are
recorded while rendering and turned into `links_to` / `linked_from`.

markdown-it-py rather than Python-Markdown: on the benchmark's bodies it parses and renders 3.6x
faster (0.15 ms against 0.54 ms a term), which the build's time targets cannot do without, and it
follows CommonMark, the dialect authors know from elsewhere.
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .autolink import Matcher
from .model import MAX_NESTING, Glossary, Term, slugify
from .parallel import Runner
from .problems import Problem, did_you_mean
from .urls import definition_href

HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
RESERVED_ANCHORS = ("top", "main", "definition")  # ids the term page itself uses
TERM_LINK_RE = re.compile(r"^(?:\./)?([^/#?]+)\.md(#[\w-]+)?$")
SAFE_URL_RE = re.compile(r"^(?:https?:|mailto:|#|/|\.|[^:/?#]*(?:[/?#]|$))", re.IGNORECASE)


@dataclasses.dataclass
class _PageState:
    """What rendering learns about the term being rendered."""

    slug: str = ""
    links: list[str] = dataclasses.field(default_factory=list)
    bad_links: list[str] = dataclasses.field(default_factory=list)
    headings: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    text: str = ""


def make_markdown(allow_html: bool) -> MarkdownIt:
    options = {"html": allow_html, "xhtmlOut": False, "maxNesting": MAX_NESTING + 1}
    md = MarkdownIt("commonmark", options).enable("table")
    # Every URL is parsed as a link; _check_url then drops the unsafe ones (javascript:, data: ...)
    # from the attribute, rather than leaving markdown-it to print the whole link as text.
    md.validateLink = lambda _url: True
    md.add_render_rule("text", _render_text)
    return md


def _render_text(_renderer: object, tokens: list[Token], idx: int, _options: object, _env: object) -> str:
    """Text needs only &, < and > escaped; quotes stay quotes (smaller pages, easier to read)."""
    return html.escape(tokens[idx].content, quote=False)


def plain_text(children: list[Token]) -> str:
    """The text an inline token shows (what a reader sees, without markup)."""
    parts = []
    for tok in children:
        if tok.type in ("text", "code_inline"):
            parts.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)


def joined_text(children: list[Token]) -> list[Token]:
    """Line breaks inside a paragraph become text, and neighbouring text one token, so a name
    written across two source lines ("Sales Qualified\\nLead") is still found."""
    out: list[Token] = []
    for tok in children:
        if tok.type == "softbreak":
            tok = Token("text", "", 0, content="\n")
        if tok.type == "text" and out and out[-1].type == "text":
            out[-1] = Token("text", "", 0, content=out[-1].content + tok.content)
        else:
            out.append(tok)
    return out


@dataclasses.dataclass(frozen=True)
class LinkContext:
    """What every definition is rendered against: the names terms can be linked by, and the slugs
    an explicit link may name (including files that failed to load, which are not errors twice)."""

    names: tuple[tuple[str, str], ...]  # (name, slug)
    slugs: frozenset[str]
    allow_html: bool = False

    @classmethod
    def of(cls, glossary: Glossary) -> LinkContext:
        names = tuple((name, t.slug) for t in glossary.terms if t.autolink != "off" for name in t.names)
        return cls(names, frozenset(glossary.by_slug) | glossary.unloaded, glossary.settings.allow_html)


@dataclasses.dataclass(frozen=True)
class Definition:
    """One term's rendered body and what rendering learned about it."""

    html: str
    text: str
    headings: tuple[tuple[str, str], ...]
    links: tuple[str, ...]
    bad_links: tuple[str, ...]


class Renderer:
    """One markdown-it instance and one matcher for all terms."""

    def __init__(self, context: LinkContext) -> None:
        self.md = make_markdown(context.allow_html)
        self.matcher = Matcher(dict(context.names))
        self.slugs = context.slugs

    def render(self, term: Term) -> tuple[str, _PageState]:
        state = _PageState(slug=term.slug)
        tokens = self.md.parse(term.body)
        self._headings(tokens, state)
        inlines = [(tok, tokens[i - 1].tag in HEADING_TAGS) for i, tok in enumerate(tokens) if tok.children]
        for tok, _heading in inlines:  # explicit links first: a term the author links is not auto-linked too
            self._explicit_links(tok.children or [], state)
        blocks: list[str] = []
        for tok in tokens:
            if tok.level == 0 and tok.nesting >= 0:
                blocks.append("")  # a new top-level block starts
            if tok.type in ("code_block", "fence"):
                blocks[-1] += tok.content
            elif tok.children:
                blocks[-1] += plain_text(tok.children)
        for tok, heading in inlines:
            if not heading:
                tok.children = self._autolink(tok.children or [], state)
        state.text = "\n\n".join(text for b in blocks if (text := " ".join(b.split())))
        # Blocks end with a newline; the template puts its own after the definition.
        return self.md.renderer.render(tokens, self.md.options, {}).rstrip("\n"), state

    def _headings(self, tokens: list[Token], state: _PageState) -> None:
        seen: set[str] = set()
        for i, tok in enumerate(tokens):
            if tok.type == "heading_open":
                text = plain_text(tokens[i + 1].children or [])
                base = slugify(text) or "section"
                anchor, n = base, 1
                while anchor in seen or anchor in RESERVED_ANCHORS:
                    n += 1
                    anchor = f"{base}-{n}"
                seen.add(anchor)
                tok.attrSet("id", anchor)
                state.headings.append((anchor, text))

    def _explicit_links(self, children: list[Token], state: _PageState) -> None:
        for tok in children:
            if tok.type == "link_open":
                self._check_url(tok, "href", state)
            elif tok.type == "image":
                self._check_url(tok, "src", state)

    def _autolink(self, children: list[Token], state: _PageState) -> list[Token]:
        """Adds links to the text outside links."""
        out: list[Token] = []
        in_link = 0
        for tok in joined_text(children):
            if tok.type == "link_open":
                in_link += 1
            elif tok.type == "link_close":
                in_link -= 1
            elif tok.type == "text" and not in_link:
                out.extend(self._split(tok, state))
                continue
            out.append(tok)
        return out

    def _check_url(self, tok: Token, attr: str, state: _PageState) -> None:
        tok.attrs = dict(sorted(tok.attrs.items()))  # attributes in name order, as on every link we make
        url = str(tok.attrGet(attr) or "")
        if not url:
            return
        if not SAFE_URL_RE.match(url.strip()):
            del tok.attrs[attr]  # javascript:, data: and friends never reach the page
        elif match := TERM_LINK_RE.match(url):
            slug, anchor = match[1], match[2] or ""
            if slug in self.slugs:
                tok.attrs = {"class": "term-link", **tok.attrs, attr: definition_href(slug) + anchor}
                _record(state, slug)
            else:
                state.bad_links.append(url)

    def _split(self, tok: Token, state: _PageState) -> list[Token]:
        """The text token, or if it mentions other terms, one token of HTML with a link around the
        first mention of each (one token rather than five a link: fewer objects, less rendering)."""
        text, parts, pos = tok.content, list[str](), 0
        for m in self.matcher.find(text):
            if m.slug == state.slug or m.slug in state.links:
                continue
            _record(state, m.slug)
            parts += [html.escape(text[pos:m.start], quote=False), '<a class="term-link" href="',
                      definition_href(m.slug), '">', html.escape(text[m.start:m.end], quote=False), "</a>"]
            pos = m.end
        if not parts:
            return [tok]
        parts.append(html.escape(text[pos:], quote=False))
        return [Token("html_inline", "", 0, content="".join(parts))]


def _record(state: _PageState, slug: str) -> None:
    if slug != state.slug and slug not in state.links:
        state.links.append(slug)


def render_definitions(context: LinkContext, terms: Sequence[Term]) -> list[Definition]:
    """Each term's definition, linked against the whole glossary (a batch for parallel.Runner)."""
    renderer = Renderer(context)
    return [definition(*renderer.render(term)) for term in terms]


def definition(html_text: str, state: _PageState) -> Definition:
    return Definition(html_text, state.text, tuple(state.headings), tuple(state.links), tuple(state.bad_links))


def link(glossary: Glossary, runner: Runner) -> tuple[Glossary, list[Problem]]:
    """Every term with its rendered definition and its links both ways; broken explicit links are problems."""
    definitions = runner.map(render_definitions, LinkContext.of(glossary), glossary.terms)
    rendered = dict(zip([t.slug for t in glossary.terms], definitions, strict=True))
    problems = [link_problem(term, url, set(glossary.by_slug))
                for term in glossary.terms for url in rendered[term.slug].bad_links]
    linked_from: dict[str, list[str]] = {t.slug: [] for t in glossary.terms}
    for term in glossary.terms:
        for target in rendered[term.slug].links:
            if target in linked_from:  # not when it names a file that failed to load
                linked_from[target].append(term.slug)
    terms = tuple(
        dataclasses.replace(t, html=d.html, text=d.text, headings=d.headings, links_to=d.links,
                            linked_from=tuple(linked_from[t.slug]))
        for t, d in ((t, rendered[t.slug]) for t in glossary.terms)
    )
    return dataclasses.replace(glossary, terms=terms), problems


def link_problem(term: Term, url: str, slugs: set[str]) -> Problem:
    """Locate the broken link in the source."""
    at = term.body.find(f"]({url}")
    line = term.body_line + (term.body.count("\n", 0, at) if at >= 0 else 0)
    hint = did_you_mean(TERM_LINK_RE.match(url)[1], slugs, ".md") if TERM_LINK_RE.match(url) else ""
    return Problem(term.source, line, f"link to '{url}': no such term", hint)
