"""Network files: read GraphML, GEXF, Pajek (.net/.paj) and UCINET DL; write GraphML and GEXF.

Readers are strict where the usual libraries are lenient: ties to undeclared nodes, vertex
counts that do not match, non-numeric weights and self-ties are reported as located
:class:`Problem` objects (file, line, column) instead of being silently accepted. XML is parsed
with defusedxml, so entity declarations ("billion laughs") are refused.

Node ids: GraphML/GEXF node ids; Pajek and DL labels when they are unique within the file
(otherwise vertex numbers, with a warning); numbers when there are no labels.
Relations: GraphML/GEXF edge attribute ``type``/``relation`` (GEXF 1.3 ``kind``), Pajek
``*Arcs :k "name"`` or ``*Network`` names, DL ``matrix labels``; else :data:`DEFAULT_RELATION`.
When a file mixes directed and undirected ties, it is read as directed and each undirected
tie becomes two ties, one each way.
"""

from __future__ import annotations

import math
import numbers
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from workbench.core import wording
from workbench.core.errors import Problem, WorkbenchError
from workbench.core.model import Tie
from workbench.core.network.weights import weight_problem
from workbench.core.tasks import Progress, ensure_progress
from workbench.core.xlsx_safety import XML_ILLEGAL, atomic_output

DEFAULT_RELATION = "ties"
MAX_DECLARED_NODES = 2_000_000  # a declared count above this is refused, not allocated
# Vertices a Pajek or DL edge-list header may declare beyond what the file itself names: the
# unnamed ones are made up as isolates, so a 30-byte file must not conjure up millions.
FREE_DECLARED_NODES = 100_000


@dataclass
class NetworkFile:
    """What a network file holds, plus the problems found while reading it."""

    people_ids: list[str]
    labels: dict[str, str]
    ties_by_relation: dict[str, list[Tie]]
    node_attributes: dict[str, dict[str, Any]]
    directed: bool
    problems: list[Problem]


def read_network_file(path: str | os.PathLike[str], progress: Progress | None = None) -> NetworkFile:
    """Read a GraphML, GEXF, Pajek or UCINET DL file (chosen by content, then by suffix).

    Raises :class:`WorkbenchError` when the file cannot be read at all; everything else is
    reported in ``problems`` (errors were skipped, warnings were kept).
    """
    progress = ensure_progress(progress)
    file = Path(path)
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise WorkbenchError(f"{file.name}: cannot read the file ({exc.strerror or exc}).") from exc
    progress.update(0.1, f"Reading {file.name}")
    head = raw[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    suffix = file.suffix.lower()
    if head.startswith(b"<") or suffix in (".graphml", ".gexf"):
        result = _read_xml(raw, file.name)
    else:
        text = _decode(raw, file.name)
        first = text.lstrip().lower()
        if first.startswith("dl") or suffix == ".dl":
            result = _read_dl(text, file.name)
        elif first.startswith("*") or first.startswith("%") or suffix in (".net", ".paj"):
            result = _read_pajek(text, file.name)
        else:
            raise WorkbenchError(
                f"{file.name}: not a network file this app reads "
                "(GraphML, GEXF, Pajek .net/.paj or UCINET DL)."
            )
    progress.update(1.0, f"Read {file.name}")
    return result


def write_graphml(
    G: nx.Graph, path: str | os.PathLike[str], protected: str | os.PathLike[str] | None = None
) -> None:
    """Write ``G`` as GraphML with its node/edge attributes (e.g. name, department, metrics,
    weight), atomically; ``protected`` is a path that must not be overwritten (the open project)."""
    clean = _writable_copy(G)
    with atomic_output(path, protected) as tmp:
        nx.write_graphml_xml(clean, tmp)


def write_gexf(
    G: nx.Graph, path: str | os.PathLike[str], protected: str | os.PathLike[str] | None = None
) -> None:
    """Write ``G`` as GEXF 1.2 with node/edge attributes and weights, atomically.

    A node's ``name`` becomes its GEXF label unless it has a ``label``; an edge ``type``
    (relation) is written as ``relation``, because GEXF reserves ``type`` for direction."""
    clean = _writable_copy(G)
    for _, attrs in clean.nodes(data=True):
        if "name" in attrs and "label" not in attrs:
            attrs["label"] = str(attrs["name"])
    for *_, attrs in clean.edges(data=True):
        if "type" in attrs:
            attrs["relation"] = attrs.pop("type")
    with atomic_output(path, protected) as tmp:
        nx.write_gexf(clean, tmp)


# --------------------------------------------------------------------------- writing helpers

def _writable_value(value: Any) -> Any:
    """A value both writers accept (str/int/float/bool), or None for "leave out"."""
    if isinstance(value, str):
        return XML_ILLEGAL.sub("", value)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, numbers.Integral):  # includes numpy integers
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value) if math.isfinite(value) else None
    return XML_ILLEGAL.sub("", str(value))


def _writable_copy(G: nx.Graph) -> nx.Graph:
    """Copy of ``G`` with string node ids and only values GraphML/GEXF can hold.

    An attribute key whose values mix types across nodes (e.g. int and float) is written with
    the widest type, as both formats declare one type per key.
    """
    clean = G.__class__()
    node_attrs = _unify_types({n: d for n, d in G.nodes(data=True)})
    for node, attrs in node_attrs.items():
        clean.add_node(XML_ILLEGAL.sub("", str(node)), **attrs)
    edges = list(G.edges(keys=True, data=True)) if G.is_multigraph() else list(G.edges(data=True))
    edge_attrs = _unify_types({i: e[-1] for i, e in enumerate(edges)})
    for i, edge in enumerate(edges):
        u, v = (XML_ILLEGAL.sub("", str(x)) for x in edge[:2])
        clean.add_edge(u, v, **edge_attrs[i])
    return clean


def _unify_types(items: dict[Any, dict[str, Any]]) -> dict[Any, dict[str, Any]]:
    cleaned = {
        key: {k: w for k, v in attrs.items() if (w := _writable_value(v)) is not None}
        for key, attrs in items.items()
    }
    kinds: dict[str, set[type]] = {}
    for attrs in cleaned.values():
        for k, v in attrs.items():
            kinds.setdefault(k, set()).add(type(v))
    for k, types in kinds.items():
        if len(types) == 1:
            continue
        widen = float if types <= {int, float, bool} else str
        for attrs in cleaned.values():
            if k in attrs:
                attrs[k] = widen(attrs[k])
    return cleaned


# --------------------------------------------------------------------------- shared reading


@dataclass
class _Collector:
    """Gathers nodes and ties while a reader walks a file, then builds the NetworkFile."""

    file: str
    order: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    attributes: dict[str, dict[str, Any]] = field(default_factory=dict)
    ties: list[tuple[str, Tie, bool]] = field(default_factory=list)  # relation, tie, directed
    problems: list[Problem] = field(default_factory=list)

    def problem(self, kind: str, message: str, line: int | None = None,
                column: str | None = None, severity: str = "error") -> None:
        self.problems.append(Problem(self.file, kind, message, line, column, severity))

    def add_node(self, node: str, label: str | None = None,
                 attributes: dict[str, Any] | None = None) -> None:
        if node not in self.labels:
            self.order.append(node)
            self.labels[node] = label if label else node
        elif label:
            self.labels[node] = label
        if attributes:
            self.attributes.setdefault(node, {}).update(attributes)

    def add_tie(self, relation: str, source: str, target: str, weight: float,
                directed: bool, line: int | None, column: str | None = "weight") -> None:
        why = weight_problem(weight)
        if why is not None:
            self.problem("bad_weight", f"weight {weight:g} {why}; tie {source!r} -> {target!r} "
                         "skipped", line, column)
            return
        if source == target:
            self.problem("self_tie", f"tie from {source!r} to itself skipped", line)
            return
        self.ties.append((relation, Tie(source, target, weight, relation), directed))

    def result(self) -> NetworkFile:
        directed = any(d for _, _, d in self.ties)
        by_relation: dict[str, list[Tie]] = {}
        for relation, tie, tie_directed in self.ties:
            ties = by_relation.setdefault(relation, [])
            ties.append(tie)
            if directed and not tie_directed:
                ties.append(Tie(tie.target, tie.source, tie.weight, relation))
        return NetworkFile(
            people_ids=list(self.order),
            labels=dict(self.labels),
            ties_by_relation=by_relation,
            node_attributes={n: self.attributes.get(n, {}) for n in self.order},
            directed=directed,
            problems=self.problems,
        )


def _decode(raw: bytes, name: str) -> str:
    """Text of a Pajek/DL file: UTF-16/UTF-8 with BOM, UTF-8, else Windows-1252."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if b"\x00" in raw:
        raise WorkbenchError(f"{name}: contains NUL bytes; not a text network file.")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _number(token: str) -> float | None:
    """A number written with a dot or a decimal comma; infinity and NaN are returned as such
    (for :meth:`_Collector.add_tie` to refuse with the value), anything else is ``None``."""
    try:
        return float(token.replace(",", "."))
    except ValueError:
        return None


def _weight_number(value: Any) -> float | None:
    """A GraphML/GEXF weight as a float (NaN and infinity included, for the caller to
    refuse); ``None`` for text that is not a number, a boolean, or a whole number too large
    for a float (``int`` data of 400 digits)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            return float(value)
        except OverflowError:
            return None
    return _number(str(value))


def _is_whole(token: str) -> bool:
    """True for an ASCII whole number (``str.isdigit`` also accepts e.g. superscripts)."""
    return token.isascii() and token.isdigit()


_TOKEN = re.compile(r'"([^"]*)"|(\S+)')


def _tokens(text: str) -> list[str]:
    """Whitespace-separated tokens; double quotes keep spaces inside one token."""
    return [m.group(1) if m.group(1) is not None else m.group(2) for m in _TOKEN.finditer(text)]


# --------------------------------------------------------------------------- GraphML and GEXF


def _parse_xml(raw: bytes, name: str) -> tuple[ET.Element, dict[ET.Element, int]]:
    """Parse with defusedxml, remembering each element's line for problem reports."""
    builder = ET.TreeBuilder()
    lines: dict[ET.Element, int] = {}

    class _Target:
        def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
            element = builder.start(tag, attrs)
            lines[element] = parser.parser.CurrentLineNumber
            return element

        def end(self, tag: str) -> ET.Element:
            return builder.end(tag)

        def data(self, text: str) -> None:
            builder.data(text)

        def close(self) -> ET.Element:
            return builder.close()

    parser = DefusedXMLParser(target=_Target())
    try:
        parser.feed(raw)
        root = parser.close()
    except DefusedXmlException as exc:
        raise WorkbenchError(
            f"{name}: declares XML entities or external references, which can be used to "
            f"exhaust memory or read other files; refused ({exc})."
        ) from exc
    except LookupError as exc:  # the XML declaration names an unknown encoding
        raise WorkbenchError(f"{name}: declares an unknown text encoding ({exc}).") from exc
    except ET.ParseError as exc:
        line, column = exc.position
        raise WorkbenchError(
            f"{name}, line {line}, column {column + 1}: not well-formed XML ({exc.msg})."
        ) from exc
    return root, lines


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: ET.Element, name: str) -> Iterator[ET.Element]:
    return (child for child in element if _local(child.tag) == name)


def _convert(value: str, kind: str) -> Any:
    """Convert an XML attribute value by its declared type; raises ValueError when it cannot."""
    kind = kind.lower()
    if kind == "boolean":
        lowered = value.strip().lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0"):
            return False
        raise ValueError(f"{value!r} is not true/false")
    if kind in ("int", "integer", "long", "short", "byte"):
        return int(value.strip())
    if kind in ("float", "double"):
        return float(value.strip())
    return value


@dataclass(frozen=True)
class _Key:
    name: str
    kind: str
    default: str | None


def _read_xml(raw: bytes, name: str) -> NetworkFile:
    root, lines = _parse_xml(raw, name)
    kind = _local(root.tag)
    if kind == "graphml":
        return _GraphReader(name, lines).graphml(root)
    if kind == "gexf":
        return _GraphReader(name, lines).gexf(root)
    raise WorkbenchError(f"{name}: an XML file, but neither GraphML nor GEXF (root <{kind}>).")


class _GraphReader:
    """Reads the node/edge structure shared by GraphML and GEXF."""

    def __init__(self, file: str, lines: dict[ET.Element, int]) -> None:
        self.out = _Collector(file)
        self.lines = lines

    def graphml(self, root: ET.Element) -> NetworkFile:
        keys: dict[str, dict[str, _Key]] = {"node": {}, "edge": {}}
        for key in _children(root, "key"):
            attr_name = key.get("attr.name")
            if attr_name is None:  # e.g. yEd drawing data
                continue
            default = next(_children(key, "default"), None)
            entry = _Key(attr_name, key.get("attr.type", "string"),
                         default.text if default is not None else None)
            for domain in (("node", "edge") if key.get("for") == "all" else (key.get("for"),)):
                if domain in keys:
                    keys[domain][key.get("id", "")] = entry
        graphs = list(_children(root, "graph"))
        if not graphs:
            raise WorkbenchError(f"{self.out.file}: GraphML file without a <graph>.")
        if len(graphs) > 1:
            self.out.problem("extra_graph", "only the first <graph> was read",
                             self.lines[graphs[1]], severity="warning")
        graph = graphs[0]
        default_directed = graph.get("edgedefault", "directed") == "directed"

        def values(element: ET.Element, domain: str) -> dict[str, Any]:
            found = {k.name: k.default for k in keys[domain].values() if k.default is not None}
            found.update({keys[domain][d.get("key", "")].name: d.text or ""
                          for d in _children(element, "data") if d.get("key", "") in keys[domain]})
            typed = {k.name: k.kind for k in keys[domain].values()}
            return self._typed(found, typed, element)

        for node in _children(graph, "node"):
            if self._start_node(node):
                attrs = values(node, "node")
                label = attrs.pop("label", None) or attrs.get("name")
                self.out.add_node(node.get("id", ""), str(label) if label else None, attrs)
            if next(_children(node, "graph"), None) is not None:
                self.out.problem("nested_graph", "nested graphs are not supported; ignored",
                                 self.lines[node], severity="warning")
        for edge in _children(graph, "edge"):
            directed = edge.get("directed", str(default_directed).lower()) == "true"
            attrs = values(edge, "edge")
            self._edge(edge, attrs.get("weight", 1.0),
                       attrs.get("type") or attrs.get("relation"), directed)
        for hyper in _children(graph, "hyperedge"):
            self.out.problem("hyperedge", "hyperedges are not supported; ignored",
                             self.lines[hyper], severity="warning")
        return self.out.result()

    def gexf(self, root: ET.Element) -> NetworkFile:
        graph = next(_children(root, "graph"), None)
        if graph is None:
            raise WorkbenchError(f"{self.out.file}: GEXF file without a <graph>.")
        default_directed = graph.get("defaultedgetype", "undirected") == "directed"
        declared: dict[str, dict[str, _Key]] = {"node": {}, "edge": {}}
        for block in _children(graph, "attributes"):
            domain = block.get("class", "node")
            for attr in _children(block, "attribute"):
                default = next(_children(attr, "default"), None)
                declared.setdefault(domain, {})[attr.get("id", "")] = _Key(
                    attr.get("title", attr.get("id", "")), attr.get("type", "string"),
                    default.text if default is not None else None)

        def values(element: ET.Element, domain: str) -> dict[str, Any]:
            keys = declared.get(domain, {})
            found = {k.name: k.default for k in keys.values() if k.default is not None}
            for block in _children(element, "attvalues"):
                for value in _children(block, "attvalue"):
                    ref = value.get("for", value.get("id", ""))
                    title = keys[ref].name if ref in keys else ref
                    found[title] = value.get("value", "")
            return self._typed(found, {k.name: k.kind for k in keys.values()}, element)

        for block in _children(graph, "nodes"):
            for node in _children(block, "node"):
                if self._start_node(node):
                    attrs = values(node, "node")
                    self.out.add_node(node.get("id", ""), node.get("label") or attrs.get("name"),
                                      attrs)
                if next(_children(node, "nodes"), None) is not None:
                    self.out.problem("nested_graph", "nested nodes are not supported; ignored",
                                     self.lines[node], severity="warning")
        for block in _children(graph, "edges"):
            for edge in _children(block, "edge"):
                edge_type = edge.get("type", "directed" if default_directed else "undirected")
                attrs = values(edge, "edge")
                weight: Any = edge.get("weight", 1.0)
                relation = edge.get("kind") or attrs.get("type") or attrs.get("relation")
                self._edge(edge, weight, relation, edge_type == "directed")
        return self.out.result()

    def _typed(self, found: dict[str, Any], kinds: dict[str, str],
               element: ET.Element) -> dict[str, Any]:
        typed = {}
        for key, value in found.items():
            try:
                typed[key] = _convert(value, kinds.get(key, "string"))
            except ValueError:
                self.out.problem("bad_value",
                                 f"value {value!r} is not of declared type {kinds[key]}; ignored",
                                 self.lines[element], key, severity="warning")
        return typed

    def _start_node(self, node: ET.Element) -> bool:
        node_id = node.get("id")
        line = self.lines[node]
        if not node_id:
            self.out.problem("missing_id", "node without an id skipped", line, "id")
            return False
        if node_id in self.out.labels:
            self.out.problem("duplicate_node", f"node {node_id!r} declared again; merged", line,
                             "id", severity="warning")
        return True

    def _edge(self, edge: ET.Element, weight: Any, relation: Any, directed: bool) -> None:
        line = self.lines[edge]
        ends = []
        for end in ("source", "target"):
            node = edge.get(end)
            if node is None or node not in self.out.labels:
                what = "missing" if node is None else f"refers to undeclared node {node!r}"
                self.out.problem("unknown_node", f"edge {end} {what}; edge skipped", line, end)
                return
            ends.append(node)
        number = _weight_number(weight)
        if number is None:
            shown = str(weight) if len(str(weight)) <= 40 else f"{str(weight)[:37]}..."
            why = "is too large" if isinstance(weight, int) and weight > 0 else "is not a number"
            self.out.problem("bad_weight", f"weight {shown!r} {why}; edge skipped", line,
                             "weight")
            return
        self.out.add_tie(str(relation) if relation else DEFAULT_RELATION, ends[0], ends[1],
                         number, directed, line)


# --------------------------------------------------------------------------- Pajek

_PAJEK_TIES = re.compile(
    r'^\*(arcs|edges|arcslist|edgeslist|matrix)\b\s*(?::\s*(\d+))?\s*(?:"([^"]*)"|(\S.*))?$',
    re.IGNORECASE,
)
_PAJEK_SKIPPED = ("*partition", "*vector", "*permutation", "*cluster", "*hierarchy")


class _PajekReader:
    """Line-by-line Pajek reader: *Network, *Vertices, *Arcs/*Edges(list), *Matrix."""

    def __init__(self, file: str, size: int = 0) -> None:
        self.out = _Collector(file)
        self.most_vertices = _most_declared(size)
        self.network_count = 0
        self._new_network("")
        self.section = "none"
        self.relation: int | None = None
        self.vertices_line = 0

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
            elif self.section == "none":
                raise WorkbenchError(
                    f"{self.out.file}, line {number}: data before any *Network or *Vertices line;"
                    " not a Pajek file.")
        self._close_vertices()
        return self.out.result()

    def _header(self, line: str, number: int) -> None:
        lowered = line.lower()
        if self.section == "skipped" and lowered.startswith("*vertices"):
            return  # a partition or vector repeats *Vertices before its values
        self._close_vertices()
        if lowered.startswith("*network"):
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
        if len(parts) < 2 or not _is_whole(parts[1]):
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
        tokens = _tokens(line)
        if not _is_whole(tokens[0]) or not 1 <= int(tokens[0]) <= (self.declared or 0):
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
        for vertex in range(1, self.declared + 1):
            self.out.add_node(self.ids[vertex], labels[vertex])

    def _relation_name(self, relation: int | None) -> str:
        if relation is not None:
            return self.relation_names.get(relation) or f"relation {relation}"
        if self.network_name:
            return self.network_name
        return DEFAULT_RELATION if self.network_count <= 1 else f"network {self.network_count}"

    def _vertex_id(self, token: str, number: int, column: str) -> str | None:
        assert self.ids is not None
        vertex = int(token) if _is_whole(token) else None
        if vertex is None or vertex not in self.ids:
            self.out.problem("unknown_vertex",
                             f"{column} {token!r} is not a declared vertex "
                             f"(1 to {self.declared}); tie skipped", number, column)
            return None
        return self.ids[vertex]

    def _ties(self, line: str, number: int) -> None:
        tokens = line.split()
        relation = self.relation
        if tokens[0].endswith(":") and _is_whole(tokens[0][:-1]):
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
                    self.out.add_tie(name, source, target, 1.0, directed, number)
            return
        target = self._vertex_id(tokens[1], number, "target")
        weight = _number(tokens[2]) if len(tokens) > 2 else 1.0
        if weight is None:
            self.out.problem("bad_weight", f"weight {tokens[2]!r} is not a number; tie skipped",
                             number, "weight")
        elif target is not None:
            self.out.add_tie(name, source, target, weight, directed, number)

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
            value = _number(token)
            if value is None:
                self.out.problem("bad_weight", f"value {token!r} is not a number", number,
                                 str(column))
            elif value and column != self.matrix_row:
                self.out.add_tie(relation, source, self.ids[column], value, True, number,
                                 str(column))


def _read_pajek(text: str, name: str) -> NetworkFile:
    return _PajekReader(name, len(text)).read(text)


def _most_declared(size: int) -> int:
    """The largest vertex count a header may declare in a file of ``size`` characters."""
    return min(MAX_DECLARED_NODES, max(size, FREE_DECLARED_NODES))


# --------------------------------------------------------------------------- UCINET DL

_DL_SECTION = re.compile(r"\b(row |column |col |matrix )?(labels|data)\s*:", re.IGNORECASE)
_DL_SETTING = re.compile(r"(\w+)\s*=\s*([^\s,]+)")
_DL_EMBEDDED = re.compile(r"\b(row |column |col )?labels\s+embedded\b", re.IGNORECASE)
_DL_MISSING = (".", "?", "-")


@dataclass
class _DLHeader:
    settings: dict[str, str] = field(default_factory=dict)
    setting_lines: dict[str, int] = field(default_factory=dict)
    labels: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    embedded: set[str] = field(default_factory=set)
    data: list[tuple[int, str]] = field(default_factory=list)  # (line, text)


def _split_labels(text: str) -> list[str]:
    if "," in text:
        return [part.strip().strip('"').strip() for part in text.split(",") if part.strip()]
    return _tokens(text)


def _dl_kind(word: str | None) -> str:
    """Which labels a DL keyword is about: row, column, matrix, or both (rows and columns)."""
    word = (word or "").strip().lower()
    return {"": "both", "col": "column"}.get(word, word)


def _parse_dl_header(text: str, name: str) -> _DLHeader:
    """Split a DL file into settings, label lists and data lines (all with line numbers)."""
    header = _DLHeader()
    section: str | None = None
    started = False
    for number, line in enumerate(text.splitlines(), start=1):
        body = line.strip()
        if not started:
            if not body:
                continue
            if not body.lower().startswith("dl"):
                raise WorkbenchError(f"{name}, line {number}: not a UCINET DL file "
                                     "(the first word must be DL).")
            body, started = body[2:], True
        if section == "data":
            header.data.append((number, body))
            continue
        match = _DL_SECTION.search(body)
        before, after = (body[: match.start()], body[match.end():]) if match else (body, "")
        settings = _DL_SETTING.findall(before)
        embedded = _DL_EMBEDDED.findall(before)
        if section is not None and not match and not settings and not embedded:
            header.labels[section].extend((number, label) for label in _split_labels(body))
            continue
        header.settings.update((key.lower(), value.lower()) for key, value in settings)
        header.setting_lines.update((key.lower(), number) for key, _ in settings)
        header.embedded.update(_dl_kind(which) for which in embedded)
        if match and match.group(2).lower() == "data":
            section = "data"
            header.data.append((number, after))
        elif match:
            section = _dl_kind(match.group(1))
            header.labels.setdefault(section, []).extend(
                (number, label) for label in _split_labels(after))
    if not started:
        raise WorkbenchError(f"{name}: the file is empty.")
    return header


def _read_dl(text: str, name: str) -> NetworkFile:
    header = _parse_dl_header(text, name)
    out = _Collector(name)
    fmt = header.settings.get("format", "fullmatrix")
    nm_text = header.settings.get("nm", "1")
    if not _is_whole(nm_text) or int(nm_text) == 0:
        raise WorkbenchError(f"{name}: nm={nm_text} is not a number of matrices.")
    nm = int(nm_text)
    _check_declared_size(header, text, name, fmt, nm)
    relations = [label for _, label in header.labels.get("matrix", [])]
    if len(relations) < nm:
        relations += [DEFAULT_RELATION if nm == 1 else f"relation {i + 1}"
                      for i in range(len(relations), nm)]
    if fmt == "fullmatrix":
        _DLMatrix(header, out, relations[:nm]).read()
    elif fmt in ("edgelist1", "el1"):
        if nm != 1:
            raise WorkbenchError(f"{name}: several matrices (nm={nm}) in edgelist1 format are "
                                 "not supported; save each relation in its own file.")
        _read_dl_edgelist(header, out, relations[0])
    else:
        raise WorkbenchError(f"{name}: DL format {fmt!r} is not supported "
                             "(supported: fullmatrix, edgelist1).")
    return out.result()


def _check_declared_size(header: _DLHeader, text: str, name: str, fmt: str, nm: int) -> None:
    """Refuse ``nm=`` (and the ``n=`` of a full matrix) larger than this file can hold, before
    anything is allocated for them: each value takes at least one character and a separator,
    so a file of ``len(text)`` characters holds at most about half as many values."""
    capacity = len(text) // 2 + 1
    needed, what = nm, f"nm={nm}"
    if fmt == "fullmatrix":
        rows, cols = _size(header, "nr", name), _size(header, "nc", name)
        if rows is not None and cols is not None:
            needed = nm * rows * cols
            what = f"{what} matrices of {rows}×{cols}" if nm > 1 else f"a {rows}×{cols} matrix"
    if needed > capacity:
        line = header.setting_lines.get("nm" if nm > 1 else "n", header.setting_lines.get("nr"))
        where = f"{name}, line {line}" if line else name
        raise WorkbenchError(
            f"{where}: the header declares {what} ({needed:,} values), but a file of "
            f"{len(text):,} characters holds at most {capacity:,}; the header is wrong or the "
            "file is cut short.")


def _size(header: _DLHeader, key: str, name: str) -> int | None:
    key = key if key in header.settings else "n"
    value = header.settings.get(key)
    if value is None:
        return None
    if not _is_whole(value):
        raise WorkbenchError(f"{name}: {key}={value} is not a whole number.")
    if int(value) > MAX_DECLARED_NODES:
        raise WorkbenchError(f"{name}: {key}={value} is more than this app reads "
                             f"({MAX_DECLARED_NODES:,}).")
    return int(value)


def _dl_ids(labels: list[tuple[int, str]], count: int, out: _Collector, kind: str) -> list[str]:
    """Ids for ``count`` rows or columns: unique labels, else positions (with a problem)."""
    names = [label for _, label in labels]
    if names and len(names) != count:
        out.problem("label_count", f"{wording.count(len(names), kind + ' label')} for "
                    f"{wording.count(count, kind)}",
                    labels[0][0], severity="error" if len(names) < count else "warning")
    names = names[:count] + [str(i) for i in range(len(names) + 1, count + 1)]
    if len(set(names)) != len(names):
        out.problem("duplicate_label", f"{kind} labels repeat, so positions are used as ids",
                    labels[0][0] if labels else None, severity="warning")
        return [str(i) for i in range(1, count + 1)]
    return names


class _DLMatrix:
    """Full-matrix data, values possibly wrapped over lines, labels optionally embedded."""

    def __init__(self, header: _DLHeader, out: _Collector, relations: list[str]) -> None:
        self.header, self.out, self.relations = header, out, relations
        self.tokens = [(line, token) for line, text in header.data
                       for token in _tokens(text.replace(",", " "))]
        self.position = 0

    def _next(self) -> tuple[int, str] | None:
        if self.position >= len(self.tokens):
            return None
        self.position += 1
        return self.tokens[self.position - 1]

    def read(self) -> None:
        name = self.out.file
        rows, cols = _size(self.header, "nr", name), _size(self.header, "nc", name)
        if rows is None or cols is None:
            raise WorkbenchError(f"{name}: the DL header needs n= (or nr= and nc=).")
        embedded = self.header.embedded
        row_embedded = bool(embedded & {"both", "row"})
        col_embedded = bool(embedded & {"both", "column"})
        row_labels = self.header.labels.get("row", self.header.labels.get("both", []))
        col_labels = self.header.labels.get("column", self.header.labels.get("both", []))
        matrices = []
        for relation in self.relations:
            if col_embedded:
                col_labels = [t for t in (self._next() for _ in range(cols)) if t is not None]
            values, embedded_rows = self._values(rows, cols, row_embedded)
            if row_embedded:
                row_labels = embedded_rows
            matrices.append((relation, values))
        if self.position < len(self.tokens):
            line, _ = self.tokens[self.position]
            self.out.problem("extra_data", "values after the last matrix ignored", line,
                             severity="warning")
        row_ids = _dl_ids(row_labels, rows, self.out, "row")
        same = [label for _, label in col_labels] == [label for _, label in row_labels]
        col_ids = row_ids if rows == cols and same else _dl_ids(col_labels, cols, self.out,
                                                                "column")
        for node in dict.fromkeys(row_ids + col_ids):
            self.out.add_node(node)
        square = row_ids == col_ids
        symmetric = square and all(
            (values.get((c, r)) or (None,))[0] == value
            for _, values in matrices for (r, c), (value, _) in values.items())
        for relation, values in matrices:
            for (r, c), (value, line) in values.items():
                if square and r == c:
                    continue
                if symmetric and r > c:
                    continue
                self.out.add_tie(relation, row_ids[r], col_ids[c], value, not symmetric, line,
                                 str(c + 1))

    def _values(self, rows: int, cols: int, row_embedded: bool
                ) -> tuple[dict[tuple[int, int], tuple[float, int]], list[tuple[int, str]]]:
        values: dict[tuple[int, int], tuple[float, int]] = {}
        row_labels: list[tuple[int, str]] = []
        for r in range(rows):
            if row_embedded and (label := self._next()) is not None:
                row_labels.append(label)
            for c in range(cols):
                item = self._next()
                if item is None:
                    last = self.tokens[-1][0] if self.tokens else None
                    self.out.problem("short_data",
                                     f"data ends at row {r + 1}, column {c + 1} of a "
                                     f"{rows}×{cols} matrix", last)
                    return values, row_labels
                line, token = item
                if token in _DL_MISSING:
                    continue
                value = _number(token)
                if value is None:
                    self.out.problem("bad_value", f"value {token!r} (row {r + 1}) is not a "
                                     "number", line, str(c + 1))
                elif value:
                    values[(r, c)] = (value, line)
        return values, row_labels


def _read_dl_edgelist(header: _DLHeader, out: _Collector, relation: str) -> None:
    name = out.file
    declared = _size(header, "n", name)
    embedded = bool(header.embedded)
    ids: list[str] = []
    if not embedded:
        if declared is None:
            raise WorkbenchError(f"{name}: edgelist1 without embedded labels needs n=.")
        size = sum(len(text) for _, text in header.data) + sum(
            len(label) for labels in header.labels.values() for _, label in labels)
        if declared > _most_declared(size):
            line = header.setting_lines.get("n")
            raise WorkbenchError(
                f"{name}{f', line {line}' if line else ''}: n={declared} is more nodes than a "
                f"file of this size can describe ({_most_declared(size):,}).")
        ids = _dl_ids(header.labels.get("both", header.labels.get("row", [])), declared, out,
                      "node")
        for node in ids:
            out.add_node(node)
    for line, text in header.data:
        tokens = _tokens(text)
        if not tokens:
            continue
        if len(tokens) < 2:
            out.problem("bad_tie", "a tie needs two ends", line)
            continue
        ends = []
        for column, token in zip(("source", "target"), tokens[:2], strict=True):
            if embedded:
                if token not in out.labels and declared is not None and \
                        len(out.order) >= declared:
                    out.problem("unknown_node", f"{token!r} would be node {declared + 1} but "
                                f"n={declared}; tie skipped", line, column)
                    break
                out.add_node(token)
                ends.append(token)
            elif _is_whole(token) and 1 <= int(token) <= len(ids):
                ends.append(ids[int(token) - 1])
            else:
                out.problem("unknown_node", f"{token!r} is not a node number from 1 to "
                            f"{len(ids)}; tie skipped", line, column)
                break
        if len(ends) < 2:
            continue
        weight = _number(tokens[2]) if len(tokens) > 2 else 1.0
        if weight is None:
            out.problem("bad_weight", f"weight {tokens[2]!r} is not a number; tie skipped",
                        line, "weight")
            continue
        out.add_tie(relation, ends[0], ends[1], weight, True, line)
