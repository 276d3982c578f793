"""What the dev server keeps between rebuilds, so that saving one term redoes little work."""

from __future__ import annotations

from dataclasses import dataclass, field

from .api import ApiCache
from .bundle import ZipCache
from .load import TermCache
from .pages import PageCache


@dataclass
class DevCache:
    terms: TermCache = field(default_factory=dict)
    written: dict[str, bytes] = field(default_factory=dict)  # the site as last written
    zipped: ZipCache = field(default_factory=dict)  # compressed entries of the offline zip
    api: ApiCache = field(default_factory=dict)
    pages: PageCache = field(default_factory=PageCache)
