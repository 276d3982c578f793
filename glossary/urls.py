"""Every URL and output path of the site is computed here, and only here.

Pages link to each other with relative URLs ending in `index.html`, so the same files
work on a web server and opened from disk (`file://` shows a listing for a folder).
"""

from __future__ import annotations

import re

from .model import Term, slugify

# The search index has a stable address (it is not fingerprinted like the other assets): an edit to
# one definition changes the index, and a fingerprinted name would then change every page.
SEARCH_INDEX = "search-index.js"

# A term's definition is rendered once and shown on its own page, so its links to other terms are
# written relative to a term page (terms/<slug>/index.html); other places rebase them with the functions below.
DEFINITION_LINK = re.compile(r'href="\.\./([a-z0-9-]+)/index\.html(#[^"]*)?"')


def definition_href(slug: str) -> str:
    """The link from one term page to another."""
    return f"../{slug}/index.html"


def same_page_definition(html: str) -> str:
    """A definition's links to other terms as '#slug' links, for the page that holds every term (all/);
    a link to a heading goes to the term's own page."""
    return DEFINITION_LINK.sub(lambda m: f'href="../terms/{m[1]}/index.html{m[2]}"' if m[2] else f'href="#{m[1]}"',
                               html)


def absolute_definition(html: str, base_url: str) -> str:
    """A definition's links to other terms as absolute URLs, for use on other sites."""
    return DEFINITION_LINK.sub(lambda m: f'href="{base_url}terms/{m[1]}/{m[2] or ""}"', html)


def term_path(slug: str) -> str:
    return f"terms/{slug}/index.html"


def category_path(category: str) -> str:
    return f"categories/{slugify(category)}/index.html"


def pretty(path: str) -> str:
    """The public address of an output path: 'terms/arr/index.html' -> 'terms/arr/'."""
    return path.removesuffix("index.html")


def root_of(path: str) -> str:
    """Relative prefix from an output path back to the site root."""
    return "../" * path.count("/")


def absolute(base_url: str, path: str) -> str:
    return base_url + pretty(path)


def download_path(site_name: str) -> str:
    """The offline zip's address."""
    return f"download/{site_name}-offline.zip"


def named_redirects(term: Term) -> list[tuple[str, str, str]]:
    """(front-matter key, name as written, slug) of every redirect that leads to this term."""
    sources = [("previous_slugs", s, s) for s in term.previous_slugs]
    sources += [("aliases", a, slug) for a in term.aliases if (slug := slugify(a))]
    return sources


def redirect_slugs(term: Term) -> list[str]:
    """Slugs of the other addresses that redirect to this term (aliases, previous slugs), once each."""
    slugs = dict.fromkeys(slug for _key, _name, slug in named_redirects(term))
    return [slug for slug in slugs if slug != term.slug]
