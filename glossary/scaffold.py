"""`glossary new DIR`: a starter glossary that builds with --strict at once.

The starter files live in the package (`glossary/starter/`): site.yaml with a comment on every
setting, three terms that between them show aliases, related terms, an explicit link, `autolink:
false`, `previous_slugs`, a formula and an example, and Netlify's settings with the same security
headers as this repository's site.
"""

from __future__ import annotations

import sys
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from .importers.writer import yaml_text
from .model import slugify
from .problems import display_path

RENAMED = {"gitignore": ".gitignore"}  # dot files are kept without their dot in the package


def new_command(target: Path) -> int:
    """Write the starter into `target` (a new or empty folder); exit code 1 when it cannot."""
    where = display_path(target)
    if target.exists() and not target.is_dir():
        print(f"error: {where} exists and is not a folder", file=sys.stderr)
        return 1
    if target.is_dir() and any(target.iterdir()):
        print(f"error: {where}/ is not empty; glossary new starts a glossary in a new or empty folder",
              file=sys.stderr)
        return 1
    written = write_starter(target, starter_files())
    print(f"Created a glossary in {where}/:")
    for path in written:
        print(f"  {display_path(path)}")
    print("Next, see it in your browser (it rebuilds as you edit), then build the site to publish:")
    print(f"  cd {where}")
    print("  glossary serve")
    return 0


def starter_files() -> dict[str, str]:
    """Relative path -> text of every starter file."""
    found: dict[str, str] = {}
    collect(files("glossary") / "starter", "", found)
    return found


def collect(folder: Traversable, prefix: str, found: dict[str, str]) -> None:
    for item in sorted(folder.iterdir(), key=lambda i: i.name):
        if item.name.startswith((".", "__")):
            continue
        if item.is_dir():
            collect(item, f"{prefix}{item.name}/", found)
        else:
            found[prefix + RENAMED.get(item.name, item.name)] = item.read_text(encoding="utf-8")


def write_starter(target: Path, starter: dict[str, str]) -> list[Path]:
    """Write the files, with the folder's name as the glossary's title and name."""
    title = " ".join(w[:1].upper() + w[1:] for w in target.resolve().name.replace("_", "-").split("-") if w)
    title = title or "Glossary"
    name = slugify(target.resolve().name) or "glossary"
    written = []
    for rel, text in starter.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if rel == "content/site.yaml":
            text = text.replace("__TITLE__", yaml_text(title)).replace("__NAME__", name)
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written
