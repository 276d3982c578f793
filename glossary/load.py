"""Load stage: read content/site.yaml and content/terms/*.md into Settings and Terms.

This and `output` are the only modules that touch the content or output folders.
Every problem is collected; nothing stops at the first one.
"""

from __future__ import annotations

import re
from pathlib import Path

from .frontmatter import FrontMatterError, parse, parse_yaml_mapping
from .model import SLUG_RE, Settings, Term, slugify
from .problems import Problem, did_you_mean, display_path

TERM_KEYS = {
    "title": str,
    "aliases": list,
    "summary": str,
    "category": str,
    "related": list,
    "previous_slugs": list,
    "autolink": bool,
}
SITE_KEYS = {
    "title": str,
    "description": str,
    "base_url": str,
    "language": str,
    "name": str,
    "categories": list,
    "allow_html": bool,
}
TYPE_NAMES = {str: "a string", list: "a list", bool: "true or false"}
BASE_URL_RE = re.compile(r"^https?://[A-Za-z0-9.-]+(?::\d+)?(?:/[^\s?#]*)?$")
# U+E000 marks the site root inside rendered HTML (see link.py); authors never need it.
RESERVED_CHARS = str.maketrans("", "", "\ue000")


def load_content(content_dir: Path, problems: list[Problem]) -> tuple[Settings, list[Term]]:
    settings = load_settings(content_dir / "site.yaml", problems)
    terms = [t for path in term_files(content_dir, problems) if (t := load_term(path, problems))]
    return settings, terms


def term_files(content_dir: Path, problems: list[Problem]) -> list[Path]:
    terms_dir = content_dir / "terms"
    where = display_path(terms_dir)
    if not terms_dir.is_dir():
        problems.append(Problem(where, 0, "no terms folder", f"create {where}/ with one .md file per term"))
        return []
    root = content_dir.resolve()
    files = []
    for path in sorted(terms_dir.glob("*.md")):
        if path.is_symlink() and not path.resolve().is_relative_to(root):
            problems.append(Problem(display_path(path), 0, "symbolic link points outside the content folder",
                                    "copy the file into the content folder instead"))
            continue
        files.append(path)
    if not files and not problems:
        problems.append(Problem(where, 0, "no term files", f"add one Markdown file per term, such as {where}/lead.md"))
    return files


def read_text(path: Path, problems: list[Problem]) -> str | None:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(Problem(display_path(path), line, f"not UTF-8 text (byte 0x{data[exc.start]:02x})",
                                "save the file as UTF-8"))
        return None


def load_term(path: Path, problems: list[Problem]) -> Term | None:
    where = display_path(path)
    text = read_text(path, problems)
    if text is None:
        return None
    return term_from_text(path.stem, where, text, problems)


def term_from_text(stem: str, where: str, text: str, problems: list[Problem]) -> Term | None:
    """Build a Term from a file's text; `stem` is the file name without `.md`."""
    try:
        parsed = parse(text.translate(RESERVED_CHARS))
    except FrontMatterError as exc:
        problems.append(Problem(where, exc.line, exc.message, exc.hint))
        return None
    found = len(problems)
    meta = checked_fields(parsed.meta, parsed.lines, TERM_KEYS, where, problems)
    title = meta.get("title", "")
    if not str(title).strip():
        line = parsed.lines.get("title", 1)
        problems.append(Problem(where, line, "missing title" if "title" not in parsed.meta else "empty title",
                                "add a line such as 'title: Annual Recurring Revenue'"))
    if not SLUG_RE.match(stem):
        suggestion = slugify(stem) or slugify(str(title)) or "term"
        problems.append(Problem(where, 0, f"file name '{stem}.md' is not a valid slug",
                                f"rename it to '{suggestion}.md': lowercase letters, digits and hyphens"))
    if not parsed.body.strip():
        problems.append(Problem(where, parsed.body_line, "empty body", "write the definition below the front matter",
                                warning=True))
    if any(not p.warning for p in problems[found:]):
        return None
    return Term(
        slug=stem,
        title=str(title).strip(),
        source=where,
        summary=str(meta.get("summary", "")).strip(),
        aliases=tuple(meta.get("aliases", ())),
        category=str(meta.get("category", "")).strip(),
        related=tuple(meta.get("related", ())),
        previous_slugs=tuple(meta.get("previous_slugs", ())),
        autolink=bool(meta.get("autolink", True)),
        body=parsed.body,
        body_line=parsed.body_line,
        lines=parsed.lines,
    )


def checked_fields(meta: dict[str, object], lines: dict[str, int], schema: dict[str, type], where: str,
                   problems: list[Problem]) -> dict[str, object]:
    """Keep the known, well-typed keys; report the others. Lists must hold non-empty strings."""
    good: dict[str, object] = {}
    for key, value in meta.items():
        line = lines.get(key, 1)
        expected = schema.get(key)
        if expected is None:
            problems.append(Problem(where, line, f"unknown front-matter key '{key}'" if "terms" in where or
                                    where.endswith(".md") else f"unknown key '{key}'", did_you_mean(key, set(schema))
                                    or "known keys: " + ", ".join(sorted(schema))))
        elif value is None and expected is not bool:
            continue
        elif expected is str and isinstance(value, (int, float)) and not isinstance(value, bool):
            good[key] = str(value)  # `title: 2024` is a fine title
        elif not isinstance(value, expected):
            hint = f"write '{key}: [{value}]'" if expected is list and isinstance(value, str) else ""
            problems.append(Problem(where, line, f"'{key}' must be {TYPE_NAMES[expected]}, not "
                                    f"{type(value).__name__} {value!r}", hint))
        elif expected is list and not all(isinstance(v, (str, int)) and str(v).strip() for v in value):
            problems.append(Problem(where, line, f"'{key}' must be a list of non-empty strings"))
        else:
            good[key] = [str(v).strip() for v in value] if expected is list else value
    return good


def load_settings(path: Path, problems: list[Problem]) -> Settings:
    where = display_path(path)
    default = Settings(title="Glossary", description="", base_url="http://localhost:8000/")
    if not path.is_file():
        problems.append(Problem(where, 0, "missing site settings", "create it with title, description and base_url"))
        return default
    text = read_text(path, problems)
    if text is None:
        return default
    try:
        meta, lines = parse_yaml_mapping(text)
    except FrontMatterError as exc:
        problems.append(Problem(where, exc.line, exc.message, exc.hint))
        return default
    meta = checked_fields(meta, lines, SITE_KEYS, where, problems)
    base_url = str(meta.get("base_url", default.base_url))
    if not BASE_URL_RE.match(base_url):
        problems.append(Problem(where, lines.get("base_url", 1), f"invalid base_url '{base_url}'",
                                "use an absolute http(s) address such as 'https://glossary.example.com/'"))
        base_url = default.base_url
    title = str(meta.get("title", default.title))
    return Settings(
        title=title,
        description=str(meta.get("description", "")),
        base_url=base_url.rstrip("/") + "/",
        language=str(meta.get("language", "en")),
        name=str(meta.get("name", "")) or slugify(title) or "glossary",
        categories=tuple(meta.get("categories", ())),
        allow_html=bool(meta.get("allow_html", False)),
    )
