"""The offline download: the whole site in one zip that works opened from disk.

The zip is written here rather than with `zipfile`, which compresses one entry at a time and
cannot take data compressed elsewhere. Compressing is nearly all of the work and zlib releases
the GIL while it runs, so entries are compressed on every core and then laid out in the same
container `zipfile` writes (same headers, same bytes; the tests check this against `zipfile`).
The format is the PKWARE APPNOTE's: per entry a local header, its name and the deflated data,
then a central directory listing every entry, then an end record.
"""

from __future__ import annotations

import hashlib
import os
import re
import struct
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

# Pages are rendered once; this footer block is then filled in differently for the
# hosted site (link with the zip's size) and for the copy inside the zip (a note).
DOWNLOAD_BLOCK = re.compile(rb"<!--glossary:download-->.*?<!--/glossary:download-->", re.DOTALL)
SIZE_MARK = b"<!--glossary:size-->"
# Host-only files that mean nothing on disk.
HOST_ONLY = {"_redirects", "_headers", "robots.txt", "sitemap.xml", "embed.js"}
FIXED_TIME = (2020, 1, 1, 0, 0, 0)  # fixed timestamps: same content, same zip bytes
# Level 1, as the zipfile version of this module asked for (ZipFile(compresslevel=1) is ignored for
# ZipInfo entries, so it compressed at zlib's default, 6): about three times faster, zip about 12% larger.
COMPRESS_LEVEL = 1
PERMISSIONS = 0o644 << 16  # rw-r--r-- in the Unix half of the external attributes

# Zip fields: "version 2.0" (deflate), made on Unix (3), method 8 (deflate), UTF-8 name flag.
VERSION, UNIX, DEFLATED, UTF8_NAME = 20, 3, 8, 0x800
LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
CENTRAL_HEADER = struct.Struct("<4s4B4HL2L5H2L")
END_RECORD = struct.Struct("<4s4H2LH")
ZIP64_END_RECORD = struct.Struct("<4sQ2H2L4Q")
ZIP64_LOCATOR = struct.Struct("<4sLQL")
MAX_ENTRIES = 0xFFFF  # more than this needs the zip64 end record, as zipfile writes it
MAX_OFFSET = (1 << 31) - 1  # zipfile switches to zip64 fields per entry beyond 2 GiB; an offline site never gets near

BATCH_BYTES = 256 * 1024  # per task handed to a thread: big enough that handing it over costs little

Deflated = tuple[int, bytes]  # an entry's CRC-32 and its raw deflate stream
# SHA-256 of an entry's bytes -> its Deflated: a digest rather than the bytes themselves, so the
# cache holds only the compressed site, not a second uncompressed copy.
ZipCache = dict[bytes, Deflated]


def zip_path(site_name: str) -> str:
    return f"download/{site_name}-offline.zip"


def human_size(size: int) -> str:
    """Two significant digits ("460 KB", "4.6 MB", "33 MB"): the size is in every page's footer,
    so a small edit must not change it, or every page would be rewritten."""
    unit, value = ("MB", size / 1_000_000) if size >= 1_000_000 else ("KB", max(size, 1000) / 1000)
    rounded = float(f"{value:.2g}")
    if unit == "KB" and rounded >= 1000:
        return "1 MB"
    return f"{rounded:g} {unit}"


def in_bundle(path: str) -> bool:
    return path not in HOST_ONLY and not path.startswith(("download/", "api/", "embed-demo/"))


def offline_zip(files: dict[str, bytes], site_name: str, offline_note: bytes, cache: ZipCache | None = None) -> bytes:
    """The zip of every file meant for disk, under `<site_name>/`, sorted by path.

    `cache` (optional, kept by the caller between builds) holds the compressed entries of the
    last call, so a rebuild after editing one term compresses only the entries that changed.
    """
    paths = sorted(filter(in_bundle, files))
    entries = [offline_copy(path, files[path], offline_note) for path in paths]
    return zip_archive([f"{site_name}/{path}" for path in paths], entries, deflate_all(entries, cache))


def offline_copy(path: str, data: bytes, offline_note: bytes) -> bytes:
    return DOWNLOAD_BLOCK.sub(lambda _m: offline_note, data) if path.endswith(".html") else data


def add_offline_zip(files: dict[str, bytes], site_name: str, offline_note: bytes,
                    cache: ZipCache | None = None) -> None:
    """Adds the zip to `files` and writes its size into every hosted page's download link."""
    data = offline_zip(files, site_name, offline_note, cache)
    size = human_size(len(data)).encode()
    for path, page in files.items():
        if path.endswith(".html"):
            # No `SIZE_MARK in page` test first: replace() scans once and returns the page itself
            # when the mark is absent, so the test would only add a second scan.
            files[path] = page.replace(SIZE_MARK, size)
    files[zip_path(site_name)] = data


# --- compressing ----------------------------------------------------------------------------

def deflate(data: bytes) -> Deflated:
    """What zipfile stores for a deflated entry: one compress() call and a flush, raw (no zlib header)."""
    compressor = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15)
    return zlib.crc32(data), compressor.compress(data) + compressor.flush()


def deflate_all(entries: list[bytes], cache: ZipCache | None = None) -> list[Deflated]:
    """Every entry deflated, in order; with a cache, only the entries it does not hold.

    The cache is then left holding exactly this call's entries, so it never grows past one site.
    """
    if cache is None:
        return deflate_many(entries)
    keys = [hashlib.sha256(data).digest() for data in entries]
    missing = {key: data for key, data in zip(keys, entries, strict=True) if key not in cache}
    cache.update(zip(missing, deflate_many(list(missing.values())), strict=True))
    result = [cache[key] for key in keys]
    cache.clear()
    cache.update(zip(keys, result, strict=True))
    return result


def deflate_many(entries: list[bytes]) -> list[Deflated]:
    """Deflate on every core: zlib releases the GIL while it compresses. Entries go to the
    threads in batches, because one task per small page would cost more than compressing it."""
    batches = list(batched(entries, BATCH_BYTES))
    workers = min(os.cpu_count() or 1, len(batches))
    if workers <= 1:
        return [deflate(data) for data in entries]
    with ThreadPoolExecutor(workers) as pool:
        return [done for batch in pool.map(deflate_batch, batches) for done in batch]


def deflate_batch(batch: list[bytes]) -> list[Deflated]:
    return [deflate(data) for data in batch]


def batched(entries: list[bytes], size: int) -> Iterator[list[bytes]]:
    """Consecutive runs of entries holding at least `size` bytes each (the last may hold fewer)."""
    batch: list[bytes] = []
    total = 0
    for data in entries:
        batch.append(data)
        total += len(data)
        if total >= size:
            yield batch
            batch, total = [], 0
    if batch:
        yield batch


# --- the zip container ----------------------------------------------------------------------

def zip_archive(names: list[str], entries: list[bytes], deflated: list[Deflated]) -> bytes:
    """Local headers and data, central directory, end record: byte for byte what zipfile writes
    for ZipInfo(name, FIXED_TIME) entries with ZIP_DEFLATED and external_attr 0o644 << 16."""
    year, month, day, hour, minute, second = FIXED_TIME
    dos_date, dos_time = (year - 1980) << 9 | month << 5 | day, hour << 11 | minute << 5 | second // 2
    body: list[bytes] = []
    directory: list[bytes] = []
    offset = 0
    for name, data, (crc, packed) in zip(names, entries, deflated, strict=True):
        if offset > MAX_OFFSET or len(data) * 1.05 > MAX_OFFSET:  # zipfile's own tests for zip64 fields
            raise ValueError("the offline zip would be larger than 2 GiB, which this writer does not support")
        encoded, flags = encode_name(name)
        fields = (flags, DEFLATED, dos_time, dos_date, crc, len(packed), len(data), len(encoded))
        local = LOCAL_HEADER.pack(b"PK\x03\x04", VERSION, 0, *fields, 0)
        body += (local, encoded, packed)
        directory += (CENTRAL_HEADER.pack(b"PK\x01\x02", VERSION, UNIX, VERSION, 0, *fields, 0, 0, 0, 0,
                                          PERMISSIONS, offset), encoded)
        offset += len(local) + len(encoded) + len(packed)
    central = b"".join(directory)
    return b"".join([*body, central, end_records(len(names), len(central), offset)])


def encode_name(name: str) -> tuple[bytes, int]:
    """ASCII names as they are; others in UTF-8 with the flag that says so (as zipfile does)."""
    try:
        return name.encode("ascii"), 0
    except UnicodeEncodeError:
        return name.encode("utf-8"), UTF8_NAME


def end_records(count: int, central_size: int, central_offset: int) -> bytes:
    """The end record; with more entries than its 16-bit count holds, zip64 records before it."""
    if count <= MAX_ENTRIES and central_offset <= MAX_OFFSET and central_size <= MAX_OFFSET:
        return END_RECORD.pack(b"PK\x05\x06", 0, 0, count, count, central_size, central_offset, 0)
    # The zip64 end record (record size 44, versions 4.5) and its locator, then the classic
    # end record with its fields capped, as readers expect.
    end64 = ZIP64_END_RECORD.pack(b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, central_size, central_offset)
    locator = ZIP64_LOCATOR.pack(b"PK\x06\x07", 0, central_offset + central_size, 1)
    capped = END_RECORD.pack(b"PK\x05\x06", 0, 0, min(count, 0xFFFF), min(count, 0xFFFF),
                             min(central_size, 0xFFFFFFFF), min(central_offset, 0xFFFFFFFF), 0)
    return end64 + locator + capped
