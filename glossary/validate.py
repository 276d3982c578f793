"""Validate stage: checks that need every term at once. Returns the sorted Glossary."""

from __future__ import annotations

import re

from .model import SLUG_RE, Glossary, Settings, Term, fold, slugify, sort_key
from .problems import Problem, did_you_mean
from .urls import named_redirects

NAME_HINT = "titles and aliases must be unique, ignoring case and accents"


def validate(settings: Settings, terms: list[Term],
             unloaded: frozenset[str] = frozenset()) -> tuple[Glossary, list[Problem]]:
    """The glossary, terms in A–Z order, and what is wrong across terms. `unloaded` are the slugs of
    files that failed to load: naming them is not an error of its own."""
    problems: list[Problem] = []
    terms = sorted(terms, key=lambda t: sort_key(t.title))
    check_names(terms, problems)
    check_references(settings, terms, problems, unloaded)
    check_categories(settings, terms, problems)
    check_addresses(terms, problems)
    problems += [p for t in terms if (p := summary_problem(t))]
    return Glossary(settings, tuple(terms), unloaded), problems


def check_names(terms: list[Term], problems: list[Problem]) -> None:
    """Titles and aliases must be unique, ignoring case and accents."""
    owner: dict[str, tuple[Term, str]] = {}  # folded name -> (term, front-matter key)
    for term in terms:
        for key, name in [("title", term.title)] + [("aliases", a) for a in term.aliases]:
            key_name = fold(name)
            if key_name not in owner:
                owner[key_name] = (term, key)
                continue
            other, other_key = owner[key_name]
            kind = "title" if key == "title" else "alias"
            if other is term:
                problems.append(Problem(term.source, term.line(key), f"{kind} '{name}' is listed twice in this file",
                                        "remove one"))
                continue
            what = "the title" if other_key == "title" else "an alias"
            problems.append(Problem(term.source, term.line(key), f"{kind} '{name}' is already {what} of "
                                    f"{other.source}:{other.line(other_key)}", NAME_HINT))


def check_references(settings: Settings, terms: list[Term], problems: list[Problem],
                     unloaded: frozenset[str] = frozenset()) -> None:
    slugs = {t.slug for t in terms}
    categories = set(settings.categories)
    for term in terms:
        line = term.line("related")
        for i, slug in enumerate(term.related):
            if slug in term.related[:i]:
                problems.append(Problem(term.source, line, f"related term '{slug}' is listed twice", "remove one"))
            elif slug == term.slug:
                problems.append(Problem(term.source, line, f"'{slug}' lists itself as related",
                                        "remove it from 'related'"))
            elif slug not in slugs and slug not in unloaded:
                hint = did_you_mean(slug.removesuffix(".md"), slugs) or "use the file name of a term, without .md"
                problems.append(Problem(term.source, line, f"related term '{slug}' does not exist", hint))
        if term.category and categories and term.category not in categories:
            problems.append(Problem(term.source, term.line("category"), f"unknown category '{term.category}'",
                                    did_you_mean(term.category, categories)
                                    or "declare it under 'categories' in site.yaml"))


def check_categories(settings: Settings, terms: list[Term], problems: list[Problem]) -> None:
    """Each category gets the page categories/<slug>/: the slug must exist and be its own.

    Declared categories are checked by load_settings; this checks the undeclared ones terms use.
    """
    by_slug = {slugify(c): c for c in settings.categories}
    for term in terms:
        category, line = term.category, term.line("category")
        slug = slugify(category)
        if not category or by_slug.get(slug) == category:
            continue
        if not slug:
            problems.append(Problem(term.source, line, f"category '{category}' has no letters or digits",
                                    "its page address is made of them"))
        elif slug in by_slug:
            problems.append(Problem(term.source, line, f"category '{category}' would share the page "
                                    f"categories/{slug}/ with '{by_slug[slug]}'", "write both the same way"))
        else:
            by_slug[slug] = category


def check_addresses(terms: list[Term], problems: list[Problem]) -> None:
    """Each alias and previous slug becomes a redirect under terms/; no two may share an address."""
    taken: dict[str, tuple[Term, str, str]] = {t.slug: (t, "title", t.title) for t in terms}
    for term in terms:
        for key, name, slug in named_redirects(term):
            if key == "previous_slugs" and not SLUG_RE.match(slug):
                problems.append(Problem(term.source, term.line(key), f"previous slug '{slug}' is not a valid slug",
                                        f"write it as '{slugify(slug) or 'a-slug'}'"))
                continue
            other = taken.setdefault(slug, (term, key, name))[0]
            if other is term or (key == "aliases" and fold(name) in {fold(n) for n in other.names}):
                continue  # the term's own address, or a clash check_names reported already
            problems.append(address_problem(term, key, name, slug, taken[slug]))


def address_problem(term: Term, key: str, name: str, slug: str, owner: tuple[Term, str, str]) -> Problem:
    other, other_key, other_name = owner
    labels = {"aliases": "alias", "previous_slugs": "previous slug"}
    if other_key == "title":
        taken_by = f"the page of {other.source}"
    else:
        where = f"{other.source}:{other.line(other_key)}"
        taken_by = f"already the redirect of {labels[other_key]} '{other_name}' of {where}"
    hint = "remove it from 'previous_slugs'" if key == "previous_slugs" else "rename the alias"
    return Problem(term.source, term.line(key), f"{labels[key]} '{name}' would redirect terms/{slug}/, {taken_by}",
                   hint)


# Markup that a summary cannot use: it is shown as plain text (A-Z list, search results, meta
# description, link previews, embeds), where these would show as written. Each: (what it is, pattern).
SUMMARY_MARKUP = (
    ("a Markdown image", re.compile(r"!\[[^\]]*\]\([^)]*\)")),
    ("a Markdown link", re.compile(r"\[[^\]]+\](?:\([^)]*\)|\[[^\]]*\])")),
    ("HTML", re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--.*?-->")),
    ("an HTML entity", re.compile(r"&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);")),
    ("Markdown code", re.compile(r"`[^`]+`")),
    ("Markdown formatting", re.compile(r"(\*\*|__|\*|~~)(?=\S)(?:.*?\S)?\1|(?<!\w)_(?=\S)(?:.*?\S)?_(?!\w)")),
)
SUMMARY_HINT = "the summary is shown as plain text in lists, search results and previews; write it without markup"


def summary_problem(term: Term) -> Problem | None:
    """A warning when the summary holds Markdown or HTML (the first kind found)."""
    for what, pattern in SUMMARY_MARKUP:
        if match := pattern.search(term.summary):
            return Problem(term.source, term.line("summary"), f"summary contains {what}: '{match[0]}'", SUMMARY_HINT,
                           warning=True)
    return None
