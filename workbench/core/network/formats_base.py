"""What the network file readers share: :func:`network_format` (which reader a file needs, by
content first), the :class:`NetworkFile` they return, the :class:`Collector` that gathers nodes
and ties while a reader walks a file, and the small text helpers of the Pajek and DL readers.

Signed ties: a negative weight read from a network file is kept with its sign (dislike,
distrust) and reported once per file; the measures use the positive ties (see
:func:`workbench.core.network.graph.graph_from_columns`).

Time points: ties that carry Pajek time intervals (``[3]``, ``[1-4]``, ``[1-3,5]``, ``[2-*]``)
are also grouped by point in :attr:`NetworkFile.ties_by_time`, so an import can make one network
per point.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.core.errors import Problem, WorkbenchError
from workbench.core.model import Tie
from workbench.core.network.weights import weight_problem

DEFAULT_RELATION = "ties"
MAX_DECLARED_NODES = 2_000_000  # a declared count above this is refused, not allocated
# Vertices a Pajek or DL edge-list header may declare beyond what the file itself names: the
# unnamed ones are made up as isolates, so a 30-byte file must not conjure up millions.
FREE_DECLARED_NODES = 100_000
# Time points one file may turn into networks of their own; beyond this they are merged.
MAX_TIME_POINTS = 100
SUFFIXES = {".graphml": "xml", ".gexf": "xml", ".net": "pajek", ".paj": "pajek", ".dl": "dl"}
_SNIFFED = 4096  # bytes looked at to tell a format by content
_DL_START = re.compile(r"dl(?:\s|$)", re.IGNORECASE)

Interval = tuple[int, int | None]  # first and last time point; None: open-ended ("[3-*]")


def network_format(head: bytes, suffix: str) -> str | None:
    """Which reader a file needs: ``"xml"`` (GraphML/GEXF), ``"dl"`` or ``"pajek"``, told by
    the first bytes of the file (``head``), else by its ``suffix``; ``None`` for neither.

    By content: XML (``<`` first); a first word ``DL`` (any case, after a
    byte order mark and blank lines), whatever the suffix (UCINET saves ``.dat``/``.txt``
    too); a first line (after ``%`` comments) starting with ``*`` (a Pajek section).
    """
    head = head[:_SNIFFED]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head[: len(head) // 2 * 2].decode("utf-16", errors="ignore")
    else:
        text = head.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="ignore")
    text = text.lstrip("\ufeff \t\r\n")
    if text.startswith("<"):
        return "xml"
    if _DL_START.match(text):
        return "dl"
    first = next((line for line in text.splitlines() if line.strip()
                  and not line.lstrip().startswith("%")), "")
    if first.lstrip().startswith("*"):
        return "pajek"
    return SUFFIXES.get(suffix.lower())


def sniff_network_file(path: str | os.PathLike[str]) -> str | None:
    """:func:`network_format` of the file at ``path`` (``None`` when it cannot be read)."""
    file = Path(path)
    try:
        with file.open("rb") as stream:
            head = stream.read(_SNIFFED)
    except OSError:
        return None
    return network_format(head, file.suffix)


@dataclass
class NetworkFile:
    """What a network file holds, plus the problems found while reading it."""

    people_ids: list[str]
    labels: dict[str, str]
    ties_by_relation: dict[str, list[Tie]]
    node_attributes: dict[str, dict[str, Any]]
    directed: bool
    problems: list[Problem]
    # names of node attributes that describe people (Pajek partitions and vectors): an import
    # writes them to the people the nodes match, not only to people it adds
    person_attributes: list[str] = field(default_factory=list)
    # relation -> time point -> the ties present at that point; empty when no tie is timed
    ties_by_time: dict[str, dict[int, list[Tie]]] = field(default_factory=dict)


@dataclass
class _Read:
    relation: str
    tie: Tie
    directed: bool
    times: list[Interval] | None  # None: present at every time point


@dataclass
class Collector:
    """Gathers nodes and ties while a reader walks a file, then builds the NetworkFile."""

    file: str
    order: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    attributes: dict[str, dict[str, Any]] = field(default_factory=dict)
    person_attributes: dict[str, None] = field(default_factory=dict)
    ties: list[_Read] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    first_negative: int | None = None  # line of the first signed tie

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

    def set_person_attribute(self, node: str, name: str, value: Any) -> None:
        """A value of a partition or vector: a node attribute that also updates the person
        the node matches on import."""
        self.person_attributes.setdefault(name)
        self.attributes.setdefault(node, {})[name] = value

    def add_tie(self, relation: str, source: str, target: str, weight: float,
                directed: bool, line: int | None, column: str | None = "weight",
                times: list[Interval] | None = None) -> None:
        why = weight_problem(weight, signed=True)
        if why is not None:
            self.problem("bad_weight", f"weight {weight:g} {why}; tie {source!r} -> {target!r} "
                         "skipped", line, column)
            return
        if source == target:
            self.problem("self_tie", f"tie from {source!r} to itself skipped", line)
            return
        if weight < 0 and self.first_negative is None:
            self.first_negative = line or 0
        self.ties.append(_Read(relation, Tie(source, target, weight, relation), directed, times))

    def result(self) -> NetworkFile:
        directed = any(read.directed for read in self.ties)
        by_relation: dict[str, list[Tie]] = {}
        for read in self.ties:
            by_relation.setdefault(read.relation, []).extend(_both_ways(read, directed))
        negative = sum(read.tie.weight < 0 for read in self.ties)
        if negative:
            self.problem("signed_ties", f"{negative} negative (signed) "
                         f"{'tie' if negative == 1 else 'ties'} kept, e.g. dislike; the "
                         "measures use the positive ties and count the negative ones apart",
                         self.first_negative or None, "weight", severity="warning")
        return NetworkFile(
            people_ids=list(self.order),
            labels=dict(self.labels),
            ties_by_relation=by_relation,
            node_attributes={n: self.attributes.get(n, {}) for n in self.order},
            directed=directed,
            problems=self.problems,
            person_attributes=list(self.person_attributes),
            ties_by_time=self._by_time(directed),
        )

    def _by_time(self, directed: bool) -> dict[str, dict[int, list[Tie]]]:
        """The ties of each time point, when any tie is timed and the points are few enough
        to be networks of their own (else one warning says they were merged)."""
        timed = [read.times for read in self.ties if read.times is not None]
        if not timed:
            return {}
        last = max(end if end is not None else start for times in timed for start, end in times)
        covered = _covered(timed, last)
        if covered is None:
            self.problem("time_points", f"ties carry more than {MAX_TIME_POINTS} time points, "
                         "more networks than one import makes: all points were merged, so "
                         "each relation is one network holding the ties of every point",
                         severity="warning")
            return {}
        points = sorted(covered)
        by_time: dict[str, dict[int, list[Tie]]] = {}
        for read in self.ties:
            at = by_time.setdefault(read.relation, {t: [] for t in points})
            present = points if read.times is None else sorted(
                {t for start, end in read.times
                 for t in range(start, (last if end is None else end) + 1)})
            for t in present:
                at[t].extend(_both_ways(read, directed))
        shown = ", ".join(map(str, points[:8])) + (", …" if len(points) > 8 else "")
        self.problem("time_points", f"ties carry time points ({shown}): one network per point, "
                     f"named after the relation and the point (\"…, time {points[0]}\"); the "
                     "file gives no dates, so the networks are told apart by point only",
                     severity="warning")
        return by_time


def _covered(timed: list[list[Interval]], last: int) -> set[int] | None:
    """The time points some interval covers (open ends run to ``last``); ``None`` when they
    are more than :data:`MAX_TIME_POINTS`, found without listing them all."""
    covered: set[int] = set()
    for times in timed:
        for start, end in times:
            stop = last if end is None else end
            if stop - start >= MAX_TIME_POINTS:
                return None
            covered.update(range(start, stop + 1))
            if len(covered) > MAX_TIME_POINTS:
                return None
    return covered


def _both_ways(read: _Read, directed: bool) -> list[Tie]:
    """The tie, and its reverse when an undirected tie sits in a directed file."""
    tie = read.tie
    if directed and not read.directed:
        return [tie, Tie(tie.target, tie.source, tie.weight, tie.type)]
    return [tie]


def decode_text(raw: bytes, name: str) -> str:
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


def parse_number(token: str) -> float | None:
    """A number written with a dot or a decimal comma; infinity and NaN are returned as such
    (for :meth:`Collector.add_tie` to refuse with the value), anything else is ``None``."""
    try:
        return float(token.replace(",", "."))
    except ValueError:
        return None



def is_whole(token: str) -> bool:
    """True for an ASCII whole number (``str.isdigit`` also accepts e.g. superscripts)."""
    return token.isascii() and token.isdigit()


_TOKEN = re.compile(r'"([^"]*)"|(\S+)')


def split_tokens(text: str) -> list[str]:
    """Whitespace-separated tokens; double quotes keep spaces inside one token."""
    return [m.group(1) if m.group(1) is not None else m.group(2) for m in _TOKEN.finditer(text)]



def most_declared(size: int) -> int:
    """The largest vertex count a header may declare in a file of ``size`` characters."""
    return min(MAX_DECLARED_NODES, max(size, FREE_DECLARED_NODES))


