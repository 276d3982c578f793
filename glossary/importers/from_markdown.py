"""`glossary import markdown`: one Markdown file that holds a whole glossary.

Two forms are read. A heading per term (`## Term`, then its text; when the `##` headings are letter
groups such as "## A", the terms are the `###` headings under them), or a definition list (a `Term`
line, then one or more `: definition` lines). Lines such as "Also known as: ARR" or "See also: [MRR](#mrr)"
inside a definition become aliases and related terms. Links to a term's heading (`#anchor`) become
links to its page.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..problems import Problem, display_path
from . import Entry, Source, source_bytes, title_from_name, utf8_text

FENCE_RE = re.compile(r" {0,3}(?:```|~~~)")
HEADING_RE = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
EXPLICIT_ID_RE = re.compile(r"\s*\{#([\w-]+)\}\s*$")  # '## Term {#term}' (Pandoc, kramdown)
HTML_ID_RE = re.compile(r"<a\s+(?:id|name)=[\"']([^\"']+)[\"']\s*>\s*</a>\s*")
LETTER_GROUP_RE = re.compile(r"^(?:[A-Z0-9#]|[A-Z]\s*[-–]\s*[A-Z]|0\s*[-–]\s*9|numbers|symbols|numbers (?:and|&) "
                             r"symbols|other)$", re.IGNORECASE)
DEFINITION_RE = re.compile(r"^ {0,3}:[ \t]+(.*)$")
META_RE = re.compile(r"^\s*(?:[*_]{1,2})?(also known as|aka|aliases|alias|abbreviations?|synonyms?|see also|related"
                     r"(?: terms)?|category|tags?)(?:[*_]{1,2})?\s*:\s*(?:[*_]{1,2}\s*)?(.+?)\s*$", re.IGNORECASE)
META_KEYS = {"also known as": "aliases", "aka": "aliases", "aliases": "aliases", "alias": "aliases",
             "abbreviation": "aliases", "abbreviations": "aliases", "synonym": "aliases", "synonyms": "aliases",
             "see also": "related", "related": "related", "related terms": "related", "category": "category",
             "tag": "category", "tags": "category"}
LINK_RE = re.compile(r"\[([^\]]*)\]\(([^)\s]+)[^)]*\)|\[\[([^\]|]+)(?:\|[^\]]+)?\]\]")
FORMS_HINT = "write one heading per term ('## Term', then its definition) or a definition list ('Term', then " \
             "': definition')"


def read_markdown(path: Path, problems: list[Problem]) -> Source | None:
    where = display_path(path)
    text = read_file(path, where, problems)
    if text is None:
        return None
    lines = text.split("\n")
    start, title = front_matter(lines)
    headings = find_headings(lines, start)
    definitions = sum(1 for n in code_free(lines, start) if DEFINITION_RE.match(lines[n]))
    level = term_level(headings)
    if definitions > sum(lv == level for _n, lv, _t in headings):
        entries = DefinitionList(where, problems).read(lines, start)
    else:
        entries = heading_terms(lines, start, headings, where, problems)
    if not entries:
        problems.append(Problem(where, 0, "no terms found", FORMS_HINT))
        return None
    title = title or next((t for _n, level, t in headings if level == 1), "") or title_from_name(path.stem)
    return Source(entries, title, where, lambda _entry, url: link_key(url, path.name), anchors_are_terms=True)


def read_file(path: Path, where: str, problems: list[Problem]) -> str | None:
    data = source_bytes(path, where, "Markdown", problems)
    text = None if data is None else utf8_text(data, where, "save the file as UTF-8", problems)
    return None if text is None else text.replace("\r\n", "\n").replace("\r", "\n")


def link_key(url: str, file_name: str) -> str:
    """'#mrr' and 'glossary.md#mrr' (this very file) name a heading; anything else a term's slug."""
    path, _, anchor = url.partition("#")
    if anchor and (not path or path.rsplit("/", 1)[-1] == file_name):
        return f"#{anchor}"
    return path.removeprefix("./").removesuffix(".md")


def front_matter(lines: list[str]) -> tuple[int, str]:
    """The index of the first line after any front matter, and the title it gives."""
    if not lines or lines[0].rstrip() != "---":
        return 0, ""
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), 0)
    title = next((line.split(":", 1)[1].strip().strip("\"'") for line in lines[1:end]
                  if line.startswith("title:")), "")
    return (end + 1, title) if end else (0, "")


def code_free(lines: list[str], start: int) -> list[int]:
    """Indexes of the lines outside fenced code blocks."""
    free, fenced = [], False
    for n in range(start, len(lines)):
        if FENCE_RE.match(lines[n]):
            fenced = not fenced
        elif not fenced:
            free.append(n)
    return free


def find_headings(lines: list[str], start: int) -> list[tuple[int, int, str]]:
    """(line index, level, text) of every ATX heading outside code."""
    return [(n, len(m[1]), m[2]) for n in code_free(lines, start) if (m := HEADING_RE.match(lines[n]))]


def term_level(headings: list[tuple[int, int, str]]) -> int:
    """The heading level of the terms: the shallowest level that is neither the one title nor letter groups."""
    levels = sorted({level for _n, level, _t in headings})
    if levels and levels[0] == 1 and sum(level == 1 for _n, level, _t in headings) == 1 and len(levels) > 1:
        levels = levels[1:]  # '# Glossary' over the terms
    for level in levels:
        texts = [clean_heading(t)[0] for _n, lv, t in headings if lv == level]
        if not all(LETTER_GROUP_RE.match(t) for t in texts):
            return level
    return 0


def clean_heading(text: str) -> tuple[str, list[str]]:
    """The heading's title without an explicit id or anchor tag, and the anchors it declares."""
    keys = HTML_ID_RE.findall(text)
    text = HTML_ID_RE.sub("", text)
    if match := EXPLICIT_ID_RE.search(text):
        keys.append(match[1])
        text = text[: match.start()]
    return " ".join(text.split()), keys


def anchor_of(title: str) -> str:
    """The id GitHub and most renderers give a heading: lowercase, punctuation dropped, spaces as hyphens."""
    return re.sub(r"\s", "-", re.sub(r"[^\w\s-]", "", title.lower()))


def heading_terms(lines: list[str], start: int, headings: list[tuple[int, int, str]], where: str,
                  problems: list[Problem]) -> list[Entry]:
    level = term_level(headings)
    terms = [(n, t) for n, lv, t in headings if lv == level]
    if not terms:
        return []
    ends = [next((m for m, lv, _t in headings if m > n and lv <= level), len(lines)) for n, _t in terms]
    stray(lines, start, terms[0][0], where, problems)
    entries = []
    for (n, text), end in zip(terms, ends, strict=True):
        title, keys = clean_heading(text)
        body = [demoted(line, level) for line in lines[n + 1 : end]]
        entries.append(entry_from(title, keys, body, n + 1, n + 2, where, problems))
    return entries


def stray(lines: list[str], start: int, end: int, where: str, problems: list[Problem]) -> None:
    """Text before the first term is an introduction, not a definition: reported, not imported."""
    first = next((n for n in range(start, end) if lines[n].strip() and not HEADING_RE.match(lines[n])), None)
    if first is not None:
        problems.append(Problem(where, first + 1, "text before the first term not imported",
                                "it belongs to no term; put it in site.yaml's description if it describes the glossary",
                                warning=True))


def demoted(line: str, level: int) -> str:
    """A heading inside a definition, moved up so that the term's own sub-headings start at '##'."""
    match = HEADING_RE.match(line)
    if not match:
        return line
    return "#" * max(2, len(match[1]) - level + 1) + " " + match[2]


def entry_from(title: str, keys: list[str], body: list[str], line: int, body_line: int, where: str,
               problems: list[Problem]) -> Entry:
    """An entry from a title and its definition lines, with meta lines taken out of the body."""
    entry = Entry(title=title, source=where, line=line, body_line=body_line)
    entry.keys = [f"#{key}" for key in (*keys, anchor_of(title))]
    kept: list[str] = []
    for number, text in enumerate(body, body_line):
        match = META_RE.match(text)
        if match and not text.startswith((" " * 4, "\t")):
            meta(entry, META_KEYS[match[1].lower()], match[2], number, problems)
        else:
            kept.append(text)
    while kept and not kept[0].strip():
        kept.pop(0)
        entry.body_line += 1
    entry.body = re.sub(r"\n\s*\n(?:\s*\n)+", "\n\n", "\n".join(kept)).strip("\n")
    return entry


def meta(entry: Entry, key: str, value: str, line: int, problems: list[Problem]) -> None:
    items = [item.strip(" *_.") for item in re.split(r"\s*[,;|]\s*", value) if item.strip(" *_.")]
    names = [link_name(item) for item in items]
    entry.lines.setdefault(key, line)
    if key == "category":
        entry.category = entry.category or names[0]
        if len(names) > 1:
            problems.append(Problem(entry.source, line, f"only the first, '{names[0]}', became the category",
                                    "not imported: " + ", ".join(f"'{n}'" for n in names[1:]), warning=True))
    else:
        getattr(entry, key).extend(names)


def link_name(item: str) -> str:
    """A see-also item: '[MRR](#mrr)' names the anchor '#mrr', '[[MRR]]' and plain 'MRR' the name."""
    match = LINK_RE.fullmatch(item)
    if not match:
        return item
    if match[3]:
        return match[3].strip()
    return match[2] if match[2].startswith("#") else match[1] or match[2]


class DefinitionList:
    """Reads 'Term' lines each followed by ': definition' lines; indented lines (and lines that follow
    a definition without a blank line) continue it; several term lines share one definition."""

    def __init__(self, where: str, problems: list[Problem]) -> None:
        self.where, self.problems = where, problems
        self.entries: list[Entry] = []
        self.names: list[tuple[int, str]] = []  # the paragraph that may name the next term
        self.current: Entry | None = None
        self.body: list[str] = []
        self.fenced = self.after_blank = False

    def read(self, lines: list[str], start: int) -> list[Entry]:
        for n in range(start, len(lines)):
            self.line(n, lines[n])
            self.after_blank = not lines[n].strip()
        self.stray()
        self.close()
        return self.entries

    def line(self, n: int, line: str) -> None:
        inner = dedent(line)
        if self.current and not self.names and (self.fenced or FENCE_RE.match(inner)):
            self.fenced = self.fenced != bool(FENCE_RE.match(inner))
            self.body.append(inner)
        elif definition := DEFINITION_RE.match(line):
            self.definition(n, definition[1])
        elif not line.strip():
            if self.body and self.body[-1]:
                self.body.append("")
        elif HEADING_RE.match(line):
            self.stray()
        elif self.current and not self.names and (line.startswith(("  ", "\t")) or not self.after_blank):
            self.body.append(inner)
        else:
            if self.after_blank:
                self.stray()
            self.names.append((n, line.strip()))

    def definition(self, n: int, text: str) -> None:
        if self.names:
            self.close()
            (first, title), *others = self.names
            self.current = Entry(title=title, source=self.where, line=first + 1, body_line=n + 1)
            self.current.aliases = [name for _n, name in others]
            self.names, self.body = [], [text]
        elif self.current:
            self.body += ["", text] if self.body and self.body[-1] else [text]

    def stray(self) -> None:
        """A paragraph no ': definition' followed: reported, not imported."""
        if self.names:
            self.problems.append(Problem(self.where, self.names[0][0] + 1, "text outside the definition list "
                                         "not imported", "give it a ': definition' line, or remove it",
                                         warning=True))
        self.names = []

    def close(self) -> None:
        if self.current:
            entry = entry_from(self.current.title, [], self.body, self.current.line, self.current.body_line,
                               self.where, self.problems)
            entry.aliases[:0] = self.current.aliases
            self.entries.append(entry)
        self.current, self.body, self.fenced = None, [], False


def dedent(line: str) -> str:
    """A continuation line without the indent that attaches it to its definition."""
    return line[4:] if line.startswith("    ") else line.lstrip(" \t")
