"""Validate stage: checks that need every term at once. Returns the sorted Glossary."""

from __future__ import annotations

from .model import SLUG_RE, Glossary, Settings, Term, fold, slugify, sort_key
from .problems import Problem, did_you_mean
from .urls import term_path


def validate(settings: Settings, terms: list[Term], problems: list[Problem]) -> Glossary:
    terms = sorted(terms, key=lambda t: sort_key(t.title))
    check_names(terms, problems)
    check_references(settings, terms, problems)
    check_addresses(terms, problems)
    return Glossary(settings, tuple(terms))


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
            if other is term:
                problems.append(Problem(term.source, term.line(key), f"'{name}' is listed twice", "remove one"))
                continue
            what = "title" if other_key == "title" else "alias"
            kind = "title" if key == "title" else "alias"
            problems.append(Problem(
                term.source, term.line(key),
                f"{kind} '{name}' is already used as the {what} of {other.source}:{other.line(other_key)}",
                "each title and alias must name one term",
            ))


def check_references(settings: Settings, terms: list[Term], problems: list[Problem]) -> None:
    slugs = {t.slug for t in terms}
    categories = set(settings.categories)
    for term in terms:
        for slug in term.related:
            if slug == term.slug:
                problems.append(Problem(term.source, term.line("related"), f"'{slug}' lists itself as related",
                                        "remove it from 'related'"))
            elif slug not in slugs:
                problems.append(Problem(term.source, term.line("related"), f"related term '{slug}' does not exist",
                                        did_you_mean(slug, slugs) or "use the file name of a term, without .md"))
        if term.category and categories and term.category not in categories:
            problems.append(Problem(term.source, term.line("category"), f"unknown category '{term.category}'",
                                    did_you_mean(term.category, categories)
                                    or "declare it under 'categories' in site.yaml"))


def check_addresses(terms: list[Term], problems: list[Problem]) -> None:
    """Each alias and previous slug becomes a redirect under terms/; no two may share an address."""
    taken: dict[str, tuple[Term, str]] = {term_path(t.slug): (t, "title") for t in terms}
    for term in terms:
        for old in term.previous_slugs:
            if not SLUG_RE.match(old):
                problems.append(Problem(term.source, term.line("previous_slugs"), f"previous slug '{old}' is not a "
                                        "valid slug", f"write it as '{slugify(old)}'"))
        for key, name in redirect_sources(term):
            path = term_path(name)
            if path not in taken:
                taken[path] = (term, key)
                continue
            other, other_key = taken[path]
            if other is term:
                continue  # an alias whose address is the term's own, or listed twice
            problems.append(Problem(
                term.source, term.line(key),
                f"redirect address terms/{name}/ (from {key_label(key)}) collides with "
                f"{other.source}:{other.line(other_key)}",
                "rename the alias or the term, or drop one of the previous slugs",
            ))


def key_label(key: str) -> str:
    return {"aliases": "an alias", "previous_slugs": "a previous slug"}.get(key, key)


def redirect_sources(term: Term) -> list[tuple[str, str]]:
    """(front-matter key, slug) of every redirect that leads to this term."""
    sources = [("previous_slugs", s) for s in term.previous_slugs]
    sources += [("aliases", slug) for a in term.aliases if (slug := slugify(a))]
    return sources
