"""What the dev server keeps between rebuilds, so that saving one term redoes little work."""

from __future__ import annotations

from dataclasses import dataclass, field

from .link import RenderCache


@dataclass
class DevCache:
    rendered: RenderCache = field(default_factory=RenderCache)
    written: dict[str, bytes] = field(default_factory=dict)  # the site as last written
