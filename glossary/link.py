"""Link stage: Markdown -> HTML for every term, with auto-links and checked explicit links.

markdown-it-py parses each body into a token stream; auto-links are inserted into that stream
(never into HTML text), so headings, code and existing links are easy to leave alone. Links are
recorded while rendering and turned into `links_to` / `linked_from`.

markdown-it-py rather than Python-Markdown: it parses and renders several times faster, which the
build's time targets need, and it follows CommonMark, the dialect authors know from elsewhere.
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Sequence
from typing import Any

from markdown_it.token import Token

from .autolink import Linker, Mention, everyday_levels, sentence_of, sentence_spans, term_names, usual_sense
from .markdown import HEADING_TAGS, NO_AUTOLINK_OPEN, TRUSTED_HTML, anchor_key, heading_ids, inline_text, make_markdown
from .markdown import render as render_html
from .model import Glossary, Term, slugify
from .parallel import Runner
from .problems import Problem, count, did_you_mean
from .urls import definition_href, redirect_slugs

PAGE_IDS = ("top", "main", "definition", "related-h", "backlinks-h")  # ids the term page itself uses
RESERVED_ANCHORS = PAGE_IDS
TERM_LINK_RE = re.compile(r"^(?:\./)?([^/#?]+)\.md(?:#([\w-]+))?$")
SITE_TERM_RE = re.compile(r"^/terms/([a-z0-9-]+)/(?:index\.html)?$")  # a term's page, written site-relative
SAFE_URL_RE = re.compile(r"^(?:https?:|mailto:|#|/|\.|[^:/?#]*(?:[/?#]|$))", re.IGNORECASE)
# Inline raw HTML inside which nothing is linked automatically (markdown.py keeps these tags).
NO_LINK_OPEN = (NO_AUTOLINK_OPEN, "<kbd", "<abbr")
NO_LINK_CLOSE = ("</span>", "</kbd>", "</abbr>")
SAFE_HTML_HINT = "allow_html is off; write it in Markdown, or use one of <sub>, <sup>, <kbd>, <abbr>, <br>, <details>"


@dataclasses.dataclass
class _PageState:
    """What rendering learns about the term being rendered."""

    slug: str = ""
    links: list[str] = dataclasses.field(default_factory=list)
    bad_links: list[str] = dataclasses.field(default_factory=list)
    headings: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    text: str = ""
    anchors: list[tuple[str, str, str, int]] = dataclasses.field(default_factory=list)  # slug, id, url, line
    warnings: list[tuple[int, str, str]] = dataclasses.field(default_factory=list)  # line, message, hint
    linked_here: set[str] = dataclasses.field(default_factory=set)  # auto-linked in this part of the page
    made: list[Mention] = dataclasses.field(default_factory=list)  # the mentions auto-linked so far
    uses: list[Use] = dataclasses.field(default_factory=list)  # everyday-word mentions, when collecting


@dataclasses.dataclass(frozen=True)
class Use:
    """One mention of an everyday-word name outside its own page, and whether it was linked."""

    name: str
    slug: str
    linked: bool
    sentence: str
    page: str


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
    always: frozenset[str] = frozenset()  # terms whose everyday-word names link without more evidence
    related: tuple[tuple[str, frozenset[str]], ...] = ()  # slug -> related slugs, both ways
    mode: str = "on"  # site.yaml autolink: on (first mention per section), first-mention (per page), off
    pages: frozenset[str] = frozenset()  # site-relative paths a link may name ("/terms/arr/")
    levels: tuple[tuple[str, int], ...] = ()  # the names that are everyday words, and how common (autolink.commonness)

    @classmethod
    def of(cls, glossary: Glossary, runner: Runner | None = None) -> LinkContext:
        """The context of `glossary`; the glossary-wide sense of everyday words is worked out by `runner`."""
        terms = [t for t in glossary.terms if t.autolink != "off"]
        names = tuple((name, t.slug) for t in terms for name in term_names(t.title, t.aliases))
        related: dict[str, set[str]] = {t.slug: set(t.related) for t in glossary.terms}
        for term in glossary.terms:
            for other in term.related:
                related.setdefault(other, set()).add(term.slug)
        frozen = tuple(sorted((slug, frozenset(others)) for slug, others in related.items()))
        always = frozenset(t.slug for t in terms if t.autolink == "always")
        levels = tuple(sorted(everyday_levels(name for name, _slug in names).items()))
        if any(level == 1 for _name, level in levels):  # only everyday-word names have a sense to vote on
            pages = [(t.slug, t.body) for t in glossary.terms]
            votes = (runner or Runner()).map(sense_votes, (names, always, frozen, levels), pages)
            always |= usual_sense(vote for page in votes for vote in page)
        return cls(names, frozenset(glossary.by_slug) | glossary.unloaded, glossary.settings.allow_html, always,
                   frozen, glossary.settings.autolink, site_pages(glossary), levels)


def sense_votes(linker: tuple[tuple[tuple[str, str], ...], frozenset[str], tuple[tuple[str, frozenset[str]], ...],
                             tuple[tuple[str, int], ...]],
                pages: Sequence[tuple[str, str]]) -> list[list[tuple[str, bool]]]:
    """Linker.sense_votes of each (slug, body) (a batch for parallel.Runner)."""
    names, always, related, levels = linker
    one = Linker(dict(names), always, dict(related), dict(levels))
    return [one.sense_votes(page, body) for page, body in pages]


def site_pages(glossary: Glossary) -> frozenset[str]:
    """The site-relative addresses of the glossary's pages, as a link in a definition may write them."""
    paths = ["", "search/", "all/", "categories/"]
    paths += [f"terms/{slug}/" for t in glossary.terms for slug in (t.slug, *redirect_slugs(t))]
    categories = {*glossary.settings.categories, *(t.category for t in glossary.terms if t.category)}
    paths += [f"categories/{slugify(c)}/" for c in categories]
    return frozenset(p for path in paths for p in (f"/{path}", f"/{path}index.html"))


@dataclasses.dataclass(frozen=True)
class Definition:
    """One term's rendered body and what rendering learned about it."""

    html: str
    text: str
    headings: tuple[tuple[str, str], ...]
    links: tuple[str, ...]
    bad_links: tuple[str, ...]
    anchors: tuple[tuple[str, str, str, int], ...] = ()
    warnings: tuple[tuple[int, str, str], ...] = ()


class DefinitionRenderer:
    """One markdown-it instance and one linker for all terms."""

    def __init__(self, context: LinkContext, collect: bool = False) -> None:
        """`collect`: also note every mention of an everyday-word name (for `glossary check`)."""
        self.collect = collect
        self.md = make_markdown(context.allow_html)
        self.linker = Linker(dict(context.names), context.always, dict(context.related), dict(context.levels))
        self.slugs = context.slugs
        self.mode = context.mode
        self.pages = context.pages

    def render(self, term: Term) -> tuple[str, _PageState]:
        state = _PageState(slug=term.slug)
        env: dict[str, Any] = {}
        tokens = self.md.parse(term.body, env)
        state.headings = heading_ids(tokens, RESERVED_ANCHORS)
        inlines = [(tok, tokens[i - 1].tag in HEADING_TAGS) for i, tok in enumerate(tokens) if tok.children]
        for tok, _heading in inlines:  # explicit links first: a term the author links is not auto-linked too
            self._explicit_links(tok.children or [], state, term.body_line + (tok.map[0] if tok.map else 0))
        blocks: list[str] = []
        for tok in tokens:
            if tok.level == 0 and tok.nesting >= 0:
                blocks.append("")  # a new top-level block starts
            if tok.type in ("code_block", "fence"):
                blocks[-1] += tok.content
            elif tok.children:
                blocks[-1] += inline_text(tok.children)
        drop_repeated_summary(tokens, term.summary)  # the text keeps it: search and the API show it once
        kept = {id(tok) for tok in tokens}
        inlines = [(tok, heading) for tok, heading in inlines if id(tok) in kept]
        if self.mode != "off":
            self._autolink_all(inlines, state)
        state.text = "\n\n".join(text for b in blocks if (text := " ".join(b.split())))
        html_text = render_html(self.md, tokens, env)
        self._escaped_html(term, env, state)
        # Blocks end with a newline; the template puts its own after the definition.
        return html_text.rstrip("\n"), state

    def _autolink_all(self, inlines: list[tuple[Token, bool]], state: _PageState) -> None:
        """Mentions found everywhere first (the page's topic is evidence for everyday words), then linked."""
        texts = [(tok, joined_text(tok.children or [])) for tok, heading in inlines if not heading]
        found = {id(t): self.linker.matcher.find(t.content) for _tok, children in texts
                 for t in children if t.type == "text"}
        on_page = {m.slug for mentions in found.values() for m in mentions} | set(state.links)
        plain = {id(tok): children for tok, children in texts}
        for tok, heading in inlines:
            if heading:
                if self.mode == "on":
                    state.linked_here = set()  # each section links its own first mentions
                continue
            tok.children = self._autolink(plain[id(tok)], state, found, on_page)

    def _explicit_links(self, children: list[Token], state: _PageState, first_line: int) -> None:
        """Checks each link and image of a paragraph, at the source line it is written on."""
        line = first_line
        for i, tok in enumerate(children):
            if tok.type in ("softbreak", "hardbreak"):
                line += 1
            elif tok.type == "link_open":
                if i + 1 < len(children) and children[i + 1].type == "link_close":
                    state.warnings.append((line, f"link to '{tok.attrGet('href') or ''}' has no text",
                                           "write the words to show between [ and ]"))
                self._check_url(tok, "href", state, line)
            elif tok.type == "image":
                self._check_url(tok, "src", state, line)

    def _autolink(self, children: list[Token], state: _PageState, found: dict[int, list[Mention]],
                  on_page: set[str]) -> list[Token]:
        """Adds links to the text outside links and outside the inline HTML that asks for none."""
        out: list[Token] = []
        in_link = 0
        shown, start, offset = inline_text(children) if self.collect else "", 0, 0  # the text, for note_uses
        for tok in children:
            if self.collect:
                start, offset = offset, offset + len(inline_text([tok]))
            if tok.type == "link_open":
                in_link += 1
            elif tok.type == "link_close":
                in_link -= 1
            elif tok.type == "html_inline" and tok.content.startswith(NO_LINK_OPEN):
                in_link += 1
            elif tok.type == "html_inline" and tok.content.startswith(NO_LINK_CLOSE) and in_link:
                in_link -= 1
            elif tok.type == "text" and not in_link:
                candidates = found.get(id(tok), [])
                mentions = self.linker.keep(tok.content, candidates, state.slug, on_page)
                linked_before = len(state.made)
                out.extend(self._split(tok, mentions, state))
                if self.collect:
                    note_uses(shown, start, [m for m in candidates if self.linker.level(m.name)],
                              state.made[linked_before:], state)
                continue
            out.append(tok)
        return out

    def _check_url(self, tok: Token, attr: str, state: _PageState, line: int) -> None:
        tok.attrs = dict(sorted(tok.attrs.items()))  # attributes in name order, as on every link we make
        url = str(tok.attrGet(attr) or "")
        if not url:
            return
        if not SAFE_URL_RE.match(url.strip()):
            del tok.attrs[attr]  # javascript:, data: and friends never reach the page
        elif match := TERM_LINK_RE.match(url):
            slug, anchor = match[1], match[2] or ""
            if slug in self.slugs:
                fragment = "#" + anchor_key(anchor) if anchor else ""
                tok.attrs = {"class": "term-link", **tok.attrs, attr: definition_href(slug) + fragment}
                if anchor:
                    state.anchors.append((slug, anchor_key(anchor), url, line))
                _record(state, slug)
            else:
                state.bad_links.append(url)
        elif url.startswith("#") and len(url) > 1:
            state.anchors.append((state.slug, url[1:], url, line))
        elif url.startswith("/") and not url.startswith("//"):
            self._check_site_path(url, state, line)

    def _check_site_path(self, url: str, state: _PageState, line: int) -> None:
        """A site-relative link ("/terms/arr/#formula") must name a page the glossary makes, and a heading
        that its term's page has."""
        path, _, anchor = url.partition("#")
        if path.split("?")[0] not in self.pages:
            state.warnings.append((line, f"link to '{url}': no such page in the glossary",
                                   "link a term by its file, as [text](slug.md)"))
        elif anchor and (match := SITE_TERM_RE.match(path)) and match[1] in self.slugs:
            state.anchors.append((match[1], anchor, url, line))

    def _split(self, tok: Token, mentions: list[Mention], state: _PageState) -> list[Token]:
        """The text token, or if it mentions other terms, one token of HTML with a link around the
        first mention of each (one token rather than five a link: fewer objects, less rendering)."""
        text, parts, pos = tok.content, list[str](), 0
        for m in mentions:
            if m.slug == state.slug or m.slug in state.linked_here:
                continue
            state.linked_here.add(m.slug)
            state.made.append(m)
            _record(state, m.slug)
            parts += [html.escape(text[pos:m.start], quote=False), '<a class="term-link" href="',
                      definition_href(m.slug), '">', html.escape(text[m.start:m.end], quote=False), "</a>"]
            pos = m.end
        if not parts:
            return [tok]
        parts.append(html.escape(text[pos:], quote=False))
        return [Token(TRUSTED_HTML, "", 0, content="".join(parts))]

    @staticmethod
    def _escaped_html(term: Term, env: dict[str, Any], state: _PageState) -> None:
        """One warning per raw HTML tag shown as text, at its first line."""
        for name in dict.fromkeys(env.get("escaped_tags", [])):
            at = re.search(rf"</?{re.escape(name)}\b", term.body, re.IGNORECASE)
            line = term.body_line + (term.body.count("\n", 0, at.start()) if at else 0)
            state.warnings.append((line, f"raw HTML <{name}> is shown as text", SAFE_HTML_HINT))


def note_uses(text: str, start: int, candidates: list[Mention], linked: list[Mention], state: _PageState) -> None:
    """Each of the `candidates` (mentions of everyday-word names) not on its own page, in the text token at
    `start` of the paragraph's `text`, with the sentence it is in."""
    starts = [*sentence_spans(text), len(text)]
    for m in candidates:
        if m.slug != state.slug:
            k = sentence_of(starts, start + m.start)
            sentence = " ".join(text[starts[k]:starts[k + 1]].split())
            state.uses.append(Use(m.name, m.slug, m in linked, sentence, state.slug))


def drop_repeated_summary(tokens: list[Token], summary: str) -> None:
    """When the definition opens with the summary's sentence (which the page shows just above it), the
    sentence is not shown twice: the opening paragraph loses it, or goes if it is nothing else."""
    words = summary.split()
    if not words or len(tokens) < 3 or tokens[0].type != "paragraph_open" or not tokens[1].children:
        return
    children = joined_text(tokens[1].children)
    if not children or children[0].type != "text":
        return
    rest = after_words(children[0].content, words)
    if rest is None:
        return
    if not rest and len(children) == 1:
        del tokens[0:3]
        return
    children[0] = Token("text", "", 0, content=rest)
    tokens[1].children = children if rest else children[1:]


def after_words(text: str, words: list[str]) -> str | None:
    """What follows `words` (separated by any whitespace) at the start of `text`, without the whitespace
    after them; None if `text` does not start with those words, whole."""
    parts = text.split(None, len(words))
    if parts[:len(words)] != words:
        return None
    return parts[len(words)] if len(parts) > len(words) else ""


def _record(state: _PageState, slug: str) -> None:
    if slug != state.slug and slug not in state.links:
        state.links.append(slug)


def render_definitions(context: LinkContext, terms: Sequence[Term]) -> list[Definition]:
    """Each term's definition, linked against the whole glossary (a batch for parallel.Runner)."""
    renderer = DefinitionRenderer(context)
    return [definition(*renderer.render(term)) for term in terms]


def definition(html_text: str, state: _PageState) -> Definition:
    return Definition(html_text, state.text, tuple(state.headings), tuple(state.links), tuple(state.bad_links),
                      tuple(state.anchors), tuple(state.warnings))


def link(glossary: Glossary, runner: Runner) -> tuple[Glossary, list[Problem]]:
    """Every term with its rendered definition and its links both ways; broken explicit links are problems."""
    definitions = runner.map(render_definitions, LinkContext.of(glossary, runner), glossary.terms)
    rendered = dict(zip([t.slug for t in glossary.terms], definitions, strict=True))
    problems = [link_problem(term, url, set(glossary.by_slug))
                for term in glossary.terms for url in rendered[term.slug].bad_links]
    problems += definition_warnings(glossary, rendered)
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


def definition_warnings(glossary: Glossary, rendered: dict[str, Definition]) -> list[Problem]:
    """Warnings found while rendering, and links to headings that the target page does not have;
    each distinct one once per file."""
    found: list[Problem] = []
    for term in glossary.terms:
        d = rendered[term.slug]
        seen: set[str] = set()
        for line, message, hint in sorted(d.warnings) + anchor_warnings(d, rendered):
            if message not in seen:
                seen.add(message)
                found.append(Problem(term.source, line, message, hint, warning=True))
    return found


def anchor_warnings(d: Definition, rendered: dict[str, Definition]) -> list[tuple[int, str, str]]:
    out = []
    for slug, anchor, url, line in d.anchors:
        target = rendered.get(slug)
        if target is None:
            continue  # a file that failed to load
        ids = {h[0] for h in target.headings} | set(PAGE_IDS) | set(re.findall(r' id="([^"]+)"', target.html))
        if anchor not in ids and anchor_key(anchor) not in ids:
            headings = [h[0] for h in target.headings]
            hint = did_you_mean(anchor, headings) or (f"its headings: {', '.join(headings)}" if headings
                                                      else "that page has no headings")
            out.append((line, f"link to '{url}': no heading '#{anchor}' on that page", hint))
    return out


# --------------------------------------------------------------------------- glossary check

SAMPLES = 2  # sentences shown per everyday-word name
SAMPLE_LENGTH = 110  # characters of a sample sentence


def everyday_word_report(glossary: Glossary) -> list[str]:
    """For `glossary check`: per name that is an everyday English word, how many of its mentions in other
    definitions link, and two sample sentences (linked ones first), so the author can decide whether the
    term wants `autolink: always` or `autolink: false`."""
    context = LinkContext.of(glossary)
    everyday = dict(context.levels)
    names = sorted((name, slug) for name, slug in context.names if name in everyday)
    if not names:
        return []
    renderer = DefinitionRenderer(context, collect=True)
    uses = [use for term in glossary.terms for use in renderer.render(term)[1].uses]
    lines = ["Names that are everyday words link only with evidence (set autolink: always or false on the term "
             "to decide):"]
    for name, slug in sorted(names, key=lambda n: (n[0].casefold(), n[1])):
        mine = [u for u in uses if (u.name, u.slug) == (name, slug)]
        linked = sum(u.linked for u in mine)
        lines.append(f"  {name} ({glossary.by_slug[slug].source}): links {linked} of {count(len(mine), 'mention')}")
        for use in sorted(mine, key=lambda u: not u.linked)[:SAMPLES]:
            lines.append(f"    {'linked' if use.linked else 'not linked'}: \"{shorten(use.sentence)}\" "
                         f"({glossary.by_slug[use.page].source})")
    return lines


def shorten(sentence: str) -> str:
    return sentence if len(sentence) <= SAMPLE_LENGTH else sentence[:SAMPLE_LENGTH - 1].rstrip() + "…"
