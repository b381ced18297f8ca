"""Disclosure control for published group figures: a hidden small group stays hidden.

The project's minimum group size ``k`` (never below 3) means that no figure shown or exported
covers fewer than ``k`` people, and that no hidden figure can be *worked out* from the ones
that are shown. Hiding the small groups' cells is not enough: row and column totals, a grand
total and the remaining cells form a system of linear equations, and a small linear programme
recovers the hidden cells. This module checks for exactly that attack and suppresses enough to
defeat it.

* :func:`exposed_cells` is the auditor. For every hidden cell (and every withheld row or column
  total) it solves two linear programmes with :func:`scipy.optimize.linprog`: the smallest and
  the largest value the figure can take, given the published cells (fixed), the published
  totals, the grand total, cells >= 0, upper bounds only where they are public knowledge, and
  for a symmetric table the symmetry. A figure whose feasible range is narrower than the
  required width is *exposed*.
* :func:`protect_table` is the suppression. It hides the primary cells (the caller's choice:
  rows and columns of groups below ``k``), then adds complementary cells, each chosen by the
  auditor from the largest cells sharing a row or column with an exposed figure, until nothing
  is exposed. When one cell does not help, it withholds the totals of the rows and columns
  involved ("totals only for groups that pass"), and as a last resort hides the lines. Hiding
  only ever widens the feasible ranges, so each round re-checks just the figures still exposed
  and the ones newly hidden. Deterministic: ties are broken by position.
* :func:`pooled_groups` is the one-dimensional rule for figures per group: the hidden groups
  are topped up with the smallest shown groups until together they hold at least ``k`` people,
  so subtracting the shown groups from an overall figure reveals only the pool.

The required width of a figure is ``width`` (e.g. ``k``), capped at what publishing the grand
total alone would leave (a hidden cell can never be more uncertain than the grand total).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from workbench.core.errors import WorkbenchError

SHOWN, PRIMARY, COMPLEMENTARY = 0, 1, 2
CELL, ROW_TOTAL, COLUMN_TOTAL = "cell", "row total", "column total"
_TOL = 1e-6
PUSH_FROM = 6  # batch LP pairs go on while they clear at least half this many figures

Key = tuple[int | None, int | None]
"""A figure of a table: ``(row, col)`` a cell, ``(row, None)`` a row total, ``(None, col)`` a
column total."""


@dataclass(frozen=True)
class Exposure:
    """A hidden figure that can be narrowed to ``[low, high]``, less than ``required`` wide."""

    row: int | None
    col: int | None
    low: float
    high: float
    required: float

    @property
    def kind(self) -> str:
        return CELL if self.row is not None and self.col is not None else (
            ROW_TOTAL if self.row is not None else COLUMN_TOTAL)

    @property
    def key(self) -> Key:
        return (self.row, self.col)

    @property
    def width(self) -> float:
        return self.high - self.low


def _order(key: Key) -> tuple[int, int, int]:
    row, col = key
    kind = 0 if row is not None and col is not None else 1 if row is not None else 2
    return (kind, -1 if row is None else row, -1 if col is None else col)


class _Points:
    """Tables known to satisfy the attacker's equations (the true one first, then LP optima).

    Hiding more only removes equations, so every point stays feasible; a figure that already
    varies by the required width across the points needs no linear programme at all.
    """

    def __init__(self, table: np.ndarray) -> None:
        self.shape = table.shape
        self._matrix = table.reshape(1, -1).astype(float)
        self.count = 1
        self.rng = np.random.default_rng(0)  # seeded: the same table gives the same result

    def copy(self) -> _Points:
        other = _Points.__new__(_Points)
        other.shape, other.count, other.rng = self.shape, self.count, self.rng
        other._matrix = self.rows.copy()
        return other

    @property
    def rows(self) -> np.ndarray:
        return self._matrix[:self.count]

    def add(self, point: np.ndarray) -> None:
        if self.count == len(self._matrix):
            self._matrix = np.vstack((self._matrix, np.empty_like(self._matrix)))
        self._matrix[self.count] = point
        self.count += 1

    def push(self, system: _System, keys: Sequence[Key]) -> None:
        """Add the two optima of a random positive mix of ``keys``' figures, pushed down and
        pushed up: vertices where many of them sit at an end of their range at once."""
        weights = np.zeros(system.cells.size)
        for key in keys:
            weights += system.support(key)[0] * self.rng.uniform(0.5, 1.5)
        if not weights.any():
            return
        for sign in (1.0, -1.0):
            _value, x = system.optimum(sign * weights)
            if x is not None:
                self.add(system.point(x))

    def span(self, key: Key) -> tuple[float, float]:
        n, m = self.shape
        row, col = key
        M = self.rows
        values = (M[:, row * m + col] if row is not None and col is not None
                  else M[:, row * m:(row + 1) * m].sum(axis=1) if row is not None
                  else M[:, col::m].sum(axis=1))
        return float(values.min()), float(values.max())


class _System:
    """The attacker's equations: unknowns are the hidden cells, everything else is known."""

    def __init__(self, table: np.ndarray, hidden: np.ndarray, row_totals: np.ndarray,
                 col_totals: np.ndarray, rows_published: np.ndarray,
                 cols_published: np.ndarray, grand_total: float | None,
                 upper: np.ndarray | None, symmetric: bool) -> None:
        n, m = table.shape
        self.shape = (n, m)
        self.table = table
        self.hidden = hidden
        self.rows_withheld, self.cols_withheld = ~rows_published, ~cols_published
        self.plain = upper is None and not symmetric
        self.cells = np.flatnonzero(hidden.ravel())
        self.var_of = np.full(n * m, -1, dtype=np.int64)
        self.var_of[self.cells] = np.arange(self.cells.size)
        shown = np.where(hidden, 0.0, table)
        self.shown_rows, self.shown_cols = shown.sum(axis=1), shown.sum(axis=0)
        # what the hidden cells of each published line (and of the whole table) add up to
        self.row_rest = np.where(rows_published, row_totals - self.shown_rows, np.inf)
        self.col_rest = np.where(cols_published, col_totals - self.shown_cols, np.inf)
        self.grand_rest = np.inf if grand_total is None else float(grand_total - shown.sum())
        grid = self.var_of.reshape(n, m)
        self.grid = grid
        rows: list[np.ndarray] = []
        b: list[float] = []
        for i in np.flatnonzero(rows_published):
            if (found := grid[i][grid[i] >= 0]).size:
                rows.append(found)
                b.append(float(self.row_rest[i]))
        for j in np.flatnonzero(cols_published):
            if (found := grid[:, j][grid[:, j] >= 0]).size:
                rows.append(found)
                b.append(float(self.col_rest[j]))
        if grand_total is not None and self.cells.size:
            rows.append(np.arange(self.cells.size))
            b.append(self.grand_rest)
        data = [np.ones(r.size) for r in rows]
        lower = np.zeros(self.cells.size)
        upper_bounds = (np.full(self.cells.size, np.inf) if upper is None
                        else np.asarray(upper, dtype=float).ravel()[self.cells].copy())
        if symmetric:
            r_of, c_of = np.divmod(self.cells, m)
            for var, (i, j) in enumerate(zip(r_of.tolist(), c_of.tolist(), strict=True)):
                if i >= j:
                    continue
                partner = grid[j, i]
                if partner >= 0:
                    rows.append(np.array([var, partner]))
                    data.append(np.array([1.0, -1.0]))
                    b.append(0.0)
                else:  # the mirror cell is published: this one equals it
                    lower[var] = upper_bounds[var] = table[j, i]
        self.bounds = np.column_stack((lower, upper_bounds))
        if rows:
            import scipy.sparse as sp

            indptr = np.cumsum([0, *(r.size for r in rows)])
            self.A = sp.csr_array((np.concatenate(data), np.concatenate(rows), indptr),
                                  shape=(len(rows), self.cells.size))
            self.b: np.ndarray | None = np.asarray(b)
        else:
            self.A, self.b = None, None
        self.solved = 0

    def width_bound(self, key: Key) -> float:
        """A cheap upper bound on the width of the figure's range: no hidden cell exceeds
        what the hidden cells of its published row, column or of the whole table add up to."""
        n, m = self.shape
        row, col = key
        if row is not None and col is not None:
            var = self.grid[row, col]
            if var < 0:
                return 0.0
            return float(min(self.row_rest[row], self.col_rest[col], self.grand_rest,
                             self.bounds[var, 1] - self.bounds[var, 0]))
        line = self.grid[row] if row is not None else self.grid[:, col]
        where = np.flatnonzero(line >= 0)
        if not where.size:
            return 0.0
        other = self.col_rest[where] if row is not None else self.row_rest[where]
        spans = self.bounds[line[where], 1] - self.bounds[line[where], 0]
        return float(min(np.minimum(np.minimum(other, spans), self.grand_rest).sum(),
                         self.grand_rest))

    def quick_span(self, key: Key) -> float:
        """A cheap lower bound on the width of the figure's range, from moves that keep every
        published figure: ties shifted between two hidden cells of one column whose rows'
        totals are both withheld (or of one row, columns withheld), or between any two hidden
        cells whose rows and columns are all withheld (only the grand total binds them)."""
        if not self.plain:
            return 0.0
        T, H = self.table, self.hidden
        rw, cw = self.rows_withheld, self.cols_withheld
        row, col = key
        if row is not None and col is not None:
            if not H[row, col]:
                return 0.0
            up = []
            if rw[row]:
                mates = H[:, col] & rw
                mates[row] = False
                up.append(T[mates, col].sum() if mates.any() else -1.0)
            if cw[col]:
                mates = H[row] & cw
                mates[col] = False
                up.append(T[row, mates].sum() if mates.any() else -1.0)
            if rw[row] and cw[col]:
                free = H & rw[:, None] & cw[None, :]
                free[row, col] = False
                up.append(T[free].sum() if free.any() else -1.0)
            best = max(up, default=-1.0)
            return 0.0 if best < 0 else float(best + T[row, col])
        if row is not None and rw[row]:
            others = (H & rw[:, None])
            others[row] = False
            movable = H[row] & others.any(axis=0)
            return float(T[row, movable].sum() + (T * others)[:, movable].sum())
        if col is not None and cw[col]:
            others = (H & cw[None, :])
            others[:, col] = False
            movable = H[:, col] & others.any(axis=1)
            return float(T[movable, col].sum() + (T * others)[movable].sum())
        return 0.0

    def support(self, key: Key) -> tuple[np.ndarray, float]:
        """Objective over the unknowns and the known part of figure ``key``."""
        row, col = key
        grid = self.grid
        coef = np.zeros(self.cells.size)
        if row is not None and col is not None:
            coef[grid[row, col]] = 1.0
            return coef, 0.0
        line = grid[row] if row is not None else grid[:, col]
        coef[line[line >= 0]] = 1.0
        return coef, float(self.shown_rows[row] if row is not None else self.shown_cols[col])

    def range_of(self, key: Key) -> tuple[float, float]:
        """The exact smallest and largest value of figure ``key``."""
        coef, known = self.support(key)
        if not coef.any():
            return known, known
        return known + self.optimum(coef)[0], known - self.optimum(-coef)[0]

    def point(self, x: np.ndarray) -> np.ndarray:
        """The whole table with the hidden cells set to ``x``."""
        full = self.table.ravel().astype(float)
        full[self.cells] = x
        return full

    def check(self, key: Key, need: float, points: _Points) -> tuple[float, float]:
        """The figure's exact range when it is narrower than ``need``; else a range at least
        ``need`` wide, found with as few LPs as possible (their optima join ``points``)."""
        low, high = points.span(key)
        if high - low >= need - _TOL:
            return low, high
        coef, known = self.support(key)
        if not coef.any():
            return known, known
        for sign in (1.0, -1.0):
            value, x = self.optimum(sign * coef)
            if x is not None:
                points.add(self.point(x))
            if sign > 0:
                low = known + value
            else:
                high = known - value
            if high - low >= need - _TOL:
                break
        return low, high

    def optimum(self, c: np.ndarray) -> tuple[float, np.ndarray | None]:
        """Minimum of ``c @ x`` over the attacker's equations and its ``x`` (-inf, None when
        unbounded)."""
        from scipy.optimize import linprog  # imported on first use: it takes a while

        self.solved += 1
        result = linprog(c, A_eq=self.A, b_eq=self.b, bounds=self.bounds, method="highs")
        if result.status == 3:
            return -np.inf, None
        if result.status != 0:
            raise WorkbenchError(f"The table's figures do not add up ({result.message}).")
        return float(result.fun), np.asarray(result.x, dtype=float)


def _audit(system: _System, keys: Iterable[Key], need: Callable[[Key], float],
           points: _Points, exact: bool) -> dict[Key, Exposure | None]:
    """The figures among ``keys`` narrower than ``need(key)``.

    Cheapest first: a figure that varies enough across the known ``points`` is safe, one whose
    hidden line residuals are too small is exposed; the rest are pushed in batches (one LP
    pair clears many) and only then solved one by one. The exposures' exact ranges are
    computed when ``exact``, else they map to None.
    """
    found: dict[Key, Exposure | None] = {}
    open_keys = []
    for key in sorted(set(keys), key=_order):
        low, high = points.span(key)
        if high - low >= need(key) - _TOL or system.quick_span(key) >= need(key) - _TOL:
            continue
        if system.width_bound(key) < need(key) - _TOL:
            found[key] = None
        else:
            open_keys.append(key)
    while len(open_keys) >= PUSH_FROM:
        points.push(system, open_keys)
        still = [k for k in open_keys if _spread(points, k) < need(k) - _TOL]
        cleared, open_keys = len(open_keys) - len(still), still
        if cleared < PUSH_FROM // 2:  # one by one is as cheap now
            break
    for key in open_keys:
        low, high = system.check(key, need(key), points)
        if high - low < need(key) - _TOL:
            found[key] = Exposure(key[0], key[1], low, high, need(key))
    if exact:
        for key, exposure in found.items():
            if exposure is None:
                low, high = system.range_of(key)
                found[key] = Exposure(key[0], key[1], low, high, need(key))
    return found


def _spread(points: _Points, key: Key) -> float:
    low, high = points.span(key)
    return high - low


def _masks(n: int, m: int, published: tuple[Sequence[bool], Sequence[bool]] | None
           ) -> tuple[np.ndarray, np.ndarray]:
    if published is None:
        return np.ones(n, dtype=bool), np.ones(m, dtype=bool)
    rows, cols = (np.asarray(p, dtype=bool) for p in published)
    if rows.shape != (n,) or cols.shape != (m,):
        raise ValueError("published totals must give one flag per row and per column")
    return rows, cols


def exposed_cells(
    table: Sequence[Sequence[float]] | np.ndarray,
    hidden_mask: Sequence[Sequence[bool]] | np.ndarray,
    row_totals: Sequence[float] | np.ndarray | None = None,
    col_totals: Sequence[float] | np.ndarray | None = None,
    published_totals: tuple[Sequence[bool], Sequence[bool]] | None = None,
    width: float = 1.0,
    *,
    grand_total_published: bool = True,
    upper: Sequence[Sequence[float]] | np.ndarray | None = None,
    symmetric: bool = False,
    figures: Iterable[Key] | None = None,
    required: Callable[[Key], float] | None = None,
) -> list[Exposure]:
    """Hidden figures an attacker can narrow to a range less than ``width`` wide.

    ``table`` holds the true values (non-negative), ``hidden_mask`` marks the cells not
    published; ``row_totals``/``col_totals`` default to the table's sums and
    ``published_totals`` = (row flags, column flags) says which totals are shown (default all).
    The grand total counts as published unless ``grand_total_published`` is False. ``upper``
    gives public upper bounds per cell (``inf`` where none is known). ``symmetric`` tells the
    attacker that cell (i, j) equals (j, i). Checked are ``figures`` (default: every hidden
    cell and every withheld total), each against ``required(key)`` when given, else ``width``.
    Returns the exposures in table order (cells, then row totals, then column totals).
    """
    values = np.asarray(table, dtype=float)
    if values.ndim != 2:
        raise ValueError("the table must be two-dimensional")
    n, m = values.shape
    hidden = np.asarray(hidden_mask, dtype=bool)
    rows_pub, cols_pub = _masks(n, m, published_totals)
    rows = values.sum(axis=1) if row_totals is None else np.asarray(row_totals, dtype=float)
    cols = values.sum(axis=0) if col_totals is None else np.asarray(col_totals, dtype=float)
    system = _System(values, hidden, rows, cols, rows_pub, cols_pub,
                     float(rows.sum()) if grand_total_published else None,
                     None if upper is None else np.asarray(upper, dtype=float), symmetric)
    keys = _figures(hidden, rows_pub, cols_pub) if figures is None else list(figures)
    found = _audit(system, keys, (lambda _key: width) if required is None else required,
                   _Points(values), exact=True)
    return [e for e in found.values() if e is not None]


def _figures(hidden: np.ndarray, rows_pub: np.ndarray, cols_pub: np.ndarray) -> list[Key]:
    cells: list[Key] = [(int(i), int(j)) for i, j in zip(*np.nonzero(hidden), strict=True)]
    return (cells + [(int(i), None) for i in np.flatnonzero(~rows_pub)]
            + [(None, int(j)) for j in np.flatnonzero(~cols_pub)])


@dataclass(frozen=True)
class Protection:
    """What to publish: ``hidden`` per cell (SHOWN, PRIMARY or COMPLEMENTARY) and which
    totals. ``exposures`` lists figures still exposed after everything was tried (normally
    none: only possible when the grand total itself is smaller than the width)."""

    hidden: np.ndarray
    rows_published: np.ndarray
    cols_published: np.ndarray
    grand_total_published: bool
    exposures: tuple[Exposure, ...]
    linear_programmes: int


def protect_table(
    table: Sequence[Sequence[float]] | np.ndarray,
    primary: Sequence[Sequence[bool]] | np.ndarray,
    width: float,
    *,
    withheld_rows: Iterable[int] = (),
    withheld_cols: Iterable[int] = (),
    grand_total_published: bool = True,
    linked: bool = False,
    symmetric: bool = False,
    upper: Sequence[Sequence[float]] | np.ndarray | None = None,
    line_order: Sequence[int] | None = None,
    candidates: int = 6,
    max_cells: int | None = None,
) -> Protection:
    """Hide ``primary`` cells and enough others that no hidden figure is exposed.

    ``withheld_rows``/``withheld_cols`` are totals never published (e.g. of small groups).
    ``linked`` (square tables of groups x groups) withholds a group's row and column total
    together. ``line_order`` is the order in which further totals are withheld when needed
    (default: smallest total first). At most ``max_cells`` complementary cells are chosen one
    by one (default: rows + columns + 10) before totals are withheld instead.
    """
    return _Protector(np.asarray(table, dtype=float), np.asarray(primary, dtype=bool), width,
                      withheld_rows, withheld_cols, grand_total_published, linked, symmetric,
                      None if upper is None else np.asarray(upper, dtype=float), line_order,
                      candidates, max_cells).run()


class _Protector:
    def __init__(self, table: np.ndarray, primary: np.ndarray, width: float,
                 withheld_rows: Iterable[int], withheld_cols: Iterable[int], grand: bool,
                 linked: bool, symmetric: bool, upper: np.ndarray | None,
                 line_order: Sequence[int] | None, candidates: int,
                 max_cells: int | None) -> None:
        if table.ndim != 2 or table.shape != primary.shape:
            raise ValueError("table and primary mask must be two-dimensional and alike")
        if (table < 0).any():
            raise ValueError("table values must not be negative")
        n, m = table.shape
        if (linked or symmetric) and n != m:
            raise ValueError("linked or symmetric suppression needs a square table")
        self.table, self.width, self.upper = table, width, upper
        self.linked, self.symmetric, self.grand = linked, symmetric, grand
        self.candidates = candidates
        self.max_cells = n + m + 10 if max_cells is None else max_cells
        self.hidden = np.where(primary, PRIMARY, SHOWN).astype(np.int8)
        if symmetric:
            self.hidden = np.maximum(self.hidden, self.hidden.T)
        self.rows_pub = np.ones(n, dtype=bool)
        self.cols_pub = np.ones(m, dtype=bool)
        self.rows_pub[list(withheld_rows)] = False
        self.cols_pub[list(withheld_cols)] = False
        if linked:
            self.rows_pub &= self.cols_pub
            self.cols_pub = self.rows_pub.copy()
        self.row_totals, self.col_totals = table.sum(axis=1), table.sum(axis=0)
        self.total = float(table.sum())
        self.points = _Points(table)
        if line_order is not None:
            self.row_order = self.col_order = list(line_order)
        elif linked:
            both = self.row_totals + self.col_totals
            self.row_order = self.col_order = sorted(range(n), key=lambda i: (both[i], i))
        else:
            self.row_order = sorted(range(n), key=lambda i: (self.row_totals[i], i))
            self.col_order = sorted(range(m), key=lambda j: (self.col_totals[j], j))
        self.solved = 0

    # -- the auditor on the current state ---------------------------------------------------

    def required(self, key: Key) -> float:
        cap = self.total if self.grand else np.inf
        if self.upper is not None:
            row, col = key
            cap = min(cap, float(self.upper[row, col] if row is not None and col is not None
                                 else self.upper[row].sum() if row is not None
                                 else self.upper[:, col].sum()))
        return min(self.width, cap)

    def system(self, hidden: np.ndarray | None = None) -> _System:
        return _System(self.table, (self.hidden if hidden is None else hidden) != SHOWN,
                       self.row_totals, self.col_totals, self.rows_pub, self.cols_pub,
                       self.total if self.grand else None, self.upper, self.symmetric)

    def audit(self, keys: Iterable[Key]) -> dict[Key, Exposure | None]:
        system = self.system()
        found = _audit(system, keys, self.required, self.points, exact=False)
        self.solved += system.solved
        return found

    def exact(self, key: Key) -> Exposure:
        system = self.system()
        low, high = system.range_of(key)
        self.solved += system.solved
        return Exposure(key[0], key[1], low, high, self.required(key))

    # -- the search --------------------------------------------------------------------------

    def run(self) -> Protection:
        exposed = self.audit(_figures(self.hidden != SHOWN, self.rows_pub, self.cols_pub))
        chosen = 0
        given_up: set[Key] = set()
        while pending := sorted((k for k in exposed if k not in given_up), key=_order):
            key = pending[0]
            new: list[Key] = []
            if chosen < self.max_cells:
                cell = self.complement(exposed[key] or self.exact(key))
                if cell is not None:
                    new = self.hide([cell])
                    chosen += 1
            if not new:
                new = self.withhold(key)
            if not new:
                new = self.hide(self.lines_of(key))
            if not new:
                new = self.hide(list(zip(*np.nonzero(self.hidden == SHOWN), strict=True)))
            if not new:
                given_up.add(key)
                continue
            exposed = self.audit([*exposed, *new])
        left = [exposure or self.exact(key) for key, exposure in exposed.items()]
        return Protection(self.hidden, self.rows_pub, self.cols_pub, self.grand,
                          tuple(sorted(left, key=lambda e: _order(e.key))), self.solved)

    def hide(self, cells: Iterable[tuple[int, int]]) -> list[Key]:
        new: list[Key] = []
        for i, j in cells:
            for a, b in ((i, j), (j, i)) if self.symmetric else ((i, j),):
                if self.hidden[a, b] == SHOWN:
                    self.hidden[a, b] = COMPLEMENTARY
                    new.append((int(a), int(b)))
        return new

    def lines_of(self, key: Key) -> list[tuple[int, int]]:
        row, col = key
        mask = np.zeros_like(self.hidden, dtype=bool)
        if row is not None:
            mask[row] = True
        if col is not None:
            mask[:, col] = True
        return list(zip(*np.nonzero(mask & (self.hidden == SHOWN)), strict=True))

    def withhold(self, key: Key) -> list[Key]:
        """Withhold the totals of the lines of ``key``, or for a total the next line's."""
        row, col = key
        rows: list[int] = []
        cols: list[int] = []
        if row is not None and col is not None:
            rows, cols = [row], [col]
        elif row is not None:
            rows = [next((i for i in self.row_order if self.rows_pub[i]), -1)]
        else:
            cols = [next((j for j in self.col_order if self.cols_pub[j]), -1)]
        if self.linked:
            rows = cols = [x for x in {*rows, *cols} if x >= 0]
        new: list[Key] = []
        for i in rows:
            if i >= 0 and self.rows_pub[i]:
                self.rows_pub[i] = False
                new.append((i, None))
        for j in cols:
            if j >= 0 and self.cols_pub[j]:
                self.cols_pub[j] = False
                new.append((None, j))
        return new

    def complement(self, exposure: Exposure) -> tuple[int, int] | None:
        """The shown cell whose hiding widens ``exposure`` most (None when none does)."""
        row, col = exposure.key
        hidden = self.hidden != SHOWN
        if row is not None and col is not None:
            lines_rows, lines_cols = {row}, {col}
        elif row is not None:
            if (~self.rows_pub).sum() < 2:
                return None  # one withheld row total equals the grand total minus the rest
            lines_rows, lines_cols = {row}, set(np.flatnonzero(hidden[row]).tolist())
        elif col is not None:
            if (~self.cols_pub).sum() < 2:
                return None
            lines_rows, lines_cols = set(np.flatnonzero(hidden[:, col]).tolist()), {col}
        else:
            return None
        options = []
        for i, j in zip(*np.nonzero(~hidden), strict=True):
            i, j = int(i), int(j)
            if i not in lines_rows and j not in lines_cols:
                continue
            # the cell's other line must give way too: better when it already can
            other_loose = ((not self.rows_pub[i] or hidden[i].sum() > 0) if j in lines_cols
                           else (not self.cols_pub[j] or hidden[:, j].sum() > 0))
            options.append((not other_loose, -self.table[i, j], i, j))
        best, best_width = None, exposure.width + _TOL
        need = self.required(exposure.key)
        for _loose, _value, i, j in sorted(options)[:self.candidates]:
            trial = self.hidden.copy()
            trial[i, j] = COMPLEMENTARY
            if self.symmetric and trial[j, i] == SHOWN:
                trial[j, i] = COMPLEMENTARY
            system = self.system(trial)
            if system.width_bound(exposure.key) <= best_width:
                continue  # cannot widen the range enough to matter: no LP needed
            trial_points = self.points.copy()  # still feasible: hiding only removes equations
            low, high = system.check(exposure.key, need, trial_points)
            self.solved += system.solved
            if high - low > best_width:
                best, best_width = (i, j), high - low
                if high - low >= need - _TOL:  # protected: take the first (largest) such cell
                    self.points = trial_points
                    break
        return best


def pooled_groups(sizes: Mapping[str, int], hidden: Iterable[str], min_size: int) -> list[str]:
    """``hidden`` topped up with the smallest other groups (then by name) until the hidden
    groups hold at least ``min_size`` people together; nothing is added when nothing is
    hidden. When all groups together are too few, all are returned. Sorted by size, name."""
    pool = {g for g in hidden if g in sizes}
    if pool:
        for group in sorted((g for g in sizes if g not in pool), key=lambda g: (sizes[g], g)):
            if sum(sizes[g] for g in pool) >= min_size:
                break
            pool.add(group)
    return sorted(pool, key=lambda g: (sizes[g], g))
