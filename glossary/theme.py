"""The theme: Jinja templates and static assets, with the user's folders overriding the built-in ones.

The built-in theme ships inside the package (the repository's `templates/` and `static/`, mapped into
`glossary.templates` and `glossary.static` by pyproject.toml) with lunr.js 2.3.9 in `glossary.vendor`,
and is found with importlib.resources, so a build needs Python only.

Static files are fingerprinted by content hash (`assets/style.3f2a9c1e.css`) so a host can cache
them for a year and never serve a stale copy.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from .problems import Problem, display_path

LUNR_JS = "lunr.min.js"
TEMPLATE_SUFFIXES = (".html", ".xml", ".txt")
STABLE_NAMES = {"embed.js"}  # linked from other sites, so never fingerprinted


class ThemeError(Exception):
    pass


def builtin(name: str) -> Traversable:
    """A folder of the built-in theme: 'templates', 'static' or 'vendor'."""
    return resources.files(f"glossary.{name}")


@dataclass
class Assets:
    """Static files by their source name, with their fingerprinted output paths."""

    files: dict[str, bytes] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, data: bytes, stable: bool = False) -> str:
        path = name if stable else fingerprint(name, data)
        self.files[name], self.paths[name] = data, path
        return path

    def outputs(self) -> dict[str, bytes]:
        return {self.paths[name]: data for name, data in self.files.items()}


@dataclass(frozen=True)
class Theme:
    templates: tuple[tuple[str, str, str], ...]  # (name, source, file shown in errors)
    assets: Assets
    folders: tuple[str, ...] = ()  # where templates were looked for, the user's first (for error messages)


def fingerprint(name: str, data: bytes) -> str:
    stem, dot, ext = name.rpartition(".")
    digest = hashlib.sha256(data).hexdigest()[:10]
    return f"assets/{stem}.{digest}.{ext}" if dot else f"assets/{name}.{digest}"


def load_theme(templates: Path | None, static: Path | None) -> tuple[Theme, list[Problem]]:
    """The theme (user folders over the built-in ones) and its unreadable templates; ThemeError names a
    user folder that does not exist."""
    problems: list[Problem] = []
    folders = tuple(shown(f) for f in [*user_dir(templates, "--templates"), builtin("templates")])
    return Theme(load_templates(templates, problems), load_assets(static), folders), problems


def load_templates(user: Path | None, problems: list[Problem]) -> tuple[tuple[str, str, str], ...]:
    found: dict[str, tuple[str, str, str]] = {}
    for folder in [builtin("templates"), *user_dir(user, "--templates")]:  # later folders override earlier ones
        for name, item in files_in(folder):
            if not name.endswith(TEMPLATE_SUFFIXES):
                continue
            try:
                found[name] = (name, item.read_text(encoding="utf-8"), shown(item))
            except UnicodeDecodeError:
                problems.append(Problem(shown(item), 0, "template is not UTF-8 text", "save it as UTF-8"))
    return tuple(found[name] for name in sorted(found))


def load_assets(user: Path | None) -> Assets:
    assets = Assets()
    for folder in [builtin("static"), *user_dir(user, "--static")]:  # later folders override earlier ones
        for name, item in files_in(folder):
            assets.add(name, item.read_bytes(), stable=name in STABLE_NAMES)
    assets.add("lunr.js", builtin("vendor").joinpath(LUNR_JS).read_bytes())
    return assets


def user_dir(path: Path | None, option: str) -> list[Path]:
    if path is None:
        return []
    if not path.is_dir():
        raise ThemeError(f"{option} {path}: no such folder")
    return [path]


def files_in(folder: Traversable, prefix: str = "") -> list[tuple[str, Traversable]]:
    """(relative name, file) of every file under `folder`, in name order; hidden files and caches left out."""
    found = []
    for item in sorted(folder.iterdir(), key=lambda i: i.name):
        if item.name.startswith((".", "__")):
            continue
        if item.is_dir():
            found += files_in(item, f"{prefix}{item.name}/")
        else:
            found.append((prefix + item.name, item))
    return found


def shown(item: Traversable) -> str:
    return display_path(Path(str(item)))
