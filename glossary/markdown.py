"""The one configured markdown-it parser: the Markdown dialect definitions are written in.

CommonMark with what real glossaries use: tables (alignment as classes, since the site's
Content-Security-Policy forbids style attributes), strikethrough, task lists and GitHub alerts
(markdown-it-py's own), footnotes and definition lists (mdit-py-plugins), and code highlighted at
build time by Pygments with CSS classes. Raw HTML is parsed as HTML so that it can be judged tag by
tag: comments are dropped, a small safe inline set is kept and then cleaned by nh3, and anything
else is shown as text unless the site sets `allow_html: true`.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from .model import MAX_NESTING, slugify

if TYPE_CHECKING:
    from pygments.formatters import HtmlFormatter

# Raw HTML that renders even when `allow_html` is off: harmless inline markup authors use in definitions.
SAFE_TAGS = frozenset({"sub", "sup", "kbd", "abbr", "br", "details", "summary"})
# <span class="no-autolink">...</span> keeps the mention inside it from being linked automatically.
NO_AUTOLINK = "no-autolink"
NO_AUTOLINK_OPEN = f'<span class="{NO_AUTOLINK}">'
TAG_RE = re.compile(r"<!--.*?-->|<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s[^<>]*)?)/?>|<!--|<[!?][^>]*>", re.DOTALL)
NO_AUTOLINK_ATTRS_RE = re.compile(rf"""^\s+class\s*=\s*(["']?){NO_AUTOLINK}\1\s*$""")

# Tokens of HTML the generator itself makes (auto-links): written as they are.
TRUSTED_HTML = "trusted_html"
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
CODE_CLASS = "highlight"
TOKEN_CLASS_PREFIX = "hl-"


def make_markdown(allow_html: bool) -> MarkdownIt:
    """The parser every definition goes through; `allow_html` lets raw HTML through unchanged."""
    options = {"html": True, "xhtmlOut": False, "maxNesting": MAX_NESTING + 1, "alerts": True, "tasklists": True,
               "allow_html": allow_html}
    md = MarkdownIt("commonmark", options).enable(["table", "strikethrough"])
    md.use(footnote_plugin, inline=False).use(deflist_plugin)
    # Every URL is parsed as a link; link.py then drops the unsafe ones (javascript:, data: ...)
    # from the attribute, rather than leaving markdown-it to print the whole link as text.
    md.validateLink = lambda _url: True
    md.core.ruler.push("table_align", _table_align)
    rules: dict[str, Any] = {
        "text": _render_text, "fence": _render_fence, "code_block": _render_code_block,
        "html_inline": _render_html_inline, "html_block": _render_html_block, "list_item_open": _render_list_item,
        "alert_open": _render_alert_open, "footnote_block_open": _render_footnotes_open,
        "footnote_anchor": _render_footnote_backref, "table_open": _render_table_open,
        TRUSTED_HTML: _render_trusted,
    }
    for name, rule in rules.items():
        md.add_render_rule(name, rule)
    return md


def render(md: MarkdownIt, tokens: Sequence[Token], env: dict[str, Any]) -> str:
    """HTML of parsed tokens; kept raw HTML is cleaned by the sanitiser. `env["escaped_tags"]`
    collects the raw tags shown as text (for link.py's warning)."""
    env.setdefault("escaped_tags", [])
    out = md.renderer.render(tokens, md.options, env)
    return sanitise(out) if env.get("raw_kept") else out


# --------------------------------------------------------------------------- text and code


def _render_text(_self: object, tokens: Sequence[Token], idx: int, _options: object, _env: object) -> str:
    """Text needs only &, < and > escaped; quotes stay quotes (smaller pages, easier to read)."""
    return html.escape(tokens[idx].content, quote=False)


def _render_fence(_self: object, tokens: Sequence[Token], idx: int, _options: object, _env: object) -> str:
    info = tokens[idx].info.strip()
    return code_block(tokens[idx].content, info.split(maxsplit=1)[0] if info else "")


def _render_code_block(_self: object, tokens: Sequence[Token], idx: int, _options: object, _env: object) -> str:
    return code_block(tokens[idx].content, "")


def code_block(code: str, language: str) -> str:
    """A code block, highlighted when Pygments knows its language. Wide blocks scroll sideways, so each
    one can take keyboard focus (to scroll with the arrow keys) and carries a name to announce."""
    lexer = _lexer(language.lower()) if language else None
    body = highlighted(code, lexer) if lexer else html.escape(code, quote=False)
    label = f"Code example ({html.escape(language)})" if language else "Code example"
    lang_class = f' class="language-{html.escape(language)}"' if language else ""
    return (f'<pre class="{CODE_CLASS}" tabindex="0" role="group" aria-label="{label}">'
            f"<code{lang_class}>{body}</code></pre>\n")


# Pygments is imported when a definition first has a code block: many glossaries have none.

@functools.lru_cache(maxsize=64)
def _lexer(language: str) -> Any:
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(language, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


@functools.lru_cache(maxsize=1)
def _formatter() -> HtmlFormatter:
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(nowrap=True, classprefix=TOKEN_CLASS_PREFIX)


def highlighted(code: str, lexer: Any) -> str:
    """Pygments' spans with CSS classes (`hl-k`, `hl-s` ...): colours come from the style sheet, which
    has a light and a dark palette, and no style attribute is needed."""
    from pygments import highlight

    return str(highlight(code, lexer, _formatter()))


CODE_STYLES = {"light": "xcode", "dark": "lightbulb"}  # Pygments styles whose colours the code blocks use


def pygments_css(style: str, scope: str = f".{CODE_CLASS}") -> str:
    """The colour rules of one Pygments style for our token classes: static/style.css holds those of
    CODE_STYLES (tests/unit/test_markdown.py keeps them in step)."""
    from pygments.formatters import HtmlFormatter

    formatter = HtmlFormatter(style=style, classprefix=TOKEN_CLASS_PREFIX)
    rules = formatter.get_style_defs(scope).splitlines()
    return "\n".join(r for r in rules if r.startswith(f"{scope} .{TOKEN_CLASS_PREFIX}"))


# --------------------------------------------------------------------------- blocks


def _table_align(state: Any) -> None:
    """Column alignment as a class (`align-right`): the site's CSP blocks style attributes."""
    for tok in state.tokens:
        if tok.type in ("th_open", "td_open") and (style := tok.attrGet("style")):
            del tok.attrs["style"]
            tok.attrSet("class", "align-" + str(style).removeprefix("text-align:"))


def _render_table_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """A wide table scrolls sideways within the column: focusable, so the keyboard can scroll it too."""
    tokens[idx].attrSet("tabindex", "0")
    return str(self.renderToken(tokens, idx, options, env))


def _render_list_item(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """A task-list item: a read-only checkbox that says whether the task is done."""
    token = tokens[idx]
    result = str(self.renderToken(tokens, idx, options, env))
    if token.meta and "checked" in token.meta:
        checked, state = (' checked=""', "done") if token.meta["checked"] else ("", "not done")
        result += (f'<input class="task-list-item-checkbox" type="checkbox" disabled=""{checked} '
                   f'aria-label="{state}"> ')
    return result


def _render_alert_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """`> [!NOTE]` and its kin: a box with its kind as a visible title, announced as a note."""
    tokens[idx].attrSet("role", "note")
    return str(self.renderToken(tokens, idx, options, env))


def _render_footnotes_open(_self: object, _tokens: object, _idx: int, _options: object, _env: object) -> str:
    return ('<hr class="footnotes-sep">\n<section class="footnotes" aria-label="Footnotes">\n'
            '<ol class="footnotes-list">\n')


def _render_footnote_backref(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    ident = str(self.rules["footnote_anchor_name"](tokens, idx, options, env))
    if tokens[idx].meta["subId"] > 0:
        ident += ":" + str(tokens[idx].meta["subId"])
    return f' <a href="#fnref{ident}" class="footnote-backref" aria-label="Back to the text">\u21a9\ufe0e</a>'


# --------------------------------------------------------------------------- raw HTML


def _render_trusted(_self: object, tokens: Sequence[Token], idx: int, _options: object, _env: object) -> str:
    return tokens[idx].content


def _render_html_inline(_self: object, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
    return raw_html(tokens[idx].content, options, env)


def _render_html_block(_self: object, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
    out = raw_html(tokens[idx].content, options, env)
    stripped = out.strip()
    if not stripped:
        return ""  # only comments
    if stripped.startswith("<"):
        return out if out.endswith("\n") else out + "\n"
    return f"<p>{stripped}</p>\n"  # shown as text: a paragraph of it, as when it was never HTML


def raw_html(fragment: str, options: Any, env: dict[str, Any]) -> str:
    """Raw HTML from a definition: comments dropped; with `allow_html` the rest as written; otherwise
    the safe set kept (for the sanitiser) and every other tag shown as text and noted in `env`."""
    allow = bool(options.get("allow_html"))
    out: list[str] = []
    pos = 0
    for match in TAG_RE.finditer(fragment):
        out.append(fragment[pos:match.start()] if allow else html.escape(fragment[pos:match.start()], quote=False))
        pos = match.end()
        tag = match[0]
        if tag.startswith("<!--") and tag.endswith("-->") and len(tag) >= 7:
            continue  # a comment: never shown to readers
        name = (match[2] or "").lower()
        if allow:
            out.append(tag)
        elif _safe(name, match[1] == "/", match[3] or "", env):
            env["raw_kept"] = True
            out.append(tag)
        else:
            env.setdefault("escaped_tags", []).append(name or tag[:4])
            out.append(html.escape(tag, quote=False))
    out.append(fragment[pos:] if allow else html.escape(fragment[pos:], quote=False))
    return "".join(out)


def _safe(name: str, closing: bool, attrs: str, env: dict[str, Any]) -> bool:
    """A tag of the safe set, or the span that keeps a mention unlinked (and its own closing tag)."""
    if name in SAFE_TAGS:
        return True
    if name != "span":
        return False
    open_spans = env.get("open_spans", 0)
    if closing:
        env["open_spans"] = max(open_spans - 1, 0)
        return open_spans > 0
    if NO_AUTOLINK_ATTRS_RE.match(attrs) is None:
        return False
    env["open_spans"] = open_spans + 1
    return True


ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "class", "id", "title", "aria-label"}, "abbr": {"title"}, "details": {"open"},
    "div": {"class", "role"}, "img": {"src", "alt", "title"}, "li": {"class", "id"}, "ol": {"class", "start"},
    "ul": {"class"}, "p": {"class"}, "code": {"class"}, "span": {"class"}, "td": {"class"}, "th": {"class"},
    "table": {"tabindex"}, "section": {"class", "aria-label"}, "hr": {"class"}, "sup": {"class"},
    "pre": {"class", "tabindex", "role", "aria-label"},
    "input": {"class", "type", "disabled", "checked", "aria-label"},
    **{h: {"id"} for h in HEADING_TAGS},
}
ALLOWED_TAGS = {*ALLOWED_ATTRIBUTES, *SAFE_TAGS, "blockquote", "br", "dd", "dl", "dt", "em", "strong", "s",
                "tbody", "thead", "tr"}


def sanitise(fragment: str) -> str:
    """The definition's HTML through nh3: only the tags and attributes the renderer itself makes, plus
    the safe inline set, survive, and every element is closed where HTML says it is."""
    return nh3.clean(fragment, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, link_rel=None,
                     url_schemes={"http", "https", "mailto"})


# --------------------------------------------------------------------------- headings


def heading_ids(tokens: Sequence[Token], reserved: Sequence[str] = ()) -> list[tuple[str, str]]:
    """Give every heading an id made from its text, unique within the definition and never one of
    `reserved` (ids the page itself uses); returns (id, text) of each."""
    seen: set[str] = set()
    found: list[tuple[str, str]] = []
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            text = inline_text(tokens[i + 1].children or [])
            base = anchor_key(text) or "section"
            anchor, n = base, 1
            while anchor in seen or anchor in reserved:
                n += 1
                anchor = f"{base}-{n}"
            seen.add(anchor)
            tok.attrSet("id", anchor)
            found.append((anchor, text))
    return found


START_TAG_RE = re.compile(r"<[A-Za-z][^<>]*>")  # in rendered HTML, text never holds a raw "<"
SAME_PAGE_ATTR_RE = re.compile(r'(\s(?:id="|href="#))([^"]+)"')  # an id, or a link to one on the same page


def prefixed_ids(fragment: str, prefix: str) -> str:
    """A definition's ids (headings, footnotes) and its links to them, each as `<prefix>--<id>`: on a page
    that holds many definitions (all/), every term's "see-also" heading gets an id of its own, and its
    own "#see-also" links still land on it. Links to other pages are left alone."""
    def attributes(tag: re.Match[str]) -> str:
        return SAME_PAGE_ATTR_RE.sub(lambda m: f'{m[1]}{prefix}--{m[2]}"', tag[0])

    return START_TAG_RE.sub(attributes, fragment)


def anchor_key(anchor: str) -> str:
    """The id a heading gets, and the form a link's `#fragment` is compared in: lower case, ASCII,
    words joined by single hyphens, so "#max_age", "#Max-Age" and "#max-age" name the same heading."""
    return slugify(anchor)


def inline_text(children: Sequence[Token]) -> str:
    """The text an inline token shows (what a reader sees, without markup)."""
    parts = []
    for tok in children:
        if tok.type in ("text", "code_inline"):
            parts.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)
