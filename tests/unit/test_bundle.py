"""The offline zip: every file meant for disk under one folder, readable by zipfile and unzip, the same
bytes on every run, compressed at level 1."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest

from glossary import bundle
from glossary.model import Glossary, Settings

FILES = {
    "index.html": b"<h1>A-Z</h1>",
    "terms/arr/index.html": b"<h1>ARR</h1>" + b"Annual recurring revenue. " * 400,
    "terms/arr/notes.txt": b"",  # an empty entry
    "assets/caf\u00e9.css": b"body { color: #333 }",  # a name that needs the UTF-8 flag
    "search-index.js": bytes(range(256)) * 64,  # barely compressible
    "api/terms.json": b"[]",  # host-only: not in the zip
    "sitemap.xml": b"<urlset/>",
    "embed-demo/index.html": b"<p>demo</p>",
    "_redirects": b"/arr /terms/arr/",
}
IN_ZIP = ["README.txt", "assets/caf\u00e9.css", "index.html", "search-index.js", "terms/arr/index.html",
          "terms/arr/notes.txt"]
GLOSSARY = Glossary(Settings(title="Site", description="", base_url="https://g.example.com/", name="site"), ())


def the_zip(files: dict[str, bytes] = FILES) -> bytes:
    (path, data), = bundle.bundle(files, GLOSSARY).items()
    assert path == "download/site-offline.zip"
    return data


def test_the_same_files_give_the_same_bytes_on_every_run() -> None:
    assert the_zip(dict(reversed(FILES.items()))) == the_zip()


def test_zipfile_reads_names_contents_times_and_permissions() -> None:
    with zipfile.ZipFile(io.BytesIO(the_zip())) as zf:
        assert zf.testzip() is None  # every entry's CRC-32 checks out
        assert zf.namelist() == [f"site/{path}" for path in IN_ZIP]
        readme = zf.read("site/README.txt").decode()
        for info in zf.infolist():
            expected = FILES.get(info.filename.removeprefix("site/"), readme.encode())
            assert zf.read(info) == expected
            assert zlib.crc32(expected) == info.CRC
            assert (info.date_time, info.compress_type, info.external_attr) == (
                bundle.FIXED_TIME, zipfile.ZIP_DEFLATED, 0o644 << 16)


def test_the_readme_says_what_the_copy_is_and_where_the_current_one_is() -> None:
    with zipfile.ZipFile(io.BytesIO(the_zip())) as zf:
        readme = zf.read("site/README.txt").decode()
    assert readme.startswith("Site: offline copy\n")
    assert "Undated copy. The current version, and its list of changes,\nis at https://g.example.com/" in readme


def test_entries_are_compressed_at_level_1() -> None:
    with zipfile.ZipFile(io.BytesIO(the_zip())) as zf:
        page = zf.getinfo("site/terms/arr/index.html")
    level_1 = zlib.compressobj(1, zlib.DEFLATED, -15)
    assert page.compress_size == len(level_1.compress(FILES["terms/arr/index.html"]) + level_1.flush())


@pytest.mark.skipif(shutil.which("unzip") is None, reason="the unzip command is not installed")
def test_unzip_extracts_it(tmp_path: Path) -> None:
    archive = tmp_path / "site.zip"
    archive.write_bytes(the_zip())
    subprocess.run(["unzip", "-q", str(archive), "-d", str(tmp_path / "out")], check=True, timeout=60)
    extracted = sorted(p.relative_to(tmp_path / "out/site").as_posix()
                       for p in (tmp_path / "out/site").rglob("*") if p.is_file())
    assert extracted == sorted(IN_ZIP)
    assert (tmp_path / "out/site/terms/arr/index.html").read_bytes() == FILES["terms/arr/index.html"]
    assert (tmp_path / "out/site/index.html").stat().st_mode & 0o777 == 0o644
