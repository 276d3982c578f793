"""`glossary import folder`: Markdown files from another site generator, one term a file.

Folders may nest; `index.md` is the term named by its folder, and Hugo's `_index.md` names the
folder's category. Front matter (YAML between `---`, or TOML between `+++`) is read with other
generators' key names mapped to ours (`aka` -> aliases, `short_description` -> summary, the first of
`tags` -> category, `see_also` -> related ...) and `--map FROM=TO` for the rest; a key that maps to
nothing is reported where it is, not dropped quietly. The body is kept as it is, apart from links.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from ..frontmatter import FrontMatterError, parse
from ..problems import Problem, count, display_path
from . import MAP_TARGETS, Entry, Source, normal_key, set_field, split_list, title_from_name

KEYS = {
    "title": ("title", "name", "term", "label"),
    "id": ("id", "uid", "key"),
    "slug": ("slug",),
    "aliases": ("aliases", "aka", "alsoknownas", "synonyms", "synonym", "abbreviation", "abbreviations", "acronym",
                "acronyms", "alternativenames", "othernames"),
    "summary": ("summary", "shortdescription", "shortdesc", "shortdefinition", "excerpt", "abstract", "description"),
    "category": ("category", "categories", "tags", "tag", "group", "topic", "section"),
    "related": ("related", "seealso", "relatedterms", "see", "crossreferences"),
    "previous_slugs": ("previousslugs", "redirectfrom", "oldslugs"),
    "formula": ("formula",),
    "example": ("example",),
    "reviewed": ("reviewed", "lastreviewed"),
    "updated": ("updated", "lastmod", "lastupdated", "modified", "date"),
    "autolink": ("autolink",),
    "body": ("body", "definition"),
}
DEFAULTS = {name: key for key, names in KEYS.items() for name in names}
PRIORITY = {name: i for names in KEYS.values() for i, name in enumerate(names)}  # lastmod before date ...
MARKDOWN = (".md", ".markdown")
H1_RE = re.compile(r"^# +(.+?)\s*#*\s*$")
TOML_KEY_RE = re.compile(r"^\s*([\"']?)([\w-]+)\1\s*=")


@dataclass
class Page:
    """One Markdown file of the folder: where it is, its front matter and its body."""

    path: Path
    where: str
    meta: dict[str, object]
    lines: dict[str, int]
    body: str
    body_line: int


def read_folder(root: Path, mapping: dict[str, str], problems: list[Problem]) -> Source | None:
    where = display_path(root)
    if not root.is_dir():
        message, hint = (("is a file, not a folder", "use 'glossary import csv' or 'markdown' for one file")
                         if root.exists() else ("no such folder", "check the path"))
        problems.append(Problem(where, 0, message, hint))
        return None
    files, others = markdown_files(root)
    if others:
        problems.append(Problem(where, 0, f"{count(len(others), 'file')} not imported: only Markdown files are read",
                                "such as " + ", ".join(display_path(p) for p in others[:3]), warning=True))
    maps = {normal_key(source): target for source, target in mapping.items()}
    sections = section_titles(files, problems)
    pages = [page for path in files if path.name != "_index.md" and (page := read_page(path, problems))]
    used: set[str] = set()
    entries = [page_entry(page, root, maps, sections, used, problems) for page in pages]
    for source, target in mapping.items():
        if normal_key(source) not in used:
            problems.append(Problem(where, 0, f"--map {source}={target}: no file has the key '{source}'",
                                    "check its spelling in the front matter", warning=True))
    if not files:
        problems.append(Problem(where, 0, "no Markdown files found", "the folder should hold .md files, one a term"))
    if not entries:
        return None
    by_file = {entry.source: page.path for entry, page in zip(entries, pages, strict=True)}
    return Source(entries, title_from_name(root.resolve().name), where,
                  lambda entry, url: link_key(by_file[entry.source], url))


def markdown_files(root: Path) -> tuple[list[Path], list[Path]]:
    """The Markdown files under root, and the other files, in name order (hidden ones skipped)."""
    files, others = [], []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_site", "node_modules")))
        for name in sorted(names):
            if not name.startswith("."):
                (files if name.lower().endswith(MARKDOWN) else others).append(Path(folder) / name)
    return files, others


def section_titles(files: list[Path], problems: list[Problem]) -> dict[Path, str]:
    """Folder -> the category its `_index.md` names (Hugo's section pages are not terms)."""
    titles = {}
    for path in files:
        if path.name == "_index.md" and (page := read_page(path, problems)):
            titles[path.parent] = " ".join(str(page.meta.get("title") or "").split())
            if page.body.strip():
                problems.append(Problem(page.where, page.body_line, "section page text not imported",
                                        "its title names the category of the terms in its folder", warning=True))
    return titles


def read_page(path: Path, problems: list[Problem]) -> Page | None:
    where = display_path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError:
        problems.append(Problem(where, 0, "not UTF-8 text", "save the file as UTF-8"))
        return None
    except OSError as exc:
        problems.append(Problem(where, 0, f"cannot read the file: {exc.strerror or exc}"))
        return None
    if text.startswith("+++\n"):
        return toml_page(path, where, text, problems)
    if not text.startswith("---\n") and text.rstrip() != "---":
        return Page(path, where, {}, {}, text, 1)
    try:
        parsed = parse(text)
    except FrontMatterError as exc:
        problems.append(Problem(where, exc.line, exc.message, exc.hint))
        return None
    return Page(path, where, parsed.meta, parsed.lines, parsed.body, parsed.body_line)


def toml_page(path: Path, where: str, text: str, problems: list[Problem]) -> Page | None:
    """Front matter between '+++' lines (Hugo's TOML)."""
    lines = text.split("\n")
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "+++"), None)
    if end is None:
        problems.append(Problem(where, 1, "unterminated front matter", "close it with a line '+++'"))
        return None
    try:
        meta = tomllib.loads("\n".join(lines[1:end]))
    except tomllib.TOMLDecodeError as exc:
        problems.append(Problem(where, 1, f"invalid TOML: {exc}"))
        return None
    key_lines = {m[2]: n + 2 for n, line in enumerate(lines[1:end]) if (m := TOML_KEY_RE.match(line))}
    return Page(path, where, meta, key_lines, "\n".join(lines[end + 1 :]), end + 2)


def page_entry(page: Page, root: Path, maps: dict[str, str], sections: dict[Path, str], used: set[str],
               problems: list[Problem]) -> Entry:
    own = page.path.parent if page.path.stem == "index" else page.path.with_suffix("")
    entry = Entry(title="", source=page.where, line=1, body_line=page.body_line)
    entry.keys = [path_key(own), own.name]
    for key in sorted(page.meta, key=lambda k: (DEFAULTS.get(normal_key(k), "~"), PRIORITY.get(normal_key(k), 0))):
        map_key(entry, key, page.meta[key], page.lines.get(key, 1), maps, used, problems)
    if not entry.body:
        entry.body, entry.body_line = without_blank_start(page.body, page.body_line)
    take_title(entry, own.name, problems)
    entry.name, entry.line = own.name, entry.at("title")
    if not entry.category:
        entry.category = folder_category(page.path, own, root, sections)
    return entry


def map_key(entry: Entry, key: str, value: object, line: int, maps: dict[str, str], used: set[str],
            problems: list[Problem]) -> None:
    name = normal_key(key)
    used.add(name)
    target = maps.get(name) or DEFAULTS.get(name)
    if name == "aliases" and name not in maps and any("/" in item for item in split_list(value)):
        target = "previous_slugs"  # Hugo's aliases are old addresses of the page
    if target is None:
        problems.append(Problem(entry.source, line, f"key '{key}' not imported",
                                f"map it with --map {key}=KEY; KEY is one of {', '.join(MAP_TARGETS)}", warning=True))
        return
    set_field(entry, target, value, f"key '{key}'", line, problems)


def take_title(entry: Entry, name: str, problems: list[Problem]) -> None:
    """A title from the front matter, else the body's first '# heading' (taken out), else the file name."""
    lines = entry.body.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    heading = H1_RE.match(lines[first]) if first is not None else None
    if heading and (not entry.title or heading[1] == entry.title):
        entry.title = entry.title or heading[1].strip()
        entry.body, entry.body_line = without_blank_start("\n".join(lines[first + 1 :]), entry.body_line + first + 1)
    if not entry.title:
        entry.title = title_from_name(name)
        problems.append(Problem(entry.source, 1, f"no title: took '{entry.title}' from the file name",
                                "add 'title:' to the front matter, or map a key to it with --map KEY=title",
                                warning=True))


def without_blank_start(body: str, line: int) -> tuple[str, int]:
    """The body without blank lines at its start and end, and the line it now starts on."""
    stripped = body.lstrip("\n")
    return stripped.rstrip("\n"), line + len(body) - len(stripped)


def folder_category(path: Path, own: Path, root: Path, sections: dict[Path, str]) -> str:
    """The category a term's folder names: its `_index.md` title, else the top folder's name."""
    folder = path.parent if own != path.parent else path.parent.parent
    if folder == root or root not in folder.parents:
        return ""
    if sections.get(folder):
        return sections[folder]
    top = folder.relative_to(root).parts[0]
    if sections.get(root / top):
        return sections[root / top]
    words = re.sub(r"[-_]+", " ", top).strip()
    return "" if len(words) <= 1 else words[:1].upper() + words[1:]


def path_key(path: Path) -> str:
    """One key for a term's file and folder: 'a/churn.md', 'a/churn/index.md' and 'a/churn/' are one."""
    path = path.resolve()
    if path.name.lower() in ("index.md", "_index.md", "index.html", "index"):
        path = path.parent
    elif path.suffix.lower() in (*MARKDOWN, ".html", ".mdx"):
        path = path.with_suffix("")
    return "path:" + path.as_posix()


def link_key(page: Path, url: str) -> str:
    """What a link in `page` names: a file or folder of the import, or for a site address, its last part."""
    target = unquote(url).rstrip("/")
    if target.startswith("/"):
        return Path(target).stem if target else ""
    return path_key(page.parent / target)
