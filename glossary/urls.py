"""Every URL and output path of the site is computed here, and only here.

Pages link to each other with relative URLs ending in `index.html`, so the same files
work on a web server and opened from disk (`file://` shows a listing for a folder).
"""

from __future__ import annotations

import re

from .model import slugify

# The search index has a stable address (it is not fingerprinted like the other assets): an edit to
# one definition changes the index, and a fingerprinted name would then change every page.
SEARCH_INDEX = "search-index.js"

# Stands for the site root in HTML made before we know which page it lands on.
ROOT = "\ue000"


TERM_HREF = re.compile(re.escape(ROOT) + r'terms/([a-z0-9-]+)/index\.html"')


def anchors_for_terms(html: str) -> str:
    """Links to term pages (as link.py writes them) turned into '#slug' links within a page."""
    return TERM_HREF.sub(r'#\1"', html)


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


def relative(html: str, page_path: str) -> str:
    return html.replace(ROOT, root_of(page_path))
