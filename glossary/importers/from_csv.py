"""`glossary import csv`: a spreadsheet export, one term a row.

Separators (comma, semicolon, tab) are told apart by the header line, which holds no line breaks;
header names are matched loosely ('See also', 'see_also', 'SEE ALSO') against the names
spreadsheets use for each of our keys.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..problems import Problem, display_path
from . import Entry, Source, normal_key, set_field, source_bytes, title_from_name, utf8_text

HEADERS = {
    "title": ("term", "title", "name", "word", "entry", "glossaryterm", "termname"),
    "body": ("definition", "body", "description", "meaning", "explanation", "longdefinition", "longdescription",
             "text", "details"),
    "summary": ("summary", "shortdescription", "shortdefinition", "short", "oneliner", "tldr", "excerpt"),
    "aliases": ("abbreviation", "abbreviations", "aliases", "alias", "synonyms", "synonym", "aka", "alsoknownas",
                "acronym", "acronyms", "othernames", "alternativenames"),
    "category": ("category", "categories", "tags", "tag", "group", "topic", "section", "domain"),
    "related": ("seealso", "related", "relatedterms", "see", "crossreferences"),
    "slug": ("slug", "urlslug"),
    "id": ("id", "key", "termid"),
    "previous_slugs": ("previousslugs", "oldslugs", "redirects"),
    "formula": ("formula", "calculation"),
    "example": ("example", "examples"),
    "reviewed": ("reviewed", "lastreviewed", "reviewedon"),
    "updated": ("updated", "lastupdated", "modified", "lastmodified", "updatedon"),
    "autolink": ("autolink",),
}
SYNONYMS = {name: key for key, names in HEADERS.items() for name in names}
DELIMITERS = (",", ";", "\t")
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def read_csv(path: Path, mapping: dict[str, str], problems: list[Problem]) -> Source | None:
    where = display_path(path)
    text = decoded(path, where, problems)
    if text is None:
        return None
    rows = list(numbered_rows(text))
    if not rows:
        problems.append(Problem(where, 0, "the file is empty", "export the spreadsheet with its header row"))
        return None
    header_line, header = rows[0]
    targets = column_targets(header, mapping, where, header_line, problems)
    if "title" not in targets.values():
        found = ", ".join(f"'{h}'" for h in header if h.strip()) or "none"
        problems.append(Problem(where, header_line, "no column for the term", f"name a column Term or Title, or use "
                                f"--map COLUMN=title; columns found: {found}"))
        return None
    entries = [entry for line, row in rows[1:] if (entry := row_entry(row, line, header, targets, where, problems))]
    return Source(entries, title_from_name(path.stem), where, csv_link_key)


def csv_link_key(_entry: Entry, url: str) -> str:
    """A link in a cell names another row by its slug or id: 'churn-rate.md', './churn-rate'."""
    return url.removeprefix("./").removesuffix(".md")


def decoded(path: Path, where: str, problems: list[Problem]) -> str | None:
    """The file's text: UTF-8 with or without a BOM, or UTF-16 with one (Excel's 'Unicode text')."""
    data = source_bytes(path, where, "CSV", problems)
    if data is None:
        return None
    if data.startswith(UTF16_BOMS):
        return data.decode("utf-16")
    return utf8_text(data, where, "export the spreadsheet as 'CSV UTF-8'", problems)


def delimiter_of(text: str) -> str:
    """The separator the header line uses most, outside quotes (a comma when it has none)."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    outside, quoted = [], False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted:
            outside.append(char)
    counts = {d: outside.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def numbered_rows(text: str) -> list[tuple[int, list[str]]]:
    """(first line, cells) for every row that has any text; cells keep their inner line breaks as LF."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text))
    rows, last = [], 0
    for row in reader:
        first, last = last + 1, reader.line_num
        cells = [cell.replace("\r\n", "\n").replace("\r", "\n") for cell in row]
        if any(cell.strip() for cell in cells):
            rows.append((first, cells))
    return rows


def column_targets(header: list[str], mapping: dict[str, str], where: str, line: int,
                   problems: list[Problem]) -> dict[int, str]:
    """Column number -> our key; reports the columns that map to nothing."""
    maps = {normal_key(source): target for source, target in mapping.items()}
    targets: dict[int, str] = {}
    for number, name in enumerate(header):
        key = normal_key(name)
        target = maps.get(key) or SYNONYMS.get(key)
        if target:
            targets[number] = target
        elif name.strip():
            problems.append(Problem(where, line, f"column '{name.strip()}' not imported",
                                    f"map it with --map \"{name.strip()}=KEY\"; KEY is one of title, aliases, "
                                    "summary, category, related, body, ignore", warning=True))
    for source in mapping:
        if normal_key(source) not in {normal_key(h) for h in header}:
            problems.append(Problem(where, line, f"--map {source}=...: no column '{source}'",
                                    "columns found: " + ", ".join(f"'{h}'" for h in header if h.strip()),
                                    warning=True))
    return targets


def row_entry(row: list[str], line: int, header: list[str], targets: dict[int, str], where: str,
              problems: list[Problem]) -> Entry | None:
    title_column = next(n for n, t in targets.items() if t == "title")
    title = " ".join(row[title_column].split()) if title_column < len(row) else ""
    if not title:
        problems.append(Problem(where, line, f"row has no term in column '{header[title_column].strip()}'",
                                "fill it in, or delete the row"))
        return None
    entry = Entry(title=title, source=where, line=line)
    for number, cell in enumerate(row):
        target = targets.get(number)
        if number >= len(header):
            if cell.strip():
                problems.append(Problem(where, line, f"'{title}' has more cells than the header has columns",
                                        f"not imported: '{cell.strip()[:40]}'", warning=True))
        elif target and target != "title":
            set_field(entry, target, cell, f"column '{header[number].strip()}'", line, problems)
    return entry
