"""Network files: read GraphML, GEXF, Pajek (.net/.paj) and UCINET DL; write GraphML and GEXF.

:func:`read_network_file` chooses the reader by the file's content first (see
:func:`~workbench.core.network.formats_base.network_format`); this module reads the XML formats,
:mod:`formats_pajek` and :mod:`formats_dl` the text ones, sharing :mod:`formats_base`.

Readers are strict where the usual libraries are lenient: ties to undeclared nodes, vertex
counts that do not match, non-numeric weights and self-ties are reported as located
:class:`Problem` objects (file, line, column) instead of being silently accepted. XML is parsed
with defusedxml, so entity declarations ("billion laughs") are refused.

Node ids: GraphML/GEXF node ids; Pajek and DL labels when they are unique within the file
(otherwise vertex numbers, with a warning); numbers when there are no labels.
Relations: GraphML/GEXF edge attribute ``type``/``relation`` (GEXF 1.3 ``kind``), Pajek
``*Arcs :k "name"`` or ``*Network`` names, DL ``level``/``matrix labels``; else
:data:`DEFAULT_RELATION`. Negative weights are signed ties and kept (reported once a file).
When a file mixes directed and undirected ties, it is read as directed and each undirected
tie becomes two ties, one each way.
"""

from __future__ import annotations

import math
import numbers
import os
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from workbench.core.errors import WorkbenchError
from workbench.core.network.formats_base import (
    DEFAULT_RELATION,
    Collector,
    NetworkFile,
    decode_text,
    network_format,
    parse_number,
)
from workbench.core.network.formats_dl import read_dl
from workbench.core.network.formats_pajek import read_pajek
from workbench.core.tasks import Progress, ensure_progress
from workbench.core.xlsx_safety import XML_ILLEGAL, atomic_output

__all__ = ["DEFAULT_RELATION", "NetworkFile", "read_network_file", "write_gexf",
           "write_graphml"]


def read_network_file(path: str | os.PathLike[str], progress: Progress | None = None) -> NetworkFile:
    """Read a GraphML, GEXF, Pajek or UCINET DL file, chosen by its content whatever its name
    (a UCINET file saved as ``.dat`` or ``.txt`` is still DL), else by its suffix.

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
    kind = network_format(raw, file.suffix)
    if kind == "xml":
        result = _read_xml(raw, file.name)
    elif kind == "dl":
        result = read_dl(decode_text(raw, file.name), file.name)
    elif kind == "pajek":
        result = read_pajek(decode_text(raw, file.name), file.name)
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
    return parse_number(str(value))


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
        self.out = Collector(file)
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
