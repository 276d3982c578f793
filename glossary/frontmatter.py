"""Parse one term file from a string: YAML front matter, Markdown body, line numbers.

Parsing works on text, not files, so tests need no disk (`load` is the thin file wrapper).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import yaml


@functools.cache
def _loader() -> type:
    """YAML where a plain value is text unless it is true/false or empty.

    YAML 1.1 would turn `title: No` into False, `title: 2024-01-01` into a date and
    `aliases: [0x1A]` into 26; a glossary wants the words the author typed.
    """
    # LibYAML's C loader where PyYAML was built with it; the pure-Python loader reads the same YAML.
    base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = type("GlossaryLoader", (base,), {"yaml_implicit_resolvers": {}})  # no resolvers but these two:
    loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                 list("tTfF"))
    loader.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"),
                                 ["~", "n", "N", ""])
    return loader


COLON_HINT = "put quotes around a value that contains ': ', such as 'title: \"ROI: return on investment\"'"


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
    if lines[0].rstrip() != "---":
        raise FrontMatterError(1, "no front matter", "start the file with a line '---', then 'title: ...', then '---'")
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        raise FrontMatterError(1, "unterminated front matter", "close it with a line '---' after the last key")
    source = "\n".join(lines[1:end])
    meta, key_lines = _load_yaml(source, first_line=2, what="front matter")
    return Parsed(meta, key_lines, "\n".join(lines[end + 1 :]), end + 2)


def _load_yaml(source: str, first_line: int, what: str) -> tuple[dict[str, object], dict[str, int]]:
    """A YAML mapping with the line of each key; `what` names it in messages."""
    loader = _loader()(source)
    try:
        node = loader.get_single_node()
        return _mapping(loader, node, first_line, what)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        problem = exc.problem or exc.context or "not valid"
        hint = COLON_HINT if problem.startswith("mapping values are not allowed") else ""
        raise FrontMatterError(line, f"invalid YAML: {problem}", hint) from None
    except yaml.reader.ReaderError as exc:
        line = first_line + source.count("\n", 0, exc.position)
        raise FrontMatterError(line, f"invalid YAML: character U+{exc.character:04X} is not allowed", "remove it") \
            from None
    except yaml.YAMLError as exc:
        raise FrontMatterError(first_line, "invalid YAML: " + " ".join(str(exc).split())) from None
    except RecursionError:
        raise FrontMatterError(first_line, "invalid YAML: nested too deeply") from None
    finally:
        loader.dispose()


def _mapping(loader: yaml.BaseLoader, node: yaml.Node | None, first_line: int,
             what: str) -> tuple[dict[str, object], dict[str, int]]:
    if node is None or (isinstance(node, yaml.ScalarNode) and loader.construct_object(node) is None):
        return {}, {}
    if not isinstance(node, yaml.MappingNode):
        kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
        raise FrontMatterError(first_line + node.start_mark.line, f"{what} is {kind}, not 'key: value' lines",
                               "write one 'key: value' per line, such as 'title: Churn Rate'")
    meta: dict[str, object] = {}
    lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        line = first_line + key_node.start_mark.line
        if not isinstance(key_node, yaml.ScalarNode):
            raise FrontMatterError(line, "a key must be a plain word",
                                   "write 'key: value', such as 'title: Churn Rate'")
        key = str(key_node.value)
        if key in lines:
            raise FrontMatterError(line, f"duplicate key '{key}'", f"it is already on line {lines[key]}; keep one")
        meta[key] = loader.construct_object(value_node, deep=True)
        lines[key] = line
    return meta, lines


def parse_yaml_mapping(source: str, what: str = "the file") -> tuple[dict[str, object], dict[str, int]]:
    """A whole YAML file that must be a mapping (site.yaml)."""
    source = normalise_text(source)
    return _load_yaml(source, first_line=1, what=what)
