"""The generator as another team gets it: `pip install` of a wheel into a fresh virtual environment, no
Node.js, no node_modules, then `glossary new`, `glossary build` and a second glossary in another field."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

from tests.sitecheck import check_site


def run(bin_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(bin_dir / "glossary"), *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def test_the_wheel_carries_the_theme_and_lunr(installed: Path) -> None:
    python = str(installed / "python")
    found = subprocess.run([python, "-c", "from glossary.theme import builtin, LUNR_JS; import glossary; "
                            "print(builtin('vendor').joinpath(LUNR_JS).is_file(), "
                            "builtin('templates').joinpath('term.html').is_file(), glossary.__file__)"],
                           capture_output=True, text=True, check=True, cwd="/")
    flags, location = found.stdout.split()[:2], found.stdout.split()[2]
    assert flags == ["True", "True"] and "site-packages" in location


def test_new_glossary_builds_strict_from_the_installed_command(installed: Path, tmp_path: Path) -> None:
    created = run(installed, "new", "my-glossary", cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    built = run(installed, "build", "--content", "my-glossary/content", "--out", "my-glossary/_site", "--strict",
                cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert built.stdout.startswith("Built 3 terms into my-glossary/_site/ in ")
    assert not (tmp_path / "node_modules").exists()
    assert check_site(tmp_path / "my-glossary" / "_site") == []


def test_the_cloud_glossary_builds_strict_with_no_broken_link(cloud_site: Path) -> None:
    assert len(list((cloud_site / "terms").iterdir())) >= 50
    assert check_site(cloud_site) == []
    assert (cloud_site / "download" / "cloud-glossary-offline.zip").is_file()  # checked from disk in tests/browser


def test_the_cloud_offline_copy_has_no_broken_link(cloud_site: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(cloud_site / "download" / "cloud-glossary-offline.zip") as zf:
        zf.extractall(tmp_path)
    assert check_site(tmp_path / "cloud-glossary", offline=True) == []
