"""The built-in theme ships inside the package: templates, static files and lunr.js found with
importlib.resources, with lunr.js kept identical to the copy npm installs from the lockfile."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from glossary.theme import LUNR_JS, builtin, load_assets, load_templates

REPO = Path(__file__).resolve().parents[2]


def test_the_vendored_lunr_is_the_locked_version_byte_for_byte() -> None:
    locked = json.loads((REPO / "package-lock.json").read_text())["packages"]["node_modules/lunr"]["version"]
    vendored = builtin("vendor").joinpath(LUNR_JS).read_bytes()
    assert locked == "2.3.9"
    assert f"not as bright - {locked}\n".encode() in vendored[:200]
    installed = REPO / "node_modules/lunr/lunr.min.js"
    if not installed.is_file():
        pytest.fail("node_modules/lunr is missing: run 'npm ci' (scripts/setup.sh does) to compare the copy")
    assert vendored == installed.read_bytes()


def test_templates_and_assets_come_from_the_package() -> None:
    names = [name for name, _source, _file in load_templates(None, [])]
    assert {"base.html", "term.html", "index.html", "sitemap.xml"} <= set(names)
    assets = load_assets(None)
    assert {"style.css", "site.js", "embed.js", "lunr.js"} <= set(assets.files)
    assert assets.paths["embed.js"] == "embed.js"  # linked from other sites: never fingerprinted
    assert "__init__.py" not in assets.files


def test_user_files_override_built_in_ones(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "404.html").write_text("mine", encoding="utf-8")
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "style.css").write_text("body{}", encoding="utf-8")
    templates = {name: source for name, source, _file in load_templates(tmp_path / "templates", [])}
    assert templates["404.html"] == "mine"
    assert load_assets(tmp_path / "static").files["style.css"] == b"body{}"
