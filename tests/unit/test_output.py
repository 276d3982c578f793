"""The write stage: which output folders are refused, what is written, what is removed,
and that two builds at once leave one whole site."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from glossary import output
from glossary.cli import main
from glossary.pipeline import Project, build
from tests.conftest import REPO, SITE_YAML, term_file

TERMS = {
    "terms/churn-rate.md": term_file("Churn Rate", category="Metrics"),
    "terms/lead.md": term_file("Lead", "A person who may buy."),
}


@pytest.fixture
def project(make_project: Callable[..., Project], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    monkeypatch.chdir(tmp_path)
    return make_project(TERMS)


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["build", *args])
    return code, capsys.readouterr().err.strip()


def files_in(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != output.MARKER}


def mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*")}


# --- folders the build refuses ------------------------------------------------------------

@pytest.mark.parametrize(("args", "message"), [
    (["--out", "."], "error: refusing to write the site into .: it is the current folder, whose files the build "
                     "would delete (choose an output folder such as _site)"),
    (["--out", ".."], "error: refusing to write the site into ..: it holds the current folder, whose files the build "
                      "would delete (choose an output folder such as _site)"),
    (["--out", "content"], "error: refusing to write the site into content: it is your content folder, whose files "
                           "the build would delete (choose an output folder such as _site)"),
    (["--out", "content/site"], "error: refusing to write the site into content/site: it is inside your content "
                                "folder (choose an output folder such as _site)"),
    (["--templates", "templates", "--out", "templates"],
     "error: refusing to write the site into templates: it is your templates folder, whose files the build would "
     "delete (choose an output folder such as _site)"),
    (["--content", "site/content", "--out", "site"],
     "error: refusing to write the site into site: it holds your site/content folder, whose files the build would "
     "delete (choose an output folder such as _site)"),
    (["--out", "/"], "error: refusing to write the site into the filesystem root /"),
])
def test_refuses_folders_holding_the_users_work(project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                args: list[str], message: str) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "404.html").write_text("mine", encoding="utf-8")
    shutil.copytree(tmp_path / "content", tmp_path / "site" / "content")
    before = files_in(tmp_path)
    assert run_cli(capsys, *args) == (1, message)
    assert files_in(tmp_path) == before


def test_refuses_a_non_empty_folder_it_did_not_make(project: Project, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "cat.jpg").write_bytes(b"\xff\xd8 a cat")
    assert run_cli(capsys, "--out", "photos") == (1, "error: refusing to write the site into photos: the folder is "
                                                     "not empty and was not made by this generator (empty it or "
                                                     "choose another folder)")
    assert [p.name for p in (tmp_path / "photos").iterdir()] == ["cat.jpg"]


def test_refuses_a_file(project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    assert run_cli(capsys, "--out", "notes.txt") == (
        1, "error: refusing to write the site into notes.txt: it is a file, not a folder")
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_writes_into_an_empty_folder_and_marks_it(project: Project, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "public").mkdir()
    assert run_cli(capsys, "--out", "public")[0] == 0
    assert (tmp_path / "public" / output.MARKER).is_file()
    assert (tmp_path / "public" / "terms/lead/index.html").is_file()


def test_no_output_path_may_leave_the_folder(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    for path in ["../escape.html", "/etc/escape", "a/../../escape", "a//b", output.MARKER, "", ".", "..", "./a",
                 "a/./b", "a/", "a/..", "a\\b", f"{output.MARKER}/x"]:
        with pytest.raises(output.OutputError, match="refusing to write"):
            output.write_site(out, {"index.html": b"ok", path: b"x"})
        assert not (tmp_path / "escape.html").exists() and not (out / "index.html").exists()


# --- what a build writes and removes ------------------------------------------------------

def test_second_identical_build_writes_nothing(project: Project, tmp_path: Path) -> None:
    first = build(project)
    assert first.written == len(first.files) > 20
    before = mtimes(project.out)
    time.sleep(0.01)
    second = build(project)
    assert (second.written, second.removed) == (0, 0)
    assert mtimes(project.out) == before
    assert files_in(project.out) == second.files


def test_changed_files_are_rewritten_and_stale_files_removed(make_project: Callable[..., Project],
                                                             project: Project, tmp_path: Path) -> None:
    build(project)
    (project.content / "terms/lead.md").unlink()
    (project.content / "terms/prospect.md").write_text(term_file("Prospect"), encoding="utf-8")
    report = build(project)
    assert files_in(project.out) == report.files
    assert not (project.out / "terms/lead").exists()
    assert not (project.out / "api/terms/lead.json").exists()
    assert report.removed >= 2 and report.written >= 2
    old_assets = {p for p in report.files if p.startswith("assets/")}
    assert {p.relative_to(project.out).as_posix() for p in (project.out / "assets").iterdir()} == old_assets


def test_never_deletes_or_writes_outside_the_output_folder(project: Project, tmp_path: Path) -> None:
    build(project)
    outside = tmp_path / "outside"
    (outside / "terms").mkdir(parents=True)
    (outside / "keep.txt").write_text("keep", encoding="utf-8")
    (outside / "terms" / "keep.txt").write_text("keep", encoding="utf-8")
    before = files_in(outside)
    # Links inside the output folder, as a user or a tool might leave them: to a folder, to a file,
    # a folder the new site needs ("terms" -> outside/terms), and a dangling one.
    (project.out / "old-docs").symlink_to(outside)
    (project.out / "old-file.txt").symlink_to(outside / "keep.txt")
    (project.out / "dangling").symlink_to(tmp_path / "nothing")
    terms = project.out / "terms"
    os.rename(terms, tmp_path / "old-terms")
    terms.symlink_to(outside / "terms")
    report = build(project)
    assert files_in(outside) == before  # nothing written or deleted through the links
    assert set(os.listdir(outside / "terms")) == {"keep.txt"}
    assert terms.is_dir() and not terms.is_symlink()
    assert not any(os.path.lexists(project.out / name) for name in ("old-docs", "old-file.txt", "dangling"))
    assert files_in(project.out) == report.files


# --- write_site on its own -----------------------------------------------------------------

SITE = {
    "index.html": b"<h1>A-Z</h1>",
    "terms/arr/index.html": b"<h1>ARR</h1>",
    "terms/churn/index.html": b"<h1>Churn</h1>",
    "old/deep/page.html": b"old",
    "assets/style.css": b"body {}",
}


def write(out: Path, files: dict[str, bytes], known: dict[str, bytes] | None = None) -> tuple[int, int]:
    with output.locked(out):
        return output.write_site(out, files, known)


def inodes(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.rglob("*")}


def record_calls(monkeypatch: pytest.MonkeyPatch, name: str) -> list[str]:
    """Records the first argument (a file's full path) of every call to output.<name>."""
    calls: list[str] = []
    real = getattr(output, name)

    def recording(target: str, *args: object) -> object:
        calls.append(target)
        return real(target, *args)

    monkeypatch.setattr(output, name, recording)
    return calls


def test_write_site_writes_nothing_and_makes_no_folder_when_nothing_changed(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "_site"
    assert write(out, SITE) == (5, 0)
    before = inodes(out)
    written = record_calls(monkeypatch, "replace_file")
    made: list[str] = []
    monkeypatch.setattr(output.os, "mkdir", lambda path, *a, **k: made.append(path))
    time.sleep(0.01)
    assert write(out, dict(SITE)) == (0, 0)
    assert written == []
    assert {Path(p) for p in made} == {out}  # only the output folder itself, by its exist_ok mkdir
    assert inodes(out) == before
    assert files_in(out) == SITE


def test_write_site_replaces_changed_files_and_removes_stale_files_and_folders(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write(out, SITE)
    unchanged = (out / "terms/arr/index.html").stat().st_ino
    new = {
        "index.html": b"<h1>Z-A</h1>",  # same size, other bytes
        "terms/arr/index.html": SITE["terms/arr/index.html"],
        "terms/churn/index.html": b"<h1>Churn rate</h1>",  # other size
        "terms/mrr/index.html": b"<h1>MRR</h1>",  # new, in a new folder
    }
    assert write(out, new) == (3, 2)  # old/deep/page.html and assets/style.css removed
    assert files_in(out) == new
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [
        output.MARKER, "index.html", "terms", "terms/arr", "terms/arr/index.html", "terms/churn",
        "terms/churn/index.html", "terms/mrr", "terms/mrr/index.html"]  # no old/, no assets/, no temporary file left
    assert (out / "terms/arr/index.html").stat().st_ino == unchanged


def test_write_site_trusts_known_bytes_and_reads_the_rest_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "_site"
    write(out, SITE)
    (out / "assets/style.css").unlink()  # gone since: known or not, it is written again
    read = record_calls(monkeypatch, "holds")
    known = {"index.html": SITE["index.html"], "assets/style.css": SITE["assets/style.css"]}
    assert write(out, SITE, known) == (1, 0)
    assert sorted(Path(p).relative_to(out).as_posix() for p in read) == [
        "old/deep/page.html", "terms/arr/index.html", "terms/churn/index.html"]
    assert files_in(out) == SITE


def test_new_files_are_written_before_changed_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A replaced page may link to a new file (a fingerprinted stylesheet): that file is there first."""
    out = tmp_path / "_site"
    write(out, {"index.html": b"style.1.css", "assets/style.1.css": b"a"})
    written = record_calls(monkeypatch, "replace_file")
    assert write(out, {"index.html": b"style.2.css", "assets/style.2.css": b"b"}) == (2, 1)
    assert [Path(p).relative_to(out).as_posix() for p in written] == ["assets/style.2.css", "index.html"]


def test_an_old_folder_where_a_file_goes_and_a_file_where_a_folder_goes(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write(out, {"a/index.html": b"a", "a/b/index.html": b"ab", "c": b"c"})
    new = {"a": b"now a file", "c/index.html": b"now in a folder"}
    assert write(out, new) == (2, 0)  # the old a/ went with its folder, c was the new folder's place
    assert files_in(out) == new


def test_links_at_output_paths_are_replaced_never_written_through(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write(out, SITE)
    target = tmp_path / "elsewhere.html"
    target.write_bytes(SITE["index.html"])  # the same bytes as the page: still a link, so replaced
    (out / "index.html").unlink()
    (out / "index.html").symlink_to(target)
    assert write(out, SITE) == (1, 0)
    assert not (out / "index.html").is_symlink() and (out / "index.html").read_bytes() == SITE["index.html"]
    assert target.read_bytes() == SITE["index.html"] and not target.is_symlink()


def test_a_fifo_at_an_output_path_does_not_block_the_build(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write(out, SITE)
    (out / "index.html").unlink()
    os.mkfifo(out / "index.html")
    assert write(out, SITE) == (1, 0)
    assert files_in(out) == SITE


def test_a_leftover_temporary_file_of_this_process_is_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write(out, SITE)
    leftover = out / "terms/arr" / f".index.html.{os.getpid()}.tmp"  # from a write that failed half-way
    leftover.write_bytes(b"half a pa")
    (out / "terms/arr/index.html").write_bytes(b"edited")
    # The page is rewritten through the leftover (truncated, then renamed into place), so there is
    # nothing left to remove.
    assert write(out, SITE) == (1, 0)
    assert not leftover.exists()
    assert files_in(out) == SITE


def test_a_folder_that_is_not_empty_after_cleanup_stays(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file appearing in an old folder while the build runs (not ours to delete) keeps the folder."""
    out = tmp_path / "_site"
    write(out, SITE)
    real = output.remove_stale

    def then_someone_writes(root: str, stale: set[str]) -> int:
        removed = real(root, stale)
        (out / "old/deep/theirs.txt").write_bytes(b"theirs")
        return removed

    monkeypatch.setattr(output, "remove_stale", then_someone_writes)
    assert write(out, {"index.html": SITE["index.html"]}) == (0, 4)
    assert files_in(out) == {"index.html": SITE["index.html"], "old/deep/theirs.txt": b"theirs"}
    assert not (out / "terms").exists() and not (out / "assets").exists()


def test_existing_lists_files_links_and_folders_without_following_links(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    (out / "a/b").mkdir(parents=True)
    (out / "a/b/page.html").write_bytes(b"x")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside/secret.txt").write_bytes(b"x")
    (out / "a/link").symlink_to(tmp_path / "outside")
    (out / "dangling").symlink_to(tmp_path / "nothing")
    assert output.existing(out) == ({"a/b/page.html", "a/link", "dangling"}, {"a", "a/b"})


# --- two builds at once -------------------------------------------------------------------

def write_content(folder: Path, name: str, count: int = 40) -> Path:
    (folder / "terms").mkdir(parents=True)
    (folder / "site.yaml").write_text(SITE_YAML.replace("Test Glossary", f"Site {name}"), encoding="utf-8")
    for i in range(count):
        (folder / f"terms/{name.lower()}-{i}.md").write_text(
            term_file(f"{name} term {i}", f"Definition {i} of site {name}."), encoding="utf-8")
    return folder


def both_sites(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes], dict[str, bytes]]:
    a, b = write_content(tmp_path / "content-a", "Alpha"), write_content(tmp_path / "content-b", "Beta")
    out = tmp_path / "_site"
    files_a = build(Project(content=a, out=out), write=False).files
    files_b = build(Project(content=b, out=out), write=False).files
    return a, b, files_a, files_b


def assert_one_whole_site(out: Path, files_a: dict[str, bytes], files_b: dict[str, bytes]) -> None:
    """All pages from one build, none from the other. (Asset bytes are not compared: other people
    may edit the built-in theme while the tests run.)"""
    written = files_in(out)
    ours, theirs = (files_a, b"Beta") if b"Site Alpha" in written["index.html"] else (files_b, b"Alpha")
    pages = {p for p in written if not p.startswith("assets/")}
    assert pages == {p for p in ours if not p.startswith("assets/")}, "the output mixes two builds"
    for path, data in written.items():
        assert theirs not in data, f"{path} comes from the other build"
    assert "search-index.js" in written


def test_two_processes_at_once_leave_one_whole_site(tmp_path: Path) -> None:
    a, b, files_a, files_b = both_sites(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    code = "import sys; from glossary.cli import main; sys.exit(main(sys.argv[1:]))"
    for _round in range(3):
        procs = [subprocess.Popen([sys.executable, "-c", code, "build", "--content", str(c), "--out", "_site"],
                                  cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                 for c in (a, b)]
        for proc in procs:
            assert proc.wait(timeout=120) == 0, proc.stderr.read() if proc.stderr else ""
            if proc.stderr:
                proc.stderr.close()
        assert_one_whole_site(tmp_path / "_site", files_a, files_b)


def test_two_threads_at_once_leave_one_whole_site(tmp_path: Path) -> None:
    a, b, files_a, files_b = both_sites(tmp_path)
    out = tmp_path / "_site"
    errors: list[BaseException] = []

    def run(content: Path) -> None:
        try:
            build(Project(content=content, out=out))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    for _round in range(3):
        threads = [threading.Thread(target=run, args=(c,)) for c in (a, b)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert not errors
        assert_one_whole_site(out, files_a, files_b)


def test_a_build_waits_for_the_lock_before_writing_or_removing(tmp_path: Path) -> None:
    a, b, _files_a, _files_b = both_sites(tmp_path)
    out = tmp_path / "_site"
    first = build(Project(content=a, out=out))
    reports = []
    with output.locked(out):
        thread = threading.Thread(target=lambda: reports.append(build(Project(content=b, out=out))))
        thread.start()
        time.sleep(1.5)  # long enough for the second build to render and reach the lock
        assert files_in(out) == first.files  # nothing written, nothing removed while another build holds the lock
    thread.join(timeout=120)
    assert files_in(out) == reports[0].files


# --- the command line ---------------------------------------------------------------------

def test_unknown_option_exits_2(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "glossary", "--bogus"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "unrecognized arguments: --bogus" in result.stderr
