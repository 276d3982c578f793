"""Load stage: read content/site.yaml and content/terms/*.md into Settings and Terms.

This and `output` are the only modules that touch the content or output folders.
Every problem is collected; nothing stops at the first one.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from . import branding
from .frontmatter import FrontMatterError, parse, parse_yaml_mapping
from .model import MAX_NESTING, SLUG_RE, Settings, Term, slugify
from .parallel import Runner
from .problems import Problem, did_you_mean, display_path

TERM_KEYS = {
    "title": str,
    "aliases": list,
    "summary": str,
    "category": str,
    "related": list,
    "previous_slugs": list,
    "autolink": "autolink",
    "formula": str,
    "example": str,
    "reviewed": "date",
    "updated": "date",
}
SITE_KEYS = {
    "title": str,
    "description": str,
    "base_url": str,
    "language": str,
    "name": str,
    "categories": "categories",
    "allow_html": bool,
    "autolink": "site-autolink",
    "logo": str,
    "accent": str,
    "accent_dark": str,
    "footer_links": "links",
    "license": str,
    "license_url": str,
}
TYPE_NAMES = {str: "text", list: "a list", bool: "true or false", "date": "a date such as 2026-03-12",
              "autolink": "true, false or always", "categories": "a list of names, or names with descriptions",
              "site-autolink": "on, off or first-mention", "links": "a list of links, each with text and url"}
DATE_RE = re.compile(r"^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$")
AUTOLINK_WORDS = {"true": "on", "yes": "on", "on": "on", "false": "off", "no": "off", "off": "off", "always": "always"}
SITE_AUTOLINK = ("on", "off", "first-mention")
WORDS = {"autolink": (*AUTOLINK_WORDS,), "site-autolink": SITE_AUTOLINK}  # keys that take one of a few words
BOOL_WORDS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}
BASE_URL_RE = re.compile(r"^https?://[A-Za-z0-9.-]+(?::\d+)?(?:/[^\s?#]*)?$")
HTTP_URL_RE = re.compile(r"^https?://[A-Za-z0-9.-]+(?::\d+)?(?:[/?#]\S*)?$")
# A footer link: a web or mail address, or a path on this site (no other scheme, such as javascript:).
LINK_URL_RE = re.compile(r"^(?:https?://[A-Za-z0-9.-]+(?::\d+)?(?:[/?#]\S*)?|mailto:\S+@\S+"
                         r"|(?![A-Za-z][A-Za-z0-9+.-]*:)\S+)$")
LINK_KEYS = ("text", "url")
LOGO_RE = re.compile(r"^(?!/)(?!.*(?:^|/)\.\.(?:/|$))[^\s\\:]+$")  # a name under the static folder, no '..'
# Characters dropped from all content: U+E000 marks the site root inside rendered HTML (see
# link.py), and the other control characters and U+FFFE/U+FFFF are invisible, invalid in HTML
# and refused by YAML. Authors never mean them.
CONTROL_CHARS = [c for c in range(0xA0) if (c < 0x20 and chr(c) not in "\t\n\r") or c >= 0x7F]
RESERVED_RE = re.compile("[" + re.escape("".join(map(chr, [*CONTROL_CHARS, 0xE000, 0xFFFE, 0xFFFF]))) + "]")


def without_reserved(text: str) -> str:
    # A search first: almost no text has one, and searching is much cheaper than rewriting.
    return RESERVED_RE.sub("", text) if RESERVED_RE.search(text) else text

FENCE_RE = re.compile(r" {0,3}(?:```|~~~)")
NESTING_RE = re.compile(r" {0,3}(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))[ \t]?| {4}|\t")
# Names in content/terms that are not read, and what to tell the author about them.
MARKDOWN_SUFFIXES = {".markdown", ".mdown", ".mkd", ".mdwn"}


def load(content_dir: Path, runner: Runner) -> tuple[tuple[Settings, list[Term]], list[Problem]]:
    """((settings, terms in file order), every problem found). Files are read here; parsing them is
    handed to `runner`, one batch of (file name, display path, text) at a time."""
    problems: list[Problem] = []
    if not content_dir.is_dir():
        where = display_path(content_dir)
        problems.append(Problem(where, 0, "content folder not found",
                                "run the build in your project folder, or pass --content PATH"))
        return (default_settings(), []), problems
    settings = load_settings(content_dir / "site.yaml", problems)
    sources = [(path.stem, display_path(path), text) for path in term_files(content_dir, problems)
               if (text := read_text(path, problems)) is not None]
    terms = []
    for term, found in runner.map(parse_terms, None, sources):
        problems.extend(found)
        if term is not None:
            terms.append(term)
    return (settings, terms), problems


def parse_terms(_shared: None, sources: Sequence[tuple[str, str, str]]) -> list[tuple[Term | None, list[Problem]]]:
    """Each term file's Term (None if it has errors) and its problems (a batch for parallel.Runner)."""
    results = []
    for stem, where, text in sources:
        found: list[Problem] = []
        results.append((term_from_text(stem, where, text, found), found))
    return results


def term_files(content_dir: Path, problems: list[Problem]) -> list[Path]:
    """The term files, in name order; reports what is in content/terms but cannot be read."""
    terms_dir = content_dir / "terms"
    where = display_path(terms_dir)
    if not terms_dir.is_dir():
        problems.append(Problem(where, 0, "no terms folder", f"create {where}/ with one .md file per term"))
        return []
    root = content_dir.resolve()
    files, found = [], len(problems)
    # scandir knows each entry's type without a stat call per file (10,000 terms: 30,000 calls fewer).
    with os.scandir(terms_dir) as scan:
        entries = sorted(scan, key=lambda e: e.name)
    for entry in entries:
        path = terms_dir / entry.name
        if entry.name.startswith("."):
            continue  # editor lock files, .DS_Store, macOS ._ files
        if not entry.name.endswith(".md"):
            problems.extend(unread_entry(path))
        elif entry.is_symlink() and not (target := link_target(path)).is_relative_to(root):
            problems.append(Problem(display_path(path), 0, f"symbolic link to {target}, outside the content folder",
                                    "copy the file into the content folder instead"))
        elif entry.is_dir():
            problems.append(Problem(display_path(path), 0, "a folder, not a term file", "rename it"))
        elif not entry.is_file():
            problems.append(Problem(display_path(path), 0, "broken symbolic link", "remove it or fix its target"))
        else:
            files.append(path)
    if not files and len(problems) == found:
        problems.append(Problem(where, 0, "no term files", f"add one Markdown file per term, such as {where}/lead.md"))
    return files


def link_target(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a loop of links
        return path.absolute()


def unread_entry(path: Path) -> list[Problem]:
    """A warning for a file or folder in content/terms that looks like it was meant to be a term."""
    where = display_path(path)
    if path.is_dir():
        if not any(path.rglob("*.md")):
            return []
        return [Problem(where, 0, "folder not read: term files must be directly in the terms folder",
                        "move its .md files up one level", warning=True)]
    if path.suffix.lower() in MARKDOWN_SUFFIXES | {".md"}:
        return [Problem(where, 0, "file not read: term files end in '.md'", f"rename it to '{path.stem}.md'",
                        warning=True)]
    return []


def read_text(path: Path, problems: list[Problem], where: str = "") -> str | None:
    where = where or display_path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(where, 0, f"cannot read the file: {exc.strerror or exc}"))
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
        problems.append(Problem(where, line, f"not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be read",
                                "the file is UTF-16; save it as UTF-8" if utf16 else "save the file as UTF-8"))
        return None


def term_from_text(stem: str, where: str, text: str, problems: list[Problem]) -> Term | None:
    """Build a Term from a file's text; `stem` is the file name without `.md`."""
    try:
        parsed = parse(without_reserved(text))
    except FrontMatterError as exc:
        problems.append(Problem(where, exc.line, exc.message, exc.hint))
        return None
    found = len(problems)
    meta = checked_fields(parsed.meta, parsed.lines, TERM_KEYS, where, problems, noun="front-matter key")
    title = one_line(meta.get("title", ""))
    if "title" not in parsed.meta:
        problems.append(Problem(where, 1, "missing title", "add a line such as 'title: Annual Recurring Revenue'"))
    elif parsed.meta["title"] is None or ("title" in meta and not title):
        problems.append(Problem(where, parsed.lines["title"], "empty title",
                                "write the term after 'title:', such as 'title: Annual Recurring Revenue'"))
    if not SLUG_RE.match(stem):
        suggestion = slugify(stem) or slugify(title) or "term"
        problems.append(Problem(where, 0, f"file name '{stem}.md' is not a valid slug",
                                f"rename it to '{suggestion}.md': lowercase letters, digits and hyphens"))
    if not parsed.body.strip():
        problems.append(Problem(where, parsed.body_line, "empty body", "write the definition below the front matter",
                                warning=True))
    problems.extend(nesting_problems(parsed.body, parsed.body_line, where))
    if any(not p.warning for p in problems[found:]):
        return None
    return Term(
        slug=stem,
        title=title,
        source=where,
        summary=str(meta.get("summary", "")).strip(),
        aliases=tuple(one_line(a) for a in meta.get("aliases", ())),
        category=one_line(meta.get("category", "")),
        related=tuple(meta.get("related", ())),
        previous_slugs=tuple(meta.get("previous_slugs", ())),
        autolink=str(meta.get("autolink", "on")),
        formula=one_line(meta.get("formula", "")),
        example=one_line(meta.get("example", "")),
        reviewed=str(meta.get("reviewed", "")),
        updated=str(meta.get("updated", "")),
        body=parsed.body,
        body_line=parsed.body_line,
        lines=parsed.lines,
    )


def nesting_problems(body: str, body_line: int, where: str) -> list[Problem]:
    """Lines nested deeper than MAX_NESTING levels (each '>', list marker or 4-space indent is one)."""
    in_fence = False
    for number, line in enumerate(body.split("\n"), body_line):
        if FENCE_RE.match(line):
            in_fence = not in_fence
        if in_fence or len(line) <= MAX_NESTING:
            continue  # code, or too short to hold that many levels
        levels = pos = 0
        while (match := NESTING_RE.match(line, pos)) and match.end() > pos:
            levels, pos = levels + 1, match.end()
        if levels > MAX_NESTING and line[pos:].strip() and line[:pos].strip():
            return [Problem(where, number, f"lists, quotes or indents nested {levels} levels deep",
                            f"Markdown this deep cannot be rendered; keep it under {MAX_NESTING} levels")]
    return []


def one_line(value: object) -> str:
    """A title, alias or category: runs of spaces and line breaks become one space."""
    return " ".join(str(value).split())


def checked_fields(meta: dict[str, object], lines: dict[str, int], schema: dict[str, type | str], where: str,
                   problems: list[Problem], noun: str) -> dict[str, object]:
    """Keep the known, well-typed keys; report the others as `unknown <noun>`. Lists hold non-empty texts."""
    good: dict[str, object] = {}
    for key, value in meta.items():
        line = lines.get(key, 1)
        expected = schema.get(key)
        if expected is None:
            known = f"known {noun}s: " + ", ".join(sorted(schema))
            problems.append(Problem(where, line, f"unknown {noun} '{key}'", did_you_mean(key, set(schema)) or known))
        elif value is None:
            continue
        elif problem := type_problem(key, value, expected):
            problems.append(Problem(where, line, *problem))
        elif expected is bool:
            good[key] = value if isinstance(value, bool) else BOOL_WORDS[str(value).lower()]
        elif expected == "autolink":
            good[key] = ("on" if value else "off") if isinstance(value, bool) else AUTOLINK_WORDS[str(value).lower()]
        elif expected == "categories":
            good[key] = categories_of(value)
        elif expected == "site-autolink":
            good[key] = ("on" if value else "off") if isinstance(value, bool) else str(value).lower()
        elif expected == "links":
            good[key] = tuple((one_line(item["text"]), str(item["url"]).strip()) for item in value)  # type: ignore[attr-defined]
        elif expected is list:
            good[key] = [without_reserved(str(v)).strip() for v in value]  # type: ignore[attr-defined]
        else:
            good[key] = without_reserved(str(value))  # a YAML escape such as "\0" made it
    return good


def links_problem(key: str, value: object) -> tuple[str, str] | None:
    """(message, hint) when `value` is not a list of {text, url} mappings with usable addresses."""
    example = "write each as '- {text: Support, url: https://example.com/help}'"
    if not isinstance(value, list):
        return f"'{key}' must be {TYPE_NAMES['links']}, not {describe(value)}", example
    for i, item in enumerate(value, 1):
        if not isinstance(item, dict):
            return f"'{key}' item {i} is {describe(item)}, not a link", example
        if unknown := sorted(str(k) for k in item if k not in LINK_KEYS):
            hint = did_you_mean(unknown[0], set(LINK_KEYS)) or "a link has only text and url"
            return f"'{key}' item {i} has an unknown key '{unknown[0]}'", hint
        for part in LINK_KEYS:
            if not str(item.get(part) or "").strip():
                return f"'{key}' item {i} has no {part}", example
        url = str(item["url"]).strip()
        if not LINK_URL_RE.match(url):
            return (f"'{key}' item {i} has an unusable url {describe(url)}",
                    "use an http(s) or mailto: address, or a path on this site such as 'about/'")
    return None


def categories_of(value: object) -> list[tuple[str, str]]:
    """(name, description) pairs from a list of names or a mapping of name to description."""
    if isinstance(value, dict):
        return [(one_line(k), " ".join(str(v or "").split())) for k, v in value.items()]
    return [(one_line(v), "") for v in value]  # type: ignore[attr-defined]


def type_problem(key: str, value: object, expected: type | str) -> tuple[str, str] | None:
    """(message, hint) when `value` does not fit the type `key` needs, else None."""
    if expected == "date":
        if isinstance(value, str) and DATE_RE.match(value.strip()):
            return None
        return f"'{key}' must be {TYPE_NAMES[expected]}, not {describe(value)}", f"write '{key}: 2026-03-12'"
    if expected in WORDS:
        if isinstance(value, bool) or str(value).lower() in WORDS[expected]:
            return None
        return f"'{key}' must be {TYPE_NAMES[expected]}, not {describe(value)}", f"write '{key}: {WORDS[expected][-1]}'"
    if expected == "links":
        return links_problem(key, value)
    if expected == "categories":
        if isinstance(value, dict) and all(isinstance(v, (str, type(None))) for v in value.values()):
            return None
        return type_problem(key, value, list)
    if expected is str and isinstance(value, (str, int, float)):
        return None  # numbers from explicit YAML tags are fine as text
    if expected is bool and (isinstance(value, bool) or str(value).lower() in BOOL_WORDS):
        return None
    if expected is list and isinstance(value, list):
        for i, item in enumerate(value, 1):
            if not isinstance(item, (str, int, float)) or isinstance(item, bool):
                return (f"'{key}' item {i} is {describe(item)}, not text",
                        "put quotes around an item that contains ': ', ', ' or brackets")
            if not str(item).strip():
                return f"'{key}' item {i} is empty", "remove it"
        return None
    message = f"'{key}' must be {TYPE_NAMES[expected]}, not {describe(value)}"
    if expected is list and isinstance(value, (str, int, float)):
        return message, f"write '{key}: [{one_line(value)}]'"
    if expected is bool:
        return message, f"write '{key}: true' or '{key}: false'"
    return message, "put quotes around text that contains ': ' or starts with '[' or '{'"


def describe(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else repr(value[:37] + "...")
    names = {dict: "a mapping", list: "a list", bytes: "binary data", type(None): "empty"}
    return names.get(type(value), f"{type(value).__name__} {value!r}"[:60])


def default_settings() -> Settings:
    return Settings(title="Glossary", description="", base_url="http://localhost:8000/")


def load_settings(path: Path, problems: list[Problem]) -> Settings:
    where = display_path(path)
    default = default_settings()
    if not path.is_file():
        yml = path.with_suffix(".yml")
        hint = f"rename {yml.name} to {path.name}" if yml.is_file() else "create it with title, description, base_url"
        problems.append(Problem(where, 0, "missing site settings", hint))
        return default
    text = read_text(path, problems)
    if text is None:
        return default
    try:
        meta, lines = parse_yaml_mapping(without_reserved(text), what="site.yaml")
    except FrontMatterError as exc:
        problems.append(Problem(where, exc.line, exc.message, exc.hint))
        return default
    return settings_from(checked_fields(meta, lines, SITE_KEYS, where, problems, noun="setting"), lines, where,
                         problems)


def settings_from(meta: dict[str, object], lines: dict[str, int], where: str, problems: list[Problem]) -> Settings:
    """Settings from site.yaml's checked keys; reports values that are the right type but unusable."""
    default = default_settings()
    base_url = str(meta.get("base_url", default.base_url)).strip()
    if not BASE_URL_RE.match(base_url):
        problems.append(Problem(where, lines.get("base_url", 1), f"invalid base_url '{base_url}'",
                                "use an absolute http(s) address such as 'https://glossary.example.com/'"))
        base_url = default.base_url
    title = one_line(meta.get("title", default.title))
    name = str(meta.get("name", "")).strip()
    if name and not SLUG_RE.match(name):
        problems.append(Problem(where, lines["name"], f"invalid name '{name}'",
                                f"use lowercase letters, digits and hyphens, such as '{slugify(name) or 'glossary'}'"))
        name = ""
    pairs = meta.get("categories", [])
    categories = tuple(name for name, _ in pairs)  # type: ignore[attr-defined]
    check_categories(categories, where, lines.get("categories", 1), problems)
    return Settings(
        title=title,
        description=str(meta.get("description", "")).strip(),
        base_url=base_url.rstrip("/") + "/",
        language=str(meta.get("language", "en")).strip(),
        name=name or slugify(title) or "glossary",
        categories=categories,
        category_descriptions=tuple(pair for pair in pairs if pair[1]),  # type: ignore[attr-defined]
        autolink=str(meta.get("autolink", "on")),
        allow_html=bool(meta.get("allow_html", False)),
        **branding_from(meta, lines, where, problems),  # type: ignore[arg-type]
        source=where,
        lines=tuple(sorted(lines.items())),
    )


def branding_from(meta: dict[str, object], lines: dict[str, int], where: str,
                  problems: list[Problem]) -> dict[str, object]:
    """The logo, accent colours, footer links and licence, with unusable values reported and left out.
    Whether the logo file exists is checked where the theme's static files are known (the render stage)."""
    text = {key: str(meta.get(key, "")).strip() for key in ("logo", "accent", "accent_dark", "license", "license_url")}
    found = len(problems)
    if text["logo"] and (problem := logo_problem(text["logo"])):
        problems.append(Problem(where, lines["logo"], *problem))
    problems.extend(branding.accent_problems(text["accent"], text["accent_dark"], where, lines))
    if text["accent_dark"] and not text["accent"]:
        problems.append(Problem(where, lines["accent_dark"], "accent_dark without accent",
                                "set accent too: the colour for the light background"))
    problems.extend(license_problems(text["license"], text["license_url"], where, lines))
    if len(problems) > found:
        bad = {p.line for p in problems[found:]}
        text = {key: "" if lines.get(key) in bad else value for key, value in text.items()}
    return text | {"accent": text["accent"].lower(), "accent_dark": text["accent_dark"].lower(),
                   "footer_links": meta.get("footer_links", ())}


def logo_problem(logo: str) -> tuple[str, str] | None:
    """(message, hint) when `logo` cannot name an image in the static folder."""
    if not LOGO_RE.match(logo):
        return f"logo '{logo}' is not a file name in the static folder", "write a name such as 'logo.svg'"
    if not logo.lower().endswith(branding.LOGO_SUFFIXES):
        return f"logo '{logo}' is not an image", "use an SVG, PNG, JPEG, GIF, WebP or AVIF file"
    return None


def license_problems(name: str, url: str, where: str, lines: dict[str, int]) -> list[Problem]:
    """license_url must be a web address, and comes with the licence's name."""
    if url and not HTTP_URL_RE.match(url):
        return [Problem(where, lines["license_url"], f"invalid license_url '{url}'",
                        "use an absolute http(s) address such as 'https://creativecommons.org/licenses/by/4.0/'")]
    if url and not name:
        return [Problem(where, lines["license_url"], "license_url without license",
                        "name the licence too, such as 'license: CC BY 4.0'")]
    return []


def check_categories(categories: tuple[str, ...], where: str, line: int, problems: list[Problem]) -> None:
    """Each category gets the page categories/<slug>/: the slug must exist and be its own."""
    by_slug: dict[str, str] = {}
    for category in categories:
        slug = slugify(category)
        if not slug:
            problems.append(Problem(where, line, f"category '{category}' has no letters or digits",
                                    "its page address is made of them"))
        elif slug in by_slug:
            problems.append(Problem(where, line, f"categories '{by_slug[slug]}' and '{category}' would share the "
                                    f"page categories/{slug}/", "keep one of them"))
        by_slug.setdefault(slug, category)
