"""`glossary import`: bring an existing glossary in from a spreadsheet, one Markdown file or a folder.

Each reader turns its source into `Entry` objects (what the source says, with where it says it);
`writer` then settles slugs, names, categories and links for all of them at once and writes the
term files, so every format gets the same checks and the same messages.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..problems import Problem, count

# Our front-matter keys that --map may name, plus the body, the slug, and "ignore" (drop it quietly).
MAP_TARGETS = ("title", "aliases", "summary", "category", "related", "previous_slugs", "autolink", "formula",
               "example", "reviewed", "updated", "body", "slug", "id", "ignore")
FORMATS = ("csv", "markdown", "folder")


@dataclass
class Entry:
    """One term as the source gives it, before slugs, names and links are settled."""

    title: str
    source: str  # the file it came from, as displayed
    line: int  # where the term starts in that file
    body: str = ""
    body_line: int = 0  # the source line of the body's first line (0: not known, use `line`)
    summary: str = ""
    aliases: list[str] = field(default_factory=list)
    category: str = ""
    related: list[str] = field(default_factory=list)  # titles, aliases, ids or slugs, as written
    slug: str = ""  # the slug the source asks for; '' derives one from the name, title or id
    id: str = ""  # the source's own identifier, which its links and related lists may use
    name: str = ""  # the name of its file or folder, the next choice for a slug
    keys: list[str] = field(default_factory=list)  # other names links use for it: ids, anchors, file paths
    extra: dict[str, object] = field(default_factory=dict)  # previous_slugs, autolink, formula, example, dates
    lines: dict[str, int] = field(default_factory=dict)  # source line of each field, when known

    def at(self, key: str) -> int:
        return self.lines.get(key, self.line)


@dataclass
class Source:
    """What a reader found: the entries, a title for a new site.yaml, and how its links name files."""

    entries: list[Entry]
    title: str
    where: str  # the file or folder, as displayed
    # The key a link in an entry's body names ('' when the link names nothing the source knows):
    # a resolved file path for a folder, '#anchor' for one Markdown file.
    link_key: Callable[[Entry, str], str] = lambda _entry, url: url
    anchors_are_terms: bool = False  # '#anchor' links name other terms (one Markdown file), not headings


def parse_map(text: str) -> tuple[str, str]:
    """`--map FROM=TO`: FROM is the source's key or column, TO one of ours."""
    source, equals, target = text.partition("=")
    if not equals or not source.strip() or not target.strip():
        raise argparse.ArgumentTypeError(f"'{text}' is not FROM=TO, such as 'short_description=summary'")
    target = target.strip()
    if target not in MAP_TARGETS:
        raise argparse.ArgumentTypeError(f"'{target}' is not a key glossary knows: one of {', '.join(MAP_TARGETS)}")
    return source.strip(), target


def add_import_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("import", help="import a glossary from a CSV file, one Markdown file or a folder")
    p.add_argument("format", choices=FORMATS, help="csv, markdown (one file) or folder (Markdown files)")
    p.add_argument("source", type=Path, help="the file or folder to import")
    p.add_argument("--content", type=Path, default=Path("content"), help="content folder (default content/)")
    p.add_argument("--map", type=parse_map, action="extend", nargs="+", default=[], metavar="FROM=TO",
                   help="read the source's key or column FROM as our key TO (title, aliases, summary, ...)")
    p.add_argument("--force", action="store_true", help="overwrite term files that already exist")


def import_command(args: argparse.Namespace) -> int:
    """Read the source, then write it (or report why not). Exit code 1 when anything was an error."""
    from .writer import write_import

    problems: list[Problem] = []
    source = read_source(args.format, args.source, dict(args.map), problems)
    if source is None or any(not p.warning for p in problems):
        return report_failure(problems)
    return write_import(source, args.content, args.force, problems)


def read_source(fmt: str, path: Path, mapping: dict[str, str], problems: list[Problem]) -> Source | None:
    if fmt == "csv":
        from .from_csv import read_csv

        return read_csv(path, mapping, problems)
    if fmt == "markdown":
        from .from_markdown import read_markdown

        if mapping:
            problems.append(Problem("--map", 0, "not used by the markdown format", "a heading or a definition list "
                                    "has no keys to map", warning=True))
        return read_markdown(path, problems)
    from .from_folder import read_folder

    return read_folder(path, mapping, problems)


def source_bytes(path: Path, where: str, kind: str, problems: list[Problem]) -> bytes | None:
    """The bytes of the one file a `kind` ("CSV", "Markdown") import reads, or None and what is wrong."""
    try:
        return path.read_bytes()
    except IsADirectoryError:
        problems.append(Problem(where, 0, f"is a folder, not a {kind} file",
                                "use 'glossary import folder' for a folder"))
    except FileNotFoundError:
        problems.append(Problem(where, 0, "no such file", "check the path"))
    except OSError as exc:
        problems.append(Problem(where, 0, f"cannot read the file: {exc.strerror or exc}"))
    return None


def utf8_text(data: bytes, where: str, hint: str, problems: list[Problem]) -> str | None:
    """UTF-8 text, with or without a BOM; or None and the line of the first byte that is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(Problem(where, line, f"not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be read", hint))
        return None


def report_failure(problems: list[Problem]) -> int:
    for problem in sorted(problems):
        print(problem, file=sys.stderr)
    errors = [p for p in problems if not p.warning]
    files = len({p.path for p in errors})
    print(f"Import failed: {count(len(errors), 'error')} in {count(files, 'file')}; nothing was written.",
          file=sys.stderr)
    return 1


LIST_KEYS = ("aliases", "related", "previous_slugs")
LIST_SPLIT_RE = re.compile(r"\s*[;|]\s*")
DATE_PREFIX_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
AUTOLINK_VALUES = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False,
                   "always": "always"}


def normal_key(name: str) -> str:
    """A header or key compared the forgiving way: 'See also', 'see_also' and 'SeeAlso' are one."""
    return re.sub(r"[^a-z0-9]", "", name.casefold())


def split_list(value: object) -> list[str]:
    """A list cell or value: 'ARR; Annual Run Rate' or 'ARR | ARRR' or a YAML list; empty items dropped."""
    items = value if isinstance(value, list) else LIST_SPLIT_RE.split(str(value))
    return [" ".join(str(item).split()) for item in items if item is not None and str(item).strip()]


def set_field(entry: Entry, target: str, value: object, label: str, line: int, problems: list[Problem]) -> None:
    """Put one source value into the entry under our key `target`; report what does not fit.

    `label` names the source's key for messages ("column 'Tags'", "key 'aka'")."""
    if target == "ignore" or value is None or value == "" or value == []:
        return
    if target in LIST_KEYS:
        items = split_list(value)
        merged = getattr(entry, target) if target != "previous_slugs" else entry.extra.setdefault(target, [])
        merged.extend(items)
        entry.lines.setdefault(target, line)
        return
    if target == "category" and isinstance(value, str) and LIST_SPLIT_RE.search(value):
        value = split_list(value)  # a Tags cell: 'Metrics; Finance'
    if target == "category" and isinstance(value, list):
        value = split_list(value)
        if len(value) > 1:
            problems.append(Problem(entry.source, line, f"{label}: only the first, '{value[0]}', became the category",
                                    "not imported: " + ", ".join(f"'{v}'" for v in value[1:]), warning=True))
        value = value[0] if value else ""
    if isinstance(value, (list, dict)):
        problems.append(Problem(entry.source, line, f"{label} is a list, not text", f"{target} takes one text; "
                                "not imported", warning=True))
        return
    text = str(value).strip() if target == "body" else " ".join(str(value).split())
    if taken := current(entry, target):
        problems.append(Problem(entry.source, line, f"{label} not imported: the {target} is already '{short(taken)}'",
                                f"map it elsewhere with --map, such as --map {label_key(label)}=body", warning=True))
        return
    if target in ("reviewed", "updated"):
        text = date_text(text, label, entry, line, problems)
    elif target == "autolink":
        text = autolink_text(value, label, entry, line, problems)
    if text:
        store(entry, target, text, line)


ATTRIBUTES = ("title", "summary", "category", "slug", "id", "body")  # the text fields Entry has by name


def current(entry: Entry, target: str) -> str:
    return str(getattr(entry, target) if target in ATTRIBUTES else entry.extra.get(target, ""))


def store(entry: Entry, target: str, text: str, line: int) -> None:
    entry.lines[target] = line
    if target in ATTRIBUTES:
        setattr(entry, target, text)
    else:
        entry.extra[target] = text


def short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:37] + "..."


def label_key(label: str) -> str:
    """The key inside a label: "column 'See also'" -> 'See also' (quoted for a shell when it has spaces)."""
    key = label.split("'")[1] if "'" in label else label
    return f'"{key}"' if " " in key else key


def date_text(text: str, label: str, entry: Entry, line: int, problems: list[Problem]) -> str:
    match = DATE_PREFIX_RE.match(text)
    if match:
        return match[1]
    problems.append(Problem(entry.source, line, f"{label}: '{short(text)}' is not a date such as 2026-03-12",
                            "not imported", warning=True))
    return ""


def autolink_text(value: object, label: str, entry: Entry, line: int, problems: list[Problem]) -> str:
    word = AUTOLINK_VALUES.get(str(value).strip().lower()) if not isinstance(value, bool) else value
    if word is None:
        problems.append(Problem(entry.source, line, f"{label}: '{short(str(value))}' is not true, false or always",
                                "not imported", warning=True))
        return ""
    return word if isinstance(word, str) else "true" if word else "false"


def title_from_name(name: str) -> str:
    """A readable title from a file or folder name: 'sales-terms_2024' -> 'Sales Terms 2024'."""
    words = re.sub(r"[-_.]+", " ", name).split()
    return " ".join(w[:1].upper() + w[1:] for w in words) or "Glossary"
