"""The offline download: the whole site in one zip that works opened from disk."""

from __future__ import annotations

import io
import re
import zipfile

# Pages are rendered once; this footer block is then filled in differently for the
# hosted site (link with the zip's size) and for the copy inside the zip (a note).
DOWNLOAD_BLOCK = re.compile(rb"<!--glossary:download-->.*?<!--/glossary:download-->", re.DOTALL)
SIZE_MARK = b"<!--glossary:size-->"
# Host-only files that mean nothing on disk.
HOST_ONLY = {"_redirects", "_headers", "robots.txt", "sitemap.xml", "embed.js"}
FIXED_TIME = (2020, 1, 1, 0, 0, 0)  # fixed timestamps: same content, same zip bytes


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


def offline_zip(files: dict[str, bytes], site_name: str, offline_note: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for path in sorted(filter(in_bundle, files)):
            data = files[path]
            if path.endswith(".html"):
                data = DOWNLOAD_BLOCK.sub(lambda _m: offline_note, data)
            info = zipfile.ZipInfo(f"{site_name}/{path}", FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return buffer.getvalue()


def add_offline_zip(files: dict[str, bytes], site_name: str, offline_note: bytes) -> None:
    """Adds the zip to `files` and writes its size into every hosted page's download link."""
    data = offline_zip(files, site_name, offline_note)
    size = human_size(len(data)).encode()
    for path, page in files.items():
        if path.endswith(".html"):
            files[path] = page.replace(SIZE_MARK, size)
    files[zip_path(site_name)] = data
