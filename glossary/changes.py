"""What changed in the glossary, as help-desk writers need it: terms added, removed, renamed or merged,
and definitions whose title, summary or body changed, with the size of the change in words.

Pure: made from the History that history.py read and the glossary's current terms (whose
`previous_slugs` say where a removed or renamed term went), sorted newest first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

import yaml

from .frontmatter import FrontMatterError, parse
from .history import FileChange, History
from .model import Glossary, Term

# Front-matter keys whose change changes what a definition says; the others (category, related,
# previous_slugs, autolink, reviewed, updated) change only how it is filed or linked.
DEFINING = ("title", "aliases", "summary", "formula", "example")
LINK_TARGET = re.compile(r"\]\([^)]*\)")  # a Markdown link's address is not part of the text
WORD = re.compile(r"\w+(?:['’]\w+)*")
MINUS = "\u2212"


@dataclass(frozen=True)
class Version:
    """A term file's text, as far as changes are concerned."""

    meta: dict[str, str]
    words: int
    body: str

    def get(self, key: str) -> str:
        return self.meta.get(key, "")


@dataclass(frozen=True)
class Change:
    """One entry of the changes page and feed, or of a term's own history."""

    seq: int
    commit: str
    when: str  # ISO 8601 date and time with offset
    kind: str  # added, removed, renamed, merged or edited
    slug: str  # the term's slug today ('' for a term that no longer exists)
    title: str  # its title right after the change (before it, for a removal)
    details: tuple[str, ...] = ()  # 'summary rewritten', 'body +42 words', 'renamed from old-slug', ...
    old_slug: str = ""
    file: str = ""  # the file's slug right after the change (the deleted one's, for a removal)
    major: bool = True  # False: only category, related terms or other filing details changed

    @property
    def date(self) -> str:
        return self.when[:10]

    @property
    def text(self) -> str:
        """'Added', 'Summary rewritten, body +42 words', ..."""
        if self.kind == "added":
            return "Added"
        if self.kind == "removed":
            return "Removed"
        text = ", ".join(self.details)
        return text[:1].upper() + text[1:]

    @property
    def key(self) -> str:
        """Unique within the glossary's history: the commit and the file."""
        return f"{self.commit[:12]}-{self.file}"


def version(text: str | None) -> Version | None:
    """The fields a change compares, from a file's text; None for a text that is missing or unparsable."""
    if text is None:
        return None
    try:
        parsed = parse(text)
    except (FrontMatterError, yaml.YAMLError):
        return None
    meta = {k: flat(v) for k, v in parsed.meta.items()}
    body = parsed.body.strip()
    return Version(meta, len(WORD.findall(LINK_TARGET.sub("]", body))), body)


def flat(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def word_change(old: Version, new: Version) -> str:
    """'body +42 words', 'body −3 words', 'body edited' (same length), or '' (unchanged)."""
    if old.body == new.body:
        return ""
    delta = new.words - old.words
    if delta == 0:
        return "body edited"
    sign = "+" if delta > 0 else MINUS
    return f"body {sign}{abs(delta)} word{'' if abs(delta) == 1 else 's'}"


def edit_details(old: Version | None, new: Version | None) -> tuple[tuple[str, ...], bool]:
    """(what changed, whether the definition itself changed) between two versions of a term file."""
    if old is None or new is None:
        return ("definition edited",), True
    details: list[str] = []
    if old.get("title") != new.get("title"):
        details.append(f"title changed from ‘{old.get('title')}’")
    for key, text in (("summary", "summary rewritten"), ("aliases", "aliases changed"),
                      ("formula", "formula changed"), ("example", "example changed")):
        if old.get(key) != new.get(key):
            details.append(text)
    if words := word_change(old, new):
        details.append(words)
    if details:
        return tuple(details), True
    others = sorted(k.replace("_", " ") for k in old.meta.keys() | new.meta.keys()
                    if k not in DEFINING and old.get(k) != new.get(k))
    return ((f"details edited ({', '.join(others)})" if others else "formatting edited"),), False


# --- from file changes to entries -------------------------------------------------------------


class Slugs:
    """Where an old slug lives today: through git renames, then the current terms' previous_slugs."""

    def __init__(self, glossary: Glossary, renames: Iterable[tuple[str, str]]) -> None:
        self.current = glossary.by_slug
        self.moved = dict(renames)
        self.previous = {old: t.slug for t in glossary.terms for old in t.previous_slugs}

    def now(self, slug: str) -> str:
        """The current slug of what was once `slug`, or '' if it is gone."""
        seen: set[str] = set()
        while slug not in self.current and slug not in seen:
            seen.add(slug)
            slug = self.moved.get(slug) or self.previous.get(slug, "")
            if not slug:
                return ""
        return slug if slug in self.current else ""


def changes(history: History, glossary: Glossary) -> list[Change]:
    """Every entry, newest first."""
    slugs = Slugs(glossary, ((c.old_slug, c.slug) for c in history.changes if c.status == "R"))
    found: list[Change] = []
    for group in by_commit(history.changes):
        found += commit_changes(group, slugs, glossary)
    return sorted(found, key=newest_first)


def newest_first(change: Change) -> tuple[float, int, str]:
    return (-datetime.fromisoformat(change.when).timestamp(), -change.seq, change.key)


def by_commit(file_changes: Iterable[FileChange]) -> list[list[FileChange]]:
    groups: dict[str, list[FileChange]] = {}
    for change in file_changes:
        groups.setdefault(change.commit, []).append(change)
    return list(groups.values())


def commit_changes(group: list[FileChange], slugs: Slugs, glossary: Glossary) -> list[Change]:
    """The entries of one commit. A deletion and an addition whose previous_slugs names the deleted
    slug are one rename (git calls it one only when the file's text stayed similar)."""
    deleted = {c.slug: c for c in group if c.status == "D"}
    entries: list[Change] = []
    for change in group:
        if change.status == "D":
            continue
        new = version(change.new)
        if change.status == "A":
            previous = [s for s in new.meta.get("previous_slugs", "").split(", ") if s in deleted] if new else []
            if previous:
                gone = deleted.pop(previous[0])
                change = FileChange(change.seq, change.commit, change.when, "R", change.slug, gone.slug,
                                    gone.old, change.new)
        entries.append(entry(change, version(change.old), new, slugs))
    entries += [removal(change, slugs, glossary) for change in deleted.values()]
    return entries


def entry(change: FileChange, old: Version | None, new: Version | None, slugs: Slugs) -> Change:
    title = new.get("title") if new else ""
    base = Change(change.seq, change.commit, change.when, "added", slugs.now(change.slug), title or change.slug,
                  file=change.slug)
    if change.status == "A":
        return base
    if change.status == "R":
        details, _ = edit_details(old, new) if change.old is not None else ((), False)
        edits = tuple(d for d in details if not d.startswith(("details", "formatting", "definition")))
        return _with(base, kind="renamed", old_slug=change.old_slug, details=(f"renamed from {change.old_slug}",
                                                                                *edits))
    details, major = edit_details(old, new)
    return _with(base, kind="edited", details=details, major=major)


def removal(change: FileChange, slugs: Slugs, glossary: Glossary) -> Change:
    old = version(change.old)
    title = (old.get("title") if old else "") or change.slug
    base = Change(change.seq, change.commit, change.when, "removed", "", title, old_slug=change.slug,
                  file=change.slug)
    if into := slugs.now(change.slug):
        return _with(base, kind="merged", slug=into, details=(f"merged into {glossary.by_slug[into].title}",))
    return base


def _with(change: Change, **fields: object) -> Change:
    return replace(change, **fields)  # type: ignore[arg-type]


# --- views ----------------------------------------------------------------------------------


def major(entries: Iterable[Change]) -> list[Change]:
    """The entries for the glossary-wide changes page and feed."""
    return [c for c in entries if c.major]


def of_term(entries: Iterable[Change], term: Term) -> list[Change]:
    """A term's own history, newest first (what happened under its earlier slugs included)."""
    return [c for c in entries if c.slug == term.slug]


def by_day(entries: Iterable[Change]) -> list[tuple[str, list[Change]]]:
    """Entries grouped under their dates, in the order given."""
    days: dict[str, list[Change]] = {}
    for change in entries:
        days.setdefault(change.date, []).append(change)
    return list(days.items())
