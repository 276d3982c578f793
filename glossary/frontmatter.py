"""Parse one term file from a string: YAML front matter, Markdown body, line numbers.

Parsing works on text, not files, so tests need no disk (`load` is the thin file wrapper).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import yaml


@functools.cache
def _loader() -> type:
    """YAML where a plain value is text unless it is true/false or empty.

    YAML 1.1 would turn `title: No` into False, `title: 2024-01-01` into a date and
    `aliases: [0x1A]` into 26; a glossary wants the words the author typed. PyYAML is imported
    on first use: most builds never need it (see simple_yaml).
    """
    import yaml

    # libyaml is several times faster; fall back to pure Python where it is missing
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
    simple = simple_yaml(source, first_line=2)
    meta, key_lines = simple or _load_yaml(source, first_line=2, what="front matter")
    return Parsed(meta, key_lines, "\n".join(lines[end + 1 :]), end + 2)


# The front matter of almost every term is a few `key: words` and `key: [a, b]` lines. Those are
# read here directly (a tenth of the YAML parser's time: 1 s of a 10,000-term build); anything
# else, or anything this code is not sure of, goes to the YAML parser, which also reports errors.
SIMPLE_LINE_RE = re.compile(r"([A-Za-z_][\w-]*):(?: +(.+))?")
ITEM_RE = re.compile(r"( +)- +(.+)")  # an item of a block list under its key
INDICATORS = "-?:,[]{}#&*!|>'\"%@`"  # a plain YAML scalar cannot start with one of these
NOT_TEXT = {"true", "True", "TRUE", "false", "False", "FALSE", "~", "null", "Null", "NULL"}


def simple_yaml(source: str, first_line: int) -> tuple[dict[str, object], dict[str, int]] | None:
    """The mapping and key lines, as _load_yaml would give them, or None if the source is not simple.

    Simple: `key: value` lines whose value is plain text, simply quoted text, true/false, a flow list
    `[a, "b, c"]` of such texts, or no value and then a block list of plain texts (`  - a`)."""
    meta: dict[str, object] = {}
    lines: dict[str, int] = {}
    items: list[str] | None = None  # the block list being read
    indent = ""
    for n, line in enumerate(source.split("\n")):
        line = line.rstrip(" ")
        if not line:
            continue
        if items is not None and (item := ITEM_RE.fullmatch(line)):
            if (indent and item[1] != indent) or not _plain(item[2], in_list=False):
                return None
            indent = item[1]
            items.append(item[2])
            continue
        match = SIMPLE_LINE_RE.fullmatch(line)
        if items == [] or not match or match[1] in meta:
            return None  # "key:" with no items (null in YAML), or not a simple line
        value = _simple_value(match[2]) if match[2] is not None else []
        if value is None:
            return None
        items, indent = (value, "") if match[2] is None else (None, "")
        meta[match[1]], lines[match[1]] = value, first_line + n
    return None if items == [] else (meta, lines)


BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
# One item of a flow list: "double" or 'single' quoted (no escapes, no quote inside), or plain.
FLOW_ITEM_RE = re.compile(r""" *(?:"([^"\\]*)"|'([^']*)'|([^,"']*?)) *(,|$)""")


def _simple_value(text: str) -> str | bool | list[str] | None:
    if text in BOOLS:
        return BOOLS[text]
    if text.startswith("[") and text.endswith("]"):
        return _flow_list(text[1:-1])
    return _quoted(text) if text[0] in "'\"" else text if _plain(text, in_list=False) else None


def _quoted(text: str) -> str | None:
    """The inside of a 'single' or "double" quoted value without escapes or inner quotes."""
    match = re.fullmatch(r'"([^"\\]*)"|\'([^\']*)\'', text)
    if not match:
        return None
    inner = match[1] if match[1] is not None else match[2]
    return inner if inner.isprintable() else None


def _flow_list(text: str) -> list[str] | None:
    if not text.strip(" "):
        return []
    items, pos = [], 0
    while pos < len(text):
        match = FLOW_ITEM_RE.match(text, pos)
        if not match or match.end() == pos:
            return None
        double, single, plain = match[1], match[2], match[3]
        item = double if double is not None else single if single is not None else plain
        if (plain is not None and not _plain(plain, in_list=True)) or not item.isprintable():
            return None
        items.append(item)
        pos = match.end()
        if match[4] == "" and pos < len(text):
            return None
    return items if text.rstrip(" ")[-1] != "," else None


def _plain(text: str, in_list: bool) -> bool:
    """Whether YAML reads `text` as this very string (no quotes, comments, indicators or special words)."""
    return bool(text) and text[0] not in INDICATORS and text[-1] != ":" and ": " not in text \
        and " #" not in text and text.isprintable() and text not in NOT_TEXT \
        and not (in_list and any(c in text for c in ",[]{}:"))


def _load_yaml(source: str, first_line: int, what: str) -> tuple[dict[str, object], dict[str, int]]:
    """A YAML mapping with the line of each key; `what` names it in messages."""
    import yaml

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
    import yaml

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
    return simple_yaml(source, first_line=1) or _load_yaml(source, first_line=1, what=what)
