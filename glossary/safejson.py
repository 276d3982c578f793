"""JSON that is safe to put anywhere in HTML: inside <script>, or in a file a consumer might show."""

from __future__ import annotations

import json


def script_json(data: object) -> str:
    """Compact JSON with '<', '>' and '&' escaped, so no '</script>', '<!--' or markup can hide in it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def json_bytes(data: object) -> bytes:
    return script_json(data).encode()
