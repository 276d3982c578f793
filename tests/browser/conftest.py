"""Fixtures the browser tests share."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.netlify import netlify_server


@pytest.fixture(scope="session")
def site_url(sales_site: Path) -> Iterator[str]:
    """The sales glossary served as Netlify serves it: 404.html's bytes at any missing path."""
    url, stop = netlify_server(sales_site)
    yield url
    stop()
