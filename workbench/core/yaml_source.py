"""Read YAML data files keeping line numbers, so every problem names file, line and field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from workbench.core.errors import Problem

Loc = tuple[str | int, ...]


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
