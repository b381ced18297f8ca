"""Pajek ``.net``/``.paj`` files: networks, vertices, arcs and edges (lists too), matrices,
partitions and vectors.

``*Partition NAME`` and ``*Vector NAME`` (each followed by ``*Vertices N`` and one value per
line) become node attributes named ``NAME`` of the network with N vertices (the latest one, in
a project file with several): whole numbers for a partition, numbers for a vector. Arcs and
edges may end in time intervals (``[3]``, ``[1-4]``, ``[1-3,5]``, ``[2-*]``): the tie is present
at those points only (see :attr:`~workbench.core.network.formats_base.NetworkFile.ties_by_time`).
Negative weights are signed ties and kept.
"""

from __future__ import annotations

import math
import re

from workbench.core.errors import WorkbenchError
from workbench.core.network.formats_base import (
    DEFAULT_RELATION,
    MAX_DECLARED_NODES,
    Collector,
    Interval,
    NetworkFile,
    is_whole,
    most_declared,
    parse_number,
    split_tokens,
)

_PAJEK_TIES = re.compile(
    r'^\*(arcs|edges|arcslist|edgeslist|matrix)\b\s*(?::\s*(\d+))?\s*(?:"([^"]*)"|(\S.*))?$',
    re.IGNORECASE,
)
_PAJEK_SKIPPED = ("*permutation", "*cluster", "*hierarchy")
_PAJEK_ATTRIBUTES = ("*partition", "*vector")
_WHOLE = re.compile(r"-?\d+", re.ASCII)
_TIME = re.compile(r"\[([^\]]*)\]")
_TIME_PART = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+|\*)\s*)?$")


def _intervals(text: str) -> list[Interval]:
    """``1-3,5,7-*`` as intervals; raises ValueError for anything else."""
    intervals: list[Interval] = []
    for part in text.split(","):
        match = _TIME_PART.match(part)
        if match is None:
            raise ValueError(part.strip())
        start, end = int(match.group(1)), match.group(2)
        last = None if end == "*" else start if end is None else int(end)
        if last is not None and last < start:
            raise ValueError(part.strip())
        intervals.append((start, last))
    return intervals


class _Attribute:
    """A partition or vector being read: its name and its values, one per vertex."""

    def __init__(self, kind: str, name: str, line: int) -> None:
        self.kind, self.name, self.line = kind, name, line
        self.declared: int | None = None
        self.values: list[tuple[int, str]] = []  # (line, text)


class _PajekReader:
    """Line-by-line Pajek reader: *Network, *Vertices, *Arcs/*Edges(list), *Matrix."""

    def __init__(self, file: str, size: int = 0) -> None:
        self.out = Collector(file)
        self.most_vertices = most_declared(size)
        self.network_count = 0
        self._new_network("")
        self.section = "none"
        self.relation: int | None = None
        self.vertices_line = 0
        self.networks: list[dict[int, str]] = []  # vertex ids of each network read
        self.attribute: _Attribute | None = None

    def _new_network(self, name: str) -> None:
        self.network_name = name
        self.declared: int | None = None
        self.vertex_lines: dict[int, tuple[int, str]] = {}  # number -> (line, label)
        self.ids: dict[int, str] | None = None
        self.relation_names: dict[int, str] = {}
        self.matrix_row = 0

    def read(self, text: str) -> NetworkFile:
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if not line or line.startswith("%"):
                continue
            if line.startswith("*"):
                self._header(line, number)
            elif self.section == "vertices":
                self._vertex(line, number)
            elif self.section in ("arcs", "edges", "arcslist", "edgeslist", "matrix"):
                self._ties(line, number)
            elif self.section == "values" and self.attribute is not None:
                self.attribute.values.append((number, line.split()[0]))
            elif self.section == "none":
                raise WorkbenchError(
                    f"{self.out.file}, line {number}: data before any *Network or *Vertices line;"
                    " not a Pajek file.")
        self._close_vertices()
        self._close_attribute()
        return self.out.result()

    def _header(self, line: str, number: int) -> None:
        lowered = line.lower()
        if self.section == "skipped" and lowered.startswith("*vertices"):
            return  # a permutation or cluster repeats *Vertices before its values
        if self.section == "attribute" and lowered.startswith("*vertices"):
            self._attribute_size(line, number)
            return
        self._close_vertices()
        self._close_attribute()
        if lowered.startswith(_PAJEK_ATTRIBUTES):
            kind = "partition" if lowered.startswith("*partition") else "vector"
            name = line[len(kind) + 1:].strip().strip('"').strip()
            name = re.sub(r"\.(clu|vec)$", "", name, flags=re.IGNORECASE)
            self.attribute = _Attribute(kind, name or kind, number)
            self.section = "attribute"
        elif lowered.startswith("*network"):
            self.network_count += 1
            self._new_network(line[len("*network"):].strip().strip('"'))
            self.section = "network"
        elif lowered.startswith("*vertices"):
            self._vertices_header(line, number)
        elif match := _PAJEK_TIES.match(line):
            if self.declared is None:
                raise WorkbenchError(
                    f"{self.out.file}, line {number}: ties before any *Vertices line.")
            self.section = match.group(1).lower()
            self.relation = int(match.group(2)) if match.group(2) else None
            name = match.group(3) if match.group(3) is not None else match.group(4)
            if self.relation is not None and name:
                self.relation_names[self.relation] = name.strip()
            self.matrix_row = 0
        else:
            what = "ignored" if lowered.startswith(_PAJEK_SKIPPED) else "not understood; ignored"
            self.out.problem("unsupported_section", f"section {line.split()[0]} {what}", number,
                             severity="warning")
            self.section = "skipped"

    def _vertices_header(self, line: str, number: int) -> None:
        parts = line.split()
        if len(parts) < 2 or not is_whole(parts[1]):
            raise WorkbenchError(
                f"{self.out.file}, line {number}: *Vertices needs the number of vertices.")
        if int(parts[1]) > self.most_vertices:
            limit = (f"than this app reads ({MAX_DECLARED_NODES:,})"
                     if self.most_vertices == MAX_DECLARED_NODES else
                     f"than a file of this size can describe ({self.most_vertices:,})")
            raise WorkbenchError(f"{self.out.file}, line {number}: *Vertices {parts[1]} is more "
                                 f"{limit}.")
        if self.declared is not None:
            self._new_network(self.network_name)
        self.declared = int(parts[1])
        if len(parts) > 2:
            self.out.problem("two_mode", "two-mode network: both modes read as people", number,
                             severity="warning")
        self.vertices_line = number
        self.section = "vertices"

    def _vertex(self, line: str, number: int) -> None:
        tokens = split_tokens(line)
        if not is_whole(tokens[0]) or not 1 <= int(tokens[0]) <= (self.declared or 0):
            self.out.problem("bad_vertex",
                             f"vertex number {tokens[0]!r} is not between 1 and {self.declared}",
                             number, "vertex")
            return
        vertex = int(tokens[0])
        if vertex in self.vertex_lines:
            self.out.problem("duplicate_vertex",
                             f"vertex {vertex} already listed on line "
                             f"{self.vertex_lines[vertex][0]}", number, "vertex")
            return
        label = tokens[1] if len(tokens) > 1 else str(vertex)
        self.vertex_lines[vertex] = (number, label)

    def _close_vertices(self) -> None:
        if self.section != "vertices" or self.declared is None:
            return
        listed = len(self.vertex_lines)
        if listed != self.declared:
            self.out.problem(
                "vertex_count",
                f"*Vertices declares {self.declared} vertices but {listed} are listed; "
                "unlisted vertices are named by their number",
                self.vertices_line, severity="warning")
        labels = {v: self.vertex_lines.get(v, (0, str(v)))[1] for v in range(1, self.declared + 1)}
        unique = len(set(labels.values())) == len(labels)
        if not unique:
            self.out.problem("duplicate_label",
                             "vertex labels repeat, so vertex numbers are used as ids",
                             self.vertices_line, "label", severity="warning")
        self.ids = {v: (label if unique else str(v)) for v, label in labels.items()}
        self.networks.append(self.ids)
        for vertex in range(1, self.declared + 1):
            self.out.add_node(self.ids[vertex], labels[vertex])

    def _attribute_size(self, line: str, number: int) -> None:
        assert self.attribute is not None
        parts = line.split()
        if len(parts) < 2 or not is_whole(parts[1]):
            raise WorkbenchError(
                f"{self.out.file}, line {number}: *Vertices needs the number of vertices.")
        self.attribute.declared = int(parts[1])
        self.section = "values"

    def _close_attribute(self) -> None:
        """Give each vertex its partition class or vector value, once all are read."""
        attribute, self.attribute = self.attribute, None
        if attribute is None:
            return
        what = f"{attribute.kind} {attribute.name!r}"
        size = attribute.declared
        ids = next((n for n in reversed(self.networks) if len(n) == size), None)
        if size is None or ids is None:
            why = ("has no *Vertices line" if size is None else
                   f"is for {size} vertices, and no network here has {size}")
            self.out.problem("unmatched_attribute", f"{what} {why}; ignored", attribute.line,
                             severity="warning")
            return
        if len(attribute.values) != size:
            self.out.problem("attribute_count", f"{what} lists {len(attribute.values)} values "
                             f"for {size} vertices; " + ("the others are left blank"
                                                         if len(attribute.values) < size
                                                         else "the extra ones are ignored"),
                             attribute.line, severity="warning")
        for vertex, (line, text) in enumerate(attribute.values[:size], start=1):
            value: int | float | None
            if attribute.kind == "partition":
                value = int(text) if _WHOLE.fullmatch(text) else None
            else:
                number = parse_number(text)
                value = number if number is not None and math.isfinite(number) else None
            if value is None:
                kind = "a whole number" if attribute.kind == "partition" else "a number"
                self.out.problem("bad_value", f"{what}: value {text!r} of vertex {vertex} is not "
                                 f"{kind}; left blank", line, attribute.name, severity="warning")
            else:
                self.out.set_person_attribute(ids[vertex], attribute.name, value)

    def _relation_name(self, relation: int | None) -> str:
        if relation is not None:
            return self.relation_names.get(relation) or f"relation {relation}"
        if self.network_name:
            return self.network_name
        return DEFAULT_RELATION if self.network_count <= 1 else f"network {self.network_count}"

    def _vertex_id(self, token: str, number: int, column: str) -> str | None:
        assert self.ids is not None
        vertex = int(token) if is_whole(token) else None
        if vertex is None or vertex not in self.ids:
            self.out.problem("unknown_vertex",
                             f"{column} {token!r} is not a declared vertex "
                             f"(1 to {self.declared}); tie skipped", number, column)
            return None
        return self.ids[vertex]

    def _ties(self, line: str, number: int) -> None:
        times: list[Interval] | None = None
        found = _TIME.findall(line)
        if found:
            try:
                times = [interval for text in found for interval in _intervals(text)]
            except ValueError as exc:
                self.out.problem("bad_time", f"time interval {exc.args[0]!r} is not like 3, "
                                 "1-4 or 2-*; tie skipped", number, "time")
                return
            line = _TIME.sub(" ", line)
        tokens = line.split()
        relation = self.relation
        if tokens[0].endswith(":") and is_whole(tokens[0][:-1]):
            relation = int(tokens[0][:-1])
            tokens = tokens[1:]
        name = self._relation_name(relation)
        directed = self.section in ("arcs", "arcslist", "matrix")
        if self.section == "matrix":
            self._matrix_row(tokens, number, name)
            return
        if len(tokens) < 2:
            self.out.problem("bad_tie", "a tie needs two vertex numbers", number)
            return
        source = self._vertex_id(tokens[0], number, "source")
        if source is None:
            return
        if self.section in ("arcslist", "edgeslist"):
            for token in tokens[1:]:
                target = self._vertex_id(token, number, "target")
                if target is not None:
                    self.out.add_tie(name, source, target, 1.0, directed, number, times=times)
            return
        target = self._vertex_id(tokens[1], number, "target")
        weight = parse_number(tokens[2]) if len(tokens) > 2 else 1.0
        if weight is None:
            self.out.problem("bad_weight", f"weight {tokens[2]!r} is not a number; tie skipped",
                             number, "weight")
        elif target is not None:
            self.out.add_tie(name, source, target, weight, directed, number, times=times)

    def _matrix_row(self, tokens: list[str], number: int, relation: str) -> None:
        assert self.ids is not None and self.declared is not None
        self.matrix_row += 1
        if self.matrix_row > self.declared or len(tokens) != self.declared:
            self.out.problem("bad_matrix",
                             f"matrix row {self.matrix_row} should hold {self.declared} values "
                             f"(rows 1 to {self.declared}); row skipped", number)
            return
        source = self.ids[self.matrix_row]
        for column, token in enumerate(tokens, start=1):
            value = parse_number(token)
            if value is None:
                self.out.problem("bad_weight", f"value {token!r} is not a number", number,
                                 str(column))
            elif value and column != self.matrix_row:
                self.out.add_tie(relation, source, self.ids[column], value, True, number,
                                 str(column))


def read_pajek(text: str, name: str) -> NetworkFile:
    return _PajekReader(name, len(text)).read(text)
