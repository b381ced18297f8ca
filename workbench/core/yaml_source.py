"""Read YAML data files keeping line numbers, so every problem names file, line and field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    NodeEvent,
    ScalarEvent,
)

from workbench.core.errors import Problem

Loc = tuple[str | int, ...]

MAX_DEPTH = 64  # mappings and lists nested deeper than this are refused
MAX_ALIASES = 100  # "*name" references per file
MAX_ALIAS_NODES = 100_000  # values the aliases of a file stand for, once expanded


def read_yaml_mapping(path: Path, max_bytes: int,
                      expected: str = "a mapping") -> tuple[CommentedMap | None, list[Problem]]:
    """The document of a UTF-8 YAML file holding a mapping, or the problems that stop it."""
    name = str(path)
    try:
        raw = path.read_bytes() if path.stat().st_size <= max_bytes else None
    except OSError as error:
        return None, [Problem(name, "unreadable", f"cannot read the file: {error.strerror}")]
    if raw is None:
        return None, [Problem(name, "too_large", f"the file is larger than {max_bytes:,} bytes")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return None, [Problem(name, "encoding",
                              f"not UTF-8 text (byte {error.start}); save the file as UTF-8")]
    try:
        refused = check_structure(text, name)
        if refused is not None:
            return None, [refused]
        document = YAML(typ="rt").load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        reason = " ".join(str(p) for p in (error.context, error.problem) if p)
        return None, [Problem(name, "broken_yaml", f"YAML syntax error: {reason}", line)]
    except YAMLError as error:
        return None, [Problem(name, "broken_yaml", f"YAML syntax error: {error}")]
    if not isinstance(document, CommentedMap):
        return None, [Problem(name, "wrong_type", f"the file must hold {expected}", 1)]
    return document, []


def check_structure(text: str, file: str) -> Problem | None:
    """Refuse nesting deeper than :data:`MAX_DEPTH` and alias bombs before building anything.

    Walks the parser's event stream (which never copies an alias) and stops at the first
    offence, so a 50,000-deep or "billion laughs" file is refused after a few events. The
    expansion counts every value an alias stands for, as :func:`plain` would copy it.
    Raises ruamel's :class:`YAMLError` for a syntax error met on the way.
    """
    sizes: dict[str, int] = {}  # anchor -> values in its node once aliases are expanded
    open_nodes: list[list[Any]] = []  # [anchor, values so far] per open mapping or list
    aliases = expanded = 0
    for event in YAML(typ="rt").parse(text):
        line = event.start_mark.line + 1 if event.start_mark is not None else None
        if isinstance(event, CollectionStartEvent):
            if len(open_nodes) >= MAX_DEPTH:
                return Problem(file, "too_deep", f"mappings and lists are nested more than "
                               f"{MAX_DEPTH} levels deep; refused", line)
            open_nodes.append([event.anchor, 1])
            continue
        if isinstance(event, AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                return Problem(file, "too_many_aliases", f"more than {MAX_ALIASES} aliases "
                               "(*name references); refused", line)
            if event.anchor in (node[0] for node in open_nodes):
                return Problem(file, "alias_loop", f"alias *{event.anchor} refers to a value "
                               "that contains it; refused", line)
            size = sizes.get(event.anchor, 1)
            expanded += size
            if expanded > MAX_ALIAS_NODES:
                return Problem(file, "alias_expansion", f"the aliases expand to more than "
                               f"{MAX_ALIAS_NODES:,} values (a \"billion laughs\" file?); "
                               "refused", line)
        elif isinstance(event, CollectionEndEvent):
            anchor, size = open_nodes.pop()
            if anchor is not None:
                sizes[anchor] = size
        elif isinstance(event, ScalarEvent):
            size = 1
            if event.anchor is not None:
                sizes[event.anchor] = 1
        else:
            continue
        if open_nodes and isinstance(event, NodeEvent | CollectionEndEvent):
            open_nodes[-1][1] += size
    return None


def field_path(loc: Loc) -> str:
    """``("sections", 0, "questions", 2, "kind")`` -> ``sections[0].questions[2].kind``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def line_of(node: Any, loc: Loc) -> int:
    """1-based line of the deepest YAML node on ``loc`` that exists."""
    line = node.lc.line + 1
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            line = node.lc.key(part)[0] + 1
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
            line = node.lc.item(part)[0] + 1
            node = node[part]
        else:
            break
    return line


def plain(node: Any) -> Any:
    """Convert ruamel's round-trip containers and scalar subclasses into plain Python values."""
    if isinstance(node, dict):
        return {plain(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    for kind in (str, int, float):
        if isinstance(node, kind):
            return kind(node)
    return node
