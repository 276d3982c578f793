"""The theme: Jinja templates and static assets, with user folders overriding built-in ones.

Static files are fingerprinted by content hash (`assets/style.3f2a9c1e.css`) so a host can
cache them for a year and never serve a stale copy.
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# A `pip install` puts the built-in theme under share/glossary (see pyproject's data-files).
INSTALLED_THEME = Path(sys.prefix) / "share" / "glossary"
LUNR_JS = "node_modules/lunr/lunr.min.js"


class ThemeError(Exception):
    pass


def builtin_dir(name: str) -> Path:
    for base in (PROJECT_ROOT, INSTALLED_THEME):
        if (base / name).is_dir():
            return base / name
    raise ThemeError(f"built-in {name}/ folder not found next to the glossary package")


def find_lunr(extra: list[Path]) -> Path:
    for base in [*extra, Path.cwd(), PROJECT_ROOT, INSTALLED_THEME]:
        if (base / LUNR_JS).is_file():
            return base / LUNR_JS
    raise ThemeError(f"{LUNR_JS} not found (run 'npm ci' in the project folder to install lunr.js 2.3.9)")


def fingerprint(name: str, data: bytes) -> str:
    stem, dot, ext = name.rpartition(".")
    digest = hashlib.sha256(data).hexdigest()[:10]
    return f"assets/{stem}.{digest}.{ext}" if dot else f"assets/{name}.{digest}"


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


def user_dir(path: Path | None, option: str) -> list[Path]:
    if path is None:
        return []
    if not path.is_dir():
        raise ThemeError(f"{option} {path}: no such folder")
    return [path]


def template_dirs(templates: Path | None) -> list[Path]:
    return [*user_dir(templates, "--templates"), builtin_dir("templates")]


def load_assets(user_static: Path | None, project_dir: Path | None) -> Assets:
    assets = Assets()
    dirs = [builtin_dir("static"), *user_dir(user_static, "--static")]
    for folder in dirs:  # later folders override earlier ones
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            name = path.relative_to(folder).as_posix()
            assets.add(name, path.read_bytes(), stable=name == "embed.js")
    assets.add("lunr.js", find_lunr([project_dir] if project_dir else []).read_bytes())
    return assets
