"""Parse one term file from a string: YAML front matter, Markdown body, line numbers.

Parsing works on text, not files, so tests need no disk (`load` is the thin file wrapper).
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

try:  # libyaml is several times faster; fall back to pure Python where it is missing
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader


class FrontMatterError(ValueError):
    def __init__(self, line: int, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.line, self.message, self.hint = line, message, hint


@dataclass(frozen=True)
class Parsed:
    meta: dict[str, object]
    lines: dict[str, int]  # front-matter key -> line number in the file
    body: str
    body_line: int


def normalise_text(text: str) -> str:
    """Drop a UTF-8 BOM and turn CRLF/CR line endings into LF."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def parse(text: str) -> Parsed:
    text = normalise_text(text)
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise FrontMatterError(1, "no front matter", "start the file with a line '---', then 'title: ...', then '---'")
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        raise FrontMatterError(1, "unterminated front matter", "close it with a line '---' after the last key")
    meta, key_lines = _load_yaml("\n".join(lines[1:end]), first_line=2)
    return Parsed(meta, key_lines, "\n".join(lines[end + 1 :]), end + 2)


def _load_yaml(source: str, first_line: int) -> tuple[dict[str, object], dict[str, int]]:
    loader = _Loader(source)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        raise FrontMatterError(line, f"invalid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise FrontMatterError(first_line, f"invalid YAML: {exc}") from None
    finally:
        loader.dispose()
    if data is None:
        data = {}
    if not isinstance(data, dict):
        kind = type(data).__name__
        raise FrontMatterError(first_line, f"front matter is a {kind}, not a mapping", "write 'key: value' lines")
    key_lines = {}
    if isinstance(node, yaml.MappingNode):
        key_lines = {str(k.value): first_line + k.start_mark.line for k, _ in node.value}
    return {str(k): v for k, v in data.items()}, key_lines


def parse_yaml_mapping(source: str) -> tuple[dict[str, object], dict[str, int]]:
    """A whole YAML file that must be a mapping (site.yaml)."""
    return _load_yaml(normalise_text(source), first_line=1)
