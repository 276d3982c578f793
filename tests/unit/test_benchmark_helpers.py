"""The benchmark empties output folders by moving them aside, and deletes them only at the end."""

from pathlib import Path

from benchmarks import measure


def test_emptied_moves_the_old_output_aside_and_empty_trash_deletes_it(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(measure, "TRASH", tmp_path / "trash")
    site = tmp_path / "site"
    (site / "terms").mkdir(parents=True)
    (site / "terms" / "index.html").write_text("old")
    assert measure.emptied(site) == site and not site.exists()
    moved = list((tmp_path / "trash").iterdir())
    assert [(p / "terms" / "index.html").read_text() for p in moved] == ["old"]
    assert measure.emptied(tmp_path / "never-built") == tmp_path / "never-built"  # nothing to move
    measure.empty_trash()
    assert not (tmp_path / "trash").exists()
