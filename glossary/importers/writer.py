"""Turn imported entries into term files and site.yaml, with the checks `glossary build` makes.

All entries are settled together: slugs (valid, unique), names (a title or alias belongs to one term),
categories (declared once, spelled one way), related terms and links (by title, alias, id, anchor or
file). What the build would refuse is left out with a warning, so that what is written builds at
once. Nothing is written when there is an error, or when a term file exists and --force was not given.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..frontmatter import FrontMatterError, parse_yaml_mapping
from ..load import categories_of, term_from_text
from ..model import fold, slugify
from ..problems import Problem, count, display_path
from . import Entry, Source, report_failure

FENCE_RE = re.compile(r" {0,3}(?:```|~~~)")
# In one line of a body: a code span (left alone), a [[wiki link]], or a Markdown link or image.
LINK_RE = re.compile(
    r"(?P<code>`+).*?(?P=code)"
    r"|\[\[(?P<wiki>[^\]\n|]+)(?:\|(?P<label>[^\]\n]+))?\]\]"
    r"|(?P<image>!?)\[(?P<text>[^\]\n]*)\]\((?P<url><[^>\n]*>|[^)\s]+)(?P<title>\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*\)"
)
SCHEME_RE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")
ANCHOR_RE = re.compile(r"^[\w-]+$")
PLAIN_START_RE = re.compile(r"[A-Za-z0-9\u00c0-\uffff(]")
NOT_PLAIN = {"true", "false", "yes", "no", "on", "off", "null", "y", "n"}
SENTENCE_RE = re.compile(r"^(.+?[.!?])(?=\s+[A-Z\"“(]|\s*$)", re.DOTALL)
MAX_SUMMARY = 200
FIELD_ORDER = ("previous_slugs", "autolink", "formula", "example", "reviewed", "updated")


@dataclass
class Term:
    """An entry with everything settled: what its file will say."""

    entry: Entry
    slug: str
    aliases: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    previous: list[str] = field(default_factory=list)
    category: str = ""
    summary: str = ""
    body: str = ""


@dataclass
class Existing:
    """A term file already in the content folder that this import leaves alone."""

    source: str
    title: str
    aliases: tuple[str, ...]
    previous: tuple[str, ...]


def write_import(source: Source, content: Path, force: bool, problems: list[Problem]) -> int:
    terms_dir, site_path = content / "terms", content / "site.yaml"
    entries = unique_titles(source.entries, problems)
    terms = [Term(e, slug) for e, slug in zip(entries, assign_slugs(entries, problems), strict=True)]
    targets = {t.slug for t in terms}
    existing = existing_terms(terms_dir, skip=targets)
    if not force:
        for slug in sorted(targets):
            if (path := terms_dir / f"{slug}.md").exists():
                problems.append(Problem(display_path(path), 0, "already exists",
                                        "nothing was written; import with --force to overwrite it"))
    declared = declared_categories(site_path, problems)
    if not terms and not any(not p.warning for p in problems):
        problems.append(Problem(source.where, 0, "no terms found", "nothing was written"))
    Settler(terms, existing, source, problems).settle()
    new_categories = settle_categories(terms, declared or [], problems)
    files = {terms_dir / f"{t.slug}.md": term_text(t, problems) for t in terms}
    site_text = site_yaml(site_path, source.title, declared, new_categories, problems)
    if any(not p.warning for p in problems):
        return report_failure(sorted(problems))
    for problem in sorted(problems):
        print(problem, file=sys.stderr)
    write_files(files, site_path, site_text)
    print_summary(len(terms), terms_dir, site_path, declared is None, new_categories, problems)
    return 0


def unique_titles(entries: list[Entry], problems: list[Problem]) -> list[Entry]:
    """Entries whose titles are unique (ignoring case and accents); a repeated title is an error."""
    first: dict[str, Entry] = {}
    kept = []
    for entry in entries:
        other = first.setdefault(fold(entry.title), entry)
        if other is entry:
            kept.append(entry)
        else:
            problems.append(Problem(entry.source, entry.line, f"term '{entry.title}' is already defined at "
                                    f"{other.source}:{other.line}", "merge the two into one, or rename one"))
    return kept


def assign_slugs(entries: list[Entry], problems: list[Problem]) -> list[str]:
    """A valid slug for each entry, from its slug, name, title or id; -2, -3 ... on a collision (reported)."""
    taken: dict[str, Entry] = {}
    slugs = []
    for entry in entries:
        base = slugify(entry.slug) or slugify(entry.name) or slugify(entry.title) or slugify(entry.id) or "term"
        if entry.slug and base != entry.slug:
            problems.append(Problem(entry.source, entry.at("slug"), f"slug '{entry.slug}' is not a valid slug",
                                    f"wrote it as '{base}'", warning=True))
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        if slug != base:
            other = taken[base]
            problems.append(Problem(entry.source, entry.line, f"slug '{base}' is already used by "
                                    f"{other.source}:{other.line} ('{other.title}')", f"wrote terms/{slug}.md",
                                    warning=True))
        taken[slug] = entry
        slugs.append(slug)
    return slugs


def existing_terms(terms_dir: Path, skip: set[str]) -> dict[str, Existing]:
    """The term files already there, by slug, except those the import replaces."""
    found: dict[str, Existing] = {}
    if not terms_dir.is_dir():
        return found
    for path in sorted(terms_dir.glob("*.md")):
        if path.stem in skip:
            continue
        where = display_path(path)
        try:
            term = term_from_text(path.stem, where, path.read_text(encoding="utf-8"), [])
        except (OSError, UnicodeDecodeError):
            term = None
        found[path.stem] = Existing(where, term.title if term else "", term.aliases if term else (),
                                    term.previous_slugs if term else ())
    return found


class Settler:
    """Names, aliases, previous slugs, related terms and links, settled across all the terms at once."""

    def __init__(self, terms: list[Term], existing: dict[str, Existing], source: Source,
                 problems: list[Problem]) -> None:
        self.terms, self.existing, self.source, self.problems = terms, existing, source, problems
        self.names: dict[str, tuple[str, str]] = {}  # folded name -> (slug, "the title of file:line")
        self.addresses: dict[str, tuple[str, str]] = {}  # slug under terms/ -> (owning slug, what it is)
        self.keys: dict[str, str] = {}  # ids, anchors and file paths -> slug

    def settle(self) -> None:
        self.register()
        for term in self.terms:
            self.settle_aliases(term)
        for term in self.terms:
            self.settle_previous(term)
            term.related = self.resolve_related(term)
            term.body = self.rewrite_links(term)

    def register(self) -> None:
        for slug, other in self.existing.items():
            self.addresses[slug] = (slug, f"the page of {other.source}")
            self.keys[slug] = slug
            if other.title:
                self.names[fold(other.title)] = (slug, f"the title of {other.source}")
            for alias in other.aliases:
                self.names.setdefault(fold(alias), (slug, f"an alias of {other.source}"))
                self.addresses.setdefault(slugify(alias), (slug, f"the redirect of an alias of {other.source}"))
            for previous in other.previous:
                self.addresses.setdefault(previous, (slug, f"the redirect of a previous slug of {other.source}"))
        for term in self.terms:
            self.register_term(term)

    def register_term(self, term: Term) -> None:
        entry = term.entry
        where = f"{entry.source}:{entry.line}"
        if taken := self.names.get(fold(entry.title)):
            self.problems.append(Problem(entry.source, entry.line, f"term '{entry.title}' is already {taken[1]}",
                                         "rename one of them, or leave one out"))
        if taken := self.addresses.get(term.slug):
            self.problems.append(Problem(entry.source, entry.line, f"terms/{term.slug}/ is already {taken[1]}",
                                         "give the term another slug, or change that file"))
        self.names[fold(entry.title)] = (term.slug, f"the title of {where}")
        self.addresses[term.slug] = (term.slug, f"the page of {where}")
        for key in [term.slug, entry.id, *entry.keys]:
            if key:
                self.keys.setdefault(key, term.slug)

    def settle_aliases(self, term: Term) -> None:
        entry = term.entry
        line, seen = entry.at("aliases"), {fold(entry.title)}
        for alias in (" ".join(a.split()) for a in entry.aliases):
            name, address = fold(alias), slugify(alias)
            owner = self.names.get(name)
            if name == fold(entry.title):
                self.drop(entry, line, f"alias '{alias}' is the term's own title")
            elif name in seen:
                self.drop(entry, line, f"alias '{alias}' is listed twice")
            elif owner:
                self.drop(entry, line, f"alias '{alias}' is already {owner[1]}")
            elif address and self.addresses.get(address, (term.slug,))[0] != term.slug:
                self.drop(entry, line, f"alias '{alias}' would redirect terms/{address}/, already "
                                       f"{self.addresses[address][1]}")
            else:
                term.aliases.append(alias)
                self.names[name] = (term.slug, f"an alias of {entry.source}:{line}")
                if address:
                    what = f"the redirect of an alias of {entry.source}:{line}"
                    self.addresses.setdefault(address, (term.slug, what))
            seen.add(name)

    def drop(self, entry: Entry, line: int, message: str) -> None:
        self.problems.append(Problem(entry.source, line, message, "left out", warning=True))

    def settle_previous(self, term: Term) -> None:
        entry = term.entry
        line = entry.at("previous_slugs")
        for value in entry.extra.get("previous_slugs", []):  # type: ignore[attr-defined]
            slug = slugify(str(value).rstrip("/").rsplit("/", 1)[-1])
            owner = self.addresses.get(slug)
            if not slug:
                self.drop(entry, line, f"previous slug '{value}' has no letters or digits")
            elif owner and owner[0] != term.slug:
                self.drop(entry, line, f"previous slug '{value}' would redirect terms/{slug}/, already {owner[1]}")
            elif slug != term.slug and slug not in term.previous:
                term.previous.append(slug)
                self.addresses[slug] = (term.slug, f"the redirect of a previous slug of {entry.source}:{line}")

    def lookup(self, name: str) -> str:
        """The slug a name, id, key or slug stands for, or ''."""
        name = name.strip()
        for candidate in (name, name.removesuffix(".md")):
            if candidate in self.keys:
                return self.keys[candidate]
            if fold(candidate) in self.names:
                return self.names[fold(candidate)][0]
        return self.keys.get(slugify(name), "")

    def resolve_related(self, term: Term) -> list[str]:
        entry = term.entry
        related: list[str] = []
        for name in entry.related:
            slug = self.lookup(name)
            if not slug:
                self.problems.append(Problem(entry.source, entry.at("related"), f"related term '{name}' not found",
                                             "left out: name a term by its title, an alias or its id",
                                             warning=True))
            elif slug != term.slug and slug not in related:
                related.append(slug)
        return related

    def rewrite_links(self, term: Term) -> str:
        """The body with links between imported terms as [text](slug.md); other relative links become text."""
        entry = term.entry
        first = entry.body_line or entry.line
        lines, fenced = entry.body.split("\n"), False
        for n, line in enumerate(lines):
            if FENCE_RE.match(line):
                fenced = not fenced
            elif not fenced and "[" in line:
                lines[n] = LINK_RE.sub(lambda m, at=first + n: self.link(m, entry, at), line)
        return "\n".join(lines)

    def link(self, match: re.Match[str], entry: Entry, line: int) -> str:
        if match["code"] or match["image"]:
            return match[0]
        if match["wiki"]:
            return self.wiki_link(match["wiki"], match["label"], entry, line)
        url = match["url"].strip("<>")
        if SCHEME_RE.match(url) or (url.startswith("#") and not self.source.anchors_are_terms):
            return match[0]
        path, _, anchor = url.partition("#")
        slug = self.lookup(self.source.link_key(entry, path or url))
        if not slug:
            self.problems.append(Problem(entry.source, line, f"link to '{url}' leads to no imported term",
                                         "kept its text, without the link", warning=True))
            return match["text"]
        anchor = f"#{anchor}" if path and ANCHOR_RE.match(anchor) else ""
        return f"[{match['text']}]({slug}.md{anchor})"

    def wiki_link(self, target: str, label: str | None, entry: Entry, line: int) -> str:
        name = target.split("#")[0].strip()
        text = (label or target).strip()
        slug = self.lookup(name)
        if not slug:
            self.problems.append(Problem(entry.source, line, f"wiki link '[[{target}]]' names no imported term",
                                         "kept its text, without the link", warning=True))
            return text
        return f"[{text}]({slug}.md)"


def settle_categories(terms: list[Term], declared: list[str], problems: list[Problem]) -> list[str]:
    """Each term's category, spelled as declared or as first found; returns the categories to declare."""
    by_fold = {fold(c): c for c in declared}
    by_slug = {slugify(c): c for c in declared}
    new: list[str] = []
    for term in terms:
        entry = term.entry
        category = " ".join(entry.category.split())
        if not category:
            continue
        slug = slugify(category)
        if fold(category) in by_fold:
            term.category = by_fold[fold(category)]
        elif not slug:
            problems.append(Problem(entry.source, entry.at("category"), f"category '{category}' has no letters or "
                                    "digits", "left out", warning=True))
        elif slug in by_slug:
            term.category = by_slug[slug]
            problems.append(Problem(entry.source, entry.at("category"), f"category '{category}' written as "
                                    f"'{term.category}'", f"both would have the page categories/{slug}/",
                                    warning=True))
        else:
            term.category = by_fold[fold(category)] = by_slug[slug] = category
            new.append(category)
    return new


def declared_categories(site_path: Path, problems: list[Problem]) -> list[str] | None:
    """The categories an existing site.yaml declares; None when there is no site.yaml."""
    if not site_path.is_file():
        return None
    where = display_path(site_path)
    try:
        meta, _lines = parse_yaml_mapping(site_path.read_text(encoding="utf-8"), what="site.yaml")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(where, 0, f"cannot read the file: {exc}", "fix site.yaml, then import again"))
        return []
    except FrontMatterError as exc:
        problems.append(Problem(where, exc.line, exc.message, "fix site.yaml, then import again"))
        return []
    value = meta.get("categories") or []
    return [name for name, _ in categories_of(value)] if isinstance(value, (list, dict)) else []


def term_text(term: Term, problems: list[Problem]) -> str:
    """The term file: front matter in the order the README shows, then the body."""
    entry = term.entry
    body = term.body.strip("\n")
    summary = " ".join(entry.summary.split()) or first_sentence(body)
    if not body:
        body = summary
    if not body:
        problems.append(Problem(entry.source, entry.line, f"'{entry.title}' has no definition",
                                "its page will show the title alone", warning=True))
    lines = [f"title: {yaml_text(entry.title)}"]
    lines += [f"aliases: {yaml_list(term.aliases)}"] if term.aliases else []
    lines += [f"summary: {yaml_text(summary)}"] if summary else []
    lines += [f"category: {yaml_text(term.category)}"] if term.category else []
    lines += [f"related: {yaml_list(term.related)}"] if term.related else []
    lines += [f"previous_slugs: {yaml_list(term.previous)}"] if term.previous else []
    lines += [f"{key}: {yaml_text(str(entry.extra[key]))}" for key in FIELD_ORDER[1:] if entry.extra.get(key)]
    text = "---\n" + "\n".join(lines) + "\n---\n" + (body + "\n" if body else "")
    check_term(term, text, problems)
    return text


def check_term(term: Term, text: str, problems: list[Problem]) -> None:
    """Parse the text as the build will; anything it refuses is reported at the entry's source."""
    found: list[Problem] = []
    term_from_text(term.slug, f"terms/{term.slug}.md", text, found)
    for problem in found:
        if not problem.warning:
            problems.append(Problem(term.entry.source, term.entry.line, problem.message, problem.hint))


def yaml_text(text: str, in_list: bool = False) -> str:
    """A YAML scalar that reads back as this very text: plain when safe, else JSON-quoted (valid YAML)."""
    plain = PLAIN_START_RE.match(text) and text == text.strip() and text.isprintable() and ": " not in text \
        and " #" not in text and not text.endswith(":") and text.lower() not in NOT_PLAIN \
        and not (in_list and any(c in text for c in ",[]{}\"'"))
    return text if plain else json.dumps(text, ensure_ascii=False)


def yaml_list(items: list[str]) -> str:
    return "[" + ", ".join(yaml_text(item, in_list=True) for item in items) + "]"


def first_sentence(body: str) -> str:
    """The definition's first sentence as plain text, for a summary (cut at a word past MAX_SUMMARY)."""
    paragraph = next((p for p in re.split(r"\n\s*\n", body) if p.strip() and not re.match(r"\s*(?:#|\||```|~~~|<)", p)),
                     "")
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", paragraph)
    text = re.sub(r"\[\[(?:[^\]|]+\|)?([^\]]+)\]\]", r"\1", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>|[*_`]+|^\s*(?:[-+>]|\d+[.)])\s+", "", text, flags=re.MULTILINE)
    text = " ".join(text.split())
    match = SENTENCE_RE.match(text)
    sentence = match[1] if match else text
    if len(sentence) > MAX_SUMMARY:
        sentence = sentence[:MAX_SUMMARY].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return sentence


def site_yaml(path: Path, title: str, declared: list[str] | None, new: list[str],
              problems: list[Problem]) -> str | None:
    """The text site.yaml should have, or None when it stays as it is."""
    if declared is None:
        return new_site_yaml(title, new)
    if not new:
        return None
    text = path.read_text(encoding="utf-8")
    edited = with_categories(text, new)
    if edited is None or declared_after(edited) != [*declared, *new]:
        problems.append(Problem(display_path(path), 0, "cannot add the new categories to site.yaml",
                                "add them under 'categories' yourself: " + ", ".join(new)))
        return None
    return edited


def new_site_yaml(title: str, categories: list[str]) -> str:
    lines = [
        "# Site settings (the README describes each one).",
        f"title: {yaml_text(title)}",
        f"description: {yaml_text(f'{title}: terms and their definitions.')}",
        "base_url: https://glossary.example.com/  # where the site will be published",
        "language: en",
    ]
    if categories:
        lines += ["categories:", *(f"  - {yaml_text(c)}" for c in categories)]
    return "\n".join(lines) + "\n"


def with_categories(text: str, new: list[str]) -> str | None:
    """site.yaml's text with `new` added to its categories, keeping its layout and comments."""
    lines = text.rstrip("\n").split("\n")
    start = next((i for i, line in enumerate(lines) if re.match(r"categories\s*:", line)), None)
    if start is None:
        return "\n".join([*lines, "categories:", *(f"  - {yaml_text(c)}" for c in new)]) + "\n"
    flow = re.fullmatch(r"(categories\s*:\s*\[)(.*?)(\]\s*(?:#.*)?)", lines[start])
    if flow:
        items = [flow[2].strip()] if flow[2].strip() else []
        lines[start] = flow[1] + ", ".join([*items, *(yaml_text(c) for c in new)]) + flow[3]
        return "\n".join(lines) + "\n"
    end = start + 1
    while end < len(lines) and (lines[end][:1] in (" ", "\t") or not lines[end].strip()):
        end += 1
    items = [line for line in lines[start + 1 : end] if line.strip() and not line.strip().startswith("#")]
    if not items or re.sub(r"\s*#.*", "", lines[start]).strip() != "categories:":
        return None
    indent = re.match(r"\s*", items[0])[0]  # type: ignore[index]
    as_list = items[0].strip().startswith("- ")
    added = [f"{indent}- {yaml_text(c)}" if as_list else f"{indent}{yaml_text(c)}: \"\"" for c in new]
    last = max(i for i in range(start + 1, end) if lines[i].strip())
    return "\n".join([*lines[: last + 1], *added, *lines[last + 1 :]]) + "\n"


def declared_after(text: str) -> list[str] | None:
    try:
        meta, _lines = parse_yaml_mapping(text, what="site.yaml")
    except FrontMatterError:
        return None
    value = meta.get("categories") or []
    return [name for name, _ in categories_of(value)] if isinstance(value, (list, dict)) else None


def write_files(files: dict[Path, str], site_path: Path, site_text: str | None) -> None:
    for path, text in [*files.items(), *([(site_path, site_text)] if site_text is not None else [])]:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")


def print_summary(terms: int, terms_dir: Path, site_path: Path, created: bool, new: list[str],
                  problems: list[Problem]) -> None:
    where = display_path(site_path)
    if created:
        print(f"Wrote {where}: set its title, description and base_url.")
    elif new:
        noun = "category" if len(new) == 1 else "categories"
        print(f"Added {len(new)} {noun} to {where}: {', '.join(new)}.")
    warnings = sum(p.warning for p in problems)
    note = f" ({count(warnings, 'warning')})" if warnings else ""
    print(f"Imported {count(terms, 'term')} into {display_path(terms_dir)}/{note}.")

