"""Import ties from an edge list or an adjacency matrix (CSV/XLSX) and check them."""

from __future__ import annotations

import math
import os
from array import array
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from functools import partial

from workbench.core.errors import Problem, WorkbenchError
from workbench.core.model import Tie
from workbench.core.network.mapping import ColumnMapping, columns_fit, guess_mapping
from workbench.core.network.relations import relation_key
from workbench.core.network.tabular import ProblemLog, ReadOptions, Table
from workbench.core.network.weights import MAX_WEIGHT, weight_problem
from workbench.core.tasks import Progress, ensure_progress, gc_paused

LAYOUTS = ("auto", "edges", "matrix")
MERGE_POLICIES = ("sum", "max")
PROGRESS_EVERY = 5000


@dataclass(frozen=True)
class TiesOptions:
    """``layout``: auto, edges or matrix; ``merge``: how duplicate ties combine (sum or max);
    ``default_type``: the relation of every tie of a file without a relation column (and of
    every matrix tie), and of the rows whose relation cell is blank. Without it, a blank
    relation cell is an error of its row (see :func:`import_ties`)."""

    read: ReadOptions = field(default_factory=ReadOptions)
    layout: str = "auto"
    merge: str = "sum"
    default_type: str = ""

    def __post_init__(self) -> None:
        if self.layout not in LAYOUTS:
            raise ValueError(f"layout must be one of {LAYOUTS}, not {self.layout!r}")
        if self.merge not in MERGE_POLICIES:
            raise ValueError(f"merge must be one of {MERGE_POLICIES}, not {self.merge!r}")


@dataclass
class TiesImport:
    """The ties that can be imported, every problem found, and the relations present.

    ``relations`` lists the tie types in order of first appearance, so the caller can make
    one network per relation. ``mapping`` is ``None`` for a matrix.
    """

    ties: list[Tie]
    problems: list[Problem]
    relations: list[str]
    layout: str
    mapping: ColumnMapping | None


def parse_weight(text: str) -> float | None:
    """A weight from text ("2", "0.5", "0,5"); blank is 1; ``None`` when not a number."""
    text = text.strip()
    if not text:
        return 1.0
    try:
        return float(text)
    except ValueError:
        pass
    if "," in text and "." not in text:
        try:
            return float(text.replace(",", "."))
        except ValueError:
            return None
    return None


class _TieCollector:
    """Accumulates ties, merging duplicates (same source, target and type) by a policy."""

    def __init__(self, merge: str, problems: ProblemLog) -> None:
        self.merge_max = merge == "max"
        self.problems = problems
        self.position: dict[tuple[str, str, str], int] = {}
        self.weights = array("d")  # compact: no float or int object per tie
        self.rows = array("q")
        self.relations: dict[str, None] = {}

    def add(self, source: str, target: str, relation: str, weight: float, row: int,
            column: str | None) -> None:
        key = (source, target, relation)
        at = self.position.get(key)
        if at is None:
            self.position[key] = len(self.weights)
            self.weights.append(weight)
            self.rows.append(row)
            self.relations.setdefault(relation)
            return
        merged = max(self.weights[at], weight) if self.merge_max else self.weights[at] + weight
        self.weights[at] = merged
        label = f" ({relation})" if relation else ""
        self.problems.add("duplicate_tie", f"tie {source} -> {target}{label} already on row "
                          f"{self.rows[at]}; weights merged ({'max' if self.merge_max else 'sum'})",
                          row, column, severity="warning")

    def ties(self) -> list[Tie]:
        weights = self.weights
        return [Tie(s, t, weights[i], r) for (s, t, r), i in self.position.items()]


def import_ties(
    path: str | os.PathLike[str], known_ids: Collection[str] | Mapping[str, str] | None,
    mapping: ColumnMapping | None = None, options: TiesOptions | None = None,
    progress: Progress | None = None,
) -> TiesImport:
    """Read a ties file and check it; rows (or matrix cells) with errors are left out.

    Checked: ids not in ``known_ids`` (``None`` skips this check), self-ties, duplicate ties
    (merged by ``options.merge``, reported as warnings), weights that are not numbers or are
    negative, zero, infinite or above :data:`~workbench.core.network.weights.MAX_WEIGHT` (a
    blank weight is 1 in an edge list; a blank or 0 matrix cell is no tie; the cap keeps
    merged sums finite), blank ids, blank relation cells when ``options.default_type`` is
    blank (so no tie silently loses its relation), and the row-level problems of :mod:`tabular`.
    Relations are stored by :func:`~workbench.core.network.relations.relation_key` ("Reports
    to" -> ``reporting``).
    ``known_ids`` may be a mapping from the ids a file uses to the ids stored (e.g. to
    pseudonyms); an edge list's ties then carry the stored ids.
    ``options.layout="auto"`` reads an edge list when source and target columns are mapped or
    recognised, else a matrix whose first row and first column are ids.
    """
    if mapping is not None and mapping.kind != "ties":
        raise ValueError(f"import_ties needs a ties mapping, not {mapping.kind!r}")
    options = options or TiesOptions()
    progress = ensure_progress(progress)
    # Each id maps to itself so every tie shares the id strings of the people list.
    known = (None if known_ids is None else known_ids if isinstance(known_ids, Mapping)
             else {i: i for i in known_ids})
    fits = partial(columns_fit, kind="ties", mapping=mapping)
    with options.read.open_fitting(path, fits) as table, gc_paused():
        mapping = mapping or guess_mapping(table.columns, "ties")
        layout = options.layout
        if layout == "auto":
            layout = _detect_layout(table, mapping, known)
        collector = _TieCollector(options.merge, table.problems)
        if layout == "edges":
            _read_edges(table, mapping, known, options.default_type, collector, progress)
        else:
            mapping = None
            _read_matrix(table, known, relation_key(options.default_type), collector, progress)
        ties = collector.ties()
    progress.update(1.0, "Ties read")
    return TiesImport(ties, table.problems.to_list(), list(collector.relations), layout, mapping)


def _detect_layout(table: Table, mapping: ColumnMapping, known: Mapping[str, str] | None) -> str:
    if not mapping.missing_required():
        return "edges"
    ids = [h for h in table.header[1:] if h]
    if len(table.header) > 1 and not table.header[0]:
        return "matrix"
    if known and ids and sum(h in known for h in ids) * 2 >= len(ids):
        return "matrix"
    raise WorkbenchError(
        f"{table.file}: cannot tell which columns hold the source and target of each tie; "
        f"choose them (the columns are {', '.join(table.columns)}) or read it as a matrix.")


def _read_edges(table: Table, mapping: ColumnMapping, known: Mapping[str, str] | None,
                default_type: str, collector: _TieCollector, progress: Progress) -> None:
    index = mapping.indexes(table.columns, table.file)
    problems = table.problems
    source_at, target_at = index["source"], index["target"]
    source_col, target_col = mapping.columns["source"], mapping.columns["target"]
    weight_at, weight_col = index.get("weight"), mapping.columns.get("weight")
    type_at, type_col = index.get("type"), mapping.columns.get("type")
    default_relation = relation_key(default_type)
    relation_of: dict[str, str] = {}
    for count, (row, cells) in enumerate(table.rows):
        if count % PROGRESS_EVERY == 0:
            progress.update(0.95 * table.fraction_read(), "Reading ties")
        source, target = cells[source_at].strip(), cells[target_at].strip()
        if not source or not target:
            column = source_col if not source else target_col
            problems.add("blank_id", "no id; row skipped", row, column)
            continue
        if known is not None:
            source_id, target_id = known.get(source), known.get(target)
            if source_id is None or target_id is None:
                column, person = ((source_col, source) if source_id is None
                                  else (target_col, target))
                problems.add("unknown_id", f"{person!r} is not in the people list; row "
                             "skipped", row, column)
                continue
            source, target = source_id, target_id
        if source == target:
            problems.add("self_tie", f"{source!r} is tied to themself; row skipped", row,
                         target_col)
            continue
        weight = 1.0
        if weight_at is not None:
            try:  # fast path for plain numbers; anything else is parsed and checked below
                weight = float(cells[weight_at])
            except ValueError:
                weight = math.nan
            if not 0 < weight <= MAX_WEIGHT:
                checked = _checked_weight(cells[weight_at], row, weight_col, problems)
                if checked is None:
                    continue
                weight = checked
        relation = default_relation
        if type_at is not None:
            raw = cells[type_at]
            cell_relation = relation_of.get(raw)
            if cell_relation is None:
                cell_relation = relation_of[raw] = relation_key(raw) or default_relation
            if not cell_relation:
                problems.add("blank_relation", "no relation; row skipped: fill it in, or "
                             "choose the relation of rows without one", row, type_col)
                continue
            relation = cell_relation
        collector.add(source, target, relation, weight, row, source_col)


def _checked_weight(text: str, row: int, column: str | None,
                    problems: ProblemLog) -> float | None:
    weight = parse_weight(text)
    why = "is not a number" if weight is None else weight_problem(weight)
    if why is not None:
        problems.add("bad_weight", f"weight {text.strip()!r} {why}; skipped", row, column)
        return None
    return weight


def _read_matrix(table: Table, known: Mapping[str, str] | None, relation: str,
                 collector: _TieCollector, progress: Progress) -> None:
    problems = table.problems
    row_col = table.columns[0]
    targets: list[tuple[int, str]] = []
    for at, target in enumerate(table.header[1:], start=1):
        if not target:
            problems.add("blank_id", "no id in the header of this column; column skipped",
                         table.header_row, table.columns[at])
        elif known is not None and target not in known:
            problems.add("unknown_id", f"{target!r} is not in the people list; column skipped",
                         table.header_row, table.columns[at])
        elif table.columns[at] != target:
            problems.add("duplicate_id", f"{target!r} heads more than one column; this one "
                         "skipped", table.header_row, table.columns[at])
        else:
            targets.append((at, target))
    for count, (row, cells) in enumerate(table.rows):
        if count % PROGRESS_EVERY == 0:
            progress.update(0.95 * table.fraction_read(), "Reading matrix")
        source = cells[0].strip()
        if not source:
            problems.add("blank_id", "no id in the first column; row skipped", row, row_col)
            continue
        if known is not None and source not in known:
            problems.add("unknown_id", f"{source!r} is not in the people list; row skipped",
                         row, row_col)
            continue
        for at, target in targets:
            text = cells[at]
            if not text or not text.strip():
                continue
            weight = parse_weight(text)
            if weight == 0:
                continue
            if weight is None or weight_problem(weight) is not None:
                _checked_weight(text, row, target, problems)
            elif source == target:
                problems.add("self_tie", f"{source!r} is tied to themself; cell skipped", row,
                             target)
            else:
                collector.add(source, target, relation, weight, row, target)
