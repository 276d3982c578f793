"""Broken-link checker for a built site folder (stdlib only).

`check_site(root)` walks every HTML page under `root`, resolves every URL a page refers to
(href, src, srcset, form action, meta refresh, the search box's data-index/data-lunr, and
url(...) in the stylesheets it links) and returns one line per broken reference:
a missing file, a folder link that has no index.html, or a `#fragment` that is not an id on
the target page. Absolute http(s) URLs, mailto:, tel:, data: and javascript: URLs point
elsewhere and are skipped.

With `offline=True` the folder is checked as it is opened from disk (file://): a link to a
folder ("terms/arr/") or to the server root ("/assets/...") does not work there, so both
count as broken.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

# Attributes that hold one URL, by element ("*" for any element).
URL_ATTRS = {
    "a": ("href",), "area": ("href",), "link": ("href",), "base": ("href",),
    "script": ("src",), "img": ("src",), "iframe": ("src",), "embed": ("src",), "source": ("src",),
    "track": ("src",), "audio": ("src",), "video": ("src", "poster"), "input": ("src",),
    "object": ("data",), "form": ("action",), "button": ("formaction",),
    "blockquote": ("cite",), "q": ("cite",), "ins": ("cite",), "del": ("cite",),
}
# data-* attributes whose value is an asset a script loads later (the search box).
DATA_URL_ATTRS = ("data-index", "data-lunr")
# <link rel> values whose href is metadata about the page, usually on the public host.
SKIP_LINK_RELS = {"canonical", "alternate", "preconnect", "dns-prefetch", "me"}
OTHER_SCHEMES = {"http", "https", "mailto", "tel", "data", "javascript", "ftp", "sms"}
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\"]+)", re.IGNORECASE)


@dataclass
class Page:
    ids: set[str] = field(default_factory=set)
    refs: list[tuple[int, str, str]] = field(default_factory=list)  # (line, what, url)


class PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()

    def ref(self, what: str, url: str | None) -> None:
        if url is not None and url.strip():
            self.page.refs.append((self.getpos()[0], what, url.strip()))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if "id" in a:
            self.page.ids.add(a["id"])
        if tag == "a" and "name" in a:
            self.page.ids.add(a["name"])
        rels = set(a.get("rel", "").lower().split())
        for name in URL_ATTRS.get(tag, ()):
            if name in a and not (tag == "link" and rels & SKIP_LINK_RELS):
                self.ref(f"<{tag} {name}>", a[name])
        for name in ("srcset", "imagesrcset"):
            for candidate in a.get(name, "").split(","):
                self.ref(f"<{tag} {name}>", candidate.strip().split(" ")[0] or None)
        for name in DATA_URL_ATTRS:
            if name in a:
                self.ref(f"<{tag} {name}>", a[name])
        if tag == "meta" and a.get("http-equiv", "").lower() == "refresh":
            m = REFRESH_URL.search(a.get("content", ""))
            if m:
                self.ref("<meta refresh>", m.group(1))

    handle_startendtag = handle_starttag


def parse_html(path: Path) -> Page:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser.page


def css_refs(path: Path) -> list[tuple[int, str, str]]:
    text = path.read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start()) + 1, "css url()", m.group(2).strip())
            for m in CSS_URL.finditer(text) if not m.group(2).strip().startswith("#")]


class SiteChecker:
    def __init__(self, root: Path, offline: bool = False) -> None:
        self.root = root.resolve()
        self.offline = offline
        self.pages: dict[str, Page] = {}
        self.checked_css: set[str] = set()
        self.problems: list[str] = []

    def page(self, rel: str) -> Page:
        if rel not in self.pages:
            self.pages[rel] = parse_html(self.root / rel)
        return self.pages[rel]

    def run(self) -> list[str]:
        html = sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*.html"))
        for rel in html:
            for line, what, url in self.page(rel).refs:
                self.check(rel, line, what, url)
        return self.problems

    def report(self, source: str, line: int, what: str, url: str, why: str) -> None:
        self.problems.append(f"{source}:{line}: {what} {url!r}: {why}")

    def check(self, source: str, line: int, what: str, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme.lower() in OTHER_SCHEMES or (parts.scheme and parts.scheme.lower() != "file"):
            return
        if parts.netloc:  # //other.host/...
            return
        path = unquote(parts.path)
        if path.startswith("/"):
            if self.offline:
                self.report(source, line, what, url, "root-relative URL does not work opened from disk")
                return
            target = PurePosixPath(path.lstrip("/"))
        else:
            target = PurePosixPath(source).parent / path if path else PurePosixPath(source)
        normal = normalise(target)
        if normal is None:
            self.report(source, line, what, url, "points outside the site folder")
            return
        file = self.root / normal if normal else self.root
        if path.endswith("/") or file.is_dir():
            if self.offline and path:
                self.report(source, line, what, url, "folder link does not open a page from disk (add index.html)")
                return
            file = file / "index.html"
            normal = (normal + "/index.html").lstrip("/")
        if not file.is_file():
            self.report(source, line, what, url, f"missing file {normal}")
            return
        if normal.endswith(".css") and normal not in self.checked_css:
            self.checked_css.add(normal)
            for css_line, css_what, css_url in css_refs(file):
                self.check(normal, css_line, css_what, css_url)
        fragment = unquote(parts.fragment)
        if fragment and normal.endswith(".html") and fragment.lower() != "top" \
                and fragment not in self.page(normal).ids:
            self.report(source, line, what, url, f"no id {fragment!r} on {normal}")


def normalise(path: PurePosixPath) -> str | None:
    """'a/b/../c' -> 'a/c'; None if the path climbs above the root."""
    out: list[str] = []
    for part in path.parts:
        if part in ("", "."):
            continue
        if part == "..":
            if not out:
                return None
            out.pop()
        else:
            out.append(part)
    return "/".join(out)


def check_site(root: Path, offline: bool = False) -> list[str]:
    """Every broken internal link, anchor or asset reference under `root`, one line each."""
    return SiteChecker(root, offline).run()


def count_pages(root: Path) -> int:
    return sum(1 for _ in root.rglob("*.html"))


if __name__ == "__main__":  # python tests/sitecheck.py _site [--offline]
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "_site")
    found = check_site(folder, offline="--offline" in sys.argv)
    print("\n".join(found) or f"no broken links in {count_pages(folder)} pages")
    sys.exit(1 if found else 0)
