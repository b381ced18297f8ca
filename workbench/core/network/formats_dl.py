"""UCINET DL files: full matrices, edge lists and node lists, labels given apart or embedded.

A file whose first word is ``DL`` is read here whatever its name (UCINET also saves ``.dat``
and ``.txt``). Header keywords: ``N=`` (or ``NR=``/``NC=``), ``NM=`` (matrices, one network
each), ``FORMAT = fullmatrix | edgelist1 | nodelist1``, ``DIAGONAL = PRESENT | ABSENT`` (the
``=`` may be left out), ``LABELS:``, ``ROW LABELS:``, ``COLUMN LABELS:``, ``LABELS EMBEDDED``,
and ``LEVEL LABELS:`` / ``MATRIX LABELS:``, which name the networks of a file with several
matrices, in order.

The data must match the header: a full matrix holds exactly N×N values per matrix (N×(N-1)
without the diagonal), and an edge or node list names nodes 1 to N only (or at most N labels).
Anything else refuses the whole file, naming the line and both counts, because a header and
data that disagree mean the file was cut short or its header is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from workbench.core import wording
from workbench.core.errors import WorkbenchError
from workbench.core.network.formats_base import (
    DEFAULT_RELATION,
    MAX_DECLARED_NODES,
    Collector,
    NetworkFile,
    is_whole,
    most_declared,
    parse_number,
    split_tokens,
)

_DL_SECTION = re.compile(r"\b(?:(row|column|col|matrix|level)\s+)?(labels|data)\s*:",
                         re.IGNORECASE)
_DL_SETTING = re.compile(r"(\w+)\s*=\s*([^\s,]+)")
_DL_EMBEDDED = re.compile(r"\b(?:(row|column|col)\s+)?labels\s+embedded\b", re.IGNORECASE)
_DL_DIAGONAL = re.compile(r"\bdiagonal\s*=?\s*(present|absent)\b", re.IGNORECASE)
_DL_MISSING = (".", "?", "-")
_FORMATS = {"fullmatrix": "fullmatrix", "fm": "fullmatrix", "edgelist1": "edgelist1",
            "el1": "edgelist1", "nodelist1": "nodelist1", "nl1": "nodelist1"}


@dataclass
class _DLHeader:
    settings: dict[str, str] = field(default_factory=dict)
    setting_lines: dict[str, int] = field(default_factory=dict)
    labels: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    embedded: set[str] = field(default_factory=set)
    data: list[tuple[int, str]] = field(default_factory=list)  # (line, text)

    def declared(self, key: str) -> str:
        """``N=3`` as written in the header (upper-case key) for messages."""
        return f"{key.upper()}={self.settings[key]}"

    def where(self, key: str) -> str:
        line = self.setting_lines.get(key)
        return f" (line {line})" if line else ""


def _split_labels(text: str) -> list[str]:
    if "," in text:
        return [part.strip().strip('"').strip() for part in text.split(",") if part.strip()]
    return split_tokens(text)


def _dl_kind(word: str | None) -> str:
    """Which labels a DL keyword is about: row, column, matrix, or both (rows and columns)."""
    word = (word or "").strip().lower()
    return {"": "both", "col": "column", "level": "matrix"}.get(word, word)


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
        diagonal = _DL_DIAGONAL.search(before)
        if section is not None and not (match or settings or embedded or diagonal):
            header.labels[section].extend((number, label) for label in _split_labels(body))
            continue
        header.settings.update((key.lower(), value.lower()) for key, value in settings)
        header.setting_lines.update((key.lower(), number) for key, _ in settings)
        if diagonal:
            header.settings["diagonal"] = diagonal.group(1).lower()
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


def read_dl(text: str, name: str) -> NetworkFile:
    header = _parse_dl_header(text, name)
    out = Collector(name)
    written = header.settings.get("format", "fullmatrix")
    fmt = _FORMATS.get(written)
    if fmt is None:
        raise WorkbenchError(f"{name}: DL format {written!r} is not supported "
                             "(supported: fullmatrix, edgelist1, nodelist1).")
    nm_text = header.settings.get("nm", "1")
    if not is_whole(nm_text) or int(nm_text) == 0:
        raise WorkbenchError(f"{name}: nm={nm_text} is not a number of matrices.")
    nm = int(nm_text)
    _check_matrix_count(header, text, name, nm)
    relations = [label for _, label in header.labels.get("matrix", [])]
    if len(relations) > nm:
        out.problem("label_count", f"{wording.count(len(relations), 'level label')} for "
                    f"{wording.count(nm, 'matrix', 'matrices')}; the extra ones are ignored",
                    header.labels["matrix"][0][0], severity="warning")
    relations += [DEFAULT_RELATION if nm == 1 else f"relation {i + 1}"
                  for i in range(len(relations), nm)]
    if fmt == "fullmatrix":
        _DLMatrix(header, out, relations[:nm]).read()
    elif nm != 1:
        raise WorkbenchError(f"{name}: several matrices (nm={nm}) in {fmt} format are not "
                             "supported; save each relation in its own file.")
    else:
        _DLList(header, out, relations[0], fmt).read()
    return out.result()


def _check_matrix_count(header: _DLHeader, text: str, name: str, nm: int) -> None:
    """Refuse ``nm=`` larger than this file can hold before a name is made for each matrix:
    each value takes at least one character and a separator, so a file of ``len(text)``
    characters holds at most about half as many values, let alone matrices."""
    capacity = len(text) // 2 + 1
    if nm > capacity:
        line = header.setting_lines.get("nm")
        where = f"{name}, line {line}" if line else name
        raise WorkbenchError(
            f"{where}: the header declares nm={nm} matrices, but a file of {len(text):,} "
            f"characters holds at most {capacity:,} values; the header is wrong or the file "
            "is cut short.")


def _size(header: _DLHeader, key: str, name: str) -> int | None:
    key = key if key in header.settings else "n"
    value = header.settings.get(key)
    if value is None:
        return None
    if not is_whole(value):
        raise WorkbenchError(f"{name}: {key}={value} is not a whole number.")
    if int(value) > MAX_DECLARED_NODES:
        raise WorkbenchError(f"{name}: {key}={value} is more than this app reads "
                             f"({MAX_DECLARED_NODES:,}).")
    return int(value)


def _dl_ids(labels: list[tuple[int, str]], count: int, out: Collector, kind: str) -> list[str]:
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
    """Full-matrix data, values possibly wrapped over lines, labels optionally embedded, the
    diagonal present (default) or left out."""

    def __init__(self, header: _DLHeader, out: Collector, relations: list[str]) -> None:
        self.header, self.out, self.relations = header, out, relations
        self.tokens = [(line, token) for line, text in header.data
                       for token in split_tokens(text.replace(",", " "))]
        self.position = 0

    def _next(self) -> tuple[int, str]:
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
        no_diagonal = self.header.settings.get("diagonal") == "absent"
        if no_diagonal and rows != cols:
            raise WorkbenchError(f"{name}: DIAGONAL ABSENT needs a square matrix, but the "
                                 f"header declares {rows} rows and {cols} columns.")
        self._check_count(rows, cols, row_embedded, col_embedded, no_diagonal)
        row_labels = self.header.labels.get("row", self.header.labels.get("both", []))
        col_labels = self.header.labels.get("column", self.header.labels.get("both", []))
        matrices = []
        for relation in self.relations:
            if col_embedded:
                col_labels = [self._next() for _ in range(cols)]
            values, embedded_rows = self._values(rows, cols, row_embedded, no_diagonal)
            if row_embedded:
                row_labels = embedded_rows
            matrices.append((relation, values))
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

    def _check_count(self, rows: int, cols: int, row_embedded: bool, col_embedded: bool,
                     no_diagonal: bool) -> None:
        """Refuse data with more or fewer values than the header declares."""
        nm = len(self.relations)
        cells = rows * cols - (rows if no_diagonal else 0)
        labels = nm * ((rows if row_embedded else 0) + (cols if col_embedded else 0))
        expected = nm * cells + labels
        found = len(self.tokens)
        if found == expected:
            return
        header, name = self.header, self.out.file
        size = "nr" if "nr" in header.settings else "n"
        declared = header.declared(size)
        if size == "nr" and "nc" in header.settings:
            declared += f", {header.declared('nc')}"
        if nm > 1:
            declared += f", {header.declared('nm')}"
        shape = (f"a {rows}×{cols} matrix" if nm == 1 else f"{nm} matrices of {rows}×{cols}")
        what = wording.count(expected - labels, "value")
        if labels:
            what += f" and {wording.count(labels, 'label')}"
        if no_diagonal:
            what += ", the diagonal left out"
        lines = [line for line, text in header.data if text.strip()]
        span = f" (lines {lines[0]} to {lines[-1]})" if len(lines) > 1 else (
            f" (line {lines[0]})" if lines else "")
        extra = (f"; value {expected + 1:,} is on line {self.tokens[expected][0]}"
                 if found > expected else "")
        line = header.setting_lines.get(size)
        where = f"{name}, line {line}" if line else name
        raise WorkbenchError(
            f"{where}: the header declares {declared}, {shape} ({what}), but the data{span} "
            f"holds {found:,}{extra}. The header is wrong or the file is cut short; nothing "
            "was read.")

    def _values(self, rows: int, cols: int, row_embedded: bool, no_diagonal: bool
                ) -> tuple[dict[tuple[int, int], tuple[float, int]], list[tuple[int, str]]]:
        values: dict[tuple[int, int], tuple[float, int]] = {}
        row_labels: list[tuple[int, str]] = []
        for r in range(rows):
            if row_embedded:
                row_labels.append(self._next())
            for c in range(cols):
                if no_diagonal and c == r:
                    continue
                line, token = self._next()
                if token in _DL_MISSING:
                    continue
                value = parse_number(token)
                if value is None:
                    self.out.problem("bad_value", f"value {token!r} (row {r + 1}) is not a "
                                     "number", line, str(c + 1))
                elif value:
                    values[(r, c)] = (value, line)
        return values, row_labels


class _DLList:
    """Edge-list (``source target [weight]``) and node-list (``ego alter alter ...``) data,
    by node number or, with embedded labels, by name."""

    def __init__(self, header: _DLHeader, out: Collector, relation: str, fmt: str) -> None:
        self.header, self.out, self.relation, self.fmt = header, out, relation, fmt
        self.declared = _size(header, "n", out.file)
        self.embedded = bool(header.embedded)
        self.ids: list[str] = []

    def read(self) -> None:
        header, out, name = self.header, self.out, self.out.file
        if not self.embedded:
            declared = self.declared
            if declared is None:
                raise WorkbenchError(f"{name}: {self.fmt} without embedded labels needs n=.")
            size = sum(len(text) for _, text in header.data) + sum(
                len(label) for labels in header.labels.values() for _, label in labels)
            if declared > most_declared(size):
                line = header.setting_lines.get("n")
                raise WorkbenchError(
                    f"{name}{f', line {line}' if line else ''}: n={declared} is more nodes than "
                    f"a file of this size can describe ({most_declared(size):,}).")
            self.ids = _dl_ids(header.labels.get("both", header.labels.get("row", [])),
                               declared, out, "node")
            for node in self.ids:
                out.add_node(node)
        for line, text in header.data:
            tokens = split_tokens(text)
            if not tokens:
                continue
            if len(tokens) < 2:
                out.problem("bad_tie", "a tie needs two ends", line)
            elif self.fmt == "nodelist1":
                source = self._node(tokens[0], line)
                for token in tokens[1:]:
                    out.add_tie(self.relation, source, self._node(token, line), 1.0, True, line,
                                "target")
            else:
                self._edge(tokens, line)

    def _edge(self, tokens: list[str], line: int) -> None:
        source, target = self._node(tokens[0], line), self._node(tokens[1], line)
        weight = parse_number(tokens[2]) if len(tokens) > 2 else 1.0
        if weight is None:
            self.out.problem("bad_weight", f"weight {tokens[2]!r} is not a number; tie skipped",
                             line, "weight")
            return
        self.out.add_tie(self.relation, source, target, weight, True, line)

    def _node(self, token: str, line: int) -> str:
        """The node a token names; a number outside 1..N, or a label beyond the N-th, refuses
        the file."""
        declared, name = self.declared, self.out.file
        if self.embedded:
            if token not in self.out.labels and declared is not None \
                    and len(self.out.order) >= declared:
                raise WorkbenchError(
                    f"{name}, line {line}: {token!r} would be node {declared + 1:,}, but the "
                    f"header{self.header.where('n')} declares {self.header.declared('n')}; "
                    "nothing was read.")
            self.out.add_node(token)
            return token
        if is_whole(token) and 1 <= int(token) <= len(self.ids):
            return self.ids[int(token) - 1]
        raise WorkbenchError(
            f"{name}, line {line}: {token!r} is not a node number from 1 to {len(self.ids):,}, "
            f"as the header{self.header.where('n')} declares {self.header.declared('n')}; "
            "nothing was read.")
