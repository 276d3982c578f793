"""Bundle stage: the offline download, the whole site in one zip that works opened from disk.

Pages never depend on the zip (their download link is an absolute address, and nothing shows its
size), so it is made last, from the finished files. Entries are sorted and carry a fixed timestamp:
the same site gives the same zip bytes.
"""

from __future__ import annotations

import io
import zipfile

from . import urls
from .history import long_date
from .model import Glossary, Settings

# Host-only files that mean nothing on disk, and pages that need the hosted site.
# 404.html is one: the host serves it at missing addresses, so its links start from the site's root.
# embed.js stays: the help-docs page loads it for its demo (opened from disk, the script does nothing).
HOST_ONLY = {"_redirects", "_headers", "robots.txt", "sitemap.xml", "404.html"}
FIXED_TIME = (2020, 1, 1, 0, 0, 0)
COMPRESS_LEVEL = 1  # zlib's fastest: a slightly larger zip, made several times faster than at the default level
PERMISSIONS = 0o644 << 16  # rw-r--r-- in the Unix half of the external attributes


def bundle(files: dict[str, bytes], glossary: Glossary) -> dict[str, bytes]:
    """{the zip's path: the zip of every file meant for disk, under `<site name>/`}."""
    name = glossary.settings.name
    files = {p: d for p, d in files.items() if in_bundle(p)} | {"README.txt": offline_readme(glossary)}
    return {urls.download_path(name): offline_zip(files, name)}


def offline_readme(glossary: Glossary) -> bytes:
    """What a copy on a laptop is, and how current: dated by its newest definition, never by the clock."""
    s = glossary.settings
    built = f"Definitions as of {long_date(glossary.last_updated)}." if glossary.last_updated else "Undated copy."
    return (f"{s.title}: offline copy\n\n{s.description}\n\n{built} The current version, and its list of changes,\n"
            f"is at {s.base_url} ({s.base_url}changes/).\n\nOpen index.html in a web browser; nothing needs to be "
            f"installed.\n{licence_line(s)}\n").encode()


def licence_line(settings: Settings) -> str:
    """The licence of the definitions, as site.yaml names it."""
    if not settings.license:
        return "Licence: the terms of the website above apply to this copy too."
    url = f" ({settings.license_url})" if settings.license_url else ""
    return f"Licence of the definitions: {settings.license}{url}."


def in_bundle(path: str) -> bool:
    """Term cards (terms/<slug>/card/) are for other sites' iframes, which cannot frame a file on a laptop."""
    return (path not in HOST_ONLY and not path.startswith(("download/", "api/", "embed-demo/"))
            and not path.endswith("/card/index.html"))


def offline_zip(files: dict[str, bytes], folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as archive:
        for path in sorted(files):
            info = zipfile.ZipInfo(f"{folder}/{path}", FIXED_TIME)
            info.external_attr = PERMISSIONS
            # writestr's compresslevel: a ZipInfo entry ignores the archive's own level.
            archive.writestr(info, files[path], compress_type=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL)
    return buffer.getvalue()
