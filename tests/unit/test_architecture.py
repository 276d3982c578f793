"""The design as a test: no stage imports a stage that runs after it, and helpers import no stage."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "glossary"

# Each module of the package, by the step of the build it belongs to (pipeline.build's order). Rank 0 are
# helpers every stage may use; they import only other helpers. Commands come after the pipeline.
RANKS = {
    "model": 0, "urls": 0, "problems": 0, "parallel": 0, "safejson": 0, "frontmatter": 0, "stemmer": 0,
    "lunr_builder": 0, "autolink": 0, "markdown": 0, "branding": 0,
    "history": 1, "load": 1,
    "validate": 2,
    "link": 3,
    "search": 4,
    "theme": 5, "changes": 5, "cards": 5, "feeds": 5, "api": 5, "helpdocs": 5, "pages": 5,
    "bundle": 6,
    "output": 7,
    "pipeline": 8,
    "cli": 9, "devserver": 9, "linkcheck": 9, "scaffold": 9, "importers": 9, "__init__": 9, "__main__": 9,
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0] if parts[0] not in ("__init__",) else "__init__"


def imported_modules(path: Path) -> set[str]:
    """The glossary modules `path` imports (relative or absolute imports)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 and node.module:
                found.add(node.module.split(".")[0])
            elif node.level == 1:
                found.update(alias.name for alias in node.names)
            elif node.level == 2 and node.module:  # from a subpackage: from ..model import x
                found.add(node.module.split(".")[0])
            elif node.module and node.module.startswith("glossary."):
                found.add(node.module.split(".")[1])
    return found


def python_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p.parent.name not in ("templates", "static", "vendor", "starter"))


def test_every_module_has_a_place_in_the_build() -> None:
    unplaced = {module_name(p) for p in python_files()} - RANKS.keys()
    assert not unplaced, f"add these modules to RANKS: {sorted(unplaced)}"


def test_no_module_imports_a_later_stage() -> None:
    wrong = []
    for path in python_files():
        importer = module_name(path)
        for imported in imported_modules(path) - {importer}:
            if imported in RANKS and RANKS[imported] > RANKS[importer]:
                wrong.append(f"{path.relative_to(PACKAGE)} imports {imported}")
    assert wrong == []


def test_helpers_import_only_helpers() -> None:
    wrong = [f"{p.relative_to(PACKAGE)} imports {m}" for p in python_files() if RANKS.get(module_name(p)) == 0
             for m in imported_modules(p) if RANKS.get(m, 0) != 0]
    assert wrong == []
