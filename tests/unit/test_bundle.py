"""The offline zip: byte for byte what zipfile writes, readable by zipfile and unzip, the same
bytes on every run, with or without the cache, and the size written into the hosted pages."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest

from glossary import bundle

NOTE = b"<p>Offline copy</p>"
DOWNLOAD = b"<!--glossary:download-->link (zip, <!--glossary:size-->)<!--/glossary:download-->"
FILES = {
    "index.html": b"<h1>A-Z</h1>" + DOWNLOAD,
    "terms/arr/index.html": b"<h1>ARR</h1>" + b"Annual recurring revenue. " * 400 + DOWNLOAD,
    "terms/arr/notes.txt": b"",  # an empty entry
    "assets/caf\u00e9.css": b"body { color: #333 }",  # a name that needs the UTF-8 flag
    "search-index.js": bytes(range(256)) * 64,  # barely compressible
    "api/terms.json": b"[]",  # host-only: not in the zip
    "sitemap.xml": b"<urlset/>",
    "embed-demo/index.html": b"<p>demo</p>",
    "_redirects": b"/arr /terms/arr/",
}
IN_ZIP = ["assets/caf\u00e9.css", "index.html", "search-index.js", "terms/arr/index.html", "terms/arr/notes.txt"]


def zipfile_zip(files: dict[str, bytes], site_name: str, note: bytes) -> bytes:
    """The offline zip as zipfile writes it: the reference the hand-written container must match."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(filter(bundle.in_bundle, files)):
            data = files[path]
            if path.endswith(".html"):
                data = bundle.DOWNLOAD_BLOCK.sub(lambda _m: note, data)
            info = zipfile.ZipInfo(f"{site_name}/{path}", bundle.FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data, compresslevel=bundle.COMPRESS_LEVEL)
    return buffer.getvalue()


def test_the_zip_is_byte_for_byte_what_zipfile_writes() -> None:
    assert bundle.offline_zip(FILES, "site", NOTE) == zipfile_zip(FILES, "site", NOTE)


def test_the_same_files_give_the_same_bytes_on_every_run() -> None:
    first = bundle.offline_zip(FILES, "site", NOTE)
    assert bundle.offline_zip(dict(reversed(FILES.items())), "site", NOTE) == first


def test_zipfile_reads_names_contents_times_and_permissions() -> None:
    with zipfile.ZipFile(io.BytesIO(bundle.offline_zip(FILES, "site", NOTE))) as zf:
        assert zf.testzip() is None  # every entry's CRC-32 checks out
        assert zf.namelist() == [f"site/{path}" for path in IN_ZIP]
        for info in zf.infolist():
            path = info.filename.removeprefix("site/")
            expected = FILES[path].replace(DOWNLOAD, NOTE)
            assert zf.read(info) == expected
            assert zlib.crc32(expected) == info.CRC
            assert (info.date_time, info.compress_type, info.external_attr) == (
                bundle.FIXED_TIME, zipfile.ZIP_DEFLATED, 0o644 << 16)
            assert info.flag_bits == (0x800 if path == "assets/caf\u00e9.css" else 0)


@pytest.mark.skipif(shutil.which("unzip") is None, reason="the unzip command is not installed")
def test_unzip_extracts_it(tmp_path: Path) -> None:
    archive = tmp_path / "site.zip"
    archive.write_bytes(bundle.offline_zip(FILES, "site", NOTE))
    subprocess.run(["unzip", "-q", str(archive), "-d", str(tmp_path / "out")], check=True, timeout=60)
    extracted = sorted(p.relative_to(tmp_path / "out/site").as_posix()
                       for p in (tmp_path / "out/site").rglob("*") if p.is_file())
    assert extracted == sorted(IN_ZIP)
    assert (tmp_path / "out/site/terms/arr/index.html").read_bytes() == FILES["terms/arr/index.html"].replace(
        DOWNLOAD, NOTE)
    assert (tmp_path / "out/site/index.html").stat().st_mode & 0o777 == 0o644


def test_compressing_on_several_threads_gives_the_same_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    alone = bundle.offline_zip(FILES, "site", NOTE)
    monkeypatch.setattr(bundle, "BATCH_BYTES", 1)  # one batch per entry: the thread pool does the work
    monkeypatch.setattr(bundle.os, "cpu_count", lambda: 4)
    assert list(bundle.batched([b"ab", b"c", b""], 1)) == [[b"ab"], [b"c"], [b""]]
    assert bundle.offline_zip(FILES, "site", NOTE) == alone


def test_batches_hold_at_least_the_batch_size() -> None:
    assert list(bundle.batched([b"a" * 3, b"b", b"c" * 2, b"d"], 3)) == [[b"aaa"], [b"b", b"cc"], [b"d"]]
    assert list(bundle.batched([], 3)) == []


def count_deflates(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    seen: list[bytes] = []
    real = bundle.deflate

    def counting(data: bytes) -> bundle.Deflated:
        seen.append(data)
        return real(data)

    monkeypatch.setattr(bundle, "deflate", counting)
    return seen


def test_the_cache_gives_the_same_bytes_and_compresses_only_what_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    plain = bundle.offline_zip(FILES, "site", NOTE)
    seen = count_deflates(monkeypatch)
    cache: bundle.ZipCache = {}
    assert bundle.offline_zip(FILES, "site", NOTE, cache) == plain
    assert len(seen) == len(IN_ZIP) == len(cache)
    seen.clear()
    assert bundle.offline_zip(FILES, "site", NOTE, cache) == plain
    assert seen == []
    edited = {**FILES, "terms/arr/notes.txt": b"new notes"}
    assert bundle.offline_zip(edited, "site", NOTE, cache) == zipfile_zip(edited, "site", NOTE)
    assert seen == [b"new notes"]
    # The cache holds this call's entries only: the old notes are gone, so it never grows past one site.
    assert len(cache) == len(IN_ZIP)


def test_a_cache_from_another_note_is_not_reused_wrongly() -> None:
    cache: bundle.ZipCache = {}
    bundle.offline_zip(FILES, "site", NOTE, cache)
    other = b"<p>Another note</p>"
    assert bundle.offline_zip(FILES, "site", other, cache) == zipfile_zip(FILES, "site", other)


def test_identical_entries_are_compressed_once_with_a_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = count_deflates(monkeypatch)
    files = {"a.txt": b"same", "b.txt": b"same"}
    assert bundle.offline_zip(files, "site", NOTE, {}) == zipfile_zip(files, "site", NOTE)
    assert seen == [b"same"]


def test_more_entries_than_the_end_record_counts_use_zip64_as_zipfile_does() -> None:
    files = {f"f/{i:05}.txt": b"x" for i in range(bundle.MAX_ENTRIES + 1)}
    data = bundle.offline_zip(files, "s", NOTE)
    assert data == zipfile_zip(files, "s", NOTE)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert len(zf.infolist()) == 65_536 and zf.read("s/f/65535.txt") == b"x"


def test_a_zip_past_two_gib_is_refused_rather_than_written_wrongly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bundle, "MAX_OFFSET", 100)
    with pytest.raises(ValueError, match="larger than 2 GiB"):
        bundle.offline_zip({"a.txt": bytes(range(256))}, "s", NOTE)


def test_add_offline_zip_writes_the_size_into_hosted_pages_only() -> None:
    files = dict(FILES)
    redirect = files["terms/old/index.html"] = b"<meta http-equiv=refresh>"
    bundle.add_offline_zip(files, "site", NOTE)
    data = files["download/site-offline.zip"]
    assert data == zipfile_zip(FILES | {"terms/old/index.html": redirect}, "site", NOTE)
    size = bundle.human_size(len(data)).encode()
    assert files["index.html"] == b"<h1>A-Z</h1><!--glossary:download-->link (zip, " + size + (
        b")<!--/glossary:download-->")
    assert files["terms/old/index.html"] is redirect
    assert files["sitemap.xml"] == FILES["sitemap.xml"]


def test_add_offline_zip_with_a_cache_gives_the_same_files() -> None:
    plain, cached = dict(FILES), dict(FILES)
    cache: bundle.ZipCache = {}
    bundle.add_offline_zip(plain, "site", NOTE)
    bundle.add_offline_zip(cached, "site", NOTE, cache)
    assert cached == plain
    again = dict(FILES)
    bundle.add_offline_zip(again, "site", NOTE, cache)
    assert again == plain


@pytest.mark.parametrize(("size", "text"), [(0, "1 KB"), (459_400, "460 KB"), (999_999, "1 MB"),
                                            (4_560_000, "4.6 MB"), (33_000_000, "33 MB")])
def test_human_size(size: int, text: str) -> None:
    assert bundle.human_size(size) == text
