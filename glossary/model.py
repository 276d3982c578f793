"""The data that flows between build stages: settings, terms and the glossary."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass, field

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# The deepest nesting of lists, quotes and indents a definition may use: markdown-it recurses once per
# level and quietly stops below its own limit, so load reports deeper nesting and link sets the limit.
MAX_NESTING = 100


@dataclass(frozen=True)
class Settings:
    title: str
    description: str
    base_url: str
    language: str = "en"
    name: str = "glossary"
    categories: tuple[str, ...] = ()
    category_descriptions: tuple[tuple[str, str], ...] = ()  # (category, one sentence) from site.yaml
    autolink: str = "on"  # on, off or first-mention
    allow_html: bool = False
    # Branding (see branding.py): a logo among the static files, accent colours (#rrggbb; accent_dark is
    # derived from accent when not given), footer links as (text, url), and the licence of the definitions.
    logo: str = ""
    accent: str = ""
    accent_dark: str = ""
    footer_links: tuple[tuple[str, str], ...] = ()
    license: str = ""
    license_url: str = ""
    source: str = "content/site.yaml"  # where the settings came from, and the line of each key, for problems
    lines: tuple[tuple[str, int], ...] = ()

    def line(self, key: str) -> int:
        return dict(self.lines).get(key, 1)

    def category_description(self, category: str) -> str:
        return dict(self.category_descriptions).get(category, "")


@dataclass(frozen=True)
class Term:
    """One term file. The `html`, `text`, `links_to` and `linked_from` fields are filled by the link stage."""

    slug: str
    title: str
    source: str
    summary: str = ""
    aliases: tuple[str, ...] = ()
    category: str = ""
    related: tuple[str, ...] = ()
    previous_slugs: tuple[str, ...] = ()
    autolink: str = "on"  # on, off (explicit links only) or always (even where a common word would not link)
    formula: str = ""  # one line of plain text, for metrics
    example: str = ""  # one worked example with numbers
    reviewed: str = ""  # ISO date an expert last checked the definition
    updated: str = ""  # ISO date of the last change; front matter overrides git history
    body: str = ""
    body_line: int = 1
    lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)
    html: str = ""
    text: str = ""
    headings: tuple[tuple[str, str], ...] = ()
    links_to: tuple[str, ...] = ()
    linked_from: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.title, *self.aliases)

    def line(self, key: str) -> int:
        return self.lines.get(key, 1)


def slugify(text: str) -> str:
    """ASCII slug for URLs: 'Échéance & Co' -> 'echeance-co'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def fold(text: str) -> str:
    """Case- and accent-insensitive comparison key: 'Échéance' == 'echeance'."""
    if text.isascii():
        return text.lower()  # the same result, without Unicode decomposition: most text is ASCII
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def sort_key(title: str) -> tuple[bool, str, str]:
    """A–Z order as the index shows it: letters first, then '#' (digits and symbols)."""
    return (letter_of(title) == "#", fold(title), title)


def letter_of(title: str) -> str:
    """The A–Z group a title files under; '#' for digits and symbols."""
    first = fold(title)[:1].upper()
    return first if "A" <= first <= "Z" else "#"


LETTERS = (*"ABCDEFGHIJKLMNOPQRSTUVWXYZ", "#")


@dataclass(frozen=True)
class Glossary:
    settings: Settings
    terms: tuple[Term, ...]  # sorted by sort_key(title)
    # Slugs of term files that exist but failed to load: references to them are not errors of
    # their own, so that one broken file does not make every file that names it fail too.
    unloaded: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_slug", {t.slug: t for t in self.terms})

    by_slug: dict[str, Term] = field(init=False, repr=False, compare=False)

    @property
    def last_updated(self) -> str:
        """The newest `updated` date of any term (ISO), or '' when no term has one: the date a build
        of this content is stamped with, so the same content always gives the same bytes."""
        return max((t.updated for t in self.terms), default="")

    def directory(self) -> Glossary:
        """The glossary without definitions: what list pages and every page's navigation show, and so
        what does not change when only a definition does."""
        light = tuple(dataclasses.replace(t, body="", html="", text="", headings=(), links_to=(), linked_from=())
                      for t in self.terms)
        return dataclasses.replace(self, terms=light)

    def letters(self) -> dict[str, list[Term]]:
        groups: dict[str, list[Term]] = {letter: [] for letter in LETTERS}
        for term in self.terms:
            groups[letter_of(term.title)].append(term)
        return groups

    def categories(self) -> dict[str, list[Term]]:
        groups: dict[str, list[Term]] = {c: [] for c in self.settings.categories}
        for term in self.terms:
            if term.category:
                groups.setdefault(term.category, []).append(term)
        return {c: ts for c, ts in groups.items() if ts}
