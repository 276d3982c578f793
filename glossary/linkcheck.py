"""`glossary check-links PATH...`: find glossary URLs in help articles that would break.

Help-desk teams link to glossary pages from their own articles. Renaming a term, dropping an
alias or changing a heading can silently break those links, so before a glossary change ships
they run this against their articles: it builds the site in memory (nothing is written) and
checks every absolute URL that points into the glossary against the pages and anchors the
build would publish, with a "did you mean" hint for near misses.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from . import urls
from .changes import changes, major
from .history import History
from .model import Glossary
from .parallel import Runner
from .pipeline import Project, build
from .problems import BuildError, display_path

ARTICLE_SUFFIXES = frozenset({".md", ".markdown", ".txt", ".html", ".htm"})
# Characters that end a URL in Markdown, HTML or plain text.
URL_TAIL = r"[^\s<>\"'`()\[\]{}]*"
# Punctuation that ends a sentence (or Markdown emphasis) rather than the URL before it.
TRAILING_PUNCTUATION = ".,;:!?*_~"
REFRESH_URL_RE = re.compile(r"url\s*=\s*['\"]?([^'\"\s]+)", re.IGNORECASE)
MAX_REDIRECTS = 5


@dataclass(frozen=True)
class Link:
    """One glossary URL found in an article."""

    path: Path
    line: int
    url: str


@dataclass(frozen=True)
class Broken:
    """A link that does not resolve, and why."""

    link: Link
    detail: str = ""

    def __str__(self) -> str:
        return f"{display_path(self.link.path)}:{self.link.line}: broken glossary link {self.link.url}{self.detail}"


class MissingPath(Exception):
    """A path given on the command line does not exist."""


# --- finding links ---------------------------------------------------------------------------


def base_prefix(base_url: str) -> str:
    """A regex for the base URL without its final slash: http or https, any case in scheme and host."""
    parts = urlsplit(base_url)
    return rf"(?i:https?://{re.escape(parts.netloc)}){re.escape(parts.path.rstrip('/'))}"


def url_pattern(base_url: str) -> re.Pattern[str]:
    """Absolute URLs under base_url, as found in Markdown links, HTML attributes or bare text."""
    # The bare base URL counts too, but not a longer host or path that merely starts with it.
    return re.compile(rf"{base_prefix(base_url)}(?:[/?#]{URL_TAIL}|(?![\w-]|\.[\w-]))")


def find_urls(text: str, pattern: re.Pattern[str]) -> Iterator[tuple[int, str]]:
    """(1-based line number, URL) for each glossary URL in the text, in order."""
    for number, line in enumerate(text.splitlines(), start=1):
        for match in pattern.finditer(line):
            yield number, match.group().rstrip(TRAILING_PUNCTUATION)


def article_files(paths: Iterable[Path]) -> list[Path]:
    """The files to read: named files as given, folders searched for article suffixes."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if is_article(p, path)))
        elif path.is_file():
            found.append(path)
        else:
            raise MissingPath(f"{display_path(path)}: no such file or folder")
    return list(dict.fromkeys(found))


def is_article(path: Path, root: Path) -> bool:
    hidden = any(part.startswith(".") for part in path.relative_to(root).parts)
    return path.is_file() and not hidden and path.suffix.lower() in ARTICLE_SUFFIXES


def find_links(files: Iterable[Path], pattern: re.Pattern[str]) -> list[Link]:
    links: list[Link] = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        links.extend(Link(path, line, url) for line, url in find_urls(text, pattern))
    return links


# --- resolving them against the built site ---------------------------------------------------


class PageScanner(HTMLParser):
    """Collects the anchors of a page (ids, and names of <a>) and its meta refresh target."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: set[str] = set()
        self.refresh: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if "id" in values:
            self.anchors.add(values["id"])
        if tag == "a" and "name" in values:
            self.anchors.add(values["name"])
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            found = REFRESH_URL_RE.search(values.get("content", ""))
            self.refresh = found.group(1) if found else None


class Site:
    """The built site's files, looked up the way a static web server would."""

    def __init__(self, files: dict[str, bytes], base_url: str) -> None:
        self.files, self.base_url = files, base_url
        self.prefix = re.compile(base_prefix(base_url))
        self.addresses = sorted({urls.pretty(path) for path in files})
        self._pages: dict[str, PageScanner] = {}

    def relative(self, url: str) -> str:
        """What follows the base URL: 'https://g.example/terms/x/#a' -> 'terms/x/#a'."""
        match = self.prefix.match(url)
        return url[match.end():].lstrip("/") if match else url

    def file_for(self, path: str) -> str | None:
        """The output file served at a site path ('' is the home page, 'terms/x/' its index.html)."""
        candidates = [path + "index.html"] if path == "" or path.endswith("/") else [path, path + "/index.html"]
        return next((c for c in candidates if c in self.files), None)

    def page(self, file: str) -> PageScanner:
        if file not in self._pages:
            scanner = PageScanner()
            scanner.feed(self.files[file].decode("utf-8", errors="replace"))
            scanner.close()
            self._pages[file] = scanner
        return self._pages[file]

    def follow_redirects(self, file: str) -> str | None:
        """The page a redirect page leads to (the page itself if it is not a redirect)."""
        for _ in range(MAX_REDIRECTS):
            if not file.endswith(".html"):
                return file
            target = self.page(file).refresh
            if target is None:
                return file
            absolute = urljoin(urljoin(self.base_url, file), target)
            if not self.prefix.match(absolute):
                return None  # leaves the site: nothing we can check
            file = self.file_for(unquote(urlsplit(self.relative(absolute)).path))
            if file is None:
                return None
        return None

    def has_anchor(self, file: str, fragment: str) -> bool:
        page = self.follow_redirects(file)
        if page is None or not page.endswith(".html") or fragment.startswith(":~:"):
            return True  # only HTML pages on this site have anchors we can check
        anchors = self.page(page).anchors
        return fragment in anchors or unquote(fragment) in anchors

    def suggestion(self, path: str) -> str | None:
        """The closest page address: by name among pages in the same folder, else by the whole path."""
        folder, _, name = path.rstrip("/").rpartition("/")
        siblings: dict[str, str] = {}
        for address in self.addresses:
            address_folder, _, address_name = address.rstrip("/").rpartition("/")
            if address_folder == folder and address_name:
                siblings[address_name] = address
        close = difflib.get_close_matches(name, sorted(siblings), n=1, cutoff=0.6)
        if close:
            return siblings[close[0]]
        # Across folders only near-identical paths help ('term/x/' for 'terms/x/'): they all share 'terms/'.
        close = difflib.get_close_matches(path, self.addresses, n=1, cutoff=0.85)
        return close[0] if close else None


def check_link(link: Link, site: Site) -> Broken | None:
    """None when the link resolves, else what is wrong with it."""
    rest = site.relative(link.url)
    parts = urlsplit(rest)
    path = unquote(parts.path)
    file = site.file_for(path)
    if file is None:
        return Broken(link, did_you_mean(site, path, rest[len(parts.path):]))
    if parts.fragment and not site.has_anchor(file, parts.fragment):
        return Broken(link, f": no anchor '{unquote(parts.fragment)}' on that page")
    return None


def did_you_mean(site: Site, path: str, suffix: str) -> str:
    close = site.suggestion(path)
    return f" (did you mean {site.base_url}{close}{suffix}?)" if close is not None else ""


# --- the command -----------------------------------------------------------------------------


def check_links_command(project: Project, paths: list[Path], runner: Runner | None = None,
                        report_to: ReportRequest | None = None) -> int:
    """Check glossary URLs in the given articles; 0 when all resolve, 1 if any break, 2 on bad paths.
    With `report_to`, also write which articles cite which terms (see write_report)."""
    try:
        files = article_files(paths)
    except MissingPath as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        report = build(project, runner, write=False)
    except BuildError as exc:
        print(exc, file=sys.stderr)
        print(exc.summary(None), file=sys.stderr)
        return 1
    base_url = report.glossary.settings.base_url
    site = Site(report.files, base_url)
    links = find_links(files, url_pattern(base_url))
    broken = [b for b in (check_link(link, site) for link in links) if b is not None]
    for problem in broken:
        print(problem)
    print(summary(broken, len(links), len(files), base_url))
    if report_to is not None:
        print(write_report(report_to, report.glossary, cited_terms(links, site, report.glossary), report.history))
    return 1 if broken else 0


# --- which articles cite which terms (--report) -----------------------------------------------

TERM_FILE = re.compile(r"^(?:terms/([a-z0-9-]+)/(?:(?:card|history)/)?index\.html"
                       r"|api/(?:terms|oembed)/([a-z0-9-]+)\.json)$")
LIST_PAGES = ("index.html", "all/index.html")  # their anchors are term slugs
CSV_COLUMNS = ["slug", "title", "url", "updated", "changed", "file", "line", "link"]


@dataclass(frozen=True)
class ReportRequest:
    """--report PATH, --format json|csv and --since YYYY-MM-DD."""

    path: Path
    format: str = "json"
    since: str = ""


def cited_term(link: Link, site: Site, glossary: Glossary) -> str | None:
    """The slug of the term a link leads to (through aliases, old slugs and redirects), or None."""
    parts = urlsplit(site.relative(link.url))
    file = site.file_for(unquote(parts.path))
    page = site.follow_redirects(file) if file is not None else None
    if page is None:
        return None
    if found := TERM_FILE.match(page):
        slug = found[1] or found[2]
    else:
        slug = unquote(parts.fragment) if page in LIST_PAGES else ""
    return slug if slug in glossary.by_slug else None


def cited_terms(links: list[Link], site: Site, glossary: Glossary) -> dict[str, list[Link]]:
    cited: dict[str, list[Link]] = {}
    for link in links:
        if (slug := cited_term(link, site, glossary)) is not None:
            cited.setdefault(slug, []).append(link)
    return {slug: cited[slug] for slug in sorted(cited)}


def changed_dates(glossary: Glossary, history: History) -> dict[str, str]:
    """slug -> date its definition last changed (title, summary, body...), from the build's git history; a
    term without recorded changes falls back to its `updated` date."""
    dates: dict[str, str] = {}
    for change in major(changes(history, glossary)):  # newest first
        if change.slug:
            dates.setdefault(change.slug, change.date)
    return {t.slug: dates.get(t.slug, t.updated) for t in glossary.terms}


def report_rows(request: ReportRequest, glossary: Glossary, cited: dict[str, list[Link]],
                history: History) -> list[dict[str, object]]:
    changed = changed_dates(glossary, history)
    base = glossary.settings.base_url
    rows: list[dict[str, object]] = []
    for slug, links in cited.items():
        if request.since and not changed[slug] >= request.since:
            continue
        term = glossary.by_slug[slug]
        rows.append({"slug": slug, "title": term.title, "url": urls.absolute(base, urls.term_path(slug)),
                     "updated": term.updated, "changed": changed[slug],
                     "articles": [{"file": display_path(link.path), "line": link.line, "link": link.url}
                                  for link in links]})
    return rows


def write_report(request: ReportRequest, glossary: Glossary, cited: dict[str, list[Link]], history: History) -> str:
    """Writes the report (JSON: one object per cited term with its articles; CSV: one row per citation)
    and returns the line that says so."""
    rows = report_rows(request, glossary, cited, history)
    if request.format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for row in rows:
            for article in row["articles"]:  # type: ignore[attr-defined]
                writer.writerow([row["slug"], row["title"], row["url"], row["updated"], row["changed"],
                                 article["file"], article["line"], article["link"]])
        text = buffer.getvalue()
    else:
        data = {"glossary": glossary.settings.base_url, "since": request.since or None, "terms": rows}
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    request.path.write_text(text, encoding="utf-8")
    files = len({a["file"] for row in rows for a in row["articles"]})  # type: ignore[attr-defined]
    which = f" changed since {request.since}," if request.since else ""
    return (f"Report: {plural(len(rows), 'term')}{which} cited in {plural(files, 'file')}; "
            f"written to {display_path(request.path)}.")


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def summary(broken: list[Broken], checked: int, files: int, base_url: str) -> str:
    if broken:
        bad_files = len({b.link.path for b in broken})
        return (f"{plural(len(broken), 'broken glossary link')} in {plural(bad_files, 'file')} "
                f"(checked {plural(checked, 'link')} in {plural(files, 'file')}).")
    if checked == 0:
        return f"No glossary links (starting with {base_url}) in {plural(files, 'file')}."
    if checked == 1:
        return f"The 1 glossary link in {plural(files, 'file')} resolves."
    return f"All {plural(checked, 'glossary link')} in {plural(files, 'file')} resolve."
